"""The service catalogue as data: six kinds in both languages, idempotent load, public pages (A2.2, A2.4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from civicdesk.applications.catalogue import CATALOGUE_DATA, CatalogueDataError, catalogue_load
from civicdesk.applications.models import ServiceKind

pytestmark = pytest.mark.django_db

SOP_FIELDS = ["title", "summary", "eligibility", "documents", "steps", "fee", "contact"]


def test_the_shipped_catalogue_has_six_kinds_in_both_languages(organization) -> None:
    summary = catalogue_load()
    assert summary.created == 6
    kinds = list(ServiceKind.objects.all())
    assert [k.code for k in kinds] == [
        "case-status",
        "instalment",
        "clearance-certificate",
        "refund",
        "petition",
        "document-copy",
    ]
    for kind in kinds:
        for field in SOP_FIELDS:
            assert getattr(kind, f"{field}_zh").strip(), (kind.code, field)
            assert getattr(kind, f"{field}_en").strip(), (kind.code, field)
        assert kind.channels
        assert kind.myegov_service_code
    assert ServiceKind.objects.get(code="petition").time_limit_working_days == 3


def test_loading_again_changes_nothing_and_a_changed_file_updates(organization, tmp_path: Path) -> None:
    catalogue_load()
    again = catalogue_load()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    data = json.loads(CATALOGUE_DATA.read_text(encoding="utf-8"))
    data["services"][1]["time_limit_working_days"] = 12
    changed = tmp_path / "catalogue.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    summary = catalogue_load(path=changed)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 5)
    assert ServiceKind.objects.get(code="instalment").time_limit_working_days == 12


def test_a_bad_entry_is_reported_by_service_and_field(organization, tmp_path: Path) -> None:
    data = json.loads(CATALOGUE_DATA.read_text(encoding="utf-8"))
    data["services"][2]["reference_prefix"] = "S5"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CatalogueDataError, match=r"clearance-certificate.*reference_prefix"):
        catalogue_load(path=bad)
    assert not ServiceKind.objects.exists()  # all or nothing


def test_load_catalogue_command(organization, capsys) -> None:
    call_command("load_catalogue")
    assert "6 created" in capsys.readouterr().out


def test_catalogue_pages_in_both_languages(client: Client, catalogue, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(4):
        html = client.get("/services/").content.decode()
    assert "申請分期繳納" in html
    assert "清償證明" in html
    english = client.get("/en/services/").content.decode()
    assert "Apply to pay by instalments" in english
    detail = client.get("/en/services/instalment/").content.decode()
    assert "Documents you need" in detail
    assert "10 working days" in detail
    assert '<meta name="Category.Service" content="E00">' in detail
    assert "/en/services/instalment/apply/" in detail
    case = client.get("/services/case-status/").content.decode()
    assert "/services/case-status/apply/" not in case
    assert client.get("/services/nothing-here/").status_code == 404
    assert client.get("/services/case-status/apply/").status_code == 404


def test_staff_edit_the_catalogue_and_the_change_is_on_the_ledger(staff_client, catalogue) -> None:
    from civicdesk.audit.models import LedgerEntry
    from civicdesk.organization.permissions import Role

    assert staff_client(Role.ENFORCEMENT_OFFICER, unit="S01").get("/staff/applications/catalogue/").status_code == 403
    client = staff_client(Role.SECRETARIAT_OFFICER)
    assert "申請分期繳納" in client.get("/staff/applications/catalogue/").content.decode()
    page = client.get("/staff/applications/catalogue/instalment/")
    form = page.context["form"]
    data = {name: form.initial[name] for name in form.fields if name != "channels"}
    data = {name: value for name, value in data.items() if value is not None}
    data["is_published"] = "on"
    data["channels"] = ["online", "counter"]
    data["time_limit_working_days"] = 8
    response = client.post("/staff/applications/catalogue/instalment/", data)
    assert response.status_code == 302, response.context["form"].errors
    kind = ServiceKind.objects.get(code="instalment")
    assert kind.time_limit_working_days == 8
    assert kind.channels == ["online", "counter"]
    entry = LedgerEntry.objects.get(ledger="applications.catalogue")
    assert entry.payload["before"]["time_limit_working_days"] == 10
    assert entry.payload["after"]["time_limit_working_days"] == 8
    data["time_limit_working_days"] = "-1"
    assert client.post("/staff/applications/catalogue/instalment/", data).status_code == 200
    assert ServiceKind.objects.get(code="instalment").time_limit_working_days == 8
