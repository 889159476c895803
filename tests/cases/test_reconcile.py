"""Reconciliation (勾稽) and warnings: every anomaly kind found exactly, no duplicates, fixes resolve. A2.5."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from civicdesk.cases.generator import FILE_ANOMALY_KINDS
from civicdesk.cases.importing import cases_import
from civicdesk.cases.models import AssignmentEntry, Case, CaseWarning, ReceiptEntry, WarningEvent, WarningKind
from civicdesk.cases.reconcile import reconcile_run
from civicdesk.cases.services import case_reassign
from civicdesk.organization.models import Branch, Unit
from civicdesk.organization.permissions import Role

pytestmark = pytest.mark.django_db

ANOMALIES = 3


def _tamper(model: type[ReceiptEntry] | type[AssignmentEntry], sequence: int) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET case_number = case_number || 'X' WHERE branch_code = %s AND sequence = %s",  # noqa: S608
            ["TCH", sequence],
        )


@pytest.fixture
def imported(branch: Branch, tmp_path: Path) -> Path:
    path = tmp_path / "generated.csv"
    call_command(
        "generate_cases", str(path), "--count", "300", "--anomalies", str(ANOMALIES), "--bad-rows", "5", "--seed", "7"
    )
    summary = cases_import(path=path, branch=branch, actor="intake", batch_size=64)
    assert summary.rejected == 5
    return path


def test_generate_import_reconcile_reports_exactly_the_injected_anomalies(
    branch: Branch, imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = json.loads(imported.with_name(imported.name + ".manifest.json").read_text(encoding="utf-8"))
    assert {kind: len(items) for kind, items in manifest["anomalies"].items()} == dict.fromkeys(
        FILE_ANOMALY_KINDS, ANOMALIES
    )
    # The broken-chain kind cannot come from a file: edit register entries in the database.
    _tamper(ReceiptEntry, 10)
    _tamper(ReceiptEntry, 200)
    _tamper(AssignmentEntry, 50)
    capsys.readouterr()
    call_command("reconcile", "--full", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["open"] == dict.fromkeys(WarningKind.values, ANOMALIES)
    # The injected rows are the ones named.
    for kind in ("not_assigned", "assigned_without_receipt", "assigned_twice", "past_time_limit"):
        refs = {group[0] for group in manifest["anomalies"][kind]}
        warned = set(CaseWarning.objects.filter(kind=kind).values_list("case__agency_reference", flat=True))
        assert warned == refs, kind
    broken = CaseWarning.objects.filter(kind=WarningKind.BROKEN_CHAIN).order_by("key")
    assert [w.key for w in broken] == ["assignment:50", "receipt:10", "receipt:200"]
    assert "edited" in broken[1].message
    # A rerun does not duplicate; a second import adds nothing.
    count = CaseWarning.objects.count()
    call_command("reconcile", "--full", "--json")
    call_command("reconcile", "--json")
    assert CaseWarning.objects.count() == count
    again = cases_import(path=imported, branch=branch, actor="intake")
    assert again.received == 0


def test_a_fixed_problem_resolves_its_warning_and_reruns_do_not_duplicate(
    branch: Branch, imported: Path, make_staff: object
) -> None:
    reconcile_run(branch=branch, full=True)
    warning = CaseWarning.objects.filter(kind=WarningKind.NOT_ASSIGNED).first()
    assert warning is not None
    assert warning.case is not None
    head = make_staff(Role.UNIT_HEAD, unit="DIV1")  # type: ignore[operator]
    case_reassign(case=warning.case, subdivision=Unit.objects.get(code="S05"), reason="backlog", staff=head)
    report = reconcile_run(branch=branch)
    warning.refresh_from_db()
    assert warning.status == CaseWarning.Status.RESOLVED
    assert report.fixed == 1
    assert report.open_by_kind[WarningKind.NOT_ASSIGNED] == ANOMALIES - 1
    assert WarningEvent.objects.filter(warning=warning, kind=WarningEvent.Kind.FIXED).exists()


def test_incremental_run_finds_new_problems_since_the_watermark(branch: Branch, imported: Path) -> None:
    reconcile_run(branch=branch, full=True)
    before = CaseWarning.objects.filter(kind=WarningKind.ASSIGNED_TWICE).count()
    case = Case.objects.exclude(subdivision=None).filter(stage="assigned").first()
    assert case is not None
    from django.db import transaction

    from civicdesk.cases import registers

    with transaction.atomic():
        registers.register_append(
            register=registers.ASSIGNMENT,
            branch_code="TCH",
            entries=[
                registers.NewEntry(timezone.localdate(), case.pk, case.case_number, ("assign", "S09", "", "manual", ""))
            ],
            actor="someone",
            recorded_at=timezone.now(),
        )
    report = reconcile_run(branch=branch)
    assert report.full is False
    assert CaseWarning.objects.filter(kind=WarningKind.ASSIGNED_TWICE).count() == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_run_on_several_connections_finds_the_same_and_names_the_edited_entry(branch: Branch, tmp_path: Path) -> None:
    """What runs by default outside a test transaction: the longest checks in threads on their own connections."""
    path = tmp_path / "c.csv"
    call_command("generate_cases", str(path), "--count", "200", "--anomalies", "2", "--seed", "3")
    cases_import(path=path, branch=branch, actor="intake", batch_size=16)
    _tamper(AssignmentEntry, 20)
    report = reconcile_run(branch=branch, full=True, parallel=True)
    assert report.open_by_kind == {**dict.fromkeys(FILE_ANOMALY_KINDS, 2), WarningKind.BROKEN_CHAIN: 1}
    warning = CaseWarning.objects.get(kind=WarningKind.BROKEN_CHAIN)
    assert (warning.key, warning.case_id) == ("assignment:20", AssignmentEntry.objects.get(sequence=20).case_id)
    assert "entry #20" in warning.message
    assert "edited" in warning.message
    # Reruns, incremental and full, on several connections or one: nothing new, nothing fixed.
    count = CaseWarning.objects.count()
    for full, parallel in ((False, True), (True, False), (True, True)):
        again = reconcile_run(branch=branch, full=full, parallel=parallel)
        assert (again.created, again.fixed, again.open_by_kind) == (0, 0, report.open_by_kind)
    assert CaseWarning.objects.count() == count


def test_a_second_earlier_receipt_makes_that_days_totals_differ(branch: Branch, imported: Path) -> None:
    """The register-kind check compares a case's first assignment with its first receipt, not with any receipt."""
    reconcile_run(branch=branch, full=True)
    receipt = ReceiptEntry.objects.filter(case__stage="assigned").order_by("sequence").first()
    assert receipt is not None
    earlier = receipt.day - timedelta(days=400)  # no other case received that day
    from django.db import transaction

    from civicdesk.cases import registers

    with transaction.atomic():
        registers.register_append(
            register=registers.RECEIPT,
            branch_code="TCH",
            entries=[registers.NewEntry(earlier, receipt.case_id, receipt.case_number, ("A01", "again"))],
            actor="someone",
            recorded_at=timezone.now(),
        )
    reconcile_run(branch=branch, full=True)
    warning = CaseWarning.objects.get(kind=WarningKind.DAY_TOTALS, key=earlier.isoformat())
    assert (warning.status, warning.details["receipt_total"], warning.details["assignment_total"]) == ("open", 1, 0)
