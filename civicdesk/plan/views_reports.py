"""Downloads: the quarterly performance report (C.2) and the plan document for the AEA (S.1)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from civicdesk.core.i18n import active_language
from civicdesk.organization.access import staff_required
from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Permission
from civicdesk.plan.models import Plan
from civicdesk.plan.periods import Period, PeriodKind
from civicdesk.plan.reports import FORMATS, report_build, report_render
from civicdesk.plan.reports.plan_document import PLAN_FORMATS, plan_document_render
from civicdesk.plan.selectors import plan_current, plan_versions
from civicdesk.plan.views import plan_staff


@staff_required(Permission.PLAN_REPORT_EXPORT)
def reports(request: HttpRequest) -> HttpResponse:
    staff: Staff = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    language = active_language()
    years = sorted({p.year for p in plan_versions(branch=staff.branch)}, reverse=True)  # type: ignore[arg-type]
    rows = [
        {"year": year, "quarter": q, "label": Period(year, PeriodKind.QUARTER, q).label(language)}
        for year in years
        for q in range(1, 5)
        if Period(year, PeriodKind.QUARTER, q).start <= today
    ]
    return render(request, "plan/reports.html", {"rows": rows, "formats": sorted(FORMATS)})


@staff_required(Permission.PLAN_REPORT_EXPORT)
def report_download(request: HttpRequest, year: int, quarter: int, fmt: str) -> HttpResponse:
    staff: Staff = request.user  # type: ignore[assignment]
    if fmt not in FORMATS or not 1 <= quarter <= 4 or staff.branch is None:
        raise Http404
    plan = plan_current(branch=staff.branch, year=year)
    if plan is None:
        raise Http404
    language = active_language()
    report = report_build(plan=plan, quarter=quarter, language=language, today=timezone.localdate())
    content = report_render(report, fmt, language)
    response = HttpResponse(content, content_type=FORMATS[fmt][1])
    name = f"report-{staff.branch.code}-{year}-Q{quarter}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response


@plan_staff
def plan_document_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The plan version as the document sent to the AEA for review (S.1)."""
    staff: Staff = request.user  # type: ignore[assignment]
    if fmt not in PLAN_FORMATS:
        raise Http404
    plan = get_object_or_404(Plan.objects.select_related("branch", "submitted_by"), pk=pk, branch=staff.branch)
    content = plan_document_render(plan, fmt, active_language())
    response = HttpResponse(content, content_type=PLAN_FORMATS[fmt][1])
    name = f"plan-{plan.branch.code}-{plan.year}-v{plan.version}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name) or "attachment"
    return response
