import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicdesk.core.case_numbers import EXAMPLE_CATEGORY_CODES, CaseNumber, format_case_number, parse_case_number

CATEGORY_CHARS = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF).filter(lambda c: c not in "執字第號")
CASE_NUMBERS = st.builds(
    CaseNumber,
    roc_year=st.integers(min_value=1, max_value=999),
    category_code=st.one_of(
        st.sampled_from(EXAMPLE_CATEGORY_CODES),
        st.text(CATEGORY_CHARS, min_size=1, max_size=8).filter(lambda code: not code.startswith("度")),
    ),
    special=st.booleans(),
    serial=st.integers(min_value=1, max_value=99_999_999),
)


def test_known_examples() -> None:
    ordinary = parse_case_number("110年公寓罰執專字第00319363號")
    assert ordinary == CaseNumber(roc_year=110, category_code="公寓罰", special=False, serial=319363)
    assert ordinary.gregorian_year == 2021
    special = parse_case_number("108年公退罰執特專字第00092475號")
    assert special == CaseNumber(roc_year=108, category_code="公退罰", special=True, serial=92475)
    assert str(special) == "108年公退罰執特專字第00092475號"
    assert format_case_number(110, "綜所稅", 1) == "110年綜所稅執專字第00000001號"
    assert format_case_number(99, "健保", 12345678, special=True) == "99年健保執特專字第12345678號"


@pytest.mark.parametrize(
    "text",
    [
        " 110年公寓罰執專字第00319363號 ",
        "110年 公寓罰 執專字第 00319363 號",
        "１１０年公寓罰執專字第００３１９３６３號",
        "110年度公寓罰執專字第00319363號",
    ],
)
def test_tolerated_variants(text: str) -> None:
    assert str(parse_case_number(text)) == "110年公寓罰執專字第00319363號"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("公寓罰執專字第00319363號", "must start with the ROC year"),
        ("2021年公寓罰執專字第00319363號", "more than 3 digits"),
        ("110公寓罰執專字第00319363號", "missing 年"),
        ("110年公寓罰執專00319363號", "missing 字第"),
        ("110年公寓罰專字第00319363號", "expected 執專 or 執特專"),
        ("110年公寓罰執特字第00319363號", "expected 執專 or 執特專"),
        ("110年執專字第00319363號", "missing the transferring-category code"),
        ("110年公寓罰執專字第0319363號", "serial must have 8 digits, got 7"),
        ("110年公寓罰執專字第000319363號", "serial must have 8 digits, got 9"),
        ("110年公寓罰執專字第0031936A號", "must be digits"),
        ("110年公寓罰執專字第00319363", "must end with 號"),
        ("110年ABC執專字第00319363號", "must be Chinese characters"),
        ("110年公寓罰執專字第00000000號", "serial must be 1–99999999"),
        ("0年公寓罰執專字第00319363號", "ROC year must be 1–999"),
    ],
)
def test_errors_name_the_problem(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_case_number(text)


def test_dataclass_validation() -> None:
    with pytest.raises(ValueError, match="category code is missing"):
        CaseNumber(roc_year=110, category_code="", special=False, serial=1)
    with pytest.raises(ValueError, match="must not contain '執'"):
        CaseNumber(roc_year=110, category_code="公執", special=False, serial=1)
    with pytest.raises(ValueError, match="must not start with 度"):
        CaseNumber(roc_year=110, category_code="度罰", special=False, serial=1)
    with pytest.raises(ValueError, match="longer than 8"):
        CaseNumber(roc_year=110, category_code="公" * 9, special=False, serial=1)
    with pytest.raises(TypeError):
        CaseNumber(roc_year=True, category_code="公寓罰", special=False, serial=1)
    with pytest.raises(ValueError, match="serial"):
        CaseNumber(roc_year=110, category_code="公寓罰", special=False, serial=10**8)
    case = CaseNumber(roc_year=110, category_code="公寓罰", special=False, serial=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.serial = 2  # type: ignore[misc]


@given(CASE_NUMBERS)
def test_round_trip(case: CaseNumber) -> None:
    text = str(case)
    assert parse_case_number(text) == case
    assert format_case_number(case.roc_year, case.category_code, case.serial, special=case.special) == text


@given(st.text(max_size=30))
def test_parse_raises_only_value_error(text: str) -> None:
    try:
        case = parse_case_number(text)
    except ValueError:
        return
    assert parse_case_number(str(case)) == case
