"""Full-text search over the index table, the same hits on SQLite (FTS5) and PostgreSQL (tsvector).

Every condition of a search is a condition of the full-text index: the query's tokens, marker
tokens for the filters (kind, classification codes, year) and "in the title" (see
`tokenizer.field_marker` / `title_marker`; `entry_tokens` writes them), and the language — on SQLite
the FTS5 column the entry's tokens are in (`zh` or `en`, migration 0003), on PostgreSQL the
`language` column (the partition) of the narrow match table holding the tsvector (migration 0006).
So the index alone answers how many entries match, with or without filters, without reading the
entries' rows (on PostgreSQL: only the narrow rows of the hits):
- total and title-hit counts: one statement, exact;
- the page of hits (title hits first, then newest): the ids of that page only; on SQLite the FTS5
  rowid is a date-order key (migration 0005), so the index yields the newest hits first and stops
  after the page;
- facet counts: one grouped query over the newest FACET_EXACT_LIMIT hits, read from an index of
  the facet columns (migration 0005): exact when there are no more hits, otherwise lower bounds
  (`SearchResult.facets_complete`), because reading 17,000-45,000 rows per query costs 45-230 ms on
  SQLite at 100,000 documents (docs/portal.md, "Benchmark").
Both databases receive the same token expression; tokens contain only letters, digits, CJK
characters and "·", so quoting them is exact on both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.expressions import RawSQL

from civicdesk.portal import classifications
from civicdesk.portal.models import SearchEntry
from civicdesk.portal.tokenizer import field_marker, index_text, title_marker, tokenize

MAX_QUERY_TOKENS = 32
# Up to this many hits, facet counts are exact; above, they are counted over this many hits.
FACET_EXACT_LIMIT = 1000
SCHEME_FIELDS = {"theme": "theme", "administration": "cake", "service": "service"}


def entry_tokens(
    *,
    title: str,
    text: str,
    language: str,
    kind: str,
    codes: tuple[str, str, str],
    year: int,
) -> str:
    """The `tokens` value of an index entry: the text's tokens, its title markers and its field markers."""
    title_tokens = tokenize(title)
    markers = [title_marker(token) for token in title_tokens]
    markers.append(field_marker("kind", kind))
    for name, code in zip(("theme", "cake", "service"), codes, strict=True):
        if code:
            markers.append(field_marker(name, code))
    markers.append(field_marker("year", year))
    return " ".join(part for part in (index_text(title, text), " ".join(markers)) if part)


@dataclass(frozen=True)
class Match:
    """Entries in `language` having every token of each `all_of` group (a group is alternatives: any
    one of its tokens), and not having all of `none_of` (when given)."""

    language: str
    all_of: tuple[tuple[str, ...], ...]
    none_of: tuple[str, ...] = ()

    def also(self, *tokens: str) -> Match:
        return Match(self.language, self.all_of + tuple((token,) for token in tokens), self.none_of)

    def without_all(self, *tokens: str) -> Match:
        return Match(self.language, self.all_of, tuple(tokens))

    def fts5(self) -> str:
        """An FTS5 query limited to the language's column (cheaper than a language marker: it reads
        only the query tokens' lists, not the list of every entry of the language)."""
        column = fts_column(self.language)

        def group(tokens: tuple[str, ...]) -> str:
            return "(" + " OR ".join(f'"{token}"' for token in tokens) + ")"

        expression = f"{column} : (" + " AND ".join(group(tokens) for tokens in self.all_of) + ")"
        if self.none_of:
            excluded = " AND ".join(f'"{t}"' for t in self.none_of)
            expression = f"({expression}) NOT ({column} : ({excluded}))"
        return expression

    def tsquery(self) -> str:
        def group(tokens: tuple[str, ...]) -> str:
            return "(" + " | ".join(f"'{token}'" for token in tokens) + ")"

        expression = " & ".join(group(tokens) for tokens in self.all_of)
        if self.none_of:
            expression += " & !(" + " & ".join(f"'{t}'" for t in self.none_of) + ")"
        return expression


# --- The statements, one pair per database -------------------------------------------------------

# On SQLite the FTS5 rowid of an entry is its date-order key, (julian day of published_on << 40) | id
# (migration 0005), so a match read in rowid order DESC is newest first; this mask recovers the id.
ENTRY_ID_BITS = 40
ENTRY_ID_MASK = (1 << ENTRY_ID_BITS) - 1
_FTS_IDS = f"SELECT rowid & {ENTRY_ID_MASK} FROM portal_search_fts WHERE portal_search_fts MATCH %s"  # noqa: S608 (constant)
# On PostgreSQL the tsvector is in the narrow table portal_searchmatch (migration 0006): a GIN match
# reads every hit's row, so the rows hold only what a search reads (language, date, facet columns).
_POSTGRES_MATCH = "FROM portal_searchmatch WHERE language = %s AND search_vector @@ %s::tsquery"
_POSTGRES_IDS = f"SELECT id {_POSTGRES_MATCH}"
_POSTGRES_NEWEST = "ORDER BY published_on DESC, id DESC LIMIT %s OFFSET %s"


def fts_column(language: str) -> str:
    """The SQLite FTS5 column holding the tokens of entries in `language`."""
    return "en" if language.startswith("en") else "zh"


def _vendor() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"portal search supports SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def _params(match: Match) -> list[str]:
    if _vendor() == "sqlite":
        return [match.fts5()]
    return [match.language, match.tsquery()]


def _newest_ids_sql() -> str:
    """SQL selecting the ids of a match's hits newest first (published_on DESC, id DESC), with
    `LIMIT %s OFFSET %s`; params: `_params` then limit and offset. SQLite reads the FTS5 index in
    rowid order (the date-order key), so only the hits up to offset + limit are read."""
    if _vendor() == "sqlite":
        return f"{_FTS_IDS} ORDER BY rowid DESC LIMIT %s OFFSET %s"
    return f"{_POSTGRES_IDS} {_POSTGRES_NEWEST}"


def _counts(*matches: Match) -> list[int]:
    """How many entries each match finds, in one statement (full-text index only on SQLite)."""
    if _vendor() == "sqlite":
        part = "(SELECT count(*) FROM portal_search_fts WHERE portal_search_fts MATCH %s)"
    else:
        part = f"(SELECT count(*) FROM ({_POSTGRES_IDS}) AS hits)"  # noqa: S608 (constant)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([part] * len(matches)), [p for m in matches for p in _params(m)])
        row = cursor.fetchone()
    return [int(n) for n in row]


def _page_ids(match: Match, *, count: int, offset: int, limit: int) -> list[int]:
    """Ids of the hits at [offset, offset + limit) in date order (newest first, then highest id)."""
    if limit <= 0 or offset >= count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_newest_ids_sql(), [*_params(match), limit, offset])
        return [row[0] for row in cursor.fetchall()]


FACET_COLUMNS = ("kind", "theme_code", "cake_code", "service_code", "year")


def _facet_counts(match: Match) -> tuple[dict[str, dict[str, int]], int]:
    """Counts per value of every facet column over the newest FACET_EXACT_LIMIT hits (all hits when
    there are no more): one grouped query reading the facet index (migration 0005) on SQLite, the
    narrow match table (migration 0006) on PostgreSQL, not the entries' rows."""
    columns = ", ".join(FACET_COLUMNS)
    if _vendor() == "sqlite":
        table = "portal_searchentry INDEXED BY portal_entry_facets"
        sql = f"SELECT {columns}, count(*) FROM {table} WHERE id IN ({_newest_ids_sql()}) GROUP BY {columns}"  # noqa: S608
    else:  # the match table's rows carry the facet columns
        newest = f"SELECT {columns} {_POSTGRES_MATCH} {_POSTGRES_NEWEST}"
        sql = f"SELECT {columns}, count(*) FROM ({newest}) AS newest GROUP BY {columns}"  # noqa: S608
    counts: dict[str, dict[str, int]] = {column: {} for column in FACET_COLUMNS}
    counted = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_params(match), FACET_EXACT_LIMIT, 0])
        for *values, n in cursor.fetchall():
            counted += n
            for column, value in zip(FACET_COLUMNS, values, strict=True):
                if value not in ("", None):
                    key = str(value)
                    counts[column][key] = counts[column].get(key, 0) + n
    return counts, counted


# --- Public API ----------------------------------------------------------------------------------


@dataclass
class Filters:
    kind: str = ""
    theme: str = ""
    cake: str = ""
    service: str = ""
    year: int | None = None

    def active(self) -> bool:
        return bool(self.kind or self.theme or self.cake or self.service or self.year)


def _descendants(scheme: str, code: str) -> list[str]:
    table = classifications.codes(scheme)
    found = [code]
    for candidate in table.values():
        if code in classifications.with_ancestors(scheme, candidate.code) and candidate.code != code:
            found.append(candidate.code)
    return found


def scope(language: str, filters: Filters | None = None) -> Match:
    """The match for "in this language, passing these filters" (a classification code includes its children)."""
    filters = filters or Filters()
    groups: list[tuple[str, ...]] = []
    if filters.kind:
        groups.append((field_marker("kind", filters.kind),))
    for scheme, name in SCHEME_FIELDS.items():
        code = getattr(filters, name)
        if code:
            groups.append(tuple(field_marker(name, c) for c in _descendants(scheme, code)))
    if filters.year:
        groups.append((field_marker("year", filters.year),))
    return Match(language, tuple(groups))


def _matching(match: Match, queryset: QuerySet[SearchEntry]) -> QuerySet[SearchEntry]:
    """The entries a match finds, as a QuerySet (for callers that filter or count them further)."""
    if _vendor() == "sqlite":
        return queryset.filter(id__in=RawSQL(_FTS_IDS, [match.fts5()]))  # noqa: S611 (constant SQL, bound parameter)
    return queryset.filter(id__in=RawSQL(_POSTGRES_IDS, [match.language, match.tsquery()]))  # noqa: S611


class SearchHits(Sequence[SearchEntry]):
    """The hits in page order (title hits first, then the others; each newest first), read a slice at a time."""

    def __init__(self, *, titled: Match, others: Match, titled_count: int, total: int) -> None:
        self.titled, self.others = titled, others
        self.titled_count, self.total = titled_count, total

    def __len__(self) -> int:
        return self.total

    def count(self, value: Any = None) -> int:  # Paginator calls count() for the total
        return self.total

    @overload
    def __getitem__(self, index: int) -> SearchEntry: ...
    @overload
    def __getitem__(self, index: slice) -> list[SearchEntry]: ...
    def __getitem__(self, index: int | slice) -> SearchEntry | list[SearchEntry]:
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, _step = index.indices(self.total)
        ids = _page_ids(self.titled, count=self.titled_count, offset=start, limit=stop - start)
        others_start = max(0, start - self.titled_count)
        ids += _page_ids(
            self.others, count=self.total - self.titled_count, offset=others_start, limit=stop - start - len(ids)
        )
        # The token lists are the bulk of an entry's row and no page shows them.
        entries = SearchEntry.objects.defer("tokens", "title_norm").in_bulk(ids)
        return [entries[i] for i in ids if i in entries]

    def __iter__(self) -> Iterator[SearchEntry]:
        return iter(self[0 : self.total])


@dataclass
class SearchResult:
    query: str
    tokens: list[str]
    hits: Sequence[SearchEntry]
    total: int
    entries: QuerySet[SearchEntry]
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    facets_complete: bool = True


def _code_label(scheme: str) -> Callable[[str], str]:
    def label(value: str) -> str:
        code = classifications.lookup(scheme, value)
        return code.label if code else value

    return label


def _labelled(counts: dict[str, int], label: Callable[[str], str]) -> list[tuple[str, str, int]]:
    """(value, label, count) rows, most hits first; only the values found are labelled."""
    return sorted(((value, label(value), n) for value, n in counts.items()), key=lambda r: (-r[2], r[0]))


def search(*, query: str, language: str, filters: Filters | None = None) -> SearchResult:
    tokens = tokenize(query, for_query=True)[:MAX_QUERY_TOKENS]
    if not tokens:
        return SearchResult(query=query, tokens=[], hits=[], total=0, entries=SearchEntry.objects.none())
    scoped = scope(language, filters)
    match = scoped.also(*tokens)
    markers = [title_marker(token) for token in tokens]
    # A token's title marker is only indexed with the token itself, so the markers alone say "in the title".
    titled = scoped.also(*markers)
    others = match.without_all(*markers)
    total, titled_count = _counts(match, titled)
    hits = SearchHits(titled=titled, others=others, titled_count=titled_count, total=total)
    entries = _matching(match, SearchEntry.objects.all()).order_by("-published_on", "-id")
    if not total:
        return SearchResult(query=query, tokens=tokens, hits=[], total=0, entries=entries)
    counts, counted = _facet_counts(match)
    facets = {
        "kind": _labelled(counts["kind"], SearchEntry.label_of_kind),
        "theme": _labelled(counts["theme_code"], _code_label("theme")),
        "cake": _labelled(counts["cake_code"], _code_label("administration")),
        "service": _labelled(counts["service_code"], _code_label("service")),
        "year": sorted(((y, y, n) for y, n in counts["year"].items()), key=lambda r: -int(r[0])),
    }
    return SearchResult(
        query=query,
        tokens=tokens,
        hits=hits,
        total=total,
        entries=entries,
        facets=facets,
        facets_complete=counted == total,
    )


def browse(*, scheme: str, code: str, language: str) -> QuerySet[SearchEntry]:
    column = classifications.CODE_FIELDS[scheme]
    queryset = SearchEntry.objects.filter(language=language)
    if code:
        return queryset.filter(**{f"{column}__in": _descendants(scheme, code)}).order_by("-published_on", "-id")
    return queryset.exclude(**{column: ""}).order_by("-published_on", "-id")


def browse_counts(*, scheme: str, language: str) -> dict[str, int]:
    """Items per code, each counted under its own code and every ancestor."""
    column = classifications.CODE_FIELDS[scheme]
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
