"""Benchmark: the website's CJK-bigram search on 100,000 bilingual documents, beside Wagtail's (issue 6).

    make bench      (installs requirements-bench.txt: Wagtail, for this script only)
    .venv/bin/python bench/bench_portal_search.py [--documents 100000] [--queries 500]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--wagtail-queries 500]
        [--wagtail-queries-unanalyzed 5] [--reuse]

Builds a scratch database (SQLite under var/bench/, or a scratch PostgreSQL database), migrates it
with bench/portal_search_settings.py (the project plus Wagtail's search app and a bench-only indexed
model), then stores N synthetic bilingual documents twice: in our index (one Chinese and one
English entry each, through the real tokenizer and markers) and as `BenchDocument` rows (the same
titles and texts, one row per document and language) indexed by Wagtail's own database search
backend, `wagtail.search.backends.database` (SQLite FTS5 or PostgreSQL full text, chosen by Wagtail
from the connection). For Q random two-character queries drawn from the Chinese texts it prints:
- ours: the match alone (ids of the newest 20 hits), search() (counts, facets, first 20 hits) and
  the whole search page (GET /search/?q=… through Django's test client: view, template, middleware);
- Wagtail: backend.search(query, Chinese documents) in its default order (relevance), the total and
  the first 20 hits, for the first --wagtail-queries of the same queries;
- recall of each against plain substring matching over the same texts (target 100%).
p50 / p95 / max each. On SQLite everything runs twice: first as Django leaves a new database (no
planner statistics; Wagtail takes 5-12 s per query then, so only --wagtail-queries-unanalyzed of
them), then after ANALYZE. PostgreSQL is measured after VACUUM ANALYZE. --reuse skips building the
database when an earlier complete run left it (for profiling; recorded runs build it afresh); it is
still migrated, and on PostgreSQL vacuumed and analysed again.
Never part of the test suite; the tests do not need Wagtail.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the project and bench.* (settings, the Wagtail model)
sys.path.insert(0, str(ROOT / "bench"))
WORK = ROOT / "var" / "bench"

from scratch_databases import postgres_scratch_database, sqlite_scratch_database  # noqa: E402

CHINESE_WORDS = [
    "行政執行",
    "分署",
    "義務人",
    "欠稅",
    "罰鍰",
    "健保費",
    "勞保費",
    "分期繳納",
    "清償證明",
    "拍賣",
    "查封",
    "不動產",
    "動產",
    "車輛",
    "超商",
    "繳款單",
    "條碼",
    "轉帳",
    "匯款",
    "退費",
    "限制出境",
    "擔保",
    "執行命令",
    "移送機關",
    "財產",
    "薪資",
    "扣押",
    "存款",
    "保險",
    "解約金",
    "公告",
    "投標",
    "保證金",
    "點交",
    "開標",
    "得標",
    "鑑價",
    "底價",
    "減價",
    "拍定",
    "服務台",
    "單一窗口",
    "中午",
    "值班",
    "預約",
    "申請書",
    "身分證明",
    "委託書",
    "代理人",
    "臺中市",
    "彰化縣",
    "南投縣",
    "台中",
    "西屯區",
    "北屯區",
    "豐原區",
    "大里區",
    "颱風",
    "停班",
    "春節",
    "連假",
    "滿意度",
    "調查",
    "問卷",
    "改善",
    "施政",
    "計畫",
    "預算",
    "決算",
    "人事費",
    "業務費",
    "設備",
    "投資",
    "統計",
    "報表",
    "季報",
    "年度",
    "目標",
    "指標",
    "達成",
    "辦理",
    "期限",
    "工作天",
    "詐騙",
    "專線",
    "個人資料",
    "遮蔽",
    "無障礙",
    "網站",
    "英文",
    "查詢",
    "進度",
    "案號",
    "股別",
    "執行員",
    "書記官",
    "電話",
    "地址",
    "交通",
]
ENGLISH_WORDS = [
    "enforcement",
    "branch",
    "obligor",
    "tax",
    "fine",
    "premium",
    "instalment",
    "clearance",
    "certificate",
    "auction",
    "seizure",
    "property",
    "vehicle",
    "convenience",
    "store",
    "payment",
    "slip",
    "barcode",
    "transfer",
    "refund",
    "exit",
    "ban",
    "security",
    "order",
    "agency",
    "assets",
    "salary",
    "deposit",
    "insurance",
    "notice",
    "bid",
    "deposit",
    "handover",
    "opening",
    "winning",
    "valuation",
    "counter",
    "window",
    "lunch",
    "duty",
    "appointment",
    "form",
    "identity",
    "proxy",
    "taichung",
    "changhua",
    "nantou",
    "typhoon",
    "holiday",
    "survey",
    "satisfaction",
    "plan",
    "budget",
    "accounts",
    "statistics",
    "report",
    "quarter",
    "target",
    "deadline",
    "working",
    "days",
    "fraud",
    "privacy",
    "accessibility",
    "progress",
]


def _text(rng: random.Random) -> tuple[str, str]:
    chinese = "，".join(
        "".join(rng.choice(CHINESE_WORDS) for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(3, 8))
    )
    english = " ".join(rng.choice(ENGLISH_WORDS) for _ in range(rng.randint(20, 60)))
    return chinese + "。", english + "."


def _filled_marker(postgres: str | None, documents: int, seed: int) -> Path:
    """A file saying the scratch database was filled completely by a run with these arguments."""
    where = "postgres" if postgres else "sqlite"
    return WORK / f"portal_search-{where}-{documents}-{seed}.filled"


def _setup(postgres: str | None, documents: int, *, reuse: bool) -> str:
    if postgres:
        base, _slash, _db = postgres.rpartition("/")
        name = f"bench_portal_search_{documents}"
        url = f"{base}/{name}" if reuse else postgres_scratch_database(postgres, name)
    else:
        path = WORK / f"portal_search-{documents}.sqlite3"
        url = f"sqlite:///{path}" if reuse else sqlite_scratch_database(path)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.portal_search_settings"
    os.environ.setdefault("DJANGO_ENV", "development")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)  # run_syncdb: the bench model has no migrations
    from django.db import connection

    if reuse and connection.vendor == "sqlite":
        # An earlier run ended with ANALYZE; start again from a database without statistics.
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat4")
        connection.close()
    if reuse and connection.vendor == "postgresql":
        # As after a fill: statistics and visibility map, also for tables a new migration just built.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return url


def _fill(count: int, rng: random.Random, *, store: bool = True) -> tuple[list[str], float, float]:
    """Store the documents in our index and Wagtail's; returns the normalised Chinese texts and both times.

    With `store=False` only the texts are generated (the same ones: same seed), for a reused database."""
    import datetime

    from django.db import connection, transaction

    from bench.portal_wagtail.models import BenchDocument
    from civicdesk.portal.models import SearchEntry
    from civicdesk.portal.search import entry_tokens
    from civicdesk.portal.tokenizer import normalize

    texts: list[str] = []
    documents: list[tuple[int, str, str, str, datetime.date, str]] = []
    start = datetime.date(2015, 1, 1)
    themes = ["110", "120", "130", "140", "210", "310", "320", "330"]
    for number in range(count):
        chinese, english = _text(rng)
        texts.append(normalize(chinese))
        day = start + datetime.timedelta(days=number % 4000)
        theme = rng.choice(themes)
        documents.append((number, "zh-hant", chinese, normalize(chinese[:30]), day, theme))
        documents.append((number, "en", english, english[:30].lower(), day, theme))
    if not store:
        return texts, 0.0, 0.0

    began = time.perf_counter()
    for first in range(0, len(documents), 10_000):
        batch = [
            SearchEntry(
                kind="document",
                language=language,
                title=text[:30],
                title_norm=title_norm,
                snippet=text[:240],
                url=f"/{'en/' if language == 'en' else ''}publications/{number}/",
                tokens=entry_tokens(
                    title=text[:30], text=text, language=language, kind="document", codes=(theme, "", ""), year=day.year
                ),
                theme_code=theme,
                published_on=day,
                year=day.year,
                object_id=number,
            )
            for number, language, text, title_norm, day, theme in documents[first : first + 10_000]
        ]
        with transaction.atomic():
            SearchEntry.objects.bulk_create(batch)
    ours = time.perf_counter() - began

    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    began = time.perf_counter()
    for first in range(0, len(documents), 10_000):
        rows = [
            BenchDocument(object_id=number, language=language, title=text[:30], body=text)
            for number, language, text, _norm, _day, _theme in documents[first : first + 10_000]
        ]
        with transaction.atomic():
            created = BenchDocument.objects.bulk_create(rows)
            backend.add_bulk(BenchDocument, created)
    theirs = time.perf_counter() - began
    if connection.vendor == "postgresql":
        # What autovacuum would have done by the time such a site is searched: statistics for the
        # planner and the visibility map (index-only scans), for both sides' tables.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return texts, ours, theirs


def _percentiles(samples: list[float]) -> str:
    if not samples:
        return "not run"
    ordered = sorted(samples)
    p95 = ordered[math.ceil(len(ordered) * 0.95) - 1]  # nearest rank
    return f"p50 {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms   max {ordered[-1]:7.2f} ms"


def _timed(samples: list[float], work: Callable[[], object]) -> object:
    began = time.perf_counter()
    result = work()
    samples.append((time.perf_counter() - began) * 1000)
    return result


def _recall(found_by_query: list[set[int]], queries: list[str], texts: list[str]) -> tuple[float, int]:
    found = expected_total = misses = 0
    for query, hits in zip(queries, found_by_query, strict=True):
        expected = {i for i, text in enumerate(texts) if query in text}
        found += len(hits & expected)
        expected_total += len(expected)
        misses += bool(expected - hits)
    return (found / expected_total if expected_total else 1.0), misses


def _run(queries: list[str], language: str, *, wagtail_queries: int = 0) -> dict[str, list[float]]:
    """Time every stage for the queries; returns the samples and the hit sets (ours, Wagtail's)."""
    from django.db import connection
    from django.test import Client
    from wagtail.search.backends import get_search_backend

    from bench.portal_wagtail.models import BenchDocument
    from civicdesk.portal import search
    from civicdesk.portal.tokenizer import tokenize

    backend = get_search_backend()
    client = Client()
    prefix = "/en" if language == "en" else ""
    timings: dict[str, list[float]] = {"match": [], "search": [], "page": [], "wagtail": []}
    client.get(f"{prefix}/search/", {"q": queries[0]})  # warm-up: templates, URL resolver, translations
    # One pass per stage, so no stage finds the query's pages already read by another stage.
    for query in queries:
        match = search.scope(language).also(*tokenize(query, for_query=True))

        def first_ids(match: search.Match = match) -> list[int]:
            with connection.cursor() as cursor:
                cursor.execute(search._newest_ids_sql(), [*search._params(match), 20, 0])
                return [row[0] for row in cursor.fetchall()]

        _timed(timings["match"], first_ids)
    for query in queries:

        def search_and_page(query: str = query) -> list[object]:
            return list(search.search(query=query, language=language).hits[0:20])

        _timed(timings["search"], search_and_page)
    for query in queries:

        def page(query: str = query) -> int:
            response = client.get(f"{prefix}/search/", {"q": query})
            assert response.status_code == 200, response.status_code
            return len(response.content)

        _timed(timings["page"], page)
    # Wagtail's queries run after ours, not between them: they scan its tables and would evict our
    # pages from the connection's cache, making ours look slower than they are.
    for query in queries[:wagtail_queries]:

        def wagtail(query: str = query) -> list[int]:
            # What a search page needs: the total (for the pager) and the first 20 hits, in
            # Wagtail's default order (relevance).
            results = backend.search(query, BenchDocument.objects.filter(language=language))
            results.count()
            return [document.object_id for document in results[:20]]

        _timed(timings["wagtail"], wagtail)
    return timings


def _hit_sets(queries: list[str], language: str, wagtail_queries: int) -> tuple[list[set[int]], list[set[int]]]:
    from wagtail.search.backends import get_search_backend

    from bench.portal_wagtail.models import BenchDocument
    from civicdesk.portal import search

    backend = get_search_backend()
    ours, theirs = [], []
    for query in queries:
        ours.append(set(search.search(query=query, language=language).entries.values_list("object_id", flat=True)))
    for query in queries[:wagtail_queries]:
        # A set needs no order: skipping relevance spares a per-hit scoring sub-query (not timed).
        results = backend.search(query, BenchDocument.objects.filter(language=language), order_by_relevance=False)
        theirs.append({document.object_id for document in results})
    return ours, theirs


def _report(title: str, timings: dict[str, list[float]], recall: tuple[str, str] | None) -> None:
    print(f"\n{title}")
    print(f"  ours, match (newest 20 ids):                {_percentiles(timings['match'])}")
    print(f"  ours, search() (counts, facets, 20 hits):   {_percentiles(timings['search'])}")
    print(f"  ours, whole search page (GET /search/):     {_percentiles(timings['page'])}")
    if timings["wagtail"]:
        print(f"  Wagtail backend (total + first 20 hits):    {_percentiles(timings['wagtail'])}")
        print(f"    ({len(timings['wagtail'])} of the queries)")
    if recall:
        print(f"  recall vs substring, ours:    {recall[0]}")
        print(f"  recall vs substring, Wagtail: {recall[1]}")


def _recall_lines(queries: list[str], texts: list[str], wagtail_queries: int) -> tuple[str, str]:
    ours, theirs = _hit_sets(queries, "zh-hant", wagtail_queries)
    ours_recall, ours_misses = _recall(ours, queries, texts)
    ours_line = f"{ours_recall:.2%} ({ours_misses} of {len(queries)} queries missed something)"
    if not wagtail_queries:
        return ours_line, "not run"
    wagtail_recall, wagtail_misses = _recall(theirs, queries[:wagtail_queries], texts)
    return ours_line, f"{wagtail_recall:.2%} ({wagtail_misses} of the first {wagtail_queries} queries missed something)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL; a scratch database is created beside it")
    parser.add_argument("--seed", type=int, default=104)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the scratch database an earlier complete run with the same --documents and --seed filled "
        "(for profiling; recorded runs build it afresh)",
    )
    parser.add_argument(
        "--wagtail-queries",
        type=int,
        default=500,
        help="how many of the queries also go through Wagtail once the database has statistics (the first N)",
    )
    parser.add_argument(
        "--wagtail-queries-unanalyzed",
        type=int,
        default=5,
        help="SQLite: how many go through Wagtail before ANALYZE (5-12 s each at 100,000 documents)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    marker = _filled_marker(args.postgres or None, args.documents, args.seed)
    reuse = args.reuse and marker.exists()
    url = _setup(args.postgres or None, args.documents, reuse=reuse)
    from django.db import connection
    from wagtail.search.backends import get_search_backend

    from civicdesk.portal.tokenizer import tokenize

    marker.unlink(missing_ok=True)
    texts, ours_s, wagtail_s = _fill(args.documents, rng, store=not reuse)
    marker.write_text("filled\n")
    print(f"database: {connection.vendor} ({url.split('@')[-1]}); load average {os.getloadavg()[0]:.1f}")
    print(f"Wagtail backend: {type(get_search_backend()).__module__}.{type(get_search_backend()).__name__}")
    print(f"stored {args.documents:,} bilingual documents ({2 * args.documents:,} entries each side):")
    if reuse:
        print("  (reused the database an earlier run filled: no indexing times)")
    else:
        print(f"  our index {ours_s:.1f} s, Wagtail's index {wagtail_s:.1f} s")

    queries = []
    while len(queries) < args.queries:
        text = rng.choice(texts)
        start = rng.randrange(len(text) - 1)
        candidate = text[start : start + 2]
        tokens = tokenize(candidate, for_query=True)
        if len(tokens) == 1 and len(tokens[0]) == 2:
            queries.append(candidate)
    wagtail_queries = min(args.wagtail_queries, len(queries))
    english = [rng.choice(ENGLISH_WORDS) for _ in range(100)]
    chinese_title = f"{len(queries)} random two-character queries (Chinese)"
    if connection.vendor == "sqlite":
        # A new SQLite database has no planner statistics (Django never runs ANALYZE); PostgreSQL's
        # were gathered after the load. Both sides are measured in both states on SQLite.
        unanalyzed = min(args.wagtail_queries_unanalyzed, len(queries))
        print("\n=== SQLite without statistics (as Django leaves it) ===")
        timings = _run(queries, "zh-hant", wagtail_queries=unanalyzed)
        _report(chinese_title, timings, _recall_lines(queries, texts, 0))
        _report("100 English one-word queries (English site)", _run(english, "en"), None)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print("\n=== SQLite after ANALYZE (planner statistics, as PostgreSQL has) ===")
    timings = _run(queries, "zh-hant", wagtail_queries=wagtail_queries)
    _report(chinese_title, timings, _recall_lines(queries, texts, wagtail_queries))
    # Wagtail is left out of the English queries: this benchmark checks recall of Chinese substrings.
    _report("100 English one-word queries (English site)", _run(english, "en"), None)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
