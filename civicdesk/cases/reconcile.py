"""Reconciliation (勾稽) of the receipt and assignment registers and the case file; findings become warnings.

Each check (civicdesk.cases.findings) is one set-based query, so a full run over millions of entries costs
a few index scans plus one read of both hash chains, the longest on their own connections (ADR 0012). An
incremental run checks what is new since the watermark (plus whatever open warnings concern) and re-runs the
time-based checks (indexed range queries).
"""

from __future__ import annotations

import datetime
import multiprocessing
import os
import queue
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.db import connection, connections, transaction
from django.db.models import Count
from django.utils import timezone

from civicdesk.cases import registers
from civicdesk.cases.bulk import quoted_table
from civicdesk.cases.findings import (
    Finding,
    chain_ranges,
    chain_results,
    find_broken_chain_range,
    find_duplicate_numbers,
    find_not_assigned,
    find_past_time_limit,
    find_register_mismatches,
    register_heads,
)
from civicdesk.cases.models import (
    AssignmentEntry,
    Case,
    CaseWarning,
    ReceiptEntry,
    ReconcileWatermark,
    Severity,
    WarningEvent,
    WarningKind,
)
from civicdesk.organization.models import Branch, Staff, Unit

__all__ = ["Finding", "ReconcileReport", "open_warnings_by_kind", "reconcile_run"]

T = TypeVar("T")
DIGEST_THRESHOLD = 10  # more new high-severity warnings than this in one run: one digest per recipient


@dataclass
class ReconcileReport:
    branch_code: str
    full: bool
    found: Counter[str] = field(default_factory=Counter)
    created: int = 0
    reopened: int = 0
    fixed: int = 0
    open_by_kind: dict[str, int] = field(default_factory=dict)
    notified: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "branch": self.branch_code,
            "full": self.full,
            "open": {kind: self.open_by_kind.get(kind, 0) for kind in WarningKind.values},
            "found_this_run": dict(self.found),
            "created": self.created,
            "reopened": self.reopened,
            "fixed": self.fixed,
            "notified": self.notified,
        }


# --- running and turning findings into warnings ----------------------------------------------------------------


def _staff_of(units: set[int]) -> dict[int, int]:
    holders: dict[int, int] = {}
    for staff_id, unit_id in (
        Staff.objects.filter(unit_id__in=units, is_active=True).order_by("id").values_list("id", "unit_id")
    ):
        holders.setdefault(unit_id, staff_id)
    return holders


def _apply(
    branch: Branch, findings: list[Finding], scope: dict[str, set[str] | None], now: datetime.datetime
) -> tuple[ReconcileReport, list[CaseWarning]]:
    """Create, refresh, reopen or fix warnings. ``scope[kind]`` is the keys checked (None: every key)."""
    report = ReconcileReport(branch.code, full=False)
    by_key = {(f.kind, f.key): f for f in findings}
    report.found = Counter(f.kind for f in by_key.values())
    units = dict(Unit.objects.filter(branch=branch, kind=Unit.Kind.SUBDIVISION).values_list("code", "id"))
    case_units = dict(
        Case.objects.filter(pk__in=[f.case_id for f in by_key.values() if f.case_id and not f.subdivision_code])
        .exclude(subdivision=None)
        .values_list("id", "subdivision_id")
    )
    existing = {
        (w.kind, w.key): w for w in CaseWarning.objects.filter(branch=branch, kind__in=list(scope)).iterator(2000)
    }
    new: list[CaseWarning] = []
    touched: list[CaseWarning] = []
    events: list[WarningEvent] = []
    for key, finding in by_key.items():
        warning = existing.get(key)
        if warning is None:
            unit_id = units.get(finding.subdivision_code) or case_units.get(finding.case_id or 0)
            new.append(
                CaseWarning(
                    branch=branch,
                    kind=finding.kind,
                    key=finding.key,
                    severity=finding.severity,
                    case_id=finding.case_id,
                    subdivision_id=unit_id,
                    message=finding.message[:500],
                    details=finding.details,
                    first_seen_at=now,
                    last_seen_at=now,
                )
            )
            continue
        warning.last_seen_at = now
        warning.message = finding.message[:500]
        if warning.status == CaseWarning.Status.RESOLVED:
            warning.status, warning.resolved_at = CaseWarning.Status.OPEN, None
            events.append(WarningEvent(warning=warning, kind=WarningEvent.Kind.REOPENED, occurred_at=now))
            report.reopened += 1
        touched.append(warning)
    for key, warning in existing.items():
        keys = scope[key[0]]
        in_scope = keys is None or key[1] in keys
        if key in by_key or not in_scope or warning.status == CaseWarning.Status.RESOLVED:
            continue
        warning.status, warning.resolved_at = CaseWarning.Status.RESOLVED, now
        events.append(WarningEvent(warning=warning, kind=WarningEvent.Kind.FIXED, occurred_at=now))
        touched.append(warning)
        report.fixed += 1
    holders = _staff_of({w.subdivision_id for w in new if w.subdivision_id})
    for warning in new:
        warning.staff_id = holders.get(warning.subdivision_id or 0)
    CaseWarning.objects.bulk_create(new, batch_size=2000)
    if any(w.pk is None for w in new):
        kinds = {w.kind for w in new}
        ids = {
            (k, key): pk
            for k, key, pk in CaseWarning.objects.filter(branch=branch, kind__in=kinds).values_list("kind", "key", "id")
        }
        for warning in new:
            warning.pk = ids[(warning.kind, warning.key)]
    events += [WarningEvent(warning=w, kind=WarningEvent.Kind.RAISED, occurred_at=now) for w in new]
    CaseWarning.objects.bulk_update(touched, ["last_seen_at", "message", "status", "resolved_at"], batch_size=2000)
    WarningEvent.objects.bulk_create(events, batch_size=2000)
    report.created = len(new)
    return report, new


def _notify(branch: Branch, warnings: list[CaseWarning]) -> int:
    from civicdesk.notifications.services import notification_enqueue

    high = [w for w in warnings if w.severity == Severity.HIGH]
    if not high:
        return 0
    secretariat = list(
        Staff.objects.filter(branch=branch, unit__kind=Unit.Kind.SECRETARIAT, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    responsible = dict(Staff.objects.filter(pk__in={w.staff_id for w in high if w.staff_id}).values_list("id", "email"))
    sent = 0
    if len(high) > DIGEST_THRESHOLD:
        kinds = Counter(WarningKind(w.kind).label for w in high)
        body = "\n".join(f"{label}: {n}" for label, n in kinds.items())
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        for email in sorted({*secretariat, *(e for e in responsible.values() if e)}):
            notification_enqueue(
                channel="email",
                recipient=email,
                subject=f"Civic Desk: {len(high)} new high-severity case warnings",
                body=body,
                topic="cases.warning",
                branch_code=branch.code,
                dedupe_key=f"cases.warning.digest:{branch.code}:{stamp}:{email}",
            )
            sent += 1
        return sent
    for warning in high:
        recipients = set(secretariat)
        if warning.staff_id and responsible.get(warning.staff_id):
            recipients.add(responsible[warning.staff_id])
        for email in sorted(recipients):
            notification_enqueue(
                channel="email",
                recipient=email,
                subject=f"Civic Desk: {WarningKind(warning.kind).label}",
                body=warning.message,
                topic="cases.warning",
                branch_code=branch.code,
                related=f"cases.warning:{warning.pk}",
                dedupe_key=f"cases.warning:{warning.pk}:{email}",
            )
            sent += 1
    return sent


def _can_check_aside() -> bool:
    """Another connection sees what this one sees only if nothing is uncommitted here (tests wrap each test in a
    transaction) and the database is not a private in-memory one."""
    if connection.in_atomic_block:
        return False
    return not (connection.vendor == "sqlite" and cast(Any, connection).is_in_memory_db())


def _sqlite_worker_processes(count: int) -> ProcessPoolExecutor | None:
    """On SQLite, worker processes instead of threads where they can be had safely; None elsewhere.

    SQLite connections in threads of one process got in each other's way (measured: the register-kinds query 3.6 s
    alone, 5.5–6.8 s beside chain checks in other threads, 3.6–4.1 s beside them in another process; the full run
    8.3 s with threads, 5.5 s with processes, docs/cases-benchmarks.md). A child forked while another thread holds a
    lock, or while a connection is open, could deadlock or share that connection, so processes are used only from a
    single-threaded process (the management command), outside any transaction, never from a daemonic process
    (a Celery prefork worker cannot have children), and all are forked before the run opens its transaction.
    """
    if (
        connection.vendor != "sqlite"
        or not _can_check_aside()
        or threading.active_count() != 1
        or multiprocessing.current_process().daemon
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return None
    connections.close_all()  # the children open their own
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"))
    pool.submit(int).result()  # forks every worker now, before this process opens its transaction
    return pool


class _Checks:
    """Runs checks on worker processes (SQLite, where :func:`_sqlite_worker_processes` allows) or worker threads,
    each with its own connection for the whole run, or here in turn.

    The database works on the connections' queries in parallel: SQLite (WAL) and PostgreSQL serve several readers,
    and ``sqlite3``, psycopg and ``hashlib`` release the GIL while they work. The checks wait in one queue, longest
    first, and the hash chains are cut into many short ranges (:func:`~civicdesk.cases.findings.chain_ranges`), so
    the cores stay busy until the end instead of one idling behind the longest check.
    """

    def __init__(self, parallel: bool, workers: int | None = None) -> None:
        cores = os.cpu_count() or 1
        count = (workers or cores + 1) if parallel and cores > 1 else 0
        self.tasks: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]] | None] = (
            queue.SimpleQueue()
        )
        self.processes = _sqlite_worker_processes(count) if count else None
        self.threads = (
            []
            if self.processes
            else [threading.Thread(target=self._work, name=f"reconcile-{n}", daemon=True) for n in range(count)]
        )
        for thread in self.threads:
            thread.start()

    def start(self, check: Callable[..., T], *args: Any) -> Callable[[], T]:
        """Queue ``check(*args)``; returns the call that waits for its result."""
        if self.processes is not None:
            return self.processes.submit(check, *args).result
        if not self.threads:
            result = check(*args)
            return lambda: result
        future: Future[T] = Future()
        self.tasks.put((future, check, args))
        return future.result

    def _work(self) -> None:
        try:
            while (task := self.tasks.get()) is not None:
                future, check, args = task
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(check(*args))
                    except Exception as error:  # noqa: BLE001 - re-raised by the caller waiting on the result
                        future.set_exception(error)
        finally:
            connections.close_all()  # this thread's connections only

    def close(self) -> None:
        """Cancel what has not started (after an error) and let the threads or processes end."""
        if self.processes is not None:
            self.processes.shutdown(wait=True, cancel_futures=True)  # its manager thread ends: the next run may fork
        while True:
            try:
                task = self.tasks.get_nowait()
            except queue.Empty:
                break
            if task is not None:
                task[0].cancel()
        for _thread in self.threads:
            self.tasks.put(None)


def reconcile_run(
    *, branch: Branch, full: bool = False, today: datetime.date | None = None, parallel: bool | None = None
) -> ReconcileReport:
    """Reconcile one branch (incremental from the watermark unless ``full``) and update its warnings.

    ``parallel`` runs the longest checks (each register's chain; in a full run also the register kinds and the
    duplicate numbers) on their own connections while this one runs the rest — the default where another
    connection sees the same data (:func:`_can_check_aside`); False runs everything on this connection.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    checks = _Checks(_can_check_aside() if parallel is None else parallel)
    try:
        with transaction.atomic():
            watermark, _created = ReconcileWatermark.objects.select_for_update().get_or_create(branch_code=branch.code)
            # The chain checks stop at the heads this transaction sees: the other checks cover what they verified.
            heads = register_heads(branch)
            since = None if full else watermark
            scope: dict[str, set[str] | None] = {WarningKind.NOT_ASSIGNED: None, WarningKind.PAST_TIME_LIMIT: None}
            pending = []
            if full:  # longest first
                pending.append(checks.start(find_register_mismatches, branch))
                pending.append(checks.start(find_duplicate_numbers, branch, None))
                for kind in (
                    WarningKind.ASSIGNED_WITHOUT_RECEIPT,
                    WarningKind.ASSIGNED_TWICE,
                    WarningKind.DAY_TOTALS,
                    WarningKind.DUPLICATE_CASE_NUMBER,
                ):
                    scope[kind] = None
            # After the longer set-based checks in the queue: short ranges of both chains fill the cores to the end.
            chains = [
                (part, checks.start(find_broken_chain_range, branch, part))
                for part in chain_ranges(branch, since, heads)
            ]
            findings = find_not_assigned(branch, today) + find_past_time_limit(branch, today)
            if not full:
                findings += _incremental(branch, watermark, scope)
            for result in pending:
                findings += result()
            chain_findings, reached = chain_results((part, chain()) for part, chain in chains)
            findings += chain_findings
            # An intact chain after a full check fixes earlier breaks; an incremental run cannot tell.
            scope[WarningKind.BROKEN_CHAIN] = None if full else {f.key for f in chain_findings}
            report, new = _apply(branch, findings, scope, now)
            report.full = full
            report.notified = _notify(branch, new)
            watermark.receipt_sequence, watermark.receipt_hash = reached[registers.RECEIPT]
            watermark.assignment_sequence, watermark.assignment_hash = reached[registers.ASSIGNMENT]
            watermark.case_id = (
                Case.objects.filter(branch=branch).order_by("-id").values_list("id", flat=True).first() or 0
            )
            watermark.ran_at = now
            watermark.save()
    finally:
        checks.close()
    report.open_by_kind = open_warnings_by_kind(branch)
    return report


def _incremental(branch: Branch, watermark: ReconcileWatermark, scope: dict[str, set[str] | None]) -> list[Finding]:
    open_keys: dict[str, set[str]] = {}
    for kind, key in (
        CaseWarning.objects.filter(branch=branch)
        .exclude(status=CaseWarning.Status.RESOLVED)
        .values_list("kind", "key")
        .iterator(2000)
    ):
        open_keys.setdefault(kind, set()).add(key)
    # Raw queries: the ORM's per-row work on a day's tens of thousands of entries costs more than the queries.
    a, r, c = (quoted_table(m) for m in (AssignmentEntry, ReceiptEntry, Case))
    sql = "SELECT case_id FROM {table} WHERE branch_code = %s AND sequence > %s"
    assigned_ids = {i for (i,) in _rows(sql.format(table=a), [branch.code, watermark.assignment_sequence])}
    receipt_ids = {i for (i,) in _rows(sql.format(table=r), [branch.code, watermark.receipt_sequence])}
    # The cases whose register kinds may have changed: new on either register, or the subject of an open warning.
    case_ids = sorted(
        assigned_ids
        | receipt_ids
        | {int(k) for k in open_keys.get(WarningKind.ASSIGNED_WITHOUT_RECEIPT, ())}
        | {int(k) for k in open_keys.get(WarningKind.ASSIGNED_TWICE, ())}
    )
    # Day totals change only through these cases (found by the per-case pass); days with an open warning are
    # counted again in full, so a fixed day resolves.
    open_days = {datetime.date.fromisoformat(k) for k in open_keys.get(WarningKind.DAY_TOTALS, ())}
    numbers = {
        number
        for (number,) in _rows(
            f"SELECT case_number FROM {c} WHERE branch_id = %s AND id > %s",  # noqa: S608
            [branch.pk, watermark.case_id],
        )
    }
    numbers |= open_keys.get(WarningKind.DUPLICATE_CASE_NUMBER, set())
    checked = {str(i) for i in case_ids}
    scope[WarningKind.ASSIGNED_WITHOUT_RECEIPT] = checked
    scope[WarningKind.ASSIGNED_TWICE] = checked
    findings = find_register_mismatches(branch, case_ids, open_days) if case_ids or open_days else []
    days_found = {f.key for f in findings if f.kind == WarningKind.DAY_TOTALS}
    scope[WarningKind.DAY_TOTALS] = {d.isoformat() for d in open_days} | days_found
    scope[WarningKind.DUPLICATE_CASE_NUMBER] = numbers
    findings += find_duplicate_numbers(branch, sorted(numbers)) if numbers else []
    return findings


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def open_warnings_by_kind(branch: Branch | None = None) -> dict[str, int]:
    query = CaseWarning.objects.exclude(status=CaseWarning.Status.RESOLVED)
    if branch is not None:
        query = query.filter(branch=branch)
    counts = dict(query.values_list("kind").annotate(n=Count("id")).order_by())
    return {kind: counts.get(kind, 0) for kind in WarningKind.values}
