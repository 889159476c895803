"""The receipt (收案簿) and assignment (分案簿) registers: append-only hash chains written in bulk.

Canonical rule (docs/adr/0010-case-registers.md): an entry's content is its fields, in the fixed order of
``RECEIPT_FIELDS`` / ``ASSIGNMENT_FIELDS``, as text joined by U+001F, UTF-8 encoded, preceded by the
register name; ``entry_hash = SHA-256(previous_hash + content)`` — the same chaining as
``civicdesk.audit.ledger.chain_hash``. The writer and the verifier both call :func:`entry_content`.

Callers hold a transaction: :func:`register_append` locks the register head, numbers the entries (overall
and within their day), chains them and inserts them with one ``executemany``.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.db import connection, transaction

from civicdesk.audit.ledger import GENESIS_HASH
from civicdesk.cases.bulk import bulk_insert
from civicdesk.cases.models import AssignmentEntry, ReceiptEntry, RegisterDay, RegisterHead

RegisterName = Literal["receipt", "assignment"]
RECEIPT: RegisterName = "receipt"
ASSIGNMENT: RegisterName = "assignment"

_COMMON = ("branch_code", "sequence", "day", "day_sequence", "recorded_at", "actor", "case_id", "case_number")
RECEIPT_FIELDS = (*_COMMON, "agency_code", "agency_reference")
ASSIGNMENT_FIELDS = (
    *_COMMON,
    "action",
    "subdivision_code",
    "previous_subdivision_code",
    "method",
    "reason",
)
FIELDS: dict[str, tuple[str, ...]] = {RECEIPT: RECEIPT_FIELDS, ASSIGNMENT: ASSIGNMENT_FIELDS}
MODELS: dict[str, type[ReceiptEntry] | type[AssignmentEntry]] = {RECEIPT: ReceiptEntry, ASSIGNMENT: AssignmentEntry}
_SEPARATOR = "\x1f"


def _text(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def entry_content(register: str, values: Sequence[Any]) -> bytes:
    """The canonical bytes of an entry given its field values in ``FIELDS[register]`` order."""
    return (register + _SEPARATOR + _SEPARATOR.join(_text(v) for v in values)).encode()


def entry_hash(previous_hash: str, content: bytes) -> str:
    return hashlib.sha256(previous_hash.encode("ascii") + content).hexdigest()


@dataclass(frozen=True)
class NewEntry:
    """What a caller supplies; numbering, timestamps and hashes are added here."""

    day: datetime.date
    case_id: int
    case_number: str
    extra: tuple[str, ...]  # the register-specific fields (text), in FIELDS order after the common ones


def _head(register: str, branch_code: str) -> RegisterHead:
    head = RegisterHead.objects.select_for_update().filter(register=register, branch_code=branch_code).first()
    if head is None:
        head = RegisterHead.objects.create(register=register, branch_code=branch_code, entry_hash=GENESIS_HASH)
    return head


def _day_counts(register: str, branch_code: str, days: set[datetime.date]) -> dict[datetime.date, RegisterDay]:
    existing = {
        row.day: row
        for row in RegisterDay.objects.select_for_update().filter(
            register=register, branch_code=branch_code, day__in=days
        )
    }
    missing = [RegisterDay(register=register, branch_code=branch_code, day=d, count=0) for d in days - set(existing)]
    RegisterDay.objects.bulk_create(missing)
    for row in RegisterDay.objects.filter(register=register, branch_code=branch_code, day__in=[m.day for m in missing]):
        existing[row.day] = row
    return existing


def register_append(
    *,
    register: RegisterName,
    branch_code: str,
    entries: Sequence[NewEntry],
    actor: str,
    recorded_at: datetime.datetime,
) -> int:
    """Append entries to a branch's register inside the caller's transaction; returns the last sequence."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("register_append must run inside a transaction")
    head = _head(register, branch_code)
    if not entries:
        return head.sequence
    days = _day_counts(register, branch_code, {e.day for e in entries})
    sequence = head.sequence
    previous = head.entry_hash
    stored_at = connection.ops.adapt_datetimefield_value(recorded_at)
    stored_day = {day: connection.ops.adapt_datefield_value(day) for day in days}
    # The same bytes as entry_content(), assembled with fewer conversions (tests check the two agree).
    recorded_text = _text(recorded_at)
    day_text = {day: day.isoformat() for day in days}
    prefix = f"{register}{_SEPARATOR}{branch_code}{_SEPARATOR}"
    sha256 = hashlib.sha256
    rows: list[tuple[Any, ...]] = []
    for entry in entries:
        sequence += 1
        day_row = days[entry.day]
        day_row.count += 1
        content = _SEPARATOR.join(
            (
                f"{prefix}{sequence}",
                day_text[entry.day],
                str(day_row.count),
                recorded_text,
                actor,
                str(entry.case_id),
                entry.case_number,
                *entry.extra,
            )
        ).encode()
        digest = sha256(previous.encode("ascii") + content).hexdigest()
        rows.append(
            (
                branch_code,
                sequence,
                stored_day[entry.day],
                day_row.count,
                stored_at,
                actor,
                entry.case_id,
                entry.case_number,
                *entry.extra,
                previous,
                digest,
            )
        )
        previous = digest
    bulk_insert(MODELS[register]._meta.db_table, (*FIELDS[register], "previous_hash", "entry_hash"), rows)
    RegisterDay.objects.bulk_update(list(days.values()), ["count"])
    RegisterHead.objects.filter(pk=head.pk).update(sequence=sequence, entry_hash=previous)
    return sequence


@dataclass(frozen=True)
class BrokenEntry:
    register: str
    branch_code: str
    sequence: int
    entry_id: int | None
    case_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"entry #{self.sequence}" + (f" (id {self.entry_id})" if self.entry_id is not None else "")
        return f"{self.register} register {self.branch_code}: {where}: {self.reason}"


@dataclass
class VerifyResult:
    entries: int
    last_sequence: int
    last_hash: str
    broken: list[BrokenEntry]


def _stored_time(value: Any) -> str:
    """Canonical text of a timestamp as the database returns it without the ORM's conversion."""
    if isinstance(value, str):  # SQLite keeps naive UTC text: "2026-11-29 02:00:00[.123456]"
        text = value.replace(" ", "T")
        return (text if "." in text else text + ".000000") + "+00:00"
    if isinstance(value, datetime.datetime) and value.tzinfo is None:  # SQLite's converter: naive UTC
        value = value.replace(tzinfo=datetime.UTC)
    return _text(value)


def _rows(register: str, branch_code: str, after: int, batch: int = 20000) -> Iterator[tuple[Any, ...]]:
    """Entries after ``after`` in order, read with a raw keyset query (the ORM's conversions cost more)."""
    model = MODELS[register]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(n) for n in ("id", *FIELDS[register], "previous_hash", "entry_hash"))
    sql = (
        f"SELECT {names} FROM {table} WHERE branch_code = %s AND sequence > %s "  # noqa: S608
        f"ORDER BY sequence LIMIT {int(batch)}"
    )
    last = after
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [branch_code, last])
            chunk = cursor.fetchall()
        if not chunk:
            return
        yield from chunk
        last = chunk[-1][2]


def register_verify(
    *, register: RegisterName, branch_code: str, after_sequence: int = 0, after_hash: str = GENESIS_HASH
) -> VerifyResult:
    """Check every entry after ``after_sequence``; each edited, inserted or missing entry is reported by itself.

    An entry whose content no longer matches its own hash was edited; an entry whose previous-hash link does
    not match the entry before it follows an edit of that link, an insertion or a deletion; a gap in the
    numbering is a deletion.
    """
    expected_sequence = after_sequence + 1
    expected_previous = after_hash
    broken: list[BrokenEntry] = []
    count = 0
    width = len(FIELDS[register])
    texts: dict[Any, str] = {}
    sha256 = hashlib.sha256
    for row in _rows(register, branch_code, after_sequence):
        count += 1
        entry_id, values, previous_hash, digest = row[0], row[1 : 1 + width], row[1 + width], row[2 + width]
        sequence, case_id = values[1], values[6]
        if sequence != expected_sequence:
            broken.append(
                BrokenEntry(register, branch_code, expected_sequence, None, None, f"entries missing before #{sequence}")
            )
        elif previous_hash != expected_previous:
            broken.append(
                BrokenEntry(
                    register,
                    branch_code,
                    sequence,
                    entry_id,
                    case_id,
                    "its link to the entry before it does not match: an entry was removed, inserted or relinked",
                )
            )
        # Day and timestamp repeat from entry to entry: each distinct value is converted once.
        day, stamp = values[2], values[4]
        day_text = texts.get(day)
        if day_text is None:
            day_text = texts[day] = day if isinstance(day, str) else _text(day)
        stamp_text = texts.get(stamp)
        if stamp_text is None:
            if len(texts) > 10_000:
                texts.clear()
            stamp_text = texts[stamp] = _stored_time(stamp)
        parts = [register, values[0], str(sequence), day_text, str(values[3]), stamp_text, values[5], str(case_id)]
        parts += values[7:]
        content = _SEPARATOR.join(parts).encode()  # == entry_content(register, values as the ORM reads them)
        if sha256(previous_hash.encode("ascii") + content).hexdigest() != digest:
            broken.append(
                BrokenEntry(
                    register, branch_code, sequence, entry_id, case_id, "content does not match its hash: edited"
                )
            )
        expected_sequence = sequence + 1
        expected_previous = digest
    head = RegisterHead.objects.filter(register=register, branch_code=branch_code).first()
    if head is not None and head.sequence >= after_sequence and head.sequence != expected_sequence - 1:
        broken.append(
            BrokenEntry(
                register,
                branch_code,
                head.sequence,
                None,
                None,
                f"the register head records {head.sequence} entries but the chain ends at #{expected_sequence - 1}",
            )
        )
    return VerifyResult(count, expected_sequence - 1, expected_previous, broken)
