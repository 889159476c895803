"""Reference numbers people type (receipts, progress queries): ``CD-7KQM-4XRT-WPE``.

Alphabet: 26 characters with no look-alikes — digits 3 4 6 7 9 and letters A C D E F G H J K L M N P Q R
T U V W X Y (O/0, I/1, S/5, Z/2 and B/8 are left out). Canonical form: the prefix, then the random body
and the check character in groups of four, upper case, joined by hyphens. Hyphens, spaces, lower case
and full-width forms are accepted on input; a left-out look-alike is rejected with a clear error rather
than guessed.

Check character: ISO 7064's hybrid system for this alphabet size, MOD 27,26, cannot catch every adjacent
transposition (no hybrid MOD N+1,N with even N can: its step is p + a mod N followed by a permutation,
and Z_N of even order has no complete mapping). We use instead the Verhoeff–Gumm dihedral method over
D13, a group of order 26: value v ↦ rotation v mod 13, reflection v div 13; permutation σ(r^k) = r^-k,
σ(r^k s) = r^(k+1) s, which is anti-symmetric (x·σ(y) ≠ y·σ(x) for x ≠ y). Reading from the right, the
i-th character x_i contributes σ^i(x_i); the number is valid when the product is the identity. This
detects every single-character substitution and every transposition of adjacent characters, including
the check character itself; the prefix is covered too. The tests prove both exhaustively.
"""

from __future__ import annotations

import random
import secrets
import unicodedata

__all__ = [
    "ALPHABET",
    "LOOK_ALIKES",
    "InvalidReferenceError",
    "reference_check_char",
    "reference_generate",
    "reference_is_valid",
    "reference_normalize",
    "reference_validate",
]

ALPHABET = "34679ACDEFGHJKLMNPQRTUVWXY"
LOOK_ALIKES = "O0I1S5Z2B8"
"""Characters never used, because each looks like another one."""

GROUP_SIZE = 4
DEFAULT_PREFIX_LENGTH = 2
_N = 13  # D13 has 2 * 13 = 26 elements, one per alphabet character.
_ORDER = len(ALPHABET)
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_SEPARATORS = frozenset("-‐‑‒–—―_")


def _mul(x: int, y: int) -> int:
    k1, f1 = x % _N, x // _N
    k2, f2 = y % _N, y // _N
    k = (k1 - k2 if f1 else k1 + k2) % _N
    return (f1 ^ f2) * _N + k


def _sigma(x: int) -> int:
    k, f = x % _N, x // _N
    return f * _N + ((k + 1) % _N if f else -k % _N)


def _build_powers() -> tuple[tuple[int, ...], ...]:
    powers = [tuple(range(_ORDER))]
    # σ has order lcm(2, 13) = 26, so 26 powers cover every position.
    for _ in range(_ORDER - 1):
        powers.append(tuple(_sigma(v) for v in powers[-1]))
    return tuple(powers)


_MUL = tuple(tuple(_mul(x, y) for y in range(_ORDER)) for x in range(_ORDER))
_POW = _build_powers()
_INV = tuple(next(y for y in range(_ORDER) if _MUL[x][y] == 0) for x in range(_ORDER))


class InvalidReferenceError(ValueError):
    """A reference number is malformed or its check character does not match."""


def _product(values: list[int], offset: int) -> int:
    acc = 0  # value 0 is the identity element r^0
    for i, value in enumerate(reversed(values)):
        acc = _MUL[acc][_POW[(i + offset) % _ORDER][value]]
    return acc


def _values(chars: str, what: str) -> list[int]:
    values: list[int] = []
    for position, char in enumerate(chars, start=1):
        if char in LOOK_ALIKES:
            raise InvalidReferenceError(
                f"{what}: {char!r} (letter or digit no. {position}) is never used in reference numbers "
                f"({', '.join(LOOK_ALIKES)} are left out because they look alike); please check the number"
            )
        if char not in _VALUE:
            raise InvalidReferenceError(f"{what}: unexpected character {char!r} (letter or digit no. {position})")
        values.append(_VALUE[char])
    return values


def reference_check_char(body: str) -> str:
    """The check character for ``body`` (prefix + random part, upper case; hyphens are ignored)."""
    chars = body.replace("-", "")
    if not chars:
        raise InvalidReferenceError("reference body is empty")
    return ALPHABET[_INV[_product(_values(chars, "reference body"), offset=1)]]


def _format(chars: str, prefix_length: int) -> str:
    rest = chars[prefix_length:]
    groups = [rest[i : i + GROUP_SIZE] for i in range(0, len(rest), GROUP_SIZE)]
    return "-".join([chars[:prefix_length], *groups]) if prefix_length else "-".join(groups)


def reference_generate(prefix: str, rng: random.Random | None = None, length: int = 10) -> str:
    """A new reference number: ``prefix`` (1–4 alphabet characters), ``length`` random characters, check.

    Without ``rng`` the body comes from the OS's secure generator, since a reference lets its holder query
    a case's progress and must not be guessable.
    """
    if not 1 <= len(prefix) <= GROUP_SIZE:
        raise ValueError(f"prefix must have 1–{GROUP_SIZE} characters, got {prefix!r}")
    _values(prefix, "reference prefix")
    if length < 1:
        raise ValueError(f"length must be at least 1, got {length}")
    source: random.Random = rng if rng is not None else secrets.SystemRandom()
    body = prefix + "".join(source.choice(ALPHABET) for _ in range(length))
    return _format(body + reference_check_char(body), len(prefix))


def _clean(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"reference number must be a string, not {type(text).__name__}")
    # NFKC folds full-width letters, digits and hyphens (ＣＤ－７ＫＱＭ) to ASCII before upper-casing.
    folded = unicodedata.normalize("NFKC", text).upper()
    return "".join(c for c in folded if not c.isspace() and c not in _SEPARATORS)


def reference_normalize(text: str, *, prefix_length: int = DEFAULT_PREFIX_LENGTH) -> str:
    """Canonical form of a typed reference (upper case, grouped); raises InvalidReferenceError on bad characters.

    The check character is not verified here; use :func:`reference_validate` for that.
    """
    chars = _clean(text)
    if not chars:
        raise InvalidReferenceError("reference number is empty")
    _values(chars, "reference number")
    if len(chars) < prefix_length + 2:
        raise InvalidReferenceError(f"reference number {chars!r} is too short")
    return _format(chars, prefix_length)


def reference_validate(text: str, *, prefix_length: int = DEFAULT_PREFIX_LENGTH) -> str:
    """Canonical form of a typed reference whose check character matches; else raise InvalidReferenceError."""
    canonical = reference_normalize(text, prefix_length=prefix_length)
    if _product(_values(canonical.replace("-", ""), "reference number"), offset=0) != 0:
        raise InvalidReferenceError("reference number has a typing error (its check character does not match)")
    return canonical


def reference_is_valid(text: str, *, prefix_length: int = DEFAULT_PREFIX_LENGTH) -> bool:
    """True when ``text`` is a well-formed reference number with a matching check character."""
    try:
        reference_validate(text, prefix_length=prefix_length)
    except (InvalidReferenceError, TypeError):
        return False
    return True
