"""Comparing external search indexes with the database, and repairing drift.

Per index of an owned backend (``alma_cms.search.outbox.owned_backends``): the documents the
database says should be there (each indexed model's ``get_indexed_objects()``, read by key,
500 rows a query) against the documents in the index (read with ``search_after`` on the
``pk`` keyword field, 1,000 a request). A document is

- missing: in the database, not in the index;
- stale: in both, with a different fingerprint;
- extra: in the index, not in the database.

Fingerprint: the document's ``_alma_fingerprint`` field when the backend's mapping writes one
(alma's backends), else the SHA-1 of the document as the client serializes it (canonical JSON,
sorted keys), compared with the same hash of the stored ``_source``.
Repairs are recorded in the outbox (upserts for missing and stale, deletes for extra) and
drained.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps

from ..models import SearchIndexChange
from .drain import DrainBusy, SearchServerUnavailable, drain
from .keyset import chunks_by_key
from .outbox import AVAILABLE, DELETE, UPSERT, owned_backends, record

if AVAILABLE:
    from modelsearch.backends import get_search_backend
    from modelsearch.index import get_indexed_models

FINGERPRINT_FIELD = "_alma_fingerprint"
DB_CHUNK = 500
INDEX_PAGE = 1000


class ReconcileError(ValueError):
    """Bad arguments (unknown backend or model); the message names the problem."""


@dataclass
class IndexReport:
    backend: str
    index: str
    documents: int = 0
    missing: list = field(default_factory=list)  # [(model, pk)]
    stale: list = field(default_factory=list)  # [(model, pk)]
    extra: list = field(default_factory=list)  # [document id]
    model: type = None  # a model of the index (extra documents are deleted through it)

    @property
    def drift(self):
        return bool(self.missing or self.stale or self.extra)

    def counts(self):
        return {"missing": len(self.missing), "stale": len(self.stale), "extra": len(self.extra)}

    def summary(self):
        counts = self.counts()
        return (
            f"{self.backend}/{self.index}: {self.documents} documents in the database, "
            f"missing {counts['missing']}, stale {counts['stale']}, extra {counts['extra']}"
        )


def _canonical_hash(backend, document):
    """SHA-1 of a document as the server stores it (the client's JSON, keys sorted)."""
    serialized = backend.es.transport.serializer.dumps(document)
    canonical = json.dumps(json.loads(serialized), sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(canonical.encode()).hexdigest()


def _fingerprint(backend, document):
    if FINGERPRINT_FIELD in document:
        return str(document[FINGERPRINT_FIELD])
    return _canonical_hash(backend, document)


def _database_documents(backend, models, progress):
    """{document id: (model, fingerprint)} of the objects the index should hold."""
    expected = {}
    for model in models:
        mapping = backend.mapping_class(model)
        for chunk in chunks_by_key(model.get_indexed_objects(), DB_CHUNK):
            for obj in chunk:
                instance = obj.get_indexed_instance()
                if instance is None:
                    continue
                document = mapping.get_document(instance)
                expected[mapping.get_document_id(instance)] = (
                    model,
                    _fingerprint(backend, document),
                )
            progress(len(expected))
    return expected


def _index_documents(backend, index_name, fingerprint_only, content_type=None):
    """{document id: fingerprint} of an index, read with search_after on ``pk``;
    ``content_type`` ("app_label.Model", modelsearch's ``_django_content_type``): only the
    documents of that model and its subclasses."""
    found = {}
    if not backend.es.indices.exists(index=index_name):
        return found
    search_after = None
    query = {"match": {"_django_content_type": content_type}} if content_type else None
    while True:
        body = {
            "query": query or {"match_all": {}},
            "size": INDEX_PAGE,
            "sort": [{"pk": "asc"}],
        }
        if fingerprint_only:
            body["_source"] = [FINGERPRINT_FIELD]
        if search_after is not None:
            body["search_after"] = search_after
        hits = backend.es.search(index=index_name, body=body)["hits"]["hits"]
        if not hits:
            break
        for hit in hits:
            source = hit.get("_source") or {}
            found[hit["_id"]] = _fingerprint(backend, source)
        search_after = hits[-1]["sort"]
        if len(hits) < INDEX_PAGE:
            break
    return found


def _selected(backend_name=None, model_label=None):
    owned = owned_backends()
    if backend_name is not None and backend_name not in owned:
        raise ReconcileError(
            f"search backend {backend_name!r} is not an external backend alma keeps up to date "
            f"(these are: {', '.join(owned) or 'none'})"
        )
    model = None
    if model_label is not None:
        try:
            model = apps.get_model(model_label)
        except (LookupError, ValueError):
            raise ReconcileError(
                f"{model_label!r} is not an installed model (app_label.Model)"
            ) from None
        if model not in get_indexed_models():
            raise ReconcileError(f"{model_label} is not indexed for search")
    return ([backend_name] if backend_name else owned), model


def group_models_by_index(backend):
    grouped = defaultdict(list)
    for model in get_indexed_models():
        grouped[backend.get_index_for_model(model).name].append(model)
    return grouped


def compare(*, backend_name=None, model_label=None, progress=None):
    """Compare the selected indexes with the database; returns a list of ``IndexReport``.

    ``model_label`` ("app_label.Model"): only that model's documents (its subclasses' too) in
    the one index that holds it, on both sides. ``progress(index_name, objects_read)`` is
    called after every 500 objects read. Raises ``ReconcileError`` for an unknown backend or
    model.
    """
    names, only_model = _selected(backend_name, model_label)
    reports = []
    for name in names:
        backend = get_search_backend(name)
        for index_name, models in group_models_by_index(backend).items():
            content_type = None
            if only_model is not None:
                if only_model not in models:
                    continue
                models = [model for model in models if issubclass(model, only_model)]
                content_type = backend.mapping_class(only_model).get_content_type()

            def report_progress(count, label=f"{name}/{index_name}"):
                if progress:
                    progress(label, count)

            expected = _database_documents(backend, models, report_progress)
            fingerprint_only = any(
                FINGERPRINT_FIELD in backend.mapping_class(m).get_mapping().get("properties", {})
                for m in models
            )
            try:
                actual = _index_documents(backend, index_name, fingerprint_only, content_type)
            except Exception as exc:  # the client's connection/transport errors
                raise SearchServerUnavailable(f"{index_name}: {exc}") from exc
            report = IndexReport(
                backend=name, index=index_name, documents=len(expected), model=models[0]
            )
            for doc_id, (model, fingerprint) in expected.items():
                if doc_id not in actual:
                    report.missing.append((model, doc_id))
                elif actual[doc_id] != fingerprint:
                    report.stale.append((model, doc_id))
            report.extra = sorted(set(actual) - set(expected))
            reports.append(report)
    return reports


def repair_drift(reports):
    """Record the repairs of ``reports`` in the outbox and drain it; returns rows recorded."""
    recorded = 0
    for report in reports:
        upserts = defaultdict(list)
        for model, pk in report.missing + report.stale:
            upserts[model].append(pk)
        for model, pks in upserts.items():
            recorded += record(
                model._default_manager.filter(pk__in=pks), UPSERT, backends=[report.backend]
            )
        if report.extra:
            recorded += _record_deletes(report)
    if recorded:
        try:
            drain()
        except DrainBusy:
            pass  # a worker is draining; it sends the repairs too
    return recorded


def _record_deletes(report):
    rows = [
        SearchIndexChange(
            backend=report.backend,
            app_label=report.model._meta.app_label,
            model_name=report.model._meta.model_name,
            object_pk=doc_id,
            action=DELETE,
        )
        for doc_id in report.extra
    ]
    SearchIndexChange.objects.bulk_create(rows)
    return len(rows)


def reconcile(*, repair=True, backend_name=None, model_label=None, progress=None):
    """Compare and (unless ``repair`` is False) repair; returns the reports of the comparison
    made before repairing."""
    reports = compare(backend_name=backend_name, model_label=model_label, progress=progress)
    if repair and any(report.drift for report in reports):
        repair_drift(reports)
    return reports
