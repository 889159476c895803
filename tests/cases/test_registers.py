"""The register chains (docs/adr/0011-register-blocks.md): writer and verifier agree; each tampering is named."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from civicdesk.cases import registers
from civicdesk.cases.importing import cases_import
from civicdesk.cases.models import ReceiptEntry, RegisterBlock, RegisterHead
from civicdesk.core.identifiers import make_national_id
from civicdesk.organization.models import Branch
from tests.cases.conftest import good_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(branch: Branch, write_csv: Callable[..., Path]) -> None:
    """Twelve cases imported in three blocks of four, then one manual entry (a block of one) on the same day."""
    rng = random.Random(3)
    rows = [good_row(i, obligor_id=make_national_id(rng)) for i in range(12)]
    assert cases_import(path=write_csv(rows), branch=branch, actor="clerk", batch_size=4).received == 12
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
        for entry in model.objects.all():
            values = [getattr(entry, name) for name in registers.FIELDS[register]]
            assert registers.entry_text(register, values) == assembled[entry.sequence]
            content = registers.entry_content(register, values)
            assert registers.entry_hash(entry.previous_hash, content) == entry.entry_hash
        result = registers.register_verify(register=register, branch_code="TCH")
        assert result.broken == []
        assert result.entries == model.objects.count()


def test_an_edited_entry_is_named_and_only_its_block_is_walked(written: None) -> None:
    _sql("UPDATE cases_receiptentry SET case_number = case_number || 'X' WHERE sequence = 6")
    assert _broken() == [(6, "content does not match its hash: edited")]


def test_the_content_column_cannot_be_written_and_follows_an_edit(written: None) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("UPDATE cases_receiptentry SET content = 'forged' WHERE sequence = 2")
    _sql("UPDATE cases_receiptentry SET day_sequence = 77 WHERE sequence = 2")
    assert ReceiptEntry.objects.get(sequence=2).content.split("\x1f")[2] == "77"
    assert _broken() == [(2, "content does not match its hash: edited")]


def test_a_deleted_entry_a_reordering_and_a_relinked_deletion_are_reported(written: None) -> None:
    _sql("DELETE FROM cases_receiptentry WHERE sequence = 3")
    _sql("UPDATE cases_receiptentry SET sequence = 100 WHERE sequence = 7")
    _sql("UPDATE cases_receiptentry SET sequence = 7 WHERE sequence = 8")
    _sql("UPDATE cases_receiptentry SET sequence = 8 WHERE sequence = 100")
    # Delete #10 and relink #11 to #9, renumbering it: the per-entry chain looks whole, the block does not.
    _sql("DELETE FROM cases_receiptentry WHERE sequence = 10")
    _sql(
        "UPDATE cases_receiptentry SET previous_hash = (SELECT entry_hash FROM cases_receiptentry WHERE sequence = 9) "
        "WHERE sequence = 11"
    )
    found = _broken()
    assert found[0] == (3, "entries missing before #4")
    # The swapped pair are edited entries; #9 follows a changed #8; #11 was relinked.
    assert {sequence for sequence, _reason in found} == {3, 7, 8, 9, 10, 11}
    assert (10, "entries missing before #11") in found


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
        "case_number, agency_code, agency_reference, previous_hash, entry_hash) "
        "SELECT branch_code, 14, day, day_sequence + 1, recorded_at, actor, case_id + 1, case_number, agency_code, "
        "agency_reference, entry_hash, entry_hash FROM cases_receiptentry WHERE sequence = 13"
    )
    found = _broken()
    assert (14, "1 entries from #14 on have no block record") in found
    assert (14, "content does not match its hash: edited") in found
    assert entry.sequence == 13


def test_a_check_up_to_a_head_leaves_later_blocks_but_reports_entries_without_a_block(written: None) -> None:
    bounded = registers.register_verify(register=registers.RECEIPT, branch_code="TCH", upto_sequence=8)
    assert (bounded.last_sequence, bounded.entries, bounded.broken) == (8, 8, [])
    _sql(
        "INSERT INTO cases_receiptentry (branch_code, sequence, day, day_sequence, recorded_at, actor, case_id, "
        "case_number, agency_code, agency_reference, previous_hash, entry_hash) "
        "SELECT branch_code, 14, day, day_sequence + 1, recorded_at, actor, case_id + 1, case_number, agency_code, "
        "agency_reference, entry_hash, entry_hash FROM cases_receiptentry WHERE sequence = 13"
    )
    found = registers.register_verify(register=registers.RECEIPT, branch_code="TCH", upto_sequence=8).broken
    assert [(b.sequence, b.reason) for b in found][:1] == [(14, "1 entries from #14 on have no block record")]


@pytest.mark.django_db(transaction=True)
def test_migrating_gives_existing_entries_their_content_and_their_chains_still_verify() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0003_register_blocks")])
    try:
        # Written before the content column existed (the writer never writes it).
        recorded_at = datetime.datetime(2026, 11, 28, 1, 2, 3, 456789, tzinfo=datetime.UTC)
        day = datetime.date(2026, 11, 28)
        with transaction.atomic():
            for register, extra in (
                (registers.RECEIPT, ("NHIA", "R-1")),
                (registers.ASSIGNMENT, ("assign", "S01", "", "rotation", "")),
            ):
                entries = [registers.NewEntry(day, n, f"115年健保執專字第{n:08d}號", extra) for n in (1, 2, 3)]
                registers.register_append(
                    register=register, branch_code="TCH", entries=entries, actor="clerk", recorded_at=recorded_at
                )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    for register in (registers.RECEIPT, registers.ASSIGNMENT):
        model = registers.MODELS[register]
        for entry in model.objects.all():
            assert entry.content == registers.entry_text(
                register, [getattr(entry, n) for n in registers.FIELDS[register]]
            )
        result = registers.register_verify(register=register, branch_code="TCH")
        assert (result.entries, result.broken) == (3, [])


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
