"""Deciding a request: approve, reject, withdraw. Steps run in order; the last approval closes
the request as approved, a rejection at any step closes it as rejected, and the submitter may
withdraw it.

A decision returns an ``Outcome``: which request, its status now, and what it is about. What
that does to the contract or the amendment is the contracts service's business (it applies
the outcome); approvals know nothing of contract states.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from bizops.domain import approval as rules
from bizops.domain.approval_steps import limit_applies, step_complete
from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.domain.policy import Policy
from bizops.domain.validate import check_text
from bizops.domain.vocab import label
from bizops.i18n import N_, _
from bizops.services.approvals.absences import stand_in
from bizops.services.approvals.requests import (
    current_label,
    find_request,
    limited_amount,
    snapshot,
    step_due,
    steps_of,
)
from bizops.store import audit
from bizops.store.models import ApprovalRequest, ApprovalStep, Contract, Quote, User

# What a decision may leave a request as: still pending, or closed one of three ways.
OUTCOME_STATUSES: tuple[str, ...] = (rules.PENDING, rules.APPROVED, rules.REJECTED, rules.WITHDRAWN)


@dataclass(frozen=True)
class Outcome:
    """A request after a decision: its status (``pending`` while later steps remain, else
    ``approved``, ``rejected`` or ``withdrawn``) and what it is about: the contract itself,
    or one of its amendments, or a quote."""

    request_id: int
    contract_id: int | None
    amendment_id: int | None
    status: str
    payment_id: int | None = None
    writeoff_id: int | None = None
    quote_id: int | None = None

    def __post_init__(self) -> None:
        if self.status not in OUTCOME_STATUSES:
            raise Invalid(
                _("outcome: unknown status {status!r}; accepted: {accepted}").format(
                    status=self.status, accepted=", ".join(OUTCOME_STATUSES)
                )
            )

    @property
    def closed(self) -> bool:
        return self.status != rules.PENDING

    @property
    def about(self) -> str:
        """``contract``, ``amendment``, ``payment``, ``writeoff`` or ``quote``."""
        if self.quote_id is not None:
            return "quote"
        if self.payment_id is not None:
            return "payment"
        if self.writeoff_id is not None:
            return "writeoff"
        return "contract" if self.amendment_id is None else "amendment"

    @classmethod
    def of(cls, request: ApprovalRequest) -> Outcome:
        assert request.id is not None
        return cls(
            request.id,
            request.contract_id,
            request.amendment_id,
            request.status,
            payment_id=request.payment_id,
            writeoff_id=request.writeoff_id,
            quote_id=request.quote_id,
        )


@dataclass
class OpenRequest:
    request: ApprovalRequest
    steps: list[ApprovalStep]
    current: list[ApprovalStep]  # the open rows of the current step (several for a group)
    number: str  # the contract's, or the quote's
    owner_id: int  # the owner of that contract or quote

    @property
    def subject(self) -> str:
        return "quote" if self.request.quote_id is not None else "contract"

    @property
    def seq(self) -> int:
        return self.request.current_step

    @property
    def label(self) -> str:
        return current_label(self.request) or (self.current[0].role if self.current else "")

    def rows_at(self, seq: int) -> list[ApprovalStep]:
        return [s for s in self.steps if s.seq == seq]

    def contract_owner(self, session: Session) -> str | None:
        """The login of the owner of what the request is about (a contract or a quote)."""
        owner = session.get(User, self.owner_id)
        return owner.login if owner is not None else None


# Why a closed request cannot be decided, by what was tried (``doing``).
_NOT_PENDING = {
    "approved": N_("request {id} is {status}, not pending; only a pending request can be approved"),
    "rejected": N_("request {id} is {status}, not pending; only a pending request can be rejected"),
    "withdrawn": N_(
        "request {id} is {status}, not pending; only a pending request can be withdrawn"
    ),
}


def load_pending(session: Session, ref: str | int, *, doing: str) -> OpenRequest:
    """A pending request with its contract (or quote), its steps and the open rows of its
    current step."""
    request = find_request(session, ref)
    assert request.id is not None
    if request.status != rules.PENDING:
        raise Conflict(
            _(_NOT_PENDING[doing]).format(
                id=request.id, status=label("approval_status", request.status)
            )
        )
    about: Contract | Quote | None = (
        session.get(Quote, request.quote_id)
        if request.quote_id is not None
        else session.get(Contract, request.contract_id)
    )
    assert about is not None
    steps = steps_of(session, request.id)
    current = [s for s in steps if s.seq == request.current_step and s.status == rules.PENDING]
    return OpenRequest(
        request=request,
        steps=steps,
        current=current,
        number=about.number,
        owner_id=about.owner_id,
    )


_ONLY_CURRENT_APPROVE = N_(
    "--step: step {step} ({step_role}) of request {id} is {status}, not current; the current "
    "step is {current} ({role}); steps run in order, so you can approve only that one"
)
_ONLY_CURRENT_REJECT = N_(
    "--step: step {step} ({step_role}) of request {id} is {status}, not current; the current "
    "step is {current} ({role}); steps run in order, so you can reject only that one"
)


def _check_step(loaded: OpenRequest, step: int | None, *, verb: str) -> None:
    if step is None or step == loaded.seq:
        return
    request = loaded.request
    known = {s.seq: s for s in loaded.steps}
    if step not in known:
        raise Invalid(
            _(
                "--step: request {id} has steps 1 to {last}; the current one is {current} ({role})"
            ).format(id=request.id, last=max(known), current=loaded.seq, role=loaded.label)
        )
    message = _ONLY_CURRENT_APPROVE if verb == "approve" else _ONLY_CURRENT_REJECT
    raise Conflict(
        _(message).format(
            step=step,
            step_role=request.chain[step - 1] if step <= len(request.chain) else known[step].role,
            id=request.id,
            status=label("approval_status", known[step].status),
            current=loaded.seq,
            role=loaded.label,
        )
    )


def _decided_so_far(loaded: OpenRequest) -> list[tuple[int, str]]:
    return [
        (s.seq, s.decided_by) for s in loaded.steps if s.status == rules.APPROVED and s.decided_by
    ]


def candidates(
    loaded: OpenRequest, actor: User, today: date, session: Session
) -> list[ApprovalStep]:
    """The open rows ``actor`` might decide: handed to them (or to someone they stand in
    for), else of a role they hold."""
    mine = []
    for row in loaded.current:
        if row.assignee:
            if actor.login in (row.assignee, stand_in(session, row.assignee, today)):
                mine.append(row)
        elif actor.has_role(row.role):
            mine.append(row)
    return mine


def require_decider(
    session: Session, actor: User, loaded: OpenRequest, *, verb: str, today: date
) -> ApprovalStep:
    """The row of the current step that ``actor`` decides, under the rules of the matrix: the
    step's role, segregation of duties, one step per person, the approval limit."""
    request = loaded.request
    assert request.id is not None
    found = candidates(loaded, actor, today, session)
    row = found[0] if found else None
    if row is not None:
        assignee = actor.login if row.assignee else None
    else:
        # Nothing for the actor: name whom the step waits for, a person if it was handed over.
        handed = [r.assignee for r in loaded.current if r.assignee]
        whole = handed and len(handed) == len(loaded.current)
        assignee = stand_in(session, handed[0], today) if whole else None
    refusal = rules.decision_refusal(
        rules.Decider(login=actor.login, roles=tuple(actor.role_list), limit=actor.approval_limit),
        request_id=request.id,
        chain=list(request.chain),
        current_step=loaded.seq,
        amount=limited_amount(request),
        submitted_by=request.submitted_by,
        owner=loaded.contract_owner(session),
        contract=loaded.number,
        decided=_decided_so_far(loaded),
        verb=verb,
        roles=[row.role] if row is not None else [s.role for s in loaded.current],
        assignee=assignee,
        limit_applies=limit_applies(
            request.limits, step=loaded.seq, last_step=max(s.seq for s in loaded.steps)
        ),
    )
    if refusal:
        raise NotPermitted(refusal)
    assert row is not None
    return row


def audit_decision(
    session: Session,
    actor: User,
    action: str,
    loaded: OpenRequest,
    before: dict[str, Any],
    **extra: Any,
) -> None:
    """The decision's audit event: the request before and after, and what was decided."""
    audit.record(
        session,
        actor=actor.login,
        action=action,
        entity_type="approval",
        entity_id=str(loaded.request.id),
        before=before,
        after={
            **snapshot(loaded.request, loaded.steps),
            loaded.subject: loaded.number,
            **extra,
        },
    )


def _decide(step: ApprovalStep, status: str, actor: User, today: date, comment: str | None) -> None:
    step.status = status
    step.decided_by = actor.login
    step.decided_on = today
    step.comment = comment


def _advance(session: Session, loaded: OpenRequest, *, policy: Policy, today: date) -> None:
    """The current step is done: its other open rows (或签) are cancelled, the next step's rows
    become pending, or the request closes as approved."""
    request = loaded.request
    for other in loaded.rows_at(loaded.seq):
        if other.status == rules.PENDING:
            other.status = rules.CANCELLED
            session.add(other)
    following = loaded.rows_at(loaded.seq + 1)
    for row in following:
        row.status = rules.PENDING
        row.pending_since = today
        row.due = step_due(policy, today)
        session.add(row)
    if following:
        request.current_step = loaded.seq + 1
    else:
        request.status = rules.APPROVED
        request.closed_on = today


def approve(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    today: date,
    policy: Policy,
    comment: str | None = None,
    step: int | None = None,
) -> Outcome:
    """Approve the current step (the actor's role of it, for a group); the step is done when
    its role approved, every role of a 会签 group, or one of a 或签 group. The last step done
    closes the request as approved."""
    comment = check_text(comment, "--comment")
    loaded = load_pending(session, ref, doing="approved")
    _check_step(loaded, step, verb="approve")
    row = require_decider(session, actor, loaded, verb="approve", today=today)
    request = loaded.request
    seq = loaded.seq
    before = snapshot(request, loaded.steps)
    _decide(row, rules.APPROVED, actor, today, comment)
    session.add(row)
    if step_complete(row.mode, [s.status for s in loaded.rows_at(seq)]):
        _advance(session, loaded, policy=policy, today=today)
    session.add(request)
    session.flush()
    audit_decision(
        session,
        actor,
        "approval.approve",
        loaded,
        before,
        step=seq,
        role=row.role,
        comment=comment,
    )
    return Outcome.of(request)


def reject(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    reason: str | None,
    today: date,
    policy: Policy,
    step: int | None = None,
) -> Outcome:
    """Reject at the current step: the request closes as rejected, later steps are cancelled.
    A reviewer whose limit is below the amount may reject (a rejection approves nothing)."""
    text = check_text(reason, "--reason")
    if not text:
        raise Invalid(
            _('--reason: a rejection needs a reason, e.g. --reason "payment terms too long"')
        )
    loaded = load_pending(session, ref, doing="rejected")
    _check_step(loaded, step, verb="reject")
    row = require_decider(session, actor, loaded, verb="reject", today=today)
    request = loaded.request
    before = snapshot(request, loaded.steps)
    _decide(row, rules.REJECTED, actor, today, text)
    for other in loaded.steps:
        if other is not row and other.status in (rules.PENDING, rules.WAITING):
            other.status = rules.CANCELLED
            session.add(other)
    session.add(row)
    request.status = rules.REJECTED
    request.closed_on = today
    session.add(request)
    session.flush()
    audit_decision(
        session,
        actor,
        "approval.reject",
        loaded,
        before,
        step=loaded.seq,
        role=row.role,
        reason=text,
    )
    return Outcome.of(request)


def withdraw(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    today: date,
    policy: Policy,
    reason: str | None = None,
) -> Outcome:
    """The submitter takes the request back: open steps are cancelled."""
    text = check_text(reason, "--reason")
    loaded = load_pending(session, ref, doing="withdrawn")
    request = loaded.request
    if actor.login != request.submitted_by:
        raise NotPermitted(
            _(
                "only the submitter ({submitter}) may withdraw request {id}; "
                "{login} did not submit it"
            ).format(submitter=request.submitted_by, id=request.id, login=actor.login)
        )
    before = snapshot(request, loaded.steps)
    for s in loaded.steps:
        if s.status == rules.PENDING:
            _decide(s, rules.CANCELLED, actor, today, f"withdrawn: {text}" if text else "withdrawn")
            session.add(s)
        elif s.status == rules.WAITING:
            s.status = rules.CANCELLED
            session.add(s)
    request.status = rules.WITHDRAWN
    request.closed_on = today
    session.add(request)
    session.flush()
    audit_decision(session, actor, "approval.withdraw", loaded, before, reason=text)
    return Outcome.of(request)
