"""Fixtures of the portal tests: a web editor, a helper that publishes a page, the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from civicdesk.organization.models import Branch, Staff, Unit
from civicdesk.organization.permissions import Role
from civicdesk.organization.services import staff_create
from civicdesk.portal import services
from civicdesk.portal.models import Page


@pytest.fixture
def quick_staff(organization: Branch) -> Callable[..., Staff]:
    """Staff with the given roles and no password (hashing one costs a third of a second)."""
    counter = iter(range(1, 100_000))

    def make(*roles: Role) -> Staff:
        return staff_create(
            username=f"portal{next(counter)}",
            password=None,
            full_name="網站編輯",
            branch=organization,
            unit=Unit.objects.get(branch=organization, code="SEC"),
            roles=set(roles),
        )

    return make


@pytest.fixture
def editor(quick_staff: Callable[..., Staff]) -> Staff:
    return quick_staff(Role.WEB_EDITOR)


@pytest.fixture
def portal_client(quick_staff: Callable[..., Staff]) -> Callable[..., Client]:
    def signed_in(*roles: Role) -> Client:
        client = Client()
        client.force_login(quick_staff(*roles))
        return client

    return signed_in


@pytest.fixture
def publish(editor: Staff) -> Callable[..., Page]:
    """Create and publish a page at once; content fields as keyword arguments."""
    counter = iter(range(1, 100_000))

    def make(slug: str | None = None, kind: str = "about", **content: Any) -> Page:
        content.setdefault("title_zh", "測試頁面")
        content.setdefault("body_zh", "測試內容")
        created = services.page_create(actor=editor, slug=slug or f"page-{next(counter)}", kind=kind, content=content)
        services.page_revision_publish(actor=editor, revision=created.revisions.get())
        created.refresh_from_db()
        return created

    return make
