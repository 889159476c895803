"""Benchmark: the public progress query (`POST /api/v1/applications/track`) against a bare Django view.

    .venv/bin/python bench/bench_applications_track.py [--applications 1000000] [--seconds 20]
        [--workers 4] [--clients 8] [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--redis]

For each database (SQLite under var/bench/, and PostgreSQL when --postgres is given) the script makes a
scratch database, migrates it, loads the organisation and catalogue, fills N applications (each with its
submission event), and serves the project with gunicorn (sync workers) plus a bare view (`/bench/bare`,
the same middleware stack, no work). In the same run it measures:

1. closed-loop throughput (requests/s) of the bare view and of the progress query, with the rate limits
   checked and every attempt audited (a TrackingAttempt row per request), and their ratio (target ≥ 0.35);
2. latency of the progress query at a fixed 200 requests/s (open loop): p50, p95, p99 (target p99 < 50 ms).

Queries use real references with the right digits (so the per-IP failure limit never trips), drawn at random
over the whole table. With --redis the rate-limit counters live in Redis (REDIS_URL, default
redis://127.0.0.1:6379/15) as in production; otherwise in each worker's local memory.

Enforcement cases: the case-number look-up is a hook the cases app has not filled yet (docs/applications.md),
so this benchmark does not load the 5,000,000 cases; the cases app's benchmarks load its own tables.
Figures go to docs/benchmarks.md. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "var" / "bench"
SAMPLE = WORK / "applications-track-sample.json"


# --- data -----------------------------------------------------------------------------------------


def prepare(count: int) -> None:
    """Runs in a child process with DATABASE_URL set: migrate, load, fill, write a sample of references."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_applications_settings")
    django.setup()
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from civicdesk.applications.catalogue import catalogue_load
    from civicdesk.applications.models import Application, ApplicationEvent, Channel, ServiceKind, Status
    from civicdesk.core.identifiers import make_national_id
    from civicdesk.core.reference_numbers import reference_generate
    from civicdesk.core.working_calendar import add_working_days
    from civicdesk.organization.models import Branch, Unit
    from civicdesk.organization.services import organization_load

    call_command("migrate", verbosity=0)
    organization_load()
    catalogue_load()
    have = Application.objects.count()
    rng = random.Random(104 + have)
    kinds = list(ServiceKind.objects.filter(trackable_by="application"))
    branch = Branch.objects.get(code="TCH")
    units = {u.code: u for u in Unit.objects.filter(branch=branch)}
    started = time.perf_counter()
    now = timezone.now()
    batch = 5000
    while have < count:
        size = min(batch, count - have)
        applications = []
        for _ in range(size):
            kind = rng.choice(kinds)
            submitted = now - datetime.timedelta(days=rng.randrange(0, 720), minutes=rng.randrange(0, 1440))
            applications.append(
                Application(
                    reference=reference_generate(kind.reference_prefix, rng=rng),
                    kind=kind,
                    branch=branch,
                    unit=units[kind.handling_unit_code],
                    channel=rng.choice([Channel.ONLINE, Channel.ONLINE, Channel.COUNTER]),
                    applicant_name=rng.choice("陳林黃張李王吳劉") + rng.choice("志明怡君家豪淑芬"),
                    id_number=make_national_id(rng),
                    email="bench@example.tw",
                    details={},
                    verification="electronic",
                    status=rng.choice([Status.SUBMITTED, Status.IN_PROGRESS, Status.DECIDED]),
                    submitted_at=submitted,
                    due_date=add_working_days(timezone.localtime(submitted).date(), kind.time_limit_working_days),
                )
            )
        Application.objects.bulk_create(applications, batch_size=batch, ignore_conflicts=True)
        created = {
            a.reference: a.pk
            for a in Application.objects.filter(reference__in=[a.reference for a in applications]).only(
                "id", "reference"
            )
        }
        ApplicationEvent.objects.bulk_create(
            [
                ApplicationEvent(
                    application_id=created[a.reference],
                    at=a.submitted_at,
                    kind=ApplicationEvent.Kind.SUBMITTED,
                    by_citizen=True,
                    to_status=Status.SUBMITTED,
                    citizen_note="已收到申請。",
                )
                for a in applications
                if a.reference in created
            ],
            batch_size=batch,
        )
        have = Application.objects.count()
        if have % 100_000 < batch:
            print(f"  {have:,} applications ({time.perf_counter() - started:.0f} s)", flush=True)
    ids = list(Application.objects.order_by("?").values_list("reference", "id_number")[:20000])
    SAMPLE.write_text(json.dumps([[ref, id_number[-4:]] for ref, id_number in ids]), encoding="utf-8")
    print(f"  {have:,} applications ready ({time.perf_counter() - started:.0f} s to fill)", flush=True)


# --- load -----------------------------------------------------------------------------------------


def _request(port: int, path: str, body: bytes | None) -> float:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json"} if body else {}
    connection.request("POST" if body else "GET", path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return time.perf_counter() - started


def _bodies(seed: int) -> list[bytes]:
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    random.Random(seed).shuffle(sample)
    return [json.dumps({"reference": ref, "id_last4": digits}).encode() for ref, digits in sample]


def _closed_loop(args: tuple[int, str, float, int]) -> int:
    port, target, seconds, seed = args
    bodies = _bodies(seed) if target == "track" else [b""]
    path = "/api/v1/applications/track" if target == "track" else "/bench/bare"
    done = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        _request(port, path, bodies[done % len(bodies)] or None)
        done += 1
    return done


def throughput(port: int, target: str, seconds: float, clients: int) -> float:
    with multiprocessing.Pool(clients) as pool:
        counts = pool.map(_closed_loop, [(port, target, seconds, seed) for seed in range(clients)])
    return sum(counts) / seconds


def _paced(args: tuple[int, float, float, int, int]) -> list[float]:
    port, rate, seconds, seed, clients = args
    bodies = _bodies(seed)
    interval = clients / rate
    start = time.perf_counter() + (seed / rate)
    latencies = []
    for n in range(int(seconds * rate / clients)):
        due = start + n * interval
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        # Latency from the scheduled send time, so a stalled server is not hidden (no coordinated omission).
        _request(port, "/api/v1/applications/track", bodies[n % len(bodies)])
        latencies.append(time.perf_counter() - due)
    return latencies


def latency(port: int, rate: float, seconds: float, clients: int) -> list[float]:
    with multiprocessing.Pool(clients) as pool:
        parts = pool.map(_paced, [(port, rate, seconds, seed, clients) for seed in range(clients)])
    return sorted(x for part in parts for x in part)


# --- driver ---------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(port: int) -> None:
    for _ in range(200):
        try:
            _request(port, "/bench/bare", None)
            return
        except (OSError, RuntimeError):
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def run(label: str, database_url: str, options: argparse.Namespace) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.bench_applications_settings",
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "PYTHONPATH": str(ROOT),
    }
    if database_url.startswith("sqlite") and options.sqlite_conn_max_age:
        env["BENCH_CONN_MAX_AGE"] = str(options.sqlite_conn_max_age)
    if options.redis:
        env["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    else:
        env.pop("REDIS_URL", None)
    print(f"[{label}] preparing {options.applications:,} applications …", flush=True)
    subprocess.run([sys.executable, __file__, "--prepare", str(options.applications)], env=env, check=True)  # noqa: S603
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={options.workers}",
            "--worker-class=sync",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        _wait(port)
        throughput(port, "track", 2, options.clients)  # warm-up: connections, caches
        bare = throughput(port, "bare", options.seconds, options.clients)
        track = throughput(port, "track", options.seconds, options.clients)
        samples = latency(port, 200.0, options.seconds, options.clients)
        p50, p95, p99 = (samples[int(len(samples) * q) - 1] * 1000 for q in (0.50, 0.95, 0.99))
        print(
            f"[{label}] bare view {bare:,.0f} req/s · progress query {track:,.0f} req/s · "
            f"ratio {track / bare:.2f} (target ≥ 0.35)"
        )
        print(
            f"[{label}] at 200 req/s: p50 {p50:.1f} ms · p95 {p95:.1f} ms · p99 {p99:.1f} ms (target < 50 ms) · "
            f"{len(samples)} requests, mean {statistics.fmean(samples) * 1000:.1f} ms"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=max(2, (os.cpu_count() or 1) * 2))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--postgres", default="", help="server URL; a scratch database bench_applications is used")
    parser.add_argument("--redis", action="store_true", help="keep the rate-limit counters in Redis")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument(
        "--sqlite-conn-max-age",
        type=int,
        default=60,
        help="persistent SQLite connections (0 = the project's default, a new connection per request)",
    )
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare is not None:
        prepare(options.prepare)
        return
    WORK.mkdir(parents=True, exist_ok=True)
    print(
        f"machine: {os.cpu_count()} CPUs; gunicorn {options.workers} sync workers; {options.clients} clients; "
        f"SQLite CONN_MAX_AGE {options.sqlite_conn_max_age}; rate-limit cache: {'Redis' if options.redis else 'local'}"
    )
    if not options.postgres_only:
        run("sqlite", f"sqlite:///{WORK / f'applications-{options.applications}.sqlite3'}", options)
    if options.postgres and not options.sqlite_only:
        import psycopg

        base = options.postgres.rsplit("/", 1)[0]
        with psycopg.connect(options.postgres, autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = 'bench_applications'").fetchone()
            if not exists:
                connection.execute("CREATE DATABASE bench_applications")
        run("postgresql", f"{base}/bench_applications", options)


if __name__ == "__main__":
    main()
