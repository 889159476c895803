"""The PDF receipt (A2.4), with an embedded Traditional Chinese font.

The font is Noto Sans CJK TC from Debian's ``fonts-noto-cjk`` (face 3 of the collection); the
``APPLICATIONS_RECEIPT_FONT`` setting may name another TTF/OTF/TTC file and
``APPLICATIONS_RECEIPT_FONT_INDEX`` its face. fpdf2 embeds only the glyphs used (subset).
"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from fpdf import FPDF

from civicdesk.applications.models import Application
from civicdesk.core.masking import mask_id
from civicdesk.core.roc_dates import format_roc

DEFAULT_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEFAULT_FONT_INDEX = 3  # Noto Sans CJK TC


class ReceiptFontMissingError(RuntimeError):
    """The CJK font is not installed: install Debian's fonts-noto-cjk or set APPLICATIONS_RECEIPT_FONT."""


def _font() -> tuple[Path, int]:
    path = Path(getattr(settings, "APPLICATIONS_RECEIPT_FONT", DEFAULT_FONT))
    if not path.exists():
        raise ReceiptFontMissingError(
            f"receipt font {path} not found: install Debian's fonts-noto-cjk or set APPLICATIONS_RECEIPT_FONT"
        )
    return path, int(getattr(settings, "APPLICATIONS_RECEIPT_FONT_INDEX", DEFAULT_FONT_INDEX))


def _date(value: object, english: bool) -> str:
    import datetime

    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        day = local.date()
        clock = f" {local:%H:%M}"
    else:
        assert isinstance(value, datetime.date)
        day, clock = value, ""
    text = day.isoformat() if english else format_roc(day, style="chinese")
    return text + clock


def receipt_pdf(*, application: Application, language: str) -> bytes:
    """The receipt for ``application`` in ``language`` ("zh-hant" or "en")."""
    path, index = _font()
    english = language.startswith("en")
    with translation.override("en" if english else "zh-hant"):
        track_url = getattr(settings, "CIVICDESK_PUBLIC_URL", "").rstrip("/") + reverse("applications:track")
        pdf = FPDF(format="A4")
        pdf.set_title(_("Application receipt") + " " + application.reference)
        pdf.set_lang("en" if english else "zh-Hant")
        pdf.set_creator("Civic Desk")
        pdf.add_page()
        pdf.add_font("cjk", fname=str(path), collection_font_number=index)
        pdf.set_font("cjk", size=16)
        pdf.multi_cell(0, 9, application.branch.name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font_size(20)
        pdf.multi_cell(0, 12, _("Application receipt"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        rows = [
            (_("Reference number"), application.reference),
            (pgettext("applications", "Service"), application.kind.title),
            (_("Applicant"), application.applicant_name),
            (_("ID number"), mask_id(application.id_number)),
            (pgettext("applications", "Received"), _date(application.submitted_at, english)),
            (pgettext("applications", "Channel"), application.get_channel_display()),
            (_("Reply expected by"), _date(application.due_date, english)),
        ]
        pdf.set_font_size(12)
        for label, value in rows:
            pdf.set_x(pdf.l_margin)
            pdf.cell(50, 9, label)
            pdf.multi_cell(0, 9, value, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.set_font_size(11)
        notes = [
            _(
                "What happens next: the handling unit reviews your application and replies by the date above. "
                "If documents are missing we ask you for them; the time limit is paused until they arrive."
            ),
            _("Track your application at %(url)s with the reference number and the last 4 digits of your ID number.")
            % {"url": track_url or "/"},
            _("Contact: %(contact)s") % {"contact": application.kind.contact},
        ]
        for note in notes:
            pdf.multi_cell(0, 7, note, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        qr = io.BytesIO()
        segno.make(f"{track_url}?reference={application.reference}", error="m").save(qr, kind="png", scale=4)
        qr.seek(0)
        pdf.image(qr, w=35)
        return bytes(pdf.output())
