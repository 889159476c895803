"""The bilingual shell: languages, language switch, health check, API root, error pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_traditional_chinese_by_default(client: Client, organization) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-Hant">' in html
    assert "法務部行政執行署臺中分署" in html
    assert 'href="#main"' in html
    assert 'id="main"' in html


def test_english_home(client: Client, organization) -> None:
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Taichung Branch" in html
    assert "Skip to main content" in html


def test_language_switch_keeps_the_page(client: Client, organization) -> None:
    html = client.get("/staff/sign-in/").content.decode()
    switch = re.search(r'class="language-switch"><a href="([^"]+)"', html)
    assert switch is not None
    assert switch.group(1) == "/en/staff/sign-in/"
    html = client.get("/en/staff/sign-in/").content.decode()
    switch = re.search(r'class="language-switch"><a href="([^"]+)"', html)
    assert switch is not None
    assert switch.group(1) == "/staff/sign-in/"


def test_healthz_checks_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_api_serves_its_openapi_document(client: Client, organization) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "Civic Desk API"
    assert "/api/v1/branches" in spec["paths"]
    branches = client.get("/api/v1/branches").json()
    assert len(branches) == 13


@pytest.mark.parametrize(
    ("path", "lang", "text"), [("/nowhere/", "zh-Hant", "找不到"), ("/en/nowhere/", "en", "Page not found")]
)
def test_not_found_page_in_both_languages(client: Client, organization, path: str, lang: str, text: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert text in html


def test_server_error_page_is_bilingual_and_standalone(client: Client) -> None:
    from civicdesk.shell.views import server_error

    response = server_error(client.get("/").wsgi_request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "系統暫時無法服務" in html
    assert "Service temporarily unavailable" in html


def test_staff_home_lists_modules_the_roles_allow(staff_client) -> None:
    from civicdesk.organization.permissions import Role

    html = staff_client(Role.ETHICS_OFFICER, unit="ETH").get(reverse("shell:staff-home")).content.decode()
    assert reverse("audit:access-log") in html
    html = staff_client(Role.WEB_EDITOR, unit="WEB").get(reverse("shell:staff-home")).content.decode()
    assert reverse("audit:access-log") not in html
