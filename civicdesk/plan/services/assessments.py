"""Quarterly self-assessment with scores (C.1): a unit head scores the unit's measures, pre-filled with the
computed actuals, and submits; a member of the assessment group approves or returns it. Approved
assessments are locked; every step keeps a snapshot in the history."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.notifications.services import notification_enqueue
from civicdesk.organization.models import Staff, Unit
from civicdesk.organization.permissions import Permission, Role
from civicdesk.plan.evaluation import default_as_of, evaluate_target
from civicdesk.plan.models import Plan, SelfAssessment, SelfAssessmentEvent, SelfAssessmentLine
from civicdesk.plan.periods import Period, PeriodKind
from civicdesk.plan.selectors import measures_for

A = SelfAssessment.Status


class AssessmentError(ValueError):
    pass


def computed_summary(*, plan: Plan, measure_targets: list[Any], quarter: int, today: datetime.date) -> str:
    """The computed actuals of a measure's targets for the quarter, as one line of text per target."""
    period = Period(plan.year, PeriodKind.QUARTER, quarter)
    as_of = default_as_of(period, today)
    lines = []
    for target in measure_targets:
        evaluation = evaluate_target(target=target, branch_code=plan.branch.code, period=period, as_of=as_of)
        actual = "—" if evaluation.actual is None else f"{evaluation.actual.normalize():f}"
        required = "—" if evaluation.required is None else f"{evaluation.required.normalize():f}"
        lines.append(f"{target.description}: {actual} / {required} ({evaluation.status.label})")
    return "\n".join(lines)


def _snapshot(assessment: SelfAssessment) -> dict[str, Any]:
    return {
        line.measure.code: {"score": line.score, "comment": line.comment, "computed": line.computed}
        for line in assessment.lines.select_related("measure")
    }


def _event(assessment: SelfAssessment, action: str, actor: Staff, before: str, comment: str = "") -> None:
    SelfAssessmentEvent.objects.create(
        assessment=assessment,
        action=action,
        before=before,
        after=assessment.status,
        comment=comment,
        snapshot=_snapshot(assessment),
        actor=actor,
    )


@transaction.atomic
def assessment_prepare(*, plan: Plan, unit: Unit, quarter: int, actor: Staff) -> SelfAssessment:
    """Open (or return the existing) self-assessment of a unit for a quarter, pre-filled with the figures."""
    if not actor.has_permission(Permission.PLAN_ASSESSMENT_SUBMIT) or actor.unit_id != unit.pk:
        raise AssessmentError(_("Only the head of the unit can fill in its self-assessment."))
    if not 1 <= quarter <= 4:
        raise AssessmentError(_("A year has quarters 1 to 4."))
    if Period(plan.year, PeriodKind.QUARTER, quarter).start > timezone.localdate():
        raise AssessmentError(_("This quarter has not started yet."))
    assessment, created = SelfAssessment.objects.get_or_create(plan=plan, unit=unit, quarter=quarter)
    if not created and assessment.is_locked:
        return assessment
    today = timezone.localdate()
    measures = list(measures_for(plan=plan, unit=unit))
    if not measures:
        raise AssessmentError(_("The plan names no measure for this unit."))
    for measure in measures:
        summary = computed_summary(plan=plan, measure_targets=list(measure.targets.all()), quarter=quarter, today=today)
        line, line_created = SelfAssessmentLine.objects.get_or_create(
            assessment=assessment, measure=measure, defaults={"computed": summary}
        )
        if not line_created and line.computed != summary:
            line.computed = summary
            line.save(update_fields=["computed"])
    if created:
        _event(assessment, "prepared", actor, "")
    return assessment


@transaction.atomic
def assessment_save(
    *, assessment: SelfAssessment, actor: Staff, scores: dict[int, tuple[int | None, str]]
) -> SelfAssessment:
    """Save scores (0–100) and comments keyed by line id; allowed while a draft or returned."""
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_locked:
        raise AssessmentError(_("This self-assessment is locked."))
    if actor.unit_id != assessment.unit_id or not actor.has_permission(Permission.PLAN_ASSESSMENT_SUBMIT):
        raise AssessmentError(_("Only the head of the unit can fill in its self-assessment."))
    for line in assessment.lines.all():
        if line.pk not in scores:
            continue
        score, comment = scores[line.pk]
        line.score, line.comment = score, comment.strip()
        line.full_clean()
        line.save(update_fields=["score", "comment"])
    _event(assessment, "saved", actor, assessment.status)
    return assessment


@transaction.atomic
def assessment_submit(*, assessment: SelfAssessment, actor: Staff) -> SelfAssessment:
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status not in {A.DRAFT, A.RETURNED}:
        raise AssessmentError(_("Only a draft or returned self-assessment can be submitted."))
    if actor.unit_id != assessment.unit_id or not actor.has_permission(Permission.PLAN_ASSESSMENT_SUBMIT):
        raise AssessmentError(_("Only the head of the unit can submit its self-assessment."))
    missing = [line.measure.code for line in assessment.lines.select_related("measure") if line.score is None]
    if missing:
        raise AssessmentError(_("Give a score for every measure first: %(codes)s.") % {"codes": ", ".join(missing)})
    before = assessment.status
    assessment.status = A.SUBMITTED
    assessment.submitted_by = actor
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_by", "submitted_at"])
    _event(assessment, "submitted", actor, before)
    for member in Staff.objects.filter(
        branch_id=assessment.plan.branch_id, role_assignments__role=Role.ASSESSMENT_GROUP_MEMBER.value, is_active=True
    ).exclude(email=""):
        notification_enqueue(
            channel="email",
            recipient=member.email,
            subject=_("Self-assessment to review: %(unit)s, Q%(q)s")
            % {"unit": assessment.unit.name, "q": assessment.quarter},
            body=_("%(unit)s submitted its self-assessment for quarter %(q)s of %(year)s.")
            % {"unit": assessment.unit.name, "q": assessment.quarter, "year": assessment.plan.year},
            topic="plan.assessment.submitted",
            branch_code=assessment.plan.branch.code,
            related=f"plan.selfassessment:{assessment.pk}",
            dedupe_key=f"plan-assessment-{assessment.pk}-submitted-{assessment.events.count()}-{member.pk}",
        )
    return assessment


@transaction.atomic
def assessment_review(*, assessment: SelfAssessment, actor: Staff, approve: bool, comment: str) -> SelfAssessment:
    """Approve (locks it) or return with comments; the reviewer must be in the group and not the submitter."""
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.status != A.SUBMITTED:
        raise AssessmentError(_("Only a submitted self-assessment can be reviewed."))
    if not actor.has_permission(Permission.PLAN_ASSESSMENT_REVIEW) or actor.branch_id != assessment.plan.branch_id:
        raise AssessmentError(_("Only a member of the assessment group can review self-assessments."))
    if actor.pk == assessment.submitted_by_id:
        raise AssessmentError(_("You cannot review your own self-assessment."))
    if not approve and not comment.strip():
        raise AssessmentError(_("Say what needs to change when returning a self-assessment."))
    before = assessment.status
    assessment.status = A.APPROVED if approve else A.RETURNED
    assessment.reviewed_by = actor
    assessment.reviewed_at = timezone.now()
    assessment.review_comment = comment.strip()
    assessment.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    _event(assessment, "approved" if approve else "returned", actor, before, comment.strip())
    submitter = assessment.submitted_by
    if submitter is not None and submitter.email:
        notification_enqueue(
            channel="email",
            recipient=submitter.email,
            subject=(_("Self-assessment approved") if approve else _("Self-assessment returned for changes")),
            body=comment.strip() or _("Your self-assessment was approved."),
            topic="plan.assessment.reviewed",
            branch_code=assessment.plan.branch.code,
            related=f"plan.selfassessment:{assessment.pk}",
            dedupe_key=f"plan-assessment-{assessment.pk}-review-{assessment.events.count()}",
        )
    return assessment
