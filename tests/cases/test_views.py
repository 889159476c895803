"""Staff pages and JSON API of the cases app: permissions, access logging, query counts. A2.5."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from civicdesk.audit.models import AccessLogEntry
from civicdesk.cases.importing import cases_import
from civicdesk.cases.models import Case, CaseWarning, ImportRun, WarningEvent
from civicdesk.cases.reconcile import reconcile_run
from civicdesk.core.identifiers import make_national_id
from civicdesk.organization.models import Branch, Staff
from civicdesk.organization.permissions import Role
from tests.cases.conftest import good_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_cases(branch: Branch, write_csv: Callable[..., Path]) -> list[Case]:
    rng = random.Random(11)
    rows = [good_row(i, obligor_id=make_national_id(rng)) for i in range(30)]
    rows.append(
        good_row(
            99,
            obligor_id="A123456789",
            transferred_on="2026-01-02",
            legacy_received_on="2026-01-05",
            legacy_assigned_on="-",
        )
    )
    cases_import(path=write_csv(rows), branch=branch, actor="clerk")
    return list(Case.objects.order_by("id"))


def _client(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def test_search_by_obligor_id_is_access_logged_and_needs_the_permission(
    some_cases: list[Case], make_staff: Callable[..., Staff]
) -> None:
    officer = _client(make_staff(Role.ENFORCEMENT_OFFICER, unit="S01"))
    response = officer.get(reverse("cases:search"), {"kind": "obligor_id", "q": "a123456789"})
    assert response.status_code == 200
    assert some_cases[-1].case_number in response.content.decode()
    entry = AccessLogEntry.objects.get(record_type="cases.obligor")
    assert entry.record_id == "A123456789"
    statistics = _client(make_staff(Role.ETHICS_OFFICER))
    assert statistics.get(reverse("cases:search"), {"kind": "obligor_id", "q": "A123456789"}).status_code == 403
    web = _client(make_staff(Role.WEB_EDITOR))
    assert web.get(reverse("cases:search")).status_code == 403


def test_case_page_shows_timeline_and_logs_the_look_up(
    some_cases: list[Case], make_staff: Callable[..., Staff]
) -> None:
    client = _client(make_staff(Role.ENFORCEMENT_OFFICER, unit="S01"))
    case = some_cases[0]
    response = client.get(reverse("cases:case-detail", args=[case.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert case.case_number in body
    assert "R1 (1)" in body
    assert AccessLogEntry.objects.filter(record_type="cases.case", record_id=str(case.pk)).exists()


def test_other_branch_staff_cannot_see_the_case(some_cases: list[Case], make_staff: Callable[..., Staff]) -> None:
    taipei = _client(make_staff(Role.ENFORCEMENT_OFFICER, branch="TPE", unit=None))
    assert taipei.get(reverse("cases:case-detail", args=[some_cases[0].pk])).status_code == 404


def test_reassign_through_the_page(some_cases: list[Case], make_staff: Callable[..., Staff]) -> None:
    client = _client(make_staff(Role.SECRETARIAT_OFFICER))
    case = some_cases[-1]  # not assigned
    from civicdesk.organization.models import Unit

    unit = Unit.objects.get(code="S07")
    response = client.post(
        reverse("cases:case-reassign", args=[case.pk]), {"subdivision": unit.pk, "reason": "manual intake"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.subdivision == unit
    assert case.stage == "assigned"


def test_upload_page_imports_and_offers_rejected_rows(
    branch: Branch, make_staff: Callable[..., Staff], write_csv: Callable[..., Path]
) -> None:
    client = _client(make_staff(Role.SUBDIVISION_CLERK, unit="S01"))
    path = write_csv([good_row(1), good_row(2, obligor_id="a123456789")])
    upload = SimpleUploadedFile("agency.csv", path.read_bytes(), content_type="text/csv")
    response = client.post(reverse("cases:intake"), {"file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:import-run", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "must be upper case" in page
    download = client.get(reverse("cases:import-run-rejected", args=[run.pk]))
    text = download.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("_line,_field,_reason,agency")
    assert "a123456789" in text


def test_counter_entry_uses_the_intake_checks(branch: Branch, make_staff: Callable[..., Staff]) -> None:
    client = _client(make_staff(Role.SUBDIVISION_CLERK, unit="S01"))
    data = {
        "agency": "NHIA",
        "agency_reference": "COUNTER-1",
        "category": "health_premium",
        "obligor_id": "a123456789",
        "obligor_name": "王小明",
        "principal": "5000",
        "fee": "0",
        "transferred_on": "115/11/02",
    }
    response = client.post(reverse("cases:counter"), data)
    assert response.status_code == 200
    assert "upper case" in response.content.decode()
    data["obligor_id"] = "A123456789"
    response = client.post(reverse("cases:counter"), data)
    case = Case.objects.get(agency_reference="COUNTER-1")
    assert response["Location"] == reverse("cases:case-detail", args=[case.pk])
    assert case.subdivision is not None


def test_warnings_dashboard_filters_and_resolution_is_audited(
    some_cases: list[Case], branch: Branch, make_staff: Callable[..., Staff], django_assert_max_num_queries: object
) -> None:
    reconcile_run(branch=branch, full=True)
    warning = CaseWarning.objects.get(kind="not_assigned")
    client = _client(make_staff(Role.SECRETARIAT_OFFICER))
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(reverse("cases:warnings"), {"severity": "medium"})
    assert warning.message in response.content.decode()
    assert warning.message not in client.get(reverse("cases:warnings"), {"severity": "high"}).content.decode()
    response = client.post(reverse("cases:warning-detail", args=[warning.pk]), {"action": "resolve", "note": ""})
    assert response.status_code == 200
    response = client.post(
        reverse("cases:warning-detail", args=[warning.pk]), {"action": "acknowledge", "note": "calling S01"}
    )
    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.status == "acknowledged"
    assert WarningEvent.objects.filter(warning=warning, kind="acknowledged", note="calling S01").exists()
    from civicdesk.audit.models import LedgerEntry

    assert LedgerEntry.objects.filter(ledger="cases.warnings", action="warning_acknowledged").exists()
    viewer = _client(make_staff(Role.STATISTICS_OFFICER))
    assert (
        viewer.post(reverse("cases:warning-detail", args=[warning.pk]), {"action": "resolve", "note": "x"}).status_code
        == 403
    )


def test_register_pages_show_day_totals(some_cases: list[Case], make_staff: Callable[..., Staff]) -> None:
    client = _client(make_staff(Role.STATISTICS_OFFICER))
    for name in ("cases:register-receipt", "cases:register-assignment"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert some_cases[0].case_number in response.content.decode()


def test_api_search_case_and_warnings(some_cases: list[Case], branch: Branch, make_staff: Callable[..., Staff]) -> None:
    reconcile_run(branch=branch, full=True)
    anonymous = Client()
    assert anonymous.get("/api/v1/cases/search", {"kind": "case_number", "q": "x"}).status_code == 401
    client = _client(make_staff(Role.ENFORCEMENT_OFFICER, unit="S01"))
    case = some_cases[0]
    found = client.get("/api/v1/cases/search", {"kind": "case_number", "q": case.case_number}).json()
    assert [c["id"] for c in found] == [case.pk]
    detail = client.get(f"/api/v1/cases/cases/{case.pk}").json()
    assert detail["timeline"][0]["kind"] == "received"
    warnings = client.get("/api/v1/cases/warnings").json()
    assert warnings["count"] == 1
    assert warnings["items"][0]["kind"] == "not_assigned"
    days = client.get("/api/v1/cases/registers/receipt/days").json()
    assert sum(d["count"] for d in days) == 31
    assert AccessLogEntry.objects.filter(purpose="API case").count() == 1


def test_list_pages_keep_a_fixed_number_of_queries(
    some_cases: list[Case], make_staff: Callable[..., Staff], django_assert_max_num_queries: Callable[..., object]
) -> None:
    client = _client(make_staff(Role.SECRETARIAT_OFFICER))
    for name in ("cases:register-receipt", "cases:register-assignment", "cases:intake"):
        with django_assert_max_num_queries(12):  # type: ignore[attr-defined]
            assert client.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(12):  # type: ignore[attr-defined]
        response = client.get(reverse("cases:search"), {"kind": "agency_reference", "q": "NHIA-T-000001"})
    assert some_cases[1].case_number in response.content.decode()


def test_openapi_lists_the_cases_endpoints(branch: Branch) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    for path in ("/api/v1/cases/search", "/api/v1/cases/cases/{case_id}", "/api/v1/cases/warnings"):
        assert path in schema["paths"]


def test_staff_home_lists_the_cases_modules_by_permission(branch: Branch, make_staff: Callable[..., Staff]) -> None:
    clerk = _client(make_staff(Role.SUBDIVISION_CLERK, unit="S01")).get("/en/staff/").content.decode()
    assert "Case intake: upload a file" in clerk
    assert "Receipt register" in clerk
    web = _client(make_staff(Role.WEB_EDITOR)).get("/en/staff/").content.decode()
    assert "Case intake" not in web


def test_case_navigation_offers_only_permitted_pages(branch: Branch, make_staff: Callable[..., Staff]) -> None:
    page = _client(make_staff(Role.STATISTICS_OFFICER)).get(reverse("cases:warnings")).content.decode()
    assert f'href="{reverse("cases:register-receipt")}"' in page
    assert f'href="{reverse("cases:intake")}"' not in page
    assert f'href="{reverse("cases:search")}"' not in page
