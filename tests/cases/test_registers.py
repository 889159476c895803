"""The register chains (docs/adr/0011, 0013): writer and verifier agree; each tampering is named."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from civicdesk.cases import registers
from civicdesk.cases.bulk import bulk_insert
from civicdesk.cases.models import ReceiptEntry, RegisterBlock, RegisterHead
from civicdesk.organization.models import Branch
from tests.cases.conftest import import_in_blocks

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(branch: Branch, write_csv: Callable[..., Path]) -> None:
    """Twelve cases imported in three blocks of four, then one manual entry (a block of one) on the same day."""
    import_in_blocks(branch, write_csv, count=12, batch_size=4, seed=3)
    with transaction.atomic():
        registers.register_append(
            register=registers.RECEIPT,
            branch_code="TCH",
            entries=[registers.NewEntry(timezone.localdate(), 999, "115年健保執專字第00000999號", ("NHIA", "X-1"))],
            actor="counter",
            recorded_at=datetime.datetime(2026, 11, 29, 2, 0, tzinfo=datetime.UTC),  # no microseconds
        )


def _sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


EDITED = registers.EDITED
EXTRA = {registers.RECEIPT: ("NHIA", "R-9"), registers.ASSIGNMENT: ("assign", "S02", "", "rotation", "")}


def _values(entry: object, register: str = registers.RECEIPT) -> list[object]:
    return [getattr(entry, name) for name in registers.FIELDS[register]]


def _rehash(sequence: int, previous_sequence: int) -> None:
    """What a forger does: give entry ``sequence`` the hash that links it to entry ``previous_sequence``."""
    previous = bytes(ReceiptEntry.objects.get(sequence=previous_sequence).entry_hash).hex()
    content = registers.entry_content(registers.RECEIPT, _values(ReceiptEntry.objects.get(sequence=sequence)))
    _sql(
        "UPDATE cases_receiptentry SET entry_hash = %s WHERE sequence = %s",
        [registers.entry_hash(previous, content), sequence],
    )


def _broken(after: int = 0, after_hash: str = registers.GENESIS_HASH) -> list[tuple[int, str]]:
    result = registers.register_verify(
        register=registers.RECEIPT, branch_code="TCH", after_sequence=after, after_hash=after_hash
    )
    return [(b.sequence, b.reason) for b in result.broken]


def test_the_writer_and_the_database_assemble_the_same_content(written: None) -> None:
    assert list(RegisterBlock.objects.filter(register="receipt").values_list("first_sequence", "last_sequence")) == [
        (1, 4),
        (5, 8),
        (9, 12),
        (13, 13),
    ]
    for register in (registers.RECEIPT, registers.ASSIGNMENT):
        model = registers.MODELS[register]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT sequence, {registers.CONTENT_COLUMN} FROM {table} ORDER BY sequence",  # noqa: S608
                [],
            )
            assembled = dict(cursor.fetchall())
        previous = registers.GENESIS_HASH
        for entry in model.objects.order_by("sequence"):
            values = _values(entry, register)
            assert registers.entry_text(register, values) == assembled[entry.sequence]
            content = registers.entry_content(register, values)
            # 32 raw bytes, chained over the previous entry's hash as hex text (the canonical rule).
            assert bytes(entry.entry_hash) == registers.entry_hash(previous, content)
            assert len(bytes(entry.entry_hash)) == 32
            previous = bytes(entry.entry_hash).hex()
        assert RegisterHead.objects.get(register=register).entry_hash == previous
        result = registers.register_verify(register=register, branch_code="TCH")
        assert result.broken == []
        assert result.entries == model.objects.count()


def test_an_edited_entry_is_named_and_only_its_block_is_walked(written: None) -> None:
    _sql("UPDATE cases_receiptentry SET case_number = case_number || 'X' WHERE sequence = 6")
    assert _broken() == [(6, EDITED)]


@pytest.mark.parametrize(
    ("column", "value"),
    [("actor", "someone else"), ("recorded_at", datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC))],
)
def test_an_edited_timestamp_or_actor_inside_a_block_is_named(written: None, column: str, value: object) -> None:
    """A block's digest covers its first entry's timestamp and actor once; the others' are in their own hashes.
    An edit of either in a later entry of the block must still fail the block, so the walk names it."""
    _sql(f"UPDATE cases_receiptentry SET {column} = %s WHERE sequence = 7", [value])  # noqa: S608
    assert _broken() == [(7, EDITED)]


def test_an_edited_hash_is_named_as_such_when_its_block_is_walked(written: None) -> None:
    # The hash of #7 alone: no content changed, so the block's digest still matches (ADR 0011); a walk of the
    # block (here forced by an edit of #5) names it, and #8, whose hash follows from #7's content, is not named.
    _sql("UPDATE cases_receiptentry SET entry_hash = %s WHERE sequence = 7", [hashlib.sha256(b"forged").digest()])
    assert _broken() == []
    verifier = registers._Verifier(registers.RECEIPT, "TCH")
    assert verifier.walk(1, None) == 13
    assert [(b.sequence, b.reason) for b in verifier.broken] == [(7, registers.HASH_EDITED)]
    _sql("UPDATE cases_receiptentry SET case_number = case_number || 'X' WHERE sequence = 5")
    assert _broken() == [(5, EDITED), (7, registers.HASH_EDITED)]


def test_an_edited_entry_given_a_new_hash_names_the_entry_after_it(written: None) -> None:
    # With its hash recomputed the edited entry is consistent by itself; the next one no longer follows from it.
    _sql("UPDATE cases_receiptentry SET case_number = case_number || 'X' WHERE sequence = 6")
    _rehash(6, 5)
    assert _broken() == [(7, EDITED)]


def test_the_content_column_cannot_be_written_and_follows_an_edit(written: None) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("UPDATE cases_receiptentry SET content = 'forged' WHERE sequence = 2")
    _sql("UPDATE cases_receiptentry SET day_sequence = 77 WHERE sequence = 2")
    assert ReceiptEntry.objects.get(sequence=2).content.split("\x1f")[2] == "77"
    assert _broken() == [(2, EDITED)]


def test_a_deleted_entry_a_reordering_and_a_relinked_deletion_are_reported(written: None) -> None:
    _sql("DELETE FROM cases_receiptentry WHERE sequence = 3")
    _sql("UPDATE cases_receiptentry SET sequence = 100 WHERE sequence = 7")
    _sql("UPDATE cases_receiptentry SET sequence = 7 WHERE sequence = 8")
    _sql("UPDATE cases_receiptentry SET sequence = 8 WHERE sequence = 100")
    # Delete #10 and relink #11 to #9 (a new hash): #12 no longer follows from it.
    _sql("DELETE FROM cases_receiptentry WHERE sequence = 10")
    _rehash(11, 9)
    found = _broken()
    # The entry after a gap cannot be checked by itself (#4, #11): its link is the missing entry.
    assert found == [
        (3, "entries missing before #4"),
        (7, EDITED),  # the swapped pair carry each other's content
        (8, EDITED),
        (9, EDITED),  # follows the changed #8
        (10, "entries missing before #11"),
        (12, EDITED),  # follows the rehashed #11
    ]


def test_a_deletion_hidden_by_renumbering_and_rehashing_is_reported(written: None) -> None:
    # Every entry of the block left is consistent with the one before it; the block is one short.
    _sql("DELETE FROM cases_receiptentry WHERE sequence = 10")
    for sequence in (11, 12):
        _sql("UPDATE cases_receiptentry SET sequence = %s WHERE sequence = %s", [sequence - 1, sequence])
        _rehash(sequence - 1, sequence - 2)
    assert _broken() == [(12, "entries missing up to #12")]


def test_an_inserted_entry_is_reported_even_with_a_valid_hash(written: None) -> None:
    # Make room at #13 and insert a forged entry there, correctly chained to #12.
    _sql("UPDATE cases_receiptentry SET sequence = 14 WHERE sequence = 13")
    _sql(
        "INSERT INTO cases_receiptentry (branch_code, sequence, day, day_sequence, recorded_at, actor, case_id, "
        "case_number, agency_code, agency_reference, entry_hash) "
        "SELECT branch_code, 13, day, day_sequence, recorded_at, actor, case_id + 1000, case_number, agency_code, "
        "'FORGED', entry_hash FROM cases_receiptentry WHERE sequence = 14"
    )
    _rehash(13, 12)
    assert _broken() == [
        (13, "the block record #13–#13 does not match its entries"),
        (14, "1 entries from #14 on have no block record"),
        (14, EDITED),  # follows the forged #13
    ]


def test_a_truncated_tail_is_reported(written: None) -> None:
    _sql("DELETE FROM cases_receiptentry WHERE sequence >= 12")
    assert _broken() == [(12, "entries missing up to #12"), (13, "entries missing up to #13")]


def test_an_edited_block_record_is_reported(written: None) -> None:
    RegisterBlock.objects.filter(register="receipt", first_sequence=5).update(block_hash="f" * 64)
    assert _broken() == [
        (5, "the block record #5–#8 does not match its entries"),
        (9, "its block's link to the block before does not match: a block was removed or relinked"),
    ]


def test_a_removed_block_record_and_entries_without_one_are_reported(written: None) -> None:
    RegisterBlock.objects.filter(register="receipt", first_sequence=5).delete()
    found = _broken()
    assert (5, "entries #5–#8 have no block record") in found
    assert any(sequence == 9 and "block's link" in reason for sequence, reason in found)


def test_an_incremental_check_starts_at_the_watermark_and_sees_a_rewrite_before_it(written: None) -> None:
    full = registers.register_verify(register=registers.RECEIPT, branch_code="TCH")
    assert (full.last_sequence, full.last_hash) == (
        13,
        RegisterBlock.objects.get(register="receipt", first_sequence=13).block_hash,
    )
    block = RegisterBlock.objects.get(register="receipt", first_sequence=9)
    assert _broken(after=8, after_hash=RegisterBlock.objects.get(register="receipt", first_sequence=5).block_hash) == []
    # Someone rewrote everything from block 2 on: the block after the watermark no longer links to it.
    assert _broken(after=8, after_hash="e" * 64)[0][0] == block.first_sequence


def test_entries_appended_without_a_block_record_are_reported(written: None) -> None:
    entry = ReceiptEntry.objects.get(sequence=13)
    _sql(
        "INSERT INTO cases_receiptentry (branch_code, sequence, day, day_sequence, recorded_at, actor, case_id, "
        "case_number, agency_code, agency_reference, entry_hash) "
        "SELECT branch_code, 14, day, day_sequence + 1, recorded_at, actor, case_id + 1, case_number, agency_code, "
        "agency_reference, entry_hash FROM cases_receiptentry WHERE sequence = 13"
    )
    found = _broken()
    assert (14, "1 entries from #14 on have no block record") in found
    assert (14, EDITED) in found
    assert entry.sequence == 13


def test_a_check_up_to_a_head_leaves_later_blocks_but_reports_entries_without_a_block(written: None) -> None:
    bounded = registers.register_verify(register=registers.RECEIPT, branch_code="TCH", upto_sequence=8)
    assert (bounded.last_sequence, bounded.entries, bounded.broken) == (8, 8, [])
    _sql(
        "INSERT INTO cases_receiptentry (branch_code, sequence, day, day_sequence, recorded_at, actor, case_id, "
        "case_number, agency_code, agency_reference, entry_hash) "
        "SELECT branch_code, 14, day, day_sequence + 1, recorded_at, actor, case_id + 1, case_number, agency_code, "
        "agency_reference, entry_hash FROM cases_receiptentry WHERE sequence = 13"
    )
    found = registers.register_verify(register=registers.RECEIPT, branch_code="TCH", upto_sequence=8).broken
    assert [(b.sequence, b.reason) for b in found][:1] == [(14, "1 entries from #14 on have no block record")]


def _legacy_append(register: registers.RegisterName, case_ids: range, recorded_at: datetime.datetime) -> None:
    """The register writer as it was before migration 0005: hex hashes, each entry's link stored."""
    day, actor = datetime.date(2026, 11, 28), "clerk"
    extra = ("NHIA", "R-1") if register == registers.RECEIPT else ("assign", "S01", "", "rotation", "")
    head = RegisterHead.objects.filter(register=register, branch_code="TCH").first()
    sequence = head.sequence if head else 0
    previous = head.entry_hash if head else registers.GENESIS_HASH
    previous_block = head.block_hash if head else registers.GENESIS_HASH
    sqlite = connection.vendor == "sqlite"
    rows, contents, first = [], [], sequence + 1
    for case_id in case_ids:
        sequence += 1
        values = [
            "TCH",
            sequence,
            day,
            sequence,
            recorded_at,
            actor,
            case_id,
            f"115年健保執專字第{case_id:08d}號",
            *extra,
        ]
        contents.append(registers.entry_text(register, values))
        digest = hashlib.sha256(previous.encode() + registers.entry_content(register, values)).hexdigest()
        stored = values.copy()
        stored[2], stored[4] = (day.isoformat(), registers._text(recorded_at)) if sqlite else (day, recorded_at)
        rows.append((*stored, previous, digest))
        previous = digest
    model = registers.MODELS[register]
    bulk_insert(model._meta.db_table, (*registers.FIELDS[register], "previous_hash", "entry_hash"), rows)
    block = registers.block_hash(previous_block, registers.header(register, "TCH", recorded_at, actor), contents)
    RegisterBlock.objects.create(
        register=register,
        branch_code="TCH",
        first_sequence=first,
        last_sequence=sequence,
        previous_hash=previous_block,
        block_hash=block,
    )
    RegisterHead.objects.update_or_create(
        register=register,
        branch_code="TCH",
        defaults={"sequence": sequence, "entry_hash": previous, "block_hash": block},
    )


def _migrate(target: str | None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("cases", target)] if target else executor.loader.graph.leaf_nodes())


def _legacy_chains() -> dict[str, list[tuple[int, str, str]]]:
    chains = {}
    for register in (registers.RECEIPT, registers.ASSIGNMENT):
        table = connection.ops.quote_name(registers.MODELS[register]._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT sequence, previous_hash, entry_hash FROM {table} ORDER BY sequence")  # noqa: S608
            chains[register] = list(cursor.fetchall())
    return chains


@pytest.mark.django_db(transaction=True)
def test_migrating_gives_existing_entries_their_content_and_their_chains_still_verify() -> None:
    _migrate("0003_register_blocks")
    try:
        # Written before the content column existed (the writer never writes it).
        recorded_at = datetime.datetime(2026, 11, 28, 1, 2, 3, 456789, tzinfo=datetime.UTC)
        with transaction.atomic():
            for register in (registers.RECEIPT, registers.ASSIGNMENT):
                _legacy_append(register, range(1, 4), recorded_at)
    finally:
        _migrate(None)
    for register in (registers.RECEIPT, registers.ASSIGNMENT):
        model = registers.MODELS[register]
        for entry in model.objects.all():
            assert entry.content == registers.entry_text(register, _values(entry, register))
        result = registers.register_verify(register=register, branch_code="TCH")
        assert (result.entries, result.broken) == (3, [])


@pytest.mark.django_db(transaction=True)
def test_migrating_to_binary_hashes_keeps_every_chain_and_reverses_without_loss() -> None:
    _migrate("0004_register_content")
    try:
        with transaction.atomic():
            for register in (registers.RECEIPT, registers.ASSIGNMENT):
                _legacy_append(register, range(1, 4), datetime.datetime(2026, 11, 28, 1, 2, 3, tzinfo=datetime.UTC))
                _legacy_append(register, range(4, 9), datetime.datetime(2026, 11, 28, 5, 0, 0, 7, tzinfo=datetime.UTC))
        before = _legacy_chains()
        _migrate("0005_register_entry_shape")
        for register in (registers.RECEIPT, registers.ASSIGNMENT):
            model = registers.MODELS[register]
            hashes = [bytes(h) for h in model.objects.order_by("sequence").values_list("entry_hash", flat=True)]
            assert hashes == [bytes.fromhex(digest) for _sequence, _link, digest in before[register]]
            result = registers.register_verify(register=register, branch_code="TCH")
            assert (result.entries, result.broken) == (8, [])
            # The new writer continues the converted chain.
            with transaction.atomic():
                registers.register_append(
                    register=register,
                    branch_code="TCH",
                    entries=[
                        registers.NewEntry(
                            datetime.date(2026, 11, 29), 9, "115年健保執專字第00000009號", EXTRA[register]
                        )
                    ],
                    actor="clerk",
                    recorded_at=timezone.now(),
                )
            assert registers.register_verify(register=register, branch_code="TCH").broken == []
        # Reversed: the hex hashes and every entry's link come back as they were (and for the entry added since).
        _migrate("0004_register_content")
        after = _legacy_chains()
        for register in (registers.RECEIPT, registers.ASSIGNMENT):
            assert after[register][:8] == before[register]
            assert after[register][8][1] == before[register][7][2]
    finally:
        _migrate(None)


@pytest.mark.parametrize("head", [8, 20])
def test_a_head_moved_behind_or_beyond_the_chain_is_reported_also_when_it_bounds_the_check(
    written: None, head: int
) -> None:
    RegisterHead.objects.filter(register="receipt").update(sequence=head)
    for upto in (None, head):
        found = registers.register_verify(register=registers.RECEIPT, branch_code="TCH", upto_sequence=upto).broken
        assert [(b.sequence, b.reason) for b in found] == [
            (head, f"the register head records {head} entries but the chain ends at #13")
        ], upto


@pytest.mark.usefixtures("written")
def test_the_databases_block_digests_are_the_writers(django_assert_max_num_queries) -> None:
    """Where the database digests every block in one statement (PostgreSQL), it gives each intact block the hash the
    writer recorded, and one edited entry changes only its own block's digest; elsewhere each block is digested by
    itself. An intact chain is verified in a number of statements that does not grow with its blocks."""
    verifier = registers._Verifier(registers.RECEIPT, "TCH")
    blocks = list(verifier.blocks(0, None))
    assert [(first, last) for first, last, *_rest in blocks] == [(1, 4), (5, 8), (9, 12), (13, 13)]
    postgres = connection.vendor == "postgresql"
    assert all((digest == stored) if postgres else digest is None for *_range, stored, digest in blocks)
    with django_assert_max_num_queries(5 if postgres else 12):  # PostgreSQL: the digests (JIT off), the tail
        assert registers.register_verify(register=registers.RECEIPT, branch_code="TCH").broken == []
    _sql("UPDATE cases_receiptentry SET agency_reference = 'edited' WHERE sequence = 6")
    digests = [digest for *_rest, digest in registers._Verifier(registers.RECEIPT, "TCH").blocks(0, None)]
    matching = [digest == stored for (*_range, stored, _digest), digest in zip(blocks, digests, strict=True)]
    assert matching == ([True, False, True, True] if postgres else [False] * 4)


@pytest.mark.usefixtures("written")
def test_entries_rewritten_with_their_own_values_still_verify() -> None:
    """An UPDATE that changes nothing gives PostgreSQL's row a new place, out of the order its block was written in
    (a middle entry, and a block's first entry): nothing is reported."""
    _sql("UPDATE cases_receiptentry SET actor = actor WHERE sequence IN (6, 9)")
    assert _broken() == []


def _sequence_index_columns() -> dict[str, str]:
    """Each register's unique (branch_code, sequence) index as PostgreSQL defines it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
            "('receipt_sequence_unique', 'assignment_sequence_unique')"
        )
        return {name: definition.partition(" USING btree ")[2] for name, definition in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_the_sequence_constraint_carries_the_chain_columns_on_postgresql_and_reverses() -> None:
    """ADR 0015: on PostgreSQL a chain check reads the unique (branch, sequence) index alone, which carries the
    columns it reads; migrating back restores the plain constraint, and forward the covering one."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads a block's entries as a rowid range; its constraint is the plain one")
    covered = "(branch_code, sequence) INCLUDE (content, recorded_at, actor)"
    assert _sequence_index_columns() == {"receipt_sequence_unique": covered, "assignment_sequence_unique": covered}
    try:
        _migrate("0005_register_entry_shape")
        plain = "(branch_code, sequence)"
        assert _sequence_index_columns() == {"receipt_sequence_unique": plain, "assignment_sequence_unique": plain}
    finally:
        _migrate(None)
    assert _sequence_index_columns()["receipt_sequence_unique"] == covered


def test_a_second_entry_with_a_registers_sequence_is_refused(written: None) -> None:
    entry = ReceiptEntry.objects.get(sequence=3)
    values = {name: getattr(entry, name) for name in registers.RECEIPT_FIELDS}
    # COPY (PostgreSQL) raises the driver's own error; SQLite's comes through Django.
    with pytest.raises((IntegrityError, psycopg.errors.UniqueViolation), match="sequence"), transaction.atomic():
        bulk_insert(ReceiptEntry._meta.db_table, [*values, "entry_hash"], [(*values.values(), bytes(32))])
