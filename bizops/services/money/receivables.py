"""`report receivables` and `report payables`: per contract the amount, invoiced, received,
outstanding and overdue with its aging, totals per owner and currency, and DSO.

Everything is as of a day: the contracts in force on it (``visible.reported``), receipts
received by then, invoices issued by then and not void by then, write-offs approved by then.
What is overdue comes from the payment milestones (their open part, past due); what is
outstanding beyond the planned milestones falls due at the contract's end. A few grouped queries read everything in integer cents (as stored), the
rows are built from plain tuples and become Decimal once at the end, so the report stays
fast with tens of thousands of contracts and receipts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, and_, case, func, or_, select, type_coerce
from sqlmodel import Session, col

from bizops.domain import money_rules as mr
from bizops.services.lookup import find_customer
from bizops.services.money.common import MONEY_STATES
from bizops.services.money.visible import reported
from bizops.services.users import find_user
from bizops.services.views.money import ReceivableRow, ReceivablesReport, ReceivableTotal
from bizops.store.models import (
    Allocation,
    Contract,
    Customer,
    Invoice,
    Milestone,
    Payment,
    Receipt,
    User,
    WriteOff,
)

_BUCKETS = tuple(name for name, _l, _h in mr.AGING_BUCKETS)
_SUMMED = ("amount", "invoiced", "received", "outstanding", "overdue", *_BUCKETS)
# A row's figures in cents, in this order (see _Row).
_CENTS = ("amount", "invoiced", "received", "advance", "written_off", "outstanding", "overdue")


@cache
def _decimal(cents: int) -> Decimal:
    """Cents as the Decimal the Money column type returns (two places). Decimals do not
    change, so one per value is shared: most figures of a report are a few recurring sums."""
    return Decimal(cents).scaleb(-2)


def _cents(column: Any) -> Any:
    """A Money column (or a sum of one) read as the integer cents it stores."""
    return type_coerce(column, BigInteger)


# The columns of a contract's row, as selected in money_report.
_ID, _NUMBER, _TITLE, _CURRENCY, _AMOUNT, _END, _CUSTOMER, _OWNER = range(8)


def _scope(
    session: Session,
    types: tuple[str, ...],
    owner: str | None,
    customer: str | None,
    currency: str | None,
) -> Any:
    query = select(col(Contract.id)).where(
        col(Contract.type).in_(types), col(Contract.status).in_(MONEY_STATES)
    )
    if owner:
        # A lookup, as on every listing: an unknown login is refused (exit 3), not an empty
        # report.
        query = query.where(col(Contract.owner_id) == find_user(session, owner, field="--owner").id)
    if customer:
        query = query.where(col(Contract.customer_id) == find_customer(session, customer).id)
    if currency:
        query = query.where(col(Contract.currency) == currency.strip().upper())
    return query


def _by_contract(session: Session, column: Any, contract_col: Any, *where: Any) -> dict[int, int]:
    return {cid: sums[0] for cid, sums in _sums(session, (column,), contract_col, *where).items()}


def _sums(
    session: Session, columns: tuple[Any, ...], contract_col: Any, *where: Any
) -> dict[int, tuple[int, ...]]:
    """Per contract, the sum in cents of each of ``columns`` (a missing sum is 0): the sums
    of one table are read in one query."""
    rows = (
        session.connection()
        .execute(
            select(contract_col, *(_cents(func.sum(c)) for c in columns))
            .where(*where)
            .group_by(contract_col)
        )
        .all()
    )
    return {int(row[0]): tuple(int(total or 0) for total in row[1:]) for row in rows}


def _split(sums: dict[int, tuple[int, ...]], at: int) -> dict[int, int]:
    return {cid: figures[at] for cid, figures in sums.items() if figures[at]}


def _issued_by(day: date) -> Any:
    """Invoices issued by ``day`` and not void on it."""
    return and_(
        col(Invoice.issued_on) <= day,
        or_(col(Invoice.status) == mr.ISSUED, col(Invoice.void_on) > day),
    )


def _settled_by(as_of: date) -> Any:
    """Allocations whose receipt, payment or write-off had happened by ``as_of``."""
    receipt = select(col(Receipt.id)).where(col(Receipt.received_on) <= as_of)
    payment = select(col(Payment.id)).where(col(Payment.paid_on) <= as_of)
    writeoff = select(col(WriteOff.id)).where(col(WriteOff.approved_on) <= as_of)
    return or_(
        col(Allocation.receipt_id).in_(receipt),
        col(Allocation.payment_id).in_(payment),
        col(Allocation.writeoff_id).in_(writeoff),
    )


def _open_items(session: Session, scope: Any, as_of: date) -> dict[int, list[tuple[date, int]]]:
    """Each contract's payment milestones with what was still open on ``as_of``: (due, open
    cents), in one query (the settled part summed per milestone beside it)."""
    settled = (
        select(
            col(Allocation.milestone_id).label("milestone_id"),
            _cents(func.sum(col(Allocation.amount))).label("total"),
        )
        .join(Milestone, col(Milestone.id) == col(Allocation.milestone_id))
        .where(col(Milestone.contract_id).in_(scope), _settled_by(as_of))
        .group_by(col(Allocation.milestone_id))
        .subquery()
    )
    out: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for cid, due, amount, paid in (
        session.connection()
        .execute(
            select(
                col(Milestone.contract_id),
                col(Milestone.due),
                _cents(col(Milestone.amount)),
                settled.c.total,
            )
            .outerjoin(settled, settled.c.milestone_id == col(Milestone.id))
            .where(
                col(Milestone.contract_id).in_(scope),
                col(Milestone.kind) == "payment",
                col(Milestone.amount).is_not(None),
            )
        )
        .all()
    ):
        left = int(amount) - int(paid or 0)
        if left > 0:
            out[int(cid)].append((due, left))
    return out


class _Figures:
    """The grouped sums the report reads, per contract, in cents."""

    def __init__(self, session: Session, scope: Any, as_of: date, incoming: bool) -> None:
        inv = Invoice.contract_id
        window = as_of - timedelta(days=mr.DSO_WINDOW_DAYS)
        self.received: dict[int, int]
        if incoming:
            # What was invoiced, and the part of it issued in the DSO window, in one query.
            invoiced = _sums(
                session,
                (col(Invoice.amount), case((col(Invoice.issued_on) > window, col(Invoice.amount)))),
                inv,
                col(inv).in_(scope),
                _issued_by(as_of),
            )
            self.invoiced, self.window = _split(invoiced, 0), _split(invoiced, 1)
            rec = Receipt.contract_id
            received = _sums(
                session,
                (col(Receipt.applied), col(Receipt.advance)),
                rec,
                col(rec).in_(scope),
                col(Receipt.received_on) <= as_of,
            )
            self.received, self.advance = _split(received, 0), _split(received, 1)
            self.written_off = _by_contract(
                session,
                col(WriteOff.amount),
                WriteOff.contract_id,
                col(WriteOff.contract_id).in_(scope),
                col(WriteOff.approved_on) <= as_of,
                col(WriteOff.status) == mr.APPROVED,
            )
        else:
            self.invoiced, self.window, self.advance, self.written_off = {}, {}, {}, {}
            self.received = _by_contract(
                session,
                col(Payment.amount),
                Payment.contract_id,
                col(Payment.contract_id).in_(scope),
                col(Payment.paid_on) <= as_of,
                col(Payment.status) == mr.PAID,
            )
        self.items = _open_items(session, scope, as_of)


class _Aging:
    """Open amounts by aging bucket on a day; each due date's bucket is worked out once."""

    def __init__(self, as_of: date) -> None:
        self.as_of = as_of
        self._buckets: dict[date, int | None] = {}

    def bucket(self, due: date) -> int | None:
        try:
            return self._buckets[due]
        except KeyError:
            name = mr.bucket_of(mr.days_past_due(due, self.as_of))
            found = None if name is None else _BUCKETS.index(name)
            self._buckets[due] = found
            return found

    def __call__(self, items: Iterable[tuple[date, int]]) -> list[int]:
        out = [0] * len(_BUCKETS)
        for due, left in items:
            index = self.bucket(due)
            if index is not None:
                out[index] += left
        return out


def _row(contract: Any, figures: _Figures, aging: _Aging) -> tuple[list[int], date | None]:
    """A contract's figures in cents (``_CENTS`` then the buckets) and its oldest due day."""
    cid, amount, end = contract[_ID], int(contract[_AMOUNT] or 0), contract[_END]
    received = figures.received.get(cid, 0)
    written_off = figures.written_off.get(cid, 0)
    outstanding = max(amount - received - written_off, 0)
    items = figures.items.get(cid, [])
    planned = sum(left for _due, left in items)
    if outstanding > planned:
        items = [*items, (end, outstanding - planned)]
    buckets = aging(items)
    overdue = [due for due, _left in items if due < aging.as_of]
    cents = [
        amount,
        figures.invoiced.get(cid, 0),
        received,
        figures.advance.get(cid, 0),
        written_off,
        outstanding,
        min(sum(buckets), outstanding),
        *buckets,
    ]
    return cents, min(overdue, default=None)


def _as_row(contract: Any, cents: list[int], oldest_due: date | None) -> ReceivableRow:
    amount, invoiced, received, advance, written_off, outstanding, overdue = map(
        _decimal, cents[: len(_CENTS)]
    )
    a0, a31, a61, a91 = map(_decimal, cents[len(_CENTS) :])
    return {
        "contract": contract[_NUMBER],
        "title": contract[_TITLE],
        "customer": contract[_CUSTOMER],
        "owner": contract[_OWNER],
        "currency": contract[_CURRENCY],
        "amount": amount,
        "invoiced": invoiced,
        "received": received,
        "advance": advance,
        "written_off": written_off,
        "outstanding": outstanding,
        "overdue": overdue,
        "aging_0_30": a0,
        "aging_31_60": a31,
        "aging_61_90": a61,
        "aging_over_90": a91,
        "oldest_due": oldest_due,
    }


_SUMMED_AT = tuple((_CENTS + _BUCKETS).index(name) for name in _SUMMED)
_INVOICED, _RECEIVED = _CENTS.index("invoiced"), _CENTS.index("received")


def _totals(
    rows: Iterable[tuple[Any, list[int]]], window: dict[tuple[str | None, str], int], key: str
) -> list[ReceivableTotal]:
    groups: dict[tuple[str | None, str], list[int]] = {}
    for contract, cents in rows:
        group_key = (contract[_OWNER] if key == "owner" else None, contract[_CURRENCY])
        # The sums of _SUMMED, then the number of contracts and what is billed, not received.
        acc = groups.setdefault(group_key, [0] * (len(_SUMMED) + 2))
        for at, index in enumerate(_SUMMED_AT):
            acc[at] += cents[index]
        acc[-2] += 1
        acc[-1] += max(cents[_INVOICED] - cents[_RECEIVED], 0)
    out: list[ReceivableTotal] = []
    for (owner, currency), acc in sorted(groups.items(), key=lambda g: (g[0][0] or "", g[0][1])):
        total: dict[str, Any] = {"owner": owner, "currency": currency, "contracts": acc[-2]}
        total.update(zip(_SUMMED, map(_decimal, acc), strict=False))
        total["dso"] = mr.dso(_decimal(acc[-1]), _decimal(window.get((owner, currency), 0)))
        out.append(total)  # type: ignore[arg-type]
    return out


def money_report(
    session: Session,
    *,
    incoming: bool = True,
    owner: str | None = None,
    customer: str | None = None,
    currency: str | None = None,
    as_of: date,
) -> ReceivablesReport:
    """`report receivables` (incoming) or `report payables` (purchase contracts, where
    ``received`` is what was paid)."""
    types = mr.INCOMING_TYPES if incoming else mr.OUTGOING_TYPES
    scope = _scope(session, types, owner, customer, currency)
    scope = scope.where(reported(session, as_of))
    figures = _Figures(session, scope, as_of, incoming)
    contracts = (
        session.connection()
        .execute(
            select(
                col(Contract.id),
                col(Contract.number),
                col(Contract.title),
                col(Contract.currency),
                _cents(col(Contract.amount)),
                col(Contract.end),
                col(Customer.name),
                col(User.login),
            )
            .join(Customer, col(Customer.id) == col(Contract.customer_id))
            .join(User, col(User.id) == col(Contract.owner_id))
            .where(col(Contract.id).in_(scope))
            .order_by(col(Contract.number))
        )
        .all()
    )
    aging = _Aging(as_of)
    built = [(c, *_row(c, figures, aging)) for c in contracts]
    window: dict[tuple[str | None, str], int] = defaultdict(int)
    for c in contracts:
        amount = figures.window.get(c[_ID], 0)
        window[(c[_OWNER], c[_CURRENCY])] += amount
        window[(None, c[_CURRENCY])] += amount
    cents = [(c, row_cents) for c, row_cents, _oldest in built]
    return {
        "as_of": as_of,
        "rows": [_as_row(c, row_cents, oldest) for c, row_cents, oldest in built],
        "totals": _totals(cents, window, "owner") + _totals(cents, window, "department"),
    }


def overdue_receivables(
    session: Session, *, today: date, owner_ids: Iterable[int] | None = None
) -> list[ReceivableRow]:
    """Contracts with money past due today (for the daily report), most overdue first.
    ``owner_ids`` is ignored: finance sees every contract, so the report takes them all."""
    del owner_ids
    rows = money_report(session, incoming=True, as_of=today)["rows"]
    late = [r for r in rows if r["overdue"] > 0 and r["oldest_due"] is not None]
    return sorted(late, key=lambda r: (r["oldest_due"], r["contract"]))
