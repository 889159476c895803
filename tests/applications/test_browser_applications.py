"""The citizen journey of issue 4 in headless Chromium, and axe-core on the app's pages in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Page

from civicdesk.applications.catalogue import catalogue_load
from civicdesk.applications.models import Application, Status
from civicdesk.notifications.models import Notification
from civicdesk.organization.permissions import Role
from tests.applications.conftest import PDF
from tests.browser.conftest import axe_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code() -> str:
    match = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert match is not None
    return match.group(1)


def _check(page: Page, where: str) -> None:
    assert axe_violations(page) == [], where


def _sign_in_citizen(page: Page, base: str, email: str, next_path: str, prefix: str = "") -> None:
    page.goto(f"{base}{prefix}/citizen/sign-in/?next={prefix}{next_path}")
    page.check("input[value=email]")
    page.fill("input[name=contact]", email)
    page.fill("input[name=id_number]", "a123456789")  # typed in lower case: upper-cased for the citizen
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/citizen/sign-in/code/.*"))
    page.fill("input[name=code]", _code())
    page.click("main button[type=submit]")


def test_citizen_journey_with_correction(page: Page, live_server, make_staff, tmp_path: Path) -> None:
    catalogue_load()
    officer = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01", username="officer1")
    base = live_server.url
    # 1. Sign in with a one-time code, then apply for instalments with a document.
    _sign_in_citizen(page, base, "wang@example.tw", "/services/instalment/apply/")
    page.wait_for_url(f"{base}/services/instalment/apply/")
    page.fill("input[name=applicant_name]", "王小明")
    page.fill("input[name=detail_case_number]", "110年公寓罰執專字第00319363號")
    page.fill("input[name=detail_amount_owed]", "150000")
    page.fill("input[name=detail_instalments]", "6")
    page.fill("textarea[name=detail_reason]", "失業中")
    page.check("input[name=verification][value=paper]")
    document = tmp_path / "pay-slip.pdf"
    document.write_bytes(PDF)
    page.set_input_files("input[name=documents]", str(document))
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/applications/FQ-[^/]+/$"))
    application = Application.objects.get()
    assert application.reference in page.inner_text("main")
    assert application.documents.count() == 1
    # 2. The receipt message is in the outbox.
    receipt = Notification.objects.get(topic="applications.receipt")
    assert receipt.recipient == "wang@example.tw"
    assert application.reference in receipt.body
    # 3. The public progress query (another browser: no session) shows the masked timeline.
    anonymous = page.context.browser.new_context(java_script_enabled=False)  # type: ignore[union-attr]
    public = anonymous.new_page()
    public.goto(f"{base}/track/")
    public.fill("input[name=reference]", application.reference.lower().replace("-", ""))
    public.fill("input[name=id_last4]", "6789")
    public.click("main button[type=submit]")
    text = public.inner_text("main")
    assert "王○明" in text
    assert "A12345****" in text
    assert "王小明" not in text
    assert "已收件" in text
    # 4. Staff request a correction: the clock pauses.
    staff = page.context.browser.new_context()  # type: ignore[union-attr]
    staff_page = staff.new_page()
    staff_page.goto(f"{base}/staff/sign-in/")
    staff_page.fill("input[name=username]", officer.username)
    staff_page.fill("input[name=password]", PASSWORD)
    staff_page.click("main button[type=submit]")
    staff_page.wait_for_url(f"{base}/staff/")
    staff_page.goto(f"{base}/staff/applications/{application.reference}/")
    staff_page.fill("#h-correction ~ form textarea[name=citizen_note]", "請補附最近3個月薪資單")
    staff_page.click("#h-correction ~ form button[type=submit]")
    staff_page.wait_for_url(f"{base}/staff/applications/{application.reference}/")
    application.refresh_from_db()
    assert application.status == Status.CORRECTION
    assert application.working_days_left is not None
    assert "暫停計時" in staff_page.inner_text("main")
    assert Notification.objects.filter(topic="applications.correction").exists()
    # 5. The citizen corrects; the clock resumes.
    page.goto(f"{base}/applications/{application.reference}/correction/")
    page.fill("textarea[name=note]", "附上薪資單")
    page.set_input_files("input[name=documents]", str(document))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/applications/{application.reference}/")
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS
    assert application.clock_paused_on is None
    assert application.documents.count() == 2
    staff_page.goto(f"{base}/staff/applications/{application.reference}/")
    assert "剩餘" in staff_page.inner_text("main")
    anonymous.close()
    staff.close()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_pages_pass_axe(page: Page, live_server, make_application, prefix: str) -> None:
    application = make_application()
    base = live_server.url + prefix
    for path in ["/services/", "/services/instalment/", "/services/case-status/", "/track/", "/citizen/sign-in/"]:
        page.goto(base + path)
        _check(page, path)
    # A failed query shows the error summary.
    page.goto(base + "/track/")
    page.fill("input[name=reference]", application.reference)
    page.fill("input[name=id_last4]", "0000")
    with page.expect_navigation():  # the answer is on the same URL: wait for it, not for the URL
        page.click("main button[type=submit]")
    _check(page, "track: not found")
    page.fill("input[name=reference]", application.reference)
    page.fill("input[name=id_last4]", "6789")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "A12345****" in page.inner_text("main")
    _check(page, "track: timeline")
    # Signed-in pages: code page, application form, receipt, my applications.
    _sign_in_citizen(page, live_server.url, "wang@example.tw", "/citizen/applications/", prefix)
    page.wait_for_url(f"{base}/citizen/applications/")
    _check(page, "my applications")
    page.goto(f"{base}/services/instalment/apply/")
    _check(page, "apply")
    with page.expect_navigation():  # empty form: errors shown on the same URL
        page.click("main button[type=submit]")
    _check(page, "apply with errors")
    page.goto(f"{base}/services/clearance-certificate/apply/")  # a form with radio choices
    _check(page, "apply: clearance certificate")
    page.goto(f"{base}/applications/{application.reference}/")
    _check(page, "receipt")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_staff_pages_pass_axe(page: Page, live_server, make_application, make_staff, prefix: str) -> None:
    application = make_application()
    make_staff(Role.SECRETARIAT_OFFICER, username="clerk1")
    base = live_server.url + prefix
    page.goto(f"{base}/staff/sign-in/")
    page.fill("input[name=username]", "clerk1")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    for path in [
        "/staff/applications/",
        f"/staff/applications/{application.reference}/",
        "/staff/applications/counter/",
        "/staff/applications/counter/instalment/",
        "/staff/applications/catalogue/",
        "/staff/applications/catalogue/instalment/",
    ]:
        page.goto(base + path)
        _check(page, path)
