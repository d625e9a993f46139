"""What the products and quotations services return (JSON keys and CSV headers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TypedDict


class ProductRow(TypedDict):
    """A product as everyone sees it (`product list`, `product show`)."""

    code: str
    name: str
    spec: str | None
    unit: str
    price: Decimal
    tax_rate: Decimal
    currency: str
    archived: bool


class ProductRowWithFloor(ProductRow):
    """A product as managers and finance see it: with its floor price (最低限价)."""

    floor_price: Decimal | None


class QuoteRow(TypedDict):
    """A row of `quote list`."""

    number: str
    customer: str
    customer_name: str
    owner: str
    status: str
    amount: Decimal
    currency: str
    discount_pct: Decimal
    valid_until: date
    created_on: date


class QuoteLineView(TypedDict):
    line: int
    code: str | None
    name: str
    spec: str | None
    unit: str
    quantity: Decimal
    unit_price: Decimal
    list_price: Decimal | None
    tax_rate: Decimal
    amount: Decimal
    tax: Decimal
    gross: Decimal
    discount_pct: Decimal
    discount_amount: Decimal
    below_floor: bool


class QuoteView(TypedDict):
    """`quote show`: the quote, its lines and totals, and its approval route."""

    number: str
    customer: str
    customer_name: str
    owner: str
    status: str
    currency: str
    valid_until: date
    template: str | None
    terms: dict[str, str]
    lines: list[QuoteLineView]
    amount: Decimal  # tax-exclusive
    tax: Decimal
    gross: Decimal  # tax-inclusive
    list_amount: Decimal
    discount_amount: Decimal
    discount_pct: Decimal
    max_line_discount_pct: Decimal
    below_floor_lines: list[int]
    rule: str | None
    needs_approval: bool | None
    route: str | None
    allowed_moves: list[str]
    created_on: date
    sent_on: date | None
    decided_on: date | None
    reject_reason: str | None
    contract: str | None


class QuoteRouteView(TypedDict):
    """`quote route`: which rule decides, why, and the chain of approvers."""

    quote: str
    rule: str
    reason: str
    chain: list[str]
    needs_approval: bool


class QuoteStatsRow(TypedDict):
    """A row of `report quotes`: per owner."""

    owner: str
    sent: int
    accepted: int
    rejected: int
    expired: int
    open: int
    win_rate: Decimal | None
    average_discount: Decimal | None
    average_days_to_accept: Decimal | None
