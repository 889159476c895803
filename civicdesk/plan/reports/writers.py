"""Writers of the quarterly report: PDF (fpdf2, Noto Sans CJK TC embedded), DOCX (python-docx), XLSX
(openpyxl). Each lays out the same QuarterlyReport; the chart is drawn once with Pillow."""

from __future__ import annotations

import datetime
import functools
import io
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from civicdesk.core.i18n import english_active
from civicdesk.core.roc_dates import format_roc
from civicdesk.plan.evaluation import Status
from civicdesk.plan.reports.data import QuarterlyReport, TargetLine

DEFAULT_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
STATUS_COLOURS = {
    Status.MET: (29, 107, 53),
    Status.ON_TRACK: (11, 79, 108),
    Status.AT_RISK: (138, 75, 0),
    Status.MISSED: (176, 0, 32),
    Status.NO_DATA_SOURCE: (150, 150, 150),
    Status.NO_DATA: (200, 200, 200),
}


class ReportFontError(RuntimeError):
    """The Traditional Chinese font is not installed (Debian package fonts-noto-cjk)."""


def font_path() -> Path:
    path = Path(getattr(settings, "PLAN_REPORT_FONT", DEFAULT_FONT))
    if not path.exists():
        raise ReportFontError(f"{path} not found: install the Debian package fonts-noto-cjk (make system-deps)")
    return path


@functools.cache
def _tc_face_index(path: Path) -> int:
    """Index of the Traditional Chinese face (Noto Sans CJK TC) inside a font collection."""
    if path.suffix.lower() != ".ttc":
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    try:
        for index, font in enumerate(collection.fonts):
            if font["name"].getDebugName(1).endswith(" TC"):
                return index
    finally:
        collection.close()
    return 0


def chart_png(report: QuarterlyReport) -> bytes:
    """Stacked bars per area: targets met / on track / at risk / missed / without data, with a legend."""
    from PIL import Image, ImageDraw, ImageFont

    path = font_path()
    font = ImageFont.truetype(str(path), 22, index=_tc_face_index(path))
    small = ImageFont.truetype(str(path), 18, index=_tc_face_index(path))
    width, height = 1200, 520
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((20, 10), f"{report.period_label} · {_('Targets by area and status')}", fill="black", font=font)
    left, top, bottom = 80, 60, 420
    most = max([1, *[sum(area.counts.values()) for area in report.areas]])
    slot = (width - left - 300) / max(len(report.areas), 1)
    draw.line((left, bottom, width - 300, bottom), fill="black", width=2)
    for step in range(most + 1):
        y = bottom - (bottom - top) * step / most
        draw.text((left - 30, y - 10), str(step), fill="black", font=small)
    for index, area in enumerate(report.areas):
        x0 = left + index * slot + slot * 0.2
        x1 = x0 + slot * 0.6
        y = bottom
        for status, count in area.counts.items():
            if not count:
                continue
            h = (bottom - top) * count / most
            draw.rectangle((x0, y - h, x1, y), fill=STATUS_COLOURS[status], outline="white")
            y -= h
        draw.text((x0 + slot * 0.2, bottom + 10), area.code, fill="black", font=font)
    for row, status in enumerate(STATUS_COLOURS):
        y = top + row * 40
        draw.rectangle((width - 280, y, width - 250, y + 24), fill=STATUS_COLOURS[status])
        draw.text((width - 240, y), report.status_labels.get(status, status.label), fill="black", font=small)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _day(day: datetime.date) -> str:
    """ROC dates in Chinese (104年6月30日), ISO dates in English."""
    if english_active():
        return day.isoformat()
    return format_roc(day, style="chinese")


def _wrap() -> Any:
    """Chinese text breaks between any two characters; English text between words."""
    from fpdf.enums import WrapMode

    return WrapMode.WORD if english_active() else WrapMode.CHAR


def _headers() -> list[str]:
    return [_("Measure"), _("Strategy and method"), _("Targets: actual / required, status"), _("Score")]


def _target_text(target: TargetLine) -> str:
    return f"{target.description}: {target.actual} / {target.required} {target.unit} ({target.status_label})".replace(
        "  ", " "
    )


def _measure_rows(report: QuarterlyReport) -> list[list[str]]:
    """One row per measure (PDF and DOCX): the measure's text, its targets with figures, the score."""
    return [
        [
            measure.code,
            measure.strategy,
            "\n".join(_target_text(t) for t in measure.targets) or _("No quantified target"),
            measure.score,
        ]
        for measure in report.measures
    ]


def _target_headers() -> list[str]:
    return [
        _("Measure"),
        _("Strategy and method"),
        _("Target"),
        _("Actual"),
        _("Required"),
        _("Unit"),
        _("Status"),
        _("Score"),
    ]


def _target_rows(report: QuarterlyReport) -> list[list[str]]:
    """One row per target (XLSX), so the figures sit in their own cells."""
    rows = []
    for measure in report.measures:
        targets: list[TargetLine | None] = list(measure.targets) or [None]
        for target in targets:
            if target is None:
                rows.append(
                    [measure.code, measure.strategy, _("No quantified target"), "—", "—", "", "", measure.score]
                )
            else:
                rows.append(
                    [
                        measure.code,
                        measure.strategy,
                        target.description,
                        target.actual,
                        target.required,
                        target.unit,
                        target.status_label,
                        measure.score,
                    ]
                )
    return rows


def _area_rows(report: QuarterlyReport) -> list[list[str]]:
    return [
        [f"{area.code} {area.title}", str(area.measures)]
        + [str(area.counts[s]) for s in (Status.MET, Status.ON_TRACK, Status.AT_RISK, Status.MISSED)]
        + [area.score]
        for area in report.areas
    ]


def _area_headers() -> list[str]:
    return [
        _("Area"),
        pgettext("number of measures", "Measures"),
        _("Met"),
        _("On track"),
        _("At risk"),
        _("Missed"),
        _("Average score"),
    ]


def render_pdf(report: QuarterlyReport) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    path = font_path()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(datetime.datetime.combine(report.as_of, datetime.time(), tzinfo=datetime.UTC))
    pdf.set_title(f"{report.title} {report.period_label}")
    pdf.add_font("cjk", "", str(path), collection_font_number=_tc_face_index(path))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.multi_cell(0, 10, report.plan.title, wrapmode=_wrap(), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=16)
    pdf.multi_cell(0, 10, f"{report.title} — {report.period_label}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.multi_cell(
        0,
        7,
        _("Figures as known on %(day)s. Branch: %(branch)s. Plan version %(v)s.")
        % {"day": _day(report.as_of), "branch": report.plan.branch.name, "v": report.plan.version},
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)

    def heading(text: str) -> None:
        pdf.set_font("cjk", size=14)
        pdf.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=9)

    def table(headers: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        heading_style = FontFace(emphasis="NONE", fill_color=(225, 232, 236))
        with pdf.table(col_widths=widths, wrapmode=_wrap(), line_height=5, headings_style=heading_style) as grid:
            grid.row(headers)
            for values in rows:
                grid.row(values)
        pdf.ln(3)

    heading(_("Summary by area"))
    table(_area_headers(), _area_rows(report), (50, 18, 14, 16, 16, 16, 20))
    pdf.image(io.BytesIO(chart_png(report)), w=180)
    pdf.ln(3)
    heading(_("Measures, targets and results"))
    _pdf_measures(pdf, report)
    _pdf_extras(pdf, report, heading, table)
    return bytes(pdf.output())


def _pdf_measures(pdf: Any, report: QuarterlyReport) -> None:
    """Each measure as a block (code and score, its text, one line per target) so text extracts cleanly."""

    for measure in report.measures:
        pdf.set_font("cjk", size=11)
        score = _("Self-assessment score: %(score)s") % {"score": measure.score}
        pdf.multi_cell(0, 7, f"{measure.code}    {score}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=9)
        pdf.multi_cell(0, 5, measure.strategy, wrapmode=_wrap(), new_x="LMARGIN", new_y="NEXT")
        for target in measure.targets:
            pdf.multi_cell(0, 5, f"• {_target_text(target)}", wrapmode=_wrap(), new_x="LMARGIN", new_y="NEXT")
        if not measure.targets:
            pdf.multi_cell(0, 5, f"• {_('No quantified target')}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)


def _pdf_extras(pdf: Any, report: QuarterlyReport, heading: Callable[[str], None], table: Callable[..., None]) -> None:

    heading(_("Highlights"))
    pdf.set_font("cjk", size=10)
    for label, count in report.activity_counts:
        pdf.multi_cell(0, 6, f"• {label}: {count}", new_x="LMARGIN", new_y="NEXT")
    for line in report.highlights:
        pdf.multi_cell(0, 6, f"• {line}", wrapmode=_wrap(), new_x="LMARGIN", new_y="NEXT")
    heading(_("Adopted proposals and suggestions"))
    if report.proposals:
        table([_("Title"), _("Kind"), _("Status"), _("Results")], [list(p) for p in report.proposals], (50, 40, 30, 70))
    else:
        pdf.multi_cell(0, 6, _("None this year so far."), new_x="LMARGIN", new_y="NEXT")
    heading(_("Proposed for reward"))
    if report.rewards:
        table([_("Title"), _("Proposed by"), _("Reward proposal")], [list(r) for r in report.rewards], (60, 40, 90))
    else:
        pdf.multi_cell(0, 6, _("None."), new_x="LMARGIN", new_y="NEXT")
    heading(_("Quarterly self-assessments"))
    if report.assessments:
        table([_("Unit"), _("Status"), _("Reviewed by")], [list(a) for a in report.assessments], (70, 60, 60))
    else:
        pdf.multi_cell(0, 6, _("None submitted."), new_x="LMARGIN", new_y="NEXT")


def docx_document(title: str) -> Any:
    """A Word document whose text (East Asian runs included) is set in Noto Sans CJK TC."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Noto Sans CJK TC"
    style.font.size = Pt(10)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK TC")
    document.core_properties.title = title
    return document


def render_docx(report: QuarterlyReport) -> bytes:
    from docx.shared import Cm

    document = docx_document(f"{report.title} {report.period_label}")
    document.add_heading(report.plan.title, level=0)
    document.add_heading(f"{report.title} — {report.period_label}", level=1)
    document.add_paragraph(
        _("Figures as known on %(day)s. Branch: %(branch)s. Plan version %(v)s.")
        % {"day": _day(report.as_of), "branch": report.plan.branch.name, "v": report.plan.version}
    )

    def table(headers: list[str], rows: list[list[str]]) -> None:
        grid = document.add_table(rows=1, cols=len(headers))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, headers, strict=True):
            cell.text = text
        for values in rows:
            for cell, text in zip(grid.add_row().cells, values, strict=True):
                cell.text = text

    document.add_heading(_("Summary by area"), level=2)
    table(_area_headers(), _area_rows(report))
    document.add_picture(io.BytesIO(chart_png(report)), width=Cm(16))
    document.add_heading(_("Measures, targets and results"), level=2)
    table(_headers(), _measure_rows(report))
    document.add_heading(_("Highlights"), level=2)
    for label, count in report.activity_counts:
        document.add_paragraph(f"{label}: {count}", style="List Bullet")
    for line in report.highlights:
        document.add_paragraph(line, style="List Bullet")
    document.add_heading(_("Adopted proposals and suggestions"), level=2)
    table([_("Title"), _("Kind"), _("Status"), _("Results")], [list(p) for p in report.proposals])
    document.add_heading(_("Proposed for reward"), level=2)
    table([_("Title"), _("Proposed by"), _("Reward proposal")], [list(r) for r in report.rewards])
    document.add_heading(_("Quarterly self-assessments"), level=2)
    table([_("Unit"), _("Status"), _("Reviewed by")], [list(a) for a in report.assessments])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_xlsx(report: QuarterlyReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")
    summary.append([report.plan.title])
    summary.append([f"{report.title} — {report.period_label}"])
    summary.append([_("Figures as known on %(day)s.") % {"day": _day(report.as_of)}])
    summary.append([])
    summary.append(_area_headers())
    first = summary.max_row
    for values in _area_rows(report):
        summary.append([values[0], *[_cell(v) for v in values[1:]]])
    for cell in summary[first]:
        cell.font = Font(bold=True)
    if report.areas:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = _("Targets by area and status")
        data = Reference(summary, min_col=3, max_col=6, min_row=first, max_row=summary.max_row)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(summary, min_col=1, min_row=first + 1, max_row=summary.max_row))
        summary.add_chart(chart, f"A{summary.max_row + 3}")
    measures = workbook.create_sheet(_("Measures"))
    measures.append(_target_headers())
    for values in _target_rows(report):
        measures.append([*values[:3], _cell(values[3]), _cell(values[4]), *values[5:7], _cell(values[7])])
    extra = workbook.create_sheet(_("Highlights"))
    extra.append([_("Activities"), _("Count")])
    for label, count in report.activity_counts:
        extra.append([label, count])
    extra.append([])
    extra.append([_("Title"), _("Kind"), _("Status"), _("Results")])
    for proposal in report.proposals:
        extra.append(list(proposal))
    extra.append([])
    extra.append([_("Title"), _("Proposed by"), _("Reward proposal")])
    for reward in report.rewards:
        extra.append(list(reward))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: str) -> str | int | float:
    """Numbers as numbers (so the sheet can sum them), everything else as text."""
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


FORMATS: dict[str, tuple[Callable[[QuarterlyReport], bytes], str]] = {
    "pdf": (render_pdf, "application/pdf"),
    "docx": (render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def report_render(report: QuarterlyReport, fmt: str, language: str = "zh-hant") -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; use pdf, docx or xlsx")
    # fontTools logs every subsetting step at INFO; the report needs none of it.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    with translation.override(language):
        return FORMATS[fmt][0](report)
