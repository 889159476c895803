"""The shipped plan as data (A1–A5, S, C): validation with line numbers, idempotent load, versions (S.1, A5.2)."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from civicdesk.organization.models import Branch
from civicdesk.plan.models import ActivityKind, Measure, Plan, PlanEvent, Provision, Target
from civicdesk.plan.plan_file import PlanFileError, parse_plan_file, parse_plan_text
from civicdesk.plan.services import PlanError, plan_copy_to_year, plan_load, plan_new_version, plan_submit
from tests.plan.conftest import PLAN_FILE

ORIGINAL = Path(__file__).resolve().parents[3] / "shared" / "seed" / "plan-104-zh.txt"


def test_shipped_file_holds_33_measures_in_5_areas_with_steps_and_rules() -> None:
    spec = parse_plan_file(PLAN_FILE)
    assert [area.code for area in spec.areas] == ["A1", "A2", "A3", "A4", "A5"]
    assert [len(area.measures) for area in spec.areas] == [7, 8, 6, 6, 6]
    codes = [measure.code for measure in spec.measures]
    assert codes[0] == "A1.1"
    assert codes[-1] == "A5.6"
    assert len(set(codes)) == 33
    assert [p.code for p in spec.provisions] == ["S.1", "S.2", "S.3", "C.1", "C.2"]
    for measure in spec.measures:
        assert measure.strategy.zh
        assert measure.strategy.en
        assert measure.units
        assert measure.benefit.zh


@pytest.mark.skipif(not ORIGINAL.exists(), reason="the seed text is beside the repository only")
def test_chinese_text_is_the_original_wording() -> None:
    original = re.sub(r"\s+", "", ORIGINAL.read_text(encoding="utf-8"))
    spec = parse_plan_file(PLAN_FILE)
    # The PDF extraction interleaves columns, so compare characters in order: every Chinese strategy
    # must be a subsequence of the original text.
    for measure in spec.measures:
        text = re.sub(r"\s+", "", measure.strategy.zh)
        position = 0
        for char in text:
            position = original.find(char, position)
            assert position >= 0, (measure.code, char)
            position += 1
    assert "為民服務考核小組" in spec.provisions[1].text.zh


def test_quantified_targets_are_machine_readable() -> None:
    targets = {(m.code, t.code): t for m in parse_plan_file(PLAN_FILE).measures for t in m.targets}
    park = targets[("A1.5", "park-cleaning")]
    assert (park.activity_kind, park.period.value, park.comparison, park.threshold) == (
        "park-cleaning",
        "month",
        ">=",
        2,
    )
    plants = targets[("A1.6", "plants")]
    assert (plants.aggregate, plants.threshold) == ("quantity", 200)
    assert targets[("A3.6", "survey")].period.value == "half"
    assert targets[("A2.4", "trackable-kinds")].metric == "civicdesk.applications.metrics.trackable_kinds"
    assert targets[("A5.6", "lunch-duty")].comparison == "every_working_day"
    expected = {"A1.2": 1, "A1.3": 4, "A2.4": 5, "A4.2": 3, "A5.1": 3, "A5.3": 1, "A5.4": 4}
    for (measure, _code), target in targets.items():
        if measure in expected:
            assert target.threshold == expected[measure]


def test_load_plan_creates_everything_and_a_second_load_changes_nothing(organization: Branch) -> None:
    out = StringIO()
    call_command("load_plan", str(PLAN_FILE), stdout=out)
    assert "created" in out.getvalue()
    plan = Plan.objects.get(branch__code="TCH", year=104)
    assert plan.areas.count() == 5
    assert plan.measures.count() == 33
    assert plan.provisions.filter(kind=Provision.Kind.STEP).count() == 3
    assert plan.provisions.filter(kind=Provision.Kind.RULE).count() == 2
    counts = (Measure.objects.count(), Target.objects.count(), ActivityKind.objects.count(), PlanEvent.objects.count())
    out = StringIO()
    call_command("load_plan", str(PLAN_FILE), stdout=out)
    assert "unchanged" in out.getvalue()
    assert (
        Measure.objects.count(),
        Target.objects.count(),
        ActivityKind.objects.count(),
        PlanEvent.objects.count(),
    ) == counts
    assert Plan.objects.count() == 1


def _broken(old: str, new: str) -> str:
    text = PLAN_FILE.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_bad_threshold_names_its_line_and_field() -> None:
    text = _broken("threshold: 200", "threshold: many")
    with pytest.raises(PlanFileError) as caught:
        parse_plan_text(text, source="broken.yaml")
    assert caught.value.errors == [
        f"line {_line_of(text, 'threshold: many')}: threshold: must be a number of zero or more"
    ]


def test_unknown_activity_kind_unknown_field_and_missing_text_are_all_reported() -> None:
    text = _broken("activity_kind: planting", "activity_kind: gardening")
    text = text.replace("          en: Friendly image.", "          en: Friendly image.\n        colour: green", 1)
    with pytest.raises(PlanFileError) as caught:
        parse_plan_text(text)
    messages = "\n".join(caught.value.errors)
    assert f"line {_line_of(text, 'activity_kind: gardening')}: activity_kind: 'gardening' is not one" in messages
    assert f"line {_line_of(text, 'colour: green')}: colour: unknown field" in messages


def test_yaml_syntax_error_names_the_line(organization: Branch, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("format: 1\nbranch: TCH\nyear: [104\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"line \d+: YAML syntax"):
        call_command("load_plan", str(path))


def test_unknown_unit_code_is_refused(organization: Branch, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(_broken("units: [ETH, SEC]", "units: [ETH, XYZ]"), encoding="utf-8")
    with pytest.raises(CommandError, match="unknown unit code 'XYZ'"):
        call_command("load_plan", str(path))
    assert not Plan.objects.exists()


def test_new_year_starts_as_a_copy_and_versions_are_kept(plan: Plan, secretariat_staff) -> None:  # type: ignore[no-untyped-def]
    submitted = plan_submit(plan=plan, actor=secretariat_staff)
    with pytest.raises(PlanError, match="already submitted"):
        plan_submit(plan=submitted, actor=secretariat_staff)
    draft = plan_copy_to_year(source=submitted, year=105, actor=secretariat_staff)
    assert (draft.year, draft.version, draft.status, draft.based_on) == (105, 1, "draft", submitted)
    assert draft.measures.count() == 33
    assert Target.objects.filter(measure__plan=draft).count() == 11
    assert "105年度" in draft.provisions.get(code="S.1").text_zh
    with pytest.raises(PlanError, match="already exists"):
        plan_copy_to_year(source=submitted, year=105, actor=secretariat_staff)
    # Loading a changed file for a submitted year opens version 2; version 1 stays as submitted.
    spec = parse_plan_text(_broken("threshold: 200", "threshold: 250"))
    result = plan_load(spec=spec)
    assert (result.outcome, result.plan.version) == ("new version", 2)
    assert Target.objects.get(measure__plan=submitted, code="plants").threshold == 200
    assert Target.objects.get(measure__plan=result.plan, code="plants").threshold == 250
    with pytest.raises(PlanError, match=r"open draft|already exists"):
        plan_new_version(plan=submitted, actor=secretariat_staff)
