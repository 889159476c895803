"""axe-core finds no WCAG 2.1 A/AA violation on every public page type of the website, and on the
editors' pages, in both languages, on a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page as BrowserPage

from civicdesk.organization.models import Staff
from civicdesk.portal import services
from civicdesk.portal.models import Page
from tests.browser.conftest import axe_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(editor: Staff, publish: Callable[..., Page], settings, tmp_path) -> dict[str, int]:
    settings.MEDIA_ROOT = tmp_path
    page = publish(
        slug="instalments",
        kind="service",
        title_zh="分期繳納",
        summary_zh="一次繳清有困難時，可申請分期。",
        body_zh="## 應備文件\n\n- 申請書\n- 身分證明\n\n1. 填寫申請書\n2. 臨櫃送件\n\n詳見 [常見問答](/faq/)。",
        title_en="Instalments",
        summary_en="If you cannot pay at once, apply for instalments.",
        body_en="## What to bring\n\n- The form\n- Proof of identity\n\nSee the [FAQ](/en/faq/).",
        theme_code="310",
        cake_code="C13",
        service_code="800",
    )
    publish(slug="typhoon", kind="news", title_zh="颱風停班公告", body_zh="今日停止上班。", theme_code="140")
    publish(
        slug="home",
        kind="home",
        title_zh="常用服務",
        summary_zh="歡迎來到臺中分署網站。",
        body_zh="- [申請分期繳納](/info/instalments/)\n- [常見問答](/faq/)",
        title_en="Popular services",
        summary_en="Welcome to the Taichung Branch website.",
        body_en="- [Paying in instalments](/en/info/instalments/)\n- [FAQ](/en/faq/)",
    )
    upload = SimpleUploadedFile("budget.csv", "科目,金額\n人事費,100\n".encode(), content_type="text/csv")
    document = services.document_create(
        actor=editor,
        upload=upload,
        title_zh="115年度預算",
        title_en="2026 budget",
        category="budget",
        year=2026,
        theme_code="130",
        page=page,
    )
    services.document_set_live(actor=editor, document=document, live=True)
    category = services.faq_category_ensure(slug="payment", name_zh="繳款", name_en="Paying")
    faq = services.faq_save(
        actor=editor,
        category=category,
        question_zh="可以分期嗎？",
        answer_zh="可以，請填申請書。",
        question_en="Can I pay in instalments?",
        answer_en="Yes, fill in the form.",
        service_code="800",
        related_pages=[page],
    )
    services.faq_set_live(actor=editor, faq=faq, live=True)
    return {"document": document.pk, "faq": faq.pk}


def _public_paths(site: dict[str, int]) -> list[str]:
    return [
        "/",  # the home page with the editors' welcome, highlights and latest news
        "/info/",
        "/info/instalments/",
        "/info/typhoon/",
        "/news/",
        "/publications/",
        f"/publications/{site['document']}/",
        "/faq/",
        f"/faq/{site['faq']}/",
        "/search/?q=分期",
        "/search/?q=沒有這個詞",
        "/browse/theme/?code=300",
        "/browse/service/",
    ]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_page_types_pass_axe(page: BrowserPage, live_server, site: dict[str, int], prefix: str) -> None:
    for path in _public_paths(site):
        page.goto(f"{live_server.url}{prefix}{path}")
        assert page.locator("html").get_attribute("lang") == ("en" if prefix else "zh-Hant"), path
        assert axe_violations(page) == [], path


def test_helpful_vote_works_without_javascript(browser, live_server, site: dict[str, int]) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/en/faq/{site['faq']}/")
    page.click("button[value=yes]")
    assert "Thank you for your feedback." in page.content()
    context.close()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_editor_pages_pass_axe(page: BrowserPage, live_server, make_staff, site: dict[str, int], prefix: str) -> None:
    from civicdesk.organization.permissions import Role

    make_staff(Role.WEB_EDITOR, unit="WEB", username="web1")
    page.goto(f"{live_server.url}{prefix}/staff/sign-in/")
    page.fill("input[name=username]", "web1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{prefix}/staff/")
    instalments = Page.objects.get(slug="instalments")
    for path in [
        "/staff/portal/pages/",
        f"/staff/portal/pages/{instalments.pk}/",
        f"/staff/portal/pages/{instalments.pk}/edit/",
        "/staff/portal/documents/",
        "/staff/portal/faq/",
        f"/staff/portal/faq/{site['faq']}/",
        "/staff/portal/parity/",
        "/staff/portal/links/",
    ]:
        page.goto(f"{live_server.url}{prefix}{path}")
        assert axe_violations(page) == [], path
