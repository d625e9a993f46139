"""What an approval decision does to a contract: the approvals service decides and returns an
``Outcome``; this module applies it. A contract request approved moves the contract to
``approved``, rejected or withdrawn back to ``draft``; an amendment request applies or closes
the amendment.

``approve_request``, ``reject_request`` and ``withdraw_request`` are the use cases behind
`bizops approval approve|reject|withdraw`: decide, then apply, in the caller's transaction.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bizops.domain import approval as approval_rules
from bizops.domain import contract_states as cs
from bizops.domain.errors import NotFound
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.services import approvals, quotes
from bizops.services.approvals import Outcome
from bizops.services.contracts.amendments import close_amendment
from bizops.services.contracts.changes import record, save, snapshot
from bizops.services.money import close_money_request
from bizops.services.views.approvals import RequestView
from bizops.store.models import Contract, User

# The contract's move for each way its own request closes.
_MOVES = {
    approval_rules.APPROVED: "approve",
    approval_rules.REJECTED: "reject",
    approval_rules.WITHDRAWN: "withdraw",
}


def apply_outcome(session: Session, *, outcome: Outcome, actor: User, today: date) -> None:
    """Carry a decision over to the contract, the amendment or the quote; a request still
    pending changes nothing."""
    if not outcome.closed:
        return
    if outcome.quote_id is not None:
        quotes.apply_outcome(session, outcome=outcome, actor=actor, today=today)
        return
    contract = session.get(Contract, outcome.contract_id)
    if contract is None:
        raise NotFound(
            _("approval request {request}: contract {contract} is gone").format(
                request=outcome.request_id, contract=outcome.contract_id
            )
        )
    if outcome.payment_id is not None or outcome.writeoff_id is not None:
        close_money_request(session, outcome=outcome, actor=actor, today=today)
        return
    if outcome.amendment_id is not None:
        close_amendment(session, outcome=outcome, contract=contract, actor=actor, today=today)
        return
    move = _MOVES[outcome.status]
    step = cs.check_move(contract.number, contract.status, move)
    before = snapshot(contract)
    contract.status = step.target
    if outcome.status == approval_rules.APPROVED:
        contract.approved_on = today
    else:
        contract.submitted_on = None
    save(session, contract)
    record(
        session,
        actor,
        f"contract.{move}",
        "contract",
        contract.number,
        before=before,
        after=snapshot(contract) | {"request": outcome.request_id},
    )


def approve_request(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    today: date,
    policy: Policy,
    comment: str | None = None,
    step: int | None = None,
) -> RequestView:
    """Approve the current step of a request; the last approval approves the contract (or
    applies the amendment). Returns the request as `approval show` prints it."""
    outcome = approvals.approve(
        session, actor=actor, ref=ref, today=today, policy=policy, comment=comment, step=step
    )
    apply_outcome(session, outcome=outcome, actor=actor, today=today)
    return approvals.show_request(session, ref=outcome.request_id, today=today)


def reject_request(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    reason: str | None,
    today: date,
    policy: Policy,
    step: int | None = None,
) -> RequestView:
    """Reject a request at its current step: the contract goes back to draft (or the
    amendment is rejected)."""
    outcome = approvals.reject(
        session, actor=actor, ref=ref, reason=reason, today=today, policy=policy, step=step
    )
    apply_outcome(session, outcome=outcome, actor=actor, today=today)
    return approvals.show_request(session, ref=outcome.request_id, today=today)


def withdraw_request(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    today: date,
    policy: Policy,
    reason: str | None = None,
) -> RequestView:
    """The submitter takes a request back: the contract goes back to draft (or the amendment
    is withdrawn)."""
    outcome = approvals.withdraw(
        session, actor=actor, ref=ref, today=today, policy=policy, reason=reason
    )
    apply_outcome(session, outcome=outcome, actor=actor, today=today)
    return approvals.show_request(session, ref=outcome.request_id, today=today)
