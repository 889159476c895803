"""Benchmark: full and incremental reconciliation (issue 3), against a hand-written anti-join.

    .venv/bin/python bench/bench_cases_reconcile.py [--rows 5000000] [--postgres postgres://postgres@127.0.0.1:5432/postgres]

Fills a template database with N cases, N receipt-register and N assignment-register entries (through the real
register writer in blocks of 5,000, so the hash chains are genuine; the secondary indexes are dropped during the
fill and built once afterwards) unless a complete one of that size exists (var/bench/reconcile-template-N.sqlite3,
PostgreSQL bench_reconcile_template_N; ``--refill`` rebuilds it; a complete one is first migrated to the current
schema if it is behind), copies it to the scratch database (a run adds
cases; PostgreSQL names are prefixed with $CIVICDESK_BENCH_DB_PREFIX), then times in the same run:
- a full `reconcile_run(full=True)` (every check, including both registers' whole hash chains), as it runs by
  default: each register's chain, the register kinds and the duplicate numbers on their own connections, each in
  its own thread, while the first connection runs the time-based checks,
- the same on one connection (`parallel=False`), and the chain check alone,
- the set-based checks alone (the run on one connection without the chain check),
- a hand-written anti-join in both directions (assigned without receipt, received without assignment),
- an incremental run after 10,000 new cases.
Figures go to docs/benchmarks.md. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from scratch_databases import database_name, postgres_scratch_database, sqlite_scratch_database  # bench/ is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "var" / "bench"
BATCH = 5_000  # entries per register block: the intake's batch
TABLES = ("cases_case", "cases_receiptentry", "cases_assignmententry")
FILLED = "bench_reconcile_filled"  # created when a template's fill is complete (with its duration)


def _drop_indexes() -> list[str]:
    """Drop the secondary indexes of the three big tables; returns the statements that recreate them."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN (%s, %s, %s)",
                list(TABLES),
            )
            found = cursor.fetchall()
        else:  # indexes that do not back a constraint
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename IN (%s, %s, %s) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                list(TABLES),
            )
            found = cursor.fetchall()
        for name, _sql in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def _fill(count: int, start_id: int, *, one_day: bool = False) -> None:
    """Cases and both registers' entries through the real register writer (genuine chains, one block per batch)."""
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from civicdesk.cases import registers
    from civicdesk.cases.bulk import bulk_insert
    from civicdesk.cases.importing import _CASE_COLUMNS
    from civicdesk.cases.models import Case, ClaimCategory, TransferringAgency
    from civicdesk.organization.models import Branch, Unit

    branch = Branch.objects.get(code="TCH")
    agency = TransferringAgency.objects.get(code="NHIA").pk
    category = ClaimCategory.objects.get(code="health_premium").pk
    units = list(Unit.objects.filter(branch=branch, kind=Unit.Kind.SUBDIVISION).values_list("id", "code"))
    today = timezone.localdate()
    # Cases are received in order over the last 400 days, as a real register is: a day's cases are contiguous.
    per_day = max(1, count // 400)
    now = timezone.now()
    adapt_date = connection.ops.adapt_datefield_value
    created = connection.ops.adapt_datetimefield_value(now)
    for first in range(start_id, start_id + count, BATCH):
        ids = range(first, min(first + BATCH, start_id + count))
        cases, receipts, assignments = [], [], []
        for case_id in ids:
            day = today if one_day else today - datetime.timedelta(days=400 - (case_id - start_id) // per_day)
            unit_id, code = units[case_id % len(units)]
            number = f"115年健保執專字第{case_id:08d}號"
            stored_day = adapt_date(day)
            cases.append(
                (
                    case_id, branch.pk, number, agency, f"B-{case_id}", category, "person", f"A{case_id % 10**9:09d}",
                    "王小明", 1000, 0, 0, 1000, stored_day, stored_day, "assigned", stored_day,
                    adapt_date(day + datetime.timedelta(days=800)), unit_id, None, created,
                )
            )  # fmt: skip
            receipts.append(registers.NewEntry(day, case_id, number, ("NHIA", f"B-{case_id}")))
            assignments.append(registers.NewEntry(day, case_id, number, ("assign", code, "", "rotation", "")))
        with transaction.atomic():
            bulk_insert(Case._meta.db_table, _CASE_COLUMNS, cases)
            registers.register_append(
                register=registers.RECEIPT, branch_code="TCH", entries=receipts, actor="bench", recorded_at=now
            )
            registers.register_append(
                register=registers.ASSIGNMENT, branch_code="TCH", entries=assignments, actor="bench", recorded_at=now
            )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT MAX(id) FROM cases_case))"
            )


def _analyze() -> None:
    """Statistics, and on PostgreSQL the visibility map (index-only scans), as autovacuum would leave them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _setup(url: str) -> None:
    _django(url)
    _migrate()


def fill_template(url: str, rows: int) -> None:
    """Fill an empty database with ``rows`` cases on both registers; marks it complete at the end."""
    _setup(url)
    from django.db import connection

    from civicdesk.organization.services import organization_load

    organization_load()
    started = time.perf_counter()
    # Filled in bulk without the secondary indexes, which are then built once (as after a data migration).
    recreate = _drop_indexes()
    _fill(rows, 1)
    with connection.cursor() as cursor:
        for statement in recreate:
            cursor.execute(statement)
    _analyze()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {FILLED} (fill_seconds real)")
        cursor.execute(f"INSERT INTO {FILLED} VALUES (%s)", [time.perf_counter() - started])
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(json.dumps({"filled": url, "rows": rows, "fill_seconds": round(time.perf_counter() - started, 1)}))


def migrate_template(url: str) -> None:
    """Bring a filled template to the current schema once, so that each run's copy starts migrated."""
    _django(url)
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        started = time.perf_counter()
        _migrate()
        _analyze()
        print(json.dumps({"migrated": url, "seconds": round(time.perf_counter() - started, 1)}))


def _anti_join() -> tuple[int, int]:
    """The hand-written baseline: assigned without receipt, received without assignment."""
    from django.db import connection

    from civicdesk.cases.models import AssignmentEntry, ReceiptEntry

    a, r = AssignmentEntry._meta.db_table, ReceiptEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {a} a WHERE a.branch_code = 'TCH' "
            f"AND NOT EXISTS (SELECT 1 FROM {r} r WHERE r.case_id = a.case_id)"
        )
        without_receipt = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT COUNT(*) FROM {r} r WHERE r.branch_code = 'TCH' "
            f"AND NOT EXISTS (SELECT 1 FROM {a} a WHERE a.case_id = r.case_id)"
        )
        return without_receipt, cursor.fetchone()[0]


def measure(backend: str, url: str, rows: int) -> None:
    _setup(url)
    from django.db import connection

    from civicdesk.audit.ledger import GENESIS_HASH
    from civicdesk.cases import findings, reconcile
    from civicdesk.organization.models import Branch

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT fill_seconds FROM {FILLED}")
        fill_seconds = cursor.fetchone()[0]
    branch = Branch.objects.get(code="TCH")
    # Warm up (untimed): the tables and indexes every timed step reads, so none of them pays for a cold cache —
    # through the steps themselves, as the chain check reads an index on PostgreSQL and the table on SQLite.
    _anti_join()
    reconcile.reconcile_run(branch=branch, full=True, parallel=True)

    # The full run and the anti-join are each timed twice, interleaved; each ratio uses the better of the two.
    full_runs, anti_join_runs = [], []
    for _attempt in range(2):
        started = time.perf_counter()
        report = reconcile.reconcile_run(branch=branch, full=True, parallel=True)
        full_runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        without_receipt, without_assignment = _anti_join()
        anti_join_runs.append(time.perf_counter() - started)
    full_seconds, anti_join_seconds = min(full_runs), min(anti_join_runs)

    started = time.perf_counter()
    reconcile.reconcile_run(branch=branch, full=True, parallel=False)
    full_one_connection_seconds = time.perf_counter() - started

    started = time.perf_counter()
    chain_findings, _reached = findings.find_broken_chains(branch, None)
    chains_seconds = time.perf_counter() - started

    original = reconcile.find_broken_chain_range
    reconcile.find_broken_chain_range = lambda *_args: ([], (0, GENESIS_HASH))
    started = time.perf_counter()
    reconcile.reconcile_run(branch=branch, full=True, parallel=False)
    set_seconds = time.perf_counter() - started
    reconcile.find_broken_chain_range = original
    reconcile.reconcile_run(branch=branch, full=False)  # restore the watermark to the head of the chains

    _fill(10_000, rows + 1, one_day=True)  # a day's intake
    started = time.perf_counter()
    incremental = reconcile.reconcile_run(branch=branch, full=False)
    incremental_seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "backend": backend,
                "received": rows,
                "assigned": rows,
                "fill_seconds": round(fill_seconds, 1),
                "full_reconcile_seconds": round(full_seconds, 2),
                "full_runs": [round(t, 2) for t in full_runs],
                "anti_join_runs": [round(t, 2) for t in anti_join_runs],
                "full_one_connection_seconds": round(full_one_connection_seconds, 2),
                "chains_alone_seconds": round(chains_seconds, 2),
                "set_checks_seconds": round(set_seconds, 2),
                "anti_join_seconds": round(anti_join_seconds, 2),
                "ratio_full_to_anti_join": round(full_seconds / anti_join_seconds, 2),
                "ratio_full_one_connection_to_anti_join": round(full_one_connection_seconds / anti_join_seconds, 2),
                "ratio_set_checks_to_anti_join": round(set_seconds / anti_join_seconds, 2),
                "incremental_10000_seconds": round(incremental_seconds, 2),
                "findings": sum(report.open_by_kind.values()) + sum(incremental.open_by_kind.values()),
                "broken_chain_findings": len(chain_findings),
                "anti_join_counts": [without_receipt, without_assignment],
            }
        )
    )


def _sqlite_template(rows: int, refill: bool) -> str:
    template = WORK / f"reconcile-template-{rows}.sqlite3"
    if refill or not _sqlite_filled(template):
        _child("fill", sqlite_scratch_database(template), rows)
    else:
        _child("migrate", f"sqlite:///{template}", rows)
    run = WORK / "reconcile.sqlite3"
    url = sqlite_scratch_database(run)
    shutil.copyfile(template, run)
    with run.open("rb+") as copy:
        os.fsync(copy.fileno())  # the copy's write-back must not run during the timed steps
    _drop_from_os_cache([template])
    return url


def _drop_from_os_cache(paths: list[Path]) -> None:
    """Drop a template's pages from the OS cache: the run reads only its copy, and with every benchmark's
    databases on this machine the template's pages would push the copy's out (the timed steps then read disk)."""
    for path in paths:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(descriptor, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(descriptor)


def _sqlite_filled(path: Path) -> bool:
    if not path.exists():
        return False
    with contextlib.closing(sqlite3.connect(path)) as conn:
        found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [FILLED]).fetchone()
    return found is not None


def _postgres_template(admin_url: str, rows: int, refill: bool) -> str:
    import psycopg

    template = database_name(f"bench_reconcile_template_{rows}")
    scratch = database_name("bench_reconcile")
    base = admin_url.rpartition("/")[0]
    filled = False
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone():
            with psycopg.connect(f"{base}/{template}") as existing:
                found = existing.execute("SELECT to_regclass(%s) IS NOT NULL", [FILLED]).fetchone()
                filled = bool(found and found[0])
    if refill or not filled:
        _child("fill", postgres_scratch_database(admin_url, template), rows)
    else:
        _child("migrate", f"{base}/{template}", rows)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        conn.execute(f'CREATE DATABASE "{scratch}" TEMPLATE "{template}" STRATEGY FILE_COPY')  # fsyncs the copy
        found = conn.execute(
            "SELECT current_setting('data_directory') || '/base/' || oid FROM pg_database WHERE datname = %s",
            [template],
        ).fetchone()
    with contextlib.suppress(OSError):  # the server's files are readable only where the bench runs beside it
        folder = Path(found[0]) if found else None
        if folder is not None and folder.is_dir():
            _drop_from_os_cache([path for path in folder.iterdir() if path.is_file()])
    return f"{base}/{scratch}"


def _child(mode: str, url: str, rows: int, backend: str = "") -> None:
    command = [sys.executable, __file__, "--child", mode, backend or "-", url, str(rows)]
    subprocess.run(command, check=True, cwd=ROOT)  # noqa: S603 -- this script, with its own arguments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument(
        "--postgres",
        default="",
        help="an admin URL; a scratch database bench_reconcile is created (prefixed with $CIVICDESK_BENCH_DB_PREFIX)",
    )
    parser.add_argument("--skip-sqlite", action="store_true", help="measure PostgreSQL only")
    parser.add_argument("--refill", action="store_true", help="rebuild the template database even if complete")
    parser.add_argument("--fill-only", action="store_true", help="make sure the template exists; measure nothing")
    parser.add_argument("--child", nargs=4, metavar=("MODE", "BACKEND", "URL", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, backend, url, rows = args.child
        if mode == "fill":
            fill_template(url, int(rows))
        elif mode == "migrate":
            migrate_template(url)
        else:
            measure(backend, url, int(rows))
        return
    print(f"machine: {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    if not args.skip_sqlite:
        url = _sqlite_template(args.rows, args.refill)
        if not args.fill_only:
            _child("measure", url, args.rows, "sqlite")
            _drop_from_os_cache([WORK / "reconcile.sqlite3"])  # measured: leave the OS cache to PostgreSQL's run
    if args.postgres:
        url = _postgres_template(args.postgres, args.rows, args.refill)
        if not args.fill_only:
            _child("measure", url, args.rows, "postgresql")


if __name__ == "__main__":
    main()
