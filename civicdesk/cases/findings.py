"""The reconciliation checks (勾稽): one set-based query each (anti-joins and grouped counts).

Each returns :class:`Finding` objects; :mod:`civicdesk.cases.reconcile` turns them into warnings.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from civicdesk.audit.ledger import GENESIS_HASH
from civicdesk.cases import registers
from civicdesk.cases.bulk import in_list, quoted_table
from civicdesk.cases.models import (
    FINAL_STAGES,
    AssignmentEntry,
    Case,
    ReceiptEntry,
    ReconcileWatermark,
    RegisterHead,
    Severity,
    Stage,
    StageTimeLimit,
    WarningKind,
)
from civicdesk.organization.models import Branch


@dataclass(frozen=True)
class Finding:
    kind: str
    key: str
    severity: str
    message: str
    case_id: int | None = None
    subdivision_code: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def _fetch(sql: str, params: Iterable[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


def _chunks(values: list[Any], size: int = 5000) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def find_not_assigned(branch: Branch, today: datetime.date) -> list[Finding]:
    limit = StageTimeLimit.objects.filter(stage=Stage.RECEIVED).values_list("working_days", flat=True).first()
    rows = (
        Case.objects.filter(branch=branch, stage=Stage.RECEIVED, subdivision=None, stage_due_on__lt=today)
        .values_list("id", "case_number", "received_on")
        .iterator(chunk_size=5000)
    )
    return [
        Finding(
            WarningKind.NOT_ASSIGNED,
            str(case_id),
            Severity.MEDIUM,
            f"{number} received on {received.isoformat()} is still not assigned (limit: {limit} working days)",
            case_id,
            details={"received_on": received.isoformat(), "limit": limit},
        )
        for case_id, number, received in rows
    ]


def find_past_time_limit(branch: Branch, today: datetime.date) -> list[Finding]:
    # A positive list of stages lets the (stage, stage_due_on) index answer with one range per stage.
    checked = [s for s in Stage.values if s not in FINAL_STAGES and s != Stage.RECEIVED]
    rows = (
        Case.objects.filter(branch=branch, stage__in=checked, stage_due_on__lt=today)
        .values_list("id", "case_number", "stage", "stage_since", "stage_due_on", "subdivision__code")
        .iterator(chunk_size=5000)
    )
    return [
        Finding(
            WarningKind.PAST_TIME_LIMIT,
            f"{case_id}:{stage}:{since.isoformat()}",
            Severity.MEDIUM,
            f"{number} has been in stage {stage} since {since.isoformat()}; it was due by {due}",
            case_id,
            code or "",
            {"stage": stage, "since": since.isoformat(), "due": str(due)},
        )
        for case_id, number, stage, since, due, code in rows
    ]


def _without_receipt(case_id: int, number: str, code: str, sequence: int) -> Finding:
    return Finding(
        WarningKind.ASSIGNED_WITHOUT_RECEIPT,
        str(case_id),
        Severity.HIGH,
        f"{number} is on the assignment register (entry #{sequence}) but not on the receipt register",
        case_id,
        code,
        {"assignment_entry": sequence},
    )


def _twice(case_id: int, number: str, count: int, code: str) -> Finding:
    return Finding(
        WarningKind.ASSIGNED_TWICE,
        str(case_id),
        Severity.HIGH,
        f"{number} was assigned {count} times without a reassignment",
        case_id,
        code,
        {"assignments": count},
    )


def _flagged_cases(branch: Branch, condition: str, params: list[Any]) -> set[int]:
    """The cases with a possible register problem: no receipt, more than one assignment, or a first assignment on
    another day than the (first) receipt. A superset is harmless: :func:`find_register_mismatches` decides."""
    a, r = quoted_table(AssignmentEntry), quoted_table(ReceiptEntry)
    where = f"a.branch_code = %s AND a.action = 'assign' {condition}"
    if connection.vendor == "postgresql":
        # A merge join of the two case indexes, grouped in case order (the planner's anti-join costs as much). One
        # joined row per case, on the same day, is the normal case and sums to 1; more rows (assigned twice, or
        # received twice: a harmless superset) or another day (a missing receipt is a NULL) sum to more. One
        # aggregate per row instead of COUNT(*) and two MIN(day), which flag the same cases (docs/cases-benchmarks.md).
        sql = (
            f"SELECT a.case_id FROM {a} a LEFT JOIN {r} r ON r.case_id = a.case_id WHERE {where} "  # noqa: S608
            "GROUP BY a.case_id HAVING SUM(CASE WHEN a.day = r.day THEN 1 ELSE 2 END) <> 1"
        )
        return {case_id for (case_id,) in _fetch(sql, [branch.code, *params])}
    # SQLite runs nested loops: grouping the join above costs three times the hand-written anti-join. Two
    # queries on its plan instead — every assignment whose day is not its case's first receipt day (one probe of
    # the receipt (case, day) index, like NOT EXISTS), and the cases assigned more than once (the assignment
    # index alone).
    other_day = (
        f"SELECT a.case_id FROM {a} a WHERE {where} AND (SELECT r.day FROM {r} r "  # noqa: S608
        "WHERE r.case_id = a.case_id ORDER BY r.day LIMIT 1) IS NOT a.day"
    )
    twice = f"SELECT a.case_id FROM {a} a WHERE {where} GROUP BY a.case_id HAVING COUNT(*) > 1"  # noqa: S608
    return {case_id for sql in (other_day, twice) for (case_id,) in _fetch(sql, [branch.code, *params])}


def find_register_mismatches(
    branch: Branch, case_ids: list[int] | None = None, days: Iterable[datetime.date] = ()
) -> list[Finding]:
    """Assigned without receipt, assigned twice and day totals (all cases, or ``case_ids``).

    Index scans on the plan of a hand-written anti-join (:func:`_flagged_cases`) keep only the cases with a
    problem; their details, and the totals of the receipt days concerned and of ``days``, are then read for the
    few cases and days found.
    """
    a, r = quoted_table(AssignmentEntry), quoted_table(ReceiptEntry)
    flagged: set[int] = set()
    if case_ids is None:
        flagged = _flagged_cases(branch, "", [])
    else:
        for chunk in _chunks(case_ids):
            condition, params = in_list("a.case_id", chunk)
            flagged |= _flagged_cases(branch, f"AND {condition}", params)
    findings: list[Finding] = []
    day_set: set[datetime.date] = set(days)
    detail = (
        "SELECT a.case_id, MIN(a.case_number), COUNT(*), MAX(a.subdivision_code), MIN(a.sequence), MIN(a.day), "  # noqa: S608
        f"(SELECT MIN(r.day) FROM {r} r WHERE r.case_id = a.case_id) FROM {a} a "
        "WHERE a.branch_code = %s AND a.action = 'assign' AND {condition} GROUP BY a.case_id ORDER BY a.case_id"
    )
    for chunk in _chunks(sorted(flagged)):
        condition, params = in_list("a.case_id", chunk)
        for case_id, number, count, code, sequence, first_day, received in _fetch(
            detail.format(condition=condition), [branch.code, *params]
        ):
            if received is None:
                findings.append(_without_receipt(case_id, number, code, sequence))
            elif _as_date(first_day) != _as_date(received):
                day_set.add(_as_date(received))  # that receipt day's totals differ
            if count > 1:
                findings.append(_twice(case_id, number, count, code))
    if day_set:
        findings += find_day_totals(branch, sorted(day_set))
    return findings


def _as_date(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def find_day_totals(branch: Branch, days: list[datetime.date] | None) -> list[Finding]:
    """Per receipt day: cases received that day and assigned, against those the assignment register assigned
    that same day (the branch assigns on the day of receipt). Cases never assigned are the not-assigned check's.
    """
    a, r = quoted_table(AssignmentEntry), quoted_table(ReceiptEntry)
    rows: list[tuple[Any, ...]] = []
    if days is None:
        # Everything: one grouped pass over each register.
        sql = (
            f"SELECT r.day, COUNT(*), SUM(CASE WHEN f.first_day = r.day THEN 1 ELSE 0 END) FROM {r} r "  # noqa: S608
            f"JOIN (SELECT case_id, MIN(day) AS first_day FROM {a} WHERE branch_code = %s AND action = 'assign' "
            "GROUP BY case_id) f ON f.case_id = r.case_id WHERE r.branch_code = %s "
            "GROUP BY r.day HAVING COUNT(*) <> SUM(CASE WHEN f.first_day = r.day THEN 1 ELSE 0 END)"
        )
        rows = _fetch(sql, [branch.code, branch.code])
    else:
        # Some days: look up each of their cases' first assignment through the case index.
        sql = (
            "SELECT day, COUNT(first_day), SUM(CASE WHEN first_day = day THEN 1 ELSE 0 END) FROM ("  # noqa: S608
            f"SELECT r.day AS day, (SELECT MIN(a.day) FROM {a} a WHERE a.case_id = r.case_id "
            f"AND a.action = 'assign') AS first_day FROM {r} r WHERE r.branch_code = %s AND {{condition}}"
            ") t GROUP BY day HAVING COUNT(first_day) <> SUM(CASE WHEN first_day = day THEN 1 ELSE 0 END)"
        )
        adapt = connection.ops.adapt_datefield_value
        for chunk in _chunks(days):
            condition, params = in_list("r.day", [adapt(d) for d in chunk])
            rows += _fetch(sql.format(condition=condition), [branch.code, *params])
    findings = []
    for day, received, same_day in rows:
        day_value = day if isinstance(day, datetime.date) else datetime.date.fromisoformat(str(day))
        findings.append(
            Finding(
                WarningKind.DAY_TOTALS,
                day_value.isoformat(),
                Severity.MEDIUM,
                f"{day_value.isoformat()}: the receipt register counts {received} assigned cases received that day, "
                f"the assignment register assigned {int(same_day)} of them that day",
                details={"day": day_value.isoformat(), "receipt_total": received, "assignment_total": int(same_day)},
            )
        )
    return findings


def find_duplicate_numbers(branch: Branch, numbers: list[str] | None) -> list[Finding]:
    c = quoted_table(Case)
    if numbers is None:
        # Numbers held more than once in any branch, from the case-number index alone (no table reads);
        # then the branch's own duplicates among those few.
        numbers = [
            number
            for (number,) in _fetch(f"SELECT case_number FROM {c} GROUP BY case_number HAVING COUNT(*) > 1", [])  # noqa: S608
        ]
    held: dict[str, list[int]] = {}
    for chunk in _chunks(sorted(numbers)):
        condition, params = in_list("case_number", chunk)
        # Numbers held twice in any branch (the case-number index answers), then their cases in this branch.
        sql = f"SELECT case_number FROM {c} WHERE {condition} GROUP BY case_number HAVING COUNT(*) > 1"  # noqa: S608
        twice = [n for (n,) in _fetch(sql, params)]
        if not twice:
            continue
        condition, params = in_list("case_number", twice)
        sql = f"SELECT case_number, id FROM {c} WHERE {condition} AND branch_id = %s"  # noqa: S608
        for number, case_id in _fetch(sql, [*params, branch.pk]):
            held.setdefault(number, []).append(case_id)
    findings = []
    for number, ids in sorted(held.items()):
        if len(ids) < 2:  # held twice in all, once in this branch
            continue
        ids.sort()
        findings.append(
            Finding(
                WarningKind.DUPLICATE_CASE_NUMBER,
                number,
                Severity.HIGH,
                f"case number {number} is held by {len(ids)} cases",
                ids[0],
                details={"cases": ids},
            )
        )
    return findings


def register_heads(branch: Branch) -> dict[str, int | None]:
    """Each register's last sequence as the caller's connection sees it: where a chain check on another stops.

    None for a register without a head record: its check then goes to the end (a removed head must not hide it).
    """
    heads = dict(RegisterHead.objects.filter(branch_code=branch.code).values_list("register", "sequence"))
    return {register: heads.get(register) for register in (registers.RECEIPT, registers.ASSIGNMENT)}


def chain_ranges(
    branch: Branch,
    watermark: ReconcileWatermark | None,
    heads: dict[str, int | None] | None = None,
    which: Iterable[registers.RegisterName] = (registers.RECEIPT, registers.ASSIGNMENT),
) -> list[registers.VerifyRange]:
    """The parts of the registers' verification after the watermark (all of it without one), up to ``heads`` if
    given: consecutive block ranges that separate connections can check at the same time."""
    ranges: list[registers.VerifyRange] = []
    for register in which:
        after_sequence, after_hash = 0, GENESIS_HASH
        if watermark is not None:
            after_sequence = getattr(watermark, f"{register}_sequence")
            after_hash = getattr(watermark, f"{register}_hash") or GENESIS_HASH
        ranges += registers.verify_ranges(
            register=register,
            branch_code=branch.code,
            after_sequence=after_sequence,
            after_hash=after_hash,
            upto_sequence=None if heads is None else heads[register],
        )
    return ranges


def find_broken_chain_range(branch: Branch, part: registers.VerifyRange) -> tuple[list[Finding], tuple[int, str]]:
    """Verify one part of a register; returns its findings and where it reached (sequence, block hash)."""
    result = part.verify(branch.code)
    findings = [
        Finding(
            WarningKind.BROKEN_CHAIN,
            f"{part.register}:{broken.sequence}",
            Severity.HIGH,
            str(broken),
            broken.case_id,
            details={"register": part.register, "sequence": broken.sequence, "entry_id": broken.entry_id},
        )
        for broken in result.broken
    ]
    return findings, (result.last_sequence, result.last_hash)


def find_broken_chains(
    branch: Branch,
    watermark: ReconcileWatermark | None,
    heads: dict[str, int | None] | None = None,
    which: Iterable[registers.RegisterName] = (registers.RECEIPT, registers.ASSIGNMENT),
) -> tuple[list[Finding], dict[str, tuple[int, str]]]:
    """Verify the registers after the watermark (all of them without one), up to ``heads`` if given, here in turn;
    returns the findings and where each register's check reached."""
    return chain_results(
        (part, find_broken_chain_range(branch, part)) for part in chain_ranges(branch, watermark, heads, which)
    )


def chain_results(
    results: Iterable[tuple[registers.VerifyRange, tuple[list[Finding], tuple[int, str]]]],
) -> tuple[list[Finding], dict[str, tuple[int, str]]]:
    """The findings of a verification's parts, and where each register's check reached (its final part's end)."""
    findings: list[Finding] = []
    reached: dict[str, tuple[int, str]] = {}
    for part, (found, end) in results:
        findings += found
        if part.final:
            reached[part.register] = end
    return findings, reached
