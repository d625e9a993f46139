"""`report receivables` and `report payables`: per contract the amount, invoiced, received,
outstanding and overdue with its aging, totals per owner and currency, and DSO.

Everything is as of a day: receipts received by then, invoices issued by then and not void
by then, write-offs approved by then. What is overdue comes from the payment milestones
(their open part, past due); what is outstanding beyond the planned milestones falls due at
the contract's end. A few grouped queries read everything, so the report stays fast with
tens of thousands of receipts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session, col

from bizops.domain import money_rules as mr
from bizops.services.lookup import find_customer
from bizops.services.money.common import MONEY_STATES, ZERO
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

_SUMMED = ("amount", "invoiced", "received", "outstanding", "overdue") + tuple(
    name for name, _l, _h in mr.AGING_BUCKETS
)


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
        query = query.join(User, col(User.id) == col(Contract.owner_id)).where(
            col(User.login) == owner
        )
    if customer:
        query = query.where(col(Contract.customer_id) == find_customer(session, customer).id)
    if currency:
        query = query.where(col(Contract.currency) == currency.strip().upper())
    return query


def _by_contract(
    session: Session, column: Any, contract_col: Any, *where: Any
) -> dict[int, Decimal]:
    rows = session.execute(
        select(contract_col, func.sum(column)).where(*where).group_by(contract_col)
    ).all()
    return {int(cid): Decimal(total) for cid, total in rows if total is not None}


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


def _open_items(session: Session, scope: Any, as_of: date) -> dict[int, list[mr.OpenItem]]:
    """Each contract's payment milestones with what was still open on ``as_of``."""
    settled = dict(
        session.execute(
            select(col(Allocation.milestone_id), func.sum(col(Allocation.amount)))
            .join(Milestone, col(Milestone.id) == col(Allocation.milestone_id))
            .where(col(Milestone.contract_id).in_(scope), _settled_by(as_of))
            .group_by(col(Allocation.milestone_id))
        ).all()
    )
    out: dict[int, list[mr.OpenItem]] = defaultdict(list)
    for mid, cid, due, amount in session.execute(
        select(
            col(Milestone.id), col(Milestone.contract_id), col(Milestone.due), col(Milestone.amount)
        ).where(
            col(Milestone.contract_id).in_(scope),
            col(Milestone.kind) == "payment",
            col(Milestone.amount).is_not(None),
        )
    ).all():
        left = Decimal(amount) - Decimal(settled.get(mid) or 0)
        if left > 0:
            out[int(cid)].append(mr.OpenItem(key=int(mid), due=due, open=left))
    return out


class _Figures:
    """The grouped sums the report reads, per contract."""

    def __init__(self, session: Session, scope: Any, as_of: date, incoming: bool) -> None:
        inv = Invoice.contract_id
        window = as_of - timedelta(days=mr.DSO_WINDOW_DAYS)
        if incoming:
            self.invoiced = _by_contract(
                session, col(Invoice.amount), inv, col(inv).in_(scope), _issued_by(as_of)
            )
            self.window = _by_contract(
                session,
                col(Invoice.amount),
                inv,
                col(inv).in_(scope),
                _issued_by(as_of),
                col(Invoice.issued_on) > window,
            )
            rec = Receipt.contract_id
            on = col(Receipt.received_on) <= as_of
            self.received = _by_contract(
                session, col(Receipt.applied), rec, col(rec).in_(scope), on
            )
            self.advance = _by_contract(session, col(Receipt.advance), rec, col(rec).in_(scope), on)
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


def _row(contract: Any, figures: _Figures, as_of: date) -> ReceivableRow:
    cid = int(contract.id)
    received = figures.received.get(cid, ZERO)
    written_off = figures.written_off.get(cid, ZERO)
    outstanding = max(Decimal(contract.amount) - received - written_off, ZERO)
    items = list(figures.items.get(cid, []))
    planned = sum((i.open for i in items), ZERO)
    if outstanding > planned:
        items.append(mr.OpenItem(key=0, due=contract.end, open=outstanding - planned))
    aged = mr.aging(items, as_of)
    overdue_items = [i for i in items if i.due < as_of]
    return {
        "contract": contract.number,
        "title": contract.title,
        "customer": contract.customer,
        "owner": contract.owner,
        "currency": contract.currency,
        "amount": Decimal(contract.amount),
        "invoiced": figures.invoiced.get(cid, ZERO),
        "received": received,
        "advance": figures.advance.get(cid, ZERO),
        "written_off": written_off,
        "outstanding": outstanding,
        "overdue": min(aged["overdue"], outstanding),
        "aging_0_30": aged["aging_0_30"],
        "aging_31_60": aged["aging_31_60"],
        "aging_61_90": aged["aging_61_90"],
        "aging_over_90": aged["aging_over_90"],
        "oldest_due": min((i.due for i in overdue_items), default=None),
    }


def _totals(
    rows: Iterable[ReceivableRow], window: dict[str, Decimal], key: str
) -> list[ReceivableTotal]:
    groups: dict[tuple[str | None, str], dict[str, Any]] = {}
    for row in rows:
        group_key = (row["owner"] if key == "owner" else None, row["currency"])
        acc = groups.setdefault(
            group_key, {**{name: ZERO for name in _SUMMED}, "contracts": 0, "billed": ZERO}
        )
        acc["contracts"] += 1
        for name in _SUMMED:
            acc[name] += row[name]  # type: ignore[literal-required]
        acc["billed"] += max(row["invoiced"] - row["received"], ZERO)
    out: list[ReceivableTotal] = []
    for (owner, currency), acc in sorted(groups.items(), key=lambda g: (g[0][0] or "", g[0][1])):
        in_window = window.get(f"{owner}\x00{currency}" if key == "owner" else currency, ZERO)
        out.append(
            {
                "owner": owner,
                "currency": currency,
                "contracts": acc["contracts"],
                **{name: acc[name] for name in _SUMMED},  # type: ignore[typeddict-item]
                "dso": mr.dso(acc["billed"], in_window),
            }
        )
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
    figures = _Figures(session, scope, as_of, incoming)
    contracts = session.execute(
        select(
            col(Contract.id),
            col(Contract.number),
            col(Contract.title),
            col(Contract.currency),
            col(Contract.amount),
            col(Contract.end),
            col(Customer.name).label("customer"),
            col(User.login).label("owner"),
        )
        .join(Customer, col(Customer.id) == col(Contract.customer_id))
        .join(User, col(User.id) == col(Contract.owner_id))
        .where(col(Contract.id).in_(scope))
        .order_by(col(Contract.number))
    ).all()
    rows = [_row(c, figures, as_of) for c in contracts]
    window: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for c in contracts:
        amount = figures.window.get(int(c.id), ZERO)
        window[f"{c.owner}\x00{c.currency}"] += amount
        window[c.currency] += amount
    return {
        "as_of": as_of,
        "rows": rows,
        "totals": _totals(rows, window, "owner") + _totals(rows, window, "department"),
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
