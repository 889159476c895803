"""Fixtures of the cases tests: the organisation, reference data, and a helper to write intake files."""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from civicdesk.cases.importing import cases_import
from civicdesk.cases.intake import ALL_COLUMNS
from civicdesk.cases.services import case_reference_load
from civicdesk.core.identifiers import make_national_id
from civicdesk.organization.models import Branch


@pytest.fixture(autouse=True)
def _reset_language() -> Iterator[None]:
    """A request to an /en/ page leaves English active in this thread; later tests must not inherit it."""
    yield
    translation.deactivate()


@pytest.fixture
def branch(organization: Branch) -> Branch:
    case_reference_load()
    return organization


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(rows: list[dict[str, Any]], name: str = "intake.csv") -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(ALL_COLUMNS), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write


def good_row(n: int, **overrides: Any) -> dict[str, Any]:
    row = {
        "agency": "NHIA",
        "agency_reference": f"NHIA-T-{n:06d}",
        "category": "health_premium",
        "obligor_id": "A123456789",
        "obligor_name": "王小明",
        "principal": "12000",
        "fee": "0",
        "paid": "0",
        "transferred_on": "2026-11-02",
    }
    row.update(overrides)
    return row


def import_in_blocks(branch: Branch, write_csv: Callable[..., Path], *, count: int, batch_size: int, seed: int) -> None:
    """Import `count` good cases with valid random obligors in blocks of `batch_size` (a register block each)."""
    rng = random.Random(seed)
    rows = [good_row(i, obligor_id=make_national_id(rng)) for i in range(count)]
    assert cases_import(path=write_csv(rows), branch=branch, actor="clerk", batch_size=batch_size).received == count
