from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizops.documents.filters import (
    MAX_UPPER,
    cn_date,
    cn_upper,
    en_date,
    money,
    money_code,
    parse_cn_upper,
    percent,
)

KNOWN = [
    ("0", "零元整"),
    ("0.05", "伍分"),
    ("0.5", "伍角"),
    ("0.55", "伍角伍分"),
    ("1", "壹元整"),
    ("1.05", "壹元零伍分"),
    ("10", "壹拾元整"),
    ("10.5", "壹拾元伍角"),
    ("15", "壹拾伍元整"),
    ("100.01", "壹佰元零壹分"),
    ("101", "壹佰零壹元整"),
    ("1010", "壹仟零壹拾元整"),
    ("1001", "壹仟零壹元整"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("10000", "壹万元整"),
    ("10001", "壹万零壹元整"),
    ("10100", "壹万零壹佰元整"),
    ("105000", "壹拾万伍仟元整"),
    ("120000", "壹拾贰万元整"),
    ("1000050.5", "壹佰万零伍拾元伍角"),
    ("1200000", "壹佰贰拾万元整"),
    ("60036000", "陆仟零叁万陆仟元整"),
    ("100000000", "壹亿元整"),
    ("100000050", "壹亿零伍拾元整"),
    ("100010000", "壹亿零壹万元整"),
    ("110000000", "壹亿壹仟万元整"),
    ("1000000500", "壹拾亿零伍佰元整"),
    ("2003000000", "贰拾亿零叁佰万元整"),
    ("2030000000", "贰拾亿叁仟万元整"),
    ("1000000000000", "壹万亿元整"),
    ("1000000010000", "壹万亿零壹万元整"),
    ("9999999999999.99", "玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("-25.5", "负贰拾伍元伍角"),
]


@pytest.mark.parametrize(("amount", "expected"), KNOWN)
def test_known_upper_case_amounts(amount, expected):
    assert cn_upper(amount) == expected
    assert cn_upper(Decimal(amount)) == expected
    assert parse_cn_upper(expected) == Decimal(amount).quantize(Decimal("0.01"))


def test_upper_case_refuses_what_it_cannot_write():
    with pytest.raises(ValueError):
        cn_upper("10000000000000")
    with pytest.raises(ValueError):
        cn_upper("1.005")
    with pytest.raises(ValueError):
        cn_upper("abc")


@given(st.integers(min_value=0, max_value=int(MAX_UPPER * 100)))
def test_upper_case_round_trips_and_follows_the_zero_rules(cents):
    amount = (Decimal(cents) / 100).quantize(Decimal("0.01"))
    text = cn_upper(amount)
    assert parse_cn_upper(text) == amount
    assert "零零" not in text
    if amount:
        assert not text.startswith("零")
        assert not text.endswith("零") and not text.endswith("零元整")
    assert text.endswith("整") == (amount == amount.to_integral_value())
    if amount:
        assert "零元" not in text and "零万" not in text and "零亿" not in text
    # 壹拾 is always written out in financial style
    assert not text.startswith("拾")


def test_money_and_dates():
    assert money(120000) == "¥120,000.00"
    assert money("120000.5", "USD") == "$120,000.50"
    assert money(5, "HKD") == "HKD 5.00"
    assert money_code(Decimal("120000")) == "CNY 120,000.00"
    assert percent(Decimal("13")) == "13%"
    assert percent("0.050") == "0.05%"
    assert cn_date(date(2026, 12, 1)) == "2026年12月1日"
    assert cn_date("2026-12-01") == "2026年12月1日"
    assert en_date(date(2026, 12, 1)) == "1 December 2026"
    with pytest.raises(ValueError):
        cn_date("01/12/2026")
