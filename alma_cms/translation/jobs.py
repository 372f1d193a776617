"""wagtail-localize's background jobs on Celery (``WAGTAILLOCALIZE_JOBS``, docs/translation.md
"Syncing on Celery").

wagtail-localize sends two callables to its job backend, with model instances as arguments:

- ``wagtail_localize.operations.translate_page_subtree(page_id, locales, components, user)``
  from "Translate this page" with "Include subtree";
- ``wagtail_localize.synctree.synchronize_tree(source_locale, target_locale, page_index=...)``
  from a ``LocaleSynchronization`` save.

:class:`CeleryJobBackend` turns each call into ids (locale ids, user id, page id, the enabled
translation components' field values), sends the Celery task ``alma_cms.translation.job``
after the current transaction commits (nothing when it rolls back), and the worker loads the
objects again (``synchronize_tree`` builds its ``PageIndex`` from the database). Any other
callable raises :class:`UnknownJob`: it is not sent.

wagtail-localize creates its backend once, when ``wagtail_localize.tasks`` is imported
(``background = get_backend()``), so the backend reads ``OPTIONS`` when it enqueues, not in
``__init__``: a settings override after import (tests, ``override_settings``) still applies.
"""

import logging
import uuid

try:  # the `celery` extra; without it the backend refuses to send (check alma_cms.E055)
    from celery import shared_task
except ImportError:  # pragma: no cover - exercised by the E055 subprocess test
    shared_task = None
from django.conf import settings
from django.db import transaction

from ..commit import on_commit_once

logger = logging.getLogger("alma_cms.translation")

JOB_TASK_NAME = "alma_cms.translation.job"
SUBTREE = "translate_page_subtree"
SYNCTREE = "synchronize_tree"


class UnknownJob(TypeError):
    """wagtail-localize sent a callable this backend does not know how to pass by ids."""


def _job_name(func):
    module = getattr(func, "__module__", "")
    name = getattr(func, "__name__", "")
    if module == "wagtail_localize.operations" and name == SUBTREE:
        return SUBTREE
    if module == "wagtail_localize.synctree" and name == SYNCTREE:
        return SYNCTREE
    raise UnknownJob(
        f"CeleryJobBackend runs {SUBTREE} and {SYNCTREE} of wagtail-localize only, "
        f"not {module}.{name}: add it to alma_cms.translation.jobs or use another backend."
    )


def _components_data(components):
    """``[[model label, {field: value}]]`` of the enabled components that wagtail-localize
    saves per translated page (``get_or_create_from_source_and_translation_data``); foreign
    keys as ids. Components without that method were saved by the view already."""
    if components is None:
        return []
    data = []
    for component, _instance, form in components.components:
        model = component["model"]
        if not hasattr(model, "get_or_create_from_source_and_translation_data"):
            continue
        if not (component["required"] or form["enabled"].value()):
            continue
        values = components._get_component_form_data(form.save(commit=False), form.cleaned_data)
        values = {k: getattr(v, "pk", v) for k, v in values.items()}
        data.append([model._meta.label, values])
    return data


def job_payload(func, args, kwargs):
    """``(name, payload)``: the JSON message for one wagtail-localize job (ids only).

    Raises :class:`UnknownJob` for a callable other than the two call sites."""
    name = _job_name(func)
    if name == SUBTREE:
        page_id, locales, components, user = (list(args) + [None] * 4)[:4]
        page_id = kwargs.get("page_id", page_id)
        locales = kwargs.get("locales", locales)
        components = kwargs.get("components", components)
        user = kwargs.get("user", user)
        return name, {
            "page_id": int(page_id),
            "locale_ids": [locale.pk for locale in locales],
            "components": _components_data(components),
            "user_id": getattr(user, "pk", None),
        }
    source, target = (list(args) + [None, None])[:2]
    source = kwargs.get("source_locale", source)
    target = kwargs.get("target_locale", target)
    # page_index is dropped on purpose: the worker builds it from the committed tree.
    return name, {"source_locale_id": source.pk, "target_locale_id": target.pk}


class CeleryJobBackend:
    """``WAGTAILLOCALIZE_JOBS = {"BACKEND": "alma_cms.translation.jobs.CeleryJobBackend",
    "OPTIONS": {"QUEUE": "translation"}}``; ``QUEUE`` None or absent: Celery's default queue.

    Options are read at each ``enqueue`` from ``settings.WAGTAILLOCALIZE_JOBS`` (see module
    docstring), ``options`` given to ``__init__`` only when that setting is gone."""

    def __init__(self, options=None):
        self._init_options = dict(options or {})

    @property
    def options(self):
        config = getattr(settings, "WAGTAILLOCALIZE_JOBS", None)
        if isinstance(config, dict) and isinstance(config.get("OPTIONS"), dict):
            return config["OPTIONS"]
        return self._init_options

    def enqueue(self, func, args, kwargs):
        name, payload = job_payload(func, args or [], kwargs or {})
        queue = self.options.get("QUEUE")

        if run_job is None:
            raise RuntimeError("CeleryJobBackend needs Celery: pip install 'alma-cms[celery]'.")

        def send():
            try:
                run_job.apply_async(args=[name, payload], queue=queue)
            except Exception:  # kombu's OperationalError, connection refused, ...
                # After commit: the request's own change stands; a 500 would hide that.
                logger.error(
                    "Could not send wagtail-localize job %s to Celery; it will not run: "
                    "submit it again when the broker is back.",
                    name,
                    exc_info=True,
                )

        # A distinct key per call: two jobs in one transaction are two sends.
        on_commit_once(("alma_cms.translation.job", uuid.uuid4().hex), send)


def _rebuild_components(data):
    """The inverse of :func:`_components_data`: ``{model class: {field: value}}``."""
    # Function-level import: apps are loaded when a task runs, not when this module is.
    from django.apps import apps

    rebuilt = []
    for label, values in data:
        model = apps.get_model(label)
        fields = {}
        for key, value in values.items():
            field = model._meta.get_field(key)
            fields[field.attname if field.is_relation else key] = value
        rebuilt.append((model, fields))
    return rebuilt


class _Components:
    """What ``translate_page_subtree`` calls on its ``components``: ``save(translator,
    sources_and_translations=...)``, as ``TranslationComponentManager`` does."""

    def __init__(self, rebuilt):
        self.rebuilt = rebuilt

    def save(self, source_object_instance, sources_and_translations=None):
        for model, fields in self.rebuilt:
            for translation_source, translations in (sources_and_translations or {}).items():
                try:
                    model.get_or_create_from_source_and_translation_data(
                        translation_source, translations, **fields
                    )
                except TypeError:  # as wagtail-localize's manager: not for this source
                    continue


def run_job_now(name, payload):
    """Run one job from its ids (the worker's side; ``--inline`` and tests call it too)."""
    # Function-level imports: wagtail_localize's models import this backend's module path
    # through settings at their import; importing them here at module level would be circular.
    from django.contrib.auth import get_user_model  # (reason above)
    from wagtail.models import Locale  # (reason above)
    from wagtail_localize.operations import translate_page_subtree
    from wagtail_localize.synctree import synchronize_tree  # (reason above)

    if name == SUBTREE:
        user = None
        if payload.get("user_id") is not None:
            user = get_user_model().objects.filter(pk=payload["user_id"]).first()
        locales = list(Locale.objects.filter(pk__in=payload["locale_ids"]))
        components = _Components(_rebuild_components(payload.get("components", [])))
        with transaction.atomic():
            translate_page_subtree(payload["page_id"], locales, components, user)
        return
    if name == SYNCTREE:
        source = Locale.objects.get(pk=payload["source_locale_id"])
        target = Locale.objects.get(pk=payload["target_locale_id"])
        with transaction.atomic():
            synchronize_tree(source, target)
        return
    raise UnknownJob(f"Unknown wagtail-localize job {name!r}.")


def _run_job(self, name, payload):
    """Celery task: one wagtail-localize job from ids. A missing page or locale (deleted since)
    is logged and not retried; other errors are retried with backoff (``TASKS_*``)."""
    # Function-level import: shared with tasks.py's retry policy, which imports this module.
    from django.core.exceptions import ObjectDoesNotExist

    from .tasks import retry_or_raise

    try:
        run_job_now(name, payload)
    except (ObjectDoesNotExist, UnknownJob):
        logger.exception("wagtail-localize job %s %s dropped", name, payload)
        raise
    except Exception as exc:
        retry_or_raise(self, exc, f"wagtail-localize job {name}")


run_job = (
    shared_task(bind=True, name=JOB_TASK_NAME, acks_late=True, reject_on_worker_lost=True)(_run_job)
    if shared_task is not None
    else None
)
