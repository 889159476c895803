import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicdesk.core.roc_dates import format_roc, from_roc_year, parse_roc, to_roc_year

D = datetime.date
ROC_DATES = st.dates(min_value=D(1912, 1, 1), max_value=D(2910, 12, 31))


def test_year_conversion() -> None:
    assert to_roc_year(2015) == 104
    assert to_roc_year(1912) == 1
    assert from_roc_year(104) == 2015
    with pytest.raises(ValueError, match="before ROC year 1"):
        to_roc_year(1911)
    with pytest.raises(ValueError, match="out of range"):
        from_roc_year(0)


def test_format() -> None:
    assert format_roc(D(2015, 3, 5)) == "104/03/05"
    assert format_roc(D(2015, 3, 5), style="chinese") == "104年3月5日"
    assert format_roc(D(2015, 3, 5), style="compact") == "1040305"
    assert format_roc(D(2010, 12, 31)) == "99/12/31"
    assert format_roc(D(2010, 12, 31), style="compact") == "0991231"
    with pytest.raises(ValueError, match="before ROC year 1"):
        format_roc(D(1911, 12, 31))
    with pytest.raises(ValueError, match="style"):
        format_roc(D(2015, 3, 5), style="iso")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "104/03/05",
        "104/3/5",
        "104.03.05",
        "104-3-5",
        "1040305",
        "104年3月5日",
        "104 年 3 月 5 日",
        "民國104年3月5日",
        "104年3月5號",
        "  104/03/05\t",
        "１０４／０３／０５",
        "１０４年３月５日",
        "１０４０３０５",
        "\u3000104.3.5\u3000",
    ],
)
def test_parse_accepted_forms(text: str) -> None:
    assert parse_roc(text) == D(2015, 3, 5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("104/13/01", "month 13 is out of range"),
        ("104/00/01", "month 0 is out of range"),
        ("104/02/29", r"day 29 is out of range 1–28 for 104/02"),
        ("105/02/30", r"day 30 is out of range 1–29"),
        ("104/04/31", "day 31"),
        ("104/04/00", "day 0"),
        ("0/01/01", "before ROC year 1"),
        ("0000101", "before ROC year 1"),
        ("2015/03/05", "more than 3 digits"),
        ("104/03", "not in a recognised format"),
        ("104/03.05", "not in a recognised format"),
        ("10403055", "7 digits"),
        ("104305", "7 digits"),
        ("104/003/05", "at most 2 digits"),
        ("一百零四年三月五日", "not in a recognised format"),
        ("104年3月", "not in a recognised format"),
    ],
)
def test_parse_errors_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_roc(text)


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        parse_roc(1040305)  # type: ignore[arg-type]


def test_leap_day() -> None:
    assert parse_roc("105/02/29") == D(2016, 2, 29)
    assert parse_roc("89/2/29") == D(2000, 2, 29)


@given(ROC_DATES, st.sampled_from(["slash", "chinese", "compact"]))
def test_round_trip(day: datetime.date, style: str) -> None:
    assert parse_roc(format_roc(day, style=style)) == day  # type: ignore[arg-type]


@given(ROC_DATES)
def test_unpadded_slash_form_parses(day: datetime.date) -> None:
    assert parse_roc(f"{day.year - 1911}/{day.month}/{day.day}") == day


@given(st.text(max_size=20))
def test_parse_raises_only_value_error(text: str) -> None:
    try:
        result = parse_roc(text)
    except ValueError:
        return
    assert format_roc(result, style="compact") == format_roc(parse_roc(format_roc(result)), style="compact")
