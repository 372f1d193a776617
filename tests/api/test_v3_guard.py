"""``alma_cms.api.v3`` on a Wagtail without API v3, and who imports it.

Runs on every supported Wagtail: on 7.x the import must fail with a clear message; on 8 the
same failure is simulated.
"""

import importlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import wagtail
from django.core.exceptions import ImproperlyConfigured

import alma_cms.api

REPO = Path(__file__).resolve().parents[2]


def _forget_v3(monkeypatch):
    """Let ``alma_cms.api.v3`` be imported afresh; monkeypatch restores the original."""
    for name in list(sys.modules):
        if name == "alma_cms.api.v3" or name.startswith("alma_cms.api.v3."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.delattr(alma_cms.api, "v3", raising=False)


@pytest.mark.skipif(wagtail.VERSION[0] >= 8, reason="Wagtail 8 has API v3")
def test_importing_v3_on_wagtail_7_fails_clearly():
    with pytest.raises(ImproperlyConfigured, match=r"needs Wagtail 8 or later.*runs Wagtail 7"):
        importlib.import_module("alma_cms.api.v3")


def test_importing_v3_without_wagtail_api_v3_fails_clearly(monkeypatch):
    _forget_v3(monkeypatch)
    monkeypatch.setattr(wagtail, "VERSION", (7, 4, 2, "final", 1))
    with pytest.raises(
        ImproperlyConfigured, match=r"needs Wagtail 8 or later.*runs Wagtail 7\.4\.2\. Serve"
    ):
        importlib.import_module("alma_cms.api.v3")


def test_importing_v3_without_django_ninja_fails_clearly(monkeypatch):
    if wagtail.VERSION[0] < 8:
        pytest.skip("Wagtail 7 fails earlier")
    _forget_v3(monkeypatch)
    monkeypatch.setitem(sys.modules, "ninja", None)  # find_spec("ninja") is now None
    with pytest.raises(ImproperlyConfigured, match="needs django-ninja"):
        importlib.import_module("alma_cms.api.v3")


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
