"""Store an id for every list item of every StreamField of the alma page types (issue 9).

Items stored in Wagtail's plain-list format get new random ids at every load and are not
offered for translation by wagtail-localize; pages saved from now on store ids
(``AlmaPageMixin.save``); this converts the rows already stored. Idempotent: rows with ids
everywhere are not written. Page revisions are left as they are: they get ids when published
or saved again.
"""

from django.apps import apps as global_apps
from django.db import migrations


def store_ids(apps, schema_editor):
    # The current models, not the historical ones: see store_stable_list_ids (hook blocks).
    from alma_cms.blocks.ids import store_stable_list_ids

    for model in global_apps.get_app_config("alma_cms_pages").get_models():
        store_stable_list_ids(model)


class Migration(migrations.Migration):
    dependencies = [
        ("alma_cms_pages", "0004_series_title_help_text"),
    ]

    operations = [
        migrations.RunPython(store_ids, migrations.RunPython.noop, elidable=True),
    ]
