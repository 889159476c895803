"""A register's verification cut into ranges (registers.verify_ranges) checks exactly what one call checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from civicdesk.cases import registers
from civicdesk.cases.findings import find_broken_chains
from civicdesk.cases.importing import cases_import
from civicdesk.cases.models import AssignmentEntry, CaseWarning, RegisterBlock, RegisterHead, WarningKind
from civicdesk.cases.reconcile import reconcile_run
from civicdesk.organization.models import Branch
from tests.cases.conftest import import_in_blocks

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(branch: Branch, write_csv: Callable[..., Path]) -> None:
    """Twenty cases imported in ten blocks of two."""
    import_in_blocks(branch, write_csv, count=20, batch_size=2, seed=5)


def _sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _whole(upto: int | None) -> tuple[list[tuple[int, str]], tuple[int, str]]:
    result = registers.register_verify(register=registers.RECEIPT, branch_code="TCH", upto_sequence=upto)
    return [(b.sequence, b.reason) for b in result.broken], (result.last_sequence, result.last_hash)


def _in_ranges(size: int, upto: int | None) -> tuple[list[tuple[int, str]], tuple[int, str], int]:
    parts = registers.verify_ranges(
        register=registers.RECEIPT, branch_code="TCH", upto_sequence=upto, entries_per_range=size
    )
    broken: list[tuple[int, str]] = []
    for part in reversed(parts):  # any order: each part stands alone
        result = part.verify("TCH")
        broken += [(b.sequence, b.reason) for b in result.broken]
    assert [part.final for part in parts] == [False] * (len(parts) - 1) + [True]
    final = parts[-1].verify("TCH")
    return sorted(broken), (final.last_sequence, final.last_hash), len(parts)


def _tamper_nothing() -> None:
    pass


def _edit_an_entry() -> None:
    _sql("UPDATE cases_receiptentry SET case_number = case_number || 'X' WHERE sequence = 9")


def _delete_an_entry() -> None:
    _sql("DELETE FROM cases_receiptentry WHERE sequence = 12")


def _remove_a_block_record() -> None:
    RegisterBlock.objects.filter(register="receipt", first_sequence=7).delete()


def _add_an_overlapping_block_record() -> None:
    block = RegisterBlock.objects.get(register="receipt", first_sequence=9)
    RegisterBlock.objects.create(
        register="receipt",
        branch_code="TCH",
        first_sequence=4,
        last_sequence=10,
        previous_hash=block.previous_hash,
        block_hash=block.block_hash,
    )


def _edit_a_block_hash() -> None:
    RegisterBlock.objects.filter(register="receipt", first_sequence=11).update(block_hash="f" * 64)


def _move_the_head_behind() -> None:
    RegisterHead.objects.filter(register="receipt").update(sequence=6)


@pytest.mark.parametrize(
    "tamper",
    [
        _tamper_nothing,
        _edit_an_entry,
        _delete_an_entry,
        _remove_a_block_record,
        _add_an_overlapping_block_record,
        _edit_a_block_hash,
        _move_the_head_behind,
    ],
)
@pytest.mark.parametrize("upto", [None, 14])
def test_ranges_of_any_size_find_what_one_check_finds(
    written: None, tamper: Callable[[], None], upto: int | None
) -> None:
    tamper()
    broken, reached = _whole(upto)
    if tamper is not _tamper_nothing:
        assert broken, "the tampering must be found"
    counts = set()
    for size in (1, 2, 3, 5, 8, 1000):
        in_ranges, reached_in_ranges, count = _in_ranges(size, upto)
        assert (in_ranges, reached_in_ranges) == (sorted(broken), reached), size
        counts.add(count)
    assert 1 in counts
    assert max(counts) > 3


def test_a_range_ends_only_where_the_blocks_are_regular(written: None) -> None:
    _add_an_overlapping_block_record()  # #4–#10 overlaps the blocks #3–#4 … #9–#10
    parts = registers.verify_ranges(register=registers.RECEIPT, branch_code="TCH", entries_per_range=1)
    ends = [part.upto_sequence for part in parts]
    assert ends[:2] == [2, 10]  # after #1–#2, then not before the overlapping record's end
    assert ends[-1] is None
    assert all(end is not None and end >= 10 for end in ends[2:-1])


@pytest.mark.django_db(transaction=True)
def test_a_run_on_several_connections_with_many_ranges_finds_the_same(
    branch: Branch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registers, "ENTRIES_PER_RANGE", 16)
    path = tmp_path / "c.csv"
    call_command("generate_cases", str(path), "--count", "200", "--anomalies", "2", "--seed", "3")
    cases_import(path=path, branch=branch, actor="intake", batch_size=8)
    _sql("UPDATE cases_assignmententry SET case_number = case_number || 'X' WHERE sequence = 150")
    serial, _reached = find_broken_chains(branch, None)
    assert [f.key for f in serial] == ["assignment:150"]
    assert len(registers.verify_ranges(register=registers.ASSIGNMENT, branch_code="TCH")) > 5
    report = reconcile_run(branch=branch, full=True, parallel=True)
    assert report.open_by_kind[WarningKind.BROKEN_CHAIN] == 1
    warning = CaseWarning.objects.get(kind=WarningKind.BROKEN_CHAIN)
    assert (warning.key, warning.case_id) == ("assignment:150", AssignmentEntry.objects.get(sequence=150).case_id)
    again = reconcile_run(branch=branch, full=True, parallel=False)
    assert (again.created, again.fixed, again.open_by_kind) == (0, 0, report.open_by_kind)
