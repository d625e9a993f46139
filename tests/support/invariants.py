"""What must hold in every state of the database, whatever happened to it: one open follow-up
per customer still in the pipeline, an audit chain that verifies, contracts in legal states and
counters that match the rows they numbered."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from bizops.domain import cadence
from bizops.domain import contract_states as cs
from bizops.store.audit import COUNT_KEY, verify_chain
from bizops.store.counters import current_value
from bizops.store.models import AuditEvent, Contract, Counter, Customer, FollowUp


def count(session: Session, model: type) -> int:
    return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def invariant_problems(session: Session) -> list[str]:
    """Everything that must hold after any sequence of commands, as readable problems."""
    problems: list[str] = []
    open_counts = dict(
        session.execute(
            select(FollowUp.customer_id, func.count())
            .where(FollowUp.status == "open")
            .group_by(FollowUp.customer_id)
        ).all()
    )
    for cid, code, stage, archived in session.execute(
        select(Customer.id, Customer.code, Customer.stage, Customer.archived_on)
    ):
        expected = 1 if cadence.has_followups(stage, archived is not None) else 0
        got = open_counts.get(cid, 0)
        if got != expected:
            problems.append(
                f"customer {code} ({stage}, archived={archived}) has {got} open follow-ups, "
                f"expected {expected}"
            )
    checked, chain = verify_chain(session)
    problems.extend(f"audit: {p.problem}" for p in chain)
    if current_value(session, COUNT_KEY) != count(session, AuditEvent):
        problems.append("audit: the event counter does not match the events")
    for number, status in session.execute(select(Contract.number, Contract.status)):
        if status not in cs.STATES:
            problems.append(f"contract {number} has the unknown status {status!r}")
    customers = count(session, Customer)
    if current_value(session, "customer") != customers:
        problems.append(
            f"counter 'customer' is {current_value(session, 'customer')} but there are "
            f"{customers} customers"
        )
    contract_counters = session.execute(
        select(func.coalesce(func.sum(Counter.value), 0)).where(
            Counter.name.like("contract-%")  # type: ignore[attr-defined]
        )
    ).scalar_one()
    contracts = count(session, Contract)
    if int(contract_counters) != contracts:
        problems.append(
            f"contract counters add up to {contract_counters} but there are {contracts} contracts"
        )
    return problems
