"""Staff pages of the plan: dashboard with drill-down, measures with trend charts, activities and
evidence, proposals, plan versions. Thin: reads go through selectors/evaluation, writes through services."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from civicdesk.core.i18n import active_language
from civicdesk.organization.access import staff_required
from civicdesk.organization.models import Staff, Unit
from civicdesk.organization.permissions import Permission
from civicdesk.plan.charts import Point, trend_svg
from civicdesk.plan.evaluation import Evaluation, default_as_of, evaluate_plan, evaluate_target, status_rule
from civicdesk.plan.forms import ActivityForm, MeasureForm, ProposalForm, ProposalStepForm
from civicdesk.plan.models import Activity, Area, Evidence, Plan, Proposal, Target
from civicdesk.plan.periods import Period, PeriodKind, parse_period, periods_within
from civicdesk.plan.selectors import activities_for, measures_for, plan_current, plan_versions
from civicdesk.plan.services import (
    ActivityError,
    PlanError,
    ProposalError,
    activity_log,
    measure_update,
    plan_copy_to_year,
    plan_new_version,
    plan_submit,
    proposal_advance,
    proposal_submit,
)
from civicdesk.plan.services.proposals import TRANSITIONS

PLAN_PERMISSIONS = {
    Permission.PLAN_PLAN_EDIT,
    Permission.PLAN_ACTIVITY_LOG,
    Permission.PLAN_ASSESSMENT_SUBMIT,
    Permission.PLAN_ASSESSMENT_REVIEW,
    Permission.PLAN_REPORT_EXPORT,
}
View = Callable[..., HttpResponse]


def plan_staff(view: View) -> View:
    """Signed-in staff holding any plan permission."""

    @staff_required(None)
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        staff: Staff = request.user  # type: ignore[assignment]
        if staff.branch_id is None or not any(staff.has_permission(p) for p in PLAN_PERMISSIONS):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _staff(request: HttpRequest) -> Staff:
    return request.user  # type: ignore[return-value]


def _year_and_plan(request: HttpRequest) -> tuple[int, Plan]:
    staff = _staff(request)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        latest = plan_versions(branch=staff.branch).first()  # type: ignore[arg-type]
        year = latest.year if latest else timezone.localdate().year - 1911
    plan = plan_current(branch=staff.branch, year=year)  # type: ignore[arg-type]
    if plan is None:
        raise Http404(_("There is no plan for %(year)s yet.") % {"year": year})
    return year, plan


def _period(request: HttpRequest, year: int) -> Period:
    text = request.GET.get("period", "")
    try:
        period = parse_period(text) if text else Period(year, PeriodKind.YEAR, 1)
    except ValueError:
        period = Period(year, PeriodKind.YEAR, 1)
    return period if period.roc_year == year else Period(year, PeriodKind.YEAR, 1)


def _period_choices(year: int) -> list[Period]:
    whole = Period(year, PeriodKind.YEAR, 1)
    return [
        whole,
        *periods_within(PeriodKind.HALF, whole),
        *periods_within(PeriodKind.QUARTER, whole),
        *periods_within(PeriodKind.MONTH, whole),
    ]


@plan_staff
def dashboard(request: HttpRequest) -> HttpResponse:
    year, plan = _year_and_plan(request)
    period = _period(request, year)
    as_of = default_as_of(period, timezone.localdate())
    area = request.GET.get("area", "")
    unit_code = request.GET.get("unit", "")
    unit = Unit.objects.filter(branch=plan.branch, code=unit_code).first() if unit_code else None
    measures = list(measures_for(plan=plan, area=area, unit=unit))
    rows = evaluate_plan(plan=plan, period=period, as_of=as_of, measures=measures)
    language = active_language()
    return render(
        request,
        "plan/dashboard.html",
        {
            "plan": plan,
            "period": period,
            "period_label": period.label(language),
            "periods": [(p.code, p.label(language)) for p in _period_choices(year)],
            "as_of": as_of,
            "rows": rows,
            "areas": Area.objects.filter(plan=plan),
            "units": Unit.objects.filter(branch=plan.branch, is_active=True).exclude(kind=Unit.Kind.SUBDIVISION),
            "area": area,
            "unit": unit_code,
            "years": sorted({p.year for p in plan_versions(branch=plan.branch)}, reverse=True),
        },
    )


def _trend(target: Target, branch_code: str, year: int, today: datetime.date) -> list[Evaluation]:
    months = periods_within(PeriodKind.MONTH, Period(year, PeriodKind.YEAR, 1))
    return [
        evaluate_target(target=target, branch_code=branch_code, period=month, as_of=min(month.end, today))
        for month in months
        if month.start <= today
    ]


@plan_staff
def measure_detail(request: HttpRequest, code: str) -> HttpResponse:
    year, plan = _year_and_plan(request)
    measure = get_object_or_404(plan.measures.select_related("area"), code=code)
    period = _period(request, year)
    today = timezone.localdate()
    language = active_language()
    targets = []
    for target in measure.targets.all():
        trend = _trend(target, plan.branch.code, year, today)
        points = [
            Point(
                label=str(e.period.index) if e.period.kind is PeriodKind.MONTH else e.period.code,
                actual=e.actual,
                required=e.required,
                status=e.status.value,
            )
            for e in trend
        ]
        chart = trend_svg(
            points=points,
            title=_("%(target)s by month, %(year)s") % {"target": target.description, "year": plan.year},
            description=_("Bars: the figure at the end of each month; line: the level required."),
            chart_id=f"chart-{target.pk}",
        )
        evaluation = evaluate_target(
            target=target, branch_code=plan.branch.code, period=period, as_of=default_as_of(period, today)
        )
        targets.append(
            {
                "target": target,
                "evaluation": evaluation,
                "rule": status_rule(target),
                "chart": chart,
                "trend": [(e.period.label(language), e) for e in trend],
            }
        )
    return render(
        request,
        "plan/measure.html",
        {
            "plan": plan,
            "measure": measure,
            "period": period,
            "period_label": period.label(language),
            "targets": targets,
            "activities": activities_for(branch=plan.branch, measure=measure)[:50],
        },
    )


@plan_staff
def records(request: HttpRequest, target_id: int) -> HttpResponse:
    """The records behind a figure: the activities counted for a target in a period."""
    staff = _staff(request)
    target = get_object_or_404(
        Target.objects.select_related("measure", "measure__plan"), pk=target_id, measure__plan__branch=staff.branch
    )
    plan = target.measure.plan
    period = _period(request, plan.year)
    as_of = default_as_of(period, timezone.localdate())
    evaluation = evaluate_target(target=target, branch_code=plan.branch.code, period=period, as_of=as_of)
    activities: QuerySet[Activity] | None = None
    if target.source == Target.Source.ACTIVITY:
        activities = activities_for(
            branch=plan.branch, kind=target.activity_kind, start=evaluation.start, end=evaluation.end
        ).order_by("held_on", "id")
    language = active_language()
    return render(
        request,
        "plan/records.html",
        {
            "plan": plan,
            "target": target,
            "evaluation": evaluation,
            "rule": status_rule(target),
            "period_label": evaluation.period.label(language),
            "parts": [(part.period.label(language), part) for part in evaluation.parts],
            "activities": activities,
        },
    )


@plan_staff
def activity_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    kind = request.GET.get("kind", "")
    activities = activities_for(branch=staff.branch, kind=kind)[:100]  # type: ignore[arg-type]
    return render(request, "plan/activity_list.html", {"activities": activities, "kind": kind})


@staff_required(Permission.PLAN_ACTIVITY_LOG)
def activity_new(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    plan = plan_current(branch=staff.branch, year=timezone.localdate().year - 1911) if staff.branch else None
    if plan is None and staff.branch is not None:
        plan = plan_versions(branch=staff.branch).first()
    form = ActivityForm(request.POST or None, request.FILES or None, staff=staff, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = activity_log(
                actor=staff,
                kind=data["kind"],
                held_on=data["held_on"],
                unit=data["unit"],
                title=data["title"],
                description=data["description"],
                people=data["people"],
                quantity=data["quantity"],
                measures=list(data["measures"]),
                files=data["attachments"],
            )
        except ActivityError as error:
            field = "attachments" if error.field == "files" else error.field
            form.add_error(field if field in form.fields else None, str(error))
        else:
            messages.success(request, _("The activity was logged."))
            return redirect("plan:activity", pk=activity.pk)
    return render(request, "plan/activity_form.html", {"form": form})


@plan_staff
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    activity = get_object_or_404(
        Activity.objects.select_related("kind", "unit", "created_by").prefetch_related("measures", "evidence"),
        pk=pk,
        branch=staff.branch,
    )
    return render(request, "plan/activity_detail.html", {"activity": activity})


@plan_staff
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    evidence = get_object_or_404(Evidence, pk=pk, activity__branch=staff.branch)
    with evidence.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=evidence.content_type)
    disposition = "attachment" if evidence.content_type == "application/pdf" else "inline"
    response["Content-Disposition"] = (
        content_disposition_header(disposition == "attachment", evidence.original_name) or disposition
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@plan_staff
def proposal_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    proposals = Proposal.objects.filter(branch=staff.branch).select_related("unit", "proposer")[:200]
    return render(request, "plan/proposal_list.html", {"proposals": proposals})


@staff_required(Permission.PLAN_ACTIVITY_LOG)
def proposal_new(request: HttpRequest) -> HttpResponse:
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposal_submit(actor=_staff(request), **form.cleaned_data)
        except ProposalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The proposal was recorded."))
            return redirect("plan:proposal", pk=proposal.pk)
    return render(request, "plan/proposal_form.html", {"form": form})


ACTION_LABELS = {
    "evaluate": _("Record the evaluation"),
    "adopt": _("Adopt"),
    "decline": _("Decline"),
    "implement": _("Record implementation"),
    "record_results": _("Record the results"),
    "propose_reward": _("Propose for reward"),
}


@plan_staff
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    proposal = get_object_or_404(Proposal.objects.select_related("unit", "proposer"), pk=pk, branch=staff.branch)
    form = ProposalStepForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if form.is_valid():
            try:
                proposal_advance(proposal=proposal, action=action, actor=staff, note=form.cleaned_data["note"])
            except ProposalError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The proposal was updated."))
                return redirect("plan:proposal", pk=proposal.pk)
    actions = [
        (action, str(ACTION_LABELS[action]))
        for action, (sources, _target, permission, _field) in TRANSITIONS.items()
        if proposal.status in sources
        and staff.has_permission(permission)
        and not (action == "propose_reward" and proposal.reward_proposed)
    ]
    return render(
        request,
        "plan/proposal_detail.html",
        {"proposal": proposal, "events": proposal.events.select_related("actor"), "form": form, "actions": actions},
    )


@plan_staff
def plans(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    versions = plan_versions(branch=staff.branch).select_related("submitted_by", "based_on")  # type: ignore[arg-type]
    if request.method == "POST":
        if not staff.has_permission(Permission.PLAN_PLAN_EDIT):
            raise PermissionDenied
        plan = get_object_or_404(Plan, pk=request.POST.get("plan"), branch=staff.branch)
        action = request.POST.get("action")
        try:
            if action == "submit":
                plan_submit(plan=plan, actor=staff)
                messages.success(request, _("The plan was submitted and is now locked."))
            elif action == "copy":
                copy = plan_copy_to_year(source=plan, year=plan.year + 1, actor=staff)
                messages.success(request, _("A draft plan for %(year)s was created.") % {"year": copy.year})
            elif action == "new_version":
                copy = plan_new_version(plan=plan, actor=staff)
                messages.success(request, _("Version %(v)s was opened as a draft.") % {"v": copy.version})
        except PlanError as error:
            messages.error(request, str(error))
        return redirect("plan:plans")
    return render(request, "plan/plans.html", {"versions": versions})


@plan_staff
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    plan = get_object_or_404(Plan, pk=pk, branch=staff.branch)
    return render(
        request,
        "plan/plan_detail.html",
        {
            "plan": plan,
            "areas": plan.areas.prefetch_related("measures__targets"),
            "provisions": plan.provisions.all(),
            "events": plan.events.select_related("actor"),
            "editable": not plan.is_locked and staff.has_permission(Permission.PLAN_PLAN_EDIT),
        },
    )


@staff_required(Permission.PLAN_PLAN_EDIT)
def measure_edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Edit a measure of a draft plan: its text, responsible units and target thresholds."""
    staff = _staff(request)
    plan = get_object_or_404(Plan, pk=pk, branch=staff.branch)
    measure = get_object_or_404(plan.measures.prefetch_related("targets"), code=code)
    targets = list(measure.targets.all())
    form = MeasureForm(request.POST or None, measure=measure, targets=targets)
    if plan.is_locked:
        messages.error(request, _("This version is submitted and locked; open a new version to change it."))
        return redirect("plan:plan", pk=plan.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            measure_update(
                measure=measure,
                actor=staff,
                strategy_zh=data["strategy_zh"],
                strategy_en=data["strategy_en"],
                benefit_zh=data["benefit_zh"],
                benefit_en=data["benefit_en"],
                unit_codes=[c.strip().upper() for c in data["unit_codes"].split(",") if c.strip()],
                thresholds={t.pk: data[f"threshold_{t.pk}"] for t in targets if f"threshold_{t.pk}" in data},
            )
        except PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The measure was saved."))
            return redirect("plan:plan", pk=plan.pk)
    return render(request, "plan/measure_form.html", {"plan": plan, "measure": measure, "form": form})
