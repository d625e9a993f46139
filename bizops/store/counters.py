"""Named counters advanced inside a write transaction.

On PostgreSQL writes do not share one lock, so a counter serialises itself: ``next_value``
advances its row in one statement and ``current_value(..., for_update=True)`` locks it, and
the row stays locked until the transaction ends. Writes that number nothing never wait here.
On SQLite ``BEGIN IMMEDIATE`` already makes writers take turns.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import select, text, update
from sqlalchemy.engine import CursorResult
from sqlmodel import Session, col

# Resolved on first use: importing this module builds no model.
from bizops.store import models

_ADVANCE = text(
    "INSERT INTO counters (name, value) VALUES (:name, 1) "
    "ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value"
)


def current_value(session: Session, name: str, *, for_update: bool = False) -> int:
    """The counter's value; ``for_update`` keeps its row locked until the transaction ends
    (take it before ``set_value`` when the new value is computed from this one)."""
    query = select(col(models.Counter.value)).where(col(models.Counter.name) == name)
    if for_update:
        query = query.with_for_update()
    value = session.execute(query).scalar_one_or_none()
    return int(value or 0)


def set_value(session: Session, name: str, value: int) -> None:
    updated = session.execute(
        update(models.Counter).where(col(models.Counter.name) == name).values(value=value)
    )
    if cast("CursorResult[Any]", updated).rowcount == 0:
        session.add(models.Counter(name=name, value=value))
        session.flush()


def next_value(session: Session, name: str) -> int:
    """The next number of a sequence: no gaps and no repeats. One statement creates or advances
    the row and locks it, so concurrent writers numbering the same sequence take turns."""
    session.flush()  # a counter row added in this transaction must be visible to the upsert
    return int(session.execute(_ADVANCE, {"name": name}).scalar_one())
