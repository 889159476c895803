"""Benchmark: the public progress query (`POST /api/v1/track`) against a bare Django view.

    apt-get install wrk          # the closed-loop load generator (Debian package)
    .venv/bin/python bench/bench_applications_track.py [--applications 1000000] [--cases 5000000]
        [--seconds 20] [--workers 5] [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--local-cache]

For each database (SQLite under var/bench/, and PostgreSQL when --postgres is given) the script makes (or
reuses, when its sizes match) a database, fills N applications with their public events and M enforcement
cases with a stage-change event each (rows written in bulk: executemany on SQLite, COPY on PostgreSQL, never
through the per-row services), and serves the project with gunicorn — sync workers, as production runs it —
plus `/bench/bare`, a plain Django view behind the same server and the same middleware that does no work.

In the same run it measures:

1. closed-loop throughput with wrk (C, 2 threads, --connections, same Lua script and request bodies for both
   sides), in --rounds alternating rounds: the bare view and the progress query with the rate limits checked
   in Redis (REDIS_URL, default redis://127.0.0.1:6379/15, as in production) and every attempt audited, and
   their ratio (target ≥ 0.35);
2. latency of the progress query at a fixed 200 requests/s offered from separate processes (open loop, a
   Python generator, a new connection per request, latency counted from each request's scheduled send time
   so a stalled server is not hidden): p50, p95, p99 (target p99 < 50 ms).

Queries are real references (or case numbers, --case-share of them) with the right digits, drawn at random
over the whole tables, so every request does the full work and none trips the per-IP failure limit; any
answer other than 200 aborts the run. Figures go to docs/applications.md. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.client
import json
import multiprocessing
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "var" / "bench"
TRACK_PATH = "/api/v1/track"  # the path the public uses, as the issue names it
BARE_PATH = "/bench/bare"
BATCH = 20_000
SAMPLE_SIZE = 20_000


# --- data -----------------------------------------------------------------------------------------


class _Table:
    """Raw bulk insert into one model's table: COPY on PostgreSQL, executemany on SQLite.

    Columns not given take the field's default, so a column added to the model later does not break the fill.
    """

    def __init__(self, model: Any) -> None:
        from django.db import connection

        self.connection = connection
        self.fields = list(model._meta.concrete_fields)
        self.table = model._meta.db_table
        self.defaults = {f.attname: f.get_db_prep_save(f.get_default(), connection) for f in self.fields}

    def value(self, attname: str, value: object) -> object:
        """A Python value adapted for this table's column (use for constants: it is slow per row)."""
        field = next(f for f in self.fields if f.attname == attname)
        return field.get_db_prep_save(value, self.connection)

    def insert(self, rows: Iterable[dict[str, object]]) -> None:
        ops = self.connection.ops
        columns = ", ".join(ops.quote_name(f.column) for f in self.fields)
        tuples = [
            tuple(row[f.attname] if f.attname in row else self.defaults[f.attname] for f in self.fields) for row in rows
        ]
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {ops.quote_name(self.table)} ({columns}) FROM STDIN") as copy:
                    for row in tuples:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {ops.quote_name(self.table)} ({columns}) VALUES ({marks})", tuples)


@contextlib.contextmanager
def _indexes_deferred(models: Sequence[Any]) -> Iterator[None]:
    """Drop the tables' secondary indexes for the fill and build them again after: sorting once beats millions
    of random B-tree inserts. Constraints (primary and unique keys on PostgreSQL) stay."""
    from django.db import connection

    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [tables],
            )
        else:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                f"WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
                tables,
            )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)
        print(f"  {len(indexes)} indexes built ({time.perf_counter() - started:.0f} s)", flush=True)


def _adapters() -> tuple[Any, Any]:
    """Fast per-row adapters for datetimes and dates (what Django's backends do, without the checks)."""
    import datetime

    from django.db import connection

    if connection.vendor == "sqlite":
        return (lambda v: str(v.astimezone(datetime.UTC).replace(tzinfo=None))), functools.lru_cache(maxsize=None)(str)
    return (lambda v: v), (lambda v: v)


def _max_id(model: Any) -> int:
    from django.db.models import Max

    return int(model.objects.aggregate(m=Max("id"))["m"] or 0)


def _fill_applications(count: int, rng: random.Random) -> None:
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from civicdesk.applications.models import Application, ApplicationEvent, Channel, ServiceKind, Status
    from civicdesk.core.identifiers import make_national_id
    from civicdesk.core.reference_numbers import reference_generate
    from civicdesk.core.working_calendar import add_working_days
    from civicdesk.organization.models import Branch, Unit

    have = Application.objects.count()
    if have >= count:
        return
    applications, events = _Table(Application), _Table(ApplicationEvent)
    kinds = list(ServiceKind.objects.filter(trackable_by="application"))
    branch = Branch.objects.get(code="TCH")
    units = {u.code: u.pk for u in Unit.objects.filter(branch=branch)}
    dt, date = _adapters()
    empty_json = applications.value("details", {})
    event_json = events.value("payload", {})
    next_id, next_event = _max_id(Application) + 1, _max_id(ApplicationEvent) + 1
    now = timezone.now()
    started = time.perf_counter()
    seen: set[str] = set()
    statuses = [Status.SUBMITTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.DECIDED, Status.DECIDED]
    while have < count:
        size = min(BATCH, count - have)
        app_rows, event_rows = [], []
        for _ in range(size):
            kind = rng.choice(kinds)
            reference = reference_generate(kind.reference_prefix, rng=rng)
            if reference in seen:
                continue
            seen.add(reference)
            submitted = now - datetime.timedelta(days=rng.randrange(1, 720), minutes=rng.randrange(0, 1440))
            status = rng.choice(statuses)
            decided = status == Status.DECIDED
            decided_at = dt(submitted + datetime.timedelta(days=3)) if decided else None
            due = add_working_days(timezone.localtime(submitted).date(), kind.time_limit_working_days)
            app_rows.append(
                {
                    "id": next_id, "reference": reference, "kind_id": kind.pk, "branch_id": branch.pk,
                    "unit_id": units[kind.handling_unit_code],
                    "channel": rng.choice([Channel.ONLINE, Channel.ONLINE, Channel.COUNTER]),
                    "applicant_name": rng.choice("陳林黃張李王吳劉") + rng.choice(["志明", "怡君", "家豪", "淑芬"]),
                    "id_number": make_national_id(rng), "email": "bench@example.tw", "details": empty_json,
                    "verification": "electronic", "status": status, "submitted_at": dt(submitted),
                    "due_date": date(due), "outcome": "approved" if decided else "", "decided_at": decided_at,
                    "decided_within_limit": True if decided else None,
                }
            )  # fmt: skip
            # The public timeline: submitted, then (when it got that far) assigned and decided.
            steps = [(ApplicationEvent.Kind.SUBMITTED, Status.SUBMITTED, "已收到申請。")]
            if status != Status.SUBMITTED:
                steps.append((ApplicationEvent.Kind.ASSIGNED, Status.ASSIGNED, ""))
            if decided:
                steps.append((ApplicationEvent.Kind.DECIDED, Status.DECIDED, "核准。"))
            for day, (event_kind, to_status, note) in enumerate(steps):
                event_rows.append(
                    {
                        "id": next_event, "application_id": next_id, "at": dt(submitted + datetime.timedelta(days=day)),
                        "kind": event_kind, "by_citizen": day == 0, "to_status": to_status, "citizen_note": note,
                        "payload": event_json, "public": True,
                    }
                )  # fmt: skip
                next_event += 1
            next_id += 1
        with transaction.atomic():
            applications.insert(app_rows)
            events.insert(event_rows)
        have += len(app_rows)
        if have % 200_000 < BATCH:
            print(f"  {have:,} applications ({time.perf_counter() - started:.0f} s)", flush=True)


def _fill_cases(count: int, _rng: random.Random) -> None:
    """Cases generated by the database itself (INSERT … SELECT over a number series): 5,000,000 rows built in
    Python would take most of the run. Each case gets one stage-change event, its public timeline."""
    from django.db import connection, transaction
    from django.utils import timezone

    from civicdesk.cases.models import Case, CaseEvent, ClaimCategory, Stage, TransferringAgency
    from civicdesk.core.case_numbers import EXAMPLE_CATEGORY_CODES
    from civicdesk.organization.models import Branch, Unit

    have = Case.objects.count()
    if have >= count:
        return
    postgres = connection.vendor == "postgresql"
    branch = Branch.objects.get(code="TCH")
    agencies = list(TransferringAgency.objects.values_list("id", flat=True))
    categories = list(ClaimCategory.objects.values_list("id", flat=True))
    units = list(Unit.objects.filter(branch=branch, kind=Unit.Kind.SUBDIVISION).values_list("id", flat=True))
    stages = [Stage.ASSIGNED, Stage.IN_ENFORCEMENT, Stage.IN_ENFORCEMENT, Stage.INSTALMENTS, Stage.PAID, Stage.CLOSED]

    def pick(values: Sequence[object], spread: int) -> str:
        """A SQL CASE choosing one of `values` pseudo-randomly by the row number i."""
        whens = " ".join(f"WHEN {n} THEN {_sql_literal(v)}" for n, v in enumerate(values))
        return f"(CASE (i * {spread}) %% {len(values)} {whens} END)"

    today = timezone.localdate().isoformat()
    if postgres:
        received = f"(DATE '{today}' - (30 + (i * 7919) %% 2970)::int)"
        digits8, year = (
            "lpad(((i * 2654435761) %% 100000000)::text, 8, '0')",
            "(extract(year FROM received)::int - 1911)",
        )
        number = "lpad(i::text, 8, '0')"

        def plus_days(column: str, days: int) -> str:
            return f"({column} + {days})"

        series = "generate_series(%s::bigint, %s::bigint) AS s(i)"
        stamp = "(({day}) + TIME '10:00')::timestamp AT TIME ZONE 'Asia/Taipei'"
    else:
        received = f"date('{today}', '-' || (30 + (i * 7919) %% 2970) || ' days')"
        digits8, year = (
            "printf('%%08d', (i * 2654435761) %% 100000000)",
            "(CAST(strftime('%%Y', received) AS INTEGER) - 1911)",
        )
        number = "printf('%%08d', i)"

        def plus_days(column: str, days: int) -> str:
            return f"date({column}, '{days:+d} days')"

        series = "(WITH RECURSIVE s(i) AS (SELECT %s UNION ALL SELECT i + 1 FROM s WHERE i < %s) SELECT i FROM s) AS s"
        stamp = "datetime({day}, '+10 hours', '-8 hours')"  # 10:00 in Taipei, stored as UTC like Django does
    inner = (
        f"SELECT i, {received} AS received, {pick(stages, 40503)} AS stage, 1000 + (i * 7727) %% 499000 AS principal "
        f"FROM {series}"
    )
    paid = f"(CASE WHEN stage IN ('{Stage.PAID}', '{Stage.CLOSED}') THEN principal ELSE 0 END)"
    case_exprs = {
        "id": "i",
        "branch_id": str(branch.pk),
        "case_number": f"{year} || '年' || {pick(EXAMPLE_CATEGORY_CODES, 1)} || '執專字第' || {number} || '號'",
        "agency_id": pick(agencies, 3),
        "agency_reference": "'B-' || i",
        "category_id": pick(categories, 5),
        "obligor_kind": "'person'",
        "obligor_id": (
            f"substr('ABCDEFGHJKLMNPQRSTUVXYWZIO', CAST(1 + i %% 26 AS INTEGER), 1) || (1 + i %% 2) || {digits8}"
        ),
        "obligor_name": "substr('陳林黃張李王吳劉', CAST(1 + i %% 8 AS INTEGER), 1) || '小明'",
        "principal": "principal",
        "fee": "0",
        "paid": paid,
        "balance": f"principal - {paid}",
        "transferred_on": plus_days("received", -5),
        "received_on": "received",
        "stage": "stage",
        "stage_since": plus_days("received", 20),
        "stage_due_on": "NULL",
        "subdivision_id": pick(units, 11),
        "import_run_id": "NULL",
        "created_at": "CURRENT_TIMESTAMP",
    }
    json_cast = "::jsonb" if postgres else ""
    event_exprs = {
        "case_id": "id",
        "kind": f"'{CaseEvent.Kind.STAGE_CHANGED}'",
        "occurred_at": stamp.format(day=plus_days("received_on", 20)),
        "actor": "'bench'",
        "before": f'\'{{"stage": "{Stage.ASSIGNED}"}}\'{json_cast}',
        "after": f"('{{\"stage\": \"' || stage || '\"}}'){json_cast}",
        "note": "''",
    }
    started = time.perf_counter()
    step = 500_000
    begin = _max_id(Case) + 1
    end = begin + count - have - 1
    for first in range(begin, end + 1, step):
        last = min(first + step - 1, end)
        with transaction.atomic(), connection.cursor() as cursor:
            sql, params = _insert_select(Case, case_exprs, f"({inner}) AS generated")
            cursor.execute(sql, [*params, first, last])
            sql, params = _insert_select(CaseEvent, event_exprs, f"{Case._meta.db_table} WHERE id BETWEEN %s AND %s")
            cursor.execute(sql, [*params, first, last])
        have += last - first + 1
        print(f"  {have:,} cases ({time.perf_counter() - started:.0f} s)", flush=True)


def _sql_literal(value: object) -> str:
    return str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"


def _insert_select(model: Any, exprs: dict[str, str], source: str) -> tuple[str, list[object]]:
    """INSERT INTO the model's table SELECT the given expressions; other columns (id aside) get their default."""
    from django.db import connection

    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.attname in exprs:
            values.append(exprs[field.attname])
        elif field.primary_key:
            continue
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
        columns.append(connection.ops.quote_name(field.column))
    table = connection.ops.quote_name(model._meta.db_table)
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}", params


def _sample_ids(model: Any, size: int, rng: random.Random) -> list[int]:
    top = _max_id(model)
    return rng.sample(range(1, top + 1), min(size, top))


def prepare(applications: int, cases: int, sample_path: Path) -> None:
    """Runs in a child process with DATABASE_URL set: migrate, load, fill, write a sample of request bodies."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_applications_settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from civicdesk.applications.catalogue import catalogue_load
    from civicdesk.applications.models import Application, ApplicationEvent, TrackingAttempt
    from civicdesk.cases.models import Case, CaseEvent
    from civicdesk.organization.services import organization_load

    call_command("migrate", verbosity=0)
    organization_load()
    catalogue_load()
    started = time.perf_counter()
    with connection.cursor() as cursor:  # for the fill only: no syncs, a big page cache, no per-row FK triggers
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size = -500000")
            cursor.execute("PRAGMA synchronous = OFF")
        else:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET session_replication_role = replica")  # the generated rows are consistent
            cursor.execute("SET maintenance_work_mem = '256MB'")
    for fill, models, count, seed in (
        (_fill_applications, (Application, ApplicationEvent), applications, 104),
        (_fill_cases, (Case, CaseEvent), cases, 105),
    ):
        empty = not models[0].objects.exists()
        with _indexes_deferred(models) if empty else contextlib.nullcontext():
            fill(count, random.Random(seed))
    TrackingAttempt.objects.all().delete()  # each run starts with an empty audit table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in (Application, ApplicationEvent, Case, CaseEvent):
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"  {Application.objects.count():,} applications, {Case.objects.count():,} cases ready "
          f"({time.perf_counter() - started:.0f} s to fill)", flush=True)  # fmt: skip
    rng = random.Random(7)
    sample = [
        [reference, id_number[-4:]]
        for reference, id_number in Application.objects.filter(id__in=_sample_ids(Application, SAMPLE_SIZE, rng))
        .order_by()
        .values_list("reference", "id_number")
    ]
    sample += [
        [number, obligor_id[-4:]]
        for number, obligor_id in Case.objects.filter(id__in=_sample_ids(Case, SAMPLE_SIZE, rng))
        .order_by()
        .values_list("case_number", "obligor_id")
    ]
    sample_path.write_text(json.dumps(sample, ensure_ascii=False), encoding="utf-8")


def _bodies(sample_path: Path, case_share: float, seed: int) -> list[bytes]:
    sample = json.loads(sample_path.read_text(encoding="utf-8"))
    references = [pair for pair in sample if "字第" not in pair[0]]
    case_numbers = [pair for pair in sample if "字第" in pair[0]]
    rng = random.Random(seed)
    picked = [rng.choice(case_numbers if rng.random() < case_share else references) for _ in range(SAMPLE_SIZE)]
    return [json.dumps({"reference": ref, "id_last4": digits}).encode() for ref, digits in picked]


# --- load -----------------------------------------------------------------------------------------

_WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = {%(bodies)s}
local started = 0
function setup(thread)
  thread:set("offset", started * 7919)
  started = started + 1
end
function init(args)
  n = offset or 0
end
function request()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[(n %% #bodies) + 1])
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"""


def _wrk(port: int, path: str, script: Path, seconds: float, connections: int) -> float:
    """Closed-loop requests/s of `path`; raises when any answer is not 2xx or a socket error occurs."""
    output = subprocess.run(  # noqa: S603
        [
            shutil.which("wrk") or "wrk", "-t2", f"-c{connections}", f"-d{max(round(seconds), 1)}s", "--timeout", "5s",
            "-s", str(script), f"http://127.0.0.1:{port}{path}",
        ],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not found or not rate:
        raise RuntimeError(f"wrk output not understood:\n{output}")
    requests, status, connect, read, write, timeout = map(int, found.groups())
    # gunicorn's sync workers close every connection after the answer; wrk may count that as a read error.
    if status or connect or write or timeout or read > requests // 100:
        raise RuntimeError(
            f"{path}: errors (status {status}, connect {connect}, read {read}, timeout {timeout})\n{output}"
        )
    return float(rate.group(1))


def _request(port: int, path: str, body: bytes) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")


def _paced(args: tuple[int, str, float, float, int, int, str, float]) -> list[float]:
    port, path, rate, seconds, seed, clients, sample_path, case_share = args
    bodies = _bodies(Path(sample_path), case_share, seed + 1000)
    interval = clients / rate
    start = time.perf_counter() + 0.5 + seed / rate
    latencies = []
    for n in range(int(seconds * rate / clients)):
        due = start + n * interval
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        _request(port, path, bodies[n % len(bodies)])
        latencies.append(time.perf_counter() - due)
    return latencies


def latency(port: int, rate: float, sample: Path, options: argparse.Namespace) -> list[float]:
    """Latencies (s) of the progress query at `rate` requests/s offered by --clients processes, sorted."""
    clients = options.clients
    jobs = [
        (port, TRACK_PATH, rate, options.seconds, seed, clients, str(sample), options.case_share)
        for seed in range(clients)
    ]
    with multiprocessing.Pool(clients) as pool:
        parts = pool.map(_paced, jobs)
    return sorted(x for part in parts for x in part)


# --- driver ---------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(port: int) -> None:
    for _ in range(300):
        try:
            _request(port, BARE_PATH, b"{}")
            return
        except (OSError, RuntimeError):
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def _percentiles(samples: Sequence[float]) -> tuple[float, ...]:
    return tuple(samples[max(int(len(samples) * q) - 1, 0)] * 1000 for q in (0.50, 0.95, 0.99))


def run(label: str, database_url: str, options: argparse.Namespace) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.bench_applications_settings",
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "PYTHONPATH": str(ROOT),
    }
    if options.local_cache:
        env.pop("REDIS_URL", None)
    else:
        env["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    sample = WORK / f"applications-track-{label}-sample.json"
    print(f"[{label}] preparing {options.applications:,} applications and {options.cases:,} cases …", flush=True)
    command = [sys.executable, __file__, "--prepare", str(options.applications), str(options.cases), str(sample)]
    subprocess.run(command, env=env, check=True)  # noqa: S603
    if not options.local_cache:
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()  # no failure counters left from an earlier run
    script = WORK / f"applications-track-{label}.lua"
    bodies = ", ".join(f"[==[{body.decode()}]==]" for body in _bodies(sample, options.case_share, 1))
    script.write_text(_WRK_SCRIPT % {"bodies": bodies}, encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={options.workers}",
            f"--worker-class={options.worker_class}",
            f"--threads={options.threads}",
            "--backlog=2048",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait(port)
        _wrk(port, TRACK_PATH, script, 3, options.connections)  # warm-up: connections, caches, page cache
        _wrk(port, BARE_PATH, script, 3, options.connections)
        # Alternating short rounds, so a change in the machine's other load hits both sides alike.
        slice_seconds = options.seconds / options.rounds
        bare_rates, track_rates = [], []
        for _round in range(options.rounds):
            bare_rates.append(_wrk(port, BARE_PATH, script, slice_seconds, options.connections))
            track_rates.append(_wrk(port, TRACK_PATH, script, slice_seconds, options.connections))
        bare, track = statistics.fmean(bare_rates), statistics.fmean(track_rates)
        rounds = " ".join(f"{t / b:.2f}" for b, t in zip(bare_rates, track_rates, strict=True))
        samples = latency(port, 200.0, sample, options)
        p50, p95, p99 = _percentiles(samples)
        print(
            f"[{label}] bare view {bare:,.0f} req/s · progress query {track:,.0f} req/s · "
            f"ratio {track / bare:.2f} (target ≥ 0.35; per round {rounds})"
        )
        print(
            f"[{label}] at 200 req/s: p50 {p50:.1f} ms · p95 {p95:.1f} ms · p99 {p99:.1f} ms (target < 50 ms) · "
            f"{len(samples)} requests, mean {statistics.fmean(samples) * 1000:.1f} ms"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"[{label}] load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=5_000_000)
    parser.add_argument("--case-share", type=float, default=0.25, help="share of queries by case number")
    parser.add_argument("--seconds", type=float, default=20.0, help="per measurement (split into --rounds)")
    parser.add_argument("--rounds", type=int, default=4, help="alternating bare/query rounds of the throughput")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class (sync, gthread)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--connections", type=int, default=16, help="wrk's concurrent connections")
    parser.add_argument("--clients", type=int, default=8, help="processes offering the fixed 200 req/s")
    parser.add_argument("--postgres", default="", help="server URL; the database bench_applications_<sizes> is used")
    parser.add_argument("--local-cache", action="store_true", help="rate-limit counters in each worker, not Redis")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="rebuild the databases instead of reusing them")
    parser.add_argument("--prepare", nargs=3, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare is not None:
        applications, cases, sample = options.prepare
        prepare(int(applications), int(cases), Path(sample))
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    WORK.mkdir(parents=True, exist_ok=True)
    from scratch_databases import postgres_scratch_database, sqlite_scratch_database  # bench/ is on sys.path

    sizes = f"{options.applications}-{options.cases}"
    print(
        f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"gunicorn {options.workers} {options.worker_class} workers × {options.threads} threads; "
        f"wrk 2 threads × {options.connections} connections; "
        f"{options.clients} latency clients; {options.case_share:.0%} case-number queries; "
        f"rate-limit cache: {'local memory' if options.local_cache else 'Redis'}",
        flush=True,
    )
    if not options.postgres_only:
        path = WORK / f"applications-track-{sizes}.sqlite3"
        url = sqlite_scratch_database(path) if options.fresh else f"sqlite:///{path}"
        run("sqlite", url, options)
    if options.postgres and not options.sqlite_only:
        name = f"bench_applications_{sizes}"
        if options.fresh:
            url = postgres_scratch_database(options.postgres, name)
        else:
            import psycopg

            with psycopg.connect(options.postgres, autocommit=True) as connection:
                if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                    connection.execute(f'CREATE DATABASE "{name}"')
            url = f"{options.postgres.rpartition('/')[0]}/{name}"
        run("postgresql", url, options)


if __name__ == "__main__":
    main()
