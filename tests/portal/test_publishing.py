"""Draft → review → publish, revisions, scheduled publishing, permissions, events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from civicdesk.organization.permissions import Role
from civicdesk.portal import services
from civicdesk.portal.models import Page, PageEvent, RevisionState

pytestmark = pytest.mark.django_db

CONTENT = {
    "title_zh": "開放時間",
    "body_zh": "週一至週五 8:30–17:30。",
    "title_en": "Opening hours",
    "body_en": "Mon–Fri.",
}


def test_a_draft_is_not_public_until_published(client: Client, organization, editor) -> None:
    page = services.page_create(actor=editor, slug="opening-hours", kind="about", content=CONTENT)
    assert client.get("/info/opening-hours/").status_code == 404
    revision = page.revisions.get()
    services.page_revision_submit(actor=editor, revision=revision)
    services.page_revision_publish(actor=editor, revision=revision)
    response = client.get("/info/opening-hours/")
    assert response.status_code == 200
    assert "週一至週五" in response.content.decode()
    actions = list(PageEvent.objects.filter(page=page).order_by("at", "id").values_list("action", flat=True))
    assert actions == ["created", "submitted", "published"]


def test_editing_a_live_page_keeps_the_live_text_until_the_new_revision_is_published(
    client: Client, organization, editor, publish
) -> None:
    page = publish(slug="fees", **CONTENT)
    draft = services.page_draft_save(actor=editor, page=page, content={**CONTENT, "body_zh": "新的時間。"})
    assert draft.number == 2
    assert "週一至週五" in client.get("/info/fees/").content.decode()
    services.page_revision_publish(actor=editor, revision=draft)
    assert "新的時間" in client.get("/info/fees/").content.decode()
    states = dict(page.revisions.values_list("number", "state"))
    assert states == {1: RevisionState.SUPERSEDED, 2: RevisionState.PUBLISHED}


def test_an_editor_without_publish_permission_cannot_publish(quick_staff, editor) -> None:
    writer = quick_staff(Role.STATISTICS_OFFICER)  # may edit, may not publish
    page = services.page_create(actor=writer, slug="stats", kind="plan", content=CONTENT)
    revision = page.revisions.get()
    services.page_revision_submit(actor=writer, revision=revision)
    with pytest.raises(PermissionDenied):
        services.page_revision_publish(actor=writer, revision=revision)
    services.page_revision_reject(actor=editor, revision=revision, note="請補充英文摘要")
    revision.refresh_from_db()
    assert revision.state == RevisionState.REJECTED
    assert revision.review_note == "請補充英文摘要"


def test_staff_without_portal_roles_cannot_write(quick_staff) -> None:
    officer = quick_staff(Role.ENFORCEMENT_OFFICER)
    with pytest.raises(PermissionDenied):
        services.page_create(actor=officer, slug="x", kind="about", content=CONTENT)


def test_scheduled_publication(client: Client, organization, editor) -> None:
    page = services.page_create(actor=editor, slug="auction-notice", kind="news", content=CONTENT)
    revision = page.revisions.get()
    now = timezone.now()
    services.page_revision_publish(actor=editor, revision=revision, publish_at=now + timedelta(hours=2), now=now)
    revision.refresh_from_db()
    assert revision.state == RevisionState.SCHEDULED
    assert services.pages_publish_due(now=now + timedelta(hours=1)) == 0
    assert client.get("/info/auction-notice/").status_code == 404
    assert services.pages_publish_due(now=now + timedelta(hours=3)) == 1
    assert client.get("/info/auction-notice/").status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title_zh": ""}, "title_zh"),
        ({"body_en": "text", "title_en": ""}, "title_en"),
        ({"theme_code": "999"}, "theme_code"),
        ({"body_zh": "<p>HTML</p>"}, "body_zh"),
        ({"body_zh": "[click](javascript:alert(1))"}, "body_zh"),
    ],
)
def test_bad_content_is_refused_naming_the_field(editor, change: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        services.page_create(actor=editor, slug="bad", kind="about", content={**CONTENT, **change})
    assert field in error.value.message_dict
    assert not Page.objects.filter(slug="bad").exists()


def test_staff_workflow_through_the_pages(portal_client, organization) -> None:
    client = portal_client(Role.WEB_EDITOR)
    form = {"slug": "contact", "kind": "about", "sort_order": "10", "title_zh": "聯絡我們", "body_zh": "電話 04-1234"}
    response = client.post("/staff/portal/pages/new/", form)
    page = Page.objects.get(slug="contact")
    assert response.status_code == 302
    assert response.url == f"/staff/portal/pages/{page.pk}/"
    revision = page.revisions.get()
    assert client.get(f"/staff/portal/revisions/{revision.pk}/preview/").status_code == 200
    response = client.post(f"/staff/portal/revisions/{revision.pk}/publish/", {"publish_at": ""})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert client.get("/staff/portal/pages/").status_code == 200
    assert "聯絡我們" in client.get(f"/staff/portal/pages/{page.pk}/").content.decode()


def test_public_staff_pages_need_the_permission(portal_client, organization) -> None:
    client = portal_client(Role.ENFORCEMENT_OFFICER)
    for url in ("/staff/portal/pages/", "/staff/portal/parity/", "/staff/portal/links/", "/staff/portal/faq/"):
        assert client.get(url).status_code == 403, url
    assert Client().get("/staff/portal/pages/").status_code == 302


def test_staff_page_list_has_bounded_queries(portal_client, publish, editor, django_assert_max_num_queries) -> None:
    client = portal_client(Role.WEB_EDITOR)
    for number in range(20):
        page = publish(slug=f"p{number}")
        services.page_draft_save(actor=editor, page=page, content={**CONTENT, "body_zh": f"草稿{number}"})
    with django_assert_max_num_queries(8):
        html = client.get("/staff/portal/pages/").content.decode()
    assert html.count("Revision 2") + html.count("第 2 版") == 20
    with django_assert_max_num_queries(6):
        assert client.get("/staff/portal/parity/").status_code == 200


def test_staff_schedule_a_revision_from_the_page(portal_client, editor) -> None:
    client = portal_client(Role.WEB_EDITOR)
    page = services.page_create(actor=editor, slug="later", kind="news", content=CONTENT)
    revision = page.revisions.get()
    later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(f"/staff/portal/revisions/{revision.pk}/publish/", {"publish_at": later})
    revision.refresh_from_db()
    assert revision.state == RevisionState.SCHEDULED
    assert timezone.localtime(revision.publish_at).strftime("%Y-%m-%dT%H:%M") == later
    response = client.post(f"/staff/portal/revisions/{revision.pk}/publish/", {"publish_at": "next tuesday"})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]  # type: ignore[attr-defined]
    assert any("next tuesday" in m for m in messages)
