"""What waits for a decision: the current step of every pending request, and a user's inbox.

``pending_steps`` is the one query (with the tie-breaks: most overdue first, then the longest
waiting, then the request id); ``pending_rows`` picks a user's inbox out of it. The command
(`approval pending`) and the daily report both read them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import approval as rules
from bizops.domain.approval_steps import limit_applies
from bizops.i18n import _
from bizops.services.views.approvals import PendingRow
from bizops.store.models import (
    Absence,
    ApprovalRequest,
    ApprovalStep,
    Contract,
    Customer,
    Quote,
    User,
)
from bizops.store.scope import scope_of


@dataclass(frozen=True)
class PendingStep:
    """The current step of a pending request, with its contract and who approved so far."""

    request_id: int
    step_id: int
    step: int
    steps: int
    chain: tuple[str, ...]
    role: str
    amount: Decimal
    submitted_by: str
    submitted_on: date
    waiting_since: date | None
    due: date | None
    amendment_id: int | None
    contract_id: int | None  # None for a quote's request
    contract: str  # the contract's number, or the quote's
    title: str
    currency: str
    customer: str
    owner_id: int
    owner: str
    approved: Mapping[int, str] | Sequence[tuple[int, str]] = field(default_factory=dict)
    mode: str | None = None  # all / any: the step is a group; this row is one of its roles
    assignee: str | None = None  # handed to this person (their delegate while they are away)
    limit_applies: bool = True
    subject: str = "contract"  # or "quote"
    amount_in_base: Decimal | None = None  # what the limits compare (None: ``amount``)

    def days_overdue(self, today: date) -> int:
        return (today - self.due).days if self.due is not None and self.due < today else 0

    def is_overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today

    def refusal(self, decider: rules.Decider) -> str | None:
        """Why ``decider`` may not decide this step, or None: the matrix's own rules."""
        return rules.decision_refusal(
            decider,
            request_id=self.request_id,
            chain=list(self.chain),
            current_step=self.step,
            amount=self.amount if self.amount_in_base is None else self.amount_in_base,
            submitted_by=self.submitted_by,
            owner=self.owner,
            contract=self.contract,
            decided=self.approved,
            roles=(self.role,),
            assignee=self.assignee,
            limit_applies=self.limit_applies,
        )

    def waits_for(self, decider: rules.Decider) -> bool:
        """Whether this row is in ``decider``'s inbox: handed to them, or of their role."""
        if self.assignee is not None:
            return self.assignee == decider.login
        return self.role in decider.roles

    def urgency(self, today: date) -> tuple[int, date, int]:
        """Most overdue first, then the longest waiting, then the request."""
        return (-self.days_overdue(today), self.waiting_since or today, self.request_id)


def _step_columns() -> tuple[Any, ...]:
    return (
        col(ApprovalStep.id).label("step_id"),
        col(ApprovalStep.seq),
        col(ApprovalStep.role),
        col(ApprovalStep.pending_since),
        col(ApprovalStep.due),
        col(ApprovalStep.mode),
        col(ApprovalStep.assignee),
        col(ApprovalRequest.id).label("request_id"),
        col(ApprovalRequest.limits),
        col(ApprovalRequest.chain),
        col(ApprovalRequest.amount),
        col(ApprovalRequest.amount_in_base),
        col(ApprovalRequest.submitted_by),
        col(ApprovalRequest.submitted_on),
        col(ApprovalRequest.amendment_id),
    )


def _waiting(query: Any) -> Any:
    return query.where(
        col(ApprovalStep.status) == rules.PENDING,
        col(ApprovalRequest.status) == rules.PENDING,
        col(ApprovalStep.seq) == col(ApprovalRequest.current_step),
    )


def _pending_query() -> Any:
    return _waiting(
        select(
            *_step_columns(),
            col(Contract.id).label("contract_id"),
            col(Contract.number),
            col(Contract.title),
            col(Contract.currency),
            col(Contract.owner_id),
            col(Customer.name).label("customer"),
            col(User.login).label("owner"),
        )
        .select_from(ApprovalStep)
        .join(ApprovalRequest, col(ApprovalRequest.id) == col(ApprovalStep.request_id))
        .join(Contract, col(Contract.id) == col(ApprovalRequest.contract_id))
        .join(Customer, col(Customer.id) == col(Contract.customer_id))
        .join(User, col(User.id) == col(Contract.owner_id))
    )


def _pending_quotes_query() -> Any:
    """The same for quotes' requests: the quote's number stands where a contract's would."""
    return _waiting(
        select(
            *_step_columns(),
            col(Quote.number),
            col(Quote.currency),
            col(Quote.owner_id),
            col(Customer.name).label("customer"),
            col(User.login).label("owner"),
        )
        .select_from(ApprovalStep)
        .join(ApprovalRequest, col(ApprovalRequest.id) == col(ApprovalStep.request_id))
        .join(Quote, col(Quote.id) == col(ApprovalRequest.quote_id))
        .join(Customer, col(Customer.id) == col(Quote.customer_id))
        .join(User, col(User.id) == col(Quote.owner_id))
    )


def _approved_so_far(session: Session) -> dict[int, list[tuple[int, str]]]:
    """For each pending request, who approved which step (one person, one step)."""
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for request_id, seq, login in session.execute(
        select(col(ApprovalStep.request_id), col(ApprovalStep.seq), col(ApprovalStep.decided_by))
        .join(ApprovalRequest, col(ApprovalRequest.id) == col(ApprovalStep.request_id))
        .where(
            col(ApprovalRequest.status) == rules.PENDING,
            col(ApprovalStep.status) == rules.APPROVED,
            col(ApprovalStep.decided_by).is_not(None),
        )
    ):
        out[request_id].append((seq, login))
    return out


def _stand_ins(session: Session, today: date) -> dict[str, str]:
    """Who is away today, and their delegate."""
    return {
        a.login: a.delegate
        for a in session.execute(
            select(Absence)
            .where(col(Absence.starts) <= today, col(Absence.ends) >= today)
            .order_by(col(Absence.id))
        ).scalars()
    }


def pending_steps(session: Session, *, today: date) -> list[PendingStep]:
    """The current step of every pending request, most urgent first (see ``urgency``)."""
    scope = scope_of(session)
    rows = session.execute(scope.only_contracts(_pending_query())).all()
    quote_rows = session.execute(
        _pending_quotes_query().where(
            scope.contract_clause(col(Quote.customer_id), col(Quote.owner_id))
        )
    ).all()
    approved = _approved_so_far(session) if rows or quote_rows else {}
    away = _stand_ins(session, today) if rows or quote_rows else {}
    steps = [_step(r, approved, away, subject="contract") for r in rows]
    steps += [_step(r, approved, away, subject="quote") for r in quote_rows]
    steps.sort(key=lambda s: s.urgency(today))
    return steps


def _step(
    r: Any,
    approved: Mapping[int, list[tuple[int, str]]],
    away: Mapping[str, str],
    *,
    subject: str,
) -> PendingStep:
    quote = subject == "quote"
    return PendingStep(
        request_id=r.request_id,
        step_id=r.step_id,
        step=r.seq,
        steps=len(r.chain or []),
        chain=tuple(r.chain or ()),
        role=r.role,
        amount=r.amount,
        submitted_by=r.submitted_by,
        submitted_on=r.submitted_on,
        waiting_since=r.pending_since,
        due=r.due,
        amendment_id=r.amendment_id,
        contract_id=None if quote else r.contract_id,
        contract=r.number,
        title=_("Quotation for {customer}").format(customer=r.customer) if quote else r.title,
        currency=r.currency,
        customer=r.customer,
        owner_id=r.owner_id,
        owner=r.owner,
        approved=approved.get(r.request_id, []),
        mode=r.mode,
        assignee=away.get(r.assignee, r.assignee) if r.assignee else None,
        limit_applies=limit_applies(r.limits, step=r.seq, last_step=len(r.chain or []) or r.seq),
        subject=subject,
        amount_in_base=r.amount_in_base,
    )


def decider_of(user: User) -> rules.Decider:
    return rules.Decider(login=user.login, roles=tuple(user.role_list), limit=user.approval_limit)


def pending_rows(
    session: Session,
    *,
    user: User | rules.Decider,
    today: date,
    steps: Sequence[PendingStep] | None = None,
) -> list[PendingRow]:
    """`approval pending`: a user's inbox, most urgent first.

    The current steps of the user's roles that they may decide, plus overdue steps of their
    roles that someone else must decide (shown so that the role's holders chase them:
    ``can_decide`` false, the reason in ``note``). Pass ``steps`` (from ``pending_steps``)
    to build several inboxes from one query.
    """
    decider = user if isinstance(user, rules.Decider) else decider_of(user)
    if not decider.roles:
        return []
    if steps is None:
        steps = pending_steps(session, today=today)
    out: list[PendingRow] = []
    for s in steps:
        if not s.waits_for(decider):
            continue
        refusal = s.refusal(decider)
        overdue = s.is_overdue(today)
        if refusal and not overdue:
            continue
        out.append(
            {
                "id": s.request_id,
                "subject": s.subject,
                "contract": s.contract,
                "title": s.title,
                "step": s.step,
                "role": s.role,
                "amount": s.amount,
                "currency": s.currency,
                "submitted_by": s.submitted_by,
                "waiting_since": s.waiting_since,
                "due": s.due,
                "overdue": overdue,
                "days_overdue": s.days_overdue(today),
                "can_decide": refusal is None,
                "note": refusal,
            }
        )
    return out
