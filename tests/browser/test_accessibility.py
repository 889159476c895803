"""axe-core finds no WCAG 2.1 A/AA violation on the shell's pages, in both languages, on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import axe_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/staff/sign-in/", "/no-such-page/"]


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_pass_axe(page: Page, live_server, organization, prefix: str, path: str) -> None:
    page.goto(f"{live_server.url}{prefix}{path}")
    assert page.locator("html").get_attribute("lang") == ("en" if prefix else "zh-Hant")
    assert axe_violations(page) == []


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_staff_pages_pass_axe(page: Page, live_server, make_staff, prefix: str) -> None:
    from civicdesk.organization.permissions import Role

    make_staff(Role.ETHICS_OFFICER, unit="ETH", username="ethics1")
    page.goto(f"{live_server.url}{prefix}/staff/sign-in/")
    page.fill("input[name=username]", "ethics1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{prefix}/staff/")
    for path in [
        "/staff/",
        "/staff/organization/",
        "/staff/audit/ledgers/",
        "/staff/audit/access-log/",
        "/staff/two-step/",
    ]:
        page.goto(f"{live_server.url}{prefix}{path}")
        assert axe_violations(page) == [], path


def test_skip_link_is_first_and_focus_is_visible(page: Page, live_server, organization) -> None:
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_pages_work_without_javascript(browser, live_server, organization) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.click(".language-switch a")
    assert page.url == f"{live_server.url}/en/"
    assert page.locator("h1").inner_text() == "Administrative Enforcement Agency, Taichung Branch"
    # Nothing is wider than a phone screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
