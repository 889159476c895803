"""Search finds pages by any two-character word, folds variants, and gives the same hits on SQLite
and PostgreSQL (this module runs on both legs; each leg compares the database with one Python
reference, so the two databases agree with each other)."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicdesk.portal import search
from civicdesk.portal.models import Page, SearchEntry, UnansweredSearch
from civicdesk.portal.tokenizer import tokenize

pytestmark = pytest.mark.django_db

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
CHINESE_TEXT = st.lists(
    st.one_of(st.text(alphabet=CJK, min_size=1, max_size=12), st.sampled_from(["，", "。", "、", "臺中", "台中"])),
    min_size=1,
    max_size=8,
).map("".join)


def _hits(query: str, language: str = "zh-hant") -> set[tuple[str, int]]:
    entries = search.search(query=query, language=language).entries
    return set(entries.values_list("kind", "object_id"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=CHINESE_TEXT)
def test_every_two_character_substring_finds_the_page(publish: Callable[..., Page], text: str) -> None:
    page = publish(title_zh="頁", body_zh=text)
    for start in range(len(text) - 1):
        word = text[start : start + 2]
        if not tokenize(word, for_query=True):
            continue  # two punctuation marks
        assert ("page", page.pk) in _hits(word), f"{word!r} did not find {text!r} on {connection.vendor}"


def test_two_character_words_and_single_characters(publish: Callable[..., Page]) -> None:
    auction = publish(title_zh="不動產拍賣公告", body_zh="本分署將於下月舉行拍賣。")
    instalment = publish(title_zh="分期繳納", body_zh="欠繳罰鍰可以申請分期繳納。")
    assert _hits("拍賣") == {("page", auction.pk)}
    assert _hits("分期") == {("page", instalment.pk)}
    assert _hits("罰鍰") == {("page", instalment.pk)}
    assert _hits("鍰") == {("page", instalment.pk)}
    assert _hits("拍賣 分期") == set()
    assert _hits("賣拍") == set()


def test_variants_and_full_width_forms_find_each_other(publish: Callable[..., Page]) -> None:
    page = publish(title_zh="臺中分署", body_zh="ＡＴＭ轉帳繳款")
    assert ("page", page.pk) in _hits("台中")
    assert ("page", page.pk) in _hits("臺中")
    assert ("page", page.pk) in _hits("atm")


def test_english_search_uses_english_entries_only(publish: Callable[..., Page]) -> None:
    both = publish(
        title_zh="繳款方式", body_zh="超商繳款", title_en="Ways to pay", body_en="Pay at a convenience store."
    )
    chinese_only = publish(title_zh="超商代收", body_zh="超商繳款")
    assert _hits("convenience", "en") == {("page", both.pk)}
    assert _hits("超商", "en") == set()
    assert _hits("超商") == {("page", both.pk), ("page", chinese_only.pk)}


def test_unpublishing_removes_the_page_from_search(publish: Callable[..., Page], editor) -> None:
    from civicdesk.portal.services import page_unpublish

    page = publish(title_zh="清償證明", body_zh="申請清償證明")
    assert _hits("清償")
    page_unpublish(actor=editor, page=page)
    assert _hits("清償") == set()
    assert not SearchEntry.objects.filter(object_id=page.pk).exists()


def test_two_hundred_queries_match_the_python_reference(publish: Callable[..., Page]) -> None:
    rng = random.Random(104)
    alphabet = "分署拍賣繳納罰鍰清償證明臺台中超商申請期限公告執行義務人"
    words = ["auction", "payment", "certificate", "instalment", "store", "notice"]
    for number in range(40):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(5, 30)))
        english = " ".join(rng.choice(words) for _ in range(rng.randint(1, 6)))
        publish(title_zh=f"頁{number}", body_zh=text, title_en=f"Page {number}", body_en=english)
    entries = list(SearchEntry.objects.values_list("kind", "object_id", "language", "tokens"))
    queries = [rng.choice(alphabet) + rng.choice(alphabet) for _ in range(150)]
    queries += [rng.choice(alphabet) for _ in range(20)]
    queries += [rng.choice(alphabet) * 1 + rng.choice(alphabet) + rng.choice(alphabet) for _ in range(20)]
    queries += [rng.choice(words) for _ in range(10)]
    assert len(queries) == 200
    for query in queries:
        language = "en" if query.isascii() else "zh-hant"
        wanted = set(tokenize(query, for_query=True))
        expected = {
            (kind, object_id)
            for kind, object_id, entry_language, tokens in entries
            if entry_language == language and wanted <= set(tokens.split(" "))
        }
        assert _hits(query, language) == expected, query


def test_facets_and_filters(publish: Callable[..., Page]) -> None:
    publish(title_zh="拍賣公告一", body_zh="拍賣", kind="news", theme_code="320", service_code="I00")
    publish(title_zh="拍賣須知", body_zh="拍賣", kind="service", theme_code="310", cake_code="C12")
    result = search.search(query="拍賣", language="zh-hant")
    assert result.total == 2
    assert {value for value, _label, _n in result.facets["kind"]} == {"news", "service"}
    assert {value for value, _label, _n in result.facets["theme"]} == {"320", "310"}
    filtered = search.search(query="拍賣", language="zh-hant", filters=search.Filters(theme="300"))
    assert filtered.total == 2  # the top-level code includes its children
    filtered = search.search(query="拍賣", language="zh-hant", filters=search.Filters(kind="news"))
    assert filtered.total == 1


def test_search_page_logs_queries_that_find_nothing(client: Client, organization, publish) -> None:
    publish(title_zh="拍賣公告", body_zh="拍賣")
    response = client.get("/search/", {"q": "拍賣"})
    assert response.status_code == 200
    assert "拍賣公告" in response.content.decode()
    client.get("/search/", {"q": "退費"})
    client.get("/search/", {"q": " 退費 "})
    client.get("/en/search/", {"q": "refund"})
    assert dict(UnansweredSearch.objects.values_list("query", "times")) == {"退費": 2, "refund": 1}


def test_search_page_query_count_is_bounded(
    client: Client, organization, publish, django_assert_max_num_queries
) -> None:
    for number in range(30):
        publish(title_zh=f"拍賣公告{number}", body_zh="拍賣", theme_code="320")
    with django_assert_max_num_queries(6):
        response = client.get("/search/", {"q": "拍賣"})
    assert response.status_code == 200
    assert response.content.decode().count('class="hint"') >= 20


def test_search_api(client: Client, organization, publish) -> None:
    page = publish(title_zh="分期繳納", body_zh="分期", title_en="Instalments", body_en="Pay in instalments")
    body = client.get("/api/v1/portal/search", {"q": "instalments", "lang": "en"}).json()
    assert body["total"] == 1
    assert body["hits"][0]["url"] == f"/en/info/{page.slug}/"


def test_the_applications_catalogue_is_searchable(organization) -> None:
    from civicdesk.applications.catalogue import catalogue_load
    from civicdesk.applications.selectors import catalogue_published
    from civicdesk.portal.services import catalogue_index_refresh

    catalogue_load()
    count = catalogue_index_refresh()
    service = catalogue_published().first()
    assert service is not None
    assert count == catalogue_published().count()
    hits = search.search(query=service.title_zh, language="zh-hant")
    entry = hits.entries.filter(kind="online_service").first()
    assert entry is not None
    assert entry.url == f"/services/{service.code}/"
    english = search.search(query=service.title_en, language="en").entries.filter(kind="online_service").first()
    assert english is not None
    assert english.url == f"/en/services/{service.code}/"


def _dated(page: Page, day: str) -> None:
    SearchEntry.objects.filter(object_id=page.pk).update(published_on=day)


def test_hits_come_title_first_then_newest_across_pages(publish: Callable[..., Page]) -> None:
    # The dates change after indexing: on SQLite the full-text index's date-order key must follow.
    old_title = publish(title_zh="拍賣須知", body_zh="說明")
    new_title = publish(title_zh="拍賣公告", body_zh="說明")
    old_body = publish(title_zh="公告一", body_zh="本署拍賣")
    new_body = publish(title_zh="公告二", body_zh="本署拍賣")
    publish(title_zh="公告三", body_zh="分期")
    for page, day in ((old_title, "2024-01-01"), (new_title, "2025-01-01"), (old_body, "2024-06-01")):
        _dated(page, day)
    _dated(new_body, "2026-01-01")
    result = search.search(query="拍賣", language="zh-hant")
    expected = [new_title.pk, old_title.pk, new_body.pk, old_body.pk]
    assert result.total == 4
    assert [entry.object_id for entry in result.hits[0:4]] == expected
    assert [entry.object_id for entry in result.hits[1:3]] == expected[1:3]  # a page across the boundary
    assert [entry.object_id for entry in result.hits[3:10]] == expected[3:]
    assert result.hits[2].object_id == new_body.pk


def test_facets_beyond_the_exact_limit_are_lower_bounds(
    client: Client, organization, publish: Callable[..., Page], monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(5):
        publish(title_zh=f"拍賣{number}", body_zh="拍賣", theme_code="320")
    exact = search.search(query="拍賣", language="zh-hant")
    assert exact.facets_complete
    assert exact.facets["theme"] == [("320", exact.facets["theme"][0][1], 5)]
    monkeypatch.setattr(search, "FACET_EXACT_LIMIT", 3)
    bounded = search.search(query="拍賣", language="zh-hant")
    assert bounded.total == 5  # the total stays exact
    assert not bounded.facets_complete
    assert bounded.facets["theme"][0][2] == 3
    html = client.get("/search/", {"q": "拍賣"}).content.decode()
    assert "(3+)" in html
    assert "5" in html


def test_filters_are_applied_by_the_index(publish: Callable[..., Page]) -> None:
    publish(title_zh="拍賣公告", body_zh="拍賣", kind="news", theme_code="320", cake_code="C12", service_code="I00")
    publish(title_zh="拍賣須知", body_zh="拍賣", kind="service", theme_code="310")
    both = search.Filters(kind="news", cake="C10", service="I00")
    result = search.search(query="拍賣", language="zh-hant", filters=both)
    assert result.total == 1
    assert [entry.kind for entry in result.hits] == ["news"]
    year = SearchEntry.objects.filter(kind="news").values_list("year", flat=True).first()
    assert year is not None
    assert search.search(query="拍賣", language="zh-hant", filters=search.Filters(year=year)).total == 2
    assert search.search(query="拍賣", language="zh-hant", filters=search.Filters(year=1999)).total == 0
    assert search.search(query="拍賣", language="en").total == 0


def test_markers_cannot_be_typed() -> None:
    # "·" splits typed text, so a query never reaches the marker tokens.
    assert all("·" not in token for token in tokenize("·lang·zhhant ·拍賣", for_query=True))


def test_facets_beyond_the_limit_count_the_newest_hits(
    publish: Callable[..., Page], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = publish(title_zh="拍賣舊", body_zh="拍賣", theme_code="310")
    newer = [publish(title_zh=f"拍賣新{number}", body_zh="拍賣", theme_code="320") for number in range(2)]
    _dated(old, "2020-01-01")
    for page in newer:
        _dated(page, "2026-01-01")
    monkeypatch.setattr(search, "FACET_EXACT_LIMIT", 2)
    result = search.search(query="拍賣", language="zh-hant")
    assert result.total == 3
    assert not result.facets_complete
    assert [(value, n) for value, _label, n in result.facets["theme"]] == [("320", 2)]
    assert [entry.object_id for entry in result.hits[0:3]][-1] == old.pk


def test_the_index_follows_changed_text_and_classification(publish: Callable[..., Page]) -> None:
    # On PostgreSQL the index is a separate table kept in step by triggers (migration 0006).
    page = publish(title_zh="公告", body_zh="本署拍賣", theme_code="310")
    entry = SearchEntry.objects.get(object_id=page.pk, language="zh-hant")
    entry.tokens = search.entry_tokens(
        title="公告", text="分期繳納", language="zh-hant", kind=entry.kind, codes=("320", "", ""), year=entry.year
    )
    entry.theme_code = "320"
    entry.save()
    assert search.search(query="拍賣", language="zh-hant").total == 0
    changed = search.search(query="分期", language="zh-hant")
    assert [hit.object_id for hit in changed.hits] == [page.pk]
    assert [(code, n) for code, _label, n in changed.facets["theme"]] == [("320", 1)]
    assert search.search(query="分期", language="zh-hant", filters=search.Filters(theme="310")).total == 0
