"""Finding broken links in live content: internal addresses, documents, and (optionally) the web."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from civicdesk.portal import richtext
from civicdesk.portal.models import BrokenLink, Document, Faq, LinkCheckRun, Page

USER_AGENT = "CivicDesk-LinkCheck/1.0"


@dataclass(frozen=True)
class FoundLink:
    where: str
    where_url: str
    url: str


def _links() -> Iterator[FoundLink]:
    for page in Page.objects.filter(live=True).order_by("slug"):
        for short, language in (("zh", "zh-hant"), ("en", "en")):
            with translation.override(language):
                where_url = reverse("portal:page", args=[page.slug])
            where = f"page {page.slug} ({short})"
            for field in (f"body_{short}", f"summary_{short}"):
                for link in richtext.links_in(getattr(page, field)):
                    yield FoundLink(where, where_url, link.url)
            for field in ("source", "relation"):
                value = getattr(page, field)
                if value.startswith(("http://", "https://", "/")):
                    yield FoundLink(where, where_url, value)
    for faq in Faq.objects.filter(live=True).order_by("id"):
        with translation.override("zh-hant"):
            where_url = reverse("portal:faq-detail", args=[faq.pk])
        for field in ("answer_zh", "answer_en"):
            for link in richtext.links_in(getattr(faq, field)):
                yield FoundLink(f"FAQ {faq.pk}", where_url, link.url)


def _internal_problem(url: str) -> str:
    path = urlsplit(url).path
    # Addresses under /en/ are English; every other one is the default language's.
    language = "en" if path == "/en" or path.startswith("/en/") else "zh-hant"
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return "no page at this address"
    if match.view_name == "portal:page" and not Page.objects.filter(slug=match.kwargs["slug"], live=True).exists():
        return "the page is not published"
    if match.view_name in ("portal:document", "portal:document-download"):
        document = Document.objects.filter(pk=match.kwargs["pk"], live=True).first()
        if document is None:
            return "the document is not published"
        if not document.file.storage.exists(document.file.name):
            return "the document's file is missing"
    if match.view_name == "portal:faq-detail" and not Faq.objects.filter(pk=match.kwargs["pk"], live=True).exists():
        return "the question is not published"
    return ""


def _external_problem(url: str, timeout: float) -> str:
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only)
            status = int(response.status)
    except urllib.error.HTTPError as error:
        if error.code == 405:  # some servers refuse HEAD; ask again with GET
            try:
                get = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
                with urllib.request.urlopen(get, timeout=timeout) as response:  # noqa: S310
                    status = int(response.status)
            except urllib.error.HTTPError as second:
                return f"HTTP {second.code}"
            except (urllib.error.URLError, TimeoutError, OSError) as second:
                return f"unreachable: {second}"
        else:
            return f"HTTP {error.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        return f"unreachable: {reason}"
    return "" if status < 400 else f"HTTP {status}"


@transaction.atomic
def links_check(*, external: bool, timeout: float = 10.0) -> LinkCheckRun:
    """Check every link in live content; returns the run with its broken links stored."""
    run = LinkCheckRun.objects.create(external_checked=external)
    documents = Document.objects.filter(live=True)
    checked = 0
    external_cache: dict[str, str] = {}
    for found in _links():
        checked += 1
        if found.url.startswith("/"):
            problem = _internal_problem(found.url)
        elif found.url.startswith(("http://", "https://")):
            if not external:
                continue
            if found.url not in external_cache:
                external_cache[found.url] = _external_problem(found.url, timeout)
            problem = external_cache[found.url]
        else:
            continue
        if problem:
            BrokenLink.objects.create(
                run=run, where=found.where, where_url=found.where_url, url=found.url, reason=problem
            )
    for document in documents:
        checked += 1
        if not document.file or not document.file.storage.exists(document.file.name):
            with translation.override("zh-hant"):
                where_url = reverse("portal:document", args=[document.pk])
            BrokenLink.objects.create(
                run=run,
                where=f"document {document.pk}",
                where_url=where_url,
                url=document.file.name or "(no file)",
                reason="the document's file is missing",
            )
    run.checked = checked
    run.finished_at = timezone.now()
    run.save(update_fields=["checked", "finished_at"])
    return run
