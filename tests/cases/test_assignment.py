"""Rotation assignment (輪分), pauses, category restrictions, same obligor, manual reassignment. A2.5."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicdesk.cases.importing import cases_import
from civicdesk.cases.models import AssignmentEntry, Case, CategoryRestriction, ClaimCategory
from civicdesk.cases.services import case_reassign, case_receive, subdivision_pause
from civicdesk.core.identifiers import make_national_id
from civicdesk.organization.models import Branch, Staff, Unit
from civicdesk.organization.permissions import Role
from tests.cases.conftest import good_row

pytestmark = pytest.mark.django_db


def _import(branch: Branch, write_csv: Callable[..., Path], rows: list[dict[str, str]], name: str = "f.csv") -> None:
    cases_import(path=write_csv(rows, name=name), branch=branch, actor="clerk")


def test_rotation_is_even_over_active_subdivisions_and_skips_paused(
    branch: Branch, write_csv: Callable[..., Path], make_staff: Callable[..., Staff]
) -> None:
    secretariat = make_staff(Role.SECRETARIAT_OFFICER)
    subdivision_pause(unit=Unit.objects.get(code="S02"), paused=True, reason="on leave", staff=secretariat)
    rng = random.Random(5)
    _import(branch, write_csv, [good_row(i, obligor_id=make_national_id(rng)) for i in range(22 * 3)])
    per_unit = Counter(Case.objects.values_list("subdivision__code", flat=True))
    assert "S02" not in per_unit
    assert len(per_unit) == 22
    assert set(per_unit.values()) == {3}


def test_same_obligor_goes_to_the_subdivision_holding_them(branch: Branch, write_csv: Callable[..., Path]) -> None:
    _import(branch, write_csv, [good_row(1, obligor_id="A123456789")], name="a.csv")
    first = Case.objects.get().subdivision
    rng = random.Random(9)
    rows = [good_row(i, obligor_id=make_national_id(rng)) for i in range(2, 6)]
    rows.append(good_row(7, obligor_id="A123456789"))
    _import(branch, write_csv, rows, name="b.csv")
    assert Case.objects.get(agency_reference="NHIA-T-000007").subdivision == first
    entry = AssignmentEntry.objects.get(case_number=Case.objects.get(agency_reference="NHIA-T-000007").case_number)
    assert entry.method == "same_obligor"


def test_restricted_category_goes_only_to_its_subdivisions(branch: Branch, write_csv: Callable[..., Path]) -> None:
    category = ClaimCategory.objects.get(code="traffic_fine")
    for code in ("S20", "S21"):
        CategoryRestriction.objects.create(category=category, unit=Unit.objects.get(code=code))
    rng = random.Random(2)
    rows = [
        good_row(i, agency="TCTRAFFIC", category="traffic_fine", obligor_id=make_national_id(rng)) for i in range(6)
    ]
    _import(branch, write_csv, rows)
    assert Counter(Case.objects.values_list("subdivision__code", flat=True)) == {"S20": 3, "S21": 3}


def test_reassignment_needs_permission_and_reason_and_is_registered(
    branch: Branch, make_staff: Callable[..., Staff]
) -> None:
    clerk = make_staff(Role.SUBDIVISION_CLERK, unit="S01")
    result = case_receive(branch=branch, staff=clerk, values=good_row(1))
    assert result.case is not None
    assert result.error is None
    case = result.case
    target = Unit.objects.get(code="S09") if case.subdivision.code != "S09" else Unit.objects.get(code="S10")
    with pytest.raises(PermissionDenied):
        case_reassign(case=case, subdivision=target, reason="balance", staff=clerk)
    head = make_staff(Role.UNIT_HEAD, unit="DIV1")
    with pytest.raises(ValidationError):
        case_reassign(case=case, subdivision=target, reason="  ", staff=head)
    entry = case_reassign(case=case, subdivision=target, reason="conflict of interest", staff=head)
    assert (entry.action, entry.subdivision_code, entry.reason) == ("reassign", target.code, "conflict of interest")
    case.refresh_from_db()
    assert case.subdivision == target
    again = case_receive(branch=branch, staff=clerk, values=good_row(1))
    assert again.already_present
    assert again.case == case
    bad = case_receive(branch=branch, staff=clerk, values=good_row(2, obligor_id="a123456789"))
    assert bad.error is not None
    assert bad.error.field == "obligor_id"
