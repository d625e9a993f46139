"""Paging a listing's query: ``--limit`` and ``--offset`` as LIMIT/OFFSET in SQL. Imports
no model, so that a listing's service loads only the models it reads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select


def page(query: Select[Any], *, limit: int | None = None, offset: int = 0) -> Select[Any]:
    """``query`` with ``LIMIT``/``OFFSET``: a listing's ``--limit`` (0 or None: all) and
    ``--offset`` stop the query itself rather than the rows read after it."""
    if limit:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return query
