"""Writers are serialised; staff look-ups of personal data are logged and shown to Ethics."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import RequestFactory
from django.urls import reverse

from civicdesk.audit.ledger import ledger_append, ledger_verify
from civicdesk.audit.models import AccessLogEntry
from civicdesk.audit.services import access_log_record
from civicdesk.organization.permissions import Role


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database cannot host concurrent writers; PostgreSQL leg runs it")
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for n in range(15):
                ledger_append(ledger="concurrent", action="write", actor=f"w{worker}", payload={"n": n})
        except BaseException as error:  # noqa: BLE001  (collected and asserted below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = ledger_verify(ledger="concurrent")
    assert report.intact
    assert report.entries == 60


@pytest.mark.django_db
def test_access_log_records_and_shows_look_ups(make_staff, staff_client) -> None:
    officer = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01", username="looker")
    taipei = make_staff(Role.ENFORCEMENT_OFFICER, branch="TPE", unit=None, username="taipei_looker")
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.8")
    access_log_record(
        staff=officer,
        record_type="obligor",
        record_id="A123456789",
        purpose="case search",
        query="A123456789",
        request=request,
    )
    access_log_record(staff=taipei, record_type="obligor", record_id="B123456780", purpose="case search")
    entry = AccessLogEntry.objects.get(staff=officer)
    assert entry.ip_address == "10.0.0.8"
    page = staff_client(Role.ETHICS_OFFICER, unit="ETH").get(reverse("audit:access-log")).content.decode()
    assert "A123456789" in page
    assert "B123456780" not in page  # Taichung's Ethics office sees Taichung staff's look-ups only
    page = staff_client(Role.HEADQUARTERS_AUDITOR, unit=None).get(reverse("audit:access-log"))
    assert page.status_code == 403  # the access log is the Ethics office's
