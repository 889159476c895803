"""The public home page (/) shows the welcome text, highlights and latest news that editors publish."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from civicdesk.organization.models import Staff
from civicdesk.portal import services
from civicdesk.portal.models import Page

pytestmark = pytest.mark.django_db

BUILT_IN_WELCOME = "fairly and with care"
HOME = {
    "title_zh": "常用服務",
    "summary_zh": "歡迎來到臺中分署網站。",
    "body_zh": "- [申請分期繳納](/info/instalments/)",
    "title_en": "Popular services",
    "summary_en": "Welcome to the Taichung Branch website.",
    "body_en": "- [Paying in instalments](/en/info/instalments/)",
}


def test_home_shows_published_content_in_both_languages(
    client: Client, organization, publish: Callable[..., Page]
) -> None:
    assert BUILT_IN_WELCOME in client.get("/en/").content.decode()  # nothing published yet
    publish(slug="home", kind="home", **HOME)
    html = client.get("/").content.decode()
    assert "歡迎來到臺中分署網站。" in html
    assert '<a href="/info/instalments/">申請分期繳納</a>' in html
    assert "法務部行政執行署臺中分署" in html  # the shell's heading stays
    english = client.get("/en/").content.decode()
    assert "Welcome to the Taichung Branch website." in english
    assert '<a href="/en/info/instalments/">Paying in instalments</a>' in english
    assert BUILT_IN_WELCOME not in english


def test_drafts_do_not_reach_the_home_page_until_published(client: Client, organization, editor: Staff) -> None:
    page = services.page_create(actor=editor, slug="home", kind="home", content=HOME)
    assert "歡迎來到" not in client.get("/").content.decode()
    revision = page.revisions.get()
    services.page_revision_submit(actor=editor, revision=revision)
    assert "歡迎來到" not in client.get("/").content.decode()
    services.page_revision_publish(actor=editor, revision=revision)
    assert "歡迎來到" in client.get("/").content.decode()
    page.refresh_from_db()
    services.page_draft_save(actor=editor, page=page, content={**HOME, "summary_zh": "新的歡迎詞。"})
    html = client.get("/").content.decode()
    assert "歡迎來到" in html
    assert "新的歡迎詞" not in html


def test_home_page_without_english_shows_chinese_marked_as_chinese(
    client: Client, organization, publish: Callable[..., Page]
) -> None:
    publish(slug="home", kind="home", title_zh="常用服務", summary_zh="歡迎來到臺中分署網站。", body_zh="- 分期")
    html = client.get("/en/").content.decode()
    assert 'lang="zh-Hant"' in html
    assert "歡迎來到臺中分署網站。" in html
    assert "not yet available in English" in html


def test_home_lists_the_latest_news(client: Client, organization, publish: Callable[..., Page]) -> None:
    publish(kind="news", title_zh="颱風停班公告", body_zh="停止上班。", title_en="Typhoon closure", body_en="Closed.")
    publish(kind="news", title_zh="車輛拍賣公告", body_zh="拍賣。")
    html = client.get("/").content.decode()
    assert "颱風停班公告" in html
    assert "車輛拍賣公告" in html
    english = client.get("/en/").content.decode()
    assert "Typhoon closure" in english
    assert '<a href="/en/info/page-2/" lang="zh-Hant">車輛拍賣公告</a>' in english


def test_the_home_content_has_no_page_of_its_own_and_is_not_a_search_hit(
    client: Client, organization, publish: Callable[..., Page]
) -> None:
    publish(slug="home", kind="home", **HOME)
    response = client.get("/info/home/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "歡迎來到" not in client.get("/search/", {"q": "歡迎"}).content.decode()
    assert "常用服務" not in client.get("/info/").content.decode()


def test_only_the_home_address_is_the_home_page(editor: Staff) -> None:
    with pytest.raises(ValidationError):
        services.page_create(actor=editor, slug="welcome", kind="home", content=HOME)
    with pytest.raises(ValidationError):
        services.page_create(actor=editor, slug="home", kind="about", content=HOME)
