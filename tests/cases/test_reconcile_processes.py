"""The full reconciliation from a single-threaded process on an SQLite file runs its checks in worker processes.

The test suite's own database is in memory (invisible to other processes) and its process has threads, so this
runs what `manage.py reconcile --full` runs, in a fresh interpreter, on a database file of its own.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

RUN = """
import json
import django
django.setup()
from civicdesk.cases import reconcile
from civicdesk.organization.models import Branch
made = []
original = reconcile._sqlite_worker_processes
def recording(count):
    made.append(original(count))
    return made[-1]
reconcile._sqlite_worker_processes = recording
branch = Branch.objects.get(code="TCH")
in_processes = reconcile.reconcile_run(branch=branch, full=True)
again = reconcile.reconcile_run(branch=branch, full=True, parallel=False)
print(json.dumps({
    "processes": [pool is not None for pool in made],
    "open": in_processes.open_by_kind,
    "again": [again.created, again.fixed, again.open_by_kind],
}))
"""


def _run(args: list[str], database: Path) -> str:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_ENV": "development"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork")
def test_checks_in_worker_processes_find_what_one_connection_finds(tmp_path: Path) -> None:
    database = tmp_path / "civicdesk.sqlite3"
    _run(["manage.py", "migrate", "--no-input", "-v", "0"], database)
    _run(["manage.py", "load_demo"], database)
    with sqlite3.connect(database) as raw:  # edit one register entry, as in the check
        raw.execute("UPDATE cases_assignmententry SET case_number = case_number || 'X' WHERE id = 4")
    result = json.loads(_run(["-c", RUN], database).strip().splitlines()[-1])
    assert result["processes"] == [True]  # one run forked its workers; the run on one connection asked for none
    assert result["open"]["broken_chain"] == 1
    assert all(count >= 1 for count in result["open"].values())  # the demo's anomaly of each kind
    created, fixed, open_again = result["again"]
    assert (created, fixed, open_again) == (0, 0, result["open"])
