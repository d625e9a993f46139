"""Which contracts' money a reader sees, and which contracts a money report covers on a day.

Money follows its contract: an invoice, a receipt or a payment is seen by whoever sees the
contract in `contract list` (the reader's scope, bizops.store.scope); finance, gm and admin see
everything when the policy says so. A session without a scope (writes) sees everything.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_, true
from sqlmodel import Session, col

from bizops.domain import contract_states as cs
from bizops.store.models import Contract
from bizops.store.scope import scope_of


def visible(session: Session, contract_id_column: Any) -> Any:
    """A condition on a column holding a contract id: the reader sees that contract."""
    scope = scope_of(session)
    if scope.sees_all:
        return true()
    return contract_id_column.in_(scope.contract_ids())


def in_force_on(as_of: date) -> Any:
    """A condition on contracts: in force on ``as_of``, i.e. signed on or before it and not
    terminated on or before it."""
    return and_(
        or_(col(Contract.signed_on).is_(None), col(Contract.signed_on) <= as_of),
        or_(col(Contract.status) != cs.TERMINATED, col(Contract.terminated_on) > as_of),
    )


def reported(session: Session, as_of: date) -> Any:
    """The contracts `report receivables` and `report payables` cover: those the reader sees,
    in force on ``as_of``."""
    return and_(visible(session, col(Contract.id)), in_force_on(as_of))
