"""Shared fixtures: the organisation as shipped, and staff with given roles."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import Browser, Page, sync_playwright

from civicdesk.organization.models import Branch, Staff, Unit
from civicdesk.organization.permissions import Role
from civicdesk.organization.services import organization_load, staff_create
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

PASSWORD = "correct-horse-battery-104"


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the default language: a request to /en/ leaves English active in the
    test thread, and reverse() would then build English URLs for the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def organization(db: None) -> Branch:
    organization_load()
    return Branch.objects.get(code="TCH")


@pytest.fixture
def make_staff(organization: Branch) -> Callable[..., Staff]:
    counter = iter(range(1, 10_000))

    def make(*roles: Role, branch: str = "TCH", unit: str | None = "SEC", username: str | None = None) -> Staff:
        branch_obj = Branch.objects.get(code=branch)
        unit_obj = Unit.objects.get(branch=branch_obj, code=unit) if unit else None
        return staff_create(
            username=username or f"staff{next(counter)}",
            password=PASSWORD,
            full_name="測試人員",
            branch=branch_obj,
            unit=unit_obj,
            roles=set(roles),
        )

    return make


@pytest.fixture
def staff_client(make_staff: Callable[..., Staff]) -> Callable[..., Client]:
    """A client signed in as a new staff member holding `roles`."""

    def signed_in(*roles: Role, **kwargs: str) -> Client:
        staff = make_staff(*roles, **kwargs)
        client = Client()
        client.force_login(staff)
        return client

    return signed_in


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium for one test module, closed when the module ends.

    Module scope on purpose: Playwright's sync API runs an event loop in this thread, so only one
    may be open at a time, and Django's async-safety guard is lifted only while it is.
    """
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: run `make system-deps`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A phone-sized page with JavaScript on."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=True)
    new_page = context.new_page()
    yield new_page
    context.close()
