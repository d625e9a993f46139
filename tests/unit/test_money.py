"""Money is an exact Decimal with two places; parsing refuses anything unclear."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizops.domain.errors import Invalid
from bizops.domain.money import (
    MAX_AMOUNT,
    format_amount,
    format_money,
    from_cents,
    money_str,
    parse_money,
    to_cents,
)

amounts = st.decimals(
    min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("120000", "120000.00"),
        ("120,000.50", "120000.50"),
        ("1,200,000", "1200000.00"),
        ("0", "0.00"),
        ("0.5", "0.50"),
        ("7.05", "7.05"),
        ("+5", "5.00"),
        ("-5", "-5.00"),
        ("12万", "120000.00"),
        ("1.5万", "15000.00"),
        ("1.5亿", "150000000.00"),
        ("3千", "3000.00"),
        ("¥120000", "120000.00"),
        ("¥ 120,000.50", "120000.50"),
        ("￥120000", "120000.00"),
        ("120000元", "120000.00"),
        ("12万元", "120000.00"),
        ("¥12万", "120000.00"),
        ("1.5亿元", "150000000.00"),
        ("CNY 120000", "120000.00"),
        ("120000 RMB", "120000.00"),
        ("１２００００", "120000.00"),
        ("１２万", "120000.00"),
        ("１２０，０００．５０", "120000.50"),
        ("  12 万 ", "120000.00"),
        ("9999999999999.99", "9999999999999.99"),
        ("-9999999999999.99", "-9999999999999.99"),
    ],
)
def test_accepted(text: str, expected: str) -> None:
    value = parse_money(text)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)
    assert money_str(value) == expected


def test_numbers_pass_through() -> None:
    assert parse_money(5) == Decimal("5.00")
    assert parse_money(Decimal("1.5")) == Decimal("1.50")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("abc", "cannot read"),
        ("", "cannot read"),
        ("¥", "cannot read"),
        ("万", "cannot read"),
        ("1,20,000", "cannot read"),
        ("1,000,00", "cannot read"),
        ("12,0000", "cannot read"),
        (",100", "cannot read"),
        ("1.234", "more than two decimal places"),
        ("0.001", "more than two decimal places"),
        ("1.23456万", None),  # exact after scaling: 12345.60 is fine (checked below)
        ("NaN", "cannot read"),
        ("nan", "cannot read"),
        ("Infinity", "cannot read"),
        ("-inf", "cannot read"),
        ("sNaN", "cannot read"),
        ("1e5", "cannot read"),
        ("0x10", "cannot read"),
        ("1_000", "cannot read"),
        (".5", "cannot read"),
        ("5.", "cannot read"),
        ("1.2.3", "cannot read"),
        ("12万万", "cannot read"),
        ("--5", "cannot read"),
        ("10000000000000", "larger than"),
        ("9" * 30, "larger than"),
        ("1" * 40 + ".5", "larger than"),
        ("100000亿", "larger than"),
    ],
)
def test_refused(text: str, words: str | None) -> None:
    if words is None:
        assert parse_money(text) == Decimal("12345.60")
        return
    with pytest.raises(Invalid) as info:
        parse_money(text, field="--amount")
    assert info.value.exit_code == 2
    assert words in info.value.message
    assert info.value.message.startswith("--amount: ")


@pytest.mark.parametrize(
    "value", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("1E+30")]
)
def test_refused_decimals(value: Decimal) -> None:
    with pytest.raises(Invalid):
        parse_money(value)


def test_the_refusal_shows_accepted_forms() -> None:
    with pytest.raises(Invalid) as info:
        parse_money("lots")
    assert "12万" in info.value.message and "120,000.50" in info.value.message


@given(amounts)
def test_round_trip_money_str(value: Decimal) -> None:
    text = money_str(value)
    assert text is not None
    assert parse_money(text) == value
    whole, _, cents = text.lstrip("-").partition(".")
    assert len(cents) == 2 and "," not in text


@given(amounts)
def test_round_trip_grouped_and_chinese_forms(value: Decimal) -> None:
    assert parse_money(format_money(value)) == value
    assert parse_money(f"¥{format_money(value)}") == value
    assert parse_money(f"{money_str(value)}元") == value
    if value == value.to_integral_value() and abs(value) < MAX_AMOUNT:
        assert parse_money(format_amount(value)) == value


@given(amounts)
def test_cents_round_trip(value: Decimal) -> None:
    assert from_cents(to_cents(value)) == value
    assert isinstance(to_cents(value), int)


@given(st.integers(min_value=0, max_value=99_999_999), st.integers(min_value=0, max_value=99))
def test_wan_scales_exactly(whole: int, frac: int) -> None:
    text = f"{whole}.{frac:02d}万"
    assert parse_money(text) == (Decimal(f"{whole}.{frac:02d}") * 10_000).quantize(Decimal("0.01"))


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3))
def test_three_decimals_refused_or_exact(value: Decimal) -> None:
    text = f"{value:.3f}"
    if text.endswith("0") or abs(value) > MAX_AMOUNT:
        return
    with pytest.raises(Invalid):
        parse_money(text)


@given(st.text(max_size=12))
def test_never_crashes(text: str) -> None:
    try:
        value = parse_money(text)
    except Invalid:
        return
    assert value.is_finite() and abs(value) <= MAX_AMOUNT
    assert value == value.quantize(Decimal("0.01"))


def test_formatting() -> None:
    assert format_money(Decimal("1200000")) == "1,200,000.00"
    assert format_money(None) == ""
    assert money_str(None) is None
    assert format_amount(Decimal("1200000")) == "1,200,000"
    assert format_amount(Decimal("1200000.5")) == "1,200,000.50"
