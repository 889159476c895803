"""JSON API routes of the cases app (mounted under /api/v1/cases/): search, case and timeline, registers, warnings.

Staff only, through the signed-in session (second factor included); every look-up of personal data is logged.
No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from civicdesk.audit.services import access_log_record
from civicdesk.cases import metrics, selectors, services
from civicdesk.cases.models import Case, CaseWarning
from civicdesk.organization.access import staff_is_fully_signed_in
from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Permission

router = Router(tags=["cases"])


def _staff(request: HttpRequest, permission: Permission) -> Staff:
    if not staff_is_fully_signed_in(request):
        raise HttpError(401, "Sign in as staff first.")
    user = request.user
    assert isinstance(user, Staff)
    if not user.has_permission(permission):
        raise HttpError(403, "You do not have the permission for this.")
    return user


class CaseOut(Schema):
    id: int
    branch: str
    case_number: str
    agency: str
    agency_reference: str
    category: str
    obligor_kind: str
    obligor_id: str
    obligor_name: str
    principal: int
    fee: int
    paid: int
    balance: int
    transferred_on: datetime.date
    received_on: datetime.date
    stage: str
    stage_since: datetime.date
    stage_due_on: datetime.date | None
    subdivision: str | None

    @staticmethod
    def resolve_branch(obj: Case) -> str:
        return obj.branch.code

    @staticmethod
    def resolve_agency(obj: Case) -> str:
        return obj.agency.code

    @staticmethod
    def resolve_category(obj: Case) -> str:
        return obj.category.code

    @staticmethod
    def resolve_subdivision(obj: Case) -> str | None:
        return obj.subdivision.code if obj.subdivision else None


class TimelineOut(Schema):
    day: datetime.date
    at: datetime.datetime
    kind: str
    actor: str
    text: str
    reference: str


class CaseDetailOut(Schema):
    case: CaseOut
    timeline: list[TimelineOut]


class DayOut(Schema):
    day: datetime.date
    branch_code: str
    count: int
    other: int


class WarningOut(Schema):
    id: int
    kind: str
    severity: str
    status: str
    message: str
    case_number: str | None
    subdivision: str | None
    first_seen_at: datetime.datetime
    last_seen_at: datetime.datetime

    @staticmethod
    def resolve_case_number(obj: CaseWarning) -> str | None:
        return obj.case.case_number if obj.case else None

    @staticmethod
    def resolve_subdivision(obj: CaseWarning) -> str | None:
        return obj.subdivision.code if obj.subdivision else None


class MetricsOut(Schema):
    start: datetime.date
    end: datetime.date
    received: int | None
    assigned: int | None
    within_time_limits: float | None
    open_warnings: dict[str, int]


@router.get("/search", response=list[CaseOut], summary="Find cases by case number, obligor ID or agency reference")
def search(request: HttpRequest, kind: Literal["case_number", "obligor_id", "agency_reference"], q: str) -> list[Case]:
    staff = _staff(request, Permission.CASES_CASE_VIEW)
    try:
        return services.case_search_audited(staff=staff, kind=kind, text=q, request=request, channel="API ")
    except PermissionDenied as denied:
        raise HttpError(403, "You do not have the permission to look up obligors.") from denied


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="One case with its timeline")
def case_detail(request: HttpRequest, case_id: int) -> dict[str, object]:
    staff = _staff(request, Permission.CASES_CASE_VIEW)
    case = get_object_or_404(selectors.cases_visible_to(staff), pk=case_id)
    access_log_record(
        staff=staff, record_type="cases.case", record_id=str(case.pk), purpose="API case", request=request
    )
    return {"case": case, "timeline": selectors.case_timeline(case)}


@router.get("/registers/{name}/days", response=list[DayOut], summary="Day totals of a register")
def register_days(request: HttpRequest, name: Literal["receipt", "assignment"]) -> list[dict[str, object]]:
    staff = _staff(request, Permission.CASES_REGISTER_VIEW)
    return selectors.register_days(register=name, branch_codes=selectors.branch_codes_visible_to(staff))


@router.get("/warnings", response=list[WarningOut], summary="Reconciliation warnings")
@paginate
def warnings(
    request: HttpRequest,
    status: Literal["open", "acknowledged", "resolved", ""] = "open",
    severity: str = "",
    kind: str = "",
) -> list[CaseWarning]:
    staff = _staff(request, Permission.CASES_WARNING_VIEW)
    return selectors.warnings_list(  # type: ignore[return-value]
        staff=staff, filters=selectors.WarningFilters(status=status, severity=severity, kind=kind)
    )


@router.get("/metrics", response=MetricsOut, summary="Plan figures for a period (A2.5)")
def metrics_view(request: HttpRequest, start: datetime.date, end: datetime.date) -> dict[str, object]:
    staff = _staff(request, Permission.CASES_REGISTER_VIEW)
    if end < start:
        raise HttpError(422, "end is before start")
    if staff.branch is None:
        raise HttpError(422, "Your account has no branch.")
    code = staff.branch.code
    return {
        "start": start,
        "end": end,
        "received": metrics.cases_received(branch_code=code, start=start, end=end),
        "assigned": metrics.cases_assigned(branch_code=code, start=start, end=end),
        "within_time_limits": metrics.share_within_time_limits(branch_code=code, start=start, end=end),
        "open_warnings": metrics.open_warnings_by_kind(branch_code=code, start=start, end=end),
    }
