"""Dublin Core (15 elements) and the three classification meta tags for a page or document."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from civicdesk.portal import classifications, richtext
from civicdesk.portal.models import Document, Faq, Page

DC_ELEMENTS = (
    "Title",
    "Creator",
    "Subject",
    "Description",
    "Publisher",
    "Contributor",
    "Date",
    "Type",
    "Format",
    "Identifier",
    "Source",
    "Language",
    "Relation",
    "Coverage",
    "Rights",
)
HTML_LANG = {"zh": "zh-Hant", "en": "en"}


def _publisher(language: str) -> str:
    from civicdesk.organization.selectors import home_branch

    branch = home_branch()
    if branch is None:
        return str(settings.CIVICDESK_SITE_NAME)
    return branch.name_en if language == "en" else branch.name_zh


def _date(value: datetime | None) -> str:
    return timezone.localdate(value).isoformat() if value else ""


def _categories(theme: str, cake: str, service: str) -> list[tuple[str, str]]:
    return [("Category.Theme", theme), ("Category.Cake", cake), ("Category.Service", service)]


def _finish(values: dict[str, str], categories: list[tuple[str, str]]) -> list[tuple[str, str]]:
    tags = [(f"DC.{element}", values.get(element, "")) for element in DC_ELEMENTS]
    return tags + categories


def page_meta(page: Page, language: str, url: str) -> list[tuple[str, str]]:
    short = "en" if language == "en" and page.has_english() else "zh"
    summary = getattr(page, f"summary_{short}") or richtext.plain(getattr(page, f"body_{short}"))[:200]
    publisher = _publisher(short)
    values = {
        "Title": getattr(page, f"title_{short}"),
        "Creator": page.creator or publisher,
        "Subject": getattr(page, f"subject_{short}") or getattr(page, f"title_{short}"),
        "Description": summary,
        "Publisher": publisher,
        "Contributor": page.contributor or page.creator or publisher,
        "Date": _date(page.last_published_at),
        "Type": page.get_kind_display(),
        "Format": "text/html",
        "Identifier": url,
        "Source": page.source or url,
        "Language": HTML_LANG[short],
        "Relation": page.relation or url,
        "Coverage": page.coverage or _("Taichung"),
        "Rights": page.rights or _("Government website open data; cite the source."),
    }
    return _finish(values, _categories(page.theme_code, page.cake_code, page.service_code))


def document_meta(document: Document, language: str, url: str) -> list[tuple[str, str]]:
    short = "en" if language == "en" and document.title_en else "zh"
    publisher = _publisher(short)
    values = {
        "Title": document.title_for(short),
        "Creator": document.creator or publisher,
        "Subject": document.get_category_display(),
        "Description": (document.description_en if short == "en" else document.description_zh)
        or document.title_for(short),
        "Publisher": publisher,
        "Contributor": document.creator or publisher,
        "Date": _date(document.published_at),
        "Type": document.get_category_display(),
        "Format": document.file_format,
        "Identifier": url,
        "Source": url,
        "Language": HTML_LANG[short],
        "Relation": url,
        "Coverage": str(document.year),
        "Rights": _("Government website open data; cite the source."),
    }
    return _finish(values, _categories(document.theme_code, document.cake_code, document.service_code))


def faq_meta(faq: Faq, language: str, url: str) -> list[tuple[str, str]]:
    short = "en" if language == "en" and faq.question_en else "zh"
    question = faq.question_for(short)
    answer = faq.answer_en if short == "en" else faq.answer_zh
    publisher = _publisher(short)
    values = {
        "Title": question,
        "Creator": publisher,
        "Subject": faq.category.name_for(short),
        "Description": richtext.plain(answer)[:200],
        "Publisher": publisher,
        "Contributor": publisher,
        "Date": _date(faq.updated_at),
        "Type": _("Frequently asked question"),
        "Format": "text/html",
        "Identifier": url,
        "Source": url,
        "Language": HTML_LANG[short],
        "Relation": url,
        "Coverage": _("Taichung"),
        "Rights": _("Government website open data; cite the source."),
    }
    return _finish(values, _categories(faq.theme_code, faq.cake_code, faq.service_code))


def classification_labels(theme: str, cake: str, service: str) -> list[tuple[str, str, str]]:
    """(scheme, code, label) for the codes a page carries, for showing and browse links."""
    out = []
    for scheme, code in (("theme", theme), ("administration", cake), ("service", service)):
        entry = classifications.lookup(scheme, code)
        if entry is not None:
            out.append((scheme, code, entry.label))
    return out
