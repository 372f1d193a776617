"""bench/translation.py --quick runs end to end and reports real measurements for both sides.

It runs in its own process on a scratch database (SQLite in memory, or a PostgreSQL database
named after its process, dropped at the end). About 15 s."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_quick_run_reports_both_sides():
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "translation.py"), "--quick"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    output = json.loads(result.stdout)
    assert output["environment"]["pages"] == 3
    assert output["environment"]["guidelines_per_page"] == 20
    for side in ("stock", "alma"):
        run = output[side]
        assert run["pages"] == 3
        assert run["seconds"] > 0 and run["pages_per_second"] > 0 and run["queries_per_page"] > 0
    # The point of alma's sync: fewer queries than stock's per-segment ones.
    assert output["alma"]["queries_per_page"] < output["stock"]["queries_per_page"]
