"""Reads of the portal app. Public look-ups go through the `public_*` access functions only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q, QuerySet
from django.http import Http404

from civicdesk.portal.models import Document, Faq, FaqCategory, Page, PageKind


def public_page(slug: str) -> Page:
    """The live page with this address; 404 whether it does not exist or is not published."""
    page = Page.objects.filter(slug=slug).filter(live=True).first()
    if page is None:
        raise Http404("no such page")
    return page


def public_pages(kind: str | None = None) -> QuerySet[Page]:
    pages = Page.objects.filter(live=True)
    if kind:
        pages = pages.filter(kind=kind)
    return pages


def home_page() -> Page | None:
    """The published home-page content (welcome text and highlights), if editors have published one."""
    return Page.objects.filter(kind=PageKind.HOME, live=True).first()


def news_pages() -> QuerySet[Page]:
    return public_pages(PageKind.NEWS).order_by("-first_published_at", "-id")


def public_document(pk: int) -> Document:
    document = Document.objects.filter(pk=pk).filter(live=True).first()
    if document is None:
        raise Http404("no such document")
    return document


def public_documents() -> QuerySet[Document]:
    return Document.objects.filter(live=True)


def public_faq(pk: int) -> Faq:
    faq = Faq.objects.filter(pk=pk).filter(live=True).select_related("category").first()
    if faq is None:
        raise Http404("no such question")
    return faq


def public_faq_categories() -> list[tuple[FaqCategory, list[Faq]]]:
    questions = (
        Faq.objects.filter(live=True)
        .select_related("category")
        .order_by("category__sort_order", "category__slug", "sort_order", "id")
    )
    grouped: dict[int, tuple[FaqCategory, list[Faq]]] = {}
    for faq in questions:
        grouped.setdefault(faq.category_id, (faq.category, []))[1].append(faq)
    return list(grouped.values())


@dataclass(frozen=True)
class ParityRow:
    page: Page
    problem: str  # "missing" or "stale"
    zh_changed_at: datetime | None
    en_changed_at: datetime | None


def parity_report() -> list[ParityRow]:
    """Published pages without an English version, or whose English is older than the Chinese."""
    rows = []
    candidates = Page.objects.filter(live=True).filter(
        Q(en_changed_at__isnull=True) | Q(en_changed_at__lt=F("zh_changed_at")) | Q(title_en="")
    )
    for page in candidates.order_by("kind", "sort_order", "slug"):
        problem = "missing" if not page.has_english() else "stale"
        if (
            problem == "stale"
            and page.en_changed_at
            and page.zh_changed_at
            and page.en_changed_at >= page.zh_changed_at
        ):
            continue
        rows.append(ParityRow(page, problem, page.zh_changed_at, page.en_changed_at))
    return rows


def faq_needing_attention(limit: int = 50) -> QuerySet[Faq]:
    """Questions people found unhelpful: most "no" votes first, among those with any "no"."""
    return (
        Faq.objects.filter(helpful_no__gt=0)
        .select_related("category")
        .order_by(F("helpful_yes") - F("helpful_no"), "-helpful_no", "id")[:limit]
    )


def public_faq_ids() -> list[tuple[int, str]]:
    return list(Faq.objects.filter(live=True).order_by("id").values_list("id", "question_en"))
