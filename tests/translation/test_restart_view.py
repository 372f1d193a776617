"""wagtail-localize's "Restart synced translation" in the admin keeps the translator's manual
edits (alma_cms.translation_admin.install_restart_translation; issue 9, case 1)."""

from django.urls import reverse
from wagtail_localize.models import Translation

from alma_cms.translation.sync import sync_translations

from .conftest import live


def test_restart_in_the_admin_keeps_manual_edits(ru_doc, locale_ru, admin_user, client, capture):
    document, translation = ru_doc
    Translation.objects.filter(pk=translation.pk).update(enabled=False)
    page = live(document, locale_ru)
    page.audience = "Ручная правка."
    page.save_revision().publish()

    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    with capture(execute=True):
        response = client.post(url, {"localize-restart-translation": "Restart"})
    assert response.status_code == 302
    translation.refresh_from_db()
    assert translation.enabled
    with capture(execute=True):
        outcomes = sync_translations(document)
    assert [o.action for o in outcomes] == ["published"]
    # Stock wagtail-localize would now show the old translation of the source's text.
    assert live(document, locale_ru).audience == "Ручная правка."
