"""Performance milestones: payments, deliveries, acceptance.

"Due" is defined once here (open, on a contract under performance, due by a day), with its
order (due date, then id): `contract milestone list --overdue` and the daily report read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import contract_states as cs
from bizops.domain.dates import parse_date
from bizops.domain.errors import Conflict, Invalid, NotFound
from bizops.domain.money import format_money
from bizops.domain.roles import FINANCE
from bizops.domain.validate import check_text
from bizops.domain.vocab import MILESTONE_KINDS, label, labels, one_of
from bizops.i18n import N_, _
from bizops.services.contracts.access import require_contract_role
from bizops.services.contracts.changes import record, save
from bizops.services.contracts.terms import check_amount, not_future
from bizops.services.lookup import as_id, find_contract
from bizops.services.money.common import settle_new_milestone
from bizops.services.views.contracts import DueMilestone, MilestoneListRow, MilestoneRow
from bizops.store.models import Contract, Customer, Milestone, User
from bizops.store.scope import scope_of


def _milestone(session: Session, ref: str | int) -> Milestone:
    text = str(ref).strip().lstrip("#")
    if not text.isdigit():
        raise Invalid(
            _("milestone: {ref!r} is not a milestone id (a number, see `milestone list`)").format(
                ref=ref
            )
        )
    row_id = as_id(text)
    found = session.get(Milestone, row_id) if row_id is not None else None
    if found is None:
        raise NotFound(
            _("milestone: no milestone #{id}; see `bizops contract milestone list`").format(id=text)
        )
    return found


def milestone_row(m: Milestone, number: str, today: date) -> MilestoneRow:
    assert m.id is not None
    overdue = m.done_on is None and m.due < today
    return {
        "id": m.id,
        "contract": number,
        "kind": m.kind,
        "due": m.due,
        "amount": m.amount,
        "note": m.note,
        "done_on": m.done_on,
        "done_by": m.done_by,
        "days_overdue": (today - m.due).days if overdue else 0,
    }


def _check_payments(session: Session, contract: Contract, kind: str, value: Decimal | None) -> None:
    """Payment milestones may not add up to more than the contract amount."""
    if value is None or kind != "payment":
        return
    planned = session.execute(
        select(col(Milestone.amount)).where(
            col(Milestone.contract_id) == contract.id, col(Milestone.kind) == "payment"
        )
    ).scalars()
    total = sum((a for a in planned if a is not None), Decimal(0)) + value
    if contract.amount is None or total > contract.amount:
        raise Invalid(
            _(
                "--amount: payment milestones would total {total} {currency}, "
                "more than the contract amount {amount}"
            ).format(
                total=format_money(total),
                currency=contract.currency,
                amount=format_money(contract.amount),
            )
        )


def add_milestone(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    kind: str,
    due: str | date,
    amount: str | Decimal | None = None,
    note: str | None = None,
    today: date,
) -> MilestoneRow:
    contract = find_contract(session, ref)
    require_contract_role(
        session, actor, contract, N_("plan milestones of contract {number}"), also=(FINANCE,)
    )
    if contract.status not in cs.PLANNABLE:
        raise Conflict(
            _(
                "contract {number} is {status}; milestones are planned only while it is {states}"
            ).format(
                number=contract.number,
                status=label("contract_state", contract.status),
                states=labels("contract_state", cs.PLANNABLE),
            )
        )
    kind_value = one_of(kind, MILESTONE_KINDS, "--kind")
    due_on = parse_date(due, today, field="--due")
    value = check_amount(amount, "--amount") if amount not in (None, "") else None
    text = check_text(note, "--note", max_length=2000)
    _check_payments(session, contract, kind_value, value)
    assert contract.id is not None
    milestone = Milestone(
        contract_id=contract.id, kind=kind_value, due=due_on, amount=value, note=text
    )
    save(session, milestone)
    settle_new_milestone(session, milestone=milestone, actor=actor, today=today)
    row = milestone_row(milestone, contract.number, today)
    record(session, actor, "milestone.add", "milestone", milestone.id or 0, after=row)
    return row


def complete_milestone(
    session: Session, *, actor: User, ref: str | int, on: str | date | None = None, today: date
) -> MilestoneRow:
    milestone = _milestone(session, ref)
    contract = session.get(Contract, milestone.contract_id)
    assert contract is not None
    require_contract_role(
        session, actor, contract, N_("record milestones of contract {number}"), also=(FINANCE,)
    )
    if milestone.done_on is not None:
        raise Conflict(
            _("milestone #{id} is already done (on {day})").format(
                id=milestone.id, day=milestone.done_on
            )
        )
    if contract.status == cs.ARCHIVED:
        raise Conflict(
            _("contract {number} is archived; its milestones are closed").format(
                number=contract.number
            )
        )
    if milestone.kind == "payment" and milestone.amount is not None:
        raise Conflict(
            _(
                "milestone #{id} is a payment of {amount} {currency}; it is done when the money "
                "is recorded in full, not by hand: `bizops contract receipt add {number} "
                "--milestone {id}` (sales) or `bizops contract payment pay` (purchase)"
            ).format(
                id=milestone.id,
                amount=format_money(milestone.amount),
                currency=contract.currency,
                number=contract.number,
            )
        )
    day = not_future(parse_date(on or today, today, field="--on"), today, "--on")
    before = milestone_row(milestone, contract.number, today)
    milestone.done_on, milestone.done_by = day, actor.login
    save(session, milestone)
    row = milestone_row(milestone, contract.number, today)
    record(
        session, actor, "milestone.done", "milestone", milestone.id or 0, before=before, after=row
    )
    return row


def milestones_of(session: Session, *, contract: Contract, today: date) -> list[MilestoneRow]:
    """A contract's milestones by due date (for `contract show`)."""
    return [
        milestone_row(m, contract.number, today)
        for m in session.execute(
            select(Milestone)
            .where(col(Milestone.contract_id) == contract.id)
            .order_by(col(Milestone.due), col(Milestone.id))
        ).scalars()
    ]


def _milestone_query() -> Any:
    return (
        select(
            col(Milestone.id),
            col(Contract.number).label("contract"),
            col(Contract.title),
            col(Contract.status),
            col(Contract.currency),
            col(Customer.name).label("customer"),
            col(User.login).label("owner"),
            col(Contract.owner_id),
            col(Milestone.kind),
            col(Milestone.due),
            col(Milestone.amount),
            col(Milestone.note),
            col(Milestone.done_on),
            col(Milestone.done_by),
        )
        .join(Contract, col(Contract.id) == col(Milestone.contract_id))
        .join(Customer, col(Customer.id) == col(Contract.customer_id))
        .join(User, col(User.id) == col(Contract.owner_id))
        .order_by(col(Milestone.due), col(Milestone.id))
    )


def _due_by(query: Any, day: date) -> Any:
    """Narrow ``query`` to open milestones due by ``day`` on contracts under performance."""
    return query.where(
        col(Milestone.done_on).is_(None),
        col(Milestone.due) <= day,
        col(Contract.status).in_(cs.PERFORMING),
    )


def _list_row(row: Any, today: date) -> MilestoneListRow:
    late = row.done_on is None and row.due < today
    return {
        "id": row.id,
        "contract": row.contract,
        "title": row.title,
        "customer": row.customer,
        "owner": row.owner,
        "kind": row.kind,
        "due": row.due,
        "amount": row.amount,
        "currency": row.currency,
        "note": row.note,
        "done_on": row.done_on,
        "done_by": row.done_by,
        "days_overdue": (today - row.due).days if late else 0,
    }


def list_milestones(
    session: Session, *, contract: str | int | None = None, overdue: bool = False, today: date
) -> list[MilestoneListRow]:
    """Milestones (of one contract, or all), by due date. ``overdue``: not done, due before
    today, on a contract under performance (signed or active)."""
    query = _milestone_query()
    if contract is not None:
        found = find_contract(session, contract)
        query = query.where(col(Milestone.contract_id) == found.id)
    if overdue:
        query = _due_by(query, today - timedelta(days=1))
    query = scope_of(session).only_contracts(query)
    return [_list_row(row, today) for row in session.execute(query)]


def due_milestones(
    session: Session,
    *,
    today: date,
    within_days: int = 0,
    owner_ids: Iterable[int] | None = None,
) -> list[DueMilestone]:
    """Open milestones of signed or active contracts due by ``today + within_days`` (overdue
    included; ``within_days=-1``: only the overdue), by due date: the rows of
    `contract milestone list` plus ``owner_id``."""
    query = _due_by(_milestone_query(), today + timedelta(days=within_days))
    if owner_ids is not None:
        query = query.where(col(Contract.owner_id).in_(list(owner_ids)))
    query = scope_of(session).only_contracts(query)
    return [{**_list_row(row, today), "owner_id": row.owner_id} for row in session.execute(query)]
