"""Bilingual parity report (command and staff page) and the link checker with a local web server."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from civicdesk.organization.permissions import Role
from civicdesk.portal import services
from civicdesk.portal.models import Page
from civicdesk.portal.selectors import parity_report

pytestmark = pytest.mark.django_db


def test_parity_report_lists_missing_and_stale_english(editor, publish: Callable[..., Page]) -> None:
    in_step = publish(slug="in-step", title_zh="一致", body_zh="內容", title_en="In step", body_en="Text")
    missing = publish(slug="missing", title_zh="沒有英文", body_zh="內容")
    stale = publish(slug="stale", title_zh="舊英文", body_zh="內容", title_en="Old", body_en="Text")
    later = timezone.now() + timedelta(minutes=5)
    revision = services.page_draft_save(
        actor=editor,
        page=stale,
        content={"title_zh": "舊英文", "body_zh": "中文已更新", "title_en": "Old", "body_en": "Text"},
    )
    services.page_revision_publish(actor=editor, revision=revision, now=later)
    rows = {row.page.slug: row.problem for row in parity_report()}
    assert rows == {"missing": "missing", "stale": "stale"}
    assert in_step.slug not in rows
    out = StringIO()
    call_command("parity_report", stdout=out)
    text = out.getvalue()
    assert "stale\tEnglish older than Chinese" in text
    assert "missing\tno English version" in text
    assert "2 pages need English work" in text
    # Updating the English too puts the page back in step.
    revision = services.page_draft_save(
        actor=editor,
        page=stale,
        content={"title_zh": "舊英文", "body_zh": "中文已更新", "title_en": "Old", "body_en": "Updated text"},
    )
    services.page_revision_publish(actor=editor, revision=revision, now=later + timedelta(minutes=1))
    assert {row.page.slug for row in parity_report()} == {missing.slug}


def test_parity_staff_page(portal_client, publish: Callable[..., Page]) -> None:
    publish(slug="missing", title_zh="沒有英文的頁面", body_zh="內容")
    html = portal_client(Role.WEB_EDITOR).get("/en/staff/portal/parity/").content.decode()
    assert "沒有英文的頁面" in html
    assert "No English version" in html


class _Handler(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def web_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_check_links_finds_broken_internal_and_external_links(
    portal_client, publish: Callable[..., Page], web_server: str
) -> None:
    publish(slug="target", title_zh="目標")
    publish(
        slug="source",
        title_zh="來源",
        body_zh=(
            f"[好的](/info/target/) [沒有](/info/nowhere/) [外部好]({web_server}/ok) [外部壞]({web_server}/gone)"
            " [不存在的路徑](/no/such/path/)"
        ),
    )
    out = StringIO()
    call_command("check_links", stdout=out)
    text = out.getvalue()
    assert "external links not requested" in text
    assert "/info/nowhere/ — the page is not published" in text
    assert "/no/such/path/ — no page at this address" in text
    assert "/info/target/" not in text
    assert "gone" not in text
    out = StringIO()
    call_command("check_links", "--external", "--timeout", "5", stdout=out)
    text = out.getvalue()
    assert f"{web_server}/gone — HTTP 404" in text
    assert f"{web_server}/ok" not in text
    assert ": 3 broken" in text
    html = portal_client(Role.WEB_EDITOR).get("/en/staff/portal/links/").content.decode()
    assert f"{web_server}/gone" in html
    assert "External links were requested too." in html


def test_check_links_reports_a_missing_document_file(editor, settings, tmp_path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("plan.txt", "計畫".encode(), content_type="text/plain")
    document = services.document_create(actor=editor, upload=upload, title_zh="計畫", category="plan", year=2026)
    services.document_set_live(actor=editor, document=document, live=True)
    (tmp_path / document.file.name).unlink()
    out = StringIO()
    call_command("check_links", stdout=out)
    assert "the document's file is missing" in out.getvalue()


def test_link_report_without_a_run_says_so(portal_client) -> None:
    html = Client()  # anonymous visitors are sent to sign in
    assert html.get("/staff/portal/links/").status_code == 302
    text = portal_client(Role.WEB_EDITOR).get("/en/staff/portal/links/").content.decode()
    assert "No link check has run yet" in text
