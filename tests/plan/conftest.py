"""Fixtures of the plan tests: the shipped 104 plan loaded, and a helper to log activities."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.utils import translation

from civicdesk.organization.models import Branch, Staff, Unit
from civicdesk.organization.permissions import Role
from civicdesk.plan.models import Activity, ActivityKind, Plan
from civicdesk.plan.plan_file import parse_plan_file
from civicdesk.plan.services import plan_load

PLAN_FILE = Path(__file__).resolve().parents[2] / "civicdesk" / "plan" / "data" / "plan-104.yaml"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """Staff are created in most tests; the production hasher's 1M iterations would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Service-level messages are asserted in English; pages follow their URL's language as usual."""
    with translation.override("en"):
        yield


@pytest.fixture
def plan(organization: Branch) -> Plan:
    return plan_load(spec=parse_plan_file(PLAN_FILE)).plan


@pytest.fixture
def secretariat_staff(make_staff: Callable[..., Staff]) -> Staff:
    return make_staff(Role.SECRETARIAT_OFFICER, unit="SEC")


@pytest.fixture
def log_activity(plan: Plan, secretariat_staff: Staff) -> Callable[..., Activity]:
    def log(kind: str, day: datetime.date, quantity: int = 1, unit: str = "SEC") -> Activity:
        return Activity.objects.create(
            branch=plan.branch,
            kind=ActivityKind.objects.get(code=kind),
            held_on=day,
            unit=Unit.objects.get(branch=plan.branch, code=unit),
            title=f"{kind} {day}",
            quantity=quantity,
            created_by=secretariat_staff,
        )

    return log
