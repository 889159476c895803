"""JSON API of the portal app (mounted under /api/v1/portal/): public search and the page list."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema

from civicdesk.portal import search, services
from civicdesk.portal.models import SearchEntry

router = Router(tags=["portal"])


class SearchIn(Schema):
    q: str
    lang: str = "zh-hant"
    kind: str = ""
    theme: str = ""
    cake: str = ""
    service: str = ""
    year: int | None = None


class HitOut(Schema):
    kind: str
    title: str
    url: str
    snippet: str
    published_on: date
    theme_code: str
    cake_code: str
    service_code: str


class SearchOut(Schema):
    query: str
    total: int
    hits: list[HitOut]


@router.get("/search", response=SearchOut, summary="Search the public website (first 50 hits)")
def search_api(request: HttpRequest, params: Query[SearchIn]) -> dict[str, object]:
    language = "en" if params.lang == "en" else "zh-hant"
    filters = search.Filters(
        kind=params.kind if params.kind in SearchEntry.Kind.values else "",
        theme=params.theme,
        cake=params.cake,
        service=params.service,
        year=params.year,
    )
    result = search.search(query=params.q[:200], language=language, filters=filters)
    if result.total == 0 and not filters.active():
        services.unanswered_search_record(query=params.q, language=language)
    return {"query": params.q, "total": result.total, "hits": list(result.hits[:50])}
