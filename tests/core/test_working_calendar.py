import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicdesk.core import working_calendar as wc
from civicdesk.core.working_calendar import (
    CalendarDataError,
    add_working_days,
    covered_years,
    holiday_on,
    is_working_day,
    load_year_file,
    makeup_workday_on,
    next_working_day,
    working_days_between,
)

D = datetime.date
DATA_DIR = Path(wc.__file__).parent / "data" / "working_calendar"
DATES = st.dates(min_value=D(2013, 1, 1), max_value=D(2030, 12, 31))


def naive_count(start: datetime.date, end: datetime.date) -> int:
    days = (end - start).days
    return sum(is_working_day(start + datetime.timedelta(days=i)) for i in range(1, days + 1))


def test_covered_years() -> None:
    assert covered_years() == frozenset(range(2015, 2028))


def test_2015_lunar_new_year() -> None:
    # DGPA 2015: 2/18 (eve) to 2/23 off; 2015-02-14 was an ordinary Saturday (no make-up day that month).
    assert not is_working_day(D(2015, 2, 14))
    assert add_working_days(D(2015, 2, 13), 1) == D(2015, 2, 16)
    assert is_working_day(D(2015, 2, 17))
    assert [is_working_day(D(2015, 2, d)) for d in range(18, 25)] == [False] * 6 + [True]
    assert next_working_day(D(2015, 2, 17)) == D(2015, 2, 24)


def test_bridge_holiday_and_make_up_saturday() -> None:
    assert not is_working_day(D(2015, 1, 2))  # bridge day, made up on 2014-12-27 (outside the data)
    bridge = holiday_on(D(2016, 2, 12))
    assert bridge is not None
    assert bridge.kind == "bridge"
    assert is_working_day(D(2016, 1, 30))  # Saturday
    assert add_working_days(D(2016, 1, 29), 1) == D(2016, 1, 30)
    make_up = makeup_workday_on(D(2016, 1, 30))
    assert make_up is not None
    assert "2016-02-12" in make_up.reason_en
    assert makeup_workday_on(D(2016, 1, 29)) is None


@pytest.mark.parametrize("year", range(2015, 2026))
def test_labour_day_and_armed_forces_day_are_not_office_holidays_through_2025(year: int) -> None:
    for day in (D(year, 5, 1), D(year, 9, 3)):
        if day.weekday() < 5:
            assert is_working_day(day), day


def test_labour_day_is_an_office_holiday_from_2026() -> None:
    # Commemoration Days and Holidays Act (2025): Labour Day applies to government offices from 2026.
    assert not is_working_day(D(2026, 5, 1))
    assert not is_working_day(D(2027, 4, 30))  # 2027-05-01 is a Saturday, observed on the Friday


def test_holiday_names() -> None:
    day = holiday_on(D(2015, 10, 9))
    assert day is not None
    assert (day.kind, day.name_zh) == ("observed", "國慶日補假")
    assert day.name_en.startswith("National Day")
    assert holiday_on(D(2015, 10, 8)) is None


def test_yearly_totals_match_dgpa_counts() -> None:
    # DGPA totals of days off: 2024 = 115 of 366, 2026 = 120 of 365.
    assert working_days_between(D(2023, 12, 31), D(2024, 12, 31)) == 366 - 115
    assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 365 - 120


def test_outside_covered_years_falls_back_to_monday_to_friday() -> None:
    assert is_working_day(D(2030, 1, 1))  # a Tuesday; real calendar unknown here
    assert not is_working_day(D(2030, 1, 5))
    assert working_days_between(D(2030, 1, 4), D(2030, 1, 11)) == 5


def test_add_zero_returns_start_even_on_a_holiday() -> None:
    assert add_working_days(D(2015, 2, 18), 0) == D(2015, 2, 18)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="n must be >= 0"):
        add_working_days(D(2015, 1, 5), -1)
    with pytest.raises(TypeError):
        is_working_day(datetime.datetime(2015, 1, 5, 9, 0))
    assert working_days_between(D(2015, 1, 9), D(2015, 1, 5)) == 0
    assert working_days_between(D(2015, 1, 5), D(2015, 1, 5)) == 0


def test_data_files_are_well_formed() -> None:
    for path in sorted(DATA_DIR.glob("*.json")):
        year = load_year_file(path)
        assert year.source
        raw = json.loads(path.read_text(encoding="utf-8"))
        assert raw["roc_year"] == year.year - 1911
        for holiday in year.holidays.values():
            # Labour Day and Armed Forces Day were only ever days off for workers and the military,
            # until the 2025 Act made Labour Day an office holiday from 2026.
            assert (holiday.date.month, holiday.date.day) != (9, 3)
            if year.year <= 2025:
                assert (holiday.date.month, holiday.date.day) != (5, 1)


def write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def good(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "year": 2015,
        "source": "DGPA",
        "holidays": [{"date": "2015-01-01", "kind": "holiday", "name_zh": "開國紀念日", "name_en": "New Year"}],
        "makeup_workdays": [],
    }
    data.update(changes)
    return data


def test_a_minimal_file_loads(tmp_path: Path) -> None:
    year = load_year_file(write(tmp_path, "2015.json", good()))
    assert list(year.holidays) == [D(2015, 1, 1)]
    assert year.note == ""


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("holidays.json", good(), "file name must be"),
        ("2015.json", "{not json", "cannot read JSON"),
        ("2015.json", [], "top level must be a JSON object"),
        ("2016.json", good(), "file name says 2016"),
        ("2015.json", good(roc_year=2015), "'roc_year'"),
        ("2015.json", good(makeup_workday=[]), "unknown key"),
        ("2015.json", {"year": 2015, "holidays": [], "makeup_workdays": []}, "missing key"),
        ("2015.json", good(holidays={}), "'holidays' must be a list"),
        (
            "2015.json",
            good(holidays=[{"date": "2015-01-03", "kind": "holiday", "name_zh": "x", "name_en": "x"}]),
            r"holidays\[0\] \(2015-01-03\): falls on a weekend",
        ),
        (
            "2015.json",
            good(holidays=[{"date": "2016-01-01", "kind": "holiday", "name_zh": "x", "name_en": "x"}]),
            r"holidays\[0\]: date 2016-01-01 is outside 2015",
        ),
        (
            "2015.json",
            good(holidays=[{"date": "2015-02-30", "kind": "holiday", "name_zh": "x", "name_en": "x"}]),
            r"holidays\[0\]: bad date",
        ),
        (
            "2015.json",
            good(holidays=[{"date": "2015-01-01", "kind": "festival", "name_zh": "x", "name_en": "x"}]),
            "kind 'festival'",
        ),
        (
            "2015.json",
            good(holidays=[{"date": "2015-01-01", "kind": "holiday", "name_zh": "", "name_en": "x"}]),
            "'name_zh' must be a non-empty string",
        ),
        (
            "2015.json",
            good(holidays=[{"date": "2015-01-01", "kind": "holiday", "name_zh": "x", "name_en": "x"}] * 2),
            r"holidays\[1\] \(2015-01-01\): date listed twice",
        ),
        (
            "2015.json",
            good(makeup_workdays=[{"date": "2015-01-05", "reason_zh": "x", "reason_en": "x"}]),
            r"makeup_workdays\[0\] \(2015-01-05\): is a weekday",
        ),
        (
            "2015.json",
            good(makeup_workdays=[{"date": "2015-01-10", "reason_zh": "x"}]),
            r"makeup_workdays\[0\]: missing key",
        ),
    ],
)
def test_bad_files_are_reported_with_file_and_entry(tmp_path: Path, name: str, content: object, message: str) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(CalendarDataError, match=message) as excinfo:
        load_year_file(path)
    assert str(excinfo.value).startswith(name)


@given(DATES, st.integers(min_value=0, max_value=80))
def test_add_working_days_properties(start: datetime.date, n: int) -> None:
    result = add_working_days(start, n)
    assert working_days_between(start, result) == n
    if n:
        assert result > start
        assert is_working_day(result)
        assert add_working_days(start, n - 1) < result
        assert next_working_day(add_working_days(start, n - 1)) == result


@given(DATES, st.integers(min_value=0, max_value=120))
def test_between_matches_day_by_day_count(start: datetime.date, span: int) -> None:
    end = start + datetime.timedelta(days=span)
    assert working_days_between(start, end) == naive_count(start, end)


@given(DATES, DATES, DATES)
def test_between_is_additive(a: datetime.date, b: datetime.date, c: datetime.date) -> None:
    a, b, c = sorted((a, b, c))
    assert working_days_between(a, c) == working_days_between(a, b) + working_days_between(b, c)
