"""Quotation (报价单) arithmetic: exact Decimal totals per line and overall.

Unit prices are tax-exclusive (不含税单价). Each line's amount is its quantity times its unit
price, rounded half-up to the cent once; its tax is that amount times the tax rate, rounded
once. The quote's totals are the sums of the rounded line figures, so the lines always add
up to the total shown, however many lines there are.

A line's discount is measured against the product's list price: the list amount
(quantity x list price) less the line's amount, and that as a percentage of the list amount.
A free line (no product) has no list price and no discount.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from bizops.domain.errors import Invalid
from bizops.domain.money import CENT, parse_money
from bizops.i18n import _

HUNDRED = Decimal(100)
ZERO = Decimal("0.00")
MAX_QUANTITY = Decimal("99999999.99")
_PERCENT = re.compile(r"^\d+(\.\d+)?$")


def cents(value: Decimal) -> Decimal:
    """Half-up to the cent: the one rounding every figure of a quote goes through."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_quantity(text: str | int | Decimal, *, field: str = "--qty") -> Decimal:
    """A quantity above zero with at most two decimals (2, 2.5, 0.25)."""
    raw = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise Invalid(
            _("{field}: cannot read {value} as a quantity").format(field=field, value=repr(text))
        ) from None
    if not value.is_finite() or value <= 0:
        raise Invalid(
            _("{field}: {value} is not a quantity; it must be greater than zero").format(
                field=field, value=text
            )
        )
    if value > MAX_QUANTITY:
        raise Invalid(
            _("{field}: {value} is larger than {maximum}").format(
                field=field, value=text, maximum=MAX_QUANTITY
            )
        )
    if value != value.quantize(CENT):
        raise Invalid(
            _("{field}: {value} has more than two decimal places").format(field=field, value=text)
        )
    return value.quantize(CENT)


def parse_percent(
    text: str | int | Decimal, *, field: str, below: Decimal = HUNDRED, what: str = ""
) -> Decimal:
    """``8%``, ``8`` or ``8.5%`` as a Decimal percentage from 0 up to (not including)
    ``below``; at most two decimals."""
    raw = unicodedata.normalize("NFKC", str(text)).strip().rstrip("%").strip()
    if not _PERCENT.match(raw):
        raise Invalid(
            _("{field}: cannot read {value} as a percentage; use e.g. 8% or 8.5").format(
                field=field, value=repr(str(text))
            )
        )
    value = Decimal(raw)
    if value >= below:
        raise Invalid(
            _("{field}: {value}% is too high; it must be below {limit}%").format(
                field=field, value=raw, limit=below
            )
        )
    if value != value.quantize(CENT):
        raise Invalid(
            _("{field}: {value} has more than two decimal places").format(field=field, value=raw)
        )
    return value.quantize(CENT)


def parse_tax_rate(text: str | int | Decimal, *, field: str = "--tax-rate") -> Decimal:
    """A VAT rate as a percentage: ``13%`` or ``13`` (0 up to 100)."""
    return parse_percent(text, field=field, below=Decimal(100))


def parse_price(text: str | int | Decimal, *, field: str = "--price") -> Decimal:
    """A unit price: an amount of zero or more with at most two decimals."""
    value = parse_money(text, field=field)
    if value < 0:
        raise Invalid(
            _("{field}: {value} is negative; a price is zero or more").format(
                field=field, value=text
            )
        )
    return value


def discounted_price(list_price: Decimal, discount_pct: Decimal) -> Decimal:
    """The unit price after a percentage off the list price, to the cent."""
    return cents(list_price * (HUNDRED - discount_pct) / HUNDRED)


@dataclass(frozen=True)
class LineTerms:
    """What a line's figures come from."""

    quantity: Decimal
    unit_price: Decimal
    tax_rate: Decimal  # percent, 13 for 13%
    list_price: Decimal | None = None  # None: a free line
    floor_price: Decimal | None = None


@dataclass(frozen=True)
class LineTotals:
    amount: Decimal  # tax-exclusive
    tax: Decimal
    gross: Decimal  # tax-inclusive
    list_amount: Decimal
    discount_amount: Decimal
    discount_pct: Decimal  # exact; shown to two places
    below_floor: bool


def percent_of(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a percentage of ``whole`` (0 when whole is 0), unrounded."""
    return part * HUNDRED / whole if whole else Decimal(0)


def line_totals(terms: LineTerms) -> LineTotals:
    amount = cents(terms.quantity * terms.unit_price)
    tax = cents(amount * terms.tax_rate / HUNDRED)
    listed = terms.list_price if terms.list_price is not None else terms.unit_price
    list_amount = cents(terms.quantity * listed)
    discount = list_amount - amount
    return LineTotals(
        amount=amount,
        tax=tax,
        gross=amount + tax,
        list_amount=list_amount,
        discount_amount=discount,
        discount_pct=percent_of(discount, list_amount),
        below_floor=terms.floor_price is not None and terms.unit_price < terms.floor_price,
    )


@dataclass(frozen=True)
class QuoteTotals:
    lines: tuple[LineTotals, ...]
    amount: Decimal  # tax-exclusive
    tax: Decimal
    gross: Decimal  # tax-inclusive
    list_amount: Decimal
    discount_amount: Decimal
    discount_pct: Decimal  # of the whole quote against list prices
    max_line_discount_pct: Decimal
    below_floor_lines: tuple[int, ...]  # 1-based positions

    @property
    def below_floor(self) -> bool:
        return bool(self.below_floor_lines)


def quote_totals(lines: Sequence[LineTerms]) -> QuoteTotals:
    """Every line's figures and the quote's: sums of the rounded line figures."""
    done = tuple(line_totals(t) for t in lines)
    amount = sum((t.amount for t in done), ZERO)
    list_amount = sum((t.list_amount for t in done), ZERO)
    discount = list_amount - amount
    return QuoteTotals(
        lines=done,
        amount=amount,
        tax=sum((t.tax for t in done), ZERO),
        gross=sum((t.gross for t in done), ZERO),
        list_amount=list_amount,
        discount_amount=discount,
        discount_pct=percent_of(discount, list_amount),
        max_line_discount_pct=max((t.discount_pct for t in done), default=Decimal(0)),
        below_floor_lines=tuple(i for i, t in enumerate(done, start=1) if t.below_floor),
    )


def shown_pct(value: Decimal) -> Decimal:
    """A percentage for people and JSON: two places, half-up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
