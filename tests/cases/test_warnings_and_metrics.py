"""High-severity warnings notify through the outbox; metrics for the plan; demo data is idempotent. A2.5."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from civicdesk.cases import metrics
from civicdesk.cases.demo import load_demo_data
from civicdesk.cases.importing import cases_import
from civicdesk.cases.models import Case, CaseWarning, ReceiptEntry
from civicdesk.cases.reconcile import reconcile_run
from civicdesk.cases.services import case_stage_change
from civicdesk.notifications.models import Notification
from civicdesk.organization.models import Branch, Staff
from civicdesk.organization.permissions import Role
from tests.cases.conftest import good_row

pytestmark = pytest.mark.django_db


def test_an_edited_entry_raises_a_high_warning_that_notifies_secretariat_and_staff(
    branch: Branch, write_csv: Callable[..., Path], make_staff: Callable[..., Staff]
) -> None:
    secretariat = make_staff(Role.SECRETARIAT_OFFICER)
    secretariat.email = "secretariat@example.org"
    secretariat.save(update_fields=["email"])
    cases_import(path=write_csv([good_row(1), good_row(2, obligor_id="B195496569")]), branch=branch, actor="x")
    reconcile_run(branch=branch, full=True)
    assert not Notification.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_receiptentry SET agency_reference = 'FORGED' WHERE sequence = 2")
    report = reconcile_run(branch=branch, full=True)
    warning = CaseWarning.objects.get(kind="broken_chain")
    assert warning.key == "receipt:2"
    assert "#2" in warning.message
    assert warning.case_id == ReceiptEntry.objects.get(sequence=2).case_id
    assert report.notified == 1
    note = Notification.objects.get()
    assert note.recipient == "secretariat@example.org"
    assert note.topic == "cases.warning"
    reconcile_run(branch=branch, full=True)
    assert Notification.objects.count() == 1


def test_a_case_past_its_stage_limit_is_warned_and_moving_it_on_fixes_it(
    branch: Branch, write_csv: Callable[..., Path], make_staff: Callable[..., Staff]
) -> None:
    old = timezone.localdate() - datetime.timedelta(days=500)
    row = good_row(
        1,
        transferred_on=old.isoformat(),
        legacy_received_on=old.isoformat(),
        legacy_stage="in_enforcement",
        legacy_stage_since=old.isoformat(),
    )
    cases_import(path=write_csv([row]), branch=branch, actor="x")
    reconcile_run(branch=branch, full=True)
    warning = CaseWarning.objects.get(kind="past_time_limit")
    assert warning.subdivision is not None
    officer = make_staff(Role.ENFORCEMENT_OFFICER, unit="S01")
    case_stage_change(case=Case.objects.get(), stage="instalments", staff=officer, note="instalments approved")
    reconcile_run(branch=branch)
    warning.refresh_from_db()
    assert warning.status == "resolved"


def test_metrics_for_a_period(branch: Branch, write_csv: Callable[..., Path]) -> None:
    today = timezone.localdate()
    period = {"branch_code": "TCH", "start": today - datetime.timedelta(days=7), "end": today}
    assert metrics.cases_received(**period) is None  # no data says so
    assert metrics.share_within_time_limits(**period) is None
    late = today - datetime.timedelta(days=30)
    rows = [
        good_row(1),
        good_row(2, obligor_id="B195496569"),
        good_row(3, obligor_id="C142793487", transferred_on=late.isoformat(), legacy_received_on=late.isoformat(),
                 legacy_assigned_on="-"),
    ]  # fmt: skip
    cases_import(path=write_csv(rows), branch=branch, actor="x")
    assert metrics.cases_received(**period) == 2
    assert metrics.cases_assigned(**period) == 2
    month = {**period, "start": today - datetime.timedelta(days=40)}
    assert metrics.cases_received(**month) == 3
    assert metrics.share_within_time_limits(**month) == pytest.approx(2 / 3)
    reconcile_run(branch=branch, full=True)
    assert metrics.open_warnings(**month) == 1
    assert metrics.open_warnings_by_kind(**month)["not_assigned"] == 1


def test_demo_data_is_idempotent(branch: Branch) -> None:
    load_demo_data(stdout=io.StringIO())
    cases, warnings = Case.objects.count(), CaseWarning.objects.count()
    assert cases > 100
    assert warnings > 0
    load_demo_data(stdout=io.StringIO())
    assert (Case.objects.count(), CaseWarning.objects.count()) == (cases, warnings)
