"""Benchmark: intake of a generated file (issue 3), against raw executemany of the same rows.

    .venv/bin/python bench/bench_cases_intake.py [--rows 1000000] [--postgres postgres://postgres@127.0.0.1:5432/postgres]

For each database the script creates a scratch database, migrates it, loads the organisation, copies it for the
baseline, runs the real intake service (`cases_import`, as `manage.py import_cases` does, DEBUG off) and reports
rows/s and the peak memory of the importing process and of its checking process. In the same run it inserts the
same rows with one raw `executemany` in one transaction into an equivalent table — `cases_case` itself, with
its indexes and foreign keys, in the copy; on SQLite through a plain `sqlite3` connection with the intake
connection's pragmas — and into a bare table without indexes, and prints the ratios and the load average
before and after. It also reports the CPU the intake used per row (the importing and the checking process) beside
the CPU per row that all cores together could spend at the target ratio. On SQLite it writes the intake's own rows
again from ready tuples (the "three-table floor"), and with ``--limits`` also: that floor for other register-table
shapes and batch sizes, and whether a writer thread overlaps inserts with Python work (docs/cases-benchmarks.md,
"What limits the SQLite intake"). Figures go to docs/cases-benchmarks.md. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from scratch_databases import database_name, postgres_scratch_database, sqlite_scratch_database  # bench/ is on sys.path

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


def _raw_rows(path: Path, ids: dict[str, int]) -> list[tuple[object, ...]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for i, row in enumerate(csv.DictReader(handle), start=1):
            principal = int(row["principal"])
            rows.append(
                (
                    i, ids["branch"], f"115年健保執專字第{i:08d}號", ids["agency"], row["agency_reference"],
                    ids["category"], "person", row["obligor_id"], row["obligor_name"], principal,
                    int(row["fee"] or 0), 0, principal, row["transferred_on"], "2026-11-29", "assigned", "2026-11-29",
                    "2027-01-12", ids["subdivision"], None, "2026-11-29 02:00:00.000000",
                )
            )  # fmt: skip
    return rows


def _copy_database(backend: str, url: str, admin_url: str, name: str = "raw") -> str:
    """A copy of the freshly set-up database (schema with foreign keys, reference rows) for a raw baseline."""
    if backend == "sqlite":
        source = Path(url.removeprefix("sqlite:///"))
        with sqlite3.connect(source) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        target = WORK / f"intake-{name}.sqlite3"
        sqlite_scratch_database(target)
        shutil.copyfile(source, target)
        return str(target)
    import psycopg

    raw, source = database_name("bench_cases_raw"), database_name("bench_cases")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{raw}"')
        conn.execute(f'CREATE DATABASE "{raw}" TEMPLATE "{source}"')
    return url.rpartition("/")[0] + f"/{raw}"


FLOOR_TABLES = ("cases_case", "cases_receiptentry", "cases_assignmententry")
# Register-table shapes the floor is measured for with --limits: the present one, and each register table keyed by
# (branch_code, sequence) WITHOUT ROWID (no rowid, no AUTOINCREMENT: one b-tree fewer), its content STORED or VIRTUAL.
FLOOR_SHAPES = ("present", "without_rowid", "without_rowid_virtual")


def _sqlite_connect(path: Path | str, pragmas: dict[str, object], **options: Any) -> sqlite3.Connection:
    """A plain ``sqlite3`` connection with the given pragmas (the intake connection's, for the baselines)."""
    connection = sqlite3.connect(path, **options)
    for name, value in pragmas.items():
        connection.execute(f"PRAGMA {name} = {value}")
    return connection


def _register_tables() -> dict[str, str]:
    """Each register entry table and the name of its unique (branch_code, sequence) constraint, from the models."""
    from civicdesk.cases.registers import MODELS

    return {model._meta.db_table: model._meta.constraints[0].name for model in MODELS.values()}


def _reshape_registers(write: sqlite3.Connection, shape: str) -> None:
    """Recreate the (empty) register tables of a scratch copy in another shape, with the same secondary indexes."""
    if shape not in FLOOR_SHAPES:
        raise ValueError(f"unknown register shape {shape!r}: one of {', '.join(FLOOR_SHAPES)}")
    if shape == "present":
        return
    for table, constraint in _register_tables().items():
        (sql,) = write.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()
        indexes = [
            row[0]
            for row in write.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type = 'index' AND sql IS NOT NULL", [table]
            )
        ]
        sql = sql.replace('"id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, ', "").replace(
            f'CONSTRAINT "{constraint}" UNIQUE ("branch_code", "sequence"))',
            'PRIMARY KEY ("branch_code", "sequence")) WITHOUT ROWID',
        )
        if shape == "without_rowid_virtual":
            sql = sql.replace(") STORED,", ") VIRTUAL,")
        if "WITHOUT ROWID" not in sql:
            raise RuntimeError(f"{table}: the schema is not the one this reshaping expects")
        write.execute(f"DROP TABLE {table}")
        write.execute(sql)
        for index in indexes:
            write.execute(index)


def _three_table_floor(
    source: Path, target: Path, pragmas: dict[str, object], *, shape: str = "present", batch: int = 0
) -> float:
    """Seconds to write the rows the intake wrote to its three tables, from ready tuples, in its batches.

    What no intake design with these tables can beat on one connection: the same rows (generated columns
    left to the database), plain `executemany` per table, one transaction per batch of cases as the intake
    (``batch``: the intake's own unless given). ``shape`` writes the register rows into tables of another shape
    (:data:`FLOOR_SHAPES`), without their ``id``. Reading them back from the intake's database is not timed.
    """
    from civicdesk.cases.importing import DEFAULT_BATCH

    batch = batch or DEFAULT_BATCH
    read = sqlite3.connect(source)
    write = _sqlite_connect(target, pragmas, isolation_level=None)
    _reshape_registers(write, shape)
    columns = {t: [r[1] for r in read.execute(f"PRAGMA table_info({t})")] for t in FLOOR_TABLES}
    if shape != "present":
        for table in _register_tables():
            columns[table].remove("id")
    inserts = {t: f"INSERT INTO {t} ({', '.join(c)}) VALUES ({', '.join('?' * len(c))})" for t, c in columns.items()}
    run_column = columns["cases_case"].index("import_run_id")  # the copy has no ImportRun: no link to it
    (last_case,) = read.execute("SELECT MAX(id) FROM cases_case").fetchone()
    seconds = 0.0
    for low in range(0, last_case, batch):
        rows: dict[str, list[tuple[object, ...]]] = {
            t: read.execute(
                f"SELECT {', '.join(columns[t])} FROM {t} WHERE {'id' if t == 'cases_case' else 'case_id'} "
                f"BETWEEN ? AND ? ORDER BY {'id' if t == 'cases_case' else 'sequence'}",
                [low + 1, low + batch],
            ).fetchall()
            for t in FLOOR_TABLES
        }
        rows["cases_case"] = [(*r[:run_column], None, *r[run_column + 1 :]) for r in rows["cases_case"]]
        started = time.perf_counter()
        write.execute("BEGIN IMMEDIATE")
        for table, table_rows in rows.items():
            write.executemany(inserts[table], table_rows)
        write.execute("COMMIT")
        seconds += time.perf_counter() - started
    read.close()
    write.close()
    return seconds


def _thread_overlap(source: Path, target: Path, pragmas: dict[str, object], rows: int = 300_000) -> dict[str, float]:
    """Whether a second thread can write while this one computes: Python's ``sqlite3`` releases the GIL inside each
    row's ``sqlite3_step`` but needs it back for the next row's parameters, so a writer thread beside busy Python
    may wait for the GIL at every row. Times the intake's receipt rows inserted alone, a fixed Python loop alone,
    and both at once in two threads; ``overlap`` is the share of the shorter one hidden (1: fully, 0: none)."""
    read = sqlite3.connect(source)
    columns = [r[1] for r in read.execute("PRAGMA table_info(cases_receiptentry)") if r[1] != "content"]
    data = read.execute(f"SELECT {', '.join(columns)} FROM cases_receiptentry ORDER BY id LIMIT ?", [rows]).fetchall()
    read.close()
    insert = f"INSERT INTO scratch_entries VALUES ({', '.join('?' * len(columns))})"

    def connect() -> sqlite3.Connection:
        sqlite_scratch_database(target)
        write = _sqlite_connect(target, pragmas, isolation_level=None, check_same_thread=False)
        write.execute(f"CREATE TABLE scratch_entries ({', '.join(columns)})")
        write.execute("CREATE UNIQUE INDEX scratch_sequence ON scratch_entries (branch_code, sequence)")
        write.execute("CREATE INDEX scratch_case ON scratch_entries (case_id, day)")
        return write

    def insert_all(write: sqlite3.Connection) -> None:
        for low in range(0, len(data), 20_000):
            write.execute("BEGIN IMMEDIATE")
            write.executemany(insert, data[low : low + 20_000])
            write.execute("COMMIT")
        write.close()

    def python_work() -> None:  # string building and dict look-ups, as the importer's own loop
        seen: dict[str, int] = {}
        for i in range(len(data) * 4):
            seen[f"{i % 1000}-{i}"[:4]] = i

    def timed(step: threading.Thread | None = None) -> float:
        started = time.perf_counter()
        if step is not None:
            step.start()
        python_work()
        if step is not None:
            step.join()
        return time.perf_counter() - started

    write = connect()
    started = time.perf_counter()
    insert_all(write)
    inserting = time.perf_counter() - started
    computing = timed()
    both = timed(threading.Thread(target=insert_all, args=(connect(),)))
    hidden = inserting + computing - both
    return {
        "insert_seconds": round(inserting, 2),
        "python_seconds": round(computing, 2),
        "both_in_two_threads_seconds": round(both, 2),
        "overlap": round(max(hidden, 0.0) / min(inserting, computing), 2),
    }


TARGET_RATIO = 0.5  # issue 3: intake at least half as fast as the raw insert into an equivalent table
# --limits: the floor for these (shape, rows per transaction) besides the intake's own.
LIMIT_FLOORS = (("present", 100_000), ("without_rowid", 20_000), ("without_rowid_virtual", 20_000),
                ("without_rowid_virtual", 100_000))  # fmt: skip


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def child(backend: str, url: str, path: Path, admin_url: str, *, limits: bool = False) -> None:  # noqa: PLR0915 -- one measured run
    """Run in a fresh process so the settings read this DATABASE_URL and the peak memory is the intake's."""
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"  # as in production: no debug cursor recording every query
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from civicdesk.cases.importing import _CASE_COLUMNS, SQLITE_IMPORT_PRAGMAS, cases_import
    from civicdesk.cases.models import ClaimCategory, TransferringAgency
    from civicdesk.organization.models import Branch, Unit
    from civicdesk.organization.services import organization_load

    call_command("migrate", verbosity=0)
    organization_load()
    branch = Branch.objects.get(code="TCH")
    ids = {
        "branch": branch.pk,
        "agency": TransferringAgency.objects.get(code="NHIA").pk,
        "category": ClaimCategory.objects.get(code="health_premium").pk,
        "subdivision": Unit.objects.filter(branch=branch, kind=Unit.Kind.SUBDIVISION).order_by("code")[0].pk,
    }
    connection.close()
    raw_target = _copy_database(backend, url, admin_url)
    floor_targets = {}
    if backend == "sqlite":
        floor_targets[("present", 0)] = _copy_database(backend, url, admin_url, "floor")
        if limits:
            for shape, batch in LIMIT_FLOORS:
                floor_targets[(shape, batch)] = _copy_database(backend, url, admin_url, f"floor-{shape}-{batch}")
    load_before = os.getloadavg()
    cpu_before = _cpu_seconds(resource.RUSAGE_SELF)
    started = time.perf_counter()
    summary = cases_import(path=path, branch=branch, actor="bench")
    seconds = time.perf_counter() - started
    importer_cpu = _cpu_seconds(resource.RUSAGE_SELF) - cpu_before
    checker_cpu = _cpu_seconds(resource.RUSAGE_CHILDREN)  # the checking process (no other child has ended yet)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    checker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    connection.close()
    rows = _raw_rows(path, ids)
    count = len(rows)
    columns = len(_CASE_COLUMNS)
    names = ", ".join(_CASE_COLUMNS)
    result: dict[str, object] = {
        "backend": backend,
        "rows": summary.received,
        "intake_seconds": round(seconds, 2),
        "intake_rows_per_s": round(summary.received / seconds),
        "peak_memory_mb": round(peak_mb),
        "checker_peak_memory_mb": round(checker_mb),
        "importer_cpu_us_per_row": round(importer_cpu / summary.received * 1e6, 1),
        "checker_cpu_us_per_row": round(checker_cpu / summary.received * 1e6, 1),
    }
    # Raw baselines in the same run, from ready tuples in one transaction: the equivalent table is the real
    # cases_case (same indexes and foreign keys) of a copy of the database as it was before the intake; the
    # bare table has no index. SQLite: the same connection pragmas as the intake's connection.
    if backend == "sqlite":
        pragmas = {"journal_mode": "WAL", "synchronous": "NORMAL", "foreign_keys": "ON", **SQLITE_IMPORT_PRAGMAS}
        raw = _sqlite_connect(raw_target, pragmas)
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
        del rows
        source = Path(url.removeprefix("sqlite:///"))
        floor = _three_table_floor(source, Path(floor_targets.pop(("present", 0))), pragmas)
        result["raw_three_tables_rows_per_s"] = round(summary.received / floor)
        result["ceiling_ratio_to_raw_equivalent"] = round((summary.received / floor) / (count / equivalent), 3)
        # Other register shapes and batch sizes (--limits): the floor each would give, as a ratio to the raw insert.
        floor_ratios = {}
        for (shape, batch), target in floor_targets.items():
            shape_floor = _three_table_floor(source, Path(target), pragmas, shape=shape, batch=batch)
            floor_ratios[f"{shape}, batches of {batch}"] = round(
                (summary.received / shape_floor) / (count / equivalent), 3
            )
            sqlite_scratch_database(Path(target))  # ~1 GB each at 1,000,000 rows: not kept
        if floor_ratios:
            result["floor_ratios"] = floor_ratios
        # At the target ratio a row may take 1 / (0.5 x raw rows/s) seconds, and every core together has that much
        # CPU. On SQLite the database works inside the importing process, so the two processes' CPU is all of it
        # (on PostgreSQL the server's is not counted).
        result["cpu_us_per_row_allowed_at_target"] = round(
            (os.cpu_count() or 1) / (TARGET_RATIO * count / equivalent) * 1e6, 1
        )
        if limits:
            result["writer_thread"] = _thread_overlap(source, WORK / "intake-thread.sqlite3", pragmas)
            sqlite_scratch_database(WORK / "intake-thread.sqlite3")
    else:
        import psycopg

        marks = ", ".join(["%s"] * columns)
        timings = []
        with psycopg.connect(raw_target) as raw:
            raw.execute("CREATE TABLE raw_bare (LIKE cases_case INCLUDING DEFAULTS)")
            raw.commit()
            for table in ("cases_case", "raw_bare"):
                started = time.perf_counter()
                # One transaction, as the sqlite3 baseline (autocommit would commit, and flush, every row).
                with raw.transaction(), raw.cursor() as cursor:
                    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
                timings.append(time.perf_counter() - started)
        equivalent, bare = timings
    result["raw_equivalent_rows_per_s"] = round(count / equivalent)
    result["raw_bare_rows_per_s"] = round(count / bare)
    result["ratio_to_raw_equivalent"] = round((summary.received / seconds) / (count / equivalent), 3)
    result["ratio_to_raw_bare"] = round((summary.received / seconds) / (count / bare), 3)
    result["load_average"] = [round(x, 2) for x in (*load_before, *os.getloadavg())]
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--postgres",
        default="",
        help="an admin URL; a scratch database bench_cases is created (prefixed with $CIVICDESK_BENCH_DB_PREFIX)",
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument(
        "--limits",
        action="store_true",
        help="SQLite: also the floor for other register shapes and batch sizes, and a writer thread's overlap",
    )
    parser.add_argument("--child", nargs=4, metavar=("BACKEND", "URL", "FILE", "ADMIN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], Path(args.child[2]), args.child[3], limits=args.limits)
        return
    path = generate(args.rows)
    runs = []
    if not args.skip_sqlite:
        runs.append(("sqlite", sqlite_scratch_database(WORK / "intake.sqlite3")))
    if args.postgres:
        runs.append(("postgresql", postgres_scratch_database(args.postgres, database_name("bench_cases"))))
    print(f"machine: {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M %Z')}")
    for backend, url in runs:
        command = [sys.executable, __file__, "--child", backend, url, str(path), args.postgres or "-"]
        command += ["--limits"] if args.limits else []
        subprocess.run(command, check=True, cwd=ROOT)  # noqa: S603 -- this script, with its own arguments


if __name__ == "__main__":
    main()
