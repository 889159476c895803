"""Taiwanese person and company identifiers: national ID, resident certificate numbers, unified business number.

Validation is strict (upper case, no spaces) because intake files from agencies must be reported, not
repaired; citizen forms call :func:`normalize_citizen_input` first.
"""

from __future__ import annotations

import datetime
import random
import string
import unicodedata
from typing import Literal

__all__ = [
    "LEGACY_RESIDENT_VALID_UNTIL",
    "UBN_MOD5_SINCE",
    "InvalidIdentifier",
    "PersonIdKind",
    "classify_person_id",
    "make_business_number",
    "make_national_id",
    "make_resident_id",
    "normalize_citizen_input",
    "validate_business_number",
    "validate_national_id",
    "validate_person_id",
    "validate_resident_id",
]

PersonIdKind = Literal["national_id", "resident_new", "resident_legacy"]

LEGACY_RESIDENT_VALID_UNTIL = datetime.date(2030, 12, 31)
"""Legacy resident numbers (two letters + 8 digits) stay valid until this date."""

UBN_MOD5_SINCE = datetime.date(2023, 4, 1)
"""From this date a unified business number's checksum need only be divisible by 5 (before: by 10)."""

# Letter → two-digit code (the order is historical, hence I, O, W … out of sequence).
_LETTER_CODES: dict[str, int] = {
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "I": 34, "J": 18,
    "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23, "Q": 24, "R": 25, "S": 26, "T": 27,
    "U": 28, "V": 29, "W": 32, "X": 30, "Y": 31, "Z": 33,
}  # fmt: skip
_PERSON_WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
_UBN_WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)
_LEGACY_SECOND = "ABCD"
_DIGITS = frozenset(string.digits)
_UPPER = frozenset(string.ascii_uppercase)
_LOWER = frozenset(string.ascii_lowercase)


class InvalidIdentifier(ValueError):  # noqa: N818 -- name fixed by the shared API
    """An identifier failed validation; ``reason`` says why in plain English."""

    def __init__(self, kind: str, reason: str, value: str) -> None:
        # The value stays on the exception but out of the message: messages end up in logs and IDs are personal data.
        super().__init__(f"invalid {kind}: {reason}")
        self.kind = kind
        self.reason = reason
        self.value = value


def normalize_citizen_input(value: str) -> str:
    """Fold what a citizen typed into strict form: full-width to ASCII, spaces removed, upper case."""
    folded = unicodedata.normalize("NFKC", value)
    return "".join(folded.split()).upper()


def _person_checksum(letter_code: int, rest: str) -> int:
    digits = [letter_code // 10, letter_code % 10, *(int(c) for c in rest)]
    return sum(w * d for w, d in zip(_PERSON_WEIGHTS, digits, strict=True))


def _check_shape(kind: str, value: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{kind} must be a string, not {type(value).__name__}")
    if len(value) != 10:
        raise InvalidIdentifier(kind, f"must be 10 characters, got {len(value)}", value)
    if any(c in _LOWER for c in value):
        raise InvalidIdentifier(kind, "must be upper case", value)
    if value[0] not in _UPPER:
        raise InvalidIdentifier(kind, "first character must be a letter A-Z", value)
    if not all(c in _DIGITS for c in value[2:]):
        raise InvalidIdentifier(kind, "characters 3-10 must be digits", value)


def classify_person_id(value: str) -> PersonIdKind:
    """Validate a person ID of any kind and say which kind it is (raises InvalidIdentifier)."""
    kind = "person ID"
    _check_shape(kind, value)
    second = value[1]
    letter_code = _LETTER_CODES[value[0]]
    if second in "1289":
        result: PersonIdKind = "national_id" if second in "12" else "resident_new"
        checksum = _person_checksum(letter_code, value[1:])
    elif second in _LEGACY_SECOND:
        result = "resident_legacy"
        # Legacy numbers: the second letter counts as the last digit of its own code (A=10→0 … D=13→3).
        checksum = _person_checksum(letter_code, str(_LETTER_CODES[second] % 10) + value[2:])
    else:
        raise InvalidIdentifier(kind, "second character must be 1, 2, 8, 9 or a letter A-D", value)
    if checksum % 10:
        raise InvalidIdentifier(kind, "wrong check digit", value)
    return result


def validate_national_id(value: str) -> str:
    """Return ``value`` if it is a valid national ID (A-Z, 1 or 2, 8 digits, checksum); else raise."""
    kind = "national ID"
    _check_shape(kind, value)
    if value[1] not in "12":
        raise InvalidIdentifier(kind, "second character must be 1 or 2", value)
    if _person_checksum(_LETTER_CODES[value[0]], value[1:]) % 10:
        raise InvalidIdentifier(kind, "wrong check digit", value)
    return value


def validate_resident_id(value: str, *, on: datetime.date | None = None, allow_legacy: bool = True) -> str:
    """Return ``value`` if it is a valid resident certificate number (new A-Z+8/9 or legacy two-letter form).

    Legacy numbers are refused when ``allow_legacy`` is false or ``on`` is after 2030-12-31.
    """
    kind = "resident certificate number"
    _check_shape(kind, value)
    if value[1] not in "89" and value[1] not in _LEGACY_SECOND:
        raise InvalidIdentifier(kind, "second character must be 8, 9 or a letter A-D", value)
    try:
        result = classify_person_id(value)
    except InvalidIdentifier as exc:
        raise InvalidIdentifier(kind, exc.reason, value) from None
    if result == "resident_legacy":
        if not allow_legacy:
            raise InvalidIdentifier(kind, "legacy (two-letter) format is not accepted", value)
        if on is not None and on > LEGACY_RESIDENT_VALID_UNTIL:
            raise InvalidIdentifier(kind, "legacy (two-letter) format expired on 2030-12-31", value)
    return value


def validate_person_id(value: str, *, on: datetime.date | None = None) -> str:
    """Return ``value`` if it is a valid national ID or resident certificate number; else raise."""
    if classify_person_id(value) == "resident_legacy":
        validate_resident_id(value, on=on)
    return value


def _ubn_sum(digits: str) -> int:
    # Each product contributes the sum of its digits; products are at most 36, so tens + units (28 → 10).
    products = (w * int(d) for w, d in zip(_UBN_WEIGHTS, digits, strict=True))
    return sum(p // 10 + p % 10 for p in products)


def validate_business_number(value: str, *, on: datetime.date | None = None) -> str:
    """Return ``value`` if it is a valid unified business number (統一編號); else raise InvalidIdentifier.

    The sum must be divisible by 5 (rule since 2023-04-01, used when ``on`` is None) or by 10 when ``on``
    is earlier. When the 7th digit is 7 its product 28 counts as 10 or 1, so sum + 1 may be the divisible one.
    """
    kind = "business number"
    if not isinstance(value, str):
        raise TypeError(f"{kind} must be a string, not {type(value).__name__}")
    if len(value) != 8:
        raise InvalidIdentifier(kind, f"must be 8 digits, got {len(value)} characters", value)
    if not all(c in _DIGITS for c in value):
        raise InvalidIdentifier(kind, "must contain digits only", value)
    divisor = 5 if on is None or on >= UBN_MOD5_SINCE else 10
    total = _ubn_sum(value)
    if total % divisor and not (value[6] == "7" and (total + 1) % divisor == 0):
        raise InvalidIdentifier(kind, "wrong check digit", value)
    return value


def _person_check_digit(letter_code: int, body: str) -> str:
    partial = _person_checksum(letter_code, body + "0")
    return str(-partial % 10)


def make_national_id(rng: random.Random, letter: str | None = None, gender: Literal[1, 2] | None = None) -> str:
    """A random valid national ID (gender 1 = male, 2 = female), for tests and synthetic data."""
    first = letter if letter is not None else rng.choice(string.ascii_uppercase)
    if first not in _LETTER_CODES:
        raise ValueError(f"letter must be one of A-Z, got {first!r}")
    sex = gender if gender is not None else rng.choice((1, 2))
    if sex not in (1, 2):
        raise ValueError(f"gender must be 1 or 2, got {sex!r}")
    body = f"{sex}{rng.randrange(10**7):07d}"
    return first + body + _person_check_digit(_LETTER_CODES[first], body)


def make_resident_id(rng: random.Random, *, legacy: bool = False) -> str:
    """A random valid resident certificate number (new A-Z+8/9 format, or the legacy two-letter one)."""
    first = rng.choice(string.ascii_uppercase)
    code = _LETTER_CODES[first]
    serial = f"{rng.randrange(10**7):07d}"
    if legacy:
        second = rng.choice(_LEGACY_SECOND)
        check = _person_check_digit(code, str(_LETTER_CODES[second] % 10) + serial)
        return first + second + serial + check
    body = f"{rng.choice((8, 9))}{serial}"
    return first + body + _person_check_digit(code, body)


def make_business_number(rng: random.Random) -> str:
    """A random unified business number valid under both the old (÷10) and the current (÷5) rule."""
    body = f"{rng.randrange(10**7):07d}"
    # The last weight is 1, so the last digit adds itself to the sum: pick the one that makes it ÷10.
    return body + str(-_ubn_sum(body + "0") % 10)
