"""Benchmark: the website's CJK-bigram search on 100,000 bilingual documents (issue 6).

    .venv/bin/python bench/bench_portal_search.py [--documents 100000] [--queries 500]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres]

Builds a scratch database (SQLite under var/bench/, or a scratch PostgreSQL database), migrates it,
indexes N synthetic bilingual documents through the real tokenizer (one Chinese and one English
index entry each), then, for Q random two-character queries drawn from the Chinese texts:
- latency of the match alone (ids of the first 20 hits) and of the full search page query
  (count, five facets, first 20 hits), p50 / p95 / max;
- recall against plain substring matching over the same texts (target 100%);
- the same queries through SQLite FTS5 with its default unicode61 tokenizer over the raw text,
  which is what Wagtail's SQLite database search backend builds; Wagtail itself is not installed
  (ADR 0006), so its backend is represented by the index it would create, not run.
Figures go to docs/benchmarks.md. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

from scratch_databases import postgres_scratch_database, sqlite_scratch_database  # bench/ is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "var" / "bench"

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


def _setup(postgres: str | None) -> str:
    if postgres:
        url = postgres_scratch_database(postgres, "bench_portal_search")
    else:
        url = sqlite_scratch_database(WORK / "portal_search.sqlite3")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_ENV", "development")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def _fill(count: int, rng: random.Random) -> list[str]:
    import datetime

    from django.db import connection, transaction

    from civicdesk.portal.models import SearchEntry
    from civicdesk.portal.tokenizer import index_text, normalize

    texts: list[str] = []
    start = datetime.date(2015, 1, 1)
    themes = ["110", "120", "130", "140", "210", "310", "320", "330"]
    batch: list[SearchEntry] = []
    for number in range(count):
        chinese, english = _text(rng)
        texts.append(normalize(chinese))
        day = start + datetime.timedelta(days=number % 4000)
        common = {"theme_code": rng.choice(themes), "published_on": day, "year": day.year, "object_id": number}
        batch.append(
            SearchEntry(
                kind="document",
                language="zh-hant",
                title=chinese[:30],
                title_norm=normalize(chinese[:30]),
                snippet=chinese[:240],
                url=f"/publications/{number}/",
                tokens=index_text(chinese),
                **common,
            )
        )
        batch.append(
            SearchEntry(
                kind="document",
                language="en",
                title=english[:30],
                title_norm=english[:30].lower(),
                snippet=english[:240],
                url=f"/en/publications/{number}/",
                tokens=index_text(english),
                **common,
            )
        )
        if len(batch) >= 10_000:
            with transaction.atomic():
                SearchEntry.objects.bulk_create(batch)
            batch = []
    if batch:
        with transaction.atomic():
            SearchEntry.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE portal_searchentry")
    return texts


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms   max {ordered[-1]:7.2f} ms"


def _raw_fts5(texts: list[str], queries: list[str]) -> tuple[list[float], float]:
    """SQLite FTS5 with the default unicode61 tokenizer over the raw text (Wagtail's SQLite index)."""
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE raw USING fts5(body, tokenize='unicode61')")
    db.executemany("INSERT INTO raw(rowid, body) VALUES (?, ?)", ((i + 1, t) for i, t in enumerate(texts)))
    timings, found, expected_total = [], 0, 0
    for query in queries:
        began = time.perf_counter()
        hits = {row[0] - 1 for row in db.execute("SELECT rowid FROM raw WHERE raw MATCH ?", (f'"{query}"',))}
        timings.append((time.perf_counter() - began) * 1000)
        expected = {i for i, text in enumerate(texts) if query in text}
        found += len(hits & expected)
        expected_total += len(expected)
    return timings, (found / expected_total if expected_total else 1.0)


def _chinese_queries(queries: list[str], texts: list[str]) -> None:
    from django.db import connection

    from civicdesk.portal import search
    from civicdesk.portal.models import SearchEntry
    from civicdesk.portal.tokenizer import tokenize

    ids_by_object = dict(SearchEntry.objects.filter(language="zh-hant").values_list("id", "object_id"))

    match_ms, page_ms, found, expected_total, misses = [], [], 0, 0, 0
    for query in queries:
        tokens = tokenize(query, for_query=True)
        began = time.perf_counter()
        list(search.matching(tokens, SearchEntry.objects.filter(language="zh-hant")).values_list("id", flat=True)[:20])
        match_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        result = search.search(query=query, language="zh-hant")
        list(result.entries[:20])
        page_ms.append((time.perf_counter() - began) * 1000)
        hits = {
            ids_by_object[i] for i in search.matching(tokens).filter(language="zh-hant").values_list("id", flat=True)
        }
        expected = {i for i, text in enumerate(texts) if query in text}
        found += len(hits & expected)
        expected_total += len(expected)
        misses += bool(expected - hits)
    recall = found / expected_total if expected_total else 1.0
    print(f"\n{len(queries)} random two-character queries (Chinese)")
    print(f"  ours, match (first 20 ids):        {_percentiles(match_ms)}")
    print(f"  ours, search page (count+facets):  {_percentiles(page_ms)}")
    print(f"  ours, recall vs substring:         {recall:.2%} ({misses} queries missed something)")
    if connection.vendor == "sqlite":
        raw_ms, raw_recall = _raw_fts5(texts, queries)
        print(f"  FTS5 unicode61 on raw text:        {_percentiles(raw_ms)}")
        print(f"  FTS5 unicode61, recall:            {raw_recall:.2%}")
        print("  (the index Wagtail's SQLite database backend builds; Wagtail itself is not installed, ADR 0006)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL; a scratch database is created beside it")
    parser.add_argument("--seed", type=int, default=104)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    url = _setup(args.postgres or None)
    from django.db import connection

    from civicdesk.portal import search
    from civicdesk.portal.tokenizer import tokenize

    began = time.perf_counter()
    texts = _fill(args.documents, rng)
    indexed = time.perf_counter() - began
    print(f"database: {connection.vendor} ({url.split('@')[-1]})")
    print(f"indexed {args.documents:,} bilingual documents ({2 * args.documents:,} entries) in {indexed:.1f} s")

    queries = []
    while len(queries) < args.queries:
        text = rng.choice(texts)
        start = rng.randrange(len(text) - 1)
        candidate = text[start : start + 2]
        if len(tokenize(candidate, for_query=True)) == 1 and len(tokenize(candidate, for_query=True)[0]) == 2:
            queries.append(candidate)
    _chinese_queries(queries, texts)
    english = [rng.choice(ENGLISH_WORDS) for _ in range(100)]
    english_ms = []
    for query in english:
        began = time.perf_counter()
        list(search.search(query=query, language="en").entries[:20])
        english_ms.append((time.perf_counter() - began) * 1000)
    print(f"\n100 English one-word queries, search page: {_percentiles(english_ms)}")


if __name__ == "__main__":
    main()
