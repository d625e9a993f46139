"""Grades: set by hand with a reason, suggested by the policy's rules, or regraded in bulk."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from bizops.domain.customer_fields import parse_grade
from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.domain.policy import Policy
from bizops.domain.roles import ADMIN, MANAGER
from bizops.domain.validate import check_text
from bizops.services.customers.permissions import require_active, require_may_change
from bizops.services.customers.profile import customer_view, record
from bizops.services.customers.views import (
    GradeChangeView,
    GradeSuggestion,
    RegradeChange,
    RegradeRow,
)
from bizops.services.followups import reschedule_open_followup
from bizops.services.lookup import find_customer
from bizops.store.models import Customer, User

__all__ = ["regrade", "regrade_row", "set_grade", "suggest_grade"]


def set_grade(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    grade: str,
    reason: str | None,
    policy: Policy,
    today: date,
) -> GradeChangeView:
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    require_active(customer)
    grade = parse_grade(grade, "grade")
    reason = check_text(reason, "--reason", max_length=2000)
    if grade == customer.grade:
        raise Conflict(f"grade: {customer.code} is already grade {grade}")
    if reason is None:
        raise Invalid(
            f"grade: changing {customer.code} from {customer.grade} to {grade} needs --reason"
        )
    before = customer.grade
    customer.grade = grade
    session.add(customer)
    session.flush()
    reschedule_open_followup(session, customer=customer, policy=policy, today=today)
    record(
        session,
        actor,
        "customer.grade",
        customer,
        before={"grade": before},
        after={"grade": grade, "reason": reason},
    )
    return {**customer_view(session, customer), "from_grade": before}


def suggest_grade(session: Session, *, ref: str | int, policy: Policy) -> GradeSuggestion:
    """The grade the policy's rules suggest, and why: "potential 1,200,000 >= 1,000,000: A"."""
    customer = find_customer(session, ref)
    suggested, why = policy.suggest_grade(customer.potential, customer.intent)
    return {
        "code": customer.code,
        "name": customer.name,
        "grade": customer.grade,
        "suggested": suggested,
        "why": why,
        "potential": customer.potential,
        "intent": customer.intent,
        "changes": suggested != customer.grade,
    }


def regrade(
    session: Session,
    *,
    actor: User | None,
    policy: Policy,
    today: date,
    dry_run: bool = True,
) -> list[RegradeChange]:
    """Every active customer whose grade differs from the policy's suggestion.

    With ``dry_run`` nothing changes. Otherwise (managers and admins only) each listed
    customer gets the suggested grade, one ``customer.grade`` audit event per customer (so
    each customer's own history shows it), and a rescheduled follow-up.
    """
    c = Customer.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(
        select(c.id, c.code, c.name, c.grade, c.potential, c.intent)
        .where(c.archived_on.is_(None))
        .order_by(c.code)
    ).all()
    changes: list[RegradeChange] = []
    for cid, code, name, grade, potential, intent in rows:
        suggested, why = policy.suggest_grade(potential, intent)
        if suggested != grade:
            changes.append(
                {"id": cid, "code": code, "name": name, "from": grade, "to": suggested, "why": why}
            )
    if dry_run:
        return changes
    if actor is None or not (actor.has_role(MANAGER) or actor.has_role(ADMIN)):
        who = f"{actor.login} is {', '.join(actor.role_list)}" if actor else "nobody is acting"
        raise NotPermitted(f"only a manager or admin may regrade all customers; {who}")
    for change in changes:
        customer = session.get(Customer, change["id"])
        assert customer is not None
        customer.grade = change["to"]
        session.add(customer)
        session.flush()
        reschedule_open_followup(session, customer=customer, policy=policy, today=today)
        record(
            session,
            actor,
            "customer.grade",
            customer,
            before={"grade": change["from"]},
            after={"grade": change["to"], "reason": f"regrade: {change['why']}"},
        )
    return changes


def regrade_row(change: RegradeChange) -> RegradeRow:
    """A change as `customer regrade` lists it (without the internal id)."""
    return {
        "code": change["code"],
        "name": change["name"],
        "from": change["from"],
        "to": change["to"],
        "why": change["why"],
    }
