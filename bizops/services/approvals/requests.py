"""Approval requests: opening one with its steps, finding it, and how it reads.

Submitting a contract (or an amendment) opens a request: the rule, its explanation and the
chain of roles are snapshotted, so a later policy change never touches an open request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import approval as rules
from bizops.domain.approval import Route, Terms
from bizops.domain.approval_steps import ONE, parse_step
from bizops.domain.dates import add_working_days
from bizops.domain.errors import Conflict, Invalid, NotFound
from bizops.domain.policy import ApprovalRule, Policy
from bizops.i18n import _
from bizops.services.approvals.copies import add_copies, check_cc, copied_to, policy_cc
from bizops.services.approvals.coverage import uncovered_steps
from bizops.services.approvals.routing import contract_terms
from bizops.services.lookup import as_id, find_contract
from bizops.services.views.approvals import ContractRequestRow, RequestView, StepView
from bizops.store import audit
from bizops.store.models import (
    Amendment,
    ApprovalRequest,
    ApprovalStep,
    Contract,
    Customer,
    Payment,
    Quote,
    User,
    WriteOff,
)
from bizops.store.scope import scope_of


def step_due(policy: Policy, today: date) -> date:
    """When a step that becomes pending today must be decided (the SLA in working days)."""
    return add_working_days(today, policy.approval_sla_days, policy.calendar)


def steps_of(session: Session, request_id: int) -> list[ApprovalStep]:
    return list(
        session.execute(
            select(ApprovalStep)
            .where(col(ApprovalStep.request_id) == request_id)
            .order_by(col(ApprovalStep.seq))
        ).scalars()
    )


def _step_state(s: ApprovalStep) -> dict[str, Any]:
    out: dict[str, Any] = {
        "step": s.seq,
        "role": s.role,
        "status": s.status,
        "decided_by": s.decided_by,
    }
    # Only what a plain one-role step does not have, so that older events keep their shape.
    if s.mode:
        out["mode"] = s.mode
    if s.assignee:
        out["assignee"] = s.assignee
    return out


def snapshot(request: ApprovalRequest, steps: list[ApprovalStep]) -> dict[str, Any]:
    """The request's state as an audit event records it."""
    return {
        "status": request.status,
        "current_step": request.current_step,
        "steps": [_step_state(s) for s in steps],
    }


def current_label(request: ApprovalRequest) -> str | None:
    """The label of the request's current step (a role, or a group such as ``legal+finance``)."""
    chain = list(request.chain or [])
    if 1 <= request.current_step <= len(chain):
        return str(chain[request.current_step - 1])
    return None


def _step_view(step: ApprovalStep, today: date | None) -> StepView:
    return {
        "step": step.seq,
        "role": step.role,
        "mode": step.mode or ONE,
        "assignee": step.assignee,
        "status": step.status,
        "waiting_since": step.pending_since,
        "due": step.due,
        "overdue": bool(
            today and step.status == rules.PENDING and step.due is not None and step.due < today
        ),
        "decided_by": step.decided_by,
        "decided_on": step.decided_on,
        "comment": step.comment,
    }


def request_view(
    session: Session, request: ApprovalRequest, *, today: date | None = None
) -> RequestView:
    """`approval show`: the request, its rule and reason, and each step's state."""
    assert request.id is not None
    number, title, currency = subject_of(session, request)
    amendment = session.get(Amendment, request.amendment_id) if request.amendment_id else None
    steps = steps_of(session, request.id)
    pending = request.status == rules.PENDING
    return {
        "id": request.id,
        "subject": "quote" if request.quote_id is not None else "contract",
        "contract": number,
        "title": title,
        "amendment": amendment.number if amendment else None,
        "status": request.status,
        "rule": request.rule_name,
        "reason": request.rule_reason,
        "policy_version": request.policy_version,
        "chain": list(request.chain),
        "amount": request.amount,
        "currency": currency,
        "current_step": request.current_step if pending else None,
        "current_role": current_label(request) if pending else None,
        "submitted_by": request.submitted_by,
        "submitted_on": request.submitted_on,
        "closed_on": request.closed_on,
        "steps": [_step_view(s, today) for s in steps],
        "limits": request.limits,
        "draft_sha256": request.draft_sha256,
        "copied_to": copied_to(session, request.id),
    }


def subject_of(session: Session, request: ApprovalRequest) -> tuple[str, str, str]:
    """What a request is about: the contract's (or quote's) number, its title and currency.
    A quote has no title: its customer's name stands for it."""
    if request.quote_id is not None:
        quote = session.get(Quote, request.quote_id)
        assert quote is not None
        customer = session.get(Customer, quote.customer_id)
        title = _("Quotation for {customer}").format(customer=customer.name if customer else "")
        return quote.number, title, quote.currency
    contract = session.get(Contract, request.contract_id)
    assert contract is not None
    return contract.number, contract.title, contract.currency


def _quote_request(session: Session, text: str) -> ApprovalRequest | None:
    """A quote's pending request, else its latest; ``None`` when ``text`` is no quote."""
    quote_id = session.execute(
        select(col(Quote.id)).where(col(Quote.number) == text.upper())
    ).scalar_one_or_none()
    if quote_id is None:
        return None
    found = session.execute(
        select(ApprovalRequest)
        .where(col(ApprovalRequest.quote_id) == quote_id)
        .order_by(
            (col(ApprovalRequest.status) == rules.PENDING).desc(),
            col(ApprovalRequest.id).desc(),
        )
        .limit(1)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(
            _("request: quote {number} has no approval request").format(number=text.upper())
        )
    return found


def find_request(session: Session, ref: str | int) -> ApprovalRequest:
    """By request id, or by contract number (its pending request, else its latest)."""
    text = str(ref).strip()
    if not text:
        raise Invalid(_("request: empty reference; give a request id (see `bizops approval list`)"))
    if text.isascii() and text.isdigit():
        row_id = as_id(text)
        found = session.get(ApprovalRequest, row_id) if row_id is not None else None
        if found is None:
            raise NotFound(
                _("request: no approval request {ref}; see `bizops approval list`").format(ref=text)
            )
        return found
    if (by_quote := _quote_request(session, text)) is not None:
        return by_quote
    try:
        contract = find_contract(session, text, field="request")
    except NotFound:
        raise NotFound(
            _(
                "request: no approval request or contract {ref!r}; give a request id "
                "(see `bizops approval list`)"
            ).format(ref=text)
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
        raise NotFound(
            _("request: contract {number} has no approval request").format(number=contract.number)
        )
    return found


def show_request(session: Session, *, ref: str | int, today: date) -> RequestView:
    request = find_request(session, ref)
    if request.quote_id is not None:
        quote = session.get(Quote, request.quote_id)
        customer = session.get(Customer, quote.customer_id) if quote is not None else None
        assert customer is not None
        scope_of(session).require_customer(customer)
        return request_view(session, request, today=today)
    contract = session.get(Contract, request.contract_id)
    assert contract is not None
    scope_of(session).require_contract(session, contract)
    return request_view(session, request, today=today)


def requests_of(session: Session, *, contract_id: int) -> list[ContractRequestRow]:
    """Every approval request of a contract, oldest first (for `contract show`)."""
    return [
        {
            "id": r.id,
            "rule": r.rule_name,
            "status": r.status,
            "amendment": r.amendment_id,
            "chain": list(r.chain),
            "submitted_by": r.submitted_by,
            "submitted_on": r.submitted_on,
            "closed_on": r.closed_on,
        }
        for r in session.execute(
            select(ApprovalRequest)
            .where(col(ApprovalRequest.contract_id) == contract_id)
            .order_by(col(ApprovalRequest.id))
        ).scalars()
        if r.id is not None
    ]


# ---------------------------------------------------------------------------------------------
# Opening a request


def _refuse_a_second_request(session: Session, contract: Contract) -> None:
    open_id = session.execute(
        select(col(ApprovalRequest.id)).where(
            col(ApprovalRequest.contract_id) == contract.id,
            col(ApprovalRequest.status) == rules.PENDING,
            col(ApprovalRequest.payment_id).is_(None),
            col(ApprovalRequest.writeoff_id).is_(None),
        )
    ).scalar_one_or_none()
    if open_id is not None:
        raise Conflict(
            _(
                "contract {number} already has pending approval request {id}; "
                "it must be decided or withdrawn first (bizops approval withdraw {id})"
            ).format(number=contract.number, id=open_id)
        )


def _route(
    policy: Policy, terms: Terms, subject: str, matrix: tuple[ApprovalRule, ...] | None = None
) -> Route:
    chosen = policy.approval_rules if matrix is None else matrix
    found = rules.route_terms(chosen, terms)
    if found is None:
        raise Invalid(
            _("{subject} cannot be submitted: {why}").format(
                subject=subject,
                why=rules.unrouted_message(chosen, terms, subject=_("it")),
            )
        )
    return found


def _money_subject(
    policy: Policy, contract: Contract, payment: Payment | None, writeoff: WriteOff | None
) -> tuple[str, Terms, tuple[ApprovalRule, ...]]:
    """A payment or a write-off routes on the contract's terms with its own amount, through
    its own matrix (approval.payment_rules / approval.writeoff_rules)."""
    base = contract_terms(contract)
    if payment is not None:
        subject = _("payment request {id} of contract {number}").format(
            id=payment.id, number=contract.number
        )
        amount, matrix = payment.amount, policy.payment_rules
    else:
        assert writeoff is not None
        subject = _("write-off {id} of contract {number}").format(
            id=writeoff.id, number=contract.number
        )
        amount, matrix = writeoff.amount, policy.writeoff_rules
    terms = Terms(type=base.type, amount=amount, risk=base.risk, non_standard=base.non_standard)
    return subject, terms, matrix


def step_rows(
    request_id: int, seq: int, label: str, *, pending: bool, due: date | None, today: date
) -> list[ApprovalStep]:
    """The rows of one step: one per role, sharing ``seq`` (a group's rows carry its mode)."""
    step = parse_step(label)
    return [
        ApprovalStep(
            request_id=request_id,
            seq=seq,
            role=role,
            mode=step.mode if step.is_group else None,
            status=rules.PENDING if pending else rules.WAITING,
            pending_since=today if pending else None,
            due=due if pending else None,
        )
        for role in step.roles
    ]


def _add_steps(
    session: Session, request_id: int, chain: tuple[str, ...], *, policy: Policy, today: date
) -> list[ApprovalStep]:
    """The chain as steps: the first pending (its SLA running), the others waiting."""
    steps = []
    for seq, label in enumerate(chain, start=1):
        first = seq == 1
        rows = step_rows(
            request_id,
            seq,
            label,
            pending=first,
            due=step_due(policy, today) if first else None,
            today=today,
        )
        session.add_all(rows)
        steps.extend(rows)
    session.flush()
    return steps


def _refuse_uncovered(session: Session, found: Route, terms: Terms, subject: str) -> None:
    missing = uncovered_steps(
        session, chain=found.chain, amount=terms.amount, limits=found.rule.limits
    )
    if missing:
        raise Invalid(
            _(
                "{subject} cannot be submitted: no one could approve it; {why}; "
                "give a holder of the role a higher limit (`bizops user update`)"
            ).format(
                subject=subject,
                why=_("; ").join(m.message(terms.amount) for m in missing),
            )
        )


def _route_subject(
    session: Session,
    policy: Policy,
    contract: Contract,
    *,
    amendment: Amendment | None,
    payment: Payment | None,
    writeoff: WriteOff | None,
) -> tuple[Terms, Any, str]:
    """The terms a request routes on, the rule that matched, and the request's subject."""
    subject = _("contract {number}").format(number=contract.number)
    if amendment is not None:
        subject = _("amendment {amendment} of contract {number}").format(
            amendment=amendment.number, number=contract.number
        )
    if payment is not None or writeoff is not None:
        # Several payments of one contract may wait for approval at once.
        subject, terms, matrix = _money_subject(policy, contract, payment, writeoff)
        return terms, _route(policy, terms, subject, matrix), subject
    _refuse_a_second_request(session, contract)
    terms = contract_terms(contract, amendment)
    return terms, _route(policy, terms, subject), subject


def open_request(
    session: Session,
    *,
    actor: User,
    contract: Contract,
    policy: Policy,
    today: date,
    amendment: Amendment | None = None,
    payment: Payment | None = None,
    writeoff: WriteOff | None = None,
    cc: Sequence[str] = (),
    draft: Mapping[str, Any] | None = None,
) -> ApprovalRequest:
    """Route the contract (or the amendment's terms) and open a request with its steps.

    Refused (``Invalid``) when no rule matches, naming the contract's terms, or when no active
    user could approve a step (naming it); a contract with a pending request already is a
    ``Conflict``. ``cc``: logins copied (抄送) besides the policy's; ``draft``: what is
    approved (``{"sha256": ...}``). The caller (``contract submit``, ``amend``) owns the status.
    """
    assert contract.id is not None
    terms, found, subject = _route_subject(
        session, policy, contract, amendment=amendment, payment=payment, writeoff=writeoff
    )
    _refuse_uncovered(session, found, terms, subject)
    copies = check_cc(session, cc)
    request = ApprovalRequest(
        contract_id=contract.id,
        amendment_id=amendment.id if amendment is not None else None,
        payment_id=payment.id if payment is not None else None,
        writeoff_id=writeoff.id if writeoff is not None else None,
        rule_name=found.rule.name,
        rule_reason=found.reason,
        policy_version=policy.version,
        chain=list(found.chain),
        amount=terms.amount,
        status=rules.PENDING,
        current_step=1,
        submitted_by=actor.login,
        submitted_on=today,
        submitted_at=datetime.now(UTC),
        limits=found.rule.limits,
        draft_sha256=draft.get("sha256") if draft else None,
        draft=dict(draft) if draft else None,
    )
    session.add(request)
    session.flush()
    assert request.id is not None
    steps = _add_steps(session, request.id, found.chain, policy=policy, today=today)
    copied = add_copies(
        session,
        request,
        given=copies,
        from_policy=policy_cc(session, policy, found.rule.name),
        today=today,
        skip=(actor.login,),
    )
    audit.record(
        session,
        actor=actor.login,
        action="approval.open",
        entity_type="approval",
        entity_id=request.id,
        after={
            "contract": contract.number,
            "amendment": amendment.number if amendment is not None else None,
            **({"payment": payment.id} if payment is not None else {}),
            **({"writeoff": writeoff.id} if writeoff is not None else {}),
            "rule": found.rule.name,
            "reason": found.reason,
            "policy_version": policy.version,
            "chain": list(found.chain),
            "amount": terms.amount,
            **snapshot(request, steps),
            **({"limits": found.rule.limits} if found.rule.limits != "every" else {}),
            **({"cc": copied} if copied else {}),
            **({"draft_sha256": request.draft_sha256} if request.draft_sha256 else {}),
        },
    )
    return request


def void_approved(
    session: Session, *, contract_id: int | None = None, quote_id: int | None = None
) -> list[int]:
    """Void the approved requests for a contract's own terms (not its amendments), or for a
    quote, so that it must be approved again; returns their ids."""
    voided = []
    about = (
        col(ApprovalRequest.quote_id) == quote_id
        if quote_id is not None
        else col(ApprovalRequest.contract_id) == contract_id
    )
    for request in session.execute(
        select(ApprovalRequest).where(
            about,
            col(ApprovalRequest.amendment_id).is_(None),
            col(ApprovalRequest.payment_id).is_(None),
            col(ApprovalRequest.writeoff_id).is_(None),
            col(ApprovalRequest.status) == rules.APPROVED,
        )
    ).scalars():
        request.status = rules.VOID
        session.add(request)
        voided.append(request.id)
    return [i for i in voided if i is not None]
