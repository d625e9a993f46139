"""Which contracts' money a reader sees.

Money follows its contract: an invoice, a receipt or a payment is seen by whoever sees the
contract in `contract list` (the reader's scope, bizops.store.scope); finance, gm and admin see
everything when the policy says so. A session without a scope (writes) sees everything.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import true
from sqlmodel import Session

from bizops.store.scope import scope_of


def visible(session: Session, contract_id_column: Any) -> Any:
    """A condition on a column holding a contract id: the reader sees that contract."""
    scope = scope_of(session)
    if scope.sees_all:
        return true()
    return contract_id_column.in_(scope.contract_ids())
