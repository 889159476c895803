"""The shipped classification lists load, say where they come from, and can be replaced by a folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from civicdesk.portal import classifications

SERVICE_TOP_LEVEL = [
    "100",
    "200",
    "300",
    "400",
    "500",
    "600",
    "700",
    "800",
    "900",
    "A00",
    "B00",
    "C00",
    "D00",
    "E00",
    "F00",
    "G00",
    "H00",
    "I00",
]


@pytest.mark.parametrize("scheme", sorted(classifications.SCHEMES))
def test_each_shipped_list_loads_and_states_its_source(scheme: str) -> None:
    assert classifications.codes(scheme)
    header = [
        line
        for line in (classifications.DATA_DIR / f"{scheme}.csv").read_text("utf-8").splitlines()
        if line.startswith("#")
    ]
    assert any("行政機關電子資料流通詮釋資料及分類檢索規範" in line for line in header)


def test_service_list_has_the_eighteen_official_top_level_classes() -> None:
    codes = classifications.codes("service")
    assert [code for code, entry in codes.items() if not entry.parent] == SERVICE_TOP_LEVEL
    assert codes["I00"].name_zh == "公共資訊"


def test_an_administrator_can_replace_a_list(settings, tmp_path: Path) -> None:
    for scheme in classifications.SCHEMES:
        (tmp_path / f"{scheme}.csv").write_text(
            "# replacement\ncode,parent,name_zh,name_en\n170,,測試類,Test\n", "utf-8"
        )
    settings.CIVICDESK_PORTAL_CODE_LISTS_DIR = str(tmp_path)
    assert list(classifications.codes("theme")) == ["170"]
    (tmp_path / "theme.csv").write_text("code,parent,name_zh,name_en\n171,999,子類,Child\n", "utf-8")
    classifications._load.cache_clear()
    with pytest.raises(ImproperlyConfigured, match="parent 999"):
        classifications.codes("theme")
    classifications._load.cache_clear()
