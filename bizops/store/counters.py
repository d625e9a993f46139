"""Named counters advanced inside a write transaction (which holds the write lock)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlmodel import Session, col

from bizops.store.models.core import Counter


def current_value(session: Session, name: str) -> int:
    value = session.execute(
        select(col(Counter.value)).where(col(Counter.name) == name)
    ).scalar_one_or_none()
    return int(value or 0)


def set_value(session: Session, name: str, value: int) -> None:
    updated = session.execute(
        update(Counter).where(Counter.name == name).values(value=value)  # type: ignore[arg-type]
    )
    if updated.rowcount == 0:  # type: ignore[attr-defined]
        session.add(Counter(name=name, value=value))
        session.flush()


def next_value(session: Session, name: str) -> int:
    """The next number of a sequence: no gaps and no repeats, because writes are serialised."""
    value = current_value(session, name) + 1
    set_value(session, name, value)
    return value


def reserve(session: Session, name: str, count: int) -> int:
    """Reserve ``count`` numbers at once (bulk import); returns the first."""
    first = current_value(session, name) + 1
    set_value(session, name, first + count - 1)
    return first
