"""axe-core finds no WCAG 2.1 A/AA violation on the cases staff pages, in both languages, on a phone. A2.5."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from civicdesk.cases.importing import cases_import
from civicdesk.cases.models import Case, CaseWarning, ImportRun
from civicdesk.cases.reconcile import reconcile_run
from civicdesk.cases.services import case_reference_load
from civicdesk.organization.models import Branch, Staff
from civicdesk.organization.permissions import Role
from tests.browser.conftest import axe_violations
from tests.cases.conftest import good_row
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_cases_staff_pages_pass_axe(  # noqa: PLR0917 -- pytest fixtures
    page: Page,
    live_server: object,
    organization: Branch,
    make_staff: Callable[..., Staff],
    write_csv: Callable[..., Path],
    prefix: str,
) -> None:
    case_reference_load()
    rows = [
        good_row(1),
        good_row(2, obligor_id="a123456789"),
        good_row(3, obligor_id="B195496569", transferred_on="2026-01-02", legacy_received_on="2026-01-05",
                 legacy_assigned_on="-"),
    ]  # fmt: skip
    cases_import(path=write_csv(rows), branch=organization, actor="clerk")
    reconcile_run(branch=organization, full=True)
    staff = make_staff(Role.SECRETARIAT_OFFICER, Role.SUBDIVISION_CLERK, username="cases1")
    url = live_server.url  # type: ignore[attr-defined]
    page.goto(f"{url}{prefix}/staff/sign-in/")
    page.fill("input[name=username]", staff.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}{prefix}/staff/")
    case = Case.objects.first()
    assert case is not None
    warning = CaseWarning.objects.first()
    assert warning is not None
    run = ImportRun.objects.get()
    for path in [
        "/staff/cases/",
        f"/staff/cases/?kind=case_number&q={case.case_number}",
        f"/staff/cases/{case.pk}/",
        "/staff/cases/intake/",
        f"/staff/cases/intake/{run.pk}/",
        "/staff/cases/counter/",
        "/staff/cases/registers/receipt/",
        "/staff/cases/registers/assignment/",
        "/staff/cases/warnings/",
        f"/staff/cases/warnings/{warning.pk}/",
    ]:
        page.goto(f"{url}{prefix}{path}")
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path
    # A phone-sized screen does not scroll sideways: wide tables scroll inside their region.
    page.goto(f"{url}{prefix}/staff/cases/registers/receipt/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
