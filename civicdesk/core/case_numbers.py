"""Enforcement case numbers: ``110年公寓罰執專字第00319363號``, ``108年公退罰執特專字第00092475號``.

Layout: ROC year + 年 + transferring-category code (Chinese characters: 公寓罰, 健保, 綜所稅 …) + 執 +
專 (ordinary) or 特專 (special) + 字第 + 8-digit serial + 號.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["EXAMPLE_CATEGORY_CODES", "CaseNumber", "format_case_number", "parse_case_number"]

EXAMPLE_CATEGORY_CODES = ("公寓罰", "公退罰", "健保", "勞保", "綜所稅", "牌照稅", "營業稅", "地價稅", "房屋稅")
"""Category codes seen in public documents; illustrative, not a closed list (branches add their own)."""

SERIAL_DIGITS = 8
_MAX_ROC_YEAR = 999
_MAX_CATEGORY_LENGTH = 8
# These characters delimit the other parts, so a category containing one could not be parsed back.
_RESERVED = frozenset("執字第號")
_LEADING_DIGITS = re.compile(r"\d+", re.ASCII)


def _is_ideograph(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")


@dataclass(frozen=True, slots=True)
class CaseNumber:
    """A parsed case number; ``str()`` gives the canonical text."""

    roc_year: int
    category_code: str
    special: bool
    serial: int

    def __post_init__(self) -> None:
        if isinstance(self.roc_year, bool) or not isinstance(self.roc_year, int):
            raise TypeError("roc_year must be an int")
        if not 1 <= self.roc_year <= _MAX_ROC_YEAR:
            raise ValueError(f"ROC year must be 1–{_MAX_ROC_YEAR}, got {self.roc_year}")
        _check_category(self.category_code)
        if isinstance(self.serial, bool) or not isinstance(self.serial, int):
            raise TypeError("serial must be an int")
        if not 1 <= self.serial < 10**SERIAL_DIGITS:
            raise ValueError(f"serial must be 1–{10**SERIAL_DIGITS - 1}, got {self.serial}")

    @property
    def gregorian_year(self) -> int:
        """The year the case was received, in the Gregorian calendar."""
        return self.roc_year + 1911

    def __str__(self) -> str:
        kind = "特專" if self.special else "專"
        return f"{self.roc_year}年{self.category_code}執{kind}字第{self.serial:0{SERIAL_DIGITS}d}號"


def _check_category(code: str) -> None:
    if not isinstance(code, str) or not code:
        raise ValueError("category code is missing")
    if len(code) > _MAX_CATEGORY_LENGTH:
        raise ValueError(f"category code {code!r} is longer than {_MAX_CATEGORY_LENGTH} characters")
    for char in code:
        if not _is_ideograph(char):
            raise ValueError(f"category code {code!r} must be Chinese characters only (found {char!r})")
        if char in _RESERVED:
            raise ValueError(f"category code {code!r} must not contain {char!r}")
    if code.startswith("度"):
        # "110年度…" is read as the 年度 spelling of the year, so such a code could not be parsed back.
        raise ValueError(f"category code {code!r} must not start with 度")


def format_case_number(roc_year: int, category_code: str, serial: int, *, special: bool = False) -> str:
    """Canonical case number text, e.g. ``format_case_number(110, "公寓罰", 319363)``."""
    return str(CaseNumber(roc_year=roc_year, category_code=category_code, special=special, serial=serial))


def parse_case_number(text: str) -> CaseNumber:
    """Parse a case number; ValueError names the part that is wrong.

    Full-width digits, spaces anywhere and ``年度`` for ``年`` are tolerated.
    """
    if not isinstance(text, str):
        raise TypeError(f"case number must be a string, not {type(text).__name__}")
    # NFKC folds full-width digits; whitespace is dropped because numbers are often copied across line breaks.
    compact = "".join(unicodedata.normalize("NFKC", text).split())
    try:
        if not compact:
            raise ValueError("is empty")
        roc_year, rest = _split_year(compact)
        middle, found, rest = rest.partition("字第")
        if not found:
            raise ValueError("missing 字第 before the serial number")
        category, special = _split_category(middle)
        return CaseNumber(roc_year=roc_year, category_code=category, special=special, serial=_serial(rest))
    except ValueError as exc:
        raise ValueError(f"case number {text!r}: {exc}") from None


def _split_year(text: str) -> tuple[int, str]:
    year = _LEADING_DIGITS.match(text)
    if not year:
        raise ValueError("must start with the ROC year (e.g. 110年)")
    if len(year[0]) > 3:
        raise ValueError(f"year {year[0]} has more than 3 digits (ROC years are 1–3 digits)")
    rest = text[year.end() :]
    for marker in ("年度", "年"):
        if rest.startswith(marker):
            return int(year[0]), rest[len(marker) :]
    raise ValueError("missing 年 after the ROC year")


def _split_category(middle: str) -> tuple[str, bool]:
    if middle.endswith("執特專"):
        category, special = middle[:-3], True
    elif middle.endswith("執專"):
        category, special = middle[:-2], False
    else:
        raise ValueError("expected 執專 or 執特專 after the category code")
    if not category:
        raise ValueError("missing the transferring-category code (e.g. 公寓罰) after the year")
    return category, special


def _serial(rest: str) -> int:
    if not rest.endswith("號"):
        raise ValueError("must end with 號")
    digits = rest[:-1]
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"serial {digits!r} must be digits")
    if len(digits) != SERIAL_DIGITS:
        raise ValueError(f"serial must have {SERIAL_DIGITS} digits, got {len(digits)}")
    return int(digits)
