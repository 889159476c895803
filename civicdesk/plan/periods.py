"""Reporting periods in ROC years: month, quarter, half-year and year. Pure helpers, no database.

A period is identified by its kind, its ROC year and its 1-based index within the year (month 1–12,
quarter 1–4, half 1–2, year 1). Every period is a closed interval of dates [start, end].
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from civicdesk.core.roc_dates import from_roc_year, to_roc_year

__all__ = ["Period", "PeriodKind", "period_containing", "periods_within"]


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "half": 6, "year": 12}[self.value]

    @property
    def label(self) -> str:
        return str(PERIOD_KIND_LABELS[self])


PERIOD_KIND_LABELS = {
    PeriodKind.MONTH: _("month"),
    PeriodKind.QUARTER: _("quarter"),
    PeriodKind.HALF: _("half-year"),
    PeriodKind.YEAR: _("year"),
}


@dataclass(frozen=True, order=True)
class Period:
    roc_year: int
    kind: PeriodKind
    index: int

    def __post_init__(self) -> None:
        count = 12 // self.kind.months
        if not 1 <= self.index <= count:
            raise ValueError(f"{self.kind.value} index {self.index} is out of range 1–{count}")
        from_roc_year(self.roc_year)  # raises on an impossible year

    @property
    def first_month(self) -> int:
        return (self.index - 1) * self.kind.months + 1

    @property
    def start(self) -> datetime.date:
        return datetime.date(from_roc_year(self.roc_year), self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        year = from_roc_year(self.roc_year)
        last_month = self.first_month + self.kind.months - 1
        return datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        if self.index * self.kind.months < 12:
            return Period(self.roc_year, self.kind, self.index + 1)
        return Period(self.roc_year + 1, self.kind, 1)

    @property
    def code(self) -> str:
        """A compact machine label: 104, 104-H1, 104-Q2, 104-03."""
        if self.kind is PeriodKind.YEAR:
            return str(self.roc_year)
        if self.kind is PeriodKind.HALF:
            return f"{self.roc_year}-H{self.index}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.roc_year}-Q{self.index}"
        return f"{self.roc_year}-{self.index:02d}"

    def label(self, language: str = "zh-hant") -> str:
        """People's label: 104年第2季 / Q2 2015 (ROC years in Chinese, Gregorian in English)."""
        year = from_roc_year(self.roc_year)
        english = language.startswith("en")
        if self.kind is PeriodKind.YEAR:
            return str(year) if english else f"{self.roc_year}年"
        if self.kind is PeriodKind.HALF:
            return f"H{self.index} {year}" if english else f"{self.roc_year}年{'上' if self.index == 1 else '下'}半年"
        if self.kind is PeriodKind.QUARTER:
            return f"Q{self.index} {year}" if english else f"{self.roc_year}年第{self.index}季"
        return f"{calendar.month_abbr[self.index]} {year}" if english else f"{self.roc_year}年{self.index}月"

    def __str__(self) -> str:
        return self.code


def period_containing(kind: PeriodKind, day: datetime.date) -> Period:
    """The period of `kind` that contains `day`."""
    return Period(to_roc_year(day.year), kind, (day.month - 1) // kind.months + 1)


def periods_within(kind: PeriodKind, outer: Period) -> list[Period]:
    """The periods of `kind` that make up `outer` (kind must be no longer than outer's kind)."""
    if kind.months > outer.kind.months:
        raise ValueError(f"a {outer.kind.value} is not made of {kind.value}s")
    first = period_containing(kind, outer.start)
    result = [first]
    while result[-1].end < outer.end:
        result.append(result[-1].next())
    return result


def parse_period(text: str) -> Period:
    """Parse the compact label written by Period.code (104, 104-H1, 104-Q2, 104-03)."""
    value = text.strip().upper()
    try:
        if "-" not in value:
            return Period(int(value), PeriodKind.YEAR, 1)
        year_text, part = value.split("-", 1)
        year = int(year_text)
        if part.startswith("H"):
            return Period(year, PeriodKind.HALF, int(part[1:]))
        if part.startswith("Q"):
            return Period(year, PeriodKind.QUARTER, int(part[1:]))
        return Period(year, PeriodKind.MONTH, int(part))
    except ValueError as error:
        raise ValueError(f"period {text!r} is not valid (examples: 104, 104-H1, 104-Q2, 104-03): {error}") from None
