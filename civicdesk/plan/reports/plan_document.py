"""The year's plan as the document the branch sends to the AEA for review (S.1), in PDF and DOCX.

Laid out like the plan itself: basis, who it covers, goal, then the strategy table (area, strategy and
method, responsible units, expected benefit, quantified targets) and the implementation steps and control
rules. A submitted version carries its submission stamp and content fingerprint, so the copy the AEA
receives can be matched to the locked version in Civic Desk; a draft says it is a draft on every page.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicdesk.core.i18n import english_active
from civicdesk.organization.models import Unit
from civicdesk.plan.models import Area, Plan, Provision
from civicdesk.plan.reports.writers import _day, _tc_face_index, _wrap, docx_document, font_path


@dataclass(frozen=True)
class MeasureLine:
    code: str
    strategy: str
    units: str
    benefit: str
    targets: list[str]


@dataclass(frozen=True)
class AreaSection:
    code: str
    title: str
    measures: list[MeasureLine]


@dataclass(frozen=True)
class PlanDocument:
    plan: Plan
    title: str
    stamp: str
    sections: list[tuple[str, str]]  # (heading, text): basis, scope, goal
    areas: list[AreaSection]
    provisions: list[tuple[str, str, str]]  # (kind label, code, text)


def _unit_names(plan: Plan) -> dict[str, str]:
    names = {unit.code: unit.name for unit in Unit.objects.filter(branch_id=plan.branch_id)}
    names["ALL"] = _("Every unit")
    names["DIVISIONS"] = _("Every division")
    return names


def _plan_content(plan: Plan) -> tuple[list[Area], list[Provision]]:
    """The plan's areas (with measures and targets) and provisions, read once for the text and the fingerprint."""
    areas = list(plan.areas.prefetch_related("measures__targets").order_by("ordering"))
    return areas, list(plan.provisions.all())


def plan_fingerprint(plan: Plan, content: tuple[list[Area], list[Provision]] | None = None) -> str:
    """SHA-256 over the plan's text in both languages: the same for the PDF and DOCX, Chinese and English,
    and for as long as the version is locked — so the AEA's copy can be matched to the version here."""
    areas, provisions = content or _plan_content(plan)
    digest = hashlib.sha256()
    parts: list[object] = [plan.year, plan.version, plan.title_zh, plan.title_en]
    parts += [plan.basis_zh, plan.basis_en, plan.scope_zh, plan.scope_en, plan.goal_zh, plan.goal_en]
    for area in areas:
        parts += [area.code, area.title_zh, area.title_en]
        for measure in area.measures.all():
            parts += [measure.code, measure.strategy_zh, measure.strategy_en, measure.benefit_zh, measure.benefit_en]
            parts += [",".join(measure.unit_codes)]
            for t in measure.targets.all():
                parts += [t.code, t.description_zh, t.description_en, t.period, t.comparison, t.threshold]
    for provision in provisions:
        parts += [provision.kind, provision.code, provision.text_zh, provision.text_en]
    for part in parts:
        digest.update(str(part).encode() + b"\x1f")
    return digest.hexdigest()


def _stamp(plan: Plan, content: tuple[list[Area], list[Provision]]) -> str:
    if plan.submitted_at is None:
        return _("Draft, version %(v)s — not yet submitted.") % {"v": plan.version}
    return _("Version %(v)s, submitted on %(day)s by %(who)s. Content fingerprint (SHA-256): %(hash)s") % {
        "v": plan.version,
        "day": _day(timezone.localdate(plan.submitted_at)),
        "who": plan.submitted_by or "—",
        "hash": plan_fingerprint(plan, content),
    }


def plan_document_build(plan: Plan) -> PlanDocument:
    """Gather the plan's text in the active language (one query per table)."""
    content = _plan_content(plan)
    names = _unit_names(plan)
    separator = ", " if english_active() else "、"
    areas = []
    for area in content[0]:
        measures = [
            MeasureLine(
                code=measure.code,
                strategy=measure.strategy,
                units=separator.join(names.get(code, code) for code in measure.unit_codes),
                benefit=measure.benefit,
                targets=[target.description for target in measure.targets.all()],
            )
            for measure in area.measures.all()
        ]
        areas.append(AreaSection(code=area.code, title=area.title, measures=measures))
    return PlanDocument(
        plan=plan,
        title=plan.title,
        stamp=_stamp(plan, content),
        sections=[(_("Basis"), plan.basis), (_("Who it covers"), plan.scope), (_("Goal"), plan.goal)],
        areas=areas,
        provisions=[(p.get_kind_display(), p.code, p.text) for p in content[1]],
    )


def _table_headers() -> list[str]:
    return [_("Measure"), _("Strategy and method"), _("Responsible units"), _("Expected benefit")]


def _measure_cells(measure: MeasureLine) -> list[str]:
    strategy = measure.strategy
    if measure.targets:
        strategy += "\n" + "\n".join(f"• {t}" for t in measure.targets)
    return [measure.code, strategy, measure.units or "—", measure.benefit or "—"]


def render_plan_pdf(document: PlanDocument) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    path = font_path()
    plan = document.plan

    class PlanPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("cjk", size=8)
            self.cell(0, 6, f"{document.title} · {self.page_no()}", align="C")

    pdf = PlanPDF(orientation="portrait", unit="mm", format="A4")
    created = plan.submitted_at or datetime.datetime.combine(plan.created_at.date(), datetime.time(), datetime.UTC)
    pdf.set_creation_date(created)
    pdf.set_title(document.title)
    pdf.add_font("cjk", "", str(path), collection_font_number=_tc_face_index(path))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.multi_cell(0, 10, document.title, wrapmode=_wrap(), new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("cjk", size=9)
    pdf.multi_cell(0, 5, document.stamp, wrapmode=_wrap(), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for heading, text in document.sections:
        pdf.set_font("cjk", size=13)
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=10)
        pdf.multi_cell(0, 6, text or "—", wrapmode=_wrap(), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.set_font("cjk", size=13)
    pdf.multi_cell(0, 8, _("Strategies and methods"), new_x="LMARGIN", new_y="NEXT")
    heading_style = FontFace(emphasis="NONE", fill_color=(225, 232, 236))
    for area in document.areas:
        pdf.set_font("cjk", size=11)
        pdf.multi_cell(0, 7, f"{area.code} {area.title}", wrapmode=_wrap(), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=9)
        with pdf.table(
            col_widths=(17, 87, 36, 50), wrapmode=_wrap(), line_height=5, headings_style=heading_style
        ) as grid:
            grid.row(_table_headers())
            for measure in area.measures:
                grid.row(_measure_cells(measure))
        pdf.ln(3)
    _pdf_provisions(pdf, document)
    return bytes(pdf.output())


def _pdf_provisions(pdf: Any, document: PlanDocument) -> None:
    pdf.set_font("cjk", size=13)
    pdf.multi_cell(0, 8, _("Implementation steps and control rules"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    for kind, code, text in document.provisions:
        pdf.multi_cell(0, 6, f"{code}（{kind}）{text}", wrapmode=_wrap(), new_x="LMARGIN", new_y="NEXT")


def render_plan_docx(document: PlanDocument) -> bytes:
    word = docx_document(document.title)
    word.add_heading(document.title, level=0)
    word.add_paragraph(document.stamp)
    for heading, text in document.sections:
        word.add_heading(heading, level=1)
        word.add_paragraph(text or "—")
    word.add_heading(_("Strategies and methods"), level=1)
    for area in document.areas:
        word.add_heading(f"{area.code} {area.title}", level=2)
        grid = word.add_table(rows=1, cols=4)
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, _table_headers(), strict=True):
            cell.text = text
        for measure in area.measures:
            for cell, text in zip(grid.add_row().cells, _measure_cells(measure), strict=True):
                cell.text = text
    word.add_heading(_("Implementation steps and control rules"), level=1)
    for kind, code, text in document.provisions:
        word.add_paragraph(f"{code}（{kind}）{text}")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


PLAN_FORMATS: dict[str, tuple[Callable[[PlanDocument], bytes], str]] = {
    "pdf": (render_plan_pdf, "application/pdf"),
    "docx": (render_plan_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


def plan_document_render(plan: Plan, fmt: str, language: str = "zh-hant") -> bytes:
    if fmt not in PLAN_FORMATS:
        raise ValueError(f"unknown plan document format {fmt!r}; use pdf or docx")
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    with translation.override(language):
        return PLAN_FORMATS[fmt][0](plan_document_build(plan))
