"""App start-up of translation syncing: ``install()``, called once by ``AlmaCmsConfig.ready``.

Connects the on-publish receivers: Wagtail's ``page_published`` (any translatable page type)
and ``post_save`` of translatable snippets without draft state (``Organization``) or
``published`` of those with it. A receiver sends ``tasks.send_sync`` only for an object in
its source locale, i.e. one with a ``TranslationSource`` that has translations, and nothing
when ``TRANSLATION_SYNC_ON_PUBLISH`` is "off"."""

from importlib.util import find_spec

from django.db.models.signals import post_save

from ..conf import alma_settings

_DISPATCH = "alma_cms.translation.on_publish"


def is_synced_source(instance):
    """True when ``instance`` is a source of translations: a ``TranslationSource`` exists for
    it in its own locale and at least one other-locale translation exists."""
    # Function-level import: wagtail_localize's models need the app registry.
    from wagtail_localize.models import TranslationSource

    translation_key = getattr(instance, "translation_key", None)
    locale_id = getattr(instance, "locale_id", None)
    if translation_key is None or locale_id is None:
        return False
    if not TranslationSource.objects.filter(
        object_id=translation_key, locale_id=locale_id
    ).exists():
        return False
    manager = type(instance)._default_manager
    return manager.filter(translation_key=translation_key).exclude(locale_id=locale_id).exists()


def on_publish(instance, user=None):
    """Send a sync of ``instance``'s translations after commit, if it is a synced source."""
    if alma_settings.TRANSLATION_SYNC_ON_PUBLISH == "off":
        return
    if not is_synced_source(instance):
        return
    from .tasks import send_sync  # noqa: PLC0415  (needs Celery; imported only when used)

    send_sync(instance, user=user)


def _page_published(sender, instance, revision=None, **kwargs):
    user = getattr(revision, "user", None) if revision is not None else None
    on_publish(instance, user=user)


def _snippet_saved(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures (loaddata)
        return
    on_publish(instance)


def install():
    """Connect the receivers (when Celery is installed: the ``celery`` extra)."""
    if find_spec("celery") is None:
        return
    # Function-level imports: they need Celery and the app registry (ready() calls this).
    from wagtail.signals import page_published  # noqa: I001

    from . import jobs, tasks  # noqa: F401  (registers the Celery tasks)
    from ..models import Organization  # the site's translatable snippet without draft state

    page_published.connect(_page_published, dispatch_uid=_DISPATCH + ".page")
    post_save.connect(_snippet_saved, sender=Organization, dispatch_uid=_DISPATCH + ".org")
