"""Benchmark: intake of a generated file (issue 3), against raw executemany of the same rows.

    .venv/bin/python bench/bench_cases_intake.py [--rows 1000000] [--postgres postgres://postgres@127.0.0.1:5432/postgres]

For each database the script creates a scratch database, migrates it, loads the organisation, runs the real
intake service (`cases_import`, as `manage.py import_cases` does) and reports rows/s and the process's peak
memory. In the same run it inserts the same rows with a raw `executemany` into an equivalent table — the
`cases_case` schema with the same indexes, and a bare table without secondary indexes — and prints the ratios.
Figures go to docs/benchmarks.md. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from scratch_databases import postgres_scratch_database, sqlite_scratch_database  # bench/ is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "var" / "bench"
SUBDIVISIONS = [f"S{i:02d}" for i in range(1, 24)]


def _case_codes() -> dict[str, str]:
    data = json.loads((ROOT / "civicdesk" / "cases" / "data" / "reference.json").read_text(encoding="utf-8"))
    return {item["code"]: item["case_code"] for item in data["categories"]}


def generate(rows: int) -> Path:
    import datetime

    from civicdesk.cases.generator import generate_intake_file

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"intake-{rows}.csv"
    if not path.exists():
        started = time.perf_counter()
        generate_intake_file(
            path=path,
            count=rows,
            anomalies=0,
            seed=104,
            today=datetime.date.today(),  # noqa: DTZ011 -- same day as the child processes
            subdivisions=SUBDIVISIONS,
            case_codes=_case_codes(),
        )
        print(f"generated {rows} rows in {time.perf_counter() - started:.1f} s: {path}")
    return path


def _raw_rows(path: Path) -> list[tuple[object, ...]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle), start=1):
            principal = int(row["principal"])
            rows.append(
                (
                    i, 1, f"115年健保執專字第{i:08d}號", 1, row["agency_reference"], 1, "person", row["obligor_id"],
                    row["obligor_name"], principal, int(row["fee"] or 0), 0, principal, row["transferred_on"],
                    "2026-11-29", "assigned", "2026-11-29", "2027-01-12", 1, None, "2026-11-29 02:00:00.000000",
                )
            )  # fmt: skip
    return rows


def child(backend: str, url: str, path: Path) -> None:  # noqa: PLR0915 -- one measured run, top to bottom
    """Run in a fresh process so the settings read this DATABASE_URL and the peak memory is the intake's."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from civicdesk.cases.importing import _CASE_COLUMNS, cases_import
    from civicdesk.organization.models import Branch
    from civicdesk.organization.services import organization_load

    call_command("migrate", verbosity=0)
    organization_load()
    branch = Branch.objects.get(code="TCH")
    started = time.perf_counter()
    summary = cases_import(path=path, branch=branch, actor="bench")
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = _raw_rows(path)
    columns = len(_CASE_COLUMNS)
    names = ", ".join(_CASE_COLUMNS)
    result: dict[str, object] = {
        "backend": backend,
        "rows": summary.received,
        "intake_seconds": round(seconds, 2),
        "intake_rows_per_s": round(summary.received / seconds),
        "peak_memory_mb": round(peak_mb),
    }
    # Raw baselines in the same run: equivalent table (same schema and indexes) and a bare one.
    if backend == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'cases_case' AND sql IS NOT NULL")
            schema = [r[0] for r in cursor.fetchall()]
        raw_path = WORK / "raw.sqlite3"
        sqlite_scratch_database(raw_path)
        raw = sqlite3.connect(raw_path)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=NORMAL")
        # The same CREATE TABLE and CREATE INDEX statements; foreign keys are not enforced by plain sqlite3.
        for statement in schema:
            raw.execute(statement)
        marks = ", ".join(["?"] * columns)
        started = time.perf_counter()
        with raw:
            raw.executemany(f"INSERT INTO cases_case ({names}) VALUES ({marks})", rows)
        equivalent = time.perf_counter() - started
        raw.execute("CREATE TABLE bare (" + ", ".join(f"c{i}" for i in range(columns)) + ")")
        started = time.perf_counter()
        with raw:
            raw.executemany(f"INSERT INTO bare VALUES ({marks})", rows)
        bare = time.perf_counter() - started
        raw.close()
    else:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE raw_case (LIKE cases_case INCLUDING DEFAULTS INCLUDING INDEXES)")
            cursor.execute("CREATE TABLE raw_bare (LIKE cases_case INCLUDING DEFAULTS)")
        marks = ", ".join(["%s"] * columns)
        timings = []
        for table in ("raw_case", "raw_bare"):
            started = time.perf_counter()
            # One transaction, as the sqlite3 baseline (autocommit would commit, and flush, every row).
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            timings.append(time.perf_counter() - started)
        equivalent, bare = timings
    result["raw_equivalent_rows_per_s"] = round(len(rows) / equivalent)
    result["raw_bare_rows_per_s"] = round(len(rows) / bare)
    result["ratio_to_raw_equivalent"] = round((summary.received / seconds) / (len(rows) / equivalent), 3)
    result["ratio_to_raw_bare"] = round((summary.received / seconds) / (len(rows) / bare), 3)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="", help="an admin URL; a scratch database bench_cases is created")
    parser.add_argument("--child", nargs=3, metavar=("BACKEND", "URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], Path(args.child[2]))
        return
    path = generate(args.rows)
    runs = []
    runs.append(("sqlite", sqlite_scratch_database(WORK / "intake.sqlite3")))
    if args.postgres:
        runs.append(("postgresql", postgres_scratch_database(args.postgres, "bench_cases")))
    print(f"machine: {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    for backend, url in runs:
        command = [sys.executable, __file__, "--child", backend, url, str(path)]
        subprocess.run(command, check=True, cwd=ROOT)  # noqa: S603 -- this script, with its own arguments


if __name__ == "__main__":
    main()
