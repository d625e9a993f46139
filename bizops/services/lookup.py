"""Finding records by id, code or unambiguous name (PRODUCT section 2)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.errors import Invalid, NotFound
from bizops.domain.text import name_key
from bizops.i18n import _
from bizops.store.models import Contract, Customer
from bizops.store.scope import scope_of

# Row ids are 32-bit integer columns on PostgreSQL (and 64-bit on SQLite).
MAX_ID = 2**31 - 1


def as_id(text: str) -> int | None:
    """``text`` as a row id if it is one: ASCII digits within the column's range. "²" or a
    20-digit number is not an id (int() or the driver would fail on it), just text."""
    if text.isascii() and text.isdigit() and int(text) <= MAX_ID:
        return int(text)
    return None


def find_customer(session: Session, ref: str | int, *, field: str = "customer") -> Customer:
    """By id, code (C0042) or a name that matches one customer; ambiguity lists candidates.
    A customer outside the reader's visibility is refused (exit 4); names match only the
    customers the reader sees."""
    found = _find_customer(session, ref, field=field)
    scope_of(session).require_customer(found)
    return found


def _find_customer(session: Session, ref: str | int, *, field: str) -> Customer:
    text = str(ref).strip()
    if not text:
        raise Invalid(_("{field}: empty customer reference").format(field=field))
    if (row_id := as_id(text)) is not None:
        found = session.get(Customer, row_id)
        if found is not None:
            return found
    found = session.execute(
        select(Customer).where(col(Customer.code) == text.upper())
    ).scalar_one_or_none()
    if found is not None:
        return found
    key = name_key(text)
    if key:
        seen = scope_of(session).owner_clause(col(Customer.owner_id))
        exact = (
            session.execute(select(Customer).where(col(Customer.name_key) == key, seen))
            .scalars()
            .all()
        )
        if len(exact) == 1:
            return exact[0]
        candidates = list(exact) or list(
            session.execute(
                select(Customer).where(col(Customer.name_key).contains(key), seen).limit(11)
            ).scalars()
        )
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            shown = ", ".join(f"{c.code} {c.name}" for c in candidates[:10])
            more = " ..." if len(candidates) > 10 else ""
            raise Invalid(
                _("{field}: {ref!r} is ambiguous; it could be {shown}").format(
                    field=field, ref=text, shown=shown + more
                )
            )
    raise NotFound(
        _("{field}: no customer {ref!r}; see `bizops customer list --search`").format(
            field=field, ref=text
        )
    )


def find_contract(session: Session, ref: str | int, *, field: str = "contract") -> Contract:
    """By id or number (HT-2026-0007); one outside the reader's visibility is refused."""
    found = _find_contract(session, ref, field=field)
    scope_of(session).require_contract(session, found)
    return found


def _find_contract(session: Session, ref: str | int, *, field: str) -> Contract:
    text = str(ref).strip()
    if not text:
        raise Invalid(_("{field}: empty contract reference").format(field=field))
    if (row_id := as_id(text)) is not None:
        found = session.get(Contract, row_id)
        if found is not None:
            return found
    found = session.execute(
        select(Contract).where(col(Contract.number) == text.upper())
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(
            _("{field}: no contract {ref!r}; see `bizops contract list`").format(
                field=field, ref=text
            )
        )
    return found
