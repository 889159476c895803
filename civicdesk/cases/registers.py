"""The receipt (收案簿) and assignment (分案簿) registers: append-only hash chains written in bulk.

Canonical rule (docs/adr/0011-register-blocks.md): an entry's *content* is its fields other than the branch code,
the timestamp and the actor, in the fixed order of ``RECEIPT_FIELDS`` / ``ASSIGNMENT_FIELDS``, as text joined by
U+001F — integers in decimal, the day as ``YYYY-MM-DD``. Its *header* is ``register, branch, timestamp (UTC
``YYYY-MM-DD HH:MM:SS.ffffff``), actor``, each followed by U+001F; one write has one timestamp and one actor.
Two chains cover the same entries:

- per entry: ``entry_hash = SHA-256(previous entry's hash + header + content)`` (locates what changed), the previous
  hash as 64 hex digits (the genesis hash before the first entry); stored as the 32 raw bytes, with no stored link:
  the link is the previous row's hash (docs/adr/0013-register-entry-shape.md);
- per block (the entries one write appended, :class:`~civicdesk.cases.models.RegisterBlock`):
  ``block_hash = SHA-256(previous block's hash + header + contents joined by U+001E)``.

Each entry's content is a stored generated column (``content``, docs/adr/0012-register-content-column.md) that
the database computes from the typed columns: it cannot be written directly and changes with any edit of them, so
a full verification concatenates and hashes that one column per block; only a block that fails is walked entry by
entry. The writer builds the same text in Python (:func:`entry_text`); the tests check the two agree.

Callers hold a transaction: :func:`register_append` locks the register head, numbers the entries (overall
and within their day), chains them, inserts them with one bulk insert and records the block.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, NamedTuple

from django.db import connection, transaction
from django.db.models import QuerySet

from civicdesk.audit.ledger import GENESIS_HASH
from civicdesk.cases.bulk import bulk_insert, quoted_table
from civicdesk.cases.models import AssignmentEntry, ReceiptEntry, RegisterBlock, RegisterDay, RegisterHead

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
_SEPARATOR = "\x1f"  # between the fields of an entry
_ENTRY_SEPARATOR = "\x1e"  # between the entries of a block
_HEADER_FIELDS = frozenset({"branch_code", "recorded_at", "actor"})  # one value per block: in the header
_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
EDITED = "content does not match its hash: edited, or the entry before it rewritten with a new hash"
HASH_EDITED = "its stored hash was changed (its content is intact: the next entry follows from it)"


def _text(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.strftime(_TIME_FORMAT)  # naive values are UTC (SQLite without the ORM's conversion)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def header(register: str, branch_code: str, recorded_at: Any, actor: str) -> str:
    return _SEPARATOR.join((register, branch_code, _text(recorded_at), actor, ""))


def _content_values(values: Sequence[Any], register: str) -> list[Any]:
    return [v for name, v in zip(FIELDS[register], values, strict=True) if name not in _HEADER_FIELDS]


def entry_text(register: str, values: Sequence[Any]) -> str:
    """An entry's content given its field values in ``FIELDS[register]`` order (header fields left out)."""
    return _SEPARATOR.join(_text(v) for v in _content_values(values, register))


def _header_of(register: str, values: Sequence[Any]) -> str:
    named = dict(zip(FIELDS[register], values, strict=True))
    return header(register, named["branch_code"], named["recorded_at"], named["actor"])


def entry_content(register: str, values: Sequence[Any]) -> bytes:
    """The bytes an entry's hash covers (after the previous hash): its header and its content."""
    return (_header_of(register, values) + entry_text(register, values)).encode()


def entry_hash(previous_hash: str, content: bytes) -> bytes:
    """An entry's stored hash (32 bytes) from the previous entry's hash (hex) and :func:`entry_content`."""
    return hashlib.sha256(previous_hash.encode("ascii") + content).digest()


def block_hash(previous_hash: str, block_header: str, contents: Sequence[str]) -> str:
    text = previous_hash + block_header + _ENTRY_SEPARATOR.join(contents)
    return hashlib.sha256(text.encode()).hexdigest()


def _recorded_sql() -> str:
    if connection.vendor == "postgresql":
        return "to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
    # SQLite keeps the canonical text itself (the writer stores it so); the cast stops the driver's conversion to a
    # datetime, whose str() drops ".000000".
    return "CAST(recorded_at AS TEXT)"


# PostgreSQL: block records with the digest their entries give now, in one statement — every block of a
# verification (:meth:`_Verifier.blocks`, the rows in the index order the aggregate keeps) or one block again with
# the ordered aggregate (:meth:`_Verifier.block_digest`). {blocks} is the block records' query; a block whose first
# entry is missing, or whose entries with the first's timestamp and actor are fewer than its sequence range, gets no
# digest (it cannot match). One count does both: (branch, sequence) is unique, so the range holds no extra rows.
_BLOCK_DIGESTS_SQL = """
SELECT b.first_sequence, b.last_sequence, b.previous_hash, b.block_hash,
       CASE WHEN d.entries = b.last_sequence - b.first_sequence + 1 THEN d.digest END
FROM ({blocks}) b
LEFT JOIN LATERAL (
  SELECT h.recorded_at, {recorded} AS recorded_text, h.actor FROM {table} h
  WHERE h.branch_code = %s AND h.sequence = b.first_sequence
) h ON TRUE
LEFT JOIN LATERAL (
  SELECT encode(sha256(convert_to(b.previous_hash || %s || h.recorded_text || chr(31) || h.actor || chr(31)
                                  || COALESCE(string_agg(e.{content}, chr(30){order}), ''), 'UTF8')), 'hex') AS digest,
         COUNT(*) FILTER (WHERE e.recorded_at = h.recorded_at AND e.actor = h.actor) AS entries
  FROM (SELECT sequence, {content}, recorded_at, actor FROM {table}
        WHERE branch_code = %s AND sequence BETWEEN b.first_sequence AND b.last_sequence ORDER BY sequence) e
  WHERE h.recorded_at IS NOT NULL
) d ON TRUE
ORDER BY b.first_sequence
"""

# Entries per part of a full verification (VerifyRange): enough parts to keep every core busy to the end, each
# long enough that its few statements cost little beside reading its rows (~0.1 s per part at 5,000,000).
ENTRIES_PER_RANGE = 250_000
CONTENT_COLUMN = "content"  # the generated column holding an entry's content (models.EntryContent)


class NewEntry(NamedTuple):
    """What a caller supplies; numbering, timestamps and hashes are added here (a tuple: intake makes millions)."""

    day: datetime.date
    case_id: int
    case_number: str
    extra: tuple[str, ...]  # the register-specific fields (text), in FIELDS order after the common ones


def _head(register: str, branch_code: str) -> RegisterHead:
    head = RegisterHead.objects.select_for_update().filter(register=register, branch_code=branch_code).first()
    if head is None:
        head = RegisterHead.objects.create(
            register=register, branch_code=branch_code, entry_hash=GENESIS_HASH, block_hash=GENESIS_HASH
        )
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
    """Append entries (one block) to a branch's register inside the caller's transaction; returns the last sequence."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("register_append must run inside a transaction")
    head = _head(register, branch_code)
    if not entries:
        return head.sequence
    days = _day_counts(register, branch_code, {e.day for e in entries})
    first_sequence = head.sequence + 1
    sequence = head.sequence
    previous = head.entry_hash
    # SQLite stores the canonical text itself, so the database can assemble the content without converting.
    sqlite = connection.vendor == "sqlite"
    stored_at: Any = _text(recorded_at) if sqlite else recorded_at
    # Per day: its number-of-the-day counter, its text in the content and its stored value (SQLite: the text).
    counts = {day: row.count for day, row in days.items()}
    day_text = {day: f"{_SEPARATOR}{day.isoformat()}{_SEPARATOR}" for day in days}
    stored_day: dict[datetime.date, Any] = {day: day.isoformat() if sqlite else day for day in days}
    chain_header = header(register, branch_code, recorded_at, actor)
    sha256 = hashlib.sha256
    join = _SEPARATOR.join
    rows: list[tuple[Any, ...]] = []
    contents: list[str] = []
    for day, case_id, case_number, extra in entries:
        sequence += 1
        count = counts[day] + 1
        counts[day] = count
        # == entry_text() of the stored values, assembled with fewer conversions (tests check the two agree).
        content = (
            f"{sequence}{day_text[day]}{count}{_SEPARATOR}{case_id}{_SEPARATOR}{case_number}{_SEPARATOR}{join(extra)}"
        )
        contents.append(content)
        digest = sha256(f"{previous}{chain_header}{content}".encode())
        rows.append(
            (
                branch_code,
                sequence,
                stored_day[day],
                count,
                stored_at,
                actor,
                case_id,
                case_number,
                *extra,
                digest.digest(),
            )
        )
        previous = digest.hexdigest()  # the next entry's link is the hex text (the canonical rule)
    for day, row in days.items():
        row.count = counts[day]
    bulk_insert(MODELS[register]._meta.db_table, (*FIELDS[register], "entry_hash"), rows)
    block = block_hash(head.block_hash, chain_header, contents)
    RegisterBlock.objects.create(
        register=register,
        branch_code=branch_code,
        first_sequence=first_sequence,
        last_sequence=sequence,
        previous_hash=head.block_hash,
        block_hash=block,
    )
    RegisterDay.objects.bulk_update(list(days.values()), ["count"])
    RegisterHead.objects.filter(pk=head.pk).update(sequence=sequence, entry_hash=previous, block_hash=block)
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
    last_hash: str  # the hash of the last block verified: the watermark of the next incremental run
    broken: list[BrokenEntry]


def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


class _Verifier:
    def __init__(self, register: str, branch_code: str) -> None:
        self.register = register
        self.branch_code = branch_code
        self.prefix = f"{register}{_SEPARATOR}{branch_code}{_SEPARATOR}"  # the header up to the timestamp
        self.table = quoted_table(MODELS[register])
        self.recorded = _recorded_sql()
        self.broken: list[BrokenEntry] = []
        self.entries = 0

    def report(self, sequence: int, reason: str, entry_id: int | None = None, case_id: int | None = None) -> None:
        self.broken.append(BrokenEntry(self.register, self.branch_code, sequence, entry_id, case_id, reason))

    def block_digest(self, previous_hash: str, first: int, last: int, expected: str) -> str | None:
        """The digest the block's entries give now, from what the database holds; None if it cannot match.

        The header's timestamp and actor are the same for every entry of a block: an entry whose differ cannot
        match. On SQLite the block's rows are read as one rowid range (the entries of a write are inserted
        consecutively), in rowid order; the count, the branch and the sequences in the content catch anything
        outside it.
        """
        if connection.vendor == "postgresql":
            return self._postgres_digest(previous_hash, first, last, expected)
        ends = {
            sequence: rest
            for sequence, *rest in _fetch(
                f"SELECT sequence, id, {self.recorded}, actor FROM {self.table} "  # noqa: S608
                "WHERE branch_code = %s AND sequence IN (%s, %s)",
                [self.branch_code, first, last],
            )
        }
        if first not in ends or last not in ends:
            return None
        first_id, recorded_at, actor = ends[first]
        # The rowid range, with every entry's header fields compared to the first's; read as bytes (no decoding).
        ((content, count, others),) = _fetch(
            f"SELECT CAST(group_concat({CONTENT_COLUMN}, char(30)) AS BLOB), COUNT(*), "  # noqa: S608
            "SUM(branch_code <> %s OR recorded_at <> %s OR actor <> %s) "
            f"FROM {self.table} WHERE id BETWEEN %s AND %s",
            [self.branch_code, recorded_at, actor, first_id, ends[last][0]],
        )
        if count != last - first + 1 or others:
            return None
        digest = hashlib.sha256(f"{previous_hash}{self.prefix}{recorded_at}{_SEPARATOR}{actor}{_SEPARATOR}".encode())
        digest.update(content or b"")
        return digest.hexdigest()

    def _postgres_digests(self, blocks: str, params: list[Any], *, ordered: bool) -> list[tuple[Any, ...]]:
        """:data:`_BLOCK_DIGESTS_SQL` over the block records ``blocks`` selects (hashed where the data is: only the
        digests travel), without JIT: its estimate of a range (every block a lateral aggregate) is far above the
        default jit_above_cost, and compiling the statement cost more than running it (15 ms for ten blocks,
        measured, against ~0.4 µs an entry). SET LOCAL ends with the transaction (or with the caller's)."""
        sql = _BLOCK_DIGESTS_SQL.format(
            blocks=blocks,
            table=self.table,
            content=CONTENT_COLUMN,
            recorded=self.recorded,
            order=" ORDER BY e.sequence" if ordered else "",
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(sql, [*params, self.branch_code, self.prefix, self.branch_code])
            return list(cursor.fetchall())

    def _postgres_digest(self, previous_hash: str, first: int, last: int, expected: str) -> str | None:
        """One block's digest with the ordered aggregate (a sort): for a block whose digest from :meth:`blocks`,
        where the rows come in the order of the index range scan, did not match — should a plan ever not keep that
        order, this decides before the block is walked."""
        ((*_record, digest),) = self._postgres_digests(
            "SELECT %s::bigint AS first_sequence, %s::bigint AS last_sequence, "
            "%s::text AS previous_hash, %s::text AS block_hash",
            [first, last, previous_hash, expected],
            ordered=True,
        )
        return None if digest is None else str(digest)

    def blocks(self, after_sequence: int, upto_sequence: int | None) -> Iterator[tuple[int, int, str, str, str | None]]:
        """The block records a verification reads, in order: first and last sequence, link, stored hash, and on
        PostgreSQL the digest the block's entries give now (None where it cannot match, as :meth:`block_digest`).

        On PostgreSQL one statement per call computes every block's digest where the data is, instead of two
        statements per block (a register of 5,000,000 entries in blocks of 5,000 on one connection: 3.8–4.5 s
        block by block, 2.6–2.8 s so). A block whose digest differs is checked again by :meth:`block_digest` (in the
        order of an ordered aggregate) before it is walked. Elsewhere the digest is None: computed per block.
        """
        records = _blocks(self.register, self.branch_code, after_sequence, upto_sequence)
        if connection.vendor != "postgresql":
            yield from (
                (*row, None)
                for row in records.values_list(
                    "first_sequence", "last_sequence", "previous_hash", "block_hash"
                ).iterator(1000)
            )
            return
        sql, params = records.values_list(
            "first_sequence", "last_sequence", "previous_hash", "block_hash"
        ).query.sql_with_params()
        yield from self._postgres_digests(sql, list(params), ordered=False)

    def walk(self, first: int, last: int | None) -> int:
        """Check entries ``first``..``last`` one by one against their own hashes; returns how many there are.

        No link is stored: each entry is hashed over the stored hash of the row before it. An entry that does not
        match was edited, or follows an entry rewritten with a new hash (the two look the same without a stored
        link); if it matches the hash the entry before *should* have (from that entry's own content), it is intact
        and the entry before kept its content but had its hash changed, which is reported instead. The entry right
        after a gap cannot be checked by itself (its link is the missing entry); the gap is reported.
        """
        previous_rows = _fetch(
            f"SELECT entry_hash FROM {self.table} WHERE branch_code = %s AND sequence = %s",  # noqa: S608
            [self.branch_code, first - 1],
        )
        stored_previous = bytes(previous_rows[0][0]).hex() if previous_rows else (GENESIS_HASH if first == 1 else None)
        recomputed_previous = stored_previous  # the hash the entry before gives from its content and link
        previous_report: int | None = None  # where the entry before is reported as edited
        expected_sequence = first
        upper = "" if last is None else "AND sequence <= %s "
        rows = _fetch(
            f"SELECT id, sequence, case_id, {CONTENT_COLUMN}, {self.recorded}, actor, entry_hash "  # noqa: S608
            f"FROM {self.table} WHERE branch_code = %s AND sequence >= %s {upper}ORDER BY sequence",
            [self.branch_code, first, *([] if last is None else [last])],
        )
        for entry_id, sequence, case_id, content, recorded, actor, stored in rows:
            digest = bytes(stored)
            if sequence != expected_sequence:
                self.report(expected_sequence, f"entries missing before #{sequence}")
                stored_previous = recomputed_previous = None
            text = f"{self.prefix}{recorded}{_SEPARATOR}{actor}{_SEPARATOR}{content}".encode()
            own = None if stored_previous is None else entry_hash(stored_previous, text)
            report = None
            if own is not None and own != digest:
                if (
                    previous_report is not None
                    and recomputed_previous not in (None, stored_previous)
                    and entry_hash(str(recomputed_previous), text) == digest
                ):
                    self.broken[previous_report] = replace(self.broken[previous_report], reason=HASH_EDITED)
                else:
                    report = len(self.broken)
                    self.report(sequence, EDITED, entry_id, case_id)
            previous_report = report
            stored_previous = digest.hex()
            recomputed_previous = stored_previous if own is None else own.hex()
            expected_sequence = sequence + 1
        if last is not None and expected_sequence <= last:
            self.report(expected_sequence, f"entries missing up to #{last}")
        return len(rows)


def _blocks(register: str, branch_code: str, after_sequence: int, upto_sequence: int | None) -> QuerySet[RegisterBlock]:
    """The block records a verification after ``after_sequence`` (up to ``upto_sequence``) reads, in order."""
    blocks = RegisterBlock.objects.filter(register=register, branch_code=branch_code, last_sequence__gt=after_sequence)
    if upto_sequence is not None:
        blocks = blocks.filter(last_sequence__lte=upto_sequence)
    return blocks.order_by("first_sequence")


@dataclass(frozen=True)
class VerifyRange:
    """One part of a register's verification: the blocks after ``after_sequence`` up to ``upto_sequence``.

    ``final`` is the register's last part, which also checks the entries after the last block record and the head;
    ``chain_start`` is where the whole verification began (the head must not record less than that).
    """

    register: RegisterName
    after_sequence: int
    after_hash: str
    upto_sequence: int | None
    final: bool
    chain_start: int

    def verify(self, branch_code: str) -> VerifyResult:
        return register_verify(
            register=self.register,
            branch_code=branch_code,
            after_sequence=self.after_sequence,
            after_hash=self.after_hash,
            upto_sequence=self.upto_sequence,
            tail=self.final,
            chain_start=self.chain_start,
        )


def verify_ranges(
    *,
    register: RegisterName,
    branch_code: str,
    after_sequence: int = 0,
    after_hash: str = GENESIS_HASH,
    upto_sequence: int | None = None,
    entries_per_range: int | None = None,
) -> list[VerifyRange]:
    """Split what ``register_verify`` would check into consecutive ranges of whole blocks that other connections
    can verify at the same time; verified in any order, the ranges check exactly what the one call would.

    A range ends after a block only where the block list is regular (the next block starts right after it and no
    earlier block reaches beyond it): each range then reads the same blocks, in the same order, with the same
    link to the block before, as the one call; overlapping or misplaced block records stay inside one range.
    """
    spans = list(
        _blocks(register, branch_code, after_sequence, upto_sequence).values_list(
            "first_sequence", "last_sequence", "block_hash"
        )
    )
    size = ENTRIES_PER_RANGE if entries_per_range is None else entries_per_range
    ranges: list[VerifyRange] = []
    start, start_hash, reach, counted = after_sequence, after_hash, after_sequence, 0
    for (first, last, stored), (next_first, _next_last, _next_hash) in itertools.pairwise(spans):
        counted += last - first + 1
        reach = max(reach, last)
        if counted >= size and reach == last and next_first == last + 1:
            ranges.append(VerifyRange(register, start, start_hash, last, False, after_sequence))
            start, start_hash, counted = last, stored, 0
    ranges.append(VerifyRange(register, start, start_hash, upto_sequence, True, after_sequence))
    return ranges


def register_verify(
    *,
    register: RegisterName,
    branch_code: str,
    after_sequence: int = 0,
    after_hash: str = GENESIS_HASH,
    upto_sequence: int | None = None,
    tail: bool = True,
    chain_start: int | None = None,
) -> VerifyResult:
    """Check every entry after ``after_sequence`` (a block boundary; ``after_hash`` is that block's hash).

    Each block's digest is recomputed from the entries the database holds; a block that does not match is walked
    entry by entry, so each edited, inserted or missing entry is reported by itself: an entry whose content no
    longer matches its own hash was edited; an entry whose link does not match the entry before it follows an edit
    of that link, an insertion or a deletion; a gap in the numbering is a deletion. Blocks that were removed,
    inserted or relinked, and entries no block covers, are reported too.

    ``upto_sequence`` (the head another connection read) stops at that block boundary: blocks appended since are
    left to the next run, while entries no block covers are still reported wherever they are.

    ``tail=False`` leaves out the checks of the register's end (entries after the last block record, the head): a
    part of the chain other than the last (:class:`VerifyRange`). ``chain_start`` is where the whole verification
    began, when this call checks a later part.
    """
    verifier = _Verifier(register, branch_code)
    expected_first, expected_previous = after_sequence + 1, after_hash
    for first, last, previous_hash, stored, digest in verifier.blocks(after_sequence, upto_sequence):
        if first < expected_first:
            verifier.report(first, f"a block record (#{first}–#{last}) overlaps entries already verified")
            verifier.walk(max(first, expected_first), last)
        else:
            if first > expected_first:
                verifier.report(expected_first, f"entries #{expected_first}–#{first - 1} have no block record")
                verifier.walk(expected_first, first - 1)
            if previous_hash != expected_previous:
                verifier.report(
                    first, "its block's link to the block before does not match: a block was removed or relinked"
                )
            verifier.entries += last - first + 1
            if digest != stored and verifier.block_digest(previous_hash, first, last, stored) != stored:
                before = len(verifier.broken)
                verifier.walk(first, last)
                if len(verifier.broken) == before:
                    verifier.report(first, f"the block record #{first}–#{last} does not match its entries")
        expected_first, expected_previous = last + 1, stored
    if not tail:
        return VerifyResult(verifier.entries, expected_first - 1, expected_previous, verifier.broken)
    # Entries after the last block record (blocks appended after ``upto_sequence`` included): written without one.
    # One statement, so the blocks, the entries and the head are read at one moment even while writers append.
    verified_end = expected_first - 1
    ((covered, extra, head),) = _fetch(
        f"SELECT t.covered, (SELECT COUNT(*) FROM {verifier.table} e "  # noqa: S608
        "WHERE e.branch_code = %s AND e.sequence > t.covered), "
        f"(SELECT h.sequence FROM {quoted_table(RegisterHead)} h WHERE h.register = %s AND h.branch_code = %s) "
        f"FROM (SELECT COALESCE(MAX(b.last_sequence), %s) AS covered FROM {quoted_table(RegisterBlock)} b "
        "WHERE b.register = %s AND b.branch_code = %s AND b.last_sequence > %s) t",
        [branch_code, register, branch_code, verified_end, register, branch_code, verified_end],
    )
    if extra:
        verifier.report(covered + 1, f"{extra} entries from #{covered + 1} on have no block record")
        verifier.entries += verifier.walk(covered + 1, None)
    # The head moves with the blocks (one transaction): it is where they end, and where the blocks up to the head
    # the caller read end.
    for recorded, end in dict.fromkeys(((head, covered), (upto_sequence, verified_end))):
        if (
            recorded is not None
            and recorded >= (after_sequence if chain_start is None else chain_start)
            and recorded != end
        ):
            verifier.report(recorded, f"the register head records {recorded} entries but the chain ends at #{end}")
    return VerifyResult(verifier.entries, expected_first - 1, expected_previous, verifier.broken)
