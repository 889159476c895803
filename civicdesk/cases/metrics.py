"""Figures the plan reads for A2.5 (receipt and assignment registers, warnings, time limits).

Convention shared by every app: ``fn(*, branch_code, start, end)`` with inclusive dates; None means the
branch has no data for the period (never a guessed number).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Min, OuterRef, Subquery
from django.utils import timezone

from civicdesk.cases.models import (
    FINAL_STAGES,
    AssignmentEntry,
    Case,
    CaseWarning,
    ReceiptEntry,
    Stage,
    StageTimeLimit,
    WarningKind,
)
from civicdesk.core.working_calendar import add_working_days


def cases_received(*, branch_code: str, start: datetime.date, end: datetime.date) -> int | None:
    """Cases entered on the receipt register in the period (None: the register is still empty)."""
    entries = ReceiptEntry.objects.filter(branch_code=branch_code)
    if not entries.exists():
        return None
    return entries.filter(day__gte=start, day__lte=end).count()


def cases_assigned(*, branch_code: str, start: datetime.date, end: datetime.date) -> int | None:
    """First assignments entered on the assignment register in the period (reassignments not counted)."""
    entries = AssignmentEntry.objects.filter(branch_code=branch_code)
    if not entries.exists():
        return None
    return entries.filter(action=AssignmentEntry.Action.ASSIGN, day__gte=start, day__lte=end).count()


def open_warnings(*, branch_code: str, start: datetime.date, end: datetime.date) -> int:
    """Warnings raised by the end of the period and still open now."""
    return (
        CaseWarning.objects.filter(branch__code=branch_code, first_seen_at__date__lte=end)
        .exclude(status=CaseWarning.Status.RESOLVED)
        .count()
    )


def open_warnings_by_kind(*, branch_code: str, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """The same, counted per kind (a breakdown for reports and the API)."""
    counts = dict(
        CaseWarning.objects.filter(branch__code=branch_code, first_seen_at__date__lte=end)
        .exclude(status=CaseWarning.Status.RESOLVED)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {kind: counts.get(kind, 0) for kind in WarningKind.values}


def share_within_time_limits(*, branch_code: str, start: datetime.date, end: datetime.date) -> float | None:
    """Of the cases received in the period: the share assigned within the SOP limit and not now past the
    limit of their current stage (as of the end of the period, or today if earlier). None: no cases.
    """
    limit = StageTimeLimit.objects.filter(stage=Stage.RECEIVED).values_list("working_days", flat=True).first()
    as_of = min(end, timezone.localdate())
    first = (
        AssignmentEntry.objects.filter(case_id=OuterRef("pk"), action=AssignmentEntry.Action.ASSIGN)
        .values("case_id")
        .annotate(first=Min("day"))
        .values("first")
    )
    rows = (
        Case.objects.filter(branch__code=branch_code, received_on__gte=start, received_on__lte=end)
        .annotate(first_assigned=Subquery(first))
        .values_list("received_on", "first_assigned", "stage", "stage_due_on")
        .iterator(chunk_size=5000)
    )
    due_cache: dict[datetime.date, datetime.date] = {}
    total = within = 0
    for received, assigned, stage, due in rows:
        total += 1
        if limit is not None:
            if received not in due_cache:
                due_cache[received] = add_working_days(received, limit)
            deadline = due_cache[received]
            if (assigned is None and as_of > deadline) or (assigned is not None and assigned > deadline):
                continue
        if due is not None and due < as_of and stage not in FINAL_STAGES and stage != Stage.RECEIVED:
            continue
        within += 1
    if total == 0:
        return None
    return within / total
