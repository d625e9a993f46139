"""Money is Decimal with two places. Parsing accepts what people write in China and abroad."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from bizops.domain.errors import Invalid
from bizops.i18n import _

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999999.99")

_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1_000)}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_STRIP = re.compile(r"^(cny|rmb|usd|eur|[¥$€])\s*|\s*(元|块|圆|cny|rmb)$", re.IGNORECASE)

ACCEPTED = "120000, 120,000.50, 12万, 1.5亿"


def parse_money(text: str | int | Decimal, *, field: str = "amount") -> Decimal:
    """Read an amount as an exact Decimal with two places; refuse anything unclear."""
    if isinstance(text, str):
        return _parse_text(text, field)
    return _parse(text, field)


def _parse(text: str | int | Decimal, field: str) -> Decimal:
    if isinstance(text, Decimal | int) and not isinstance(text, bool):
        value = Decimal(text)
    else:
        raw = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
        stripped = raw
        for _attempt in range(2):
            stripped = _STRIP.sub("", stripped)
        multiplier = Decimal(1)
        if stripped and stripped[-1] in _UNITS:
            multiplier = _UNITS[stripped[-1]]
            stripped = stripped[:-1]
        if not _NUMBER.match(stripped):
            raise Invalid(
                _("{field}: cannot read {value} as an amount; use {accepted}").format(
                    field=field, value=repr(str(text)), accepted=ACCEPTED
                )
            )
        try:
            value = Decimal(stripped.replace(",", "")) * multiplier
        except InvalidOperation:
            raise Invalid(
                _("{field}: cannot read {value} as an amount").format(
                    field=field, value=repr(str(text))
                )
            ) from None
    if not value.is_finite():
        raise Invalid(
            _("{field}: {value} is not a finite amount").format(field=field, value=repr(text))
        )
    # Before quantize: a value with more digits than the decimal context holds cannot be
    # quantized (InvalidOperation), so the size is checked first.
    if abs(value) > MAX_AMOUNT:
        raise Invalid(
            _("{field}: {value} is larger than {maximum}").format(
                field=field, value=repr(text), maximum=format_money(MAX_AMOUNT)
            )
        )
    if value != value.quantize(CENT, rounding=ROUND_HALF_UP):
        raise Invalid(
            _("{field}: {value} has more than two decimal places").format(
                field=field, value=repr(text)
            )
        )
    return value.quantize(CENT)


# Amounts typed in a file repeat (an import reads 100,000 of them, a few hundred different):
# each text is read once. A refused text raises each time (an exception is not cached).
_parse_text = lru_cache(maxsize=512)(_parse)


def format_money(value: Decimal | None) -> str:
    """``120,000.00`` for people."""
    if value is None:
        return ""
    return f"{value.quantize(CENT):,.2f}"


def money_str(value: Decimal | None) -> str | None:
    """``120000.00`` for JSON and CSV: a string, two decimals, no grouping."""
    if value is None:
        return None
    return f"{value.quantize(CENT):.2f}"


def to_cents(value: Decimal) -> int:
    return int((value.quantize(CENT) * 100).to_integral_value())


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def format_amount(value: Decimal | None) -> str:
    """``1,200,000`` when whole, ``1,200,000.50`` otherwise: for explanations in words."""
    if value is None:
        return ""
    value = value.quantize(CENT)
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
