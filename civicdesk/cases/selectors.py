"""Reads of the cases app: what a member of staff may see, searches, timelines, register day totals."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import QuerySet
from django.utils import timezone

from civicdesk.cases.models import (
    AssignmentEntry,
    Case,
    CaseEvent,
    CaseWarning,
    ImportRun,
    ReceiptEntry,
    RegisterDay,
)
from civicdesk.core.case_numbers import parse_case_number
from civicdesk.core.identifiers import normalize_citizen_input
from civicdesk.organization.models import Staff, Unit
from civicdesk.organization.permissions import Permission

SearchKind = Literal["case_number", "obligor_id", "agency_reference"]
SEARCH_LIMIT = 100


def cases_visible_to(staff: Staff) -> QuerySet[Case]:
    query = Case.objects.select_related("agency", "category", "subdivision", "branch")
    if staff.has_permission(Permission.ORG_BRANCH_VIEW_ALL):
        return query
    if staff.branch_id is None:
        return query.none()
    return query.filter(branch_id=staff.branch_id)


def branch_codes_visible_to(staff: Staff) -> list[str] | None:
    """None: every branch."""
    if staff.has_permission(Permission.ORG_BRANCH_VIEW_ALL):
        return None
    return [staff.branch.code] if staff.branch is not None else []


def case_search(*, staff: Staff, kind: SearchKind, text: str) -> list[Case]:
    """Exact look-up by case number, obligor ID or agency reference among the cases ``staff`` may see."""
    text = text.strip()
    if not text:
        return []
    query = cases_visible_to(staff)
    if kind == "case_number":
        try:
            text = str(parse_case_number(text))
        except ValueError:
            return []
        query = query.filter(case_number=text)
    elif kind == "obligor_id":
        query = query.filter(obligor_id=normalize_citizen_input(text))
    else:
        query = query.filter(agency_reference=text)
    return list(query.order_by("-received_on", "-id")[:SEARCH_LIMIT])


@dataclass(frozen=True)
class TimelineItem:
    at: datetime.datetime
    day: datetime.date
    kind: str
    actor: str
    text: str
    reference: str


def case_timeline(case: Case) -> list[TimelineItem]:
    """Receipt and assignment register entries and lifecycle events, oldest first."""
    items: list[TimelineItem] = []
    for receipt in ReceiptEntry.objects.filter(case_id=case.pk).order_by("sequence"):
        items.append(
            TimelineItem(
                receipt.recorded_at,
                receipt.day,
                "received",
                receipt.actor,
                f"{receipt.agency_code} {receipt.agency_reference}",
                f"R{receipt.sequence} ({receipt.day_sequence})",
            )
        )
    for entry in AssignmentEntry.objects.filter(case_id=case.pk).order_by("sequence"):
        text = entry.subdivision_code
        if entry.previous_subdivision_code:
            text = f"{entry.previous_subdivision_code} → {entry.subdivision_code}"
        if entry.reason:
            text = f"{text}: {entry.reason}"
        items.append(TimelineItem(entry.recorded_at, entry.day, entry.action, entry.actor, text, f"A{entry.sequence}"))
    for event in CaseEvent.objects.filter(case=case):
        text = f"{event.before.get('stage', '')} → {event.after.get('stage', '')}" if event.after else ""
        if event.note:
            text = f"{text} {event.note}".strip()
        items.append(
            TimelineItem(
                event.occurred_at, timezone.localtime(event.occurred_at).date(), event.kind, event.actor, text, ""
            )
        )
    return sorted(items, key=lambda i: (i.day, i.at))


def register_days(*, register: str, branch_codes: list[str] | None, limit: int = 60) -> list[dict[str, Any]]:
    """Day totals of one register with the other register's total for the same day, newest first."""
    query = RegisterDay.objects.filter(register=register)
    other_name = "assignment" if register == "receipt" else "receipt"
    other = RegisterDay.objects.filter(register=other_name)
    if branch_codes is not None:
        query = query.filter(branch_code__in=branch_codes)
        other = other.filter(branch_code__in=branch_codes)
    rows = list(query.order_by("-day", "branch_code")[:limit])
    others = {(r.branch_code, r.day): r.count for r in other.filter(day__in={r.day for r in rows})}
    return [
        {"day": r.day, "branch_code": r.branch_code, "count": r.count, "other": others.get((r.branch_code, r.day), 0)}
        for r in rows
    ]


def register_entries(*, register: str, branch_codes: list[str] | None, day: datetime.date | None) -> QuerySet[Any]:
    model = ReceiptEntry if register == "receipt" else AssignmentEntry
    query = model.objects.all()
    if branch_codes is not None:
        query = query.filter(branch_code__in=branch_codes)
    if day is not None:
        query = query.filter(day=day)
    return query.order_by("-sequence")


@dataclass(frozen=True)
class WarningFilters:
    severity: str = ""
    kind: str = ""
    unit: int | None = None
    status: str = "open"
    min_age_days: int | None = None


def warnings_list(*, staff: Staff, filters: WarningFilters) -> QuerySet[CaseWarning]:
    query = CaseWarning.objects.select_related("case", "subdivision", "staff", "branch")
    if not staff.has_permission(Permission.ORG_BRANCH_VIEW_ALL):
        query = query.filter(branch_id=staff.branch_id) if staff.branch_id else query.none()
    if filters.status == "open":
        query = query.exclude(status=CaseWarning.Status.RESOLVED)
    elif filters.status:
        query = query.filter(status=filters.status)
    if filters.severity:
        query = query.filter(severity=filters.severity)
    if filters.kind:
        query = query.filter(kind=filters.kind)
    if filters.unit is not None:
        query = query.filter(subdivision_id=filters.unit)
    if filters.min_age_days is not None:
        query = query.filter(first_seen_at__lte=timezone.now() - datetime.timedelta(days=filters.min_age_days))
    return query.order_by("-first_seen_at", "-id")


def subdivisions_of(staff: Staff) -> QuerySet[Unit]:
    return Unit.objects.visible_to(staff).filter(kind=Unit.Kind.SUBDIVISION).order_by("branch", "ordering")


def import_runs_visible_to(staff: Staff) -> QuerySet[ImportRun]:
    query = ImportRun.objects.select_related("branch")
    if staff.has_permission(Permission.ORG_BRANCH_VIEW_ALL):
        return query
    return query.filter(branch_id=staff.branch_id) if staff.branch_id else query.none()
