"""Period boundaries in ROC years (pure helpers), with property tests."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicdesk.plan.periods import Period, PeriodKind, parse_period, period_containing, periods_within

dates = st.dates(min_value=datetime.date(1912, 1, 1), max_value=datetime.date(2900, 12, 31))
kinds = st.sampled_from(list(PeriodKind))


@given(day=dates, kind=kinds)
def test_the_period_containing_a_day_contains_it(day: datetime.date, kind: PeriodKind) -> None:
    period = period_containing(kind, day)
    assert period.start <= day <= period.end
    assert period.roc_year == day.year - 1911
    assert period.start.year == period.end.year == day.year


@given(day=dates, kind=kinds)
def test_consecutive_periods_touch_without_gap(day: datetime.date, kind: PeriodKind) -> None:
    period = period_containing(kind, day)
    following = period.next()
    assert following.start == period.end + datetime.timedelta(days=1)
    assert period_containing(kind, following.start) == following


@given(day=dates, inner=kinds, outer=kinds)
def test_shorter_periods_partition_longer_ones(day: datetime.date, inner: PeriodKind, outer: PeriodKind) -> None:
    if inner.months > outer.months:
        inner, outer = outer, inner
    container = period_containing(outer, day)
    parts = periods_within(inner, container)
    assert parts[0].start == container.start
    assert parts[-1].end == container.end
    assert len(parts) == outer.months // inner.months
    assert sum(part.days for part in parts) == container.days
    assert period_containing(inner, day) in parts


@given(day=dates, kind=kinds)
def test_codes_round_trip(day: datetime.date, kind: PeriodKind) -> None:
    period = period_containing(kind, day)
    assert parse_period(period.code) == period


def test_quarter_and_half_boundaries_of_roc_104() -> None:
    assert Period(104, PeriodKind.QUARTER, 1).start == datetime.date(2015, 1, 1)
    assert Period(104, PeriodKind.QUARTER, 1).end == datetime.date(2015, 3, 31)
    assert Period(104, PeriodKind.QUARTER, 2).start == datetime.date(2015, 4, 1)
    assert Period(104, PeriodKind.QUARTER, 4).end == datetime.date(2015, 12, 31)
    assert Period(104, PeriodKind.HALF, 1).end == datetime.date(2015, 6, 30)
    assert Period(104, PeriodKind.HALF, 2).start == datetime.date(2015, 7, 1)
    assert Period(105, PeriodKind.MONTH, 2).end == datetime.date(2016, 2, 29)  # 2016 is a leap year
    assert period_containing(PeriodKind.QUARTER, datetime.date(2015, 7, 1)) == Period(104, PeriodKind.QUARTER, 3)
    assert Period(104, PeriodKind.QUARTER, 4).next() == Period(105, PeriodKind.QUARTER, 1)


def test_labels_are_roc_in_chinese_and_gregorian_in_english() -> None:
    assert Period(104, PeriodKind.QUARTER, 2).label("zh-hant") == "104年第2季"
    assert Period(104, PeriodKind.QUARTER, 2).label("en") == "Q2 2015"
    assert Period(104, PeriodKind.HALF, 2).label("zh-hant") == "104年下半年"
    assert Period(104, PeriodKind.MONTH, 3).label("zh-hant") == "104年3月"


@pytest.mark.parametrize("text", ["104-Q5", "104-13", "104-H3", "abc", "104-Qx"])
def test_bad_period_codes_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ValueError, match="period"):
        parse_period(text)
