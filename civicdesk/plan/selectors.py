"""Reads of the plan app."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civicdesk.organization.models import Branch, Unit
from civicdesk.plan.models import Activity, Measure, Plan


def plan_current(*, branch: Branch, year: int) -> Plan | None:
    """The plan in force for a year: the newest submitted version, else the newest draft."""
    plans = Plan.objects.filter(branch=branch, year=year).select_related("branch")
    return plans.filter(status=Plan.Status.SUBMITTED).order_by("-version").first() or plans.order_by("-version").first()


def plan_versions(*, branch: Branch) -> QuerySet[Plan]:
    return Plan.objects.filter(branch=branch).order_by("-year", "-version")


def unit_codes_covering(unit: Unit) -> list[str]:
    """Codes under which a measure can name this unit: its own, its division's, ALL and DIVISIONS."""
    codes = [unit.code, "ALL"]
    if unit.kind == Unit.Kind.DIVISION:
        codes.append("DIVISIONS")
    if unit.parent_id is not None and unit.kind == Unit.Kind.SUBDIVISION and unit.parent is not None:
        codes += [unit.parent.code, "DIVISIONS"]
    return codes


def measures_for(*, plan: Plan, area: str = "", unit: Unit | None = None) -> QuerySet[Measure]:
    measures = plan.measures.select_related("area").prefetch_related("targets").order_by("ordering")
    if area:
        measures = measures.filter(area__code=area)
    if unit is not None:
        measures = measures.filter(responsible_units__unit_code__in=unit_codes_covering(unit)).distinct()
    return measures


def activities_for(
    *, branch: Branch, kind: str = "", start: object = None, end: object = None, measure: Measure | None = None
) -> QuerySet[Activity]:
    activities = Activity.objects.filter(branch=branch).select_related("kind", "unit").prefetch_related("evidence")
    if kind:
        activities = activities.filter(kind__code=kind)
    if start is not None:
        activities = activities.filter(held_on__gte=start)
    if end is not None:
        activities = activities.filter(held_on__lte=end)
    if measure is not None:
        activities = activities.filter(Q(measures=measure))
    return activities
