"""Writing a change to a contract: the rows saved, and the audit event with its snapshot."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from bizops.domain.money import money_str
from bizops.services.contracts.terms import json_safe, template_ref
from bizops.store import audit
from bizops.store.models import Contract, User

if TYPE_CHECKING:
    from bizops.services.templates import StandardAssessment


def snapshot(contract: Contract) -> dict[str, Any]:
    """The contract's terms and status as an audit event records them."""
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
        "template": template_ref(contract.template_name, contract.template_version),
        "fields": contract.fields,
        "non_standard": contract.non_standard,
        "notice_days": contract.notice_days,
    }


def apply_assessment(contract: Contract, assessment: StandardAssessment) -> None:
    """Record the template, the normalised field values and whether the contract is standard."""
    contract.template_name = assessment.template_name
    contract.template_version = assessment.template_version
    contract.fields = json_safe(dict(assessment.values))
    contract.non_standard = bool(assessment.non_standard)
    contract.non_standard_reasons = [str(r) for r in assessment.reasons]


def record(
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


def save(session: Session, *rows: Any) -> None:
    for row in rows:
        session.add(row)
    session.flush()
