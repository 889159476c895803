"""Gathering the figures of a quarterly report (C.2)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import gettext as _

from civicdesk.core.roc_dates import format_roc
from civicdesk.plan.evaluation import Evaluation, MeasureRow, Status, default_as_of, evaluate_plan
from civicdesk.plan.models import Activity, Plan, Proposal, SelfAssessment, SelfAssessmentLine
from civicdesk.plan.periods import Period, PeriodKind

STATUS_ORDER = [Status.MET, Status.ON_TRACK, Status.AT_RISK, Status.MISSED, Status.NO_DATA_SOURCE, Status.NO_DATA]


def figure(value: object) -> str:
    """A figure as printed in every format: 2, 2.5, or — when there is none."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


@dataclass
class TargetLine:
    description: str
    actual: str
    required: str
    unit: str
    status: Status
    status_label: str
    note: str


@dataclass
class MeasureLine:
    code: str
    area: str
    strategy: str
    units: str
    targets: list[TargetLine]
    status_label: str
    score: str  # mean approved self-assessment score, or —
    comments: list[str]


@dataclass
class AreaLine:
    code: str
    title: str
    measures: int
    counts: dict[Status, int]
    score: str


@dataclass
class QuarterlyReport:
    plan: Plan
    period: Period
    period_label: str
    as_of: datetime.date
    title: str
    areas: list[AreaLine]
    measures: list[MeasureLine]
    activity_counts: list[tuple[str, int]]
    highlights: list[str]
    proposals: list[tuple[str, str, str, str]]  # (title, kind, status, results)
    rewards: list[tuple[str, str, str]]  # (title, proposer, reward note)
    assessments: list[tuple[str, str, str]]  # (unit, status, reviewer)
    status_labels: dict[Status, str] = field(default_factory=dict)

    @property
    def status_totals(self) -> dict[Status, int]:
        totals: Counter[Status] = Counter()
        for area in self.areas:
            totals.update(area.counts)
        return {status: totals.get(status, 0) for status in STATUS_ORDER}


def _target_line(evaluation: Evaluation) -> TargetLine:
    return TargetLine(
        description=evaluation.target.description,
        actual=figure(evaluation.actual),
        required=figure(evaluation.required),
        unit=_("periods met") if evaluation.counts_parts else evaluation.target.unit_label,
        status=evaluation.status,
        status_label=evaluation.status.label,
        note=evaluation.note,
    )


def report_build(*, plan: Plan, quarter: int, language: str, today: datetime.date) -> QuarterlyReport:
    """Figures as known at the end of the quarter (or today, while it is open): same data, same numbers."""
    period = Period(plan.year, PeriodKind.QUARTER, quarter)
    as_of = default_as_of(period, today)
    rows: list[MeasureRow] = evaluate_plan(plan=plan, period=period, as_of=as_of)
    approved = SelfAssessmentLine.objects.filter(
        assessment__plan__branch=plan.branch,
        assessment__plan__year=plan.year,
        assessment__quarter=quarter,
        assessment__status=SelfAssessment.Status.APPROVED,
        score__isnull=False,
    ).select_related("measure", "assessment__unit")
    scores: dict[str, list[int]] = {}
    comments: dict[str, list[str]] = {}
    for line in approved:
        scores.setdefault(line.measure.code, []).append(line.score or 0)
        if line.comment:
            comments.setdefault(line.measure.code, []).append(f"{line.assessment.unit.name}: {line.comment}")
    measures: list[MeasureLine] = []
    areas: dict[str, AreaLine] = {}
    area_scores: dict[str, list[int]] = {}
    for row in rows:
        measure = row.measure
        area = areas.setdefault(
            measure.area.code, AreaLine(measure.area.code, measure.area.title, 0, dict.fromkeys(STATUS_ORDER, 0), "—")
        )
        area.measures += 1
        for evaluation in row.evaluations:
            if evaluation.status in area.counts:
                area.counts[evaluation.status] += 1
        measure_scores = scores.get(measure.code, [])
        area_scores.setdefault(measure.area.code, []).extend(measure_scores)
        measures.append(
            MeasureLine(
                code=measure.code,
                area=measure.area.code,
                strategy=measure.strategy,
                units=", ".join(measure.unit_codes),
                targets=[_target_line(e) for e in row.evaluations],
                status_label=row.status.label if row.status else _("No quantified target"),
                score=figure(round(sum(measure_scores) / len(measure_scores), 1)) if measure_scores else "—",
                comments=comments.get(measure.code, []),
            )
        )
    for code, values in area_scores.items():
        if values:
            areas[code].score = figure(round(sum(values) / len(values), 1))
    activities = Activity.objects.filter(branch=plan.branch, held_on__gte=period.start, held_on__lte=as_of)
    counts = [
        (row["kind__name_en"] if language.startswith("en") else row["kind__name_zh"], row["n"])
        for row in activities.values("kind__name_zh", "kind__name_en", "kind__ordering")
        .annotate(n=Count("id"))
        .order_by("kind__ordering")
    ]
    highlights = [
        f"{a.held_on.isoformat() if language.startswith('en') else format_roc(a.held_on)} {a.unit.name} {a.title}"
        + (f" ({a.people})" if a.people else "")
        for a in activities.select_related("unit").order_by("-people", "held_on")[:8]
    ]
    proposals = Proposal.objects.filter(
        branch=plan.branch,
        proposed_on__year=period.start.year,
        proposed_on__lte=as_of,
        status__in=[Proposal.Status.ADOPTED, Proposal.Status.IMPLEMENTED, Proposal.Status.RESULTS],
    ).select_related("proposer")
    assessments = SelfAssessment.objects.filter(
        plan__branch=plan.branch, plan__year=plan.year, quarter=quarter
    ).select_related("unit", "reviewed_by")
    return QuarterlyReport(
        plan=plan,
        period=period,
        period_label=period.label(language),
        as_of=as_of,
        title=_("Service Quality Improvement Performance Report"),
        areas=list(areas.values()),
        measures=measures,
        activity_counts=counts,
        highlights=highlights,
        proposals=[(p.title, p.get_kind_display(), p.get_status_display(), p.results) for p in proposals],
        rewards=[(p.title, str(p.proposer), p.reward_note) for p in proposals if p.reward_proposed],
        assessments=[(a.unit.name, a.get_status_display(), str(a.reviewed_by or "—")) for a in assessments],
        status_labels={status: status.label for status in STATUS_ORDER},
    )
