"""`contract show`: one contract with everything around it."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bizops.domain import contract_states as cs
from bizops.services.approvals import requests_of
from bizops.services.contracts.amendments import amendments_of
from bizops.services.contracts.attachments import list_attachments
from bizops.services.contracts.disputes import list_disputes
from bizops.services.contracts.drafts import notes_of
from bizops.services.contracts.lifecycle import facts
from bizops.services.contracts.listing import contract_summary
from bizops.services.contracts.milestones import milestones_of
from bizops.services.lookup import find_contract
from bizops.services.templates import drafts_of
from bizops.services.views.contracts import BlockedMove, ContractShow
from bizops.store.models import Contract


def _moves(session: Session, contract: Contract) -> tuple[list[str], list[BlockedMove]]:
    """The moves allowed now, and those the guards block with the reasons."""
    known = facts(session, contract)
    blocked: list[BlockedMove] = [
        {"move": name, "reason": "; ".join(problems)}
        for name, problems in cs.blocked_moves(contract.status, known).items()
    ]
    return cs.allowed_moves(contract.status, known), blocked


def show_contract(session: Session, *, ref: str | int, today: date) -> ContractShow:
    """One contract: its terms, dates, allowed and blocked moves, notes, milestones,
    disputes, attachments, amendments, approval requests and drafts."""
    contract = find_contract(session, ref)
    cid = contract.id
    assert cid is not None
    allowed, blocked = _moves(session, contract)
    return {
        **contract_summary(session, contract),
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
        "allowed_moves": allowed,
        "blocked_moves": blocked,
        "notes": notes_of(session, contract_id=cid),
        "milestones": milestones_of(session, contract=contract, today=today),
        "disputes": list_disputes(session, contract=contract.number),
        "attachments": list_attachments(session, contract=contract),
        "amendments": amendments_of(session, contract_id=cid),
        "approval_requests": requests_of(session, contract_id=cid),
        "drafts": drafts_of(session, contract_id=cid),
    }
