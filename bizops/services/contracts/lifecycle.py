"""Moves through the lifecycle: submit, sign, activate, complete, terminate, archive, reopen.

The lifecycle itself is data in ``bizops.domain.contract_states``; this module gathers the
facts its guards need, enforces who may act, writes the change and its audit event. The
moves the approval flow makes (approve, reject, withdraw) are applied in ``outcomes``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import contract_states as cs
from bizops.domain.dates import parse_date
from bizops.domain.errors import Invalid
from bizops.domain.policy import Policy
from bizops.domain.validate import check_text
from bizops.i18n import N_, _
from bizops.services.approvals import open_request, void_approved
from bizops.services.contracts.access import require_contract_role
from bizops.services.contracts.approved_draft import (
    approved_draft,
    check_complete,
    require_unchanged,
)
from bizops.services.contracts.attachments import attach_file
from bizops.services.contracts.changes import record, save, snapshot
from bizops.services.contracts.listing import contract_summary
from bizops.services.contracts.seals import require_sealed
from bizops.services.contracts.statuses import AMENDMENT_PENDING, DISPUTE_OPEN
from bizops.services.contracts.terms import check_reason, not_future
from bizops.services.customers import apply_contract_stage
from bizops.services.lookup import find_contract
from bizops.services.money import outstanding_text
from bizops.services.views.contracts import ContractRow, Submission
from bizops.store.models import (
    Amendment,
    Attachment,
    Contract,
    ContractNote,
    Dispute,
    Milestone,
    User,
)


def facts(session: Session, contract: Contract, reason: str | None = None) -> cs.Facts:
    """What the guards of the lifecycle need to know about ``contract``."""
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
        money_outstanding=outstanding_text(session, contract),
    )


# Who may make each move: the act and the contract it concerns, for the refusal's words.
_MAY = {
    "submit": N_("submit contract {number}"),
    "sign": N_("sign contract {number}"),
    "activate": N_("activate contract {number}"),
    "complete": N_("complete contract {number}"),
    "terminate": N_("terminate contract {number}"),
    "archive": N_("archive contract {number}"),
    "reopen": N_("reopen contract {number}"),
}


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
    require_contract_role(session, actor, contract, _MAY[move])
    step = cs.check_move(contract.number, contract.status, move, facts(session, contract, reason))
    before = snapshot(contract)
    extra = change(contract) if change else {}
    contract.status = step.target
    save(session, contract)
    after = snapshot(contract) | extra
    record(
        session, actor, f"contract.{move}", "contract", contract.number, before=before, after=after
    )
    return contract


def submit_contract(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    policy: Policy,
    today: date,
    cc: Sequence[str] = (),
) -> Submission:
    """Open the approval request (routed by the matrix) and move draft -> pending_approval.

    The draft must be complete (its template's required fields set and valid); the request
    keeps what is approved with its hash, which signing checks. ``cc``: logins copied (抄送)."""
    contract = find_contract(session, ref)
    require_contract_role(session, actor, contract, _MAY["submit"])
    cs.check_move(contract.number, contract.status, "submit", facts(session, contract))
    check_complete(session, contract)
    before = snapshot(contract)
    request = open_request(
        session,
        actor=actor,
        contract=contract,
        policy=policy,
        today=today,
        cc=cc,
        draft=approved_draft(session, contract),
    )
    assert request.id is not None
    contract.status = cs.PENDING
    contract.submitted_on = today
    save(session, contract)
    after = snapshot(contract) | {"request": request.id, "rule": request.rule_name}
    record(
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
    file: str | Path | None = None,
) -> ContractRow:
    """approved -> signed; the customer moves to the ``signed`` stage.

    Refused (``Conflict``) when the draft differs from the approved one, or when the policy
    requires a seal (用印) and none is registered. ``file``: the signed copy, attached with
    its SHA-256 in the same transaction."""
    signed_on = not_future(parse_date(on, today, field="--on"), today, "--on")
    name = check_text(signatory, "--signatory", required=True, max_length=200)

    def change(c: Contract) -> dict[str, Any]:
        approved_hash = require_unchanged(session, c)
        if policy.seal_required:
            require_sealed(session, c)
        if c.approved_on is not None and signed_on < c.approved_on:
            raise Invalid(
                _(
                    "--on: {day} is before the approval on {approved}; "
                    "a contract is signed after it is approved"
                ).format(day=signed_on.isoformat(), approved=c.approved_on.isoformat())
            )
        c.signed_on, c.signatory = signed_on, name
        extra: dict[str, Any] = {"signed_on": signed_on, "signatory": name}
        if approved_hash:
            extra["draft_sha256"] = approved_hash
        return extra

    contract = _move(session, actor=actor, ref=ref, move="sign", change=change)
    if file is not None:
        attach_file(
            session, actor=actor, ref=contract.number, path=file, kind="signed", today=today
        )
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
) -> ContractRow:
    """signed -> active; the customer moves to ``maintenance``."""
    day = not_future(parse_date(on or today, today, field="--on"), today, "--on")

    def change(c: Contract) -> dict[str, Any]:
        if c.signed_on is not None and day < c.signed_on:
            raise Invalid(
                _("--on: {day} is before the signing on {signed}").format(
                    day=day.isoformat(), signed=c.signed_on
                )
            )
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
) -> ContractRow:
    """active -> completed, once every milestone is done and no dispute is open."""
    day = not_future(parse_date(on or today, today, field="--on"), today, "--on")

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
) -> ContractRow:
    """signed/active -> terminated, with a reason."""
    text = check_reason(reason)
    day = not_future(parse_date(on or today, today, field="--on"), today, "--on")

    def change(c: Contract) -> dict[str, Any]:
        c.terminated_on, c.termination_reason = day, text
        return {"terminated_on": day, "reason": text}

    return contract_summary(
        session, _move(session, actor=actor, ref=ref, move="terminate", reason=text, change=change)
    )


def archive_contract(
    session: Session, *, actor: User, ref: str | int, reason: str | None = None, today: date
) -> ContractRow:
    """completed/terminated -> archived: needs a signed copy attached, or a reason."""
    text = check_reason(reason, required=False)

    def change(c: Contract) -> dict[str, Any]:
        c.archived_on, c.archive_reason = today, text
        return {"archived_on": today, "reason": text}

    return contract_summary(
        session, _move(session, actor=actor, ref=ref, move="archive", reason=text, change=change)
    )


def reopen_contract(
    session: Session, *, actor: User, ref: str | int, reason: str | None, today: date
) -> ContractRow:
    """approved -> draft, voiding the approval request so that it must be approved again."""
    text = check_reason(reason)

    def change(c: Contract) -> dict[str, Any]:
        assert c.id is not None and text is not None
        voided = void_approved(session, contract_id=c.id)
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
