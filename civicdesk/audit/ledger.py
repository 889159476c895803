"""Hash-chained ledgers: append, verify. Later apps keep their registers here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from civicdesk.audit.models import LedgerEntry, LedgerHead

GENESIS_HASH = "0" * 64
SECURITY_LEDGER = "security"


def canonical_content(
    *,
    ledger: str,
    sequence: int,
    recorded_at: str,
    branch_code: str,
    actor: str,
    action: str,
    subject: str,
    payload: dict[str, Any],
) -> bytes:
    content = {
        "ledger": ledger,
        "sequence": sequence,
        "recorded_at": recorded_at,
        "branch": branch_code,
        "actor": actor,
        "action": action,
        "subject": subject,
        "payload": payload,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def chain_hash(previous_hash: str, content: bytes) -> str:
    return hashlib.sha256(previous_hash.encode("ascii") + content).hexdigest()


def _entry_content(entry: LedgerEntry) -> bytes:
    return canonical_content(
        ledger=entry.ledger,
        sequence=entry.sequence,
        recorded_at=entry.recorded_at.isoformat(timespec="microseconds"),
        branch_code=entry.branch_code,
        actor=entry.actor,
        action=entry.action,
        subject=entry.subject,
        payload=entry.payload,
    )


def ledger_append(
    *,
    ledger: str,
    action: str,
    actor: str = "",
    subject: str = "",
    payload: dict[str, Any] | None = None,
    branch_code: str = "",
) -> LedgerEntry:
    """Append one entry. Writers to the same ledger are serialised by the head row's lock."""
    for attempt in range(5):
        try:
            return _append_once(
                ledger=ledger,
                action=action,
                actor=actor,
                subject=subject,
                payload=payload or {},
                branch_code=branch_code,
            )
        except IntegrityError:
            # Another writer created the head row or took the sequence first (SQLite has no row lock).
            if attempt == 4 or transaction.get_connection().in_atomic_block:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _append_once(
    *,
    ledger: str,
    action: str,
    actor: str,
    subject: str,
    payload: dict[str, Any],
    branch_code: str,
) -> LedgerEntry:
    head = LedgerHead.objects.select_for_update().filter(ledger=ledger).first()
    if head is None:
        head = LedgerHead.objects.create(ledger=ledger, sequence=0, entry_hash=GENESIS_HASH)
    # JSON round trip so the stored payload and the hashed payload are the same value.
    payload = json.loads(json.dumps(payload, ensure_ascii=False, default=str))
    entry = LedgerEntry(
        ledger=ledger,
        sequence=head.sequence + 1,
        recorded_at=timezone.now(),
        branch_code=branch_code,
        actor=actor,
        action=action,
        subject=subject,
        payload=payload,
        previous_hash=head.entry_hash,
    )
    entry.entry_hash = chain_hash(entry.previous_hash, _entry_content(entry))
    entry.save()
    head.sequence = entry.sequence
    head.entry_hash = entry.entry_hash
    head.save(update_fields=["sequence", "entry_hash"])
    return entry


@dataclass(frozen=True)
class ChainBreak:
    ledger: str
    sequence: int
    entry_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"entry #{self.sequence}" + (f" (id {self.entry_id})" if self.entry_id is not None else "")
        return f"ledger {self.ledger!r}: {where}: {self.reason}"


@dataclass(frozen=True)
class LedgerReport:
    ledger: str
    entries: int
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def _iter_entries(ledger: str, batch: int = 5000) -> Iterator[LedgerEntry]:
    last = 0
    while True:
        chunk = list(LedgerEntry.objects.filter(ledger=ledger, sequence__gt=last).order_by("sequence")[:batch])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].sequence


def ledger_verify(*, ledger: str) -> LedgerReport:
    """Walk the chain and report the first entry that was edited, deleted, reordered or inserted."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    count = 0
    for entry in _iter_entries(ledger):
        count += 1
        if entry.sequence != expected_sequence:
            return LedgerReport(
                ledger,
                count,
                ChainBreak(
                    ledger,
                    expected_sequence,
                    None,
                    f"entry missing (next present entry is #{entry.sequence}, id {entry.pk}): deleted or renumbered",
                ),
            )
        if entry.previous_hash != expected_previous:
            return LedgerReport(
                ledger,
                count,
                ChainBreak(
                    ledger,
                    entry.sequence,
                    entry.pk,
                    "previous-hash link does not match the entry before it",
                ),
            )
        if chain_hash(entry.previous_hash, _entry_content(entry)) != entry.entry_hash:
            return LedgerReport(
                ledger,
                count,
                ChainBreak(
                    ledger,
                    entry.sequence,
                    entry.pk,
                    "content does not match its hash: the entry was edited",
                ),
            )
        expected_previous = entry.entry_hash
        expected_sequence += 1
    head = LedgerHead.objects.filter(ledger=ledger).first()
    if head is not None and (head.sequence != expected_sequence - 1 or head.entry_hash != expected_previous):
        return LedgerReport(
            ledger,
            count,
            ChainBreak(
                ledger,
                expected_sequence,
                None,
                f"the ledger head records {head.sequence} entries but the chain ends at #{expected_sequence - 1}: "
                "entries at the end were deleted",
            ),
        )
    return LedgerReport(ledger, count, None)


def ledger_names() -> list[str]:
    names = set(LedgerHead.objects.values_list("ledger", flat=True))
    names |= set(LedgerEntry.objects.values_list("ledger", flat=True).distinct())
    return sorted(names)


def ledgers_verify() -> list[LedgerReport]:
    return [ledger_verify(ledger=name) for name in ledger_names()]
