"""Read and validate a plan data file (YAML). Every error names the file, the line and the field.

The parsed result is a tree of frozen dataclasses (:class:`PlanSpec`); services.plan_load writes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from civicdesk.plan.periods import PeriodKind

__all__ = ["PlanFileError", "PlanSpec", "parse_plan_file", "parse_plan_text"]

SPECIAL_UNITS = {"ALL", "DIVISIONS"}
_MEASURE_CODE = re.compile(r"A\d\.\d{1,2}")
_AREA_CODE = re.compile(r"A\d")
_PROVISION_CODE = {"steps": re.compile(r"S\.\d{1,2}"), "rules": re.compile(r"C\.\d{1,2}")}
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_DOTTED = re.compile(r"civicdesk(\.[a-z_][a-z0-9_]*){2,}")
COMPARISONS = {">=", "<=", "every_working_day"}
AGGREGATES = {"count", "quantity", "working_days"}


class PlanFileError(ValueError):
    """The plan file is not valid; `.errors` lists every problem found ("line N: field: reason")."""

    def __init__(self, source: str, errors: list[str]) -> None:
        self.source = source
        self.errors = errors
        super().__init__(f"{source}: " + "; ".join(errors))


class _Map(dict[str, Any]):
    line: int = 0
    lines: dict[str, int]


class _List(list[Any]):
    line: int = 0


class _Loader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping, key and list."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Map:
    result = _Map()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.MarkedYAMLError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[str(key)] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> _List:
    result = _List(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


@dataclass(frozen=True)
class Text:
    zh: str
    en: str


@dataclass(frozen=True)
class ActivityKindSpec:
    code: str
    name: Text
    quantity: Text


@dataclass(frozen=True)
class TargetSpec:
    code: str
    description: Text
    source: str
    activity_kind: str
    aggregate: str
    metric: str
    period: PeriodKind
    comparison: str
    threshold: Decimal
    unit: Text


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    strategy: Text
    benefit: Text
    units: tuple[str, ...]
    targets: tuple[TargetSpec, ...]


@dataclass(frozen=True)
class AreaSpec:
    code: str
    title: Text
    measures: tuple[MeasureSpec, ...]


@dataclass(frozen=True)
class ProvisionSpec:
    kind: str  # "step" or "rule"
    code: str
    text: Text


@dataclass(frozen=True)
class PlanSpec:
    branch: str
    year: int
    title: Text
    basis: Text
    scope: Text
    goal: Text
    activity_kinds: tuple[ActivityKindSpec, ...]
    areas: tuple[AreaSpec, ...]
    provisions: tuple[ProvisionSpec, ...]
    unit_codes: frozenset[str] = field(default_factory=frozenset)

    @property
    def measures(self) -> list[MeasureSpec]:
        return [measure for area in self.areas for measure in area.measures]


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, container: Any, key: str | None, message: str) -> None:
        line = getattr(container, "lines", {}).get(key, 0) if key is not None else 0
        line = line or getattr(container, "line", 0)
        where = f"line {line}: " if line else ""
        self.errors.append(f"{where}{key or 'entry'}: {message}")

    def mapping(self, container: Any, key: str, *, required: bool = True) -> _Map | None:
        value = container.get(key) if isinstance(container, dict) else None
        if value is None:
            if required:
                self.error(container, key, "is missing")
            return None
        if not isinstance(value, dict):
            self.error(container, key, "must be a mapping")
            return None
        return value  # type: ignore[return-value]

    def items(self, container: Any, key: str, *, required: bool = True) -> list[Any]:
        value = container.get(key)
        if value is None:
            if required:
                self.error(container, key, "is missing")
            return []
        if not isinstance(value, list):
            self.error(container, key, "must be a list")
            return []
        return value

    def string(self, container: Any, key: str, *, required: bool = True, pattern: re.Pattern[str] | None = None) -> str:
        value = container.get(key)
        if value is None or value == "":
            if required:
                self.error(container, key, "is missing")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.error(container, key, "must be text")
            return ""
        text = str(value).strip()
        if pattern is not None and not pattern.fullmatch(text):
            self.error(container, key, f"{text!r} does not match the expected form {pattern.pattern}")
        return text

    def text(self, container: Any, key: str, *, required: bool = True) -> Text:
        value = container.get(key)
        if value is None and not required:
            return Text("", "")
        mapping = self.mapping(container, key, required=required)
        if mapping is None:
            return Text("", "")
        zh = self.string(mapping, "zh")
        en = self.string(mapping, "en")
        return Text(zh, en)

    def unknown_keys(self, container: Any, allowed: set[str]) -> None:
        for key in container:
            if key not in allowed:
                self.error(container, str(key), f"unknown field (allowed: {', '.join(sorted(allowed))})")


def parse_plan_file(path: Path, *, unit_codes: frozenset[str] | None = None) -> PlanSpec:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PlanFileError(str(path), [f"cannot be read: {error}"]) from None
    return parse_plan_text(text, source=str(path), unit_codes=unit_codes)


def parse_plan_text(text: str, *, source: str = "<plan>", unit_codes: frozenset[str] | None = None) -> PlanSpec:
    """Parse and validate; `unit_codes` (the branch's units) are checked when given."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506  (_Loader is a SafeLoader subclass)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise PlanFileError(source, [f"{line}YAML syntax: {error.problem}"]) from None
    except yaml.YAMLError as error:
        raise PlanFileError(source, [f"YAML syntax: {error}"]) from None
    if not isinstance(data, dict):
        raise PlanFileError(source, ["line 1: the file must hold a mapping (format, branch, year, areas …)"])
    check = _Checker()
    check.unknown_keys(
        data,
        {"format", "branch", "year", "title", "basis", "scope", "goal", "activity_kinds", "areas", "steps", "rules"},
    )
    if data.get("format") != 1:
        check.error(data, "format", "must be 1")
    branch = check.string(data, "branch")
    year_value = data.get("year")
    year = year_value if isinstance(year_value, int) and not isinstance(year_value, bool) else 0
    if not 1 <= year <= 999:
        check.error(data, "year", "must be an ROC year such as 104")
    title, basis = check.text(data, "title"), check.text(data, "basis")
    scope, goal = check.text(data, "scope"), check.text(data, "goal")

    kinds = _activity_kinds(check, data)
    areas = _areas(check, data, {kind.code for kind in kinds}, unit_codes)
    provisions = _provisions(check, data)
    if check.errors:
        raise PlanFileError(source, check.errors)
    return PlanSpec(
        branch=branch,
        year=year,
        title=title,
        basis=basis,
        scope=scope,
        goal=goal,
        activity_kinds=tuple(kinds),
        areas=tuple(areas),
        provisions=tuple(provisions),
    )


def _activity_kinds(check: _Checker, data: Any) -> list[ActivityKindSpec]:
    kinds: list[ActivityKindSpec] = []
    for item in check.items(data, "activity_kinds"):
        if not isinstance(item, dict):
            check.error(data, "activity_kinds", "each entry must be a mapping")
            continue
        check.unknown_keys(item, {"code", "zh", "en", "quantity_zh", "quantity_en"})
        code = check.string(item, "code", pattern=_SLUG)
        if code in {kind.code for kind in kinds}:
            check.error(item, "code", f"activity kind {code!r} is listed twice")
        kinds.append(
            ActivityKindSpec(
                code=code,
                name=Text(check.string(item, "zh"), check.string(item, "en")),
                quantity=Text(
                    check.string(item, "quantity_zh", required=False), check.string(item, "quantity_en", required=False)
                ),
            )
        )

    return kinds


def _areas(check: _Checker, data: Any, kind_codes: set[str], unit_codes: frozenset[str] | None) -> list[AreaSpec]:
    areas: list[AreaSpec] = []
    seen_measures: set[str] = set()
    for area_data in check.items(data, "areas"):
        if not isinstance(area_data, dict):
            check.error(data, "areas", "each area must be a mapping")
            continue
        check.unknown_keys(area_data, {"code", "title", "measures"})
        area_code = check.string(area_data, "code", pattern=_AREA_CODE)
        if area_code in {area.code for area in areas}:
            check.error(area_data, "code", f"area {area_code} is listed twice")
        measures: list[MeasureSpec] = []
        for measure_data in check.items(area_data, "measures"):
            if not isinstance(measure_data, dict):
                check.error(area_data, "measures", "each measure must be a mapping")
                continue
            measures.append(
                _measure(
                    check,
                    measure_data,
                    area_code=area_code,
                    kind_codes=kind_codes,
                    unit_codes=unit_codes,
                    seen=seen_measures,
                )
            )
        areas.append(AreaSpec(code=area_code, title=check.text(area_data, "title"), measures=tuple(measures)))

    return areas


def _provisions(check: _Checker, data: Any) -> list[ProvisionSpec]:
    provisions: list[ProvisionSpec] = []
    for key, kind in (("steps", "step"), ("rules", "rule")):
        for item in check.items(data, key):
            if not isinstance(item, dict):
                check.error(data, key, "each entry must be a mapping")
                continue
            check.unknown_keys(item, {"code", "zh", "en"})
            code = check.string(item, "code", pattern=_PROVISION_CODE[key])
            if code in {p.code for p in provisions}:
                check.error(item, "code", f"{code} is listed twice")
            provisions.append(
                ProvisionSpec(kind=kind, code=code, text=Text(check.string(item, "zh"), check.string(item, "en")))
            )
    return provisions


def _measure(
    check: _Checker,
    data: Any,
    *,
    area_code: str,
    kind_codes: set[str],
    unit_codes: frozenset[str] | None,
    seen: set[str],
) -> MeasureSpec:
    check.unknown_keys(data, {"code", "strategy", "benefit", "units", "targets"})
    code = check.string(data, "code", pattern=_MEASURE_CODE)
    if code and area_code and not code.startswith(area_code + "."):
        check.error(data, "code", f"measure {code} does not belong to area {area_code}")
    if code in seen:
        check.error(data, "code", f"measure {code} is listed twice")
    seen.add(code)
    units = check.items(data, "units")
    if not units and "units" in data:
        check.error(data, "units", "name at least one responsible unit")
    for unit in units:
        if not isinstance(unit, str):
            check.error(data, "units", "unit codes must be text")
        elif unit_codes is not None and unit not in unit_codes | SPECIAL_UNITS:
            check.error(data, "units", f"unknown unit code {unit!r} (known: ALL, DIVISIONS or a unit of the branch)")
    targets: list[TargetSpec] = []
    for target_data in check.items(data, "targets", required=False):
        if not isinstance(target_data, dict):
            check.error(data, "targets", "each target must be a mapping")
            continue
        target = _target(check, target_data, kind_codes)
        if target.code in {t.code for t in targets}:
            check.error(target_data, "code", f"target {target.code} is listed twice in {code}")
        targets.append(target)
    return MeasureSpec(
        code=code,
        strategy=check.text(data, "strategy"),
        benefit=check.text(data, "benefit", required=False),
        units=tuple(str(unit) for unit in units),
        targets=tuple(targets),
    )


def _target(check: _Checker, data: Any, kind_codes: set[str]) -> TargetSpec:
    check.unknown_keys(
        data,
        {
            "code",
            "description",
            "source",
            "activity_kind",
            "aggregate",
            "metric",
            "period",
            "comparison",
            "threshold",
            "unit",
        },
    )
    code = check.string(data, "code", pattern=_SLUG)
    source = check.string(data, "source")
    activity_kind = metric = ""
    aggregate = check.string(data, "aggregate", required=False) or "count"
    if source == "activity":
        activity_kind = check.string(data, "activity_kind")
        if activity_kind and activity_kind not in kind_codes:
            check.error(data, "activity_kind", f"{activity_kind!r} is not one of the activity_kinds")
        if aggregate not in AGGREGATES:
            check.error(data, "aggregate", f"must be one of {', '.join(sorted(AGGREGATES))}")
    elif source == "metric":
        metric = check.string(data, "metric", pattern=_DOTTED)
        if "aggregate" in data:
            check.error(data, "aggregate", "applies only to source: activity")
    elif source:
        check.error(data, "source", "must be 'activity' or 'metric'")
    period_text = check.string(data, "period")
    try:
        period = PeriodKind(period_text)
    except ValueError:
        if period_text:
            check.error(data, "period", "must be month, quarter, half or year")
        period = PeriodKind.YEAR
    comparison = check.string(data, "comparison")
    if comparison and comparison not in COMPARISONS:
        check.error(data, "comparison", f"must be one of {', '.join(sorted(COMPARISONS))}")
    threshold = _threshold(check, data, comparison=comparison, source=source, aggregate=aggregate)
    return TargetSpec(
        code=code,
        description=check.text(data, "description"),
        source=source,
        activity_kind=activity_kind,
        aggregate=aggregate,
        metric=metric,
        period=period,
        comparison=comparison,
        threshold=threshold,
        unit=check.text(data, "unit", required=False),
    )


def _threshold(check: _Checker, data: Any, *, comparison: str, source: str, aggregate: str) -> Decimal:
    threshold = Decimal(0)
    if comparison == "every_working_day":
        if "threshold" in data:
            check.error(data, "threshold", "is implied by every_working_day; leave it out")
        if source == "activity" and aggregate != "working_days":
            check.error(data, "aggregate", "every_working_day needs aggregate: working_days")
    else:
        raw = data.get("threshold")
        try:
            if isinstance(raw, bool) or raw is None:
                raise InvalidOperation
            threshold = Decimal(str(raw))
            if threshold < 0 or not threshold.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            check.error(data, "threshold", "must be a number of zero or more")
    return threshold
