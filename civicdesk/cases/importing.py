"""The intake pipeline (收案): rows → cases, receipt entries, rotation assignment, assignment entries.

One transaction per batch writes the batch's cases, register entries, rejected rows and the run's progress,
so a crash loses at most the batch in flight and a rerun resumes after the last committed line. Rows already
received (same branch, agency and agency reference) are skipped, so re-importing creates nothing new.
Inserts are raw ``executemany`` calls (docs/adr/0010-case-registers.md). A large file is read and checked in a
second process while this one writes (docs/intake-format.md, "Batches, re-runs and crashes").
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.db import connection, transaction
from django.utils import timezone

import civicdesk
from civicdesk.cases import registers
from civicdesk.cases.assignment import RotationPlanner
from civicdesk.cases.bulk import bulk_inserter, in_list, quoted_table
from civicdesk.cases.intake import (
    CaseRow,
    CheckedBatch,
    FileFormat,
    IntakeFileError,
    Reference,
    check_file,
    count_lines,
    detect_format,
    file_sha256,
    receive_message,
    send_message,
    young_gc_only,
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

DEFAULT_BATCH = 20000  # rows per transaction: fewer commits rewrite the same index pages fewer times
# Files larger than this are checked in a separate process (the second core); smaller ones in this one, where
# starting a process would cost more than it saves.
CHECKER_PROCESS_MIN_BYTES = 2_000_000
Checker = Literal["auto", "process", "inline"]
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
            # The sequence named first: inside the series, pg_get_serial_sequence would run for every id (10x the
            # cost of nextval itself: 55 ms against 6 ms for 20,000 ids); a ::regclass constant is resolved once.
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
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
    day_keys: dict[tuple[datetime.date, str, bool], tuple[int, str, bool]] = {}  # a batch has few receipt days
    numbers = []
    for row, received in rows:
        if row.legacy_case_number:
            numbers.append(row.legacy_case_number)
            continue
        day_key = (received, row.case_code, row.special)
        key = day_keys.get(day_key)
        if key is None:
            key = day_keys[day_key] = (to_roc_year(received.year), row.case_code, row.special)
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
    table = quoted_table(Case)
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
    branch_id, run_id = branch.pk, (run.pk if run else None)
    stage_text: dict[str, str] = {stage: str(stage) for stage in Stage}
    assign_extra: dict[tuple[int, str], tuple[str, ...]] = {}  # per (unit, method): the same few tuples
    # NewEntry(…) runs a Python-level __new__; tuple.__new__ builds the same named tuple in C (two per case).
    new_entry = functools.partial(tuple.__new__, registers.NewEntry)
    receipts: list[registers.NewEntry] = []
    assignments: list[registers.NewEntry] = []
    with bulk_inserter(Case._meta.db_table, _CASE_COLUMNS) as write_case:
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
            write_case(
                (
                    case_id,
                    branch_id,
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
                    stage_text.get(stage) or str(stage),
                    adapt_date(since),
                    adapt_date(due),
                    subdivision_id,
                    run_id,
                    created_at,
                )
            )
            if not row.legacy_receipt_missing:
                receipts.append(new_entry((received, case_id, number, (row.agency_code, row.agency_reference))))
            for placement in placed:
                extra = assign_extra.get(placement)
                if extra is None:
                    unit_id, method = placement
                    code = planner.codes.get(unit_id, str(unit_id))
                    extra = assign_extra[placement] = (AssignmentEntry.Action.ASSIGN.value, code, "", method, "")
                assignments.append(new_entry((assigned_day, case_id, number, extra)))
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
    checker: Checker = "auto",
) -> ImportSummary:
    """Import an intake file. Resumes an unfinished run of the same file; bad rows are kept in the run.

    ``progress(lines)`` is called after each committed batch; ``before_commit(batch_number)`` runs inside each
    batch's transaction just before it commits (tests use it to simulate a crash). ``checker``: where rows are
    read and checked — a separate process (``"process"``), this one (``"inline"``), or by file size.
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
    if checker == "auto":
        checker = "process" if path.stat().st_size >= CHECKER_PROCESS_MIN_BYTES else "inline"
    options = {"today": today, "after_line": run.lines_done, "batch_size": batch_size}
    with _large_cache(), young_gc_only(), _checked_batches(path, fmt, reference, checker, options) as batches:
        _run_batches(
            run=run,
            batches=batches,
            branch=branch,
            actor=actor,
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


# Set on the SQLite connection for the length of an import (the benchmark's raw baseline gets the same):
# SQLite's default page cache (2 MB) makes look-ups and inserts in large indexes read the disk; and each
# checkpoint copies the index pages the batches since the last one changed, so checkpoints every 32 MB of WAL
# instead of 4 MB copy the same hot pages fewer times.
SQLITE_IMPORT_PRAGMAS = {"cache_size": -131072, "wal_autocheckpoint": 8192}


@contextlib.contextmanager
def _large_cache() -> Iterator[None]:
    """:data:`SQLITE_IMPORT_PRAGMAS` during an import; the previous values afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    previous = {}
    with connection.cursor() as cursor:
        for name, value in SQLITE_IMPORT_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            previous[name] = int(cursor.fetchone()[0])
            cursor.execute(f"PRAGMA {name} = {int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in previous.items():
                cursor.execute(f"PRAGMA {name} = {value}")


@contextlib.contextmanager
def _checked_batches(
    path: Path, fmt: FileFormat, reference: Reference, checker: Checker, options: dict[str, Any]
) -> Iterator[Iterator[CheckedBatch]]:
    """The file's checked batches, from a checking process or from this one.

    The checking process (a fresh interpreter without Django or this one's database connection,
    :func:`~civicdesk.cases.intake.checker_main`) reads and checks rows on the other core while this process
    numbers, assigns, hashes and writes; only plain tuples cross the pipe. It ends with the file, or when this
    process stops reading (an error, a crash, a kill).
    """
    job = {"path": path, "file_format": fmt, "reference": reference, **options}
    if checker == "inline":
        yield check_file(**job)
        return
    package_root = str(Path(civicdesk.__file__).resolve().parent.parent)
    python_path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
    process = subprocess.Popen(
        [sys.executable, "-c", "from civicdesk.cases.intake import checker_main; checker_main()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": python_path},
    )
    assert process.stdin is not None
    assert process.stdout is not None
    results = process.stdout

    def receive() -> Iterator[CheckedBatch]:
        while True:
            try:
                item = receive_message(results)
            except EOFError:
                raise RuntimeError(f"the intake checking process stopped (exit code {process.poll()})") from None
            if item is None:
                return
            if isinstance(item, str):
                raise IntakeFileError(item)
            yield CheckedBatch(*item)

    try:
        with process.stdin as job_input:
            send_message(job_input, job)
        yield receive()
    finally:
        results.close()  # a checking process still writing gets a broken pipe and ends
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _CaseStatistics:
    """Keeps PostgreSQL's planner statistics of the case table current while an import grows a branch's cases.

    Each batch looks up its agency references and obligors among the branch's cases by the (branch, agency,
    reference) and (branch, obligor) indexes. Planned on statistics taken when the branch held far fewer cases (or
    none: a table never analysed), PostgreSQL expects a handful of rows for the branch and uses only the index's
    first column, filtering every case of the branch instead: measured at 600,000 cases, the obligor look-up of one
    chunk took 322 ms against 28 ms once analysed, and the import slowed as it grew (13,400 rows/s at 200,000 rows,
    8,900 at 1,000,000). Autovacuum analyses only after its next nap, and by the whole table's growth, too late
    within a run and never for one branch's import into a large table of all branches. So the case table is
    analysed whenever this run has added as many cases as the branch held at its last analysis (counted once,
    when the run has added MIN_ROWS_TO_ANALYSE; from an empty branch: after 10,000, 20,000, 40,000 … cases; ~0.3 s
    each at 600,000), which keeps the branch's estimate within a factor of two. SQLite plans these look-ups on the
    index without statistics.
    """

    def __init__(self, branch: Branch) -> None:
        self.enabled = connection.vendor == "postgresql"
        self.branch = branch
        self.added = 0  # by this run since the last analysis
        self.branch_rows: int | None = None  # the branch's cases at the last analysis (or before this run)

    def added_cases(self, count: int) -> None:
        if not self.enabled or not count:
            return
        self.added += count
        if self.added < MIN_ROWS_TO_ANALYSE:
            return
        if self.branch_rows is None:
            self.branch_rows = Case.objects.filter(branch=self.branch).count() - self.added
        if self.added >= self.branch_rows:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {quoted_table(Case)}")
            self.branch_rows += self.added
            self.added = 0


MIN_ROWS_TO_ANALYSE = 10_000


def _run_batches(
    *,
    run: ImportRun,
    batches: Iterator[CheckedBatch],
    branch: Branch,
    actor: str,
    clock: StageClock,
    today: datetime.date,
    summary: ImportSummary | None,
    progress: Callable[[int], None] | None,
    before_commit: Callable[[int], None] | None,
) -> None:
    statistics = _CaseStatistics(branch)
    for number, batch in enumerate(batches, start=1):
        good = [CaseRow(*values) for values in batch.good]
        bad = [
            RejectedRow(run=run, line=line, field=field, reason=reason, raw=raw)
            for line, field, reason, raw in batch.bad
        ]
        with transaction.atomic():
            result = receive_rows(branch=branch, rows=good, actor=actor, run=run, clock=clock, today=today)
            RejectedRow.objects.bulk_create(bad)
            ImportRun.objects.filter(pk=run.pk).update(
                lines_done=batch.last_line,
                received=run.received + result.received,
                already_present=run.already_present + result.already_present,
                rejected=run.rejected + len(bad),
            )
            if before_commit is not None:
                before_commit(number)
        run.lines_done = batch.last_line
        run.received += result.received
        run.already_present += result.already_present
        run.rejected += len(bad)
        statistics.added_cases(result.received)
        if summary is not None:
            summary.case_ids.extend(result.case_ids)
        if progress is not None:
            progress(batch.last_line)
        del batch, good, bad, result  # freed now, so the collection below has only survivors to walk
        gc.collect(1)


def total_lines(path: Path) -> int:
    return count_lines(path)
