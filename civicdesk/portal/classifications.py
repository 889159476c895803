"""The three classification code lists (theme, administration a.k.a. "Cake", service).

Each list is a CSV data file (code,parent,name_zh,name_en; lines starting `#` are comments) in
`civicdesk/portal/data/`, or in the folder named by the setting CIVICDESK_PORTAL_CODE_LISTS_DIR,
so an administrator can replace a list without touching code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from civicdesk.core.i18n import english_active

SCHEMES = {
    "theme": (_("Theme"), "Category.Theme"),
    "administration": (_("Administration"), "Category.Cake"),
    "service": (_("Service"), "Category.Service"),
}
# The field each scheme's code is stored in, on pages, documents, FAQ entries and search entries.
CODE_FIELDS = {"theme": "theme_code", "administration": "cake_code", "service": "service_code"}
DATA_DIR = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Code:
    scheme: str
    code: str
    parent: str
    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_en if english_active() else self.name_zh

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


def _folder() -> Path:
    configured = getattr(settings, "CIVICDESK_PORTAL_CODE_LISTS_DIR", "")
    return Path(configured) if configured else DATA_DIR


@cache
def _load(scheme: str, folder: Path) -> dict[str, Code]:
    path = folder / f"{scheme}.csv"
    if not path.exists():
        raise ImproperlyConfigured(f"classification list {scheme!r} not found: {path}")
    codes: dict[str, Code] = {}
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for number, row in enumerate(rows, start=2):
            code = (row.get("code") or "").strip()
            if not code or not (row.get("name_zh") or "").strip():
                raise ImproperlyConfigured(f"{path}, data row {number - 1}: code and name_zh are required")
            if code in codes:
                raise ImproperlyConfigured(f"{path}, data row {number - 1}: code {code} appears twice")
            parent = (row.get("parent") or "").strip()
            codes[code] = Code(scheme, code, parent, row["name_zh"].strip(), (row.get("name_en") or "").strip())
    for code in codes.values():
        if code.parent and code.parent not in codes:
            raise ImproperlyConfigured(f"{path}: code {code.code} names a parent {code.parent} that is not in the list")
    return codes


def codes(scheme: str) -> dict[str, Code]:
    if scheme not in SCHEMES:
        raise KeyError(f"unknown classification scheme {scheme!r}; expected one of {sorted(SCHEMES)}")
    return _load(scheme, _folder())


def lookup(scheme: str, code: str) -> Code | None:
    return codes(scheme).get(code) if code else None


def choices(scheme: str, *, blank: bool = True) -> list[tuple[str, str]]:
    options = [("", "—")] if blank else []
    for code in codes(scheme).values():
        indent = "\u3000" if code.parent else ""
        options.append((code.code, f"{indent}{code.code} {code.name}"))
    return options


def with_ancestors(scheme: str, code: str) -> list[str]:
    """The code and its parents, top first (browse pages list a page under each level)."""
    chain: list[str] = []
    table = codes(scheme)
    while code and code in table and code not in chain:
        chain.insert(0, code)
        code = table[code].parent
    return chain
