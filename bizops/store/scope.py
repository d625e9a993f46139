"""What a reader's visibility lets through, as SQL clauses and checks of single records.

Who sees whom is decided by the policy (``bizops.services.visibility.scope_for``, where the
rule is explained); this is the object it produces. A read session carries it
(``bind_scope``); the queries of the services and of the reports add its clauses, and
``require_*`` refuses a single record outside it (exit 4). A session without a scope (writes,
and the rules that need the whole table: duplicates, numbering) sees everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import false, or_, select, true
from sqlmodel import Session, col

from bizops.domain.errors import NotPermitted
from bizops.i18n import _
from bizops.store.models import Customer

if TYPE_CHECKING:
    from bizops.store.models import Contract, Quote

_KEY = "bizops.scope"


@dataclass(frozen=True)
class Scope:
    """The customers a reader sees: those owned by ``user_ids`` and the pool; everything
    when ``user_ids`` is None."""

    user_ids: frozenset[int] | None = None
    login: str | None = None

    @property
    def sees_all(self) -> bool:
        return self.user_ids is None

    # --- clauses for queries -------------------------------------------------------------
    def owner_clause(self, owner_column: Any) -> Any:
        """A condition on a customer's owner column."""
        if self.user_ids is None:
            return true()
        return or_(owner_column.is_(None), owner_column.in_(sorted(self.user_ids)))

    def customer_ids(self) -> Any:
        """The visible customers' ids, as a subquery."""
        return select(col(Customer.id)).where(self.owner_clause(col(Customer.owner_id)))

    def customer_clause(self, customer_id_column: Any) -> Any:
        """A condition on a column holding a customer id (contacts, follow-ups...)."""
        if self.user_ids is None:
            return true()
        return customer_id_column.in_(self.customer_ids())

    def contract_clause(self, customer_id_column: Any, owner_column: Any) -> Any:
        """A condition on a contract's customer and owner columns."""
        if self.user_ids is None:
            return true()
        if not self.user_ids:
            return false()
        return or_(
            owner_column.in_(sorted(self.user_ids)), customer_id_column.in_(self.customer_ids())
        )

    def contract_ids(self) -> Any:
        """The visible contracts' ids, as a subquery."""
        # Imported here: listings of customers and follow-ups never load the contract model.
        from bizops.store.models import Contract

        return select(col(Contract.id)).where(
            self.contract_clause(col(Contract.customer_id), col(Contract.owner_id))
        )

    def only_customers(self, query: Any, owner_column: Any = None) -> Any:
        """``query`` narrowed to the customers the reader sees (by ``owner_column``, default
        the customers table's owner)."""
        if self.user_ids is None:
            return query
        column = col(Customer.owner_id) if owner_column is None else owner_column
        return query.where(self.owner_clause(column))

    def only_contracts(self, query: Any) -> Any:
        """``query`` (which selects from contracts) narrowed to the contracts the reader sees."""
        if self.user_ids is None:
            return query
        from bizops.store.models import Contract

        return query.where(self.contract_clause(col(Contract.customer_id), col(Contract.owner_id)))

    def owners(self, requested: Sequence[int] | None) -> list[int] | None:
        """Whose records a listing shows (None: everyone's), within this scope. The pool is
        not anyone's: listings by owner do not show it."""
        if self.user_ids is None:
            return None if requested is None else list(requested)
        if requested is None:
            return sorted(self.user_ids)
        return [i for i in requested if i in self.user_ids]

    # --- single records ------------------------------------------------------------------
    def sees_customer(self, customer: Customer) -> bool:
        return (
            self.user_ids is None or customer.owner_id is None or customer.owner_id in self.user_ids
        )

    def sees_contract(self, contract: Contract, customer: Customer | None) -> bool:
        if self.user_ids is None or contract.owner_id in self.user_ids:
            return True
        return customer is not None and self.sees_customer(customer)

    def require_customer(self, customer: Customer) -> None:
        if not self.sees_customer(customer):
            raise NotPermitted(
                _("{login} may not see customer {code}: it is outside their visibility").format(
                    login=self.login, code=customer.code
                )
            )

    def require_quote(self, session: Session, quote: Quote) -> None:
        """A quote is seen with its customer, or by its owner (as a contract is)."""
        if self.user_ids is None or quote.owner_id in self.user_ids:
            return
        customer = session.get(Customer, quote.customer_id)
        if customer is None or not self.sees_customer(customer):
            raise NotPermitted(
                _("{login} may not see quote {number}: it is outside their visibility").format(
                    login=self.login, number=quote.number
                )
            )

    def require_contract(self, session: Session, contract: Contract) -> None:
        if self.user_ids is None or contract.owner_id in self.user_ids:
            return
        if not self.sees_contract(contract, session.get(Customer, contract.customer_id)):
            raise NotPermitted(
                _("{login} may not see contract {number}: it is outside their visibility").format(
                    login=self.login, number=contract.number
                )
            )


EVERYTHING = Scope()


def bind_scope(session: Session, scope: Scope) -> None:
    """Make ``scope`` the reader's scope for every query in ``session``."""
    session.info[_KEY] = scope


def scope_of(session: Session) -> Scope:
    """The reader's scope in ``session`` (everything when none was bound)."""
    found = session.info.get(_KEY)
    return found if isinstance(found, Scope) else EVERYTHING
