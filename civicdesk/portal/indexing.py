"""Keeping the search index in step with published content (called by the services only)."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone, translation

from civicdesk.portal import richtext
from civicdesk.portal.models import Document, Faq, Page, PageKind, SearchEntry
from civicdesk.portal.search import entry_tokens
from civicdesk.portal.tokenizer import normalize

LANGUAGES = {"zh": "zh-hant", "en": "en"}
SNIPPET_LENGTH = 240


def _url(name: str, language: str, *args: object) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def _put(
    *,
    kind: str,
    object_id: int,
    language: str,
    title: str,
    texts: list[str],
    url: str,
    codes: tuple[str, str, str],
    when: datetime,
) -> None:
    day = timezone.localdate(when)
    plain_text = " ".join(part for part in texts if part)
    SearchEntry.objects.update_or_create(
        kind=kind,
        object_id=object_id,
        language=language,
        defaults={
            "title": title[:300],
            "title_norm": normalize(title)[:300],
            "snippet": plain_text[:SNIPPET_LENGTH],
            "url": url,
            "tokens": entry_tokens(
                title=title, text=plain_text, language=language, kind=kind, codes=codes, year=day.year
            ),
            "theme_code": codes[0],
            "cake_code": codes[1],
            "service_code": codes[2],
            "published_on": day,
            "year": day.year,
        },
    )


def _drop(kind: str, object_id: int, language: str | None = None) -> None:
    entries = SearchEntry.objects.filter(kind=kind, object_id=object_id)
    if language:
        entries = entries.filter(language=language)
    entries.delete()  # the SQLite triggers remove the rows from FTS5 too


def page_kind(page: Page) -> SearchEntry.Kind:
    if page.kind == PageKind.NEWS:
        return SearchEntry.Kind.NEWS
    if page.kind == PageKind.SERVICE:
        return SearchEntry.Kind.SERVICE
    return SearchEntry.Kind.PAGE


def page_reindex(page: Page) -> None:
    kind = page_kind(page)
    for other in (SearchEntry.Kind.PAGE, SearchEntry.Kind.NEWS, SearchEntry.Kind.SERVICE):
        if other == kind:
            continue
        _drop(other, page.pk)
    if not page.live or page.kind == PageKind.HOME:  # the home page's text is shown at /, not found by search
        _drop(kind, page.pk)
        return
    codes = (page.theme_code, page.cake_code, page.service_code)
    # News are dated by their first publication, other pages by their latest change.
    when = (page.first_published_at if kind == SearchEntry.Kind.NEWS else page.last_published_at) or timezone.now()
    for short, language in LANGUAGES.items():
        if short == "en" and not page.has_english():
            _drop(kind, page.pk, language)
            continue
        title = getattr(page, f"title_{short}")
        texts = [
            getattr(page, f"summary_{short}"),
            richtext.plain(getattr(page, f"body_{short}")),
            getattr(page, f"subject_{short}"),
        ]
        url = _url("portal:page", language, page.slug)
        _put(kind=kind, object_id=page.pk, language=language, title=title, texts=texts, url=url, codes=codes, when=when)


def document_reindex(document: Document) -> None:
    kind = SearchEntry.Kind.DOCUMENT
    if not document.live:
        _drop(kind, document.pk)
        return
    codes = (document.theme_code, document.cake_code, document.service_code)
    when = document.published_at or timezone.now()
    for short, language in LANGUAGES.items():
        title = document.title_en if short == "en" else document.title_zh
        if not title:
            _drop(kind, document.pk, language)
            continue
        description = document.description_en if short == "en" else document.description_zh
        url = _url("portal:document", language, document.pk)
        texts = [description, document.text, str(document.year)]
        _put(
            kind=kind,
            object_id=document.pk,
            language=language,
            title=title,
            texts=texts,
            url=url,
            codes=codes,
            when=when,
        )


def faq_reindex(faq: Faq) -> None:
    kind = SearchEntry.Kind.FAQ
    if not faq.live:
        _drop(kind, faq.pk)
        return
    codes = (faq.theme_code, faq.cake_code, faq.service_code)
    for short, language in LANGUAGES.items():
        question = faq.question_en if short == "en" else faq.question_zh
        answer = faq.answer_en if short == "en" else faq.answer_zh
        if not (question and answer):
            _drop(kind, faq.pk, language)
            continue
        url = _url("portal:faq-detail", language, faq.pk)
        texts = [richtext.plain(answer)]
        _put(
            kind=kind,
            object_id=faq.pk,
            language=language,
            title=question,
            texts=texts,
            url=url,
            codes=codes,
            when=faq.updated_at,
        )


def catalogue_reindex() -> int:
    """Index the published services of the applications catalogue, when that app is installed.

    The catalogue belongs to the applications app; its SOP texts are read through its selectors and
    indexed as "online_service" entries linking to its own pages. Returns how many were indexed.
    """
    from django.apps import apps

    kind = SearchEntry.Kind.ONLINE_SERVICE
    if not apps.is_installed("civicdesk.applications"):
        SearchEntry.objects.filter(kind=kind).delete()
        return 0
    from civicdesk.applications.selectors import catalogue_published

    services = list(catalogue_published())
    SearchEntry.objects.filter(kind=kind).exclude(object_id__in=[s.pk for s in services]).delete()
    for service in services:
        codes = (service.myegov_theme_code[:8], service.myegov_administration_code[:8], service.myegov_service_code[:8])
        for short, language in LANGUAGES.items():
            texts = [
                getattr(service, f"{name}_{short}") for name in ("summary", "eligibility", "documents", "steps", "fee")
            ]
            _put(
                kind=kind,
                object_id=service.pk,
                language=language,
                title=getattr(service, f"title_{short}") or service.title_zh,
                texts=texts,
                url=_url("applications:service", language, service.code),
                codes=codes,
                when=service.updated_at,
            )
    return len(services)
