"""The intake pipeline (收案): rows → cases, receipt entries, rotation assignment, assignment entries.

One transaction per batch writes the batch's cases, register entries, rejected rows and the run's progress,
so a crash loses at most the batch in flight and a rerun resumes after the last committed line. Rows already
received (same branch, agency and agency reference) are skipped, so re-importing creates nothing new.
Inserts are raw ``executemany`` calls (docs/adr/0010-case-registers.md).
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from civicdesk.cases import registers
from civicdesk.cases.assignment import RotationPlanner
from civicdesk.cases.bulk import bulk_insert, in_list
from civicdesk.cases.intake import (
    CaseRow,
    FileFormat,
    RawRow,
    Reference,
    RowError,
    count_lines,
    detect_format,
    file_sha256,
    iter_raw_rows,
    parse_row,
)
from civicdesk.cases.models import (
    AssignmentEntry,
    Case,
    CaseNumberCounter,
    ClaimCategory,
    ImportRun,
    RejectedRow,
    Stage,
    StageTimeLimit,
    TransferringAgency,
)
from civicdesk.core.case_numbers import SERIAL_DIGITS, format_case_number, parse_case_number
from civicdesk.core.roc_dates import to_roc_year
from civicdesk.core.working_calendar import add_working_days
from civicdesk.organization.models import Branch, Unit

DEFAULT_BATCH = 5000
LOOKUP_CHUNK = 5000  # parameters per IN (…) list: SQLite allows 32766, PostgreSQL 65535
_CASE_COLUMNS = (
    "id",
    "branch_id",
    "case_number",
    "agency_id",
    "agency_reference",
    "category_id",
    "obligor_kind",
    "obligor_id",
    "obligor_name",
    "principal",
    "fee",
    "paid",
    "balance",
    "transferred_on",
    "received_on",
    "stage",
    "stage_since",
    "stage_due_on",
    "subdivision_id",
    "import_run_id",
    "created_at",
)


@dataclass
class ImportSummary:
    run_id: int
    file_name: str
    received: int = 0
    already_present: int = 0
    rejected: int = 0
    resumed_after_line: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)  # the first few, for display
    case_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.run_id,
            "file": self.file_name,
            "received": self.received,
            "already_present": self.already_present,
            "rejected": self.rejected,
            "resumed_after_line": self.resumed_after_line,
            "errors": self.errors,
        }


@dataclass
class BatchResult:
    received: int = 0
    already_present: int = 0
    case_ids: list[int] = field(default_factory=list)


def intake_reference(branch: Branch) -> Reference:
    return Reference(
        agencies=dict(TransferringAgency.objects.filter(is_active=True).values_list("code", "id")),
        categories={
            code: (pk, cc, sp)
            for pk, code, cc, sp in ClaimCategory.objects.values_list("id", "code", "case_code", "special")
        },
        subdivisions=dict(Unit.objects.filter(branch=branch, kind=Unit.Kind.SUBDIVISION).values_list("code", "id")),
    )


class StageClock:
    """Due dates from the SOP table (A2.2), memoised per (stage, start day)."""

    def __init__(self) -> None:
        self.limits = dict(StageTimeLimit.objects.values_list("stage", "working_days"))
        self._cache: dict[tuple[str, datetime.date], datetime.date | None] = {}

    def due(self, stage: str, since: datetime.date) -> datetime.date | None:
        key = (stage, since)
        if key not in self._cache:
            days = self.limits.get(stage)
            self._cache[key] = add_working_days(since, days) if days is not None else None
        return self._cache[key]


def _allocate_ids(count: int) -> list[int]:
    table = Case._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the caller holds the write lock (BEGIN IMMEDIATE), so nobody else takes ids meanwhile.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(start, row[0] if row else 0)
    return list(range(start + 1, start + count + 1))


def _allocate_numbers(branch: Branch, rows: list[tuple[CaseRow, datetime.date]]) -> list[str]:
    keys = {(to_roc_year(received.year), row.case_code, row.special) for row, received in rows}
    counters: dict[tuple[int, str, bool], CaseNumberCounter] = {}
    for year, code, special in sorted(keys):
        counter = (
            CaseNumberCounter.objects.select_for_update()
            .filter(branch=branch, roc_year=year, case_code=code, special=special)
            .first()
        )
        if counter is None:
            counter = CaseNumberCounter.objects.create(branch=branch, roc_year=year, case_code=code, special=special)
        counters[(year, code, special)] = counter
    # A migrated number ahead of the counter moves it on, so numbers issued later do not collide with it.
    for row, _received in rows:
        if row.legacy_case_number:
            parsed = parse_case_number(row.legacy_case_number)
            counter_or_none = counters.get((parsed.roc_year, parsed.category_code, parsed.special))
            if counter_or_none is not None and parsed.serial > counter_or_none.last_serial:
                counter_or_none.last_serial = parsed.serial
    # Each key's category code is checked once by format_case_number; the rest share its layout.
    layouts = {
        key: format_case_number(key[0], key[1], 1, special=key[2]).removesuffix("00000001號") for key in counters
    }
    numbers = []
    for row, received in rows:
        if row.legacy_case_number:
            numbers.append(row.legacy_case_number)
            continue
        key = (to_roc_year(received.year), row.case_code, row.special)
        counter = counters[key]
        counter.last_serial += 1
        if counter.last_serial >= 10**SERIAL_DIGITS:
            raise ValueError(f"case number serials for {key} are exhausted")
        numbers.append(f"{layouts[key]}{counter.last_serial:0{SERIAL_DIGITS}d}號")
    CaseNumberCounter.objects.bulk_update(list(counters.values()), ["last_serial"])
    return numbers


def receive_rows(  # noqa: PLR0912, PLR0915 -- one pass over the batch reads best as one function
    *,
    branch: Branch,
    rows: list[CaseRow],
    actor: str,
    run: ImportRun | None,
    clock: StageClock,
    today: datetime.date,
) -> BatchResult:
    """Receive checked rows inside the caller's transaction: the shared core of file, counter and API intake."""
    result = BatchResult()
    if not rows:
        return result
    existing: set[tuple[int, str]] = set()
    by_agency: dict[int, set[str]] = {}
    for r in rows:
        by_agency.setdefault(r.agency_id, set()).add(r.agency_reference)
    # One query per agency so the unique (branch, agency, reference) index answers it; raw SQL because the
    # ORM's per-parameter preparation of long IN lists costs more than the query.
    table = connection.ops.quote_name(Case._meta.db_table)
    with connection.cursor() as cursor:
        for agency_id, agency_refs in by_agency.items():
            refs = sorted(agency_refs)
            for start in range(0, len(refs), LOOKUP_CHUNK):
                chunk = refs[start : start + LOOKUP_CHUNK]
                condition, params = in_list("agency_reference", chunk)
                cursor.execute(
                    f"SELECT agency_reference FROM {table} WHERE branch_id = %s AND agency_id = %s "  # noqa: S608
                    f"AND {condition}",
                    [branch.pk, agency_id, *params],
                )
                existing.update((agency_id, ref) for (ref,) in cursor.fetchall())
    fresh: list[CaseRow] = []
    for row in rows:
        key = (row.agency_id, row.agency_reference)
        if key in existing:
            result.already_present += 1
            continue
        existing.add(key)
        fresh.append(row)
    if not fresh:
        return result

    now = timezone.now()
    planner = RotationPlanner.load(branch, (r.obligor_id for r in fresh))
    received_days = [(r, r.legacy_received_on or today) for r in fresh]
    numbers = _allocate_numbers(branch, received_days)
    ids = _allocate_ids(len(fresh))
    adapt_date = _memo(connection.ops.adapt_datefield_value)  # a batch holds a few distinct dates
    created_at = connection.ops.adapt_datetimefield_value(now)
    case_rows: list[tuple[Any, ...]] = []
    receipts: list[registers.NewEntry] = []
    assignments: list[registers.NewEntry] = []
    for (row, received), number, case_id in zip(received_days, numbers, ids, strict=True):
        placed: list[tuple[int, str]] = []
        if row.legacy_subdivisions:
            placed = [(unit_id, "legacy") for unit_id in row.legacy_subdivisions]
            planner.note(obligor_id=row.obligor_id, unit_id=row.legacy_subdivisions[-1])
        elif not row.legacy_not_assigned:
            choice = planner.choose(category_id=row.category_id, obligor_id=row.obligor_id)
            if choice is not None:
                placed = [choice]
        assigned_day = row.legacy_assigned_on or received
        subdivision_id = placed[-1][0] if placed else None
        stage = row.legacy_stage or (Stage.ASSIGNED if placed else Stage.RECEIVED)
        since = row.legacy_stage_since or (assigned_day if placed else received)
        due = clock.due(stage, since)
        case_rows.append(
            (
                case_id,
                branch.pk,
                number,
                row.agency_id,
                row.agency_reference,
                row.category_id,
                row.obligor_kind,
                row.obligor_id,
                row.obligor_name,
                row.principal,
                row.fee,
                row.paid,
                row.principal + row.fee - row.paid,
                adapt_date(row.transferred_on),
                adapt_date(received),
                str(stage),
                adapt_date(since),
                adapt_date(due),
                subdivision_id,
                run.pk if run else None,
                created_at,
            )
        )
        if not row.legacy_receipt_missing:
            receipts.append(registers.NewEntry(received, case_id, number, (row.agency_code, row.agency_reference)))
        for unit_id, method in placed:
            extra = (AssignmentEntry.Action.ASSIGN.value, planner.codes.get(unit_id, str(unit_id)), "", method, "")
            assignments.append(registers.NewEntry(assigned_day, case_id, number, extra))
    bulk_insert(Case._meta.db_table, _CASE_COLUMNS, case_rows)
    registers.register_append(
        register=registers.RECEIPT, branch_code=branch.code, entries=receipts, actor=actor, recorded_at=now
    )
    registers.register_append(
        register=registers.ASSIGNMENT, branch_code=branch.code, entries=assignments, actor=actor, recorded_at=now
    )
    planner.save()
    result.received = len(fresh)
    result.case_ids = ids
    return result


def _memo(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    cache: dict[Any, Any] = {}

    def adapted(value: Any) -> Any:
        try:
            return cache[value]
        except KeyError:
            cache[value] = result = adapt(value)
            return result

    return adapted


def _batches(items: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def cases_import(
    *,
    path: Path,
    branch: Branch,
    actor: str,
    file_format: str | None = None,
    batch_size: int = DEFAULT_BATCH,
    display_name: str | None = None,
    progress: Callable[[int], None] | None = None,
    before_commit: Callable[[int], None] | None = None,
    keep_case_ids: bool = False,
) -> ImportSummary:
    """Import an intake file. Resumes an unfinished run of the same file; bad rows are kept in the run.

    ``progress(lines)`` is called after each committed batch; ``before_commit(batch_number)`` runs inside each
    batch's transaction just before it commits (tests use it to simulate a crash).
    """
    fmt: FileFormat = detect_format(path, file_format)
    digest = file_sha256(path)
    run = ImportRun.objects.filter(branch=branch, file_sha256=digest, status=ImportRun.Status.RUNNING).first()
    if run is None:
        run = ImportRun.objects.create(
            branch=branch,
            file_name=(display_name or path.name)[:255],
            file_sha256=digest,
            file_format=fmt,
            started_by=actor,
            started_at=timezone.now(),
        )
    summary = ImportSummary(run_id=run.pk, file_name=run.file_name, resumed_after_line=run.lines_done)
    reference = intake_reference(branch)
    clock = StageClock()
    today = timezone.localdate()
    skip = run.lines_done
    rows = (raw for raw in iter_raw_rows(path, fmt) if raw.line > skip)
    with _large_cache():
        _run_batches(
            run=run,
            rows=rows,
            batch_size=batch_size,
            branch=branch,
            actor=actor,
            reference=reference,
            clock=clock,
            today=today,
            summary=summary if keep_case_ids else None,
            progress=progress,
            before_commit=before_commit,
        )
    run.status = ImportRun.Status.FINISHED
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    summary.received, summary.already_present, summary.rejected = run.received, run.already_present, run.rejected
    summary.errors = [
        {"line": r.line, "field": r.field, "reason": r.reason} for r in run.rejected_rows.order_by("line")[:50]
    ]
    return summary


@contextlib.contextmanager
def _large_cache() -> Iterator[None]:
    """SQLite's default page cache (2 MB) makes lookups in large indexes read the disk; use 128 MB meanwhile.

    Checkpoints are also spaced out (every 32 MB of WAL instead of 4 MB): each one copies the index pages the
    batches since the last one changed, so fewer checkpoints copy the same hot pages fewer times.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_autocheckpoint")
        previous_checkpoint = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -131072")
        cursor.execute("PRAGMA wal_autocheckpoint = 8192")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(previous_checkpoint)}")


def _read_ahead(
    batches: Iterator[list[RawRow]], parse: Callable[[list[RawRow]], tuple[list[CaseRow], list[RejectedRow]]]
) -> Iterator[tuple[list[RawRow], tuple[list[CaseRow], list[RejectedRow]]]]:
    """Read and check the next batch in a thread while the caller writes this one.

    The database work releases the GIL (SQLite while it updates its indexes, PostgreSQL while it waits for the
    server), so the file's parsing and checks overlap with it. Only one batch is read ahead: memory stays flat.
    """

    def step() -> tuple[list[RawRow], tuple[list[CaseRow], list[RejectedRow]]] | None:
        batch = next(batches, None)
        return None if batch is None else (batch, parse(batch))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="intake-read") as pool:
        pending = pool.submit(step)
        while (item := pending.result()) is not None:
            pending = pool.submit(step)
            yield item


def _run_batches(
    *,
    run: ImportRun,
    rows: Iterator[RawRow],
    batch_size: int,
    branch: Branch,
    actor: str,
    reference: Reference,
    clock: StageClock,
    today: datetime.date,
    summary: ImportSummary | None,
    progress: Callable[[int], None] | None,
    before_commit: Callable[[int], None] | None,
) -> None:
    def parse(batch: list[RawRow]) -> tuple[list[CaseRow], list[RejectedRow]]:
        good: list[CaseRow] = []
        bad: list[RejectedRow] = []
        for raw in batch:
            parsed = parse_row(raw, reference, today=today)
            if isinstance(parsed, RowError):
                bad.append(
                    RejectedRow(run=run, line=raw.line, field=parsed.field, reason=parsed.reason, raw=raw.values)
                )
            else:
                good.append(parsed)
        return good, bad

    for number, (batch, (good, bad)) in enumerate(_read_ahead(_batches(rows, batch_size), parse), start=1):
        with transaction.atomic():
            result = receive_rows(branch=branch, rows=good, actor=actor, run=run, clock=clock, today=today)
            RejectedRow.objects.bulk_create(bad)
            ImportRun.objects.filter(pk=run.pk).update(
                lines_done=batch[-1].line,
                received=run.received + result.received,
                already_present=run.already_present + result.already_present,
                rejected=run.rejected + len(bad),
            )
            if before_commit is not None:
                before_commit(number)
        run.lines_done = batch[-1].line
        run.received += result.received
        run.already_present += result.already_present
        run.rejected += len(bad)
        if summary is not None:
            summary.case_ids.extend(result.case_ids)
        if progress is not None:
            progress(batch[-1].line)


def total_lines(path: Path) -> int:
    return count_lines(path)
