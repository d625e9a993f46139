"""What the money use cases share: who may act, which contracts take money, the open part of
each payment milestone, settling milestones, and a contract's money totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from bizops.domain import contract_states as cs
from bizops.domain import money_rules as mr
from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.domain.money import format_money, parse_money
from bizops.domain.roles import ADMIN, FINANCE, MANAGER
from bizops.domain.vocab import label, labels
from bizops.i18n import _
from bizops.services.lookup import as_id
from bizops.store import audit
from bizops.store.models import (
    Allocation,
    Contract,
    Invoice,
    Milestone,
    Payment,
    Receipt,
    User,
    WriteOff,
)

ZERO = mr.ZERO
# A contract takes money once it is signed, and while it is in force or closed (not archived).
MONEY_STATES: tuple[str, ...] = (cs.SIGNED, cs.ACTIVE, cs.COMPLETED, cs.TERMINATED)


def require_finance(actor: User, what: str) -> None:
    """Only finance records money (``what``: the act in words, already translated)."""
    if actor.has_role(FINANCE):
        return
    raise NotPermitted(
        _("only finance may {what}; {login} is {roles}").format(
            what=what, login=actor.login, roles=", ".join(actor.role_list)
        )
    )


def require_owner(actor: User, contract: Contract, what: str) -> None:
    """The contract's owner, a manager or an admin."""
    if actor.id == contract.owner_id or actor.has_role(MANAGER) or actor.has_role(ADMIN):
        return
    raise NotPermitted(
        _(
            "only the owner of contract {number}, a manager or an admin may {what}; {login} is {roles}"
        ).format(
            number=contract.number, what=what, login=actor.login, roles=", ".join(actor.role_list)
        )
    )


def require_money_state(contract: Contract) -> None:
    if contract.status not in MONEY_STATES:
        raise Conflict(
            _(
                "contract {number} is {status}; money is recorded only on a contract that is "
                "{states}"
            ).format(
                number=contract.number,
                status=label("contract_state", contract.status),
                states=labels("contract_state", MONEY_STATES),
            )
        )


def require_direction(contract: Contract, types: tuple[str, ...], what: str) -> None:
    if contract.type not in types:
        raise Conflict(
            _("contract {number} is a {type} contract; {what} applies to {types} contracts").format(
                number=contract.number, type=contract.type, what=what, types=", ".join(types)
            )
        )


def amount_of(value: str | Decimal, field: str = "--amount") -> Decimal:
    """A positive amount to the cent."""
    return mr.positive(parse_money(value, field=field), field)


def record(
    session: Session,
    actor: User,
    action: str,
    entity_type: str,
    entity_id: str | int,
    *,
    before: Any = None,
    after: Any = None,
) -> None:
    audit.record(
        session,
        actor=actor.login,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
    )


def save(session: Session, *rows: Any) -> None:
    for row in rows:
        session.add(row)
    session.flush()


def by_id(session: Session, model: Any, ref: str | int, field: str, noun: str) -> Any:
    text = str(ref).strip().lstrip("#")
    row_id = as_id(text)
    found = session.get(model, row_id) if row_id is not None else None
    if found is None:
        raise NotFound(_("{field}: no {noun} {ref}").format(field=field, noun=noun, ref=text))
    return found


def payment_milestone(
    session: Session, contract: Contract, ref: str | int | None
) -> Milestone | None:
    """``--milestone N``: a payment milestone of this contract, by id."""
    if ref is None or str(ref).strip() == "":
        return None
    milestone: Milestone = by_id(session, Milestone, ref, "--milestone", _("milestone"))
    if milestone.contract_id != contract.id or milestone.kind != "payment":
        raise Invalid(
            _("--milestone: #{id} is not a payment milestone of contract {number}").format(
                id=milestone.id, number=contract.number
            )
        )
    return milestone


def allocated(session: Session, milestone_ids: list[int]) -> dict[int, Decimal]:
    if not milestone_ids:
        return {}
    rows = session.execute(
        select(col(Allocation.milestone_id), func.sum(col(Allocation.amount)))
        .where(col(Allocation.milestone_id).in_(milestone_ids))
        .group_by(col(Allocation.milestone_id))
    ).all()
    return {int(mid): Decimal(total) for mid, total in rows}


def open_items(session: Session, contract_id: int) -> list[mr.OpenItem]:
    """The open part of each payment milestone with an amount, not yet settled."""
    milestones = list(
        session.execute(
            select(Milestone).where(
                col(Milestone.contract_id) == contract_id,
                col(Milestone.kind) == "payment",
                col(Milestone.amount).is_not(None),
                col(Milestone.done_on).is_(None),
            )
        ).scalars()
    )
    taken = allocated(session, [m.id for m in milestones if m.id is not None])
    return [
        mr.OpenItem(key=m.id, due=m.due, open=(m.amount or ZERO) - taken.get(m.id, ZERO))
        for m in milestones
        if m.id is not None
    ]


def settle(
    session: Session,
    *,
    parts: list[tuple[int, Decimal]],
    day: date,
    actor: User,
    source: dict[str, int | None],
) -> list[int]:
    """Record each part as an allocation; a milestone settled in full is done on ``day``.
    Returns the milestones done."""
    done = []
    for milestone_id, amount in parts:
        session.add(Allocation(milestone_id=milestone_id, amount=amount, **source))
    session.flush()
    taken = allocated(session, [m for m, _a in parts])
    for milestone_id, _amount in parts:
        milestone = session.get(Milestone, milestone_id)
        assert milestone is not None and milestone.amount is not None
        if taken.get(milestone_id, ZERO) >= milestone.amount and milestone.done_on is None:
            milestone.done_on, milestone.done_by = day, actor.login
            session.add(milestone)
            done.append(milestone_id)
    session.flush()
    return done


def _left_over(session: Session, rows: list[Any], link: Any) -> list[tuple[int, Decimal]]:
    """Of (id, amount) rows, what each has not allocated to a milestone yet (``link`` is the
    allocation's column naming them)."""
    ids = [row_id for row_id, _amount in rows]
    taken = {
        int(k): Decimal(v)
        for k, v in session.execute(
            select(link, func.sum(col(Allocation.amount))).where(link.in_(ids)).group_by(link)
        ).all()
    }
    left = [(row_id, amount - taken.get(row_id, ZERO)) for row_id, amount in rows]
    return [(row_id, amount) for row_id, amount in left if amount > 0]


def _unallocated(session: Session, contract_id: int) -> list[tuple[dict[str, int | None], Decimal]]:
    """Money recorded on the contract that settles no milestone yet, oldest first, with its
    source: receipts (their applied part), paid payments and approved write-offs."""
    receipts = session.execute(
        select(col(Receipt.id), col(Receipt.applied))
        .where(col(Receipt.contract_id) == contract_id)
        .order_by(col(Receipt.received_on), col(Receipt.id))
    ).all()
    payments = session.execute(
        select(col(Payment.id), col(Payment.amount))
        .where(col(Payment.contract_id) == contract_id, col(Payment.status) == mr.PAID)
        .order_by(col(Payment.paid_on), col(Payment.id))
    ).all()
    writeoffs = session.execute(
        select(col(WriteOff.id), col(WriteOff.amount))
        .where(col(WriteOff.contract_id) == contract_id, col(WriteOff.status) == mr.APPROVED)
        .order_by(col(WriteOff.approved_on), col(WriteOff.id))
    ).all()
    out: list[tuple[dict[str, int | None], Decimal]] = []
    for key, rows, link in (
        ("receipt_id", receipts, col(Allocation.receipt_id)),
        ("payment_id", payments, col(Allocation.payment_id)),
        ("writeoff_id", writeoffs, col(Allocation.writeoff_id)),
    ):
        out += [({key: row_id}, left) for row_id, left in _left_over(session, list(rows), link)]
    return out


def settle_new_milestone(
    session: Session, *, milestone: Milestone, actor: User, today: date
) -> None:
    """A payment milestone planned after the money came in takes the money that settles no
    milestone yet (oldest first), so that it is done, or partly settled, as if it had been
    planned before: otherwise it would stay open for good, with nothing left to receive."""
    if milestone.kind != "payment" or milestone.amount is None or milestone.id is None:
        return
    need = milestone.amount
    for source, left in _unallocated(session, milestone.contract_id):
        part = min(left, need)
        settle(session, parts=[(milestone.id, part)], day=today, actor=actor, source=source)
        need -= part
        if need <= 0:
            return


@dataclass(frozen=True)
class Totals:
    """A contract's money as it stands: every amount in the contract's currency."""

    amount: Decimal
    requested: Decimal  # invoices requested, not yet issued
    invoiced: Decimal  # invoices issued, not void
    received: Decimal  # receipts counted against the contract
    advance: Decimal  # received beyond what was open (预收)
    written_off: Decimal  # approved write-offs
    paid: Decimal  # purchase payments paid
    committed: Decimal  # purchase payments requested or approved, not yet paid

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount - self.received - self.written_off, ZERO)

    @property
    def open_to_pay(self) -> Decimal:
        return max(self.amount - self.paid, ZERO)


def _sum(session: Session, column: Any, *where: Any) -> Decimal:
    value = session.execute(select(func.sum(column)).where(*where)).scalar()
    return Decimal(value) if value is not None else ZERO


def totals(session: Session, contract: Contract) -> Totals:
    cid = contract.id
    inv = col(Invoice.contract_id) == cid
    pay = col(Payment.contract_id) == cid
    rec = col(Receipt.contract_id) == cid
    return Totals(
        amount=contract.amount or Decimal(0),  # a contract without an amount (an NDA)
        requested=_sum(session, col(Invoice.amount), inv, col(Invoice.status) == mr.REQUESTED),
        invoiced=_sum(session, col(Invoice.amount), inv, col(Invoice.status) == mr.ISSUED),
        received=_sum(session, col(Receipt.applied), rec),
        advance=_sum(session, col(Receipt.advance), rec),
        written_off=_sum(
            session,
            col(WriteOff.amount),
            col(WriteOff.contract_id) == cid,
            col(WriteOff.status) == mr.APPROVED,
        ),
        paid=_sum(session, col(Payment.amount), pay, col(Payment.status) == mr.PAID),
        committed=_sum(
            session,
            col(Payment.amount),
            pay,
            col(Payment.status).in_([mr.PENDING_APPROVAL, mr.APPROVED]),
        ),
    )


def outstanding_text(session: Session, contract: Contract) -> str | None:
    """For the lifecycle's guard: the outstanding amount of a sales or service contract, in
    words, or ``None`` when nothing is outstanding (received or written off in full)."""
    if contract.type not in mr.INCOMING_TYPES or contract.id is None:
        return None
    left = totals(session, contract).outstanding
    if left <= 0:
        return None
    return f"{format_money(left)} {contract.currency}"
