"""Products with their prices, and a quotation's lines."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Integer, String
from sqlmodel import Field

from bizops.store.models.table import Table
from bizops.store.types import Money


class Product(Table, table=True):
    __tablename__ = "products"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(40), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(200), nullable=False))
    spec: str | None = Field(default=None, sa_column=Column(String(300)))
    unit: str = Field(sa_column=Column(String(20), nullable=False))
    price: Decimal = Field(sa_column=Column(Money(), nullable=False))
    # 最低限价: seen by managers and finance only.
    floor_price: Decimal | None = Field(default=None, sa_column=Column(Money()))
    # Percent (13.00 for 13% VAT), kept as exact hundredths like money.
    tax_rate: Decimal = Field(sa_column=Column(Money(), nullable=False))
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    archived_on: date | None = Field(default=None)
    created_on: date = Field(nullable=False)


class QuoteLine(Table, table=True):
    __tablename__ = "quote_lines"

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int = Field(
        sa_column=Column(Integer, ForeignKey("quotes.id"), nullable=False, index=True)
    )
    seq: int = Field(nullable=False)
    product_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("products.id"))
    )
    code: str | None = Field(default=None, sa_column=Column(String(40)))
    name: str = Field(sa_column=Column(String(200), nullable=False))
    spec: str | None = Field(default=None, sa_column=Column(String(300)))
    unit: str = Field(sa_column=Column(String(20), nullable=False))
    # Hundredths, like money: a quantity has at most two decimals.
    quantity: Decimal = Field(sa_column=Column(Money(), nullable=False))
    unit_price: Decimal = Field(sa_column=Column(Money(), nullable=False))
    list_price: Decimal | None = Field(default=None, sa_column=Column(Money()))
    floor_price: Decimal | None = Field(default=None, sa_column=Column(Money()))
    tax_rate: Decimal = Field(sa_column=Column(Money(), nullable=False))
