"""Small read-only questions tests ask of a database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bizops.store.engine import Database


def count_rows(db: Database, model: type, *where: Any) -> int:
    """How many rows of ``model`` there are (that match ``where``)."""
    with db.read() as session:
        query = select(func.count()).select_from(model).where(*where)
        return int(session.execute(query).scalar_one())
