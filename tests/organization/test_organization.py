from __future__ import annotations

import io

from django.core.management import call_command

from civicdesk.organization.models import Branch, Staff, Unit
from civicdesk.organization.services import organization_load


def test_thirteen_branches_and_taichung_units(db: None) -> None:
    summary = organization_load()
    assert Branch.objects.count() == 13
    taichung = Branch.objects.get(code="TCH")
    assert taichung.name_zh == "法務部行政執行署臺中分署"
    subdivisions = Unit.objects.filter(branch=taichung, kind=Unit.Kind.SUBDIVISION)
    assert subdivisions.count() == 23
    assert set(subdivisions.values_list("parent__kind", flat=True)) == {"division"}
    kinds = set(Unit.objects.filter(branch=taichung).values_list("kind", flat=True))
    assert {"secretariat", "ethics", "statistics", "personnel", "division", "team"} <= kinds
    assert summary.created == 13 + Unit.objects.count()


def test_loading_twice_changes_nothing(db: None) -> None:
    organization_load()
    second = organization_load()
    assert second.created == 0
    assert second.updated == 0


def test_load_demo_is_idempotent(db: None) -> None:
    call_command("load_demo", "--quiet-accounts", stdout=io.StringIO())
    counts = (Branch.objects.count(), Unit.objects.count(), Staff.objects.count())
    hashes = list(Staff.objects.order_by("pk").values_list("password", flat=True))
    call_command("load_demo", "--quiet-accounts", stdout=io.StringIO())
    assert (Branch.objects.count(), Unit.objects.count(), Staff.objects.count()) == counts
    assert list(Staff.objects.order_by("pk").values_list("password", flat=True)) == hashes
    assert Staff.objects.get(username="officer").unit.code == "S01"
