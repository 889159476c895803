"""ROC (Minguo) calendar dates: the ROC year is the Gregorian year minus 1911 (2015 = 104)."""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from typing import Literal

__all__ = [
    "ROC_OFFSET",
    "RocStyle",
    "format_roc",
    "from_roc_year",
    "parse_roc",
    "to_roc_year",
]

ROC_OFFSET = 1911
"""Gregorian year = ROC year + 1911."""

RocStyle = Literal["slash", "chinese", "compact"]

# Three digits cover ROC years up to 2910 AD; a 4-digit year is almost surely a Gregorian one typed by mistake.
_MAX_ROC_YEAR = 999

_SEPARATED = re.compile(r"(?P<y>\d+)(?P<sep>[/.\-])(?P<m>\d+)(?P=sep)(?P<d>\d+)", re.ASCII)
_CHINESE = re.compile(r"(?:民國)?\s*(?P<y>\d+)\s*年\s*(?P<m>\d+)\s*月\s*(?P<d>\d+)\s*[日號号]", re.ASCII)
_COMPACT = re.compile(r"\d+", re.ASCII)


def to_roc_year(year: int) -> int:
    """Return the ROC year for a Gregorian year (2015 → 104); years before ROC 1 (1912) raise ValueError."""
    roc = year - ROC_OFFSET
    if roc < 1:
        raise ValueError(f"Gregorian year {year} is before ROC year 1 (1912)")
    return roc


def from_roc_year(roc_year: int) -> int:
    """Return the Gregorian year for an ROC year (104 → 2015)."""
    if not 1 <= roc_year <= _MAX_ROC_YEAR:
        raise ValueError(f"ROC year {roc_year} is out of range (1–{_MAX_ROC_YEAR})")
    return roc_year + ROC_OFFSET


def format_roc(value: datetime.date, style: RocStyle = "slash") -> str:
    """Format a date as "104/03/05" (slash), "104年3月5日" (chinese) or "1040305" (compact, 7 digits)."""
    roc = to_roc_year(value.year)
    if roc > _MAX_ROC_YEAR:
        # Staff forms and the 7-digit compact form have room for 3 year digits only.
        raise ValueError(f"ROC year {roc} has more than 3 digits")
    if style == "slash":
        return f"{roc}/{value.month:02d}/{value.day:02d}"
    if style == "chinese":
        return f"{roc}年{value.month}月{value.day}日"
    if style == "compact":
        return f"{roc:03d}{value.month:02d}{value.day:02d}"
    raise ValueError(f"unknown ROC date style {style!r}; use 'slash', 'chinese' or 'compact'")


def parse_roc(text: str) -> datetime.date:
    """Parse an ROC date typed by staff: "104/03/05", "104/3/5", "104.03.05", "104-3-5", "1040305", "104年3月5日".

    Full-width digits and separators and surrounding spaces are accepted; a clear ValueError names the bad part.
    """
    if not isinstance(text, str):
        raise TypeError(f"ROC date must be a string, not {type(text).__name__}")
    # NFKC folds full-width digits and separators (１０４／０３／０５) to ASCII; CJK 年月日 are unchanged.
    normalized = unicodedata.normalize("NFKC", text).strip()
    if not normalized:
        raise ValueError("ROC date is empty")
    match = _SEPARATED.fullmatch(normalized) or _CHINESE.fullmatch(normalized)
    if match:
        return _build(match["y"], match["m"], match["d"], text)
    if _COMPACT.fullmatch(normalized):
        if len(normalized) != 7:
            raise ValueError(
                f"ROC date {text!r}: a date without separators must have 7 digits (YYYMMDD), got {len(normalized)}"
            )
        return _build(normalized[:3], normalized[3:5], normalized[5:], text)
    raise ValueError(f"ROC date {text!r} is not in a recognised format (104/03/05, 104.03.05, 1040305 or 104年3月5日)")


def _build(year_text: str, month_text: str, day_text: str, original: str) -> datetime.date:
    if len(year_text) > 3:
        raise ValueError(f"ROC date {original!r}: year {year_text} has more than 3 digits (a Gregorian year?)")
    if len(month_text) > 2 or len(day_text) > 2:
        raise ValueError(f"ROC date {original!r}: month and day have at most 2 digits")
    roc_year, month, day = int(year_text), int(month_text), int(day_text)
    if roc_year < 1:
        raise ValueError(f"ROC date {original!r}: year {roc_year} is before ROC year 1")
    if not 1 <= month <= 12:
        raise ValueError(f"ROC date {original!r}: month {month} is out of range 1–12")
    year = roc_year + ROC_OFFSET
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        raise ValueError(f"ROC date {original!r}: day {day} is out of range 1–{last_day} for {roc_year}/{month:02d}")
    return datetime.date(year, month, day)
