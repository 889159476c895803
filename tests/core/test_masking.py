import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicdesk.core.masking import last4, mask_id, mask_name

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王小明", "王○明"),
        ("歐陽小明", "歐○○明"),
        ("王明", "王○"),
        ("王", "王"),
        ("", ""),
        ("   ", ""),
        (" 王小明 ", "王○明"),
        ("瓦歷斯‧諾幹", "瓦○○‧○幹"),
        ("John Smith", "J*** S****"),
        ("Mary-Jane O'Neil", "M***-J*** O'N***"),
        ("Ａｌｉｃｅ", "Ａ****"),
        ("Li", "L*"),
        ("J", "J"),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("A123456789", "A12345****"),
        ("12345678", "1234****"),
        ("AA00000009", "AA0000****"),
        ("1234", "****"),
        ("12", "**"),
        ("", ""),
        (" A123456789 ", "A12345****"),
    ],
)
def test_mask_id(value: str, masked: str) -> None:
    assert mask_id(value) == masked


def test_last4() -> None:
    assert last4("A123456789") == "6789"
    assert last4("12") == "12"
    assert last4("") == ""


@given(st.text(CJK, min_size=1, max_size=8))
def test_chinese_name_keeps_length_first_and_last(name: str) -> None:
    masked = mask_name(name)
    assert len(masked) == len(name)
    assert masked[0] == name[0]
    if len(name) >= 3:
        assert masked[-1] == name[-1]
        assert masked[1:-1] == "○" * (len(name) - 2)
    elif len(name) == 2:
        assert masked[1] == "○"
    else:
        assert masked == name


@given(st.lists(st.text(st.characters(min_codepoint=ord("a"), max_codepoint=ord("z")), min_size=1), min_size=1))
def test_latin_name_keeps_length_and_initials(words: list[str]) -> None:
    name = " ".join(w.capitalize() for w in words)
    masked = mask_name(name)
    assert len(masked) == len(name)
    assert [w[0] for w in masked.split(" ")] == [w[0] for w in name.split(" ")]
    assert set(masked) - {w[0] for w in name.split(" ")} <= {"*", " "}


@given(st.text(max_size=20))
def test_masking_never_raises_and_keeps_length(text: str) -> None:
    assert len(mask_name(text)) == len(text.strip())
    masked = mask_id(text)
    stripped = text.strip()
    assert len(masked) == len(stripped)
    assert masked.endswith("*" * min(4, len(stripped)))
    assert masked[: max(len(stripped) - 4, 0)] == stripped[: max(len(stripped) - 4, 0)]
    assert last4(text) == stripped[-4:]
