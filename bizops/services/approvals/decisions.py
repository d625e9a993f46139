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
from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.domain.policy import Policy
from bizops.domain.validate import check_text
from bizops.i18n import N_, _
from bizops.services.approvals.requests import find_request, snapshot, step_due, steps_of
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
        """``contract``, ``amendment`` or ``quote``."""
        if self.quote_id is not None:
            return "quote"
        return "contract" if self.amendment_id is None else "amendment"

    @classmethod
    def of(cls, request: ApprovalRequest) -> Outcome:
        assert request.id is not None
        return cls(
            request.id,
            request.contract_id,
            request.amendment_id,
            request.status,
            quote_id=request.quote_id,
        )


@dataclass
class _Open:
    request: ApprovalRequest
    steps: list[ApprovalStep]
    current: ApprovalStep
    number: str  # the contract's, or the quote's
    owner_id: int

    @property
    def subject(self) -> str:
        return "quote" if self.request.quote_id is not None else "contract"


# Why a closed request cannot be decided, by what was tried (``doing``).
_NOT_PENDING = {
    "approved": N_("request {id} is {status}, not pending; only a pending request can be approved"),
    "rejected": N_("request {id} is {status}, not pending; only a pending request can be rejected"),
    "withdrawn": N_(
        "request {id} is {status}, not pending; only a pending request can be withdrawn"
    ),
}


def _load_pending(session: Session, ref: str | int, *, doing: str) -> _Open:
    request = find_request(session, ref)
    assert request.id is not None
    if request.status != rules.PENDING:
        raise Conflict(_(_NOT_PENDING[doing]).format(id=request.id, status=request.status))
    about: Contract | Quote | None = (
        session.get(Quote, request.quote_id)
        if request.quote_id is not None
        else session.get(Contract, request.contract_id)
    )
    assert about is not None
    steps = steps_of(session, request.id)
    current = next(s for s in steps if s.seq == request.current_step)
    return _Open(
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


def _check_step(loaded: _Open, step: int | None, *, verb: str) -> None:
    if step is None or step == loaded.current.seq:
        return
    request = loaded.request
    known = {s.seq: s for s in loaded.steps}
    current = loaded.current
    if step not in known:
        raise Invalid(
            _(
                "--step: request {id} has steps 1 to {last}; the current one is {current} ({role})"
            ).format(id=request.id, last=len(loaded.steps), current=current.seq, role=current.role)
        )
    message = _ONLY_CURRENT_APPROVE if verb == "approve" else _ONLY_CURRENT_REJECT
    raise Conflict(
        _(message).format(
            step=step,
            step_role=known[step].role,
            id=request.id,
            status=known[step].status,
            current=current.seq,
            role=current.role,
        )
    )


def _require_decider(session: Session, actor: User, loaded: _Open, *, verb: str) -> None:
    """The rules of the matrix: the step's role, segregation of duties, one step per person,
    the approval limit."""
    request = loaded.request
    assert request.id is not None
    refusal = rules.decision_refusal(
        rules.Decider(login=actor.login, roles=tuple(actor.role_list), limit=actor.approval_limit),
        request_id=request.id,
        chain=[s.role for s in loaded.steps],
        current_step=loaded.current.seq,
        amount=request.amount,
        submitted_by=request.submitted_by,
        owner=owner.login if (owner := session.get(User, loaded.owner_id)) else None,
        contract=loaded.number,
        decided={
            s.seq: s.decided_by for s in loaded.steps if s.status == rules.APPROVED and s.decided_by
        },
        verb=verb,
    )
    if refusal:
        raise NotPermitted(refusal)


def _audit(
    session: Session,
    actor: User,
    action: str,
    loaded: _Open,
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
    """Approve the current step; the last approval closes the request as approved."""
    comment = check_text(comment, "--comment")
    loaded = _load_pending(session, ref, doing="approved")
    _check_step(loaded, step, verb="approve")
    _require_decider(session, actor, loaded, verb="approve")
    request, current = loaded.request, loaded.current
    before = snapshot(request, loaded.steps)
    _decide(current, rules.APPROVED, actor, today, comment)
    session.add(current)
    following = next((s for s in loaded.steps if s.seq == current.seq + 1), None)
    if following is not None:
        following.status = rules.PENDING
        following.pending_since = today
        following.due = step_due(policy, today)
        session.add(following)
        request.current_step = following.seq
    else:
        request.status = rules.APPROVED
        request.closed_on = today
    session.add(request)
    session.flush()
    _audit(
        session,
        actor,
        "approval.approve",
        loaded,
        before,
        step=current.seq,
        role=current.role,
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
    """Reject at the current step: the request closes as rejected, later steps are cancelled."""
    text = check_text(reason, "--reason")
    if not text:
        raise Invalid(
            _('--reason: a rejection needs a reason, e.g. --reason "payment terms too long"')
        )
    loaded = _load_pending(session, ref, doing="rejected")
    _check_step(loaded, step, verb="reject")
    _require_decider(session, actor, loaded, verb="reject")
    request, current = loaded.request, loaded.current
    before = snapshot(request, loaded.steps)
    _decide(current, rules.REJECTED, actor, today, text)
    for later in loaded.steps:
        if later.seq > current.seq:
            later.status = rules.CANCELLED
            session.add(later)
    session.add(current)
    request.status = rules.REJECTED
    request.closed_on = today
    session.add(request)
    session.flush()
    _audit(
        session,
        actor,
        "approval.reject",
        loaded,
        before,
        step=current.seq,
        role=current.role,
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
    loaded = _load_pending(session, ref, doing="withdrawn")
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
    _audit(session, actor, "approval.withdraw", loaded, before, reason=text)
    return Outcome.of(request)
