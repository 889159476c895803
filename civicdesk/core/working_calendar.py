"""Working days of government offices per the DGPA office calendar (行政院人事行政總處 辦公日曆表).

A day is a working day when it is Monday–Friday and not a listed holiday, or when it is a listed make-up
Saturday (補行上班). Data live in ``data/working_calendar/<year>.json``; outside the covered years the
calendar falls back to plain Monday–Friday, so callers should check :func:`covered_years` and warn.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, cast, get_args

__all__ = [
    "CalendarDataError",
    "CalendarYear",
    "Holiday",
    "HolidayKind",
    "MakeupWorkday",
    "add_working_days",
    "covered_years",
    "holiday_on",
    "is_working_day",
    "load_year_file",
    "makeup_workday_on",
    "next_working_day",
    "working_days_between",
]

HolidayKind = Literal["holiday", "observed", "bridge"]
"""holiday: the day itself; observed: 補假 for a holiday on a weekend; bridge: 彈性放假 made up on a Saturday."""

_ONE_DAY = datetime.timedelta(days=1)
_SATURDAY = 5
_FILE_NAME = re.compile(r"(\d{4})\.json")
_TOP_KEYS = {"year", "roc_year", "source", "note", "holidays", "makeup_workdays"}
_HOLIDAY_KEYS = {"date", "kind", "name_zh", "name_en"}
_MAKEUP_KEYS = {"date", "reason_zh", "reason_en"}


class CalendarDataError(ValueError):
    """A working-calendar data file is malformed; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Holiday:
    """A weekday on which government offices are closed."""

    date: datetime.date
    kind: HolidayKind
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class MakeupWorkday:
    """A weekend day on which government offices work (補行上班)."""

    date: datetime.date
    reason_zh: str
    reason_en: str


@dataclass(frozen=True, slots=True)
class CalendarYear:
    """One validated data file."""

    year: int
    source: str
    note: str
    holidays: Mapping[datetime.date, Holiday] = field(default_factory=dict)
    makeup_workdays: Mapping[datetime.date, MakeupWorkday] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Calendar:
    years: frozenset[int]
    holidays: dict[datetime.date, Holiday]
    makeups: dict[datetime.date, MakeupWorkday]
    holiday_dates: list[datetime.date]
    makeup_dates: list[datetime.date]


def load_year_file(path: Path | Traversable) -> CalendarYear:
    """Read and validate one ``<year>.json`` file (raises CalendarDataError naming the file and entry)."""
    name = path.name
    match = _FILE_NAME.fullmatch(name)
    if not match:
        raise CalendarDataError(f"{name}: file name must be <gregorian year>.json")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CalendarDataError(f"{name}: cannot read JSON: {exc}") from exc
    return _parse_year(name, int(match[1]), raw)


def _parse_year(name: str, file_year: int, raw: object) -> CalendarYear:
    if not isinstance(raw, dict):
        raise CalendarDataError(f"{name}: top level must be a JSON object")
    data = cast("dict[str, Any]", raw)
    _check_keys(name, "top level", data, required=_TOP_KEYS - {"note", "roc_year"}, allowed=_TOP_KEYS)
    if data["year"] != file_year:
        raise CalendarDataError(f"{name}: 'year' is {data['year']!r} but the file name says {file_year}")
    if "roc_year" in data and data["roc_year"] != file_year - 1911:
        raise CalendarDataError(f"{name}: 'roc_year' is {data['roc_year']!r}, expected {file_year - 1911}")
    source = _text(name, "top level", data, "source")
    note = _text(name, "top level", data, "note", allow_empty=True) if "note" in data else ""

    holidays: dict[datetime.date, Holiday] = {}
    for index, entry in enumerate(_list(name, data, "holidays")):
        where = f"holidays[{index}]"
        day = _entry_date(name, where, entry, file_year, _HOLIDAY_KEYS)
        where = f"{where} ({day.isoformat()})"
        if day.weekday() >= _SATURDAY:
            raise CalendarDataError(f"{name}: {where}: falls on a weekend; list only weekdays as holidays")
        kind = entry["kind"]
        if kind not in get_args(HolidayKind):
            raise CalendarDataError(f"{name}: {where}: kind {kind!r} is not one of {get_args(HolidayKind)}")
        if day in holidays:
            raise CalendarDataError(f"{name}: {where}: date listed twice")
        holidays[day] = Holiday(
            date=day,
            kind=cast("HolidayKind", kind),
            name_zh=_text(name, where, entry, "name_zh"),
            name_en=_text(name, where, entry, "name_en"),
        )

    makeups: dict[datetime.date, MakeupWorkday] = {}
    for index, entry in enumerate(_list(name, data, "makeup_workdays")):
        where = f"makeup_workdays[{index}]"
        day = _entry_date(name, where, entry, file_year, _MAKEUP_KEYS)
        where = f"{where} ({day.isoformat()})"
        if day.weekday() < _SATURDAY:
            raise CalendarDataError(f"{name}: {where}: is a weekday; make-up workdays are weekend days")
        if day in makeups:
            raise CalendarDataError(f"{name}: {where}: date listed twice")
        makeups[day] = MakeupWorkday(
            date=day,
            reason_zh=_text(name, where, entry, "reason_zh"),
            reason_en=_text(name, where, entry, "reason_en"),
        )
    return CalendarYear(year=file_year, source=source, note=note, holidays=holidays, makeup_workdays=makeups)


def _check_keys(name: str, where: str, entry: dict[str, Any], *, required: set[str], allowed: set[str]) -> None:
    # Unknown keys are rejected so that a typo ("makeup_workday") cannot silently drop data.
    missing = required - entry.keys()
    if missing:
        raise CalendarDataError(f"{name}: {where}: missing key(s) {sorted(missing)}")
    unknown = entry.keys() - allowed
    if unknown:
        raise CalendarDataError(f"{name}: {where}: unknown key(s) {sorted(unknown)}")


def _list(name: str, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data[key]
    if not isinstance(value, list):
        raise CalendarDataError(f"{name}: '{key}' must be a list")
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise CalendarDataError(f"{name}: {key}[{index}]: must be an object")
    return cast("list[dict[str, Any]]", value)


def _entry_date(name: str, where: str, entry: dict[str, Any], year: int, keys: set[str]) -> datetime.date:
    _check_keys(name, where, entry, required=keys, allowed=keys)
    text = entry["date"]
    if not isinstance(text, str):
        raise CalendarDataError(f"{name}: {where}: 'date' must be a YYYY-MM-DD string")
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CalendarDataError(f"{name}: {where}: bad date {text!r}: {exc}") from exc
    if day.year != year:
        raise CalendarDataError(f"{name}: {where}: date {text} is outside {year}")
    return day


def _text(name: str, where: str, entry: dict[str, Any], key: str, *, allow_empty: bool = False) -> str:
    value = entry[key]
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise CalendarDataError(f"{name}: {where}: '{key}' must be a non-empty string")
    return value


def _data_files() -> Iterable[Traversable]:
    folder = resources.files("civicdesk.core").joinpath("data", "working_calendar")
    return sorted((p for p in folder.iterdir() if _FILE_NAME.fullmatch(p.name)), key=lambda p: p.name)


@functools.cache
def _calendar() -> _Calendar:
    # Loaded once per process, on first use, so importing this module never touches the disk.
    holidays: dict[datetime.date, Holiday] = {}
    makeups: dict[datetime.date, MakeupWorkday] = {}
    years: set[int] = set()
    for path in _data_files():
        year = load_year_file(path)
        years.add(year.year)
        holidays.update(year.holidays)
        makeups.update(year.makeup_workdays)
    return _Calendar(
        years=frozenset(years),
        holidays=holidays,
        makeups=makeups,
        holiday_dates=sorted(holidays),
        makeup_dates=sorted(makeups),
    )


def _check_date(value: datetime.date) -> None:
    # A datetime would never equal the date keys and would silently be treated as a plain weekday.
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise TypeError(f"expected a datetime.date, got {type(value).__name__}")


def covered_years() -> frozenset[int]:
    """Gregorian years with official calendar data; other years use the Monday–Friday fallback."""
    return _calendar().years


def holiday_on(day: datetime.date) -> Holiday | None:
    """The listed weekday holiday on ``day``, if any."""
    _check_date(day)
    return _calendar().holidays.get(day)


def makeup_workday_on(day: datetime.date) -> MakeupWorkday | None:
    """The listed make-up working day on ``day``, if any."""
    _check_date(day)
    return _calendar().makeups.get(day)


def is_working_day(day: datetime.date) -> bool:
    """True when government offices work on ``day``."""
    _check_date(day)
    cal = _calendar()
    if day in cal.makeups:
        return True
    return day.weekday() < _SATURDAY and day not in cal.holidays


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day strictly after ``start`` (n=0 returns ``start`` unchanged, even on a holiday)."""
    _check_date(start)
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    day = start
    remaining = n
    while remaining:
        day += _ONE_DAY
        if is_working_day(day):
            remaining -= 1
    return day


def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day strictly after ``day``."""
    return add_working_days(day, 1)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Number of working days in (start, end]; 0 when ``end`` is not after ``start``."""
    _check_date(start)
    _check_date(end)
    if end <= start:
        return 0
    cal = _calendar()
    # Arithmetic on weekdays keeps long spans O(log n); holidays are weekdays and make-up days are
    # weekend days (both validated on load), so each adjusts the plain weekday count by exactly one.
    weekdays = _weekdays_through(end) - _weekdays_through(start)
    holidays = bisect.bisect_right(cal.holiday_dates, end) - bisect.bisect_right(cal.holiday_dates, start)
    makeups = bisect.bisect_right(cal.makeup_dates, end) - bisect.bisect_right(cal.makeup_dates, start)
    return weekdays - holidays + makeups


def _weekdays_through(day: datetime.date) -> int:
    # Ordinal 1 (0001-01-01) is a Monday, so each block of 7 ordinals starts on a Monday.
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)
