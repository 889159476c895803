"""Reading and checking intake files (CSV and JSON Lines, docs/intake-format.md), one row at a time.

Nothing here touches the database: :func:`parse_row` gets the reference data as plain dictionaries, so the
same checks serve the bulk import, the counter form and the API. :func:`check_file` checks a whole file in
batches; the bulk import runs it in a separate process (:func:`checker_main`) so that reading and checking
rows use the second core while the importing process writes (docs/intake-format.md, "Batches").
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import functools
import gc
import hashlib
import itertools
import json
import operator
import os
import pickle
import re
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple

from civicdesk.core.case_numbers import parse_case_number
from civicdesk.core.identifiers import InvalidIdentifier, validate_business_number, validate_person_id
from civicdesk.core.roc_dates import parse_roc

FileFormat = Literal["csv", "jsonl"]

REQUIRED_COLUMNS = (
    "agency",
    "agency_reference",
    "category",
    "obligor_id",
    "obligor_name",
    "principal",
    "transferred_on",
)
OPTIONAL_COLUMNS = ("fee", "paid")
# Cases migrated from the legacy register system carry their history; agencies leave these empty.
LEGACY_COLUMNS = (
    "legacy_case_number",
    "legacy_received_on",
    "legacy_assigned_on",
    "legacy_subdivisions",
    "legacy_receipt_missing",
    "legacy_stage",
    "legacy_stage_since",
)
ALL_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, *LEGACY_COLUMNS)
LEGACY_STAGES = ("received", "assigned", "in_enforcement", "instalments")
NOT_ASSIGNED = "-"
MAX_AMOUNT = 10**13
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


class IntakeFileError(ValueError):
    """The file as a whole cannot be read (wrong header, wrong encoding …)."""


@dataclass(frozen=True)
class RowError:
    field: str
    reason: str


@dataclass(frozen=True)
class Reference:
    agencies: dict[str, int]  # code → id
    categories: dict[str, tuple[int, str, bool]]  # code → (id, case-number code, special)
    subdivisions: dict[str, int]  # code → unit id (the branch's subdivisions)


@dataclass(slots=True)
class CaseRow:
    """A checked row, ready to be received."""

    line: int
    agency_id: int
    agency_code: str
    agency_reference: str
    category_id: int
    case_code: str
    special: bool
    obligor_kind: str
    obligor_id: str
    obligor_name: str
    principal: int
    fee: int
    paid: int
    transferred_on: datetime.date
    legacy_case_number: str = ""
    legacy_received_on: datetime.date | None = None
    legacy_assigned_on: datetime.date | None = None
    legacy_not_assigned: bool = False
    legacy_subdivisions: tuple[int, ...] = ()
    legacy_subdivision_codes: tuple[str, ...] = ()
    legacy_receipt_missing: bool = False
    legacy_stage: str = ""
    legacy_stage_since: datetime.date | None = None


CASE_ROW_FIELDS = tuple(f.name for f in fields(CaseRow))
# A CaseRow as a plain tuple (CASE_ROW_FIELDS order): what crosses the process boundary, cheap to pickle.
case_row_values = operator.attrgetter(*CASE_ROW_FIELDS)
_AGENCY_FIELDS = CASE_ROW_FIELDS.index("legacy_case_number")  # the legacy fields follow, usually at their defaults
_LEGACY_DEFAULTS = tuple(f.default for f in fields(CaseRow)[_AGENCY_FIELDS:])


@dataclass(frozen=True)
class RawRow:
    line: int
    values: dict[str, Any]
    problem: RowError | None = None  # set when the line could not even be read as a row


class CheckedBatch(NamedTuple):
    """One batch of a file, checked: good rows as CaseRow values, bad rows as (line, field, reason, row as sent)."""

    last_line: int
    good: list[tuple[Any, ...]]
    bad: list[tuple[int, str, str, dict[str, Any]]]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def count_lines(path: Path) -> int:
    total = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            total += chunk.count(b"\n")
    return total


def detect_format(path: Path, declared: str | None = None) -> FileFormat:
    name = (declared or path.suffix.lstrip(".")).lower()
    if name in {"csv"}:
        return "csv"
    if name in {"jsonl", "ndjson", "json"}:
        return "jsonl"
    raise IntakeFileError(f"{path.name}: unknown file type {name!r}; use .csv or .jsonl")


def iter_raw_rows(path: Path, file_format: FileFormat) -> Iterator[RawRow]:
    """Stream the file's rows as dictionaries with their line numbers; memory does not grow with the file."""
    if file_format == "csv":
        yield from _iter_csv(path)
    else:
        yield from _iter_jsonl(path)


def _iter_csv(path: Path) -> Iterator[RawRow]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise IntakeFileError(f"{path.name}: not UTF-8 text ({exc.reason})") from None
        columns = [name.strip() for name in header]
        _check_columns(path.name, columns)
        line = reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise IntakeFileError(f"{path.name}: line {line + 1} is not UTF-8 text") from None
            except csv.Error as exc:
                raise IntakeFileError(f"{path.name}: line {reader.line_num}: {exc}") from None
            start = line + 1
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(columns):
                raw = {f"column_{i + 1}": v for i, v in enumerate(values)}
                reason = f"has {len(values)} fields, the header has {len(columns)}"
                yield RawRow(start, raw, RowError("_row", reason))
                continue
            yield RawRow(start, dict(zip(columns, values, strict=True)))


def _iter_jsonl(path: Path) -> Iterator[RawRow]:
    with path.open("rb") as handle:
        for number, data in enumerate(handle, start=1):
            try:
                text = data.decode("utf-8-sig" if number == 1 else "utf-8").strip()
            except UnicodeDecodeError:
                yield RawRow(number, {"_text": repr(data[:200])}, RowError("_row", "is not UTF-8 text"))
                continue
            if not text:
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                yield RawRow(number, {"_text": text[:500]}, RowError("_row", f"is not valid JSON ({exc.msg})"))
                continue
            if not isinstance(obj, dict):
                yield RawRow(number, {"_text": text[:500]}, RowError("_row", "must be a JSON object"))
                continue
            unknown = sorted(k for k in set(obj) - set(ALL_COLUMNS) if not str(k).startswith("_"))
            if unknown:
                yield RawRow(number, obj, RowError(unknown[0], "is not a field of the intake format"))
                continue
            yield RawRow(number, obj)


@contextlib.contextmanager
def young_gc_only() -> Iterator[None]:
    """No automatic cyclic garbage collection meanwhile: the caller collects the young objects once per batch.

    A batch holds hundreds of thousands of tuples; the automatic collector would walk all of them again and
    again (a full collection every so many allocations: ~7 % of the importing process's time in a profile).
    Young generations only, collected once per batch, keep memory flat.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check_file(
    path: Path,
    file_format: FileFormat,
    reference: Reference,
    *,
    today: datetime.date,
    after_line: int,
    batch_size: int,
) -> Iterator[CheckedBatch]:
    """Read and check the file's rows after ``after_line``, ``batch_size`` rows at a time (a stream)."""
    rows = (raw for raw in iter_raw_rows(path, file_format) if raw.line > after_line)
    while batch := list(itertools.islice(rows, batch_size)):
        good: list[tuple[Any, ...]] = []
        bad: list[tuple[int, str, str, dict[str, Any]]] = []
        for raw in batch:
            parsed = parse_row(raw, reference, today=today)
            if type(parsed) is RowError:
                bad.append((raw.line, parsed.field, parsed.reason, raw.values))
            else:
                values = case_row_values(parsed)  # CaseRow(*values) gives the row back; defaults need not travel
                good.append(values[:_AGENCY_FIELDS] if values[_AGENCY_FIELDS:] == _LEGACY_DEFAULTS else values)
        yield CheckedBatch(batch[-1].line, good, bad)
        del batch, good, bad
        gc.collect(1)


_FRAME = struct.Struct("<Q")  # each message on the pipe: its length, then the pickled value


def send_message(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_FRAME.pack(len(data)))
    stream.write(data)
    stream.flush()


def receive_message(stream: IO[bytes]) -> Any:
    """The next value :func:`send_message` wrote; EOFError when the writer has gone."""
    header = stream.read(_FRAME.size)
    if len(header) < _FRAME.size:
        raise EOFError
    (size,) = _FRAME.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 -- only between the importing process and the checker it started


def checker_main() -> None:
    """The checking process: a job (keyword arguments of :func:`check_file`) on stdin; each batch as a plain
    tuple on stdout, then ``None``, or the text of a file-level error (messages of :func:`send_message`).

    The pipe holds little, so this process is at most a batch or two ahead of the writer: memory stays flat. If
    the importing process dies or stops reading, the next write fails and this process ends with it.
    """
    job = receive_message(sys.stdin.buffer)
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed by accident must not corrupt the messages
    try:
        try:
            with young_gc_only():
                for batch in check_file(**job):
                    send_message(out, tuple(batch))
            send_message(out, None)
        except IntakeFileError as exc:
            send_message(out, str(exc))
    except BrokenPipeError:
        os._exit(0)  # the reader has gone; nothing is left to flush


def _check_columns(name: str, columns: list[str]) -> None:
    unknown = [c for c in columns if c not in ALL_COLUMNS and not c.startswith("_")]
    if unknown:
        raise IntakeFileError(f"{name}: unknown column(s) {', '.join(unknown)} in the header (line 1)")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise IntakeFileError(f"{name}: the header (line 1) lacks required column(s) {', '.join(missing)}")
    if len(set(columns)) != len(columns):
        raise IntakeFileError(f"{name}: the header (line 1) names a column twice")


def _value(values: dict[str, Any], field: str) -> str:
    value = values.get(field)
    if value is None:
        return ""
    if type(value) is str:
        return value.strip()
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _Bad(field, "must be text or a whole number")
    return str(value).strip()


class _Bad(Exception):  # noqa: N818 -- internal signal, never escapes this module
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.error = RowError(field, reason)


@functools.lru_cache(maxsize=8192)
def parse_date(text: str) -> datetime.date:
    """ISO (2026-03-05) or ROC (115/03/05, 115年3月5日). Memoised: intake files repeat a few dates."""
    if _ISO_DATE.fullmatch(text):
        return datetime.date.fromisoformat(text)
    return parse_roc(text)


def _date(values: dict[str, Any], field: str, *, today: datetime.date, required: bool) -> datetime.date | None:
    text = _value(values, field)
    if not text:
        if required:
            raise _Bad(field, "is required")
        return None
    try:
        value = parse_date(text)
    except ValueError as exc:
        raise _Bad(field, f"is not a date (use 2026-03-05 or 115/03/05): {exc}") from None
    if value > today:
        raise _Bad(field, "is in the future")
    return value


def _amount(values: dict[str, Any], field: str, *, required: bool, minimum: int = 0) -> int:
    text = _value(values, field)
    if not text:
        if required:
            raise _Bad(field, "is required")
        return 0
    if not (text.isascii() and text.isdigit() and len(text) <= 14):
        raise _Bad(field, "must be a whole number of NT dollars, digits only")
    amount = int(text)
    if amount < minimum:
        raise _Bad(field, f"must be at least {minimum}")
    if amount >= MAX_AMOUNT:
        raise _Bad(field, "is too large")
    return amount


def _text(values: dict[str, Any], field: str, *, max_length: int) -> str:
    text = _value(values, field)
    if not text:
        raise _Bad(field, "is required")
    if len(text) > max_length:
        raise _Bad(field, f"is longer than {max_length} characters")
    return text


def _obligor(values: dict[str, Any], today: datetime.date) -> tuple[str, str]:
    # Agency files are reported, not repaired: a lower-case or spaced ID is a bad row.
    raw = values.get("obligor_id", "")
    value = raw if isinstance(raw, str) else _value(values, "obligor_id")
    if not value:
        raise _Bad("obligor_id", "is required")
    try:
        if len(value) == 8 and value.isascii() and value.isdigit():
            return "company", validate_business_number(value, on=today)
        return "person", validate_person_id(value, on=today)
    except InvalidIdentifier as exc:
        raise _Bad("obligor_id", f"{exc.kind}: {exc.reason}") from None


def parse_row(raw: RawRow, reference: Reference, *, today: datetime.date) -> CaseRow | RowError:
    """Check one row; the first problem found is returned with its field and reason."""
    if raw.problem is not None:
        return raw.problem
    values = raw.values
    try:
        agency_code = _text(values, "agency", max_length=30)
        agency_id = reference.agencies.get(agency_code)
        if agency_id is None:
            raise _Bad("agency", f"unknown transferring agency code {agency_code!r}")
        agency_reference = _text(values, "agency_reference", max_length=60)
        category_code = _text(values, "category", max_length=30)
        category = reference.categories.get(category_code)
        if category is None:
            raise _Bad("category", f"unknown claim category {category_code!r}")
        kind, obligor_id = _obligor(values, today)
        name = _text(values, "obligor_name", max_length=100)
        principal = _amount(values, "principal", required=True, minimum=1)
        fee = _amount(values, "fee", required=False)
        paid = _amount(values, "paid", required=False)
        if paid > principal + fee:
            raise _Bad("paid", "is more than the principal and fee together")
        transferred_on = _date(values, "transferred_on", today=today, required=True)
        assert transferred_on is not None
        row = CaseRow(
            line=raw.line,
            agency_id=agency_id,
            agency_code=agency_code,
            agency_reference=agency_reference,
            category_id=category[0],
            case_code=category[1],
            special=category[2],
            obligor_kind=kind,
            obligor_id=obligor_id,
            obligor_name=name,
            principal=principal,
            fee=fee,
            paid=paid,
            transferred_on=transferred_on,
        )
        _parse_legacy(values, row, reference, today)
    except _Bad as bad:
        return bad.error
    return row


def _parse_legacy(  # noqa: PLR0912 -- one check per legacy column
    values: dict[str, Any], row: CaseRow, reference: Reference, today: datetime.date
) -> None:
    if not any(map(values.get, LEGACY_COLUMNS)) or not any(_value(values, c) for c in LEGACY_COLUMNS):
        return
    number = _value(values, "legacy_case_number")
    if number:
        try:
            parsed = parse_case_number(number)
        except ValueError as exc:
            raise _Bad("legacy_case_number", str(exc)) from None
        row.legacy_case_number = str(parsed)
    received = _date(values, "legacy_received_on", today=today, required=True)
    assert received is not None
    if received < row.transferred_on:
        raise _Bad("legacy_received_on", "is before the transfer date")
    row.legacy_received_on = received
    assigned_text = _value(values, "legacy_assigned_on")
    codes_text = _value(values, "legacy_subdivisions")
    if assigned_text == NOT_ASSIGNED:
        if codes_text:
            raise _Bad("legacy_subdivisions", "must be empty when the case was not assigned (legacy_assigned_on -)")
        row.legacy_not_assigned = True
    else:
        assigned = _date(values, "legacy_assigned_on", today=today, required=False)
        if assigned is not None and assigned < received:
            raise _Bad("legacy_assigned_on", "is before the receipt date")
        row.legacy_assigned_on = assigned
    if codes_text:
        codes = tuple(c.strip() for c in codes_text.split("|"))
        for code in codes:
            if code not in reference.subdivisions:
                raise _Bad("legacy_subdivisions", f"unknown subdivision code {code!r}")
        row.legacy_subdivision_codes = codes
        row.legacy_subdivisions = tuple(reference.subdivisions[c] for c in codes)
    flag = _value(values, "legacy_receipt_missing").lower()
    if flag not in {"", "0", "1", "yes", "no", "true", "false"}:
        raise _Bad("legacy_receipt_missing", "must be yes or no")
    row.legacy_receipt_missing = flag in {"1", "yes", "true"}
    stage = _value(values, "legacy_stage")
    if stage:
        if stage not in LEGACY_STAGES:
            raise _Bad("legacy_stage", f"must be one of {', '.join(LEGACY_STAGES)}")
        if row.legacy_not_assigned and stage != "received":
            raise _Bad("legacy_stage", "must be received for a case that was not assigned")
        row.legacy_stage = stage
        since = _date(values, "legacy_stage_since", today=today, required=True)
        assert since is not None
        if since < received:
            raise _Bad("legacy_stage_since", "is before the receipt date")
        row.legacy_stage_since = since
