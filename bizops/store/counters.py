"""Named counters advanced inside a write transaction (which holds the write lock)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlmodel import Session, col

from bizops.store.models import Counter


def current_value(session: Session, name: str) -> int:
    value = session.execute(
        select(col(Counter.value)).where(col(Counter.name) == name)
    ).scalar_one_or_none()
    return int(value or 0)


def set_value(session: Session, name: str, value: int) -> None:
    updated = session.execute(update(Counter).where(col(Counter.name) == name).values(value=value))
    if cast("CursorResult[Any]", updated).rowcount == 0:
        session.add(Counter(name=name, value=value))
        session.flush()


def next_value(session: Session, name: str) -> int:
    """The next number of a sequence: no gaps and no repeats, because writes are serialised."""
    value = current_value(session, name) + 1
    set_value(session, name, value)
    return value
