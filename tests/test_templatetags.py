"""The template tags that decide what an HTML page shows: every page, image and child list goes
through the scope's rule, as in the API (``alma_cms.templatetags.alma_cms_tags``)."""

import datetime

from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction

from alma_cms.pages.models import GuidelineDocumentPage
from tests.testapp.factories import add_page, make_image

PAST = timezone.now() - datetime.timedelta(days=1)


def test_expired_child_document_is_not_listed_on_its_edition(client, alma):
    """A document filed under an edition, live but past ``expire_at`` (``publish_scheduled``
    has not run): the edition's HTML page lists it no more than the API does."""
    document = add_page(
        alma.edition_2021,
        GuidelineDocumentPage(title="Map of Library Leadership", slug="map"),
    )
    html = client.get(alma.edition_2021.url).content.decode()
    assert "Map of Library Leadership" in html
    GuidelineDocumentPage.objects.filter(pk=document.pk).update(expire_at=PAST)
    assert GuidelineDocumentPage.objects.get(pk=document.pk).live
    html = client.get(alma.edition_2021.url).content.decode()
    assert "Map of Library Leadership" not in html


def test_photo_in_a_restricted_collection_is_not_shown(client, alma, media_root):
    """A speaker photo in a collection behind a view restriction: the HTML page leaves it out,
    as the API shows ``photo: null``; once the restriction goes, it is shown."""
    private = Collection.get_first_root_node().add_child(name="Private photos")
    photo = make_image("Portrait", width=64, height=48)
    photo.collection = private
    photo.save()
    speaker = alma.mackenzie
    speaker.photo = photo
    speaker.save_revision().publish()
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    for url in (speaker.url, alma.speaker_index.url):
        html = client.get(url).content.decode()
        assert "speaker__photo" not in html and "teaser__photo" not in html, url
    api = client.get(f"/api/v2/pages/{speaker.pk}/").json()
    assert api["photo"] is None
    restriction.delete()
    assert "speaker__photo" in client.get(speaker.url).content.decode()
    assert "teaser__photo" in client.get(alma.speaker_index.url).content.decode()
