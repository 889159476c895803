"""Demo data loads and loads again without duplicates."""

from __future__ import annotations

import io

import pytest

from civicdesk.applications.demo import load_demo_data
from civicdesk.applications.models import Application, ServiceKind, Status
from civicdesk.organization.permissions import Role

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(make_staff) -> None:
    make_staff(Role.ENFORCEMENT_OFFICER, unit="S01", username="officer")
    make_staff(Role.SUBDIVISION_CLERK, unit="S01", username="clerk")
    out = io.StringIO()
    load_demo_data(stdout=out)
    assert ServiceKind.objects.count() == 6
    assert Application.objects.count() == 3
    assert Application.objects.filter(status=Status.CORRECTION).count() == 1
    load_demo_data(stdout=out)
    assert Application.objects.count() == 3
    assert "already present" in out.getvalue()
