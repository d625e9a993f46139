"""Disputes about a contract in force; an open one blocks completing and archiving it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import contract_states as cs
from bizops.domain.errors import Conflict, Invalid, NotFound
from bizops.domain.roles import LEGAL
from bizops.domain.validate import check_text
from bizops.domain.vocab import label, labels
from bizops.i18n import N_, _
from bizops.services.contracts.access import require_contract_role
from bizops.services.contracts.changes import record, save
from bizops.services.contracts.statuses import DISPUTE_OPEN, DISPUTE_RESOLVED
from bizops.services.lookup import as_id, find_contract
from bizops.services.views.contracts import DisputeRow
from bizops.store.models import Contract, Dispute, User
from bizops.store.scope import scope_of


def _dispute(session: Session, ref: str | int) -> Dispute:
    text = str(ref).strip().lstrip("#")
    if not text.isdigit():
        raise Invalid(
            _("dispute: {ref!r} is not a dispute id (a number, see `dispute list`)").format(ref=ref)
        )
    row_id = as_id(text)
    found = session.get(Dispute, row_id) if row_id is not None else None
    if found is None:
        raise NotFound(
            _("dispute: no dispute #{id}; see `bizops contract dispute list`").format(id=text)
        )
    return found


def _dispute_row(d: Dispute, number: str) -> DisputeRow:
    assert d.id is not None
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
) -> DisputeRow:
    """A dispute about a contract in force; it blocks completing and archiving."""
    contract = find_contract(session, ref)
    require_contract_role(
        session, actor, contract, N_("open a dispute on contract {number}"), also=(LEGAL,)
    )
    if contract.status not in cs.IN_FORCE:
        raise Conflict(
            _(
                "contract {number} is {status}; disputes concern a contract "
                "that was signed ({states})"
            ).format(
                number=contract.number,
                status=label("contract_state", contract.status),
                states=labels("contract_state", cs.IN_FORCE),
            )
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
    save(session, dispute)
    row = _dispute_row(dispute, contract.number)
    record(session, actor, "dispute.open", "dispute", dispute.id or 0, after=row)
    return row


def resolve_dispute(
    session: Session, *, actor: User, ref: str | int, resolution: str, today: date
) -> DisputeRow:
    dispute = _dispute(session, ref)
    contract = session.get(Contract, dispute.contract_id)
    assert contract is not None
    require_contract_role(
        session, actor, contract, N_("resolve disputes of contract {number}"), also=(LEGAL,)
    )
    if dispute.status != DISPUTE_OPEN:
        raise Conflict(
            _("dispute #{id} is already resolved (on {day})").format(
                id=dispute.id, day=dispute.resolved_on
            )
        )
    text = check_text(resolution, "--resolution", required=True, max_length=5000)
    before = _dispute_row(dispute, contract.number)
    dispute.status = DISPUTE_RESOLVED
    dispute.resolution, dispute.resolved_on, dispute.resolved_by = text, today, actor.login
    save(session, dispute)
    row = _dispute_row(dispute, contract.number)
    record(session, actor, "dispute.resolve", "dispute", dispute.id or 0, before=before, after=row)
    return row


def list_disputes(
    session: Session, *, contract: str | int | None = None, open_only: bool = False
) -> list[DisputeRow]:
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
    query = scope_of(session).only_contracts(query)
    return [_dispute_row(d, number) for d, number in session.execute(query)]
