"""Masking of personal data shown on public pages and in notices.

Names written in Chinese keep their first and last character, one ○ per hidden character (王小明 → 王○明,
歐陽小明 → 歐○○明); a two-character name keeps the surname (王明 → 王○); one character is left alone.
Separators such as the middle dot of Indigenous names (瓦歷斯‧諾幹 → 瓦○○‧○幹) and spaces stay visible.

Names containing Latin letters keep the first letter of each word and replace the other letters with
``*`` (John Smith → J*** S****, Mary-Jane O'Neil → M***-J*** O'N***): one letter per word is what a
reader needs to recognise their own name, while the rest cannot be guessed from the length of a ○.

Every function returns a string of the same length as its (stripped) input and never raises on "".
"""

from __future__ import annotations

import unicodedata

__all__ = ["CJK_MASK", "ID_MASK", "last4", "mask_id", "mask_name"]

CJK_MASK = "○"
ID_MASK = "*"
_VISIBLE_TAIL = 4


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


def _is_latin(char: str) -> bool:
    # Full-width Latin (Ｊｏｈｎ) is Latin too; unicodedata names both "…LATIN…LETTER…".
    return char.isalpha() and "LATIN" in unicodedata.name(char, "")


def mask_name(name: str) -> str:
    """Mask a personal name for public display (see the module docstring for the rules)."""
    name = name.strip()
    if any(_is_latin(c) for c in name):
        return _mask_latin(name)
    letters = [i for i, c in enumerate(name) if _is_letter(c)]
    if len(letters) <= 1:
        return name
    hidden = set(letters[1:] if len(letters) == 2 else letters[1:-1])
    return "".join(CJK_MASK if i in hidden else c for i, c in enumerate(name))


def _mask_latin(name: str) -> str:
    out: list[str] = []
    at_word_start = True
    for char in name:
        if _is_letter(char):
            out.append(char if at_word_start else ID_MASK)
            at_word_start = False
        else:
            # Any non-letter (space, hyphen, apostrophe, dot) starts a new word: O'Neil → O'N***.
            out.append(char)
            at_word_start = True
    return "".join(out)


def mask_id(value: str) -> str:
    """Mask the last 4 characters of an ID number (A123456789 → A12345****, 12345678 → 1234****)."""
    value = value.strip()
    visible = max(len(value) - _VISIBLE_TAIL, 0)
    return value[:visible] + ID_MASK * (len(value) - visible)


def last4(value: str) -> str:
    """The last 4 characters of an ID number (what staff read back to a caller to confirm it)."""
    return value.strip()[-_VISIBLE_TAIL:]
