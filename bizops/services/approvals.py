"""Approval requests through the authority matrix (PRODUCT section 8; seed K3, C5, S3).

Submitting a contract (or an amendment) opens a request: the rule, its explanation and the
chain of roles are snapshotted, so a later policy change never touches an open request. Steps
run in order; the last approval closes the request as approved, a rejection at any step closes
it as rejected, the submitter may withdraw it. On closing, the contracts service is told
(``bizops.services.contracts.on_approval_closed``) so that it moves the contract on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select
from sqlmodel import Session, col

from bizops.domain import approval as rules
from bizops.domain.dates import add_working_days
from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.domain.money import parse_money
from bizops.domain.validate import check_text
from bizops.domain.vocab import CONTRACT_TYPES, RISKS, one_of
from bizops.services.lookup import as_id, find_contract
from bizops.store import audit
from bizops.store.models import Amendment, ApprovalRequest, ApprovalStep, Contract, User

if TYPE_CHECKING:
    from bizops.domain.policy import Policy

OUTCOME_APPROVED = "approved"
OUTCOME_REJECTED = "rejected"
OUTCOME_WITHDRAWN = "withdrawn"


# ---------------------------------------------------------------------------------------------
# Routing


def route(
    policy: Policy,
    *,
    type: str,
    amount: str | Decimal,
    risk: str,
    non_standard: bool = False,
) -> rules.Route:
    """`approval route`: the same explanation `contract submit` uses, from typed input."""
    money = parse_money(amount, field="--amount")
    if money <= 0:
        # As `contract new`: no contract has such an amount, so no route applies to it.
        raise Invalid(f"--amount: {amount} is not a contract amount; it must be greater than zero")
    return rules.explain_route(
        policy,
        type=one_of(type, CONTRACT_TYPES, "--type"),
        amount=money,
        risk=one_of(risk, RISKS, "--risk"),
        non_standard=non_standard,
    )


def matrix(policy: Policy) -> list[dict[str, Any]]:
    """`approval matrix`: the rules in order with their conditions and chains."""
    return rules.matrix_rows(policy)


def _amended(value: Any) -> Any:
    return value.get("to") if isinstance(value, dict) else value


def contract_terms(contract: Contract, amendment: Amendment | None = None) -> rules.Terms:
    """The terms to route on: the contract's, or the amended ones for an amendment."""
    terms: dict[str, Any] = {
        "type": contract.type,
        "amount": contract.amount,
        "risk": contract.risk,
        "non_standard": bool(contract.non_standard),
    }
    if amendment is not None:
        changes = amendment.changes or {}
        if "amount" in changes:
            terms["amount"] = parse_money(str(_amended(changes["amount"])), field="amount")
        for key in ("type", "risk"):
            if key in changes:
                terms[key] = str(_amended(changes[key]))
        if "non_standard" in changes:
            value = _amended(changes["non_standard"])
            terms["non_standard"] = value is True or str(value).lower() in ("true", "1", "yes")
    return rules.Terms(
        type=str(terms["type"]),
        amount=Decimal(terms["amount"]),
        risk=str(terms["risk"]),
        non_standard=bool(terms["non_standard"]),
    )


# ---------------------------------------------------------------------------------------------
# Snapshots and views


def _step_due(policy: Policy, today: date) -> date:
    return add_working_days(today, policy.approval_sla_days, policy.weekend_days)


def _steps(session: Session, request_id: int) -> list[ApprovalStep]:
    return list(
        session.execute(
            select(ApprovalStep)
            .where(col(ApprovalStep.request_id) == request_id)
            .order_by(col(ApprovalStep.seq))
        ).scalars()
    )


def _snapshot(request: ApprovalRequest, steps: list[ApprovalStep]) -> dict[str, Any]:
    return {
        "status": request.status,
        "current_step": request.current_step,
        "steps": [
            {"step": s.seq, "role": s.role, "status": s.status, "decided_by": s.decided_by}
            for s in steps
        ],
    }


def _login_of(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return session.execute(
        select(col(User.login)).where(col(User.id) == user_id)
    ).scalar_one_or_none()


def _overdue_days(due: date | None, today: date) -> int:
    return (today - due).days if due is not None and due < today else 0


def request_view(
    session: Session, request: ApprovalRequest, *, today: date | None = None
) -> dict[str, Any]:
    """`approval show`: the request, its rule and reason, and each step's state."""
    assert request.id is not None
    contract = session.get(Contract, request.contract_id)
    assert contract is not None
    amendment = session.get(Amendment, request.amendment_id) if request.amendment_id else None
    steps = _steps(session, request.id)
    current = next((s for s in steps if s.seq == request.current_step), None)
    return {
        "id": request.id,
        "contract": contract.number,
        "title": contract.title,
        "amendment": amendment.number if amendment else None,
        "status": request.status,
        "rule": request.rule_name,
        "reason": request.rule_reason,
        "chain": list(request.chain),
        "amount": request.amount,
        "currency": contract.currency,
        "current_step": request.current_step if request.status == rules.PENDING else None,
        "current_role": current.role if current and request.status == rules.PENDING else None,
        "submitted_by": request.submitted_by,
        "submitted_on": request.submitted_on,
        "closed_on": request.closed_on,
        "steps": [
            {
                "step": s.seq,
                "role": s.role,
                "status": s.status,
                "waiting_since": s.pending_since,
                "due": s.due,
                "overdue": bool(
                    today and s.status == rules.PENDING and s.due is not None and s.due < today
                ),
                "decided_by": s.decided_by,
                "decided_on": s.decided_on,
                "comment": s.comment,
            }
            for s in steps
        ],
    }


# ---------------------------------------------------------------------------------------------
# Opening a request


def open_request(
    session: Session,
    *,
    actor: User,
    contract: Contract,
    policy: Policy,
    today: date,
    amendment: Amendment | None = None,
) -> ApprovalRequest:
    """Route the contract (or the amendment's terms) and open a request with its steps.

    Refused (``Invalid``) when no rule matches, naming the contract's terms; a contract with a
    pending request already is a ``Conflict``. The caller (``contract submit`` / ``amend``)
    owns the contract's status.
    """
    assert contract.id is not None
    subject = f"contract {contract.number}"
    if amendment is not None:
        subject = f"amendment {amendment.number} of contract {contract.number}"
    open_id = session.execute(
        select(col(ApprovalRequest.id)).where(
            col(ApprovalRequest.contract_id) == contract.id,
            col(ApprovalRequest.status) == rules.PENDING,
        )
    ).scalar_one_or_none()
    if open_id is not None:
        raise Conflict(
            f"contract {contract.number} already has pending approval request {open_id}; "
            f"it must be decided or withdrawn first (bizops approval withdraw {open_id})"
        )
    terms = contract_terms(contract, amendment)
    found = rules.route_terms(policy.approval_rules, terms)
    if found is None:
        raise Invalid(
            f"{subject} cannot be submitted: "
            + rules.unrouted_message(policy.approval_rules, terms, subject="it")
        )
    request = ApprovalRequest(
        contract_id=contract.id,
        amendment_id=amendment.id if amendment is not None else None,
        rule_name=found.rule.name,
        rule_reason=found.reason,
        chain=list(found.chain),
        amount=terms.amount,
        status=rules.PENDING,
        current_step=1,
        submitted_by=actor.login,
        submitted_on=today,
        submitted_at=datetime.now(UTC),
    )
    session.add(request)
    session.flush()
    assert request.id is not None
    steps = []
    for seq, role in enumerate(found.chain, start=1):
        first = seq == 1
        step = ApprovalStep(
            request_id=request.id,
            seq=seq,
            role=role,
            status=rules.PENDING if first else rules.WAITING,
            pending_since=today if first else None,
            due=_step_due(policy, today) if first else None,
        )
        session.add(step)
        steps.append(step)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="approval.open",
        entity_type="approval",
        entity_id=request.id,
        after={
            "contract": contract.number,
            "amendment": amendment.number if amendment is not None else None,
            "rule": found.rule.name,
            "reason": found.reason,
            "chain": list(found.chain),
            "amount": terms.amount,
            **_snapshot(request, steps),
        },
    )
    return request


# ---------------------------------------------------------------------------------------------
# Finding requests


def find_request(session: Session, ref: str | int) -> ApprovalRequest:
    """By request id, or by contract number (its pending request, else its latest)."""
    text = str(ref).strip()
    if not text:
        raise Invalid("request: empty reference; give a request id (see `bizops approval list`)")
    if text.isascii() and text.isdigit():
        row_id = as_id(text)
        found = session.get(ApprovalRequest, row_id) if row_id is not None else None
        if found is None:
            raise NotFound(f"request: no approval request {text}; see `bizops approval list`")
        return found
    try:
        contract = find_contract(session, text, field="request")
    except NotFound:
        raise NotFound(
            f"request: no approval request or contract {text!r}; give a request id "
            "(see `bizops approval list`)"
        ) from None
    found = session.execute(
        select(ApprovalRequest)
        .where(col(ApprovalRequest.contract_id) == contract.id)
        .order_by(
            (col(ApprovalRequest.status) == rules.PENDING).desc(),
            col(ApprovalRequest.id).desc(),
        )
        .limit(1)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"request: contract {contract.number} has no approval request")
    return found


def show_request(session: Session, *, ref: str | int, today: date) -> dict[str, Any]:
    return request_view(session, find_request(session, ref), today=today)


# ---------------------------------------------------------------------------------------------
# Deciding


@dataclass
class _Open:
    request: ApprovalRequest
    contract: Contract
    steps: list[ApprovalStep]
    current: ApprovalStep


def _load_pending(session: Session, ref: str | int, *, doing: str) -> _Open:
    request = find_request(session, ref)
    assert request.id is not None
    if request.status != rules.PENDING:
        raise Conflict(
            f"request {request.id} is {request.status}, not pending; only a pending request "
            f"can be {doing}"
        )
    contract = session.get(Contract, request.contract_id)
    assert contract is not None
    steps = _steps(session, request.id)
    current = next(s for s in steps if s.seq == request.current_step)
    return _Open(request=request, contract=contract, steps=steps, current=current)


def _check_step(loaded: _Open, step: int | None, *, verb: str) -> None:
    if step is None or step == loaded.current.seq:
        return
    request = loaded.request
    known = {s.seq: s for s in loaded.steps}
    if step not in known:
        raise Invalid(
            f"--step: request {request.id} has steps 1 to {len(loaded.steps)}; "
            f"the current one is {loaded.current.seq} ({loaded.current.role})"
        )
    raise Conflict(
        f"--step: step {step} ({known[step].role}) of request {request.id} is "
        f"{known[step].status}, not current; the current step is {loaded.current.seq} "
        f"({loaded.current.role}); steps run in order, so you can {verb} only that one"
    )


def _refusal(session: Session, actor: User, loaded: _Open, *, verb: str) -> str | None:
    request = loaded.request
    assert request.id is not None
    return rules.decision_refusal(
        rules.Decider(login=actor.login, roles=tuple(actor.role_list), limit=actor.approval_limit),
        request_id=request.id,
        chain=[s.role for s in loaded.steps],
        current_step=loaded.current.seq,
        amount=request.amount,
        submitted_by=request.submitted_by,
        owner=_login_of(session, loaded.contract.owner_id),
        contract=loaded.contract.number,
        decided={
            s.seq: s.decided_by for s in loaded.steps if s.status == rules.APPROVED and s.decided_by
        },
        verb=verb,
    )


def _notify_contracts(
    session: Session,
    *,
    request: ApprovalRequest,
    outcome: str,
    actor: User,
    today: date,
    policy: Policy,
) -> None:
    # Imported here: the contracts service imports this module to open requests.
    from bizops.services.contracts import on_approval_closed

    on_approval_closed(
        session, request=request, outcome=outcome, actor=actor, today=today, policy=policy
    )


def approve(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    today: date,
    policy: Policy,
    comment: str | None = None,
    step: int | None = None,
) -> dict[str, Any]:
    """Approve the current step; the last approval closes the request as approved."""
    comment = check_text(comment, "--comment")
    loaded = _load_pending(session, ref, doing="approved")
    _check_step(loaded, step, verb="approve")
    refusal = _refusal(session, actor, loaded, verb="approve")
    if refusal:
        raise NotPermitted(refusal)
    request, current = loaded.request, loaded.current
    before = _snapshot(request, loaded.steps)
    current.status = rules.APPROVED
    current.decided_by = actor.login
    current.decided_on = today
    current.comment = comment
    session.add(current)
    following = next((s for s in loaded.steps if s.seq == current.seq + 1), None)
    if following is not None:
        following.status = rules.PENDING
        following.pending_since = today
        following.due = _step_due(policy, today)
        session.add(following)
        request.current_step = following.seq
    else:
        request.status = rules.APPROVED
        request.closed_on = today
    session.add(request)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="approval.approve",
        entity_type="approval",
        entity_id=str(request.id),
        before=before,
        after={
            **_snapshot(request, loaded.steps),
            "contract": loaded.contract.number,
            "step": current.seq,
            "role": current.role,
            "comment": comment,
        },
    )
    if request.status == rules.APPROVED:
        _notify_contracts(
            session,
            request=request,
            outcome=OUTCOME_APPROVED,
            actor=actor,
            today=today,
            policy=policy,
        )
    return request_view(session, request, today=today)


def reject(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    reason: str | None,
    today: date,
    policy: Policy,
    step: int | None = None,
) -> dict[str, Any]:
    """Reject at the current step: the request closes as rejected, later steps are cancelled."""
    text = check_text(reason, "--reason")
    if not text:
        raise Invalid(
            '--reason: a rejection needs a reason, e.g. --reason "payment terms too long"'
        )
    loaded = _load_pending(session, ref, doing="rejected")
    _check_step(loaded, step, verb="reject")
    refusal = _refusal(session, actor, loaded, verb="reject")
    if refusal:
        raise NotPermitted(refusal)
    request, current = loaded.request, loaded.current
    before = _snapshot(request, loaded.steps)
    current.status = rules.REJECTED
    current.decided_by = actor.login
    current.decided_on = today
    current.comment = text
    for later in loaded.steps:
        if later.seq > current.seq:
            later.status = rules.CANCELLED
            session.add(later)
    session.add(current)
    request.status = rules.REJECTED
    request.closed_on = today
    session.add(request)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="approval.reject",
        entity_type="approval",
        entity_id=str(request.id),
        before=before,
        after={
            **_snapshot(request, loaded.steps),
            "contract": loaded.contract.number,
            "step": current.seq,
            "role": current.role,
            "reason": text,
        },
    )
    _notify_contracts(
        session, request=request, outcome=OUTCOME_REJECTED, actor=actor, today=today, policy=policy
    )
    return request_view(session, request, today=today)


def withdraw(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    today: date,
    policy: Policy,
    reason: str | None = None,
) -> dict[str, Any]:
    """The submitter takes the request back: open steps are cancelled."""
    text = check_text(reason, "--reason")
    loaded = _load_pending(session, ref, doing="withdrawn")
    request = loaded.request
    if actor.login != request.submitted_by:
        raise NotPermitted(
            f"only the submitter ({request.submitted_by}) may withdraw request {request.id}; "
            f"{actor.login} did not submit it"
        )
    before = _snapshot(request, loaded.steps)
    for s in loaded.steps:
        if s.status in (rules.PENDING, rules.WAITING):
            if s.status == rules.PENDING:
                s.comment = f"withdrawn: {text}" if text else "withdrawn"
                s.decided_by = actor.login
                s.decided_on = today
            s.status = rules.CANCELLED
            session.add(s)
    request.status = rules.WITHDRAWN
    request.closed_on = today
    session.add(request)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="approval.withdraw",
        entity_type="approval",
        entity_id=str(request.id),
        before=before,
        after={
            **_snapshot(request, loaded.steps),
            "contract": loaded.contract.number,
            "reason": text,
        },
    )
    _notify_contracts(
        session, request=request, outcome=OUTCOME_WITHDRAWN, actor=actor, today=today, policy=policy
    )
    return request_view(session, request, today=today)


# ---------------------------------------------------------------------------------------------
# Inboxes and listings


def _pending_steps_query() -> Any:
    return (
        select(
            col(ApprovalRequest.id),
            col(Contract.number),
            col(Contract.title),
            col(Contract.currency),
            col(ApprovalStep.seq),
            col(ApprovalStep.role),
            col(ApprovalRequest.amount),
            col(ApprovalRequest.submitted_by),
            col(ApprovalRequest.chain),
            col(ApprovalStep.pending_since),
            col(ApprovalStep.due),
            col(User.login).label("owner"),
        )
        .select_from(ApprovalStep)
        .join(ApprovalRequest, col(ApprovalRequest.id) == col(ApprovalStep.request_id))
        .join(Contract, col(Contract.id) == col(ApprovalRequest.contract_id))
        .join(User, col(User.id) == col(Contract.owner_id))
        .where(
            col(ApprovalStep.status) == rules.PENDING,
            col(ApprovalRequest.status) == rules.PENDING,
        )
        .order_by(col(ApprovalStep.due), col(ApprovalRequest.id))
    )


def overdue_steps(session: Session, *, today: date, policy: Policy) -> list[dict[str, Any]]:
    """Pending steps past their SLA, most overdue first, with who holds the role.

    Keys: id (the request), request (the same), contract, title, step, role, amount,
    submitted_by, waiting_since, due, days_overdue, holders (active users with the role).
    """
    rows = session.execute(_pending_steps_query().where(col(ApprovalStep.due) < today)).all()
    holders = _holders(session)
    out = []
    for r in rows:
        out.append(
            {
                "id": r.id,
                "request": r.id,
                "contract": r.number,
                "title": r.title,
                "step": r.seq,
                "role": r.role,
                "amount": r.amount,
                "submitted_by": r.submitted_by,
                "waiting_since": r.pending_since,
                "due": r.due,
                "days_overdue": _overdue_days(r.due, today),
                "holders": holders.get(r.role, []),
            }
        )
    out.sort(key=lambda row: (-row["days_overdue"], row["id"]))
    return out


def _holders(session: Session) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for login, roles in session.execute(
        select(col(User.login), col(User.roles))
        .where(col(User.active).is_(True))
        .order_by(col(User.login))
    ):
        for role in str(roles).split(","):
            if role:
                out.setdefault(role, []).append(login)
    return out


def _approved_by(session: Session, login: str, request_ids: list[int]) -> dict[int, dict[int, str]]:
    """For each request, the steps this user approved."""
    out: dict[int, dict[int, str]] = {}
    if not request_ids:
        return out
    for request_id, seq in session.execute(
        select(col(ApprovalStep.request_id), col(ApprovalStep.seq)).where(
            col(ApprovalStep.decided_by) == login,
            col(ApprovalStep.status) == rules.APPROVED,
            col(ApprovalStep.request_id).in_(request_ids),
        )
    ):
        out.setdefault(request_id, {})[seq] = login
    return out


def pending_for(
    session: Session, *, user: User, today: date, policy: Policy
) -> list[dict[str, Any]]:
    """`approval pending`: the user's inbox.

    Current steps of the user's roles that they may decide, plus overdue steps of their roles
    that someone else must decide (shown so that the role's holders chase them; ``can_decide``
    false with the reason in ``note``). Overdue first, then the longest waiting.
    Keys: id, contract, title, step, role, amount, submitted_by, waiting_since, due, overdue,
    days_overdue, can_decide, note.
    """
    roles = user.role_list
    if not roles:
        return []
    rows = session.execute(_pending_steps_query().where(col(ApprovalStep.role).in_(roles))).all()
    decided = _approved_by(session, user.login, [r.id for r in rows])
    decider = rules.Decider(login=user.login, roles=tuple(roles), limit=user.approval_limit)
    out = []
    for r in rows:
        refusal = rules.decision_refusal(
            decider,
            request_id=r.id,
            chain=list(r.chain),
            current_step=r.seq,
            amount=r.amount,
            submitted_by=r.submitted_by,
            owner=r.owner,
            contract=r.number,
            decided=decided.get(r.id, {}),
        )
        overdue = r.due is not None and r.due < today
        if refusal and not overdue:
            continue
        out.append(
            {
                "id": r.id,
                "contract": r.number,
                "title": r.title,
                "step": r.seq,
                "role": r.role,
                "amount": r.amount,
                "currency": r.currency,
                "submitted_by": r.submitted_by,
                "waiting_since": r.pending_since,
                "due": r.due,
                "overdue": overdue,
                "days_overdue": _overdue_days(r.due, today),
                "can_decide": refusal is None,
                "note": refusal,
            }
        )
    out.sort(key=lambda row: (-row["days_overdue"], row["waiting_since"] or today, row["id"]))
    return out


def list_requests(
    session: Session,
    *,
    actor: User | None = None,
    status: str | None = None,
    contract: str | None = None,
    mine: bool = False,
) -> list[dict[str, Any]]:
    """`approval list`: requests, newest first. ``mine``: submitted or decided by ``actor``.

    Keys: id, contract, amendment, status, rule, chain, amount, current_step, current_role,
    submitted_by, submitted_on, closed_on.
    """
    query: Any = (
        select(
            col(ApprovalRequest.id),
            col(Contract.number),
            col(Amendment.number).label("amendment"),
            col(ApprovalRequest.status),
            col(ApprovalRequest.rule_name),
            col(ApprovalRequest.chain),
            col(ApprovalRequest.amount),
            col(ApprovalRequest.current_step),
            col(ApprovalStep.role).label("current_role"),
            col(ApprovalRequest.submitted_by),
            col(ApprovalRequest.submitted_on),
            col(ApprovalRequest.closed_on),
        )
        .select_from(ApprovalRequest)
        .join(Contract, col(Contract.id) == col(ApprovalRequest.contract_id))
        .outerjoin(Amendment, col(Amendment.id) == col(ApprovalRequest.amendment_id))
        .outerjoin(
            ApprovalStep,
            and_(
                col(ApprovalStep.request_id) == col(ApprovalRequest.id),
                col(ApprovalStep.seq) == col(ApprovalRequest.current_step),
            ),
        )
        .order_by(col(ApprovalRequest.id).desc())
    )
    if status:
        query = query.where(
            col(ApprovalRequest.status) == one_of(status, rules.REQUEST_STATUSES, "--status")
        )
    if contract:
        found = find_contract(session, contract, field="--contract")
        query = query.where(col(ApprovalRequest.contract_id) == found.id)
    if mine:
        if actor is None:
            raise NotPermitted("--mine: who is acting? pass --as USER or set BIZOPS_USER")
        decided = (
            select(col(ApprovalStep.request_id))
            .where(col(ApprovalStep.decided_by) == actor.login)
            .correlate(None)
        )
        query = query.where(
            or_(
                col(ApprovalRequest.submitted_by) == actor.login,
                col(ApprovalRequest.id).in_(decided),
            )
        )
    out = []
    for r in session.execute(query):
        is_pending = r.status == rules.PENDING
        out.append(
            {
                "id": r.id,
                "contract": r.number,
                "amendment": r.amendment,
                "status": r.status,
                "rule": r.rule_name,
                "chain": list(r.chain),
                "amount": r.amount,
                "current_step": r.current_step if is_pending else None,
                "current_role": r.current_role if is_pending else None,
                "submitted_by": r.submitted_by,
                "submitted_on": r.submitted_on,
                "closed_on": r.closed_on,
            }
        )
    return out
