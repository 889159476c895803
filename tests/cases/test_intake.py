"""Intake (收案): checks, reporting, idempotency, crash safety, registers. A2.5."""

from __future__ import annotations

import csv
import json
import random
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from civicdesk.cases import importing, registers
from civicdesk.cases.importing import cases_import
from civicdesk.cases.intake import IntakeFileError
from civicdesk.cases.models import AssignmentEntry, Case, ImportRun, ReceiptEntry, RegisterDay, RejectedRow
from civicdesk.core.case_numbers import parse_case_number
from civicdesk.core.identifiers import make_business_number, make_national_id
from civicdesk.organization.models import Branch
from tests.cases.conftest import good_row

pytestmark = pytest.mark.django_db


class KilledError(Exception):
    """Stands for the process being killed just before a batch commits."""


def _crash_at(batch_number: int) -> Callable[[int], None]:
    def crash(batch: int) -> None:
        if batch == batch_number:
            raise KilledError

    return crash


def _rows(count: int, seed: int = 1) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [good_row(i, obligor_id=make_national_id(rng)) for i in range(count)]


def test_good_rows_become_cases_with_real_numbers_on_both_registers(
    branch: Branch, write_csv: Callable[..., Path]
) -> None:
    path = write_csv([*_rows(5), good_row(99, obligor_id="12345675", obligor_name="中興實業股份有限公司")])
    summary = cases_import(path=path, branch=branch, actor="clerk")
    assert (summary.received, summary.already_present, summary.rejected) == (6, 0, 0)
    cases = list(Case.objects.order_by("id"))
    numbers = [parse_case_number(c.case_number) for c in cases]
    assert [n.serial for n in numbers] == [1, 2, 3, 4, 5, 6]
    assert {n.category_code for n in numbers} == {"健保"}
    assert cases[-1].obligor_kind == "company"
    assert all(c.subdivision_id and c.stage == "assigned" and c.balance == 12000 for c in cases)
    receipts = list(ReceiptEntry.objects.order_by("sequence"))
    assert [r.day_sequence for r in receipts] == [1, 2, 3, 4, 5, 6]
    assert [r.case_id for r in receipts] == [c.pk for c in cases]
    assert AssignmentEntry.objects.count() == 6
    assert RegisterDay.objects.get(register="receipt").count == 6
    for register in (registers.RECEIPT, registers.ASSIGNMENT):
        assert registers.register_verify(register=register, branch_code="TCH").broken == []


def test_bad_rows_are_reported_with_line_field_and_reason_and_kept(
    branch: Branch, write_csv: Callable[..., Path]
) -> None:
    rows = _rows(3)
    rows.insert(1, good_row(50, obligor_id="a123456789"))  # agency files: lower case is a bad row
    rows.insert(2, good_row(51, obligor_id="A123456788"))
    rows.append(good_row(52, agency="NOSUCH"))
    rows.append(good_row(53, principal="12,000"))
    rows.append(good_row(54, transferred_on="2999-01-01"))
    rows.append(good_row(55, obligor_id="12345678"))
    summary = cases_import(path=write_csv(rows), branch=branch, actor="clerk")
    assert (summary.received, summary.rejected) == (3, 6)
    found = [(e["line"], e["field"]) for e in summary.errors]
    assert found == [
        (3, "obligor_id"),
        (4, "obligor_id"),
        (7, "agency"),
        (8, "principal"),
        (9, "transferred_on"),
        (10, "obligor_id"),
    ]
    assert "upper case" in summary.errors[0]["reason"]
    assert "check digit" in summary.errors[1]["reason"]
    kept = RejectedRow.objects.get(line=3)
    assert kept.raw["obligor_id"] == "a123456789"


def test_reimport_and_already_received_rows_create_nothing(branch: Branch, write_csv: Callable[..., Path]) -> None:
    path = write_csv(_rows(10))
    cases_import(path=path, branch=branch, actor="clerk")
    again = cases_import(path=path, branch=branch, actor="clerk")
    assert (again.received, again.already_present) == (0, 10)
    overlapping = write_csv(_rows(12), name="second.csv")
    third = cases_import(path=overlapping, branch=branch, actor="clerk")
    assert (third.received, third.already_present) == (2, 10)
    assert Case.objects.count() == 12
    assert ReceiptEntry.objects.count() == 12


def test_a_crash_mid_import_then_rerun_gives_every_good_row_exactly_once(
    branch: Branch, write_csv: Callable[..., Path]
) -> None:
    rows = _rows(50)
    rows[7]["obligor_id"] = "bad"
    path = write_csv(rows)

    with pytest.raises(KilledError):
        cases_import(path=path, branch=branch, actor="clerk", batch_size=10, before_commit=_crash_at(3))
    assert Case.objects.count() == 19  # batches 1 and 2 committed, one bad row among them
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.RUNNING
    summary = cases_import(path=path, branch=branch, actor="clerk", batch_size=10)
    assert summary.resumed_after_line == 21
    assert (summary.received, summary.rejected) == (49, 1)
    assert Case.objects.count() == 49
    refs = list(Case.objects.values_list("agency_reference", flat=True))
    assert len(set(refs)) == 49
    assert RejectedRow.objects.count() == 1
    assert ReceiptEntry.objects.count() == 49
    assert registers.register_verify(register=registers.RECEIPT, branch_code="TCH").broken == []


def test_jsonl_files_and_bad_json_lines(branch: Branch, tmp_path: Path) -> None:
    rng = random.Random(3)
    path = tmp_path / "intake.jsonl"
    lines = [json.dumps(good_row(i, obligor_id=make_business_number(rng)), ensure_ascii=False) for i in range(3)]
    lines.insert(1, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = cases_import(path=path, branch=branch, actor="clerk")
    assert (summary.received, summary.rejected) == (3, 1)
    assert summary.errors[0]["line"] == 2


def test_import_command_prints_json_summary(
    branch: Branch, write_csv: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv([*_rows(4), good_row(9, obligor_id="x")])
    call_command("import_cases", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert (out["received"], out["already_present"], out["rejected"]) == (4, 0, 1)
    call_command("import_cases", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert (out["received"], out["already_present"], out["rejected"]) == (0, 4, 1)


def test_rejected_rows_file_round_trip_header(tmp_path: Path) -> None:
    # The rejected-rows download keeps the intake columns plus comment columns (_line …) the intake ignores.
    from civicdesk.cases.intake import ALL_COLUMNS, detect_format, iter_raw_rows

    path = tmp_path / "fixed.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["_line", "_field", "_reason", *ALL_COLUMNS])
        writer.writerow(["3", "obligor_id", "must be upper case", *["x"] * len(ALL_COLUMNS)])
    rows = list(iter_raw_rows(path, detect_format(path)))
    assert rows[0].values["_line"] == "3"


def _mixed_rows(prefix: str = "") -> list[dict[str, str]]:
    rows = _rows(40, seed=5)
    for row in rows:
        row["agency_reference"] = prefix + row["agency_reference"]
    rows[3]["obligor_id"] = rows[3]["obligor_id"].lower()
    rows[17]["principal"] = ""
    rows[30]["agency"] = "NOSUCH"
    return rows


def test_checking_in_a_separate_process_reports_and_receives_like_checking_inline(
    branch: Branch, write_csv: Callable[..., Path]
) -> None:
    inline = cases_import(
        path=write_csv(_mixed_rows(), name="a.csv"), branch=branch, actor="clerk", batch_size=7, checker="inline"
    )
    process = cases_import(  # the same rows under other references, now checked in the other process
        path=write_csv(_mixed_rows("P-"), name="b.csv"), branch=branch, actor="clerk", batch_size=7, checker="process"
    )
    assert (process.received, process.already_present, process.rejected) == (37, 0, 3)
    assert (inline.received, inline.rejected) == (37, 3)
    assert process.errors == inline.errors
    assert [(e["line"], e["field"]) for e in process.errors] == [(5, "obligor_id"), (19, "principal"), (32, "agency")]
    kept = RejectedRow.objects.filter(run_id=process.run_id).order_by("line")
    assert [r.raw["agency"] for r in kept][-1] == "NOSUCH"
    assert Case.objects.filter(import_run_id=process.run_id, agency_reference__startswith="P-").count() == 37


def test_a_crash_while_a_checking_process_runs_ends_it_and_the_rerun_gives_every_good_row_once(
    branch: Branch, write_csv: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(_mixed_rows())
    started: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def recording_popen(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        process = real_popen(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    with pytest.raises(KilledError):
        cases_import(
            path=path, branch=branch, actor="clerk", batch_size=5, before_commit=_crash_at(2), checker="process"
        )
    assert len(started) == 1
    assert started[0].poll() is not None  # the checking process did not outlive the import
    assert Case.objects.count() == 4  # batch 1 (lines 2-6) committed, its line 5 rejected
    summary = cases_import(path=path, branch=branch, actor="clerk", batch_size=5, checker="process")
    assert summary.resumed_after_line == 6
    assert (summary.received, summary.rejected) == (37, 3)
    assert Case.objects.count() == ReceiptEntry.objects.count() == AssignmentEntry.objects.count() == 37
    assert RejectedRow.objects.count() == 3
    for register in (registers.RECEIPT, registers.ASSIGNMENT):
        assert registers.register_verify(register=register, branch_code="TCH").broken == []


def test_a_file_level_problem_found_by_the_checking_process_stops_the_import(branch: Branch, tmp_path: Path) -> None:
    path = tmp_path / "intake.csv"
    path.write_text("agency,agency_reference,colour\nNHIA,X-1,red\n", encoding="utf-8")
    with pytest.raises(IntakeFileError, match=r"unknown column\(s\) colour in the header \(line 1\)"):
        cases_import(path=path, branch=branch, actor="clerk", checker="process")
    assert Case.objects.count() == 0


def _case_table_estimate() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Case._meta.db_table])
        return float(cursor.fetchone()[0])


@pytest.fixture
def analyse_from_ten_cases(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    monkeypatch.setattr(importing, "MIN_ROWS_TO_ANALYSE", 10)


@pytest.mark.usefixtures("analyse_from_ten_cases")
def test_on_postgresql_an_import_keeps_the_planner_statistics_of_the_growing_case_table(
    branch: Branch, write_csv: Callable[..., Path]
) -> None:
    """Without them PostgreSQL plans each batch's obligor and reference look-ups as a scan of the whole branch."""
    summary = cases_import(path=write_csv(_rows(30)), branch=branch, actor="clerk", batch_size=10)
    assert summary.received == 30
    assert _case_table_estimate() >= 20  # analysed after the batches that doubled the branch: 10, then 20 cases


@pytest.mark.usefixtures("analyse_from_ten_cases")
def test_on_postgresql_the_statistics_follow_the_importing_branch_not_the_whole_table(
    branch: Branch, write_csv: Callable[..., Path]
) -> None:
    """A branch's first large import into a table of every branch's cases is analysed as that branch grows."""
    taipei = Branch.objects.get(code="TPE")
    cases_import(path=write_csv(_rows(50, seed=2), name="taipei.csv"), branch=taipei, actor="clerk", batch_size=50)
    summary = cases_import(path=write_csv(_rows(30)), branch=branch, actor="clerk", batch_size=10)
    assert summary.received == 30
    # 50 Taipei cases, then Taichung's 10 and 20: analysed at 60 and 70 cases (by the whole table's growth, never).
    assert _case_table_estimate() >= 70
