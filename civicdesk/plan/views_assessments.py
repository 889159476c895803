"""Staff pages of the quarterly self-assessment (C.1): unit heads fill in and submit, the group reviews."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicdesk.organization.access import staff_required
from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Permission
from civicdesk.plan.models import Plan, SelfAssessment, SelfAssessmentLine
from civicdesk.plan.periods import Period, PeriodKind
from civicdesk.plan.selectors import plan_current, plan_versions
from civicdesk.plan.services import (
    AssessmentError,
    assessment_prepare,
    assessment_review,
    assessment_save,
    assessment_submit,
)
from civicdesk.plan.views import plan_staff


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comments of the assessment group"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Required when returning the self-assessment."),
    )


def _staff(request: HttpRequest) -> Staff:
    return request.user  # type: ignore[return-value]


def _plan(staff: Staff, year_text: str | None) -> Plan:
    if staff.branch is None:
        raise PermissionDenied
    year = int(year_text) if year_text and year_text.isdigit() else None
    if year is None:
        latest = plan_versions(branch=staff.branch).first()
        if latest is None:
            raise Http404
        year = latest.year
    plan = plan_current(branch=staff.branch, year=year)
    if plan is None:
        raise Http404
    return plan


@staff_required(Permission.PLAN_ASSESSMENT_SUBMIT)
def assessments(request: HttpRequest) -> HttpResponse:
    """The unit head's quarters: start or continue each one."""
    staff = _staff(request)
    plan = _plan(staff, request.GET.get("year"))
    if request.method == "POST":
        try:
            quarter = int(request.POST.get("quarter", "0"))
            if staff.unit is None:
                raise AssessmentError(_("Only the head of the unit can fill in its self-assessment."))
            assessment = assessment_prepare(plan=plan, unit=staff.unit, quarter=quarter, actor=staff)
        except (AssessmentError, ValueError) as error:
            messages.error(request, str(error))
            return redirect(f"{request.path}?year={plan.year}")
        return redirect("plan:assessment", pk=assessment.pk)
    existing = {
        a.quarter: a
        for a in SelfAssessment.objects.filter(plan__branch=plan.branch, plan__year=plan.year, unit=staff.unit)
    }
    today = timezone.localdate()
    quarters = [
        {
            "number": q,
            "label": Period(plan.year, PeriodKind.QUARTER, q).label(request.LANGUAGE_CODE),
            "assessment": existing.get(q),
            "started": Period(plan.year, PeriodKind.QUARTER, q).start <= today,
        }
        for q in range(1, 5)
    ]
    return render(request, "plan/assessments.html", {"plan": plan, "quarters": quarters})


@staff_required(Permission.PLAN_ASSESSMENT_REVIEW)
def assessment_reviews(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    items = (
        SelfAssessment.objects.filter(plan__branch=staff.branch)
        .select_related("plan", "unit", "submitted_by", "reviewed_by")
        .order_by("status", "-plan__year", "quarter", "unit__ordering")
    )
    pending = [a for a in items if a.status == SelfAssessment.Status.SUBMITTED]
    others = [a for a in items if a.status != SelfAssessment.Status.SUBMITTED]
    return render(request, "plan/assessment_reviews.html", {"pending": pending, "others": others})


@plan_staff
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    assessment = get_object_or_404(
        SelfAssessment.objects.select_related("plan", "plan__branch", "unit", "submitted_by", "reviewed_by"),
        pk=pk,
        plan__branch=staff.branch,
    )
    is_head = staff.unit_id == assessment.unit_id and staff.has_permission(Permission.PLAN_ASSESSMENT_SUBMIT)
    is_reviewer = staff.has_permission(Permission.PLAN_ASSESSMENT_REVIEW)
    if not (is_head or is_reviewer):
        raise PermissionDenied
    lines = list(assessment.lines.select_related("measure").order_by("measure__ordering"))
    editable = is_head and not assessment.is_locked
    review_form = ReviewForm(request.POST or None) if is_reviewer else None
    errors: dict[int, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in {"save", "submit"} and editable:
                scores, errors = _read_scores(request, lines)
                if errors:
                    raise AssessmentError(_("Correct the scores marked below."))
                assessment_save(assessment=assessment, actor=staff, scores=scores)
                if action == "submit":
                    assessment_submit(assessment=assessment, actor=staff)
                    messages.success(request, _("The self-assessment was submitted to the assessment group."))
                else:
                    messages.success(request, _("Your scores were saved."))
                return redirect("plan:assessment", pk=assessment.pk)
            if action in {"approve", "return"} and review_form is not None and review_form.is_valid():
                assessment_review(
                    assessment=assessment,
                    actor=staff,
                    approve=action == "approve",
                    comment=review_form.cleaned_data["comment"],
                )
                messages.success(
                    request,
                    _("The self-assessment was approved and locked.")
                    if action == "approve"
                    else _("The self-assessment was returned."),
                )
                return redirect("plan:assessment", pk=assessment.pk)
        except AssessmentError as error:
            messages.error(request, str(error))
            lines = list(assessment.lines.select_related("measure").order_by("measure__ordering"))
            for line in lines:
                if line.pk in errors:
                    line.score_input = request.POST.get(f"score-{line.pk}", "")  # type: ignore[attr-defined]
                    line.comment = request.POST.get(f"comment-{line.pk}", line.comment)
    return render(
        request,
        "plan/assessment_detail.html",
        {
            "assessment": assessment,
            "period_label": Period(assessment.plan.year, PeriodKind.QUARTER, assessment.quarter).label(
                request.LANGUAGE_CODE
            ),
            "lines": lines,
            "errors": errors,
            "editable": editable,
            "can_review": is_reviewer
            and assessment.status == SelfAssessment.Status.SUBMITTED
            and assessment.submitted_by_id != staff.pk,
            "review_form": review_form,
            "events": assessment.events.select_related("actor"),
        },
    )


def _read_scores(
    request: HttpRequest, lines: list[SelfAssessmentLine]
) -> tuple[dict[int, tuple[int | None, str]], dict[int, str]]:
    scores: dict[int, tuple[int | None, str]] = {}
    errors: dict[int, str] = {}
    for line in lines:
        raw = request.POST.get(f"score-{line.pk}", "").strip()
        comment = request.POST.get(f"comment-{line.pk}", "")
        if raw == "":
            scores[line.pk] = (None, comment)
            continue
        if not raw.isdigit() or not 0 <= int(raw) <= 100:
            errors[line.pk] = _("Enter a whole number from 0 to 100.")
            continue
        scores[line.pk] = (int(raw), comment)
    return scores, errors
