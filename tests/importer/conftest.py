"""Shared helpers of the importer tests: the documents, and running ``alma_import``."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from alma_cms.models import ImportRecord
from alma_cms.pages.models import GuidelineDocumentPage

DOCUMENTS = Path(__file__).parent / "documents"
# The project's reference documents and samples live beside the repository (../shared).
SHARED = Path(os.environ.get("ALMA_SHARED_DIR", Path(__file__).parents[3] / "shared"))


def shared_file(relative):
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{path} is not here (set ALMA_SHARED_DIR to the shared documents)")
    return path


@pytest.fixture
def reference_2019():
    return shared_file("reference/alma-2019-final-document.txt")


@pytest.fixture
def decimal_sample():
    return shared_file("samples/final-document-decimal.txt")


def run_import(path, *args):
    """``alma_import PATH ARGS``: (stdout, stderr)."""
    out, err = StringIO(), StringIO()
    call_command("alma_import", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    """What an import may write: pages, revisions of them, import records."""
    pages = GuidelineDocumentPage.objects.all()
    revisions = sum(page.revisions.count() for page in pages)
    return pages.count(), revisions, ImportRecord.objects.count()
