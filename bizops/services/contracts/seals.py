"""The seal register (用印登记): a seal keeper stamps an approved contract with the contract
seal or the company seal, so many copies, before it is signed. When the policy sets
``[contracts] seal_required``, signing needs such a record for the approved draft."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import contract_states as cs
from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.domain.roles import SEAL_KEEPER
from bizops.domain.vocab import label
from bizops.i18n import _
from bizops.services.contracts.approved_draft import require_unchanged
from bizops.services.lookup import find_contract
from bizops.services.views.contracts import SealRow
from bizops.store import audit
from bizops.store.models import Contract, Seal, User

SEALS: tuple[str, ...] = ("contract", "company")  # 合同专用章 / 公章


def seal_contract(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    seal: str,
    copies: int,
    today: date,
) -> SealRow:
    """Record the sealing of an approved contract: by a seal keeper, on the approved draft."""
    contract = find_contract(session, ref)
    if not actor.has_role(SEAL_KEEPER):
        raise NotPermitted(
            _("{login} may not seal contract {number}; only a seal_keeper keeps the seals").format(
                login=actor.login, number=contract.number
            )
        )
    if seal not in SEALS:
        raise Invalid(
            _("--seal: {value}; accepted: {accepted}").format(
                value=repr(seal), accepted=", ".join(SEALS)
            )
        )
    if copies < 1:
        raise Invalid(_("--copies: {n}; at least one copy is sealed").format(n=copies))
    if contract.status != cs.APPROVED:
        raise Conflict(
            _(
                "contract {number} is {status}: only an approved contract is sealed, between its "
                "approval and its signing"
            ).format(number=contract.number, status=label("contract_state", contract.status))
        )
    approved = require_unchanged(session, contract)
    assert contract.id is not None
    row = Seal(
        contract_id=contract.id,
        seal=seal,
        copies=copies,
        draft_sha256=approved,
        sealed_on=today,
        sealed_by=actor.login,
    )
    session.add(row)
    session.flush()
    out = _row(row, contract)
    audit.record(
        session,
        actor=actor.login,
        action="contract.seal",
        entity_type="contract",
        entity_id=contract.number,
        after=dict(out),
    )
    return out


def _row(row: Seal, contract: Contract) -> SealRow:
    assert row.id is not None
    return {
        "id": row.id,
        "contract": contract.number,
        "title": contract.title,
        "seal": row.seal,
        "copies": row.copies,
        "draft_sha256": row.draft_sha256,
        "sealed_on": row.sealed_on,
        "sealed_by": row.sealed_by,
    }


def seal_log(session: Session, *, contract: str | None = None) -> list[SealRow]:
    """The register, newest first; ``contract``: only its seals."""
    query = (
        select(Seal, Contract)
        .join(Contract, col(Contract.id) == col(Seal.contract_id))
        .order_by(col(Seal.id).desc())
    )
    if contract:
        found = find_contract(session, contract, field="--contract")
        query = query.where(col(Seal.contract_id) == found.id)
    return [_row(s, c) for s, c in session.execute(query).all()]


def require_sealed(session: Session, contract: Contract) -> None:
    """``Conflict`` unless a seal was registered since the contract's approval."""
    found = session.execute(
        select(col(Seal.id)).where(
            col(Seal.contract_id) == contract.id,
            col(Seal.sealed_on) >= (contract.approved_on or date.min),
        )
    ).first()
    if found is None:
        raise Conflict(
            _(
                "contract {number} is not sealed; the policy requires a seal before signing: "
                "`bizops contract seal {number} --seal contract --copies 2` (by a seal_keeper)"
            ).format(number=contract.number)
        )
