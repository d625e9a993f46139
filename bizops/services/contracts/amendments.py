"""Amendments: a numbered change to the terms of a signed or active contract, routed through
the approval matrix on the amended terms; the terms change only when it is approved."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from bizops.domain import approval as approval_rules
from bizops.domain import contract_states as cs
from bizops.domain.dates import parse_date
from bizops.domain.errors import Conflict, Invalid, NotFound
from bizops.domain.money import money_str
from bizops.domain.policy import Policy
from bizops.domain.vocab import RISKS, label, one_of
from bizops.i18n import N_, _
from bizops.services.approvals import Outcome, open_request
from bizops.services.contracts.access import require_contract_role
from bizops.services.contracts.approved_draft import (
    amendment_draft,
    compare_amendment_draft,
    require_amendment_unchanged,
)
from bizops.services.contracts.changes import record, save, snapshot
from bizops.services.contracts.statuses import AMENDMENT_PENDING
from bizops.services.contracts.terms import check_amount, check_period, check_reason, check_title
from bizops.services.lookup import find_contract
from bizops.services.money.limits import require_amount_covers
from bizops.services.templates import DraftResult, draft_amendment, find_amendment
from bizops.services.views.contracts import AmendmentRow, ProposedAmendment
from bizops.store.models import Amendment, ApprovalRequest, Contract, User

# Terms an amendment may change, in the order they are shown.
AMENDABLE_FIELDS = ("title", "amount", "risk", "start", "end")


def _parse_term(name: str, text: str, today: date) -> Any:
    field = f"--set {name}"
    if name == "title":
        return check_title(text, field)
    if name == "amount":
        return check_amount(text, field)
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
        raise Invalid(_("amendment: unknown term {name!r}").format(name=name))


def _require_amendable(contract: Contract) -> None:
    if contract.status not in cs.AMENDABLE:
        pointer = (
            _("edit the draft with `bizops contract update {number}`")
            if contract.status == cs.DRAFT
            else _("only a signed or active contract is amended")
        )
        raise Conflict(
            _("cannot amend contract {number}: it is {status}; {pointer}").format(
                number=contract.number,
                status=label("contract_state", contract.status),
                pointer=pointer.format(number=contract.number),
            )
        )


def _check_changes(changes: dict[str, str]) -> None:
    if not changes:
        raise Invalid(
            _("--set: give at least one change; amendable terms: {terms}").format(
                terms=", ".join(AMENDABLE_FIELDS)
            )
        )
    unknown = [n for n in changes if n not in AMENDABLE_FIELDS]
    if unknown:
        raise Invalid(
            _("--set: {names} cannot be amended; amendable terms: {terms}").format(
                names=", ".join(unknown), terms=", ".join(AMENDABLE_FIELDS)
            )
        )


def _refuse_a_second_amendment(session: Session, contract: Contract) -> None:
    pending = session.execute(
        select(col(Amendment.number)).where(
            col(Amendment.contract_id) == contract.id, col(Amendment.status) == AMENDMENT_PENDING
        )
    ).scalar()
    if pending:
        raise Conflict(
            _(
                "contract {number} already has amendment {amendment} waiting for approval; "
                "one amendment at a time"
            ).format(number=contract.number, amendment=pending)
        )


def _diff(contract: Contract, changes: dict[str, str], today: date) -> dict[str, dict[str, str]]:
    """Each change as ``{"from": ..., "to": ...}``; a change to the same value, or a period
    whose end comes before its start, is refused."""
    diff: dict[str, dict[str, str]] = {}
    period = {"start": contract.start, "end": contract.end}
    for name in AMENDABLE_FIELDS:
        if name not in changes:
            continue
        new = _parse_term(name, changes[name], today)
        old = getattr(contract, name)
        if new == old:
            raise Invalid(
                _("--set {name}: the contract's {name} is already {value}").format(
                    name=name, value=_term_text(old)
                )
            )
        diff[name] = {"from": _term_text(old), "to": _term_text(new)}
        if name in period:
            period[name] = new
    check_period(
        period["start"],
        period["end"],
        end_field="--set end" if "end" in changes else "end",
        start_field="--set start" if "start" in changes else _("the start"),
    )
    return diff


def _next_seq(session: Session, contract_id: int) -> int:
    count = session.execute(
        select(func.count()).select_from(Amendment).where(col(Amendment.contract_id) == contract_id)
    ).scalar_one()
    return int(count) + 1


def amend_contract(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    changes: dict[str, str],
    reason: str | None,
    policy: Policy,
    today: date,
) -> ProposedAmendment:
    """A numbered amendment of a signed or active contract, routed through the approval
    matrix on the amended terms; the terms change only when it is approved."""
    contract = find_contract(session, ref)
    require_contract_role(session, actor, contract, N_("amend contract {number}"))
    _require_amendable(contract)
    text = check_reason(reason)
    _check_changes(changes)
    _refuse_a_second_amendment(session, contract)
    diff = _diff(contract, changes, today)
    if "amount" in diff:
        require_amount_covers(session, contract, Decimal(diff["amount"]["to"]))
    assert contract.id is not None
    seq = _next_seq(session, contract.id)
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
    save(session, amendment)
    # Approvals route on the contract's terms with the amendment's changes applied.
    request = open_request(
        session,
        actor=actor,
        contract=contract,
        policy=policy,
        today=today,
        amendment=amendment,
        draft=amendment_draft(session, contract, amendment),
    )
    assert amendment.id is not None and request.id is not None
    record(
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
            **({"draft_sha256": request.draft_sha256} if request.draft_sha256 else {}),
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


def close_amendment(
    session: Session, *, outcome: Outcome, contract: Contract, actor: User, today: date
) -> None:
    """Its request closed: approved, the changes apply to the contract's terms; rejected or
    withdrawn, the amendment is marked so and the terms stay."""
    amendment = session.get(Amendment, outcome.amendment_id)
    if amendment is None:
        raise NotFound(
            _("approval request {request}: amendment {amendment} is gone").format(
                request=outcome.request_id, amendment=outcome.amendment_id
            )
        )
    if amendment.status != AMENDMENT_PENDING:
        raise Conflict(
            _("amendment {amendment} is already {status}").format(
                amendment=amendment.number, status=amendment.status
            )
        )
    before = {"amendment": amendment.status, "contract": snapshot(contract)}
    if outcome.status == approval_rules.APPROVED:
        if contract.status not in cs.AMENDABLE:
            raise Conflict(
                _("amendment {amendment} cannot apply: contract {number} is {status}").format(
                    amendment=amendment.number,
                    number=contract.number,
                    status=label("contract_state", contract.status),
                )
            )
        request = session.get(ApprovalRequest, outcome.request_id)
        if request is not None:
            # What is approved is the agreement as submitted: recomputed before it applies.
            require_amendment_unchanged(session, request, contract, amendment)
        if "amount" in amendment.changes:
            # Money recorded since the submission counts too.
            require_amount_covers(session, contract, Decimal(amendment.changes["amount"]["to"]))
        for name, change in amendment.changes.items():
            _set_term(contract, name, change["to"])
        check_period(contract.start, contract.end)
        amendment.applied_on = today
        save(session, contract)
    amendment.status = outcome.status
    save(session, amendment)
    record(
        session,
        actor,
        {"approved": "amendment.approve", "rejected": "amendment.reject"}.get(
            outcome.status, "amendment.withdraw"
        ),
        "amendment",
        amendment.number,
        before=before,
        after={
            "amendment": amendment.status,
            "request": outcome.request_id,
            "changes": amendment.changes,
            "contract": snapshot(contract),
        },
    )


def draft_supplementary(
    session: Session,
    *,
    actor: User,
    contract: str | int,
    amendment: str | int,
    fmt: str = "md",
    policy: Policy,
    today: date,
) -> DraftResult:
    """Draft an amendment's supplementary agreement (recorded with its hash) and compare it
    with the one its approval request recorded at submission (``check``)."""
    result = draft_amendment(
        session,
        actor=actor,
        contract=contract,
        amendment=amendment,
        fmt=fmt,
        policy=policy,
        today=today,
    )
    row = find_contract(session, contract)
    found = find_amendment(session, row, amendment)
    return replace(result, check=compare_amendment_draft(session, row, found))


def amendments_of(session: Session, *, contract_id: int) -> list[AmendmentRow]:
    """A contract's amendments, in order."""
    return [
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
            .where(col(Amendment.contract_id) == contract_id)
            .order_by(col(Amendment.seq))
        ).scalars()
        if a.id is not None
    ]
