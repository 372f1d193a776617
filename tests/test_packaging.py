"""Packaging: the wheel ships the app (templates, static files, compiled Russian catalogue) and
nothing else; migrations are complete; the app pins its auto field."""

import ast
import io
import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import override_settings

from alma_cms.apps import AlmaCmsConfig
from alma_cms.pages.apps import AlmaCmsPagesConfig

REPO_ROOT = Path(__file__).resolve().parent.parent
SKIP_IN_COPY = {
    ".git",
    ".venv",
    "build",
    "dist",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "media",
    "static_collected",
    "htmlcov",
    "node_modules",
    "site",
}
OFFLINE_MARKERS = (
    "Could not find a version that satisfies",
    "No matching distribution found",
    "Failed to establish a new connection",
    "Network is unreachable",
    "Temporary failure in name resolution",
)


def _ignore(directory, names):
    ignored = [
        n
        for n in names
        if n in SKIP_IN_COPY
        or n.endswith(".egg-info")
        or n.endswith(".sqlite3")
        or n.startswith(".venv")
    ]
    if Path(directory).name == "sandbox":  # collected static files and uploads
        ignored += [n for n in names if n in {"static", "media"}]
    return ignored


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """Build the wheel from a clean copy of the work tree (so stale build/ output can't leak
    into it), with pip as a user would. Skipped if the build backend can't be fetched."""
    src = tmp_path_factory.mktemp("src") / "alma-cms"
    shutil.copytree(REPO_ROOT, src, ignore=_ignore)
    out = tmp_path_factory.mktemp("wheelhouse")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-w", str(out), "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        if any(marker in output for marker in OFFLINE_MARKERS):
            pytest.skip(f"cannot fetch the build backend (offline?): {output[-300:]}")
        pytest.fail(f"pip wheel failed:\n{output}")
    wheels = list(out.glob("alma_cms-*.whl"))
    assert len(wheels) == 1, wheels
    with zipfile.ZipFile(wheels[0]) as archive:
        names = archive.namelist()
        dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(f"{dist_info}/METADATA").decode()
    return {"names": names, "metadata": Parser().parsestr(metadata), "dist_info": dist_info}


def package_files(subdir):
    """Files under alma_cms/<subdir> in the work tree, as wheel paths."""
    root = REPO_ROOT / "alma_cms"
    return sorted(
        str(p.relative_to(REPO_ROOT)).replace("\\", "/")
        for p in (root / subdir).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    )


def test_wheel_contains_only_the_app(wheel):
    top_level = {name.split("/")[0] for name in wheel["names"]}
    assert top_level == {"alma_cms", wheel["dist_info"]}
    for excluded in ("tests/", "sandbox/", "docs/", "bench/"):
        assert not [n for n in wheel["names"] if n.startswith(excluded)], excluded
    assert not [n for n in wheel["names"] if "__pycache__" in n or n.endswith(".pyc")]


def test_wheel_ships_every_python_module_and_migration(wheel):
    modules = package_files(".")
    python_files = [p for p in modules if p.endswith(".py")]
    assert "alma_cms/migrations/0001_initial.py" in python_files
    assert "alma_cms/pages/migrations/0001_initial.py" in python_files
    assert sorted(set(python_files) - set(wheel["names"])) == []


def test_wheel_ships_templates(wheel):
    templates = package_files("templates")
    assert "alma_cms/templates/alma_cms/blocks/heading.html" in templates
    assert sorted(set(templates) - set(wheel["names"])) == []


def test_wheel_ships_static_files(wheel):
    static = package_files("static")
    assert static, "alma_cms/static is empty"
    assert sorted(set(static) - set(wheel["names"])) == []


def test_wheel_ships_the_russian_catalogue(wheel):
    assert "alma_cms/locale/ru/LC_MESSAGES/django.mo" in wheel["names"]
    assert "alma_cms/locale/ru/LC_MESSAGES/django.po" in wheel["names"]


def test_compiled_catalogue_is_up_to_date():
    """The committed .mo holds every translated message of the .po beside it, as translated
    (polib comes with wagtail-localize)."""
    import polib

    folder = REPO_ROOT / "alma_cms" / "locale" / "ru" / "LC_MESSAGES"
    po = polib.pofile(str(folder / "django.po"))
    mo = {(e.msgctxt, e.msgid): e for e in polib.mofile(str(folder / "django.mo"))}
    translated = [e for e in po.translated_entries() if not e.obsolete]
    assert len(translated) > 10
    stale = []
    for entry in translated:
        compiled = mo.get((entry.msgctxt, entry.msgid))
        if compiled is None:
            stale.append(entry.msgid)
        elif entry.msgid_plural:
            if compiled.msgstr_plural != entry.msgstr_plural:
                stale.append(entry.msgid)
        elif compiled.msgstr != entry.msgstr:
            stale.append(entry.msgid)
    assert stale == [], "run compilemessages"


def _imported_top_level_modules():
    import wagtail

    names = set()
    v3 = REPO_ROOT / "alma_cms" / "api" / "v3"
    for path in (REPO_ROOT / "alma_cms").rglob("*.py"):
        # API v3 needs Wagtail 8, whose own dependencies bring django-ninja and pydantic; on
        # Wagtail 7 the package refuses to import it, so its imports need not be installed.
        if wagtail.VERSION[0] < 8 and v3 in path.parents:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_every_third_party_import_is_a_declared_dependency(wheel):
    from importlib.metadata import packages_distributions

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    required = {
        canonicalize_name(Requirement(r).name)
        for r in wheel["metadata"].get_all("Requires-Dist") or []
        if "extra ==" not in r
    }
    # Optional features import their extra's packages where they are used, guarded (Celery:
    # alma-cms[celery], imported by alma_cms.tasks only when installed; check alma_cms.E010;
    # orjson: alma-cms[fast-json], the API's renderer falls back to DRF's without it).
    feature_extras = {"celery", "elasticsearch", "opensearch", "fast-json"}
    optional = {
        canonicalize_name(Requirement(r).name)
        for r in wheel["metadata"].get_all("Requires-Dist") or []
        if any(f'extra == "{extra}"' in r for extra in feature_extras)
    }
    provided_by = packages_distributions()
    stdlib = set(sys.stdlib_module_names)
    missing = {}
    for module in sorted(_imported_top_level_modules() - stdlib - {"alma_cms"}):
        dists = {canonicalize_name(d) for d in provided_by.get(module, [])}
        if not dists:
            missing[module] = "not installed"
            continue
        # Installed by a declared dependency itself, or by one of its dependencies.
        if not dists & (_closure(required) | optional):
            missing[module] = sorted(dists)
    assert missing == {}


def _closure(names):
    """``names`` and everything they require, as installed here."""
    from importlib.metadata import PackageNotFoundError, distribution

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            continue
        for requirement in requires:
            req = Requirement(requirement)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    return seen


# --- Migrations and app configuration ----------------------------------------------------------


@pytest.mark.django_db
def test_makemigrations_check_is_clean():
    out = io.StringIO()
    call_command(
        "makemigrations",
        "alma_cms",
        "alma_cms_pages",
        "--check",
        "--dry-run",
        stdout=out,
        stderr=out,
    )
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize("config_class", [AlmaCmsConfig, AlmaCmsPagesConfig])
def test_default_auto_field_is_pinned(config_class):
    # Set on the class itself, so a project's DEFAULT_AUTO_FIELD can't change our migrations.
    assert config_class.__dict__["default_auto_field"] == "django.db.models.BigAutoField"
    config = apps.get_app_config(config_class.label)
    with override_settings(DEFAULT_AUTO_FIELD="django.db.models.AutoField"):
        assert config.default_auto_field == "django.db.models.BigAutoField"
        assert config._is_default_auto_field_overridden


def test_models_use_big_auto_primary_keys():
    from alma_cms.models import Organization
    from alma_cms.pages.models import SpeakerPosition

    assert isinstance(Organization._meta.pk, models.BigAutoField)
    assert isinstance(SpeakerPosition._meta.pk, models.BigAutoField)
