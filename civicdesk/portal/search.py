"""Full-text search over the index table, the same hits on SQLite (FTS5) and PostgreSQL (tsvector).

Both backends receive the tokens of `tokenizer.tokenize(query, for_query=True)` and require every
token (AND). Tokens contain only letters, digits and CJK characters, so quoting them is exact on both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Case, Count, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from civicdesk.portal import classifications
from civicdesk.portal.models import SearchEntry
from civicdesk.portal.tokenizer import normalize, tokenize

MAX_QUERY_TOKENS = 32


def _fts5_match(tokens: list[str]) -> str:
    return " ".join(f'"{token}"' for token in tokens)


def _tsquery(tokens: list[str]) -> str:
    return " & ".join(f"'{token}'" for token in tokens)


def matching(tokens: list[str], queryset: QuerySet[SearchEntry] | None = None) -> QuerySet[SearchEntry]:
    """Entries whose tokens include every one of `tokens` (none when `tokens` is empty)."""
    queryset = SearchEntry.objects.all() if queryset is None else queryset
    if not tokens:
        return queryset.none()
    tokens = tokens[:MAX_QUERY_TOKENS]
    if connection.vendor == "sqlite":
        sql = "SELECT rowid FROM portal_search_fts WHERE portal_search_fts MATCH %s"
        return queryset.filter(id__in=RawSQL(sql, [_fts5_match(tokens)]))  # noqa: S611 (constant SQL, bound parameter)
    if connection.vendor == "postgresql":
        # A condition on the row itself (not a sub-query) lets the planner AND the GIN index with
        # the other filters in one bitmap scan.
        sql = "portal_searchentry.search_vector @@ %s::tsquery"
        return queryset.filter(RawSQL(sql, [_tsquery(tokens)], output_field=BooleanField()))  # noqa: S611 (constant SQL, bound parameter)
    raise NotImplementedError(f"portal search supports SQLite and PostgreSQL, not {connection.vendor}")


@dataclass
class Filters:
    kind: str = ""
    theme: str = ""
    cake: str = ""
    service: str = ""
    year: int | None = None

    def active(self) -> bool:
        return bool(self.kind or self.theme or self.cake or self.service or self.year)


@dataclass
class SearchResult:
    query: str
    tokens: list[str]
    entries: QuerySet[SearchEntry]
    total: int
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)


def _code_labels(scheme: str) -> dict[str, str]:
    return {code.code: code.label for code in classifications.codes(scheme).values()}


def _descendants(scheme: str, code: str) -> list[str]:
    table = classifications.codes(scheme)
    found = [code]
    for candidate in table.values():
        if code in classifications.with_ancestors(scheme, candidate.code) and candidate.code != code:
            found.append(candidate.code)
    return found


def apply_filters(queryset: QuerySet[SearchEntry], filters: Filters) -> QuerySet[SearchEntry]:
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.theme:
        queryset = queryset.filter(theme_code__in=_descendants("theme", filters.theme))
    if filters.cake:
        queryset = queryset.filter(cake_code__in=_descendants("administration", filters.cake))
    if filters.service:
        queryset = queryset.filter(service_code__in=_descendants("service", filters.service))
    if filters.year:
        queryset = queryset.filter(year=filters.year)
    return queryset


FACET_COLUMNS = ("kind", "theme_code", "cake_code", "service_code", "year")


def _facets(queryset: QuerySet[SearchEntry]) -> tuple[dict[str, dict[str, int]], int]:
    """Counts per value of every facet column, from one grouped query (one full-text match)."""
    counts: dict[str, dict[str, int]] = {column: {} for column in FACET_COLUMNS}
    total = 0
    rows = queryset.order_by().values_list(*FACET_COLUMNS).annotate(n=Count("id")).values_list(*FACET_COLUMNS, "n")
    for *values, n in rows:
        total += n
        for column, value in zip(FACET_COLUMNS, values, strict=True):
            if value not in ("", None):
                key = str(value)
                counts[column][key] = counts[column].get(key, 0) + n
    return counts, total


def _labelled(counts: dict[str, int], labels: dict[str, str]) -> list[tuple[str, str, int]]:
    return sorted(((value, labels.get(value, value), n) for value, n in counts.items()), key=lambda r: (-r[2], r[0]))


def search(*, query: str, language: str, filters: Filters | None = None) -> SearchResult:
    filters = filters or Filters()
    tokens = tokenize(query, for_query=True)
    base = matching(tokens, SearchEntry.objects.filter(language=language))
    filtered = apply_filters(base, filters)
    needle = normalize(query).strip()
    ordered = filtered.annotate(
        title_hit=Case(When(title_norm__contains=needle, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("-title_hit", "-published_on", "-id")
    counts, total = _facets(filtered)
    facets = {
        "kind": _labelled(counts["kind"], {k: str(v) for k, v in SearchEntry.Kind.choices}),
        "theme": _labelled(counts["theme_code"], _code_labels("theme")),
        "cake": _labelled(counts["cake_code"], _code_labels("administration")),
        "service": _labelled(counts["service_code"], _code_labels("service")),
        "year": sorted(((y, y, n) for y, n in counts["year"].items()), key=lambda r: -int(r[0])),
    }
    return SearchResult(query=query, tokens=tokens, entries=ordered, total=total, facets=facets)


def browse(*, scheme: str, code: str, language: str) -> QuerySet[SearchEntry]:
    column = {"theme": "theme_code", "administration": "cake_code", "service": "service_code"}[scheme]
    queryset = SearchEntry.objects.filter(language=language)
    if code:
        return queryset.filter(**{f"{column}__in": _descendants(scheme, code)}).order_by("-published_on", "-id")
    return queryset.exclude(**{column: ""}).order_by("-published_on", "-id")


def browse_counts(*, scheme: str, language: str) -> dict[str, int]:
    """Items per code, each counted under its own code and every ancestor."""
    column = {"theme": "theme_code", "administration": "cake_code", "service": "service_code"}[scheme]
    rows = (
        SearchEntry.objects.filter(language=language)
        .exclude(**{column: ""})
        .order_by()
        .values_list(column)
        .annotate(n=Count("id"))
        .values_list(column, "n")
    )
    counts: dict[str, int] = {}
    for code, n in rows:
        for ancestor in classifications.with_ancestors(scheme, code) or [code]:
            counts[ancestor] = counts.get(ancestor, 0) + n
    return counts
