"""Writes of the plan app: loading, copying and submitting plans; activities and evidence; proposals;
self-assessments. Each function is one transaction and records an event row for state changes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from civicdesk.organization.models import Branch, Staff, Unit
from civicdesk.plan.models import ActivityKind, Area, Measure, MeasureUnit, Plan, PlanEvent, Provision, Target
from civicdesk.plan.plan_file import PlanFileError, PlanSpec

PLAN_DATA = Path(__file__).resolve().parent.parent / "data" / "plan-104.yaml"


class PlanError(ValueError):
    """A plan operation that the plan's state does not allow; the message says why."""


@dataclass(frozen=True)
class PlanLoadResult:
    plan: Plan
    outcome: str  # "created", "new version", "updated" or "unchanged"
    activity_kinds_changed: int


def spec_hash(spec: PlanSpec) -> str:
    content = asdict(spec)
    content.pop("unit_codes", None)
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def _set_fields(obj: Any, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def _upsert(model: type[Any], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj
    changed = _set_fields(obj, values)
    if changed:
        obj.full_clean()
        obj.save(update_fields=changed)
    return obj


@transaction.atomic
def activity_kinds_load(*, spec: PlanSpec) -> int:
    """Create or update the activity kinds named in a plan file; returns how many changed."""
    changed = 0
    for position, kind in enumerate(spec.activity_kinds, start=1):
        values = {
            "name_zh": kind.name.zh,
            "name_en": kind.name.en,
            "quantity_zh": kind.quantity.zh,
            "quantity_en": kind.quantity.en,
            "ordering": position,
            "is_active": True,
        }
        existing = ActivityKind.objects.filter(code=kind.code).first()
        if existing is None or _set_fields(existing, dict(values)):
            changed += 1
            _upsert(ActivityKind, {"code": kind.code}, values)
    return changed


@transaction.atomic
def plan_load(*, spec: PlanSpec, actor: Staff | None = None) -> PlanLoadResult:
    """Write a validated plan file. Idempotent: the same file again changes nothing.

    A draft version is updated in place (measures matched by code); when the newest version is
    submitted and the file differs, a new draft version is created so the submitted one is kept.
    """
    branch = Branch.objects.filter(code=spec.branch).first()
    if branch is None:
        raise PlanFileError("plan", [f"branch: unknown branch code {spec.branch!r}"])
    known_units = set(Unit.objects.filter(branch=branch).values_list("code", flat=True))
    unknown = sorted({u for m in spec.measures for u in m.units} - known_units - {"ALL", "DIVISIONS"})
    if unknown:
        raise PlanFileError("plan", [f"units: unknown unit codes for branch {branch.code}: {', '.join(unknown)}"])
    kinds_changed = activity_kinds_load(spec=spec)
    digest = spec_hash(spec)
    latest = Plan.objects.filter(branch=branch, year=spec.year).order_by("-version").first()
    if latest is not None and latest.content_hash == digest:
        return PlanLoadResult(plan=latest, outcome="unchanged", activity_kinds_changed=kinds_changed)
    if latest is None or latest.is_locked:
        plan = Plan(
            branch=branch,
            year=spec.year,
            version=1 if latest is None else latest.version + 1,
            based_on=latest,
            title_zh=spec.title.zh,
            title_en=spec.title.en,
        )
        plan.full_clean()
        plan.save()
        outcome = "created" if latest is None else "new version"
    else:
        plan, outcome = latest, "updated"
    _write_content(plan=plan, spec=spec, digest=digest)
    PlanEvent.objects.create(plan=plan, action=f"loaded ({outcome})", actor=actor, payload={"hash": digest})
    return PlanLoadResult(plan=plan, outcome=outcome, activity_kinds_changed=kinds_changed)


def _write_content(*, plan: Plan, spec: PlanSpec, digest: str) -> None:
    values = {
        "title_zh": spec.title.zh,
        "title_en": spec.title.en,
        "basis_zh": spec.basis.zh,
        "basis_en": spec.basis.en,
        "scope_zh": spec.scope.zh,
        "scope_en": spec.scope.en,
        "goal_zh": spec.goal.zh,
        "goal_en": spec.goal.en,
        "content_hash": digest,
    }
    _set_fields(plan, values)
    plan.full_clean()
    plan.save()
    if not plan.areas.exists():
        _create_content(plan=plan, spec=spec)
        return
    area_codes, measure_codes = [], []
    position = 0
    for area_position, area_spec in enumerate(spec.areas, start=1):
        area = _upsert(
            Area,
            {"plan": plan, "code": area_spec.code},
            {"title_zh": area_spec.title.zh, "title_en": area_spec.title.en, "ordering": area_position},
        )
        area_codes.append(area.code)
        for measure_spec in area_spec.measures:
            position += 1
            measure = _upsert(
                Measure,
                {"plan": plan, "code": measure_spec.code},
                {
                    "area": area,
                    "strategy_zh": measure_spec.strategy.zh,
                    "strategy_en": measure_spec.strategy.en,
                    "benefit_zh": measure_spec.benefit.zh,
                    "benefit_en": measure_spec.benefit.en,
                    "unit_codes": list(measure_spec.units),
                    "ordering": position,
                },
            )
            measure_codes.append(measure.code)
            MeasureUnit.objects.filter(measure=measure).exclude(unit_code__in=measure_spec.units).delete()
            for unit_code in measure_spec.units:
                MeasureUnit.objects.get_or_create(measure=measure, unit_code=unit_code)
            target_codes = []
            for target_position, target_spec in enumerate(measure_spec.targets, start=1):
                _upsert(
                    Target,
                    {"measure": measure, "code": target_spec.code},
                    _target_values(target_spec, target_position),
                )
                target_codes.append(target_spec.code)
            Target.objects.filter(measure=measure).exclude(code__in=target_codes).delete()
    stale_measures = Measure.objects.filter(plan=plan).exclude(code__in=measure_codes)
    if stale_measures.filter(activities__isnull=False).exists():
        codes = ", ".join(sorted(set(stale_measures.filter(activities__isnull=False).values_list("code", flat=True))))
        raise PlanError(f"measures {codes} have logged activities and cannot be removed from the plan")
    stale_measures.delete()
    Area.objects.filter(plan=plan).exclude(code__in=area_codes).delete()
    provision_codes = []
    for provision_position, provision in enumerate(spec.provisions, start=1):
        _upsert(
            Provision,
            {"plan": plan, "code": provision.code},
            {
                "kind": provision.kind,
                "text_zh": provision.text.zh,
                "text_en": provision.text.en,
                "ordering": provision_position,
            },
        )
        provision_codes.append(provision.code)
    Provision.objects.filter(plan=plan).exclude(code__in=provision_codes).delete()


def _target_values(target_spec: Any, position: int) -> dict[str, Any]:
    return {
        "description_zh": target_spec.description.zh,
        "description_en": target_spec.description.en,
        "source": target_spec.source,
        "activity_kind": target_spec.activity_kind,
        "aggregate": target_spec.aggregate,
        "metric_path": target_spec.metric,
        "period": target_spec.period.value,
        "comparison": target_spec.comparison,
        "threshold": target_spec.threshold,
        "unit_zh": target_spec.unit.zh,
        "unit_en": target_spec.unit.en,
        "ordering": position,
    }


def _checked(obj: Any, parents: list[str]) -> Any:
    obj.full_clean(exclude=parents, validate_unique=False, validate_constraints=False)
    return obj


def _create_content(*, plan: Plan, spec: PlanSpec) -> None:
    """First load of a version: every row validated, then written in a few batches (codes are unique by
    the file's validation)."""
    areas = Area.objects.bulk_create(
        [
            _checked(Area(plan=plan, code=a.code, title_zh=a.title.zh, title_en=a.title.en, ordering=i), ["plan"])
            for i, a in enumerate(spec.areas, start=1)
        ]
    )
    measures: list[Measure] = []
    specs = []
    for area, area_spec in zip(areas, spec.areas, strict=True):
        for m in area_spec.measures:
            measure = Measure(
                plan=plan,
                area=area,
                code=m.code,
                strategy_zh=m.strategy.zh,
                strategy_en=m.strategy.en,
                benefit_zh=m.benefit.zh,
                benefit_en=m.benefit.en,
                unit_codes=list(m.units),
                ordering=len(measures) + 1,
            )
            measures.append(_checked(measure, ["plan", "area"]))
            specs.append(m)
    measures = Measure.objects.bulk_create(measures)
    MeasureUnit.objects.bulk_create(
        [
            MeasureUnit(measure=measure, unit_code=code)
            for measure, m in zip(measures, specs, strict=True)
            for code in m.units
        ]
    )
    Target.objects.bulk_create(
        [
            _checked(Target(measure=measure, code=t.code, **_target_values(t, i)), ["measure"])
            for measure, m in zip(measures, specs, strict=True)
            for i, t in enumerate(m.targets, start=1)
        ]
    )
    Provision.objects.bulk_create(
        [
            _checked(
                Provision(plan=plan, kind=p.kind, code=p.code, text_zh=p.text.zh, text_en=p.text.en, ordering=i),
                ["plan"],
            )
            for i, p in enumerate(spec.provisions, start=1)
        ]
    )


@transaction.atomic
def plan_copy_to_year(*, source: Plan, year: int, actor: Staff) -> Plan:
    """Start a new year's plan as a draft copy of `source` (S.1, A5.2); staff then edit and submit it."""
    if year <= source.year:
        raise PlanError(f"the new plan's year ({year}) must come after {source.year}")
    return _copy_plan(source=source, year=year, actor=actor)


@transaction.atomic
def plan_new_version(*, plan: Plan, actor: Staff) -> Plan:
    """Open a new draft version of a submitted plan; the submitted version is kept unchanged."""
    if not plan.is_locked:
        raise PlanError("this version is still a draft; edit it directly")
    return _copy_plan(source=plan, year=plan.year, actor=actor)


def _copy_plan(*, source: Plan, year: int, actor: Staff) -> Plan:
    latest = Plan.objects.filter(branch=source.branch, year=year).order_by("-version").first()
    if latest is not None and not latest.is_locked:
        raise PlanError(f"a draft plan for {year} already exists (version {latest.version}); edit that one")
    plan = Plan(
        branch=source.branch,
        year=year,
        version=1 if latest is None else latest.version + 1,
        based_on=source,
        title_zh=source.title_zh.replace(f"{source.year}年度", f"{year}年度"),
        title_en=source.title_en,
        basis_zh=source.basis_zh,
        basis_en=source.basis_en,
        scope_zh=source.scope_zh,
        scope_en=source.scope_en,
        goal_zh=source.goal_zh,
        goal_en=source.goal_en,
    )
    plan.full_clean()
    plan.save()
    areas = {}
    for area in source.areas.all():
        areas[area.pk] = Area.objects.create(
            plan=plan, code=area.code, title_zh=area.title_zh, title_en=area.title_en, ordering=area.ordering
        )
    for measure in source.measures.prefetch_related("targets", "responsible_units"):
        copy = Measure.objects.create(
            plan=plan,
            area=areas[measure.area_id],
            code=measure.code,
            strategy_zh=measure.strategy_zh,
            strategy_en=measure.strategy_en,
            benefit_zh=measure.benefit_zh,
            benefit_en=measure.benefit_en,
            unit_codes=measure.unit_codes,
            ordering=measure.ordering,
        )
        MeasureUnit.objects.bulk_create(
            [MeasureUnit(measure=copy, unit_code=unit.unit_code) for unit in measure.responsible_units.all()]
        )
        for target in measure.targets.all():
            target.pk = None
            target.measure = copy
            target.save()
    for provision in source.provisions.all():
        Provision.objects.create(
            plan=plan,
            kind=provision.kind,
            code=provision.code,
            text_zh=provision.text_zh.replace(f"{source.year}年度", f"{year}年度"),
            text_en=provision.text_en,
            ordering=provision.ordering,
        )
    PlanEvent.objects.create(
        plan=plan, action="copied", actor=actor, payload={"from_year": source.year, "from_version": source.version}
    )
    return plan


@transaction.atomic
def plan_submit(*, plan: Plan, actor: Staff) -> Plan:
    """Submit a draft plan to the Agency (S.1); it is then locked and later changes need a new version."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_locked:
        raise PlanError(f"version {plan.version} of the {plan.year} plan is already submitted")
    if not plan.measures.exists():
        raise PlanError("a plan without measures cannot be submitted")
    plan.status = Plan.Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_by = actor
    plan.full_clean()
    plan.save(update_fields=["status", "submitted_at", "submitted_by"])
    PlanEvent.objects.create(plan=plan, action="submitted", actor=actor)
    return plan


@transaction.atomic
def measure_update(
    *,
    measure: Measure,
    actor: Staff,
    strategy_zh: str,
    strategy_en: str,
    benefit_zh: str,
    benefit_en: str,
    unit_codes: list[str],
    thresholds: dict[int, Decimal],
) -> Measure:
    """Edit a measure of a draft plan (text, responsible units, target thresholds); submitted plans are locked."""
    plan = Plan.objects.select_for_update().get(pk=measure.plan_id)
    if plan.is_locked:
        raise PlanError(f"version {plan.version} of the {plan.year} plan is submitted; open a new version to change it")
    known = set(Unit.objects.filter(branch_id=plan.branch_id).values_list("code", flat=True)) | {"ALL", "DIVISIONS"}
    unknown = sorted(set(unit_codes) - known)
    if unknown or not unit_codes:
        raise PlanError(
            f"unknown unit codes: {', '.join(unknown)}" if unknown else "name at least one responsible unit"
        )
    before = {
        "strategy_zh": measure.strategy_zh,
        "strategy_en": measure.strategy_en,
        "benefit_zh": measure.benefit_zh,
        "benefit_en": measure.benefit_en,
        "unit_codes": measure.unit_codes,
        "thresholds": {t.code: str(t.threshold) for t in measure.targets.all()},
    }
    changed = _set_fields(
        measure,
        {
            "strategy_zh": strategy_zh.strip(),
            "strategy_en": strategy_en.strip(),
            "benefit_zh": benefit_zh.strip(),
            "benefit_en": benefit_en.strip(),
            "unit_codes": unit_codes,
        },
    )
    if changed:
        measure.full_clean()
        measure.save(update_fields=changed)
    MeasureUnit.objects.filter(measure=measure).exclude(unit_code__in=unit_codes).delete()
    for code in unit_codes:
        MeasureUnit.objects.get_or_create(measure=measure, unit_code=code)
    for target in measure.targets.all():
        if target.pk in thresholds and thresholds[target.pk] != target.threshold:
            if thresholds[target.pk] < 0:
                raise PlanError(f"target {target.code}: the threshold cannot be negative")
            target.threshold = thresholds[target.pk]
            target.full_clean()
            target.save(update_fields=["threshold"])
    plan.content_hash = ""  # edited by hand: a later load_plan of a file is a real change
    plan.save(update_fields=["content_hash"])
    after = {
        "strategy_zh": measure.strategy_zh,
        "strategy_en": measure.strategy_en,
        "benefit_zh": measure.benefit_zh,
        "benefit_en": measure.benefit_en,
        "unit_codes": measure.unit_codes,
        "thresholds": {t.code: str(t.threshold) for t in measure.targets.all()},
    }
    PlanEvent.objects.create(
        plan=plan, action=f"edited {measure.code}", actor=actor, payload={"before": before, "after": after}
    )
    return measure
