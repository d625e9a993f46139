"""Finding records by id, code or unambiguous name."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.errors import Invalid, NotFound
from bizops.domain.text import name_key
from bizops.i18n import _
from bizops.store.models import Contract, Customer

# Row ids are 32-bit integer columns on PostgreSQL (and 64-bit on SQLite).
MAX_ID = 2**31 - 1


def as_id(text: str) -> int | None:
    """``text`` as a row id if it is one: ASCII digits within the column's range. "²" or a
    20-digit number is not an id (int() or the driver would fail on it), just text."""
    if text.isascii() and text.isdigit() and int(text) <= MAX_ID:
        return int(text)
    return None


# A reference written like a row id (70) or a code (C0070, HT-2026-0007): it names one record
# exactly, so when no record has that id or code it is not a fragment of a name either
# (`customer archive 70` must not archive "Shop 70 Trading").
_ID_OR_CODE = re.compile(r"^(?:\d+|[A-Za-z]{1,6}-?\d+(?:-\d+)*)$")


def looks_like_id_or_code(text: str) -> bool:
    return bool(_ID_OR_CODE.match(text.strip()))


def find_customer(session: Session, ref: str | int, *, field: str = "customer") -> Customer:
    """By id, code (C0042) or a name that matches one customer; ambiguity lists candidates.

    A reference written like an id or a code matches an id, a code or a whole name, never a
    part of a name: exit 3 (``NotFound``) rather than a guess, for reads and writes alike.
    """
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
        exact = (
            session.execute(select(Customer).where(col(Customer.name_key) == key)).scalars().all()
        )
        if len(exact) == 1:
            return exact[0]
        if not exact and looks_like_id_or_code(text):
            raise NotFound(
                _(
                    "{field}: no customer with the id or code {ref!r}; to look for names that "
                    "contain it, use `bizops customer list --search {ref}`"
                ).format(field=field, ref=text)
            )
        candidates = list(exact) or list(
            session.execute(
                select(Customer)
                .where(col(Customer.name_key).contains(key, autoescape=True))
                .limit(11)
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
    """By id or number (HT-2026-0007)."""
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
