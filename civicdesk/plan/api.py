"""JSON API routes of the plan app (mounted under /api/v1/plan/): the plan's status for a period.

Staff only, through the signed-in session; the same figures as `manage.py plan_status --json`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from civicdesk.organization.access import staff_is_fully_signed_in
from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Permission
from civicdesk.plan.evaluation import default_as_of, evaluate_plan
from civicdesk.plan.periods import Period, PeriodKind, parse_period
from civicdesk.plan.selectors import plan_current

router = Router(tags=["plan"])


class TargetOut(Schema):
    target: str
    description: str
    period: str
    actual: float | None
    required: float | None
    counts: str
    status: str
    note: str


class MeasureOut(Schema):
    code: str
    area: str
    units: list[str]
    status: str | None
    targets: list[TargetOut]


class StatusOut(Schema):
    branch: str
    year: int
    plan_version: int
    period: str
    as_of: str
    measures: list[MeasureOut]


@router.get("/status", response=StatusOut, summary="Every measure's targets, actual figures and status")
def plan_status(request: HttpRequest, year: int, period: str = "") -> dict[str, Any]:
    if not staff_is_fully_signed_in(request):
        raise HttpError(401, "Sign in as staff first.")
    staff = request.user
    assert isinstance(staff, Staff)
    if not staff.has_permission(Permission.PLAN_REPORT_EXPORT) or staff.branch is None:
        raise HttpError(403, "You do not have the permission for this.")
    plan = plan_current(branch=staff.branch, year=year)
    if plan is None:
        raise HttpError(404, f"There is no plan for {year}.")
    try:
        chosen = parse_period(period) if period else Period(year, PeriodKind.YEAR, 1)
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    as_of = default_as_of(chosen, timezone.localdate())
    rows = evaluate_plan(plan=plan, period=chosen, as_of=as_of)
    return {
        "branch": staff.branch.code,
        "year": plan.year,
        "plan_version": plan.version,
        "period": chosen.code,
        "as_of": as_of.isoformat(),
        "measures": [
            {
                "code": row.measure.code,
                "area": row.measure.area.code,
                "units": row.measure.unit_codes,
                "status": row.status.value if row.status else None,
                "targets": [e.as_dict() for e in row.evaluations],
            }
            for row in rows
        ],
    }
