"""Target evaluation: what was achieved in a period, against the target's threshold, with its status.

Sources: a count (or sum of quantities, or working days covered) of logged activities of a kind, or a
metric function of another app named by dotted path. A path that cannot be imported gives
"no data source" — never a number. Evaluation is reproducible: it depends only on the records and on
`as_of` (the day the figures are taken; reports use the end of the quarter, or today if earlier).
"""

from __future__ import annotations

import datetime
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext, pgettext_lazy

from civicdesk.core.working_calendar import is_working_day, working_days_between
from civicdesk.plan.models import Activity, Measure, Plan, Target
from civicdesk.plan.periods import Period, PeriodKind, period_containing, periods_within

logger = logging.getLogger(__name__)

__all__ = ["Evaluation", "Status", "evaluate_plan", "evaluate_target", "resolve_metric"]


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    NOT_STARTED = "not_started"
    NO_DATA_SOURCE = "no_data_source"
    NO_DATA = "no_data"
    SOURCE_ERROR = "source_error"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.MET: pgettext_lazy("target status", "Met"),
    Status.ON_TRACK: pgettext_lazy("target status", "On track"),
    Status.AT_RISK: pgettext_lazy("target status", "At risk"),
    Status.MISSED: pgettext_lazy("target status", "Missed"),
    Status.NOT_STARTED: pgettext_lazy("target status", "Not started"),
    Status.NO_DATA_SOURCE: pgettext_lazy("target status", "No data source"),
    Status.NO_DATA: pgettext_lazy("target status", "No data"),
    Status.SOURCE_ERROR: pgettext_lazy("target status", "Data source failed"),
}
# States without a figure: they never count as met or missed.
NO_FIGURE = {Status.NO_DATA_SOURCE, Status.NO_DATA, Status.SOURCE_ERROR, Status.NOT_STARTED}


@dataclass
class Evaluation:
    target: Target
    period: Period
    start: datetime.date
    end: datetime.date  # last day counted (the period's end, or as_of while it is open)
    actual: Decimal | None
    required: Decimal | None
    status: Status
    note: str = ""
    parts: list[Evaluation] = field(default_factory=list)
    link: str = ""  # where the metric's own records can be seen (MetricValue.url), if it says

    @property
    def counts_parts(self) -> bool:
        """True when actual/required count sub-periods met (a monthly target seen over a quarter)."""
        return bool(self.parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "target": self.target.code,
            "description": self.target.description,
            "period": self.period.code,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "actual": None if self.actual is None else _number(self.actual),
            "required": None if self.required is None else _number(self.required),
            "counts": "periods met" if self.parts else self.target.aggregate,
            "status": self.status.value,
            "note": self.note,
            "parts": [part.as_dict() for part in self.parts],
        }


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def resolve_metric(path: str) -> Callable[..., Any] | None:
    """Import `package.module.function`; None when the module or function does not exist (yet)."""
    module_path, _dot, name = path.rpartition(".")
    if not module_path.startswith("civicdesk."):
        return None
    try:
        module = importlib.import_module(module_path)
    except ModuleNotFoundError as error:
        if error.name and module_path.startswith(error.name):
            return None
        raise
    function = getattr(module, name, None)
    return function if callable(function) else None


@dataclass(frozen=True)
class _Reading:
    value: Decimal | None
    status: Status | None = None
    note: str = ""
    link: str = ""


def _read_metric(target: Target, branch_code: str, start: datetime.date, end: datetime.date) -> _Reading:
    function = resolve_metric(target.metric_path)
    if function is None:
        return _Reading(
            None, Status.NO_DATA_SOURCE, gettext("%(path)s is not available") % {"path": target.metric_path}
        )
    try:
        # A savepoint, so a failing metric cannot break the caller's transaction (PostgreSQL).
        with transaction.atomic():
            result = function(branch_code=branch_code, start=start, end=end)
    except Exception:
        logger.exception("metric %s failed", target.metric_path)
        return _Reading(None, Status.SOURCE_ERROR, target.metric_path)
    note = str(getattr(result, "note", "") or "")
    link = str(getattr(result, "url", "") or "")
    if result is not None and hasattr(result, "value"):
        result = result.value
    if result is None:
        return _Reading(None, Status.NO_DATA, note, link)
    return _Reading(Decimal(str(result)), None, note, link)


def _read(target: Target, branch_code: str, start: datetime.date, end: datetime.date) -> _Reading:
    if target.source == Target.Source.METRIC:
        return _read_metric(target, branch_code, start, end)
    activities = Activity.objects.filter(
        branch__code=branch_code, kind__code=target.activity_kind, held_on__gte=start, held_on__lte=end
    )
    if target.aggregate == Target.Aggregate.QUANTITY:
        return _Reading(Decimal(activities.aggregate(total=Sum("quantity"))["total"] or 0))
    if target.aggregate == Target.Aggregate.WORKING_DAYS:
        days = set(activities.values_list("held_on", flat=True))
        return _Reading(Decimal(sum(1 for day in days if is_working_day(day))))
    return _Reading(Decimal(activities.count()))


def _working_days(start: datetime.date, end: datetime.date) -> int:
    return working_days_between(start - datetime.timedelta(days=1), end)


def _evaluate_period(target: Target, branch_code: str, period: Period, as_of: datetime.date) -> Evaluation:
    if period.start > as_of:
        return Evaluation(target, period, period.start, period.end, None, None, Status.NOT_STARTED)
    end = min(period.end, as_of)
    closed = as_of >= period.end
    reading = _read(target, branch_code, period.start, end)
    threshold = target.threshold
    if target.comparison == Target.Comparison.EVERY_WORKING_DAY:
        # While the period is open, today's duty may not be logged yet: require the days before today.
        last_required = period.end if closed else as_of - datetime.timedelta(days=1)
        threshold = Decimal(_working_days(period.start, last_required)) if last_required >= period.start else Decimal(0)
    evaluation = Evaluation(
        target, period, period.start, end, reading.value, threshold, Status.NO_DATA, reading.note, link=reading.link
    )
    if reading.status is not None or reading.value is None:
        evaluation.status = reading.status or Status.NO_DATA
        evaluation.required = threshold
        return evaluation
    evaluation.status = _status(target, reading.value, threshold, closed=closed, elapsed=_elapsed(period, end))
    return evaluation


def _elapsed(period: Period, end: datetime.date) -> Decimal:
    return Decimal((end - period.start).days + 1) / Decimal(period.days)


def _status(target: Target, actual: Decimal, threshold: Decimal, *, closed: bool, elapsed: Decimal) -> Status:
    if target.comparison == Target.Comparison.AT_MOST:
        good = actual <= threshold
    elif target.comparison == Target.Comparison.EVERY_WORKING_DAY:
        good = actual >= threshold
    else:
        if actual >= threshold:
            return Status.MET
        good = not closed and actual >= threshold * elapsed
    if closed:
        return Status.MET if good else Status.MISSED
    return Status.ON_TRACK if good else Status.AT_RISK


def evaluate_target(*, target: Target, branch_code: str, period: Period, as_of: datetime.date) -> Evaluation:
    """Evaluate `target` for the view `period` as known on `as_of`.

    - Target period shorter than the view (a monthly target over a quarter): each sub-period is
      evaluated; actual/required are sub-periods met / sub-periods; met when all are met, missed when
      a closed one was missed, at risk when the open one is at risk, otherwise on track.
    - Same length: evaluated directly.
    - Longer (a yearly target seen for a quarter): the enclosing year is evaluated to date at the end
      of the view period (year to date).
    """
    kind = target.period_kind
    if kind.months < period.kind.months:
        parts = [_evaluate_period(target, branch_code, part, as_of) for part in periods_within(kind, period)]
        return _combine_parts(target, period, parts, as_of)
    if kind.months == period.kind.months:
        return _evaluate_period(target, branch_code, period, as_of)
    enclosing = period_containing(kind, period.start)
    return _evaluate_period(target, branch_code, enclosing, min(as_of, period.end))


def _combine_parts(target: Target, period: Period, parts: list[Evaluation], as_of: datetime.date) -> Evaluation:
    started = [part for part in parts if part.status is not Status.NOT_STARTED]
    result = Evaluation(
        target,
        period,
        period.start,
        min(period.end, as_of),
        Decimal(sum(1 for part in parts if part.status is Status.MET)),
        Decimal(len(parts)),
        Status.ON_TRACK,
        parts=parts,
    )
    for failing in (Status.NO_DATA_SOURCE, Status.SOURCE_ERROR, Status.NO_DATA):
        if any(part.status is failing for part in started):
            result.status = failing
            result.actual = None
            result.note = next(part.note for part in started if part.status is failing)
            return result
    if not started:
        result.status = Status.NOT_STARTED
    elif all(part.status is Status.MET for part in parts):
        result.status = Status.MET
    elif any(part.status is Status.MISSED for part in parts):
        result.status = Status.MISSED
    elif any(part.status is Status.AT_RISK for part in parts):
        result.status = Status.AT_RISK
    return result


def status_rule(target: Target) -> str:
    """The rule behind the status, in words, as shown beside each figure."""
    period = PeriodKind(target.period).label
    values = {"period": period, "threshold": _number(target.threshold), "unit": target.unit_label}
    if target.comparison == Target.Comparison.EVERY_WORKING_DAY:
        return (
            gettext(
                "Met when every working day of the %(period)s is covered. While the %(period)s is open: on track "
                "if every working day before today is covered, at risk if one is not; missed if the %(period)s "
                "ends with a working day uncovered."
            )
            % values
        )
    if target.comparison == Target.Comparison.AT_MOST:
        return (
            gettext(
                "Met when the %(period)s ends at or below %(threshold)s %(unit)s; while it is open, on track at "
                "or below, at risk above; missed if it ends above."
            )
            % values
        )
    return (
        gettext(
            "Met as soon as the %(period)s total reaches %(threshold)s %(unit)s. While the %(period)s is open: on "
            "track if the total is at least the share of %(threshold)s for the days gone by, otherwise at risk; "
            "missed if the %(period)s ends below %(threshold)s."
        )
        % values
    )


@dataclass
class MeasureRow:
    measure: Measure
    evaluations: list[Evaluation]

    @property
    def status(self) -> Status | None:
        """The measure's status: the worst of its targets' (None when it has no quantified target)."""
        order = [
            Status.MISSED,
            Status.AT_RISK,
            Status.SOURCE_ERROR,
            Status.NO_DATA_SOURCE,
            Status.NO_DATA,
            Status.ON_TRACK,
            Status.NOT_STARTED,
            Status.MET,
        ]
        statuses = {evaluation.status for evaluation in self.evaluations}
        return next((status for status in order if status in statuses), None)


def evaluate_plan(
    *, plan: Plan, period: Period, as_of: datetime.date, measures: list[Measure] | None = None
) -> list[MeasureRow]:
    """Every measure of the plan (or the given ones) with each target evaluated for `period`."""
    if measures is None:
        measures = list(plan.measures.select_related("area").prefetch_related("targets"))
    branch_code = plan.branch.code
    return [
        MeasureRow(
            measure=measure,
            evaluations=[
                evaluate_target(target=target, branch_code=branch_code, period=period, as_of=as_of)
                for target in measure.targets.all()
            ],
        )
        for measure in measures
    ]


def default_as_of(period: Period, today: datetime.date) -> datetime.date:
    """Figures are taken at the period's end, or today while the period is still open."""
    return min(period.end, today)
