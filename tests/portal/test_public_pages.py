"""Public pages in both languages: metadata tags, Chinese-only pages on the English site, lists,
documents, FAQ with helpful counts, browse pages, feeds, sitemap and robots."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from civicdesk.portal import services
from civicdesk.portal.metadata import DC_ELEMENTS
from civicdesk.portal.models import Faq, Page

pytestmark = pytest.mark.django_db


def _meta(html: str) -> dict[str, str]:
    return dict(re.findall(r'<meta name="([^"]+)" content="([^"]*)">', html))


def test_page_carries_dublin_core_and_classification_meta_tags(client: Client, organization, publish) -> None:
    publish(
        slug="instalments",
        kind="service",
        title_zh="分期繳納",
        summary_zh="欠款可申請分期。",
        body_zh="## 申請方式\n\n- 臨櫃申請\n- 郵寄申請",
        title_en="Paying in instalments",
        body_en="Apply at the counter.",
        theme_code="310",
        cake_code="C13",
        service_code="800",
    )
    html = client.get("/info/instalments/").content.decode()
    meta = _meta(html)
    for element in DC_ELEMENTS:
        assert meta.get(f"DC.{element}"), element
    assert meta["DC.Title"] == "分期繳納"
    assert meta["DC.Language"] == "zh-Hant"
    assert meta["Category.Theme"] == "310"
    assert meta["Category.Cake"] == "C13"
    assert meta["Category.Service"] == "800"
    assert "<h2>申請方式</h2>" in html
    assert "<li>臨櫃申請</li>" in html
    english = _meta(client.get("/en/info/instalments/").content.decode())
    assert english["DC.Title"] == "Paying in instalments"
    assert english["DC.Language"] == "en"


def test_english_site_shows_a_chinese_only_page_with_a_notice(client: Client, organization, publish) -> None:
    publish(slug="chinese-only", title_zh="只有中文", body_zh="內容")
    response = client.get("/en/info/chinese-only/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "not yet available in English" in html
    assert '<article lang="zh-Hant">' in html


def test_editor_text_cannot_inject_html(client: Client, organization, publish) -> None:
    publish(slug="escaped", title_zh="標題", body_zh="a < b & [官網](https://www.gov.tw)")
    html = client.get("/info/escaped/").content.decode()
    assert "a &lt; b &amp;" in html
    assert '<a href="https://www.gov.tw">官網</a>' in html


def test_info_index_and_news_list(client: Client, organization, publish, django_assert_max_num_queries) -> None:
    publish(slug="about", kind="about", title_zh="機關簡介", title_en="About us", body_en="We collect.")
    for number in range(25):
        publish(slug=f"news-{number}", kind="news", title_zh=f"公告{number}")
    html = client.get("/info/").content.decode()
    assert "機關簡介" in html
    assert "公告0" not in html  # news have their own list
    with django_assert_max_num_queries(6):
        html = client.get("/news/").content.decode()
    assert "公告24" in html  # newest first
    assert "Page 1 of 2" in client.get("/en/news/").content.decode()


def test_rss_and_atom_feeds(client: Client, organization, publish) -> None:
    publish(
        slug="holiday",
        kind="news",
        title_zh="春節服務",
        body_zh="春節期間暫停服務",
        title_en="New Year",
        body_en="Closed.",
    )
    publish(slug="zh-news", kind="news", title_zh="僅中文公告", body_zh="內容")
    rss = client.get("/news/feed.rss")
    assert rss.status_code == 200
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert "春節服務" in rss.content.decode()
    atom = client.get("/en/news/feed.atom").content.decode()
    assert "<feed" in atom
    assert "New Year" in atom
    assert "僅中文公告" not in atom


def test_documents_have_pages_with_metadata_and_downloads(
    client: Client, organization, editor, tmp_path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("budget-2026.csv", "科目,金額\n人事費,1000\n".encode(), content_type="text/csv")
    document = services.document_create(
        actor=editor, upload=upload, title_zh="115年度預算", category="budget", year=2026, theme_code="130"
    )
    assert document.text.startswith("科目")
    assert client.get(f"/publications/{document.pk}/").status_code == 404
    services.document_set_live(actor=editor, document=document, live=True)
    html = client.get(f"/publications/{document.pk}/").content.decode()
    assert _meta(html)["DC.Format"] == "text/csv"
    assert _meta(html)["Category.Theme"] == "130"
    download = client.get(f"/publications/{document.pk}/download/")
    assert b"".join(download.streaming_content).startswith("科目".encode())  # type: ignore[attr-defined]
    listing = client.get("/publications/", {"year": "2026"}).content.decode()
    assert "115年度預算" in listing
    from civicdesk.portal.search import search

    assert search(query="人事", language="zh-hant").total == 1


def test_document_upload_refuses_unknown_types(editor) -> None:
    from django.core.exceptions import ValidationError

    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as error:
        services.document_create(actor=editor, upload=upload, title_zh="x", category="other", year=2026)
    assert "run.exe" in str(error.value.message_dict["file"])


@pytest.fixture
def faq(editor, publish: Callable[..., Page]) -> Faq:
    category = services.faq_category_ensure(slug="payment", name_zh="繳款", name_en="Paying")
    page = publish(slug="ways-to-pay", title_zh="繳款方式", body_zh="超商", title_en="Ways to pay", body_en="Stores")
    item = services.faq_save(
        actor=editor,
        category=category,
        question_zh="可以在超商繳款嗎？",
        answer_zh="可以，持繳款單至四大超商繳納。",
        question_en="Can I pay at a convenience store?",
        answer_en="Yes, with the payment slip.",
        service_code="I00",
        related_pages=[page],
    )
    return services.faq_set_live(actor=editor, faq=item, live=True)


def test_faq_views_and_helpful_votes_once_per_visitor(client: Client, organization, faq: Faq) -> None:
    html = client.get("/faq/").content.decode()
    assert "可以在超商繳款嗎？" in html
    html = client.get(f"/en/faq/{faq.pk}/").content.decode()
    assert "Can I pay at a convenience store?" in html
    assert "Ways to pay" in html
    client.post(f"/faq/{faq.pk}/helpful/", {"helpful": "no"})
    client.post(f"/faq/{faq.pk}/helpful/", {"helpful": "no"})  # counted once per visitor
    Client().post(f"/faq/{faq.pk}/helpful/", {"helpful": "yes"})
    faq.refresh_from_db()
    assert (faq.view_count, faq.helpful_yes, faq.helpful_no) == (1, 1, 1)
    assert "Thank you" in client.get(f"/en/faq/{faq.pk}/").content.decode()


def test_staff_see_unhelpful_answers_and_unanswered_searches(portal_client, organization, faq: Faq) -> None:
    from civicdesk.organization.permissions import Role

    Client().post(f"/faq/{faq.pk}/helpful/", {"helpful": "no"})
    Client().get("/search/", {"q": "退費申請"})
    html = portal_client(Role.WEB_EDITOR).get("/staff/portal/faq/").content.decode()
    unhelpful = html.split("Searches that found nothing")[0] if "Searches" in html else html
    assert "可以在超商繳款嗎？" in unhelpful
    assert "退費申請" in html


@pytest.mark.parametrize("scheme", ["theme", "administration", "service"])
def test_three_classification_browse_pages(client: Client, organization, publish, scheme: str) -> None:
    publish(slug="auction", title_zh="拍賣公告", theme_code="320", cake_code="C12", service_code="I00")
    code = {"theme": "300", "administration": "C10", "service": "I00"}[scheme]
    response = client.get(f"/browse/{scheme}/", {"code": code})
    assert response.status_code == 200
    assert "拍賣公告" in response.content.decode()
    assert client.get(f"/en/browse/{scheme}/").status_code == 200
    assert client.get(f"/browse/{scheme}/", {"code": "nope"}).status_code == 404


def test_sitemap_lists_both_languages_only_where_english_exists(client: Client, organization, publish) -> None:
    publish(slug="both", title_zh="雙語", title_en="Both", body_en="Text")
    publish(slug="zh-only", title_zh="中文")
    xml = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/info/both/" in xml
    assert "http://testserver/en/info/both/" in xml
    assert "http://testserver/info/zh-only/" in xml
    assert "http://testserver/en/info/zh-only/" not in xml


def test_robots_txt(client: Client) -> None:
    assert "Disallow: /" in client.get("/robots.txt").content.decode()
    with override_settings(PRODUCTION=True):
        text = client.get("/robots.txt").content.decode()
    assert "Disallow: /staff/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /\n" not in text


def test_unknown_page_is_a_bilingual_404(client: Client, organization) -> None:
    assert client.get("/info/missing/").status_code == 404
    response = client.get("/en/info/missing/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_faq_and_document_lists_have_bounded_queries(
    client: Client, editor, settings, tmp_path, django_assert_max_num_queries
) -> None:
    settings.MEDIA_ROOT = tmp_path
    categories = [
        services.faq_category_ensure(slug=f"c{n}", name_zh=f"類別{n}", name_en=f"Category {n}") for n in range(3)
    ]
    for number in range(30):
        item = services.faq_save(
            actor=editor, category=categories[number % 3], question_zh=f"問題{number}？", answer_zh="回答。"
        )
        services.faq_set_live(actor=editor, faq=item, live=True)
        upload = SimpleUploadedFile(f"d{number}.txt", b"text", content_type="text/plain")
        document = services.document_create(
            actor=editor, upload=upload, title_zh=f"文件{number}", category="report", year=2020 + number % 5
        )
        services.document_set_live(actor=editor, document=document, live=True)
    with django_assert_max_num_queries(4):
        html = client.get("/en/faq/").content.decode()
    assert html.count("/en/faq/") >= 30
    with django_assert_max_num_queries(6):
        html = client.get("/publications/").content.decode()
    assert "文件4" in html  # the newest year first
