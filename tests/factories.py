"""Quick records for tests of areas that need customers before the customer service exists.

Prefer the real services (bizops.services.customers.add_customer) where they exist.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bizops.domain.policy import Policy
from bizops.domain.text import name_key
from bizops.services.followups import open_first_followup
from bizops.store.counters import next_value
from bizops.store.engine import Database
from bizops.store.models import Customer, StageChange, User


def insert_customer(
    db: Database,
    *,
    name: str,
    owner: User,
    policy: Policy,
    today: date,
    grade: str = "B",
    stage: str = "prospect",
) -> Customer:
    with db.write() as session:
        seq = next_value(session, "customer")
        customer = Customer(
            code=policy.customer_code.format(seq=seq),
            name=name,
            name_key=name_key(name),
            grade=grade,
            stage=stage,
            owner_id=owner.id,
            stage_since=today,
            created_on=today,
            created_at=datetime.now(UTC),
        )
        session.add(customer)
        session.flush()
        session.add(
            StageChange(
                customer_id=customer.id,
                from_stage=None,
                to_stage=stage,
                on=today,
                at=datetime.now(UTC),
                actor=owner.login,
                reason="created",
            )
        )
        open_first_followup(session, customer=customer, policy=policy, today=today)
        return customer
