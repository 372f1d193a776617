"""bench/load.py runs end to end on a tiny site: gunicorn serves it, locust drives it.

The bench starts its own gunicorn servers and load generator, on a scratch PostgreSQL
database named after this test process (dropped at the end); 1 s a level at 1 and 4
connections, cold and warm. About a minute on 2 cores.
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

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


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
        "0",
        "--connections",
        "1,4",
        "--workers",
        "2",
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
    warm = output["runs"][1]
    # The warm-up pass requested every URL once per connection (two workers: two each).
    for name, warmup in warm["warmup"].items():
        assert warmup["errors"] == {}, (name, warmup)
        assert warmup["requests"] >= 2 * output["endpoints"][name]["urls"], (name, warmup)


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


def test_search_finds_pages_and_the_site_is_tiny(bench_run):
    output, _table, _url = bench_run
    assert output["site"]["size"] == "tiny"
    assert output["site"]["by_type"]["alma_cms_pages.forumeditionpage"] == 4
    # The search index was built: the search endpoint finds pages.
    assert output["site"]["search_hits"] > 0
    assert "search=" in output["endpoints"]["alma_search"]["example"]
    assert output["environment"]["gunicorn"] and output["environment"]["locust"]


def test_table_and_cleanup(bench_run):
    output, table, url = bench_run
    assert "| connections | alma_detail | alma_list | alma_search |" in table
    assert "At 4 connections: 0 errors, 0 timeouts (goal met)." in table
    assert not _database_exists(url)
