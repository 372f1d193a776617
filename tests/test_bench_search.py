"""bench/search.py --quick runs end to end and reports real measurements (not the targets).

The bench starts its own subprocesses, osmem server and scratch PostgreSQL database (named
after this test process, so two pytest-xdist workers don't share one) and drops the database
at the end. About 40 s on 2 cores.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _positive(value):
    return isinstance(value, int | float) and value > 0


def _admin(url):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        dbname="postgres",
        user=parts.username,
        password=parts.password,
        host=parts.hostname,
        port=parts.port,
        autocommit=True,
    )


def _database_exists(url):
    with _admin(url) as conn:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        return conn.execute(query, [urlsplit(url).path.lstrip("/")]).fetchone() is not None


def _drop_database(url):
    """After a bench that failed or hung (it drops its database itself when it ends)."""
    from psycopg import sql

    with _admin(url) as conn:
        name = sql.Identifier(urlsplit(url).path.lstrip("/"))
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


@pytest.fixture(scope="module")
def bench_run():
    pytest.importorskip("modelsearch", reason="the search bench needs Wagtail 8 (modelsearch)")
    pytest.importorskip("osmem_server")
    name = f"alma_bench_search_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
    env = dict(os.environ, DATABASE_URL=url, PYTHONPATH=str(REPO_ROOT))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    try:
        result = subprocess.run(
            [sys.executable, str(REPO_ROOT / "bench" / "search.py"), "--quick"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,  # a hung run fails; ~40 s on an idle 2-core machine
        )
    except subprocess.TimeoutExpired:
        _drop_database(url)
        raise
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout), url


def test_rebuilds_index_every_page_of_n_and_2n(bench_run):
    output, _url = bench_run
    assert output["environment"]["pages"] == [500, 1000]
    # The bulk-built tree passes treebeard's own check.
    assert output["site"]["tree_problems"] == 0
    for kind in ("postgres", "osmem"):
        stock = output["backends"][kind]["rebuild"]["stock"]
        assert stock["command"] == "update_index"
        assert [run["pages"] for run in stock["runs"]] == [500, 1000]
        for run in stock["runs"]:
            # The rebuild really indexed every page: the index finds them all.
            assert run["indexed_quotation_pages"] == run["pages"], (kind, run)
            for key in ("seconds", "pages_per_second", "peak_rss_mb", "rss_before_command_mb"):
                assert _positive(run[key]), (kind, key, run)
        assert _positive(stock["time_ratio_2n_n"]) and _positive(stock["peak_rss_ratio_2n_n"])
        alma = output["backends"][kind]["rebuild"]["alma"]
        if kind == "osmem" and output["alma_parts"]["alma_rebuild"]:
            assert alma["command"] == "alma_search_rebuild"
        if "skipped" in alma:  # the package lacks that part: a reason, no figures
            assert alma["skipped"] and "runs" not in alma
        else:
            assert [run["indexed_quotation_pages"] for run in alma["runs"]] == [500, 1000]
            assert all(_positive(run["pages_per_second"]) for run in alma["runs"])


def test_publish_latency_with_indexing_off_and_on(bench_run):
    output, _url = bench_run
    for kind in ("postgres", "osmem"):
        publish = output["backends"][kind]["publish"]
        assert publish["off"]["mode"] == publish["off_alma_tasks"]["mode"] == "off"
        assert publish["stock"]["mode"] in {"stock_immediate", "alma_outbox"}
        for side in ("off", "off_alma_tasks", "stock"):
            assert publish[side]["n"] == 20
            assert _positive(publish[side]["p50_ms"]) and _positive(publish[side]["p95_ms"])
        assert "p50_overhead_vs_off_percent" in publish["stock"]
        assert "skipped" in publish["alma"] or _positive(publish["alma"]["p50_ms"])


def test_query_latency_in_english_and_russian(bench_run):
    output, _url = bench_run
    for kind in ("postgres", "osmem"):
        queried = output["backends"][kind]["query"]["stock"]
        for language, word in (("en", "library"), ("ru", "библиотека")):
            assert _positive(queried[language]["all_queries"]["p50_ms"])
            assert _positive(queried[language]["all_queries"]["p95_ms"])
            assert queried[language][word]["hits_total"] > 0, (kind, language)
        alma = output["backends"][kind]["query"]["alma"]
        assert "skipped" in alma or _positive(alma["ru"]["all_queries"]["p50_ms"])


def test_summary_and_cleanup(bench_run):
    output, url = bench_run
    assert set(output["summary"]) >= {
        f"{kind} {what} {side}"
        for kind in ("postgres", "osmem")
        for what in ("rebuild", "publish", "query")
        for side in ("stock", "alma")
    }
    # The scratch database is gone.
    assert not _database_exists(url)
