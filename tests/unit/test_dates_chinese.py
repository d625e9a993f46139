"""Dates written in Chinese: named days, weekdays, offsets, month and day."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizops.domain.dates import parse_date, parse_datetime, parse_duration_days, zh_number
from bizops.domain.errors import Invalid

TODAY = date(2026, 11, 27)  # a Friday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今天", TODAY),
        ("明天", date(2026, 11, 28)),
        ("后天", date(2026, 11, 29)),
        ("昨天", date(2026, 11, 26)),
        ("前天", date(2026, 11, 25)),
        # 下周X: that day of next week (weeks start on Monday)
        ("下周一", date(2026, 11, 30)),
        ("下周五", date(2026, 12, 4)),
        ("下周日", date(2026, 12, 6)),
        ("下星期三", date(2026, 12, 2)),
        ("下个礼拜二", date(2026, 12, 1)),
        # 周X, 星期X, 礼拜X: the next such day after today
        ("周一", date(2026, 11, 30)),
        ("周五", date(2026, 12, 4)),
        ("星期五", date(2026, 12, 4)),
        ("星期六", date(2026, 11, 28)),
        ("礼拜天", date(2026, 11, 29)),
        ("星期日", date(2026, 11, 29)),
        ("本周三", date(2026, 11, 25)),
        ("本周末", date(2026, 11, 29)),
        ("月底", date(2026, 11, 30)),
        ("下月初", date(2026, 12, 1)),
        ("下月底", date(2026, 12, 31)),
        ("年底", date(2026, 12, 31)),
        ("季度末", date(2026, 12, 31)),
        ("3天后", date(2026, 11, 30)),
        ("3 天后", date(2026, 11, 30)),
        ("十天后", date(2026, 12, 7)),
        ("两周后", date(2026, 12, 11)),
        ("2个星期后", date(2026, 12, 11)),
        ("一个月后", date(2026, 12, 27)),
        ("三个月以后", date(2027, 2, 27)),
        ("一年后", date(2027, 11, 27)),
        ("3天前", date(2026, 11, 24)),
        ("12月15日", date(2026, 12, 15)),
        ("12月15号", date(2026, 12, 15)),
        ("11月27日", TODAY),  # today is not past
        ("11月1日", date(2027, 11, 1)),  # past this year: next year
        ("十二月二十五日", date(2026, 12, 25)),
        ("2026年12月15日", date(2026, 12, 15)),
        ("2026 年 12 月 15 日", date(2026, 12, 15)),
        ("２０２６年１２月１５日", date(2026, 12, 15)),
        ("１２月１５日", date(2026, 12, 15)),
    ],
)
def test_chinese_forms(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


def test_next_weekday_on_that_weekday_and_on_sunday() -> None:
    sunday = date(2026, 11, 29)
    assert parse_date("下周一", sunday) == date(2026, 11, 30)
    assert parse_date("周日", sunday) == date(2026, 12, 6)
    monday = date(2026, 11, 30)
    assert parse_date("下周一", monday) == date(2026, 12, 7)
    assert parse_date("周一", monday) == date(2026, 12, 7)


def test_month_end_and_new_year() -> None:
    assert parse_date("一个月后", date(2026, 1, 31)) == date(2026, 2, 28)
    assert parse_date("下月初", date(2026, 12, 20)) == date(2027, 1, 1)
    assert parse_date("1月5日", date(2026, 12, 20)) == date(2027, 1, 5)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("下周八", "cannot read"),
        ("二十十天后", "cannot read"),
        ("13月1日", "not a real date"),
        ("2月30日", "not a real date"),
        ("2026年2月30日", "not a real date"),
        ("某天", "cannot read"),
        ("3月后", "cannot read"),
    ],
)
def test_refused_chinese_forms(text: str, words: str) -> None:
    with pytest.raises(Invalid) as info:
        parse_date(text, TODAY, field="--due")
    assert words in info.value.message and info.value.message.startswith("--due")


@pytest.mark.parametrize(
    ("text", "n"),
    [("一", 1), ("两", 2), ("十", 10), ("十五", 15), ("二十", 20), ("九十九", 99), ("15", 15)],
)
def test_chinese_numerals(text: str, n: int) -> None:
    assert zh_number(text) == n


@pytest.mark.parametrize("text", ["百", "十十", "二二", "一十十", ""])
def test_not_numerals(text: str) -> None:
    assert zh_number(text) is None


def test_durations_and_times_in_chinese() -> None:
    assert parse_duration_days("7天", TODAY) == 7
    assert parse_duration_days("两周", TODAY) == 14
    assert parse_duration_days("一个月", TODAY) == 30  # to 2026-12-27
    now = datetime(2026, 11, 27, 9, 0)
    assert parse_datetime("明天 14:30", now) == datetime(2026, 11, 28, 14, 30)


@given(n=st.integers(min_value=0, max_value=99))
def test_day_offsets_with_digits_and_numerals_agree(n: int) -> None:
    tens, ones = divmod(n, 10)
    digits = "零一二三四五六七八九"
    if n < 10:
        word = digits[n]
    else:
        word = ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    assert parse_date(f"{word}天后", TODAY) == parse_date(f"{n}天后", TODAY)
    assert parse_date(f"{n}天后", TODAY) == parse_date(f"+{n}d", TODAY)
