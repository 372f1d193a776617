"""bench/load.py runs end to end on a tiny site: gunicorn serves it, locust drives it.

The tests marked slow share one run: the bench starts its own gunicorn servers and load
generator, on a scratch PostgreSQL database named after this test process (dropped at the end);
1 s a level at 1 and 4 connections, cold and warm, two workers. One to two minutes on 2 cores.
The others check bench/load_settings.py's switch of the representation cache in a subprocess.
"""

import json
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.test_bench_search import _database_exists, _drop_database

REPO_ROOT = Path(__file__).resolve().parent.parent
ENDPOINTS = {"alma_detail", "alma_list", "alma_search", "html_edition", "stock_plain_detail"}


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    # Not imported here: locust patches the standard library for gevent on import.
    for package in ("gunicorn", "locust"):
        if find_spec(package) is None:
            pytest.skip(f"{package} is not installed (the bench extra)")
    name = f"alma_bench_load_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
    env = dict(os.environ, DATABASE_URL=url, PYTHONPATH=str(REPO_ROOT))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    output = tmp_path_factory.mktemp("load") / "load.json"
    command = [
        sys.executable,
        str(REPO_ROOT / "bench" / "load.py"),
        "--site",
        "tiny",
        "--duration",
        "1",
        "--settle",
        # A freshly started worker's first requests can take over a second on a busy
        # machine: a one-second window measured at once could then count no request.
        "1",
        "--connections",
        "1,4",
        "--workers",
        "2",
        "--api-cache",
        "--output",
        str(output),
    ]
    try:
        result = subprocess.run(
            command,
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,  # a hung run fails; about a minute on an idle 2-core machine
        )
    except subprocess.TimeoutExpired:
        _drop_database(url)
        raise
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(output.read_text()), result.stdout, url


@pytest.mark.postgres
@pytest.mark.slow
def test_every_endpoint_and_level_is_measured_cold_and_warm(bench_run):
    output, _table, _url = bench_run
    assert output["options"]["connections"] == [1, 4]
    assert set(output["endpoints"]) == ENDPOINTS
    assert [(run["workers"], run["mode"]) for run in output["runs"]] == [(2, "cold"), (2, "warm")]
    for run in output["runs"]:
        assert run["server_start_seconds"] > 0
        assert set(run["results"]) == ENDPOINTS
        for name, levels in run["results"].items():
            assert [level["connections"] for level in levels] == [1, 4], name
            for level in levels:
                assert level["requests"] > 0, (run["mode"], name, level)
                assert level["requests_per_second"] > 0
                assert 0 < level["p50_ms"] <= level["p99_ms"] <= level["max_ms"]
                assert level["response_bytes"] > 0
                assert set(level["status_codes"]) == {"200"}, (run["mode"], name, level)
    cold, warm = output["runs"]
    assert (cold["api_cache"], warm["api_cache"]) == ("off", "on")
    # Cold: the representation cache answered nothing; warm (--api-cache): the API endpoints
    # were served from it (each worker's local-memory cache was filled by the warm-up pass).
    for name in ENDPOINTS:
        for level in cold["results"][name]:
            assert set(level["representation_cache"]) == {"none"}, (name, level)
    for name in ("alma_detail", "alma_list"):
        assert all(level["representation_cache"].get("hit") for level in warm["results"][name])
    for name in ("html_edition", "stock_plain_detail"):
        assert all(
            set(level["representation_cache"]) == {"none"} for level in warm["results"][name]
        )
    # The warm-up pass requested every URL once per connection (two workers: two each).
    for name, warmup in warm["warmup"].items():
        assert warmup["errors"] == {}, (name, warmup)
        assert warmup["requests"] >= 2 * output["endpoints"][name]["urls"], (name, warmup)


@pytest.mark.postgres
@pytest.mark.slow
def test_no_errors_and_no_timeouts(bench_run):
    output, _table, _url = bench_run
    for run in output["runs"]:
        for name, levels in run["results"].items():
            for level in levels:
                assert level["errors"] == {
                    "non_2xx": 0,
                    "connection": 0,
                    "timeout": 0,
                    "other": 0,
                }, (run["mode"], name, level)
        assert run["server_errors_logged"] == []
    assert output["goal"] == {
        "connections": 4,
        "errors": 0,
        "timeouts": 0,
        "met": True,
        "failing": [],
    }


@pytest.mark.postgres
@pytest.mark.slow
def test_search_finds_pages_and_the_site_is_tiny(bench_run):
    output, _table, _url = bench_run
    assert output["site"]["size"] == "tiny"
    assert output["site"]["by_type"]["alma_cms_pages.forumeditionpage"] == 4
    # The search index was built: the search endpoint finds pages.
    assert output["site"]["search_hits"] > 0
    assert "search=" in output["endpoints"]["alma_search"]["example"]
    assert output["environment"]["gunicorn"] and output["environment"]["locust"]


@pytest.mark.postgres
@pytest.mark.slow
def test_table_and_cleanup(bench_run):
    output, table, url = bench_run
    assert "| connections | alma_detail | alma_list | alma_search |" in table
    assert "At 4 connections: 0 errors, 0 timeouts (goal met)." in table
    assert not _database_exists(url)


# --- The representation cache switch (bench/load_settings.py), no server needed ---------------

SETTINGS_PROBE = """
import json, sys
import alma_cms.conf
if sys.argv[1] == "absent":  # a package older than the representation cache
    alma_cms.conf.DEFAULTS.pop("API_REPRESENTATION_CACHE", None)
import bench.load_settings as s
print(json.dumps({
    "exists": s.API_CACHE_SETTING,
    "api_cache": s.ALMA_CMS.get("API_REPRESENTATION_CACHE"),
}))
"""


def _load_settings(setting, switch):
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), ALMA_BENCH_MEDIA_ROOT="/tmp/unused")
    env.pop("ALMA_BENCH_API_CACHE", None)
    if switch is not None:
        env["ALMA_BENCH_API_CACHE"] = switch
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE, setting],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_api_cache_switch_sets_the_setting_when_the_package_has_it():
    # The package's real setting and defaults (alma_cms.conf), switched on and off.
    assert _load_settings("present", "1") == {
        "exists": True,
        "api_cache": {"ENABLED": True, "CACHE": "default", "TIMEOUT": 3600},
    }
    assert _load_settings("present", "0")["api_cache"] == {
        "ENABLED": False,
        "CACHE": "default",
        "TIMEOUT": 3600,
    }
    # No switch: the package's default stands.
    assert _load_settings("present", None)["api_cache"] is None


def test_api_cache_switch_is_ignored_without_the_setting():
    assert _load_settings("absent", "1") == {"exists": False, "api_cache": None}
