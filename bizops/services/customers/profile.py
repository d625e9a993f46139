"""One customer as the service returns it, as the audit log keeps it, and its audit events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.money import money_str
from bizops.services.customers.views import CustomerView
from bizops.services.followups import open_followup
from bizops.store import audit
from bizops.store.models import Customer, CustomerTag, User

__all__ = ["customer_view"]


def tags_of(session: Session, customer_id: int) -> list[str]:
    return list(
        session.execute(
            select(col(CustomerTag.tag))
            .where(col(CustomerTag.customer_id) == customer_id)
            .order_by(col(CustomerTag.tag))
        ).scalars()
    )


def login_of(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.login if user else str(user_id)


def customer_view(session: Session, customer: Customer) -> CustomerView:
    """The customer as a plain dict: the documented keys id, code, name, grade, stage, owner, and more."""
    assert customer.id is not None
    followup = open_followup(session, customer.id)
    return {
        "id": customer.id,
        "code": customer.code,
        "name": customer.name,
        "grade": customer.grade,
        "stage": customer.stage,
        "owner": login_of(session, customer.owner_id),
        "industry": customer.industry,
        "region": customer.region,
        "source": customer.source,
        "potential": customer.potential,
        "intent": customer.intent,
        "tags": tags_of(session, customer.id),
        "next_due": followup.due if followup else None,
        "last_contact": customer.last_contact_on,
        "cadence": customer.cadence_days,
        "stage_since": customer.stage_since,
        "created": customer.created_on,
        "archived": customer.archived_on,
    }


def snapshot(session: Session, customer: Customer) -> dict[str, Any]:
    """What the audit log keeps of a customer."""
    assert customer.id is not None
    return {
        "code": customer.code,
        "name": customer.name,
        "grade": customer.grade,
        "stage": customer.stage,
        "owner": login_of(session, customer.owner_id),
        "industry": customer.industry,
        "region": customer.region,
        "source": customer.source,
        "potential": money_str(customer.potential),
        "intent": customer.intent,
        "needs": customer.needs,
        "note": customer.note,
        "cadence": customer.cadence_days,
        "tags": tags_of(session, customer.id),
        "archived": customer.archived_on,
    }


def record(
    session: Session,
    actor: User,
    action: str,
    customer: Customer,
    *,
    before: Any = None,
    after: Any = None,
) -> None:
    """One audit event about ``customer``, in the caller's transaction."""
    audit.record(
        session,
        actor=actor.login,
        action=action,
        entity_type="customer",
        entity_id=customer.code,
        before=before,
        after=after,
    )


def now() -> datetime:
    return datetime.now(UTC)
