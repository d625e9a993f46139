"""Contracts through their whole life (seed K1): draft, approval, signing, performance,
amendment, dispute and archive.

The lifecycle itself is data in ``bizops.domain.contract_states``; this module gathers the
facts its guards need, enforces who may act, writes the change and its audit event.
Approvals call ``on_approval_closed`` when a request for a contract or an amendment closes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, select
from sqlmodel import Session, col

from bizops.domain import contract_states as cs
from bizops.domain.dates import parse_date, parse_duration_days
from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.domain.money import format_money, money_str, parse_money
from bizops.domain.policy import Policy
from bizops.domain.roles import ADMIN, FINANCE, GM, LEGAL, MANAGER
from bizops.domain.validate import check_text
from bizops.domain.vocab import CONTRACT_TYPES, MILESTONE_KINDS, RISKS, one_of
from bizops.services.lookup import as_id, find_contract, find_customer
from bizops.services.users import find_user
from bizops.store import audit
from bizops.store.counters import next_value
from bizops.store.models import (
    Amendment,
    ApprovalRequest,
    Attachment,
    Contract,
    ContractNote,
    Customer,
    Dispute,
    Draft,
    Milestone,
    User,
)

if TYPE_CHECKING:
    from bizops.services.templates import StandardAssessment

OUTCOMES = ("approved", "rejected", "withdrawn")
# Terms an amendment may change, in the order they are shown.
AMENDABLE_FIELDS = ("title", "amount", "risk", "start", "end")
MAX_NOTICE_DAYS = 3650
DISPUTE_OPEN = "open"
DISPUTE_RESOLVED = "resolved"
AMENDMENT_PENDING = "pending_approval"


# ---------------------------------------------------------------------------------------------
# Who may do what


def _is_manager(user: User) -> bool:
    return user.has_role(MANAGER) or user.has_role(ADMIN)


def _owner_login(session: Session, contract: Contract) -> str:
    login = session.execute(
        select(col(User.login)).where(col(User.id) == contract.owner_id)
    ).scalar_one()
    return str(login)


def require_contract_role(
    session: Session,
    actor: User,
    contract: Contract,
    what: str,
    *,
    also: tuple[str, ...] = (),
) -> None:
    """The owner, a manager or an admin (plus any role in ``also``) may ``what``."""
    if actor.id == contract.owner_id or _is_manager(actor):
        return
    if any(actor.has_role(role) for role in also):
        return
    extra = "".join(f", {role}" for role in also)
    raise NotPermitted(
        f"only the contract's owner ({_owner_login(session, contract)}), a manager{extra} or "
        f"an admin may {what} contract {contract.number}; {actor.login} is "
        f"{', '.join(actor.role_list)}"
    )


# ---------------------------------------------------------------------------------------------
# Reading and checking terms


def _title(value: str | None, field: str = "--title") -> str:
    text = check_text(value, field, required=True, max_length=300)
    assert text is not None
    return text


def _amount(value: str | Decimal, field: str = "--amount") -> Decimal:
    amount = parse_money(value, field=field)
    if amount <= 0:
        raise Invalid(f"{field}: {value} is not a contract amount; it must be greater than zero")
    return amount


def _currency(value: str | None, policy: Policy) -> str:
    text = (value or policy.currency).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", text):
        raise Invalid(f"--currency: {value!r} is not a three-letter currency code such as CNY")
    return text


def _notice_days(value: int | None, policy: Policy) -> int:
    if value is None:
        return policy.notice_days
    if value < 0 or value > MAX_NOTICE_DAYS:
        raise Invalid(f"--notice-days: {value}; expected 0 to {MAX_NOTICE_DAYS} days")
    return value


def _check_period(
    start: date, end: date, *, end_field: str = "--end", start_field: str = "--start"
) -> None:
    if end < start:
        raise Invalid(f"{end_field}: {end.isoformat()} is before {start_field} {start.isoformat()}")


def parse_assignments(items: Iterable[str] | None, *, option: str = "--set") -> dict[str, str]:
    """``["amount=12万", "end=2027-06-30"]`` as a dict; a field given twice is an error."""
    out: dict[str, str] = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise Invalid(f"{option}: {item!r} is not FIELD=VALUE (e.g. {option} payment_days=30)")
        if name in out:
            raise Invalid(f"{option}: field {name!r} is given twice")
        out[name] = value.strip()
    return out


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _template_ref(name: str | None, version: int | None) -> str | None:
    if not name:
        return None
    return f"{name}@{version}" if version is not None else name


def _assess(
    session: Session,
    *,
    contract_type: str,
    template: str | None,
    values: dict[str, str],
    today: date,
) -> StandardAssessment:
    from bizops.services.templates import assess_standard

    return assess_standard(
        session, contract_type=contract_type, template=template, values=values, today=today
    )


def _apply_assessment(contract: Contract, assessment: StandardAssessment) -> None:
    contract.template_name = assessment.template_name
    contract.template_version = assessment.template_version
    contract.fields = _json_safe(dict(assessment.values))
    contract.non_standard = bool(assessment.non_standard)
    contract.non_standard_reasons = [str(r) for r in assessment.reasons]


def _snapshot(contract: Contract) -> dict[str, Any]:
    return {
        "number": contract.number,
        "title": contract.title,
        "customer_id": contract.customer_id,
        "owner_id": contract.owner_id,
        "type": contract.type,
        "amount": money_str(contract.amount),
        "currency": contract.currency,
        "risk": contract.risk,
        "status": contract.status,
        "start": contract.start,
        "end": contract.end,
        "template": _template_ref(contract.template_name, contract.template_version),
        "fields": contract.fields,
        "non_standard": contract.non_standard,
        "notice_days": contract.notice_days,
    }


def _record(
    session: Session,
    actor: User | str,
    action: str,
    entity_type: str,
    entity_id: str | int,
    *,
    before: Any = None,
    after: Any = None,
) -> None:
    login = actor if isinstance(actor, str) else actor.login
    audit.record(
        session,
        actor=login,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
    )


def _save(session: Session, *rows: Any) -> None:
    for row in rows:
        session.add(row)
    session.flush()


# ---------------------------------------------------------------------------------------------
# Numbering


def _counter_name(pattern: str, *, today: date, contract_type: str) -> str:
    """One sequence per distinct set of placeholders the pattern shows (per year by default)."""
    parts = ["contract"]
    if "{year" in pattern:
        parts.append(str(today.year))
    if "{month" in pattern:
        parts.append(f"{today.month:02d}")
    if "{type" in pattern:
        parts.append(contract_type)
    return "-".join(parts)


def _next_number(session: Session, *, policy: Policy, today: date, contract_type: str) -> str:
    pattern = policy.contract_number
    seq = next_value(session, _counter_name(pattern, today=today, contract_type=contract_type))
    number = pattern.format(year=today.year, month=today.month, seq=seq, type=contract_type)
    number = number.strip().upper()
    if len(number) > 40:
        raise Invalid(f"numbering.contract: {number!r} is longer than 40 characters")
    if session.execute(select(col(Contract.id)).where(col(Contract.number) == number)).first():
        raise Conflict(
            f"contract number {number} is already taken; check numbering.contract in the policy"
        )
    return number


# ---------------------------------------------------------------------------------------------
# Creating and editing drafts


def create_contract(
    session: Session,
    *,
    actor: User,
    customer: str | int,
    type: str,
    title: str,
    amount: str | Decimal,
    risk: str,
    start: str | date,
    end: str | date,
    currency: str | None = None,
    template: str | None = None,
    values: dict[str, str] | None = None,
    notice_days: int | None = None,
    owner: str | None = None,
    policy: Policy,
    today: date,
) -> dict[str, Any]:
    """A new draft, numbered by the policy's pattern. Returns its summary."""
    contract_type = one_of(type, CONTRACT_TYPES, "--type")
    risk_level = one_of(risk, RISKS, "--risk")
    clean_title = _title(title)
    value = _amount(amount)
    code = _currency(currency, policy)
    start_on = parse_date(start, today, field="--start")
    end_on = parse_date(end, today, field="--end")
    _check_period(start_on, end_on)
    notice = _notice_days(notice_days, policy)

    cust = find_customer(session, customer, field="--customer")
    if cust.archived_on is not None:
        raise Conflict(
            f"customer {cust.code} ({cust.name}) is archived; restore it with "
            f"`bizops customer restore {cust.code}` before adding a contract"
        )
    owner_user = find_user(session, owner, field="--owner") if owner else actor
    if not owner_user.active:
        raise Invalid(f"--owner: user {owner_user.login} is deactivated")
    if not _is_manager(actor):
        if cust.owner_id != actor.id:
            holder = session.execute(
                select(col(User.login)).where(col(User.id) == cust.owner_id)
            ).scalar()
            raise NotPermitted(
                f"{actor.login} may create contracts only for customers they own; "
                f"{cust.code} belongs to {holder} (a manager or an admin may create it)"
            )
        if owner_user.id != actor.id:
            raise NotPermitted(
                "--owner: only a manager or an admin may create a contract owned by someone else"
            )

    assessment = _assess(
        session,
        contract_type=contract_type,
        template=template,
        values=dict(values or {}),
        today=today,
    )
    assert cust.id is not None and owner_user.id is not None
    contract = Contract(
        number=_next_number(session, policy=policy, today=today, contract_type=contract_type),
        title=clean_title,
        customer_id=cust.id,
        owner_id=owner_user.id,
        type=contract_type,
        amount=value,
        currency=code,
        risk=risk_level,
        status=cs.DRAFT,
        start=start_on,
        end=end_on,
        notice_days=notice,
        created_on=today,
        created_at=datetime.now(UTC),
    )
    _apply_assessment(contract, assessment)
    _save(session, contract)
    _record(
        session, actor, "contract.create", "contract", contract.number, after=_snapshot(contract)
    )
    return contract_summary(session, contract) | {
        "non_standard_reasons": list(contract.non_standard_reasons)
    }


def update_contract(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    title: str | None = None,
    type: str | None = None,
    amount: str | Decimal | None = None,
    currency: str | None = None,
    risk: str | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    template: str | None = None,
    no_template: bool = False,
    values: dict[str, str] | None = None,
    unset: Iterable[str] = (),
    notice_days: int | None = None,
    policy: Policy,
    today: date,
) -> dict[str, Any]:
    """Change a draft's terms. After submission terms change only by amendment."""
    contract = find_contract(session, ref)
    require_contract_role(session, actor, contract, "update")
    if contract.status not in cs.EDITABLE:
        hint = {
            cs.PENDING: "withdraw the approval request (`bizops approval withdraw ID`) to edit "
            "the draft, or",
            cs.APPROVED: f"reopen it (`bizops contract reopen {contract.number} --reason ...`) "
            "to edit the draft, or",
        }.get(contract.status, "")
        raise Conflict(
            f"contract {contract.number} is {contract.status}: its terms cannot be edited after "
            f"submission; {hint + ' ' if hint else ''}once signed change them with "
            f"`bizops contract amend {contract.number} --set FIELD=VALUE --reason TEXT`"
        )
    if template is not None and no_template:
        raise Invalid("--template and --no-template cannot be used together")
    before = _snapshot(contract)
    if title is not None:
        contract.title = _title(title)
    if type is not None:
        contract.type = one_of(type, CONTRACT_TYPES, "--type")
    if amount is not None:
        contract.amount = _amount(amount)
    if currency is not None:
        contract.currency = _currency(currency, policy)
    if risk is not None:
        contract.risk = one_of(risk, RISKS, "--risk")
    new_start = parse_date(start, today, field="--start") if start is not None else contract.start
    new_end = parse_date(end, today, field="--end") if end is not None else contract.end
    _check_period(new_start, new_end)
    contract.start, contract.end = new_start, new_end
    if notice_days is not None:
        contract.notice_days = _notice_days(notice_days, policy)

    fields = {k: _as_text(v) for k, v in (contract.fields or {}).items()}
    for name in unset:
        if name not in fields:
            known = ", ".join(sorted(fields)) or "none"
            raise Invalid(f"--unset: the contract has no field {name!r}; its fields: {known}")
        del fields[name]
    fields.update(values or {})
    if no_template:
        template_ref = None
    elif template is not None:
        template_ref = template
    else:
        template_ref = _template_ref(contract.template_name, contract.template_version)
    _apply_assessment(
        contract,
        _assess(
            session,
            contract_type=contract.type,
            template=template_ref,
            values=fields,
            today=today,
        ),
    )
    after = _snapshot(contract)
    if after == before:
        raise Invalid(
            "nothing to change: give --title, --type, --amount, --currency, --risk, --start, "
            "--end, --template, --set, --unset or --notice-days"
        )
    _save(session, contract)
    _record(
        session, actor, "contract.update", "contract", contract.number, before=before, after=after
    )
    return contract_summary(session, contract)


def add_note(session: Session, *, actor: User, ref: str | int, text: str) -> dict[str, Any]:
    """A negotiation or review note. Reviewers (legal, finance, gm) may note any contract."""
    contract = find_contract(session, ref)
    require_contract_role(session, actor, contract, "note", also=(LEGAL, FINANCE, GM))
    body = check_text(text, "TEXT", required=True, max_length=5000)
    assert body is not None and contract.id is not None
    note = ContractNote(contract_id=contract.id, at=datetime.now(UTC), actor=actor.login, text=body)
    _save(session, note)
    _record(
        session,
        actor,
        "contract.note",
        "contract",
        contract.number,
        after={"note": note.id, "text": body},
    )
    return {"id": note.id, "contract": contract.number, "actor": actor.login, "text": body}


# ---------------------------------------------------------------------------------------------
# Moves through the lifecycle


def _facts(session: Session, contract: Contract, reason: str | None = None) -> cs.Facts:
    cid = contract.id
    milestones = session.execute(
        select(col(Milestone.id))
        .where(col(Milestone.contract_id) == cid, col(Milestone.done_on).is_(None))
        .order_by(col(Milestone.due), col(Milestone.id))
    ).scalars()
    disputes = session.execute(
        select(col(Dispute.id))
        .where(col(Dispute.contract_id) == cid, col(Dispute.status) == DISPUTE_OPEN)
        .order_by(col(Dispute.id))
    ).scalars()
    amendment = session.execute(
        select(col(Amendment.number)).where(
            col(Amendment.contract_id) == cid, col(Amendment.status) == AMENDMENT_PENDING
        )
    ).scalar()
    signed = session.execute(
        select(col(Attachment.id)).where(
            col(Attachment.contract_id) == cid, col(Attachment.kind) == "signed"
        )
    ).first()
    return cs.Facts(
        open_milestones=tuple(int(i) for i in milestones),
        open_disputes=tuple(int(i) for i in disputes),
        open_amendment=amendment,
        has_signed_copy=signed is not None,
        reason=reason,
    )


def _move(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    move: str,
    reason: str | None = None,
    change: Callable[[Contract], dict[str, Any]] | None = None,
) -> Contract:
    """Check permission and the state machine, apply ``change``, set the status, audit."""
    contract = find_contract(session, ref)
    require_contract_role(session, actor, contract, move)
    step = cs.check_move(contract.number, contract.status, move, _facts(session, contract, reason))
    before = _snapshot(contract)
    extra = change(contract) if change else {}
    contract.status = step.target
    _save(session, contract)
    after = _snapshot(contract) | extra
    _record(
        session, actor, f"contract.{move}", "contract", contract.number, before=before, after=after
    )
    return contract


def _reason(value: str | None, field: str = "--reason", *, required: bool = True) -> str | None:
    return check_text(value, field, required=required, max_length=2000)


def _not_future(day: date, today: date, field: str) -> date:
    if day > today:
        raise Invalid(f"{field}: {day.isoformat()} is in the future (today is {today.isoformat()})")
    return day


def submit_contract(
    session: Session, *, actor: User, ref: str | int, policy: Policy, today: date
) -> dict[str, Any]:
    """Open the approval request (routed by the matrix) and move draft -> pending_approval."""
    from bizops.services.approvals import open_request

    contract = find_contract(session, ref)
    require_contract_role(session, actor, contract, "submit")
    cs.check_move(contract.number, contract.status, "submit", _facts(session, contract))
    before = _snapshot(contract)
    request = open_request(session, actor=actor, contract=contract, policy=policy, today=today)
    contract.status = cs.PENDING
    contract.submitted_on = today
    _save(session, contract)
    after = _snapshot(contract) | {"request": request.id, "rule": request.rule_name}
    _record(
        session, actor, "contract.submit", "contract", contract.number, before=before, after=after
    )
    return {
        "contract": contract.number,
        "status": contract.status,
        "request": request.id,
        "rule": request.rule_name,
        "chain": list(request.chain),
    }


def sign_contract(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    on: str | date,
    signatory: str,
    policy: Policy,
    today: date,
) -> dict[str, Any]:
    """approved -> signed; the customer moves to the ``signed`` stage."""
    from bizops.services.customers import apply_contract_stage

    signed_on = _not_future(parse_date(on, today, field="--on"), today, "--on")
    name = check_text(signatory, "--signatory", required=True, max_length=200)

    def change(c: Contract) -> dict[str, Any]:
        if c.approved_on is not None and signed_on < c.approved_on:
            raise Invalid(
                f"--on: {signed_on.isoformat()} is before the approval on "
                f"{c.approved_on.isoformat()}; a contract is signed after it is approved"
            )
        c.signed_on, c.signatory = signed_on, name
        return {"signed_on": signed_on, "signatory": name}

    contract = _move(session, actor=actor, ref=ref, move="sign", change=change)
    apply_contract_stage(
        session,
        actor=actor,
        customer_id=contract.customer_id,
        stage="signed",
        reason=f"contract {contract.number} signed",
        policy=policy,
        today=today,
    )
    return contract_summary(session, contract)


def activate_contract(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    on: str | date | None = None,
    policy: Policy,
    today: date,
) -> dict[str, Any]:
    """signed -> active; the customer moves to ``maintenance``."""
    from bizops.services.customers import apply_contract_stage

    day = _not_future(parse_date(on or today, today, field="--on"), today, "--on")

    def change(c: Contract) -> dict[str, Any]:
        if c.signed_on is not None and day < c.signed_on:
            raise Invalid(f"--on: {day.isoformat()} is before the signing on {c.signed_on}")
        c.activated_on = day
        return {"activated_on": day}

    contract = _move(session, actor=actor, ref=ref, move="activate", change=change)
    apply_contract_stage(
        session,
        actor=actor,
        customer_id=contract.customer_id,
        stage="maintenance",
        reason=f"contract {contract.number} active",
        policy=policy,
        today=today,
    )
    return contract_summary(session, contract)


def complete_contract(
    session: Session, *, actor: User, ref: str | int, on: str | date | None = None, today: date
) -> dict[str, Any]:
    """active -> completed, once every milestone is done and no dispute is open."""
    day = _not_future(parse_date(on or today, today, field="--on"), today, "--on")

    def change(c: Contract) -> dict[str, Any]:
        c.completed_on = day
        return {"completed_on": day}

    return contract_summary(
        session, _move(session, actor=actor, ref=ref, move="complete", change=change)
    )


def terminate_contract(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    reason: str | None,
    on: str | date | None = None,
    today: date,
) -> dict[str, Any]:
    """signed/active -> terminated, with a reason."""
    text = _reason(reason)
    day = _not_future(parse_date(on or today, today, field="--on"), today, "--on")

    def change(c: Contract) -> dict[str, Any]:
        c.terminated_on, c.termination_reason = day, text
        return {"terminated_on": day, "reason": text}

    return contract_summary(
        session, _move(session, actor=actor, ref=ref, move="terminate", reason=text, change=change)
    )


def archive_contract(
    session: Session, *, actor: User, ref: str | int, reason: str | None = None, today: date
) -> dict[str, Any]:
    """completed/terminated -> archived: needs a signed copy attached, or a reason."""
    text = _reason(reason, required=False)

    def change(c: Contract) -> dict[str, Any]:
        c.archived_on, c.archive_reason = today, text
        return {"archived_on": today, "reason": text}

    return contract_summary(
        session, _move(session, actor=actor, ref=ref, move="archive", reason=text, change=change)
    )


def reopen_contract(
    session: Session, *, actor: User, ref: str | int, reason: str | None, today: date
) -> dict[str, Any]:
    """approved -> draft, voiding the approval request so that it must be approved again."""
    text = _reason(reason)

    def change(c: Contract) -> dict[str, Any]:
        voided = []
        for request in session.execute(
            select(ApprovalRequest).where(
                col(ApprovalRequest.contract_id) == c.id,
                col(ApprovalRequest.amendment_id).is_(None),
                col(ApprovalRequest.status) == "approved",
            )
        ).scalars():
            request.status = "void"
            session.add(request)
            voided.append(request.id)
        assert c.id is not None and text is not None
        session.add(
            ContractNote(
                contract_id=c.id,
                at=datetime.now(UTC),
                actor=actor.login,
                text=f"Reopened (approval void): {text}",
            )
        )
        c.approved_on = None
        c.submitted_on = None
        return {"reason": text, "voided_requests": voided}

    return contract_summary(
        session, _move(session, actor=actor, ref=ref, move="reopen", reason=text, change=change)
    )


# ---------------------------------------------------------------------------------------------
# The approval flow's callback


def on_approval_closed(
    session: Session,
    *,
    request: ApprovalRequest,
    outcome: str,
    actor: User,
    today: date,
    policy: Policy,
) -> None:
    """Called by approvals when ``request`` closes as approved, rejected or withdrawn.

    A contract request: approved -> contract ``approved``; otherwise back to ``draft``.
    An amendment request: approved -> the changes are applied to the contract's terms;
    otherwise the amendment is marked rejected or withdrawn and the terms stay.
    """
    if outcome not in OUTCOMES:
        raise Invalid(f"outcome: unknown value {outcome!r}; accepted: {', '.join(OUTCOMES)}")
    contract = session.get(Contract, request.contract_id)
    if contract is None:
        raise NotFound(f"approval request {request.id}: contract {request.contract_id} is gone")
    if request.amendment_id is not None:
        _close_amendment(
            session, request=request, contract=contract, outcome=outcome, actor=actor, today=today
        )
        return
    move = {"approved": "approve", "rejected": "reject", "withdrawn": "withdraw"}[outcome]
    step = cs.check_move(contract.number, contract.status, move)
    before = _snapshot(contract)
    contract.status = step.target
    if outcome == "approved":
        contract.approved_on = today
    else:
        contract.submitted_on = None
    _save(session, contract)
    _record(
        session,
        actor,
        f"contract.{move}",
        "contract",
        contract.number,
        before=before,
        after=_snapshot(contract) | {"request": request.id},
    )


def _close_amendment(
    session: Session,
    *,
    request: ApprovalRequest,
    contract: Contract,
    outcome: str,
    actor: User,
    today: date,
) -> None:
    amendment = session.get(Amendment, request.amendment_id)
    if amendment is None:
        raise NotFound(f"approval request {request.id}: amendment {request.amendment_id} is gone")
    if amendment.status != AMENDMENT_PENDING:
        raise Conflict(f"amendment {amendment.number} is already {amendment.status}")
    before = {"amendment": amendment.status, "contract": _snapshot(contract)}
    if outcome == "approved":
        if contract.status not in cs.AMENDABLE:
            raise Conflict(
                f"amendment {amendment.number} cannot apply: contract {contract.number} is "
                f"{contract.status}"
            )
        for name, change in amendment.changes.items():
            _set_term(contract, name, change["to"])
        _check_period(contract.start, contract.end)
        amendment.applied_on = today
        _save(session, contract)
    amendment.status = outcome
    _save(session, amendment)
    _record(
        session,
        actor,
        {"approved": "amendment.approve", "rejected": "amendment.reject"}.get(
            outcome, "amendment.withdraw"
        ),
        "amendment",
        amendment.number,
        before=before,
        after={
            "amendment": amendment.status,
            "request": request.id,
            "changes": amendment.changes,
            "contract": _snapshot(contract),
        },
    )


# ---------------------------------------------------------------------------------------------
# Amendments


def _parse_term(name: str, text: str, today: date) -> Any:
    field = f"--set {name}"
    if name == "title":
        return _title(text, field)
    if name == "amount":
        return _amount(text, field)
    if name == "risk":
        return one_of(text, RISKS, field)
    return parse_date(text, today, field=field)


def _term_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return money_str(value) or ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _set_term(contract: Contract, name: str, text: str) -> None:
    if name == "amount":
        contract.amount = Decimal(text)
    elif name in ("start", "end"):
        setattr(contract, name, date.fromisoformat(text))
    elif name in ("title", "risk"):
        setattr(contract, name, text)
    else:
        raise Invalid(f"amendment: unknown term {name!r}")


def amend_contract(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    changes: dict[str, str],
    reason: str | None,
    policy: Policy,
    today: date,
) -> dict[str, Any]:
    """A numbered amendment of a signed or active contract, routed through the approval
    matrix on the amended terms; the terms change only when it is approved."""
    from bizops.services.approvals import open_request

    contract = find_contract(session, ref)
    require_contract_role(session, actor, contract, "amend")
    if contract.status not in cs.AMENDABLE:
        pointer = (
            f"edit the draft with `bizops contract update {contract.number}`"
            if contract.status == cs.DRAFT
            else "only a signed or active contract is amended"
        )
        raise Conflict(
            f"cannot amend contract {contract.number}: it is {contract.status}; {pointer}"
        )
    text = _reason(reason)
    if not changes:
        raise Invalid(
            f"--set: give at least one change; amendable terms: {', '.join(AMENDABLE_FIELDS)}"
        )
    unknown = [n for n in changes if n not in AMENDABLE_FIELDS]
    if unknown:
        raise Invalid(
            f"--set: {', '.join(unknown)} cannot be amended; amendable terms: "
            f"{', '.join(AMENDABLE_FIELDS)}"
        )
    pending = session.execute(
        select(col(Amendment.number)).where(
            col(Amendment.contract_id) == contract.id, col(Amendment.status) == AMENDMENT_PENDING
        )
    ).scalar()
    if pending:
        raise Conflict(
            f"contract {contract.number} already has amendment {pending} waiting for approval; "
            "one amendment at a time"
        )
    diff: dict[str, dict[str, str]] = {}
    period = {"start": contract.start, "end": contract.end}
    for name in AMENDABLE_FIELDS:
        if name not in changes:
            continue
        new = _parse_term(name, changes[name], today)
        old = getattr(contract, name)
        if new == old:
            raise Invalid(f"--set {name}: the contract's {name} is already {_term_text(old)}")
        diff[name] = {"from": _term_text(old), "to": _term_text(new)}
        if name in period:
            period[name] = new
    _check_period(
        period["start"],
        period["end"],
        end_field="--set end" if "end" in changes else "end",
        start_field="--set start" if "start" in changes else "the start",
    )

    assert contract.id is not None
    seq = (
        int(
            session.execute(
                select(func.count())
                .select_from(Amendment)
                .where(col(Amendment.contract_id) == contract.id)
            ).scalar_one()
        )
        + 1
    )
    amendment = Amendment(
        contract_id=contract.id,
        seq=seq,
        number=f"{contract.number}-A{seq}",
        changes=diff,
        reason=text or "",
        status=AMENDMENT_PENDING,
        created_on=today,
        created_by=actor.login,
    )
    _save(session, amendment)
    # Approvals route on the contract's terms with the amendment's changes applied.
    request = open_request(
        session, actor=actor, contract=contract, policy=policy, today=today, amendment=amendment
    )
    _record(
        session,
        actor,
        "amendment.create",
        "amendment",
        amendment.number,
        after={
            "contract": contract.number,
            "changes": diff,
            "reason": text,
            "request": request.id,
            "rule": request.rule_name,
        },
    )
    return {
        "id": amendment.id,
        "number": amendment.number,
        "contract": contract.number,
        "changes": diff,
        "status": amendment.status,
        "request": request.id,
        "rule": request.rule_name,
        "chain": list(request.chain),
    }


# ---------------------------------------------------------------------------------------------
# Milestones


def _milestone(session: Session, ref: str | int) -> Milestone:
    text = str(ref).strip().lstrip("#")
    if not text.isdigit():
        raise Invalid(f"milestone: {ref!r} is not a milestone id (a number, see `milestone list`)")
    row_id = as_id(text)
    found = session.get(Milestone, row_id) if row_id is not None else None
    if found is None:
        raise NotFound(f"milestone: no milestone #{text}; see `bizops contract milestone list`")
    return found


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
) -> dict[str, Any]:
    contract = find_contract(session, ref)
    require_contract_role(session, actor, contract, "plan milestones of", also=(FINANCE,))
    if contract.status not in cs.PLANNABLE:
        raise Conflict(
            f"contract {contract.number} is {contract.status}; milestones are planned only "
            f"while it is {', '.join(cs.PLANNABLE)}"
        )
    kind_value = one_of(kind, MILESTONE_KINDS, "--kind")
    due_on = parse_date(due, today, field="--due")
    value = _amount(amount, "--amount") if amount not in (None, "") else None
    text = check_text(note, "--note", max_length=2000)
    if value is not None and kind_value == "payment":
        planned = session.execute(
            select(col(Milestone.amount)).where(
                col(Milestone.contract_id) == contract.id, col(Milestone.kind) == "payment"
            )
        ).scalars()
        total = sum((a for a in planned if a is not None), Decimal(0)) + value
        if total > contract.amount:
            raise Invalid(
                f"--amount: payment milestones would total {format_money(total)} "
                f"{contract.currency}, more than the contract amount "
                f"{format_money(contract.amount)}"
            )
    assert contract.id is not None
    milestone = Milestone(
        contract_id=contract.id, kind=kind_value, due=due_on, amount=value, note=text
    )
    _save(session, milestone)
    row = _milestone_row(milestone, contract.number, today)
    _record(session, actor, "milestone.add", "milestone", milestone.id or 0, after=row)
    return row


def complete_milestone(
    session: Session, *, actor: User, ref: str | int, on: str | date | None = None, today: date
) -> dict[str, Any]:
    milestone = _milestone(session, ref)
    contract = session.get(Contract, milestone.contract_id)
    assert contract is not None
    require_contract_role(session, actor, contract, "record milestones of", also=(FINANCE,))
    if milestone.done_on is not None:
        raise Conflict(f"milestone #{milestone.id} is already done (on {milestone.done_on})")
    if contract.status == cs.ARCHIVED:
        raise Conflict(f"contract {contract.number} is archived; its milestones are closed")
    day = _not_future(parse_date(on or today, today, field="--on"), today, "--on")
    before = _milestone_row(milestone, contract.number, today)
    milestone.done_on, milestone.done_by = day, actor.login
    _save(session, milestone)
    row = _milestone_row(milestone, contract.number, today)
    _record(
        session, actor, "milestone.done", "milestone", milestone.id or 0, before=before, after=row
    )
    return row


def _milestone_row(m: Milestone, number: str, today: date) -> dict[str, Any]:
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


def _milestone_dict(row: Any, today: date) -> dict[str, Any]:
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
) -> list[dict[str, Any]]:
    """Milestones (of one contract, or all), by due date. ``overdue``: not done, due before
    today, on a contract under performance (signed or active)."""
    query = _milestone_query()
    if contract is not None:
        found = find_contract(session, contract)
        query = query.where(col(Milestone.contract_id) == found.id)
    if overdue:
        query = query.where(
            col(Milestone.done_on).is_(None),
            col(Milestone.due) < today,
            col(Contract.status).in_(cs.PERFORMING),
        )
    return [_milestone_dict(row, today) for row in session.execute(query)]


def due_milestones(
    session: Session,
    *,
    today: date,
    within_days: int = 0,
    owner_ids: Iterable[int] | None = None,
) -> list[dict[str, Any]]:
    """Open milestones of signed/active contracts due by ``today + within_days`` (overdue
    included), most overdue first. For the daily report."""
    query = _milestone_query().where(
        col(Milestone.done_on).is_(None),
        col(Milestone.due) <= today + timedelta(days=within_days),
        col(Contract.status).in_(cs.PERFORMING),
    )
    if owner_ids is not None:
        query = query.where(col(Contract.owner_id).in_(list(owner_ids)))
    return [_milestone_dict(row, today) for row in session.execute(query)]


def overdue_milestones(
    session: Session, *, today: date, owner_ids: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """Open milestones of signed/active contracts due before ``today``, oldest first."""
    return due_milestones(session, today=today, within_days=-1, owner_ids=owner_ids)


# ---------------------------------------------------------------------------------------------
# Disputes


def _dispute(session: Session, ref: str | int) -> Dispute:
    text = str(ref).strip().lstrip("#")
    if not text.isdigit():
        raise Invalid(f"dispute: {ref!r} is not a dispute id (a number, see `dispute list`)")
    row_id = as_id(text)
    found = session.get(Dispute, row_id) if row_id is not None else None
    if found is None:
        raise NotFound(f"dispute: no dispute #{text}; see `bizops contract dispute list`")
    return found


def _dispute_row(d: Dispute, number: str) -> dict[str, Any]:
    return {
        "id": d.id,
        "contract": number,
        "summary": d.summary,
        "status": d.status,
        "opened_on": d.opened_on,
        "opened_by": d.opened_by,
        "resolution": d.resolution,
        "resolved_on": d.resolved_on,
        "resolved_by": d.resolved_by,
    }


def open_dispute(
    session: Session, *, actor: User, ref: str | int, summary: str, today: date
) -> dict[str, Any]:
    """A dispute about a contract in force; it blocks completing and archiving."""
    contract = find_contract(session, ref)
    require_contract_role(session, actor, contract, "open a dispute on", also=(LEGAL,))
    if contract.status not in cs.IN_FORCE:
        raise Conflict(
            f"contract {contract.number} is {contract.status}; disputes concern a contract "
            f"that was signed ({', '.join(cs.IN_FORCE)})"
        )
    text = check_text(summary, "--summary", required=True, max_length=5000)
    assert text is not None and contract.id is not None
    dispute = Dispute(
        contract_id=contract.id,
        summary=text,
        status=DISPUTE_OPEN,
        opened_on=today,
        opened_by=actor.login,
    )
    _save(session, dispute)
    row = _dispute_row(dispute, contract.number)
    _record(session, actor, "dispute.open", "dispute", dispute.id or 0, after=row)
    return row


def resolve_dispute(
    session: Session, *, actor: User, ref: str | int, resolution: str, today: date
) -> dict[str, Any]:
    dispute = _dispute(session, ref)
    contract = session.get(Contract, dispute.contract_id)
    assert contract is not None
    require_contract_role(session, actor, contract, "resolve disputes of", also=(LEGAL,))
    if dispute.status != DISPUTE_OPEN:
        raise Conflict(f"dispute #{dispute.id} is already resolved (on {dispute.resolved_on})")
    text = check_text(resolution, "--resolution", required=True, max_length=5000)
    before = _dispute_row(dispute, contract.number)
    dispute.status = DISPUTE_RESOLVED
    dispute.resolution, dispute.resolved_on, dispute.resolved_by = text, today, actor.login
    _save(session, dispute)
    row = _dispute_row(dispute, contract.number)
    _record(session, actor, "dispute.resolve", "dispute", dispute.id or 0, before=before, after=row)
    return row


def list_disputes(
    session: Session, *, contract: str | int | None = None, open_only: bool = False
) -> list[dict[str, Any]]:
    query = (
        select(Dispute, col(Contract.number))
        .join(Contract, col(Contract.id) == col(Dispute.contract_id))
        .order_by(col(Dispute.id))
    )
    if contract is not None:
        found = find_contract(session, contract)
        query = query.where(col(Dispute.contract_id) == found.id)
    if open_only:
        query = query.where(col(Dispute.status) == DISPUTE_OPEN)
    return [_dispute_row(d, number) for d, number in session.execute(query)]


# ---------------------------------------------------------------------------------------------
# Listing and showing


def _list_query() -> Any:
    return (
        select(
            col(Contract.id),
            col(Contract.number),
            col(Contract.title),
            col(Customer.name).label("customer"),
            col(Customer.code).label("customer_code"),
            col(User.login).label("owner"),
            col(Contract.owner_id),
            col(Contract.type),
            col(Contract.amount),
            col(Contract.currency),
            col(Contract.risk),
            col(Contract.status),
            col(Contract.start),
            col(Contract.end),
            col(Contract.template_name),
            col(Contract.template_version),
            col(Contract.non_standard),
            col(Contract.notice_days),
        )
        .join(Customer, col(Customer.id) == col(Contract.customer_id))
        .join(User, col(User.id) == col(Contract.owner_id))
    )


def _row_dict(row: Any, today: date | None = None) -> dict[str, Any]:
    out = {
        "id": row.id,
        "number": row.number,
        "title": row.title,
        "customer": row.customer,
        "customer_code": row.customer_code,
        "owner": row.owner,
        "type": row.type,
        "amount": row.amount,
        "currency": row.currency,
        "risk": row.risk,
        "status": row.status,
        "start": row.start,
        "end": row.end,
        "template": _template_ref(row.template_name, row.template_version),
        "non_standard": bool(row.non_standard),
        "notice_days": row.notice_days,
    }
    if today is not None:
        out["days_left"] = (row.end - today).days
    return out


def contract_summary(session: Session, contract: Contract) -> dict[str, Any]:
    row = session.execute(_list_query().where(col(Contract.id) == contract.id)).one()
    return _row_dict(row)


def list_contracts(
    session: Session,
    *,
    status: Iterable[str] | None = None,
    customer: str | int | None = None,
    owner: str | None = None,
    type: str | None = None,
    expiring: str | None = None,
    non_standard: bool | None = None,
    today: date,
) -> Iterable[dict[str, Any]]:
    """Contracts by number, filtered. ``expiring`` (``30d``): signed or active, ending
    between today and that many days from now, soonest first."""
    query = _list_query()
    statuses = [cs_state for s in (status or ()) for cs_state in _states(s)]
    if statuses:
        query = query.where(col(Contract.status).in_(statuses))
    if customer is not None:
        query = query.where(col(Contract.customer_id) == find_customer(session, customer).id)
    if owner is not None:
        query = query.where(col(Contract.owner_id) == find_user(session, owner, field="--owner").id)
    if type is not None:
        query = query.where(col(Contract.type) == one_of(type, CONTRACT_TYPES, "--type"))
    if non_standard is not None:
        query = query.where(col(Contract.non_standard).is_(non_standard))
    if expiring is not None:
        days = parse_duration_days(expiring, today, field="--expiring")
        query = query.where(
            col(Contract.status).in_(cs.PERFORMING),
            and_(col(Contract.end) >= today, col(Contract.end) <= today + timedelta(days=days)),
        ).order_by(col(Contract.end), col(Contract.id))
    else:
        query = query.order_by(col(Contract.id))
    shown_today = today if expiring is not None else None
    return (_row_dict(row, shown_today) for row in session.execute(query))


def _states(value: str) -> list[str]:
    return [one_of(part, cs.STATES, "--status") for part in value.split(",") if part.strip()]


def expiring_contracts(
    session: Session,
    *,
    today: date,
    within_days: int,
    owner_ids: Iterable[int] | None = None,
) -> list[dict[str, Any]]:
    """Signed or active contracts ending within ``within_days`` of today, soonest first, with
    ``days_left``, ``notice_days`` and ``notice_on`` (the end minus the notice days)."""
    query = _list_query().where(
        col(Contract.status).in_(cs.PERFORMING),
        col(Contract.end) >= today,
        col(Contract.end) <= today + timedelta(days=within_days),
    )
    if owner_ids is not None:
        query = query.where(col(Contract.owner_id).in_(list(owner_ids)))
    query = query.order_by(col(Contract.end), col(Contract.id))
    out = []
    for row in session.execute(query):
        item = _row_dict(row, today)
        item["owner_id"] = row.owner_id
        item["notice_on"] = row.end - timedelta(days=row.notice_days)
        out.append(item)
    return out


@dataclass(frozen=True)
class _Moves:
    allowed: list[str]
    blocked: list[dict[str, str]]


def _moves(session: Session, contract: Contract) -> _Moves:
    facts = _facts(session, contract)
    blocked = [
        {"move": name, "reason": "; ".join(problems)}
        for name, problems in cs.blocked_moves(contract.status, facts).items()
    ]
    return _Moves(cs.allowed_moves(contract.status, facts), blocked)


def show_contract(session: Session, *, ref: str | int, today: date) -> dict[str, Any]:
    """One contract with everything around it."""
    from bizops.services.attachments import list_attachments

    contract = find_contract(session, ref)
    cid = contract.id
    out = contract_summary(session, contract)
    moves = _moves(session, contract)
    out.update(
        {
            "fields": contract.fields,
            "non_standard_reasons": contract.non_standard_reasons,
            "days_left": (contract.end - today).days,
            "created_on": contract.created_on,
            "submitted_on": contract.submitted_on,
            "approved_on": contract.approved_on,
            "signed_on": contract.signed_on,
            "signatory": contract.signatory,
            "activated_on": contract.activated_on,
            "completed_on": contract.completed_on,
            "terminated_on": contract.terminated_on,
            "termination_reason": contract.termination_reason,
            "archived_on": contract.archived_on,
            "archive_reason": contract.archive_reason,
            "allowed_moves": moves.allowed,
            "blocked_moves": moves.blocked,
            "notes": [
                {"id": n.id, "at": n.at, "actor": n.actor, "text": n.text}
                for n in session.execute(
                    select(ContractNote)
                    .where(col(ContractNote.contract_id) == cid)
                    .order_by(col(ContractNote.id))
                ).scalars()
            ],
            "milestones": [
                _milestone_row(m, contract.number, today)
                for m in session.execute(
                    select(Milestone)
                    .where(col(Milestone.contract_id) == cid)
                    .order_by(col(Milestone.due), col(Milestone.id))
                ).scalars()
            ],
            "disputes": list_disputes(session, contract=contract.number),
            "attachments": list_attachments(session, contract=contract),
            "amendments": [
                {
                    "id": a.id,
                    "number": a.number,
                    "status": a.status,
                    "changes": a.changes,
                    "reason": a.reason,
                    "created_on": a.created_on,
                    "created_by": a.created_by,
                    "applied_on": a.applied_on,
                }
                for a in session.execute(
                    select(Amendment)
                    .where(col(Amendment.contract_id) == cid)
                    .order_by(col(Amendment.seq))
                ).scalars()
            ],
            "approval_requests": [
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
                    .where(col(ApprovalRequest.contract_id) == cid)
                    .order_by(col(ApprovalRequest.id))
                ).scalars()
            ],
            "drafts": [
                {
                    "id": d.id,
                    "template": f"{d.template_name}@{d.template_version}",
                    "format": d.format,
                    "sha256": d.sha256,
                    "created_on": d.created_on,
                    "created_by": d.created_by,
                }
                for d in session.execute(
                    select(Draft).where(col(Draft.contract_id) == cid).order_by(col(Draft.id))
                ).scalars()
            ],
        }
    )
    return out
