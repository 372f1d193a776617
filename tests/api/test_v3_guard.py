"""``alma_cms.api.v3`` on a Wagtail without API v3, and who imports it.

Runs on every supported Wagtail: on 7.x the import works, mounts nothing and the system check
alma_cms.E008 says why (no traceback); on 8 the same situation is simulated.
"""

import importlib
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import wagtail
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

import alma_cms.api

REPO = Path(__file__).resolve().parents[2]


def _forget_v3(monkeypatch):
    """Let ``alma_cms.api.v3`` be imported afresh; monkeypatch restores the original."""
    # Imported first, so that there is an original to restore (not the fresh import's).
    importlib.import_module("alma_cms.api.v3")
    for name in list(sys.modules):
        if name == "alma_cms.api.v3" or name.startswith("alma_cms.api.v3."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.delattr(alma_cms.api, "v3", raising=False)


UNGUARDED_URLCONF = "tests.api.urls_v3_unguarded"


def _check_with(urlconf):
    """The errors of the E008 check with ``urlconf`` as ROOT_URLCONF, imported afresh (so it
    mounts the ``alma_cms.api.v3`` now in ``sys.modules``) and forgotten afterwards."""
    from alma_cms.checks import check_api_v3_available

    sys.modules.pop(urlconf, None)
    try:
        with override_settings(ROOT_URLCONF=urlconf):  # clears the URL caches on entry and exit
            return check_api_v3_available()
    finally:
        sys.modules.pop(urlconf, None)


def _assert_unavailable(module, reason_pattern):
    """``module`` (``alma_cms.api.v3``, imported) where API v3 cannot run: the import worked,
    ``api.urls`` mounts nothing, the rest raises the reason, and the system check says it when
    the URLconf mounts it, and only then."""
    assert re.search(reason_pattern, module.UNAVAILABLE)
    patterns, app_name, namespace = module.api.urls
    assert patterns == [] and namespace == module.UNAVAILABLE_NAMESPACE
    with pytest.raises(ImproperlyConfigured, match=reason_pattern):
        module.install  # noqa: B018
    with pytest.raises(ImproperlyConfigured, match=reason_pattern):
        module.api.get_openapi_schema  # noqa: B018
    assert not hasattr(module.api, "__deepcopy__")  # probes get AttributeError, not the error
    [error] = _check_with(UNGUARDED_URLCONF)
    assert error.id == "alma_cms.E008" and error.msg == module.UNAVAILABLE
    assert "docs/examples/urls.py" in error.hint
    # Imported but not mounted (the test site's URLconf guards it, as docs/examples/urls.py).
    assert _check_with("tests.testapp.urls") == []


@pytest.mark.skipif(wagtail.VERSION[0] >= 8, reason="Wagtail 8 has API v3")
def test_importing_v3_on_wagtail_7_is_reported_by_a_check():
    _assert_unavailable(
        importlib.import_module("alma_cms.api.v3"), r"needs Wagtail 8 or later.*runs Wagtail 7"
    )


def test_v3_without_wagtail_api_v3_is_reported_by_a_check(monkeypatch):
    _forget_v3(monkeypatch)
    monkeypatch.setattr(wagtail, "VERSION", (7, 4, 2, "final", 1))
    _assert_unavailable(
        importlib.import_module("alma_cms.api.v3"),
        r"needs Wagtail 8 or later.*runs Wagtail 7\.4\.2\. Serve",
    )


def test_v3_without_django_ninja_is_reported_by_a_check(monkeypatch):
    if wagtail.VERSION[0] < 8:
        pytest.skip("Wagtail 7 fails earlier")
    _forget_v3(monkeypatch)
    monkeypatch.setitem(sys.modules, "ninja", None)  # find_spec("ninja") is now None
    _assert_unavailable(importlib.import_module("alma_cms.api.v3"), "needs django-ninja")


@pytest.mark.skipif(wagtail.VERSION[0] < 8, reason="API v3 runs on Wagtail 8")
def test_the_check_is_quiet_where_v3_runs():
    assert importlib.import_module("alma_cms.api.v3").UNAVAILABLE is None
    assert _check_with(UNGUARDED_URLCONF) == []


def test_manage_py_check_names_the_problem_without_a_traceback():
    """A site that mounts API v3 unguarded, on a Wagtail without it (Wagtail 7.4 in its CI line;
    simulated on Wagtail 8): ``manage.py check`` exits 1 with alma_cms.E008 and no traceback."""
    script = textwrap.dedent(
        """
        import os, sys
        import wagtail
        if wagtail.VERSION[0] >= 8:
            wagtail.VERSION = (7, 4, 2, "final", 1)  # simulate a Wagtail without API v3
        os.environ["DJANGO_SETTINGS_MODULE"] = "tests.testapp.settings"
        import django
        from django.conf import settings
        django.setup()
        settings.ROOT_URLCONF = "tests.api.urls_v3_unguarded"
        from django.core.management import execute_from_command_line
        execute_from_command_line(["manage.py", "check"])
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "alma_cms.E008" in output and "needs Wagtail 8 or later" in output, output[-3000:]
    assert "Traceback" not in output, output[-3000:]


def test_nothing_else_in_alma_cms_imports_v3():
    """Import every other alma_cms module (and load Django with the test settings): API v3 must
    stay unimported, so Wagtail 7 sites can use the rest."""
    script = textwrap.dedent(
        """
        import importlib, os, pkgutil, sys
        os.environ["DJANGO_SETTINGS_MODULE"] = "tests.testapp.settings"
        import django
        django.setup()
        import alma_cms
        names = []

        def walk(package):
            # Not pkgutil.walk_packages: it imports every package it walks into.
            for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
                if info.name == "alma_cms.api.v3" or info.name.endswith(".migrations"):
                    continue
                module = importlib.import_module(info.name)
                names.append(info.name)
                if info.ispkg:
                    walk(module)

        walk(alma_cms)
        assert "alma_cms.api.schemas" in names and "alma_cms.api.guidelines" in names, names
        loaded = sorted(n for n in sys.modules if n.startswith("alma_cms.api.v3"))
        print("LOADED", loaded)
        sys.exit(1 if loaded else 0)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
