"""The plan as a document for the AEA's review (S.1): PDF and DOCX with the plan's own text, a draft mark
or the submission stamp, and a fingerprint that identifies the locked version."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from civicdesk.organization.models import Staff
from civicdesk.organization.permissions import Role
from civicdesk.plan.models import Plan
from civicdesk.plan.reports.plan_document import plan_document_render, plan_fingerprint
from civicdesk.plan.reports.writers import DEFAULT_FONT
from civicdesk.plan.services import plan_submit
from tests.plan.test_reports import _need

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    _need(Path(DEFAULT_FONT).exists(), "fonts-noto-cjk is not installed (make system-deps)")
    _need(shutil.which("pdftotext") is not None, "pdftotext is not installed (Debian package poppler-utils)")
    path = tmp_path / "plan.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)  # noqa: S603, S607
    return re.sub(r"\s+", "", out.stdout)


def test_the_chinese_pdf_carries_every_measure_and_the_draft_mark(plan: Plan, tmp_path: Path) -> None:
    text = _pdf_text(plan_document_render(plan, "pdf", "zh-hant"), tmp_path)
    assert text.startswith("法務部行政執行署臺中分署一百零四年度提升服務品質執行計畫草稿，第1版，尚未報署。")
    for measure in plan.measures.all():
        # the cell's first line: pdftotext interleaves the lines of a table row's cells
        assert re.sub(r"\s+", "", measure.strategy_zh)[:7] in text, measure.code
    assert "秘書室" in text  # responsible units by name, not code
    for provision in plan.provisions.all():
        assert provision.code in text


def test_a_submitted_version_carries_its_stamp_and_a_stable_fingerprint(
    plan: Plan, secretariat_staff: Staff, tmp_path: Path
) -> None:
    before = plan_fingerprint(plan)
    plan = plan_submit(plan=plan, actor=secretariat_staff)
    assert plan_fingerprint(plan) == before
    from docx import Document

    document = Document(io.BytesIO(plan_document_render(plan, "docx", "en")))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert f"Content fingerprint (SHA-256): {before}" in paragraphs
    assert "submitted on" in paragraphs
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert any(plan.measures.get(code="A1.6").strategy_en in cell for cell in cells)
    assert "Draft" not in paragraphs


def test_the_fingerprint_changes_with_the_text(plan: Plan) -> None:
    before = plan_fingerprint(plan)
    measure = plan.measures.get(code="A1.6")
    measure.benefit_zh += "。"
    measure.save()
    assert plan_fingerprint(plan) != before


def test_download_from_the_plan_pages(plan: Plan, staff_client: Callable[..., Client]) -> None:
    client = staff_client(Role.SECRETARIAT_OFFICER, unit="SEC")
    url = reverse("plan:plan-document", args=[plan.pk, "docx"])
    assert url in client.get(reverse("plan:plan", args=[plan.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="plan-')
    assert client.get(reverse("plan:plan-document", args=[plan.pk, "exe"])).status_code == 404
    assert (
        staff_client(Role.SECRETARIAT_OFFICER, branch="TPE", unit=None).get(url).status_code == 404
    )  # another branch's plan
