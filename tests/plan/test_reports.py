"""Quarterly performance report (C.2): PDF with embedded Traditional Chinese font, DOCX and XLSX with
the same figures."""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from civicdesk.organization.permissions import Role
from civicdesk.plan.models import Plan
from civicdesk.plan.reports.writers import DEFAULT_FONT

PDFTOTEXT = shutil.which("pdftotext")


def _need(condition: bool, message: str) -> None:
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def quarter_data(plan: Plan, log_activity: Callable) -> Plan:
    for day in (5, 20):
        log_activity("park-cleaning", datetime.date(2015, 1, day))
    log_activity("park-cleaning", datetime.date(2015, 2, 10))
    log_activity("planting", datetime.date(2015, 3, 2), quantity=137)
    log_activity("publicity", datetime.date(2015, 3, 9))
    return plan


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_has_the_chinese_measure_texts_and_figures(quarter_data: Plan, tmp_path: Path) -> None:
    _need(Path(DEFAULT_FONT).exists(), "fonts-noto-cjk is not installed (make system-deps)")
    _need(PDFTOTEXT is not None, "pdftotext is not installed (Debian package poppler-utils)")
    output = tmp_path / "q1.pdf"
    call_command("quarterly_report", "--year", "104", "--quarter", "1", "--format", "pdf", "--output", str(output))
    fonts = subprocess.run(["pdffonts", str(output)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    assert "NotoSansCJKTC" in fonts.replace("-", "")
    assert re.search(r"NotoSansCJKTC\S*\s+CID Type 0C\s+\S+\s+yes", fonts.replace("-", ""))  # embedded
    extracted = subprocess.run([str(PDFTOTEXT), str(output), "-"], capture_output=True, text=True, check=True)  # noqa: S603
    text = _squash(extracted.stdout)
    for measure in quarter_data.measures.all():
        assert _squash(measure.strategy_zh) in text, measure.code
    assert "一百零四年度提升服務品質執行計畫" in text
    assert "104年第1季" in text
    assert "認養公園打掃次數（每月至少2次）:1/3" in text  # January met of three months
    assert "種植草花株數（每年至少200株）:137/200株" in text
    assert "宣導場次（每年至少1場）:1/1場" in text


def test_docx_and_xlsx_hold_the_same_figures(quarter_data: Plan, tmp_path: Path) -> None:
    _need(Path(DEFAULT_FONT).exists(), "fonts-noto-cjk is not installed (make system-deps)")
    from docx import Document
    from openpyxl import load_workbook

    for fmt in ("docx", "xlsx"):
        call_command(
            "quarterly_report",
            "--year",
            "104",
            "--quarter",
            "1",
            "--format",
            fmt,
            "--output",
            str(tmp_path / f"q.{fmt}"),
        )
    document = Document(str(tmp_path / "q.docx"))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("種植草花株數（每年至少200株）: 137 / 200 株" in cell for cell in cells)
    assert any("認養公園打掃次數（每月至少2次）: 1 / 3" in cell for cell in cells)
    assert any(quarter_data.measures.get(code="A1.6").strategy_zh == cell for cell in cells)
    workbook = load_workbook(tmp_path / "q.xlsx")
    rows = {row[2]: row for row in workbook.worksheets[1].iter_rows(values_only=True) if row[0]}
    assert rows["種植草花株數（每年至少200株）"][3:5] == (137, 200)
    assert rows["認養公園打掃次數（每月至少2次）"][3:5] == (1, 3)
    assert rows["宣導場次（每年至少1場）"][3:5] == (1, 1)
    assert workbook.worksheets[0]._charts  # the summary carries a chart
    assert workbook.sheetnames[1] == "實施項目"  # the measures sheet, not the column header's "項目數"


def test_same_data_gives_the_same_numbers(quarter_data: Plan, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    values = []
    for run in range(2):
        path = tmp_path / f"{run}.xlsx"
        call_command("quarterly_report", "--year", "104", "--quarter", "1", "--format", "xlsx", "--output", str(path))
        values.append([list(r) for ws in load_workbook(path).worksheets for r in ws.iter_rows(values_only=True)])
    assert values[0] == values[1]


def test_download_button(quarter_data: Plan, staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.SECRETARIAT_OFFICER)
    page = client.get(reverse("plan:reports")).content.decode()
    url = reverse("plan:report-download", args=[104, 1, "xlsx"])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(response.content)).worksheets[1].max_row == 34  # header + 33 measures' rows
    assert staff_client(Role.ENFORCEMENT_OFFICER, unit="S01").get(url).status_code == 403
