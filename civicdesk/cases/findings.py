"""The reconciliation checks (勾稽): one set-based query each (anti-joins and grouped counts).

Each returns :class:`Finding` objects; :mod:`civicdesk.cases.reconcile` turns them into warnings.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count

from civicdesk.audit.ledger import GENESIS_HASH
from civicdesk.cases import registers
from civicdesk.cases.models import (
    FINAL_STAGES,
    AssignmentEntry,
    Case,
    ReceiptEntry,
    ReconcileWatermark,
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


def _table(model: type[Any]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _fetch(sql: str, params: Iterable[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return list(cursor.fetchall())


def _in_clause(values: list[Any]) -> tuple[str, list[Any]]:
    return ", ".join(["%s"] * len(values)), values


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


def find_assigned_without_receipt(branch: Branch, case_ids: list[int] | None) -> list[Finding]:
    a, r = _table(AssignmentEntry), _table(ReceiptEntry)
    sql = (
        f"SELECT a.case_id, MIN(a.case_number), MAX(a.subdivision_code), MIN(a.sequence) FROM {a} a "  # noqa: S608
        f"WHERE a.branch_code = %s AND NOT EXISTS (SELECT 1 FROM {r} r WHERE r.case_id = a.case_id) "
    )
    rows: list[tuple[Any, ...]] = []
    if case_ids is None:
        rows = _fetch(sql + "GROUP BY a.case_id", [branch.code])
    else:
        for chunk in _chunks(case_ids):
            marks, params = _in_clause(chunk)
            rows += _fetch(sql + f"AND a.case_id IN ({marks}) GROUP BY a.case_id", [branch.code, *params])
    return [
        Finding(
            WarningKind.ASSIGNED_WITHOUT_RECEIPT,
            str(case_id),
            Severity.HIGH,
            f"{number} is on the assignment register (entry #{sequence}) but not on the receipt register",
            case_id,
            code,
            {"assignment_entry": sequence},
        )
        for case_id, number, code, sequence in rows
    ]


def find_assigned_twice(branch: Branch, case_ids: list[int] | None) -> list[Finding]:
    a = _table(AssignmentEntry)
    sql = (
        f"SELECT case_id, MIN(case_number), COUNT(*), MAX(subdivision_code) FROM {a} "  # noqa: S608
        "WHERE branch_code = %s AND action = 'assign' "
    )
    having = "GROUP BY case_id HAVING COUNT(*) > 1"
    rows: list[tuple[Any, ...]] = []
    if case_ids is None:
        rows = _fetch(sql + having, [branch.code])
    else:
        for chunk in _chunks(case_ids):
            marks, params = _in_clause(chunk)
            rows += _fetch(sql + f"AND case_id IN ({marks}) " + having, [branch.code, *params])
    return [
        Finding(
            WarningKind.ASSIGNED_TWICE,
            str(case_id),
            Severity.HIGH,
            f"{number} was assigned {count} times without a reassignment",
            case_id,
            code,
            {"assignments": count},
        )
        for case_id, number, count, code in rows
    ]


def find_day_totals(branch: Branch, days: list[datetime.date] | None) -> list[Finding]:
    """Per receipt day: cases received that day and assigned, against those the assignment register assigned
    that same day (the branch assigns on the day of receipt). Cases never assigned are the not-assigned check's.
    """
    a, r = _table(AssignmentEntry), _table(ReceiptEntry)
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
            f"AND a.action = 'assign') AS first_day FROM {r} r WHERE r.branch_code = %s AND r.day IN ({{marks}})"
            ") t GROUP BY day HAVING COUNT(first_day) <> SUM(CASE WHEN first_day = day THEN 1 ELSE 0 END)"
        )
        adapt = connection.ops.adapt_datefield_value
        for chunk in _chunks(days):
            marks, params = _in_clause([adapt(d) for d in chunk])
            rows += _fetch(sql.format(marks=marks), [branch.code, *params])
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
    query = Case.objects.filter(branch=branch)
    groups: list[dict[str, Any]] = []
    base = query.values("case_number").annotate(n=Count("id")).filter(n__gt=1).order_by()
    if numbers is None:
        groups = list(base)
    else:
        for chunk in _chunks(numbers):
            groups += list(base.filter(case_number__in=chunk))
    findings = []
    for group in groups:
        ids = sorted(query.filter(case_number=group["case_number"]).values_list("id", flat=True))
        findings.append(
            Finding(
                WarningKind.DUPLICATE_CASE_NUMBER,
                group["case_number"],
                Severity.HIGH,
                f"case number {group['case_number']} is held by {group['n']} cases",
                ids[0],
                details={"cases": ids},
            )
        )
    return findings


def find_broken_chains(
    branch: Branch, watermark: ReconcileWatermark | None
) -> tuple[list[Finding], dict[str, tuple[int, str]]]:
    findings: list[Finding] = []
    reached: dict[str, tuple[int, str]] = {}
    for register in (registers.RECEIPT, registers.ASSIGNMENT):
        after_sequence, after_hash = 0, GENESIS_HASH
        if watermark is not None:
            after_sequence = getattr(watermark, f"{register}_sequence")
            after_hash = getattr(watermark, f"{register}_hash") or GENESIS_HASH
        result = registers.register_verify(
            register=register, branch_code=branch.code, after_sequence=after_sequence, after_hash=after_hash
        )
        reached[register] = (result.last_sequence, result.last_hash)
        for broken in result.broken:
            findings.append(
                Finding(
                    WarningKind.BROKEN_CHAIN,
                    f"{register}:{broken.sequence}",
                    Severity.HIGH,
                    str(broken),
                    broken.case_id,
                    details={"register": register, "sequence": broken.sequence, "entry_id": broken.entry_id},
                )
            )
    return findings, reached
