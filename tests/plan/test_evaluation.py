"""Targets measured from what happened: activity counts, metric functions, statuses and the rule (A1–A5)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from civicdesk.plan import metrics
from civicdesk.plan.evaluation import Status, evaluate_plan, evaluate_target, status_rule
from civicdesk.plan.models import Plan, Target
from civicdesk.plan.periods import Period, PeriodKind

MARCH = Period(104, PeriodKind.MONTH, 3)
Q1 = Period(104, PeriodKind.QUARTER, 1)
AFTER = datetime.date(2016, 1, 31)


def target(plan: Plan, measure: str) -> Target:
    return Target.objects.get(measure__plan=plan, measure__code=measure)


def evaluate(plan: Plan, measure: str, period: Period, as_of: datetime.date = AFTER):  # type: ignore[no-untyped-def]
    return evaluate_target(target=target(plan, measure), branch_code="TCH", period=period, as_of=as_of)


def test_one_park_cleaning_in_a_month_is_missed_and_two_are_met(plan: Plan, log_activity: Callable) -> None:
    log_activity("park-cleaning", datetime.date(2015, 3, 4))
    result = evaluate(plan, "A1.5", MARCH)
    assert (result.actual, result.required, result.status) == (1, 2, Status.MISSED)
    log_activity("park-cleaning", datetime.date(2015, 3, 31))
    log_activity("park-cleaning", datetime.date(2015, 4, 1))  # next month: not counted in March
    result = evaluate(plan, "A1.5", MARCH)
    assert (result.actual, result.required, result.status) == (2, 2, Status.MET)


def test_a_monthly_target_over_a_quarter_counts_months_met(plan: Plan, log_activity: Callable) -> None:
    for day in (5, 20):
        log_activity("park-cleaning", datetime.date(2015, 1, day))
        log_activity("park-cleaning", datetime.date(2015, 3, day))
    log_activity("park-cleaning", datetime.date(2015, 2, 10))
    result = evaluate(plan, "A1.5", Q1)
    assert (result.actual, result.required, result.status) == (2, 3, Status.MISSED)
    assert [part.status for part in result.parts] == [Status.MET, Status.MISSED, Status.MET]
    # Seen in mid-February, January is met and February still open with 1 of 2 by the 14th: on track.
    mid = evaluate(plan, "A1.5", Q1, as_of=datetime.date(2015, 2, 14))
    assert mid.status is Status.ON_TRACK
    assert [part.status for part in mid.parts] == [Status.MET, Status.ON_TRACK, Status.NOT_STARTED]


def test_a_target_bound_to_a_missing_app_shows_no_data_source(plan: Plan) -> None:
    item = target(plan, "A4.2")
    item.metric_path = "civicdesk.frontdesk.metrics.lunch_roster_days"  # an app not built yet
    item.save()
    result = evaluate_target(target=item, branch_code="TCH", period=Q1, as_of=AFTER)
    assert result.status is Status.NO_DATA_SOURCE
    assert result.actual is None
    assert "civicdesk.frontdesk.metrics.lunch_roster_days" in result.note
    row = next(r for r in evaluate_plan(plan=plan, period=Q1, as_of=AFTER) if r.measure.code == "A4.2")
    assert row.status is Status.NO_DATA_SOURCE


def test_the_classification_searches_target_reads_the_portal(plan: Plan) -> None:
    result = evaluate(plan, "A4.2", Period(104, PeriodKind.YEAR, 1))
    assert result.status is not Status.NO_DATA_SOURCE
    assert result.actual == 0  # no published content classified yet: a real zero, not a missing source


def test_metric_functions_are_called_with_branch_and_dates(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake(*, branch_code: str, start: datetime.date, end: datetime.date) -> object:
        calls.append((branch_code, start, end))
        return SimpleNamespace(value=7, note="from fake", url="/staff/applications/")

    monkeypatch.setattr(metrics, "fake_metric", fake, raising=False)
    item = target(plan, "A2.4")
    item.metric_path = "civicdesk.plan.metrics.fake_metric"
    result = evaluate_target(target=item, branch_code="TCH", period=Q1, as_of=datetime.date(2015, 2, 1))
    # A yearly target seen for a quarter: the year to date at the end of the quarter (or as_of).
    assert calls == [("TCH", datetime.date(2015, 1, 1), datetime.date(2015, 2, 1))]
    assert (result.actual, result.status, result.note, result.link) == (
        7,
        Status.MET,
        "from fake",
        "/staff/applications/",
    )
    monkeypatch.setattr(metrics, "fake_metric", lambda **kwargs: None, raising=False)
    assert evaluate_target(target=item, branch_code="TCH", period=Q1, as_of=AFTER).status is Status.NO_DATA

    def broken(**kwargs: object) -> int:
        raise RuntimeError("database down")

    monkeypatch.setattr(metrics, "fake_metric", broken, raising=False)
    assert evaluate_target(target=item, branch_code="TCH", period=Q1, as_of=AFTER).status is Status.SOURCE_ERROR


def test_yearly_targets_are_pro_rata_while_open(plan: Plan, log_activity: Callable) -> None:
    year = Period(104, PeriodKind.YEAR, 1)
    log_activity("public-welfare", datetime.date(2015, 2, 1))
    # By 30 June half the year has gone: 1 of 4 is below the share of 2 → at risk.
    assert evaluate(plan, "A1.3", year, as_of=datetime.date(2015, 6, 30)).status is Status.AT_RISK
    log_activity("public-welfare", datetime.date(2015, 5, 1))
    assert evaluate(plan, "A1.3", year, as_of=datetime.date(2015, 6, 30)).status is Status.ON_TRACK
    assert evaluate(plan, "A1.3", year).status is Status.MISSED
    log_activity("planting", datetime.date(2015, 3, 1), quantity=150)
    log_activity("planting", datetime.date(2015, 9, 1), quantity=60)
    plants = evaluate(plan, "A1.6", year)
    assert (plants.actual, plants.status) == (210, Status.MET)
    assert evaluate(plan, "A1.6", Q1).actual == 150


def test_survey_every_half_year(plan: Plan, log_activity: Callable) -> None:
    log_activity("opinion-survey", datetime.date(2015, 6, 30))
    year = evaluate(plan, "A3.6", Period(104, PeriodKind.YEAR, 1))
    assert (year.actual, year.required, year.status) == (1, 2, Status.MISSED)
    log_activity("opinion-survey", datetime.date(2015, 7, 1))
    assert evaluate(plan, "A3.6", Period(104, PeriodKind.YEAR, 1)).status is Status.MET


def test_lunch_duty_must_cover_every_working_day(plan: Plan, log_activity: Callable) -> None:
    # March 2015 had 22 working days (Mon–Fri, no holiday).
    working = [datetime.date(2015, 3, d) for d in range(1, 32) if datetime.date(2015, 3, d).weekday() < 5]
    for day in working[:-1]:
        log_activity("lunch-duty", day, unit="S01")
    log_activity("lunch-duty", datetime.date(2015, 3, 7), unit="S01")  # a Saturday does not count
    result = evaluate(plan, "A5.6", MARCH)
    assert (result.actual, result.required, result.status) == (21, 22, Status.MISSED)
    log_activity("lunch-duty", working[-1], unit="S02")
    assert evaluate(plan, "A5.6", MARCH).status is Status.MET


def test_rule_is_stated_in_words(plan: Plan) -> None:
    assert "every working day" in status_rule(target(plan, "A5.6"))
    assert "200" in status_rule(target(plan, "A1.6"))


def test_plan_status_json_lists_every_measure(plan: Plan, log_activity: Callable) -> None:
    log_activity("publicity", datetime.date(2015, 2, 2))
    out = StringIO()
    call_command("plan_status", "--year", "104", "--quarter", "1", "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["period"] == "104-Q1"
    assert payload["as_of"] == "2015-03-31"
    assert len(payload["measures"]) == 33
    by_code = {m["code"]: m for m in payload["measures"]}
    assert by_code["A1.2"]["targets"][0]["actual"] == 1
    assert by_code["A1.2"]["targets"][0]["status"] == "met"
    assert by_code["A4.2"]["targets"][0]["status"] == "at_risk"  # the portal's figure: nothing classified yet
    assert by_code["A4.2"]["targets"][0]["actual"] == 0
    assert by_code["A1.1"]["targets"] == []
    again = StringIO()
    call_command("plan_status", "--year", "104", "--quarter", "1", "--json", stdout=again)
    assert again.getvalue() == out.getvalue()


def test_threshold_is_decimal(plan: Plan) -> None:
    assert target(plan, "A1.6").threshold == Decimal(200)
