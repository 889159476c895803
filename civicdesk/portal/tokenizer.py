"""The one tokenizer behind search on every database.

Chinese (and other CJK) text becomes overlapping character bigrams plus single characters, so any
two-character word (拍賣, 分期, 罰鍰) and any single character can be found without a dictionary.
Other text becomes lower-cased words. Before splitting, text is NFKC-normalised (full-width ↔
half-width, compatibility ideographs) and a few variant characters are folded (臺 → 台).

Index and query share the same rules; the query side uses only bigrams for runs of two or more
characters (each bigram is in the index), and the single character for a one-character run.
"""

from __future__ import annotations

import re
import unicodedata

# Variant characters folded to one form. Kept small and obvious: each pair is the same word in
# everyday Taiwanese usage (臺中/台中).
VARIANTS = str.maketrans(
    {
        "臺": "台",
        "裏": "裡",
        "爲": "為",
        "衆": "眾",
        "眞": "真",
        "綫": "線",
        "峯": "峰",
        "羣": "群",
        "衞": "衛",
        "敎": "教",
        "秘": "祕",
    }
)

_CJK = (
    "\u2e80-\u2fdf"  # radicals
    "\u3040-\u30ff"  # kana
    "\u3100-\u312f"  # bopomofo
    "\u3400-\u4dbf"  # extension A
    "\u4e00-\u9fff"  # unified ideographs
    "\uac00-\ud7af"  # hangul syllables
    "\uf900-\ufaff"  # compatibility ideographs
    "\U00020000-\U0003134f"  # extensions B-G
)
_TOKEN_RUN = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+)")


def normalize(text: str) -> str:
    """NFKC, lower case, variant folding: the form both indexing and querying start from."""
    return unicodedata.normalize("NFKC", text).lower().translate(VARIANTS)


def tokenize(text: str, *, for_query: bool = False) -> list[str]:
    """Tokens of `text`, de-duplicated in first-seen order.

    Indexing (`for_query=False`) emits every character and every bigram of each CJK run; querying
    emits the bigrams of each run (or the character of a one-character run). English and digits
    are whole lower-cased words in both.
    """
    tokens: list[str] = []
    for match in _TOKEN_RUN.finditer(normalize(text)):
        run = match.group("cjk")
        if run is None:
            tokens.append(match.group("word"))
            continue
        if len(run) == 1:
            tokens.append(run)
            continue
        if not for_query:
            tokens.extend(run)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return list(dict.fromkeys(tokens))


def index_text(*parts: str) -> str:
    """The space-separated token string stored in the index for the given texts."""
    tokens: dict[str, None] = {}
    for part in parts:
        for token in tokenize(part):
            tokens[token] = None
    return " ".join(tokens)


# Marker tokens let the full-text index itself answer "in this language / of this kind / with this
# code / in the title", so counting hits never reads the entries' rows. They start with U+00B7 "·":
# the tokenizer splits text there (it is punctuation), so no typed query can produce a marker, while
# FTS5's "ascii" tokenizer keeps it inside a token (every non-ASCII character is a token character).
MARK = "·"


def field_marker(field: str, value: str | int) -> str:
    """The marker for one facet value, e.g. ("kind", "online_service") -> "·kind·onlineservice"."""
    cleaned = "".join(ch for ch in str(value).lower() if ch.isascii() and ch.isalnum())
    return f"{MARK}{field}{MARK}{cleaned}"


def title_marker(token: str) -> str:
    """The marker saying `token` occurs in the title (title tokens never contain "·")."""
    return f"{MARK}{token}"
