"""Browser journeys of the plan (C.1): a unit head fills in and submits a quarterly self-assessment, a
member of the assessment group approves it; axe-core finds no WCAG 2.1 A/AA violation on the plan's
staff pages, in both languages, on a phone."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Role
from civicdesk.plan.models import Plan, SelfAssessment
from civicdesk.plan.services import escalation_raise, proposal_submit
from tests.browser.conftest import axe_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/staff/sign-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/staff/")


def test_unit_head_self_assessment_and_reviewer_approval(
    page: Page, live_server, plan: Plan, make_staff: Callable[..., Staff], log_activity: Callable
) -> None:  # type: ignore[no-untyped-def]
    make_staff(Role.UNIT_HEAD, unit="SEC", username="sechead")
    make_staff(Role.ASSESSMENT_GROUP_MEMBER, unit="ETH", username="reviewer")
    log_activity("park-cleaning", datetime.date(2015, 1, 8))
    log_activity("park-cleaning", datetime.date(2015, 1, 22))
    base = live_server.url
    sign_in(page, base, "sechead")
    page.click("text=按季自我考核")  # the staff home's entry, in Chinese
    page.click("button:has-text('104年第1季')")
    page.wait_for_selector("input[name^=score-]")
    assert axe_violations(page) == []
    assert "1 / 3" in page.inner_text("main")  # computed figures are pre-filled (A1.5: January met)
    scores = page.locator("input[name^=score-]")
    for index in range(scores.count()):
        scores.nth(index).fill("88")
    page.fill("textarea[name^=comment-] >> nth=0", "依計畫執行")
    page.click("button[value=submit]")
    page.wait_for_selector(".message-success")
    assert page.inner_text("#assessment-status") == "送審中"
    assert axe_violations(page) == []

    sign_in(page, base, "reviewer")
    page.goto(f"{base}/staff/plan/assessments/review/")
    assert axe_violations(page) == []
    page.click("main table a >> nth=0")
    page.click("button[value=approve]")
    page.wait_for_selector(".message-success")
    assert page.inner_text("#assessment-status") == "已核定"
    assert page.locator("input[name^=score-]").count() == 0
    assert SelfAssessment.objects.get().status == SelfAssessment.Status.APPROVED


def test_plan_staff_pages_pass_axe(
    page: Page, live_server, plan: Plan, make_staff: Callable[..., Staff], log_activity: Callable
) -> None:  # type: ignore[no-untyped-def]
    member = make_staff(Role.ASSESSMENT_GROUP_MEMBER, unit="SEC", username="member")
    officer = make_staff(Role.SECRETARIAT_OFFICER, unit="SEC", username="secofficer")
    activity = log_activity("planting", datetime.date(2015, 3, 1), quantity=50)
    proposal = proposal_submit(actor=officer, kind="innovation", title="午間預約", description="預約洽公")
    escalation = escalation_raise(actor=officer, subject="人力不足", description="需要支援")
    del member
    base = live_server.url
    sign_in(page, base, "secofficer")
    paths = [
        "/staff/plan/?year=104",
        "/staff/plan/?year=104&period=104-Q1&area=A1",
        "/staff/plan/measures/A1.6/?year=104",
        f"/staff/plan/targets/{plan.measures.get(code='A1.6').targets.get().pk}/records/?period=104",
        "/staff/plan/activities/",
        "/staff/plan/activities/new/",
        f"/staff/plan/activities/{activity.pk}/",
        "/staff/plan/proposals/",
        f"/staff/plan/proposals/{proposal.pk}/",
        "/staff/plan/proposals/new/",
        "/staff/plan/plans/",
        f"/staff/plan/plans/{plan.pk}/",
        "/staff/plan/group/",
        f"/staff/plan/escalations/{escalation.pk}/",
        "/staff/plan/escalations/new/",
        "/staff/plan/reports/",
        f"/staff/plan/plans/{plan.pk}/measures/A1.6/edit/",
    ]
    # Every page type in Chinese (the default language); in English the pages whose layout differs most.
    english = {paths[0], paths[2], paths[3], paths[5], paths[12]}
    for path in paths:
        for prefix in ["", "/en"] if path in english else [""]:
            page.goto(f"{base}{prefix}{path}")
            assert page.locator("html").get_attribute("lang") == ("en" if prefix else "zh-Hant")
            assert page.locator("h1").count() == 1, path
            assert axe_violations(page) == [], f"{prefix}{path}"
    sign_in(page, base, "member")
    for path in ["/staff/plan/group/meetings/new/", "/en/staff/plan/assessments/review/"]:
        page.goto(f"{base}{path}")
        assert axe_violations(page) == [], path
