"""Staff pages: case search and case page, intake (upload, counter), registers, warnings dashboard."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicdesk.audit.services import access_log_record
from civicdesk.cases import selectors, services
from civicdesk.cases.forms import (
    CaseSearchForm,
    CounterIntakeForm,
    IntakeUploadForm,
    ReassignForm,
    StageForm,
    WarningActionForm,
    WarningFilterForm,
)
from civicdesk.cases.intake import ALL_COLUMNS, IntakeFileError, parse_date
from civicdesk.cases.models import CaseWarning, RejectedRow, WarningKind
from civicdesk.cases.services import (
    case_reassign,
    case_receive,
    case_stage_change,
    cases_import,
    warning_acknowledge,
    warning_resolve,
)
from civicdesk.organization.access import staff_required
from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Permission


def _staff(request: HttpRequest) -> Staff:
    user = request.user
    assert isinstance(user, Staff)
    return user


@staff_required(Permission.CASES_CASE_VIEW)
def case_search(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    form = CaseSearchForm(request.GET or None)
    results: list[Any] | None = None
    if form.is_valid():
        kind, text = form.cleaned_data["kind"], form.cleaned_data["q"]
        results = list(services.case_search_audited(staff=staff, kind=kind, text=text, request=request))
    return render(request, "cases/search.html", {"form": form, "results": results})


@staff_required(Permission.CASES_CASE_VIEW)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    case = get_object_or_404(selectors.cases_visible_to(staff), pk=pk)
    access_log_record(
        staff=staff, record_type="cases.case", record_id=str(case.pk), purpose="case page", request=request
    )
    context = {
        "case": case,
        "timeline": selectors.case_timeline(case),
        "warnings": CaseWarning.objects.filter(case=case).order_by("-first_seen_at"),
        "reassign_form": ReassignForm(branch_id=case.branch_id)
        if staff.has_permission(Permission.CASES_CASE_REASSIGN)
        else None,
        "stage_form": StageForm()
        if staff.has_permission(Permission.CASES_CASE_ASSIGN) or staff.has_permission(Permission.CASES_WARNING_RESOLVE)
        else None,
    }
    return render(request, "cases/case_detail.html", context)


@require_POST
@staff_required(Permission.CASES_CASE_REASSIGN)
def case_reassign_view(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    case = get_object_or_404(selectors.cases_visible_to(staff), pk=pk)
    form = ReassignForm(request.POST, branch_id=case.branch_id)
    if form.is_valid():
        try:
            case_reassign(
                case=case, subdivision=form.cleaned_data["subdivision"], reason=form.cleaned_data["reason"], staff=staff
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The case was reassigned and the assignment register updated."))
    else:
        messages.error(request, _("Choose a subdivision and give a reason."))
    return redirect("cases:case-detail", pk=case.pk)


@require_POST
@staff_required(Permission.CASES_CASE_VIEW)
def case_stage_view(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    case = get_object_or_404(selectors.cases_visible_to(staff), pk=pk)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            case_stage_change(case=case, stage=form.cleaned_data["stage"], staff=staff, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The stage was changed."))
    return redirect("cases:case-detail", pk=case.pk)


@staff_required(Permission.CASES_CASE_RECEIVE)
def intake_upload(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    form = IntakeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if staff.branch is None:
            raise PermissionDenied
        upload = form.cleaned_data["file"]
        folder = Path(settings.MEDIA_ROOT) / "cases" / "intake"
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".csv" if upload.name.lower().endswith(".csv") else ".jsonl"
        target = folder / f"{timezone.now():%Y%m%d%H%M%S%f}-{staff.pk}{suffix}"
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            summary = cases_import(
                path=target, branch=staff.branch, actor=staff.get_username(), display_name=upload.name
            )
        except IntakeFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("cases:import-run", pk=summary.run_id)
    runs = selectors.import_runs_visible_to(staff)[:20]
    return render(request, "cases/intake_upload.html", {"form": form, "runs": runs})


@staff_required(Permission.CASES_CASE_RECEIVE)
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(selectors.import_runs_visible_to(_staff(request)), pk=pk)
    page = Paginator(run.rejected_rows.all(), 50).get_page(request.GET.get("page"))
    return render(request, "cases/import_run.html", {"run": run, "page": page})


@staff_required(Permission.CASES_CASE_RECEIVE)
def import_run_rejected(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows as a CSV a clerk can fix and upload again (the _ columns are ignored on intake)."""
    staff = _staff(request)
    run = get_object_or_404(selectors.import_runs_visible_to(staff), pk=pk)
    access_log_record(
        staff=staff,
        record_type="cases.import_run",
        record_id=str(run.pk),
        purpose="download of rejected intake rows",
        request=request,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-rows-{run.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["_line", "_field", "_reason", *ALL_COLUMNS])
    rows = RejectedRow.objects.filter(run=run).order_by("line").iterator(2000)
    for row in rows:
        raw = row.raw if isinstance(row.raw, dict) else {}
        writer.writerow([row.line, row.field, row.reason, *(raw.get(c, "") for c in ALL_COLUMNS)])
    return response


@staff_required(Permission.CASES_CASE_RECEIVE)
def counter_intake(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    form = CounterIntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if staff.branch is None:
            raise PermissionDenied
        result = case_receive(branch=staff.branch, staff=staff, values=form.row())
        if result.error is not None:
            field = result.error.field if result.error.field in form.fields else None
            form.add_error(field, result.error.reason)
        elif result.case is not None:
            if result.already_present:
                messages.info(request, _("This case was already received; nothing new was created."))
            else:
                messages.success(request, _("Case received and assigned."))
            return redirect("cases:case-detail", pk=result.case.pk)
    return render(request, "cases/counter.html", {"form": form})


@staff_required(Permission.CASES_REGISTER_VIEW)
def register_view(request: HttpRequest, register: str) -> HttpResponse:
    if register not in {"receipt", "assignment"}:
        raise Http404
    staff = _staff(request)
    codes = selectors.branch_codes_visible_to(staff)
    day: datetime.date | None = None
    if request.GET.get("day"):
        try:
            day = parse_date(request.GET["day"])
        except ValueError:
            messages.error(request, _("That is not a date."))
    entries = Paginator(selectors.register_entries(register=register, branch_codes=codes, day=day), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "register": register,
        "days": selectors.register_days(register=register, branch_codes=codes),
        "entries": entries,
        "day": day,
    }
    return render(request, "cases/register.html", context)


@staff_required(Permission.CASES_WARNING_VIEW)
def warnings_dashboard(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    units = selectors.subdivisions_of(staff)
    data = request.GET.copy()
    data.setdefault("status", "open")
    form = WarningFilterForm(data, units=units)
    filters = selectors.WarningFilters()
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        filters = selectors.WarningFilters(
            severity=form.cleaned_data["severity"],
            kind=form.cleaned_data["kind"],
            unit=unit.pk if unit else None,
            status=form.cleaned_data["status"],
            min_age_days=form.cleaned_data["age"],
        )
    query = selectors.warnings_list(staff=staff, filters=filters)
    page = Paginator(query, 50).get_page(request.GET.get("page"))
    params = data.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "kinds": WarningKind, "query_string": params.urlencode()}
    return render(request, "cases/warnings.html", context)


@staff_required(Permission.CASES_WARNING_VIEW)
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    warning = get_object_or_404(
        selectors.warnings_list(staff=staff, filters=selectors.WarningFilters(status="")), pk=pk
    )
    form = WarningActionForm(request.POST or None)
    if request.method == "POST":
        if not staff.has_permission(Permission.CASES_WARNING_RESOLVE):
            raise PermissionDenied
        if form.is_valid():
            action = warning_acknowledge if form.cleaned_data["action"] == "acknowledge" else warning_resolve
            try:
                action(warning=warning, staff=staff, note=form.cleaned_data["note"])
            except ValidationError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                messages.success(request, _("The warning was updated."))
                return redirect("cases:warning-detail", pk=warning.pk)
    context = {
        "warning": warning,
        "events": warning.events.all(),
        "form": form if staff.has_permission(Permission.CASES_WARNING_RESOLVE) else None,
    }
    return render(request, "cases/warning_detail.html", context)
