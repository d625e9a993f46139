"""Quotation arithmetic: exact Decimal per line and overall, and the discount in words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bizops.domain.errors import Invalid
from bizops.domain.quotes import (
    LineTerms,
    discounted_price,
    line_totals,
    parse_percent,
    parse_price,
    parse_quantity,
    quote_totals,
    shown_pct,
)

D = Decimal


def test_a_line_rounds_its_amount_and_its_tax_once_each() -> None:
    t = line_totals(LineTerms(quantity=D("3"), unit_price=D("33.33"), tax_rate=D("13")))
    assert t.amount == D("99.99")
    assert t.tax == D("13.00")  # 12.9987 -> 13.00
    assert t.gross == D("112.99")


def test_many_lines_add_up_to_the_cent() -> None:
    # 1,000 lines of 0.335 x 1: each line rounds to 0.34 (half-up); the total is their sum,
    # never the rounded sum of unrounded figures (335.00).
    lines = [LineTerms(quantity=D("0.5"), unit_price=D("0.67"), tax_rate=D("6"))] * 1000
    totals = quote_totals(lines)
    assert totals.amount == D("340.00")
    assert totals.tax == sum((t.tax for t in totals.lines), D(0)) == D("20.00")
    assert totals.gross == totals.amount + totals.tax


def test_discount_against_list_price_as_percent_and_amount() -> None:
    totals = quote_totals(
        [
            LineTerms(
                quantity=D("2"), unit_price=D("92.00"), tax_rate=D("13"), list_price=D("100")
            ),
            LineTerms(quantity=D("1"), unit_price=D("50.00"), tax_rate=D("13"), list_price=D("50")),
        ]
    )
    assert totals.list_amount == D("250.00")
    assert totals.discount_amount == D("16.00")
    assert shown_pct(totals.discount_pct) == D("6.40")
    assert shown_pct(totals.max_line_discount_pct) == D("8.00")
    assert totals.lines[1].discount_pct == 0


def test_a_free_line_has_no_discount() -> None:
    t = line_totals(LineTerms(quantity=D("1"), unit_price=D("10"), tax_rate=D("0")))
    assert t.discount_amount == 0 and t.discount_pct == 0 and not t.below_floor


def test_floor_price_detection_is_strict() -> None:
    at_floor = LineTerms(D("1"), D("80.00"), D("13"), list_price=D("100"), floor_price=D("80"))
    below = LineTerms(D("1"), D("79.99"), D("13"), list_price=D("100"), floor_price=D("80"))
    assert not line_totals(at_floor).below_floor
    assert line_totals(below).below_floor
    assert quote_totals([at_floor, below]).below_floor_lines == (2,)


def test_a_discount_gives_a_price_to_the_cent() -> None:
    assert discounted_price(D("99.99"), D("8")) == D("91.99")  # 91.9908
    assert discounted_price(D("100"), D("12.5")) == D("87.50")


@pytest.mark.parametrize("text", ["0", "-1", "abc", "1.234"])
def test_bad_quantities_are_refused(text: str) -> None:
    with pytest.raises(Invalid):
        parse_quantity(text)


@pytest.mark.parametrize("text", ["100%", "100", "150", "-5", "8.123"])
def test_bad_discounts_are_refused(text: str) -> None:
    with pytest.raises(Invalid):
        parse_percent(text, field="--discount")


def test_a_price_with_more_than_two_decimals_is_refused() -> None:
    with pytest.raises(Invalid, match="more than two decimal places"):
        parse_price("12.345")
    assert parse_percent("8%", field="--discount") == D("8.00")
    assert parse_quantity("2.5") == D("2.50")
