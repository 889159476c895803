"""The hash-chained ledger: appends chain, and any edit, deletion or reordering is found and named."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from civicdesk.audit.ledger import GENESIS_HASH, ledger_append, ledger_verify
from civicdesk.audit.models import AppendOnlyError, LedgerEntry

pytestmark = pytest.mark.django_db


def _fill(count: int = 5, ledger: str = "test") -> list[LedgerEntry]:
    return [
        ledger_append(
            ledger=ledger,
            action="thing.done",
            actor="clerk",
            subject=f"item-{n}",
            payload={"n": n, "名稱": "王小明", "amount": "1200.50"},
        )
        for n in range(1, count + 1)
    ]


def _raw(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_entries_chain_from_genesis() -> None:
    entries = _fill(3)
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[0].previous_hash == GENESIS_HASH
    assert entries[1].previous_hash == entries[0].entry_hash
    report = ledger_verify(ledger="test")
    assert report.intact
    assert report.entries == 3


def test_ledgers_are_independent_chains() -> None:
    _fill(2, ledger="a")
    _fill(3, ledger="b")
    assert ledger_verify(ledger="a").entries == 2
    assert ledger_verify(ledger="b").entries == 3


def test_entries_cannot_be_changed_or_deleted_through_the_orm() -> None:
    entry = _fill(1)[0]
    entry.actor = "someone else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_an_edited_payload_is_named() -> None:
    entries = _fill(5)
    _raw("UPDATE audit_ledgerentry SET payload = %s WHERE id = %s", ['{"n": 99}', entries[2].pk])
    report = ledger_verify(ledger="test")
    assert report.first_break is not None
    assert report.first_break.sequence == 3
    assert report.first_break.entry_id == entries[2].pk
    assert "edited" in report.first_break.reason


def test_an_edited_actor_is_named() -> None:
    entries = _fill(4)
    _raw("UPDATE audit_ledgerentry SET actor = %s WHERE id = %s", ["intruder", entries[1].pk])
    assert ledger_verify(ledger="test").first_break.sequence == 2


def test_a_deleted_entry_is_found() -> None:
    entries = _fill(5)
    _raw("DELETE FROM audit_ledgerentry WHERE id = %s", [entries[1].pk])
    report = ledger_verify(ledger="test")
    assert report.first_break.sequence == 2
    assert "missing" in report.first_break.reason


def test_a_deleted_last_entry_is_found() -> None:
    entries = _fill(3)
    _raw("DELETE FROM audit_ledgerentry WHERE id = %s", [entries[-1].pk])
    report = ledger_verify(ledger="test")
    assert report.first_break is not None
    assert report.first_break.sequence == 3


def test_reordered_entries_are_found() -> None:
    entries = _fill(4)
    _raw("UPDATE audit_ledgerentry SET sequence = 1000 WHERE id = %s", [entries[1].pk])
    _raw("UPDATE audit_ledgerentry SET sequence = 2 WHERE id = %s", [entries[2].pk])
    _raw("UPDATE audit_ledgerentry SET sequence = 3 WHERE id = %s", [entries[1].pk])
    report = ledger_verify(ledger="test")
    assert report.first_break.sequence == 2
    assert report.first_break.entry_id == entries[2].pk


def test_verify_ledger_command_names_the_broken_entry() -> None:
    entries = _fill(3)
    out = io.StringIO()
    call_command("verify_ledger", stdout=out)
    assert "test: 3 entries, chain intact" in out.getvalue()
    _raw("UPDATE audit_ledgerentry SET subject = %s WHERE id = %s", ["changed", entries[1].pk])
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"entry #2 \(id \d+\)"):
        call_command("verify_ledger", stdout=io.StringIO(), stderr=err)
    assert f"id {entries[1].pk}" in err.getvalue()


def test_verify_ledger_exits_non_zero_from_the_shell(tmp_path) -> None:
    """The command-line contract: exit status 1 and the entry named on stderr."""
    from django.core.management import execute_from_command_line

    entries = _fill(2)
    _raw("UPDATE audit_ledgerentry SET action = %s WHERE id = %s", ["forged", entries[0].pk])
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "verify_ledger", "--ledger", "test"])
    assert exit_info.value.code == 1


def test_payload_round_trips_exactly() -> None:
    entry = _fill(1)[0]
    stored = LedgerEntry.objects.get(pk=entry.pk)
    assert stored.payload == {"n": 1, "名稱": "王小明", "amount": "1200.50"}
    assert ledger_verify(ledger="test").intact
