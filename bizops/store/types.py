"""Column types: money as exact integer cents, returned as Decimal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

from bizops.domain.money import from_cents, to_cents


class Money(TypeDecorator[Decimal]):
    """Stored as BIGINT cents so SQLite and PostgreSQL both keep every digit and sum exactly."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        return to_cents(Decimal(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return from_cents(int(value))
