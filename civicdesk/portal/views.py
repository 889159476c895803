"""Public pages of the website: content pages, news, documents, FAQ, search, browse, sitemap, robots."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_POST

from civicdesk.core.i18n import english_active
from civicdesk.portal import classifications, metadata, richtext, search, selectors, services
from civicdesk.portal.models import DocumentCategory, Page, PageKind, SearchEntry

PER_PAGE = 20


def _language() -> str:
    return "en" if english_active() else "zh"


def _search_language() -> str:
    return "en" if _language() == "en" else "zh-hant"


def _page_view(request: HttpRequest, page: Page, *, preview: bool = False) -> dict[str, Any]:
    language = _language()
    english_missing = language == "en" and not page.has_english()
    short = "zh" if english_missing else language
    url = request.build_absolute_uri(request.path)
    return {
        "page": page,
        "preview": preview,
        "english_missing": english_missing,
        "content_lang": metadata.HTML_LANG[short],
        "title": getattr(page, f"title_{short}"),
        "summary": getattr(page, f"summary_{short}"),
        "body": richtext.render(getattr(page, f"body_{short}")),
        "meta_tags": metadata.page_meta(page, language, url),
        "classes": metadata.classification_labels(page.theme_code, page.cake_code, page.service_code),
        "chinese_url": _in_language("zh-hant", "portal:page", page.slug),
    }


def _in_language(language: str, name: str, *args: object) -> str:
    with translation.override(language):
        return reverse(name, args=args)


@require_GET
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.public_page(slug)
    if page.kind == PageKind.HOME:
        return HttpResponseRedirect(reverse("shell:home"))  # its content is the public home page
    context = _page_view(request, page)
    context["documents"] = list(page.documents.filter(live=True))
    context["faqs"] = list(page.faqs.filter(live=True))
    return render(request, "portal/page.html", context)


SECTIONS = [PageKind.ABOUT, PageKind.POLICY, PageKind.PLAN, PageKind.MEASURE, PageKind.BUDGET, PageKind.SERVICE]


@require_GET
def info_index(request: HttpRequest) -> HttpResponse:
    pages = selectors.public_pages().exclude(kind__in=[PageKind.NEWS, PageKind.HOME]).order_by("sort_order", "slug")
    grouped: dict[str, list[Page]] = {kind: [] for kind in SECTIONS}
    for page in pages:
        grouped.setdefault(page.kind, []).append(page)
    sections = [(PageKind(kind).label, grouped[kind]) for kind in SECTIONS if grouped.get(kind)]
    return render(request, "portal/info_index.html", {"sections": sections, "language": _language()})


@require_GET
def news_list(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(selectors.news_pages(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/news_list.html", {"page_obj": page_obj, "language": _language()})


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    documents = selectors.public_documents()
    years = list(documents.order_by("-year").values_list("year", flat=True).distinct())
    year = request.GET.get("year", "")
    category = request.GET.get("category", "")
    if year.isdigit():
        documents = documents.filter(year=int(year))
    if category in DocumentCategory.values:
        documents = documents.filter(category=category)
    page_obj = Paginator(documents.order_by("-year", "category", "title_zh"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/document_list.html",
        {
            "page_obj": page_obj,
            "years": years,
            "year": year,
            "category": category,
            "categories": DocumentCategory.choices,
            "language": _language(),
        },
    )


@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.public_document(pk)
    language = _language()
    url = request.build_absolute_uri(request.path)
    return render(
        request,
        "portal/document.html",
        {
            "document": document,
            "title": document.title_for(language),
            "description": document.description_en if language == "en" else document.description_zh,
            "english_missing": language == "en" and not document.title_en,
            "meta_tags": metadata.document_meta(document, language, url),
            "classes": metadata.classification_labels(document.theme_code, document.cake_code, document.service_code),
        },
    )


@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = selectors.public_document(pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("the file is missing") from error
    name = document.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name, content_type=document.file_format or None)


@require_GET
def faq_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portal/faq_list.html", {"categories": selectors.public_faq_categories(), "language": _language()}
    )


@require_GET
def faq_detail(request: HttpRequest, pk: int) -> HttpResponse:
    faq = selectors.public_faq(pk)
    services.faq_view_count(faq=faq)
    language = _language()
    english_missing = language == "en" and not (faq.question_en and faq.answer_en)
    short = "zh" if english_missing else language
    url = request.build_absolute_uri(request.path)
    voted = str(faq.pk) in request.session.get("portal_faq_votes", [])
    return render(
        request,
        "portal/faq_detail.html",
        {
            "faq": faq,
            "question": faq.question_en if short == "en" else faq.question_zh,
            "answer": richtext.render(faq.answer_en if short == "en" else faq.answer_zh),
            "english_missing": english_missing,
            "content_lang": metadata.HTML_LANG[short],
            "meta_tags": metadata.faq_meta(faq, language, url),
            "related": list(faq.related_pages.filter(live=True)),
            "voted": voted,
            "thanks": request.GET.get("thanks") == "1",
            "language": language,
        },
    )


@csrf_protect
@require_POST
def faq_helpful(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    faq = selectors.public_faq(pk)
    votes: list[str] = request.session.get("portal_faq_votes", [])
    answer = request.POST.get("helpful")
    if answer in ("yes", "no") and str(faq.pk) not in votes:
        services.faq_helpful_vote(faq=faq, helpful=answer == "yes")
        request.session["portal_faq_votes"] = [*votes, str(faq.pk)][-200:]
    return HttpResponseRedirect(reverse("portal:faq-detail", args=[faq.pk]) + "?thanks=1#feedback")


def _filters(request: HttpRequest) -> search.Filters:
    kind = request.GET.get("kind", "")
    year = request.GET.get("year", "")
    codes = {}
    for key, scheme in (("theme", "theme"), ("cake", "administration"), ("service", "service")):
        value = request.GET.get(key, "")
        codes[key] = value if classifications.lookup(scheme, value) else ""
    return search.Filters(
        kind=kind if kind in SearchEntry.Kind.values else "",
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        **codes,
    )


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    filters = _filters(request)
    context: dict[str, Any] = {"query": query, "filters": filters, "kinds": SearchEntry.Kind.choices}
    if query:
        result = search.search(query=query, language=_search_language(), filters=filters)
        if result.total == 0 and not filters.active():
            services.unanswered_search_record(query=query, language=_search_language())
        context["result"] = result
        context["facet_limit"] = search.FACET_EXACT_LIMIT
        paginator = Paginator(result.hits, PER_PAGE)  # reads only the ids of the page shown
        context["page_obj"] = paginator.get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        context["base_query"] = params.urlencode()
        context["facet_links"] = _facet_links(request, result)
    return render(request, "portal/search.html", context)


FACET_PARAMS = {"kind": "kind", "theme": "theme", "cake": "cake", "service": "service", "year": "year"}


def _facet_links(request: HttpRequest, result: search.SearchResult) -> list[dict[str, Any]]:
    titles = {
        "kind": translation.gettext("Content type"),
        "theme": str(classifications.SCHEMES["theme"][0]),
        "cake": str(classifications.SCHEMES["administration"][0]),
        "service": str(classifications.SCHEMES["service"][0]),
        "year": translation.gettext("Year"),
    }
    groups = []
    for key, rows in result.facets.items():
        if not rows:
            continue
        name = FACET_PARAMS[key]
        current = request.GET.get(name, "")
        # The query string without this facet (and the page) is the same for every link of the group.
        params = request.GET.copy()
        params.pop("page", None)
        params.pop(name, None)
        without = params.urlencode()
        links = []
        for value, label, count in rows:
            selected = str(value) == current
            query = without if selected else "&".join(filter(None, (without, urlencode({name: value}))))
            links.append({"label": label, "count": count, "selected": selected, "query": query})
        groups.append({"key": key, "title": titles[key], "links": links})
    return groups


@require_GET
def browse_page(request: HttpRequest, scheme: str) -> HttpResponse:
    if scheme not in classifications.SCHEMES:
        raise Http404("no such classification")
    code = request.GET.get("code", "")
    current = classifications.lookup(scheme, code)
    if code and current is None:
        raise Http404("no such code")
    language = _search_language()
    counts = search.browse_counts(scheme=scheme, language=language)
    tree = [
        {"code": c, "depth": len(classifications.with_ancestors(scheme, c.code)) - 1, "count": counts.get(c.code, 0)}
        for c in classifications.codes(scheme).values()
    ]
    entries = search.browse(scheme=scheme, code=code, language=language) if code else None
    page_obj = Paginator(entries, PER_PAGE).get_page(request.GET.get("page")) if entries is not None else None
    schemes = [(key, str(label)) for key, (label, _meta) in classifications.SCHEMES.items()]
    return render(
        request,
        "portal/browse.html",
        {
            "scheme": scheme,
            "scheme_label": classifications.SCHEMES[scheme][0],
            "schemes": schemes,
            "tree": tree,
            "current": current,
            "page_obj": page_obj,
        },
    )


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    """Every public address in both languages, with hreflang alternates where both exist."""
    base = request.build_absolute_uri("/").rstrip("/")
    urls: list[dict[str, Any]] = []

    def add(name: str, *args: object, lastmod: str = "", english: bool = True) -> None:
        zh = base + _in_language("zh-hant", name, *args)
        en = base + _in_language("en", name, *args) if english else ""
        urls.append({"loc": zh, "zh": zh, "en": en, "lastmod": lastmod})
        if english:
            urls.append({"loc": en, "zh": zh, "en": en, "lastmod": lastmod})

    for name in ("shell:home", "portal:info", "portal:news", "portal:documents", "portal:faq", "portal:search"):
        add(name)
    for scheme in classifications.SCHEMES:
        add("portal:browse", scheme)
    for page in (
        selectors.public_pages()
        .exclude(kind=PageKind.HOME)
        .only("slug", "title_en", "body_en", "summary_en", "last_published_at")
    ):
        lastmod = page.last_published_at.date().isoformat() if page.last_published_at else ""
        add("portal:page", page.slug, lastmod=lastmod, english=page.has_english())
    for document in selectors.public_documents().only("pk", "title_en"):
        add("portal:document", document.pk, english=bool(document.title_en))
    for faq_id, question_en in selectors.public_faq_ids():
        add("portal:faq-detail", faq_id, english=bool(question_en))
    return render(request, "portal/sitemap.xml", {"urls": urls}, content_type="application/xml; charset=utf-8")


@require_GET
def robots(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri(reverse("portal-sitemap"))
    lines = ["User-agent: *", "Disallow: /staff/", "Disallow: /en/staff/", "Disallow: /admin/", "Disallow: /api/"]
    if not settings.PRODUCTION:
        # Development and test servers are not for search engines.
        lines = ["User-agent: *", "Disallow: /"]
    lines.append(f"Sitemap: {sitemap_url}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
