"""The one tokenizer: bigrams and single characters for CJK, words for the rest, folding."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from civicdesk.portal.tokenizer import index_text, normalize, tokenize


def test_chinese_becomes_characters_and_overlapping_bigrams() -> None:
    assert tokenize("分期繳納") == ["分", "期", "繳", "納", "分期", "期繳", "繳納"]


def test_query_uses_bigrams_and_single_characters_for_one_character_runs() -> None:
    assert tokenize("分期繳納", for_query=True) == ["分期", "期繳", "繳納"]
    assert tokenize("罰", for_query=True) == ["罰"]
    assert tokenize("拍賣", for_query=True) == ["拍賣"]


def test_english_words_are_lower_cased() -> None:
    assert tokenize("Instalment PLANS, 2026!") == ["instalment", "plans", "2026"]


def test_mixed_text_splits_at_script_changes() -> None:
    assert tokenize("7-ELEVEN繳費", for_query=True) == ["7", "eleven", "繳費"]


def test_tai_variants_and_full_width_forms_fold_together() -> None:
    assert tokenize("臺中", for_query=True) == tokenize("台中", for_query=True) == ["台中"]
    assert tokenize("ＡＢＣ１２３", for_query=True) == ["abc123"]
    assert normalize("臺灣") == "台灣"


def test_punctuation_splits_runs() -> None:
    assert tokenize("拍賣，公告", for_query=True) == ["拍賣", "公告"]


def test_index_text_has_no_empty_tokens_or_duplicates() -> None:
    text = index_text("拍賣 拍賣", "  ", "Auction auction")
    tokens = text.split(" ")
    assert "" not in tokens
    assert len(tokens) == len(set(tokens))


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@given(st.text(alphabet=CJK, min_size=2, max_size=40))
def test_every_query_token_of_a_substring_is_in_the_index(text: str) -> None:
    indexed = set(index_text(text).split(" "))
    for start in range(len(text) - 1):
        for length in (1, 2, 3):
            part = text[start : start + length]
            assert set(tokenize(part, for_query=True)) <= indexed
