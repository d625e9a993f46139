"""Approvals in the policy's base currency: no rate, no submission; limits cover the converted
amount (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from bizops.domain.errors import Invalid, NotPermitted
from bizops.domain.policy import build_policy, merge_policy
from bizops.services import approvals
from bizops.services.policy import default_policy_data
from bizops.store.models import ApprovalRequest, User
from tests.support.factories import add_customer, add_user, new_contract, submit_contract


@pytest.fixture
def usd_policy():  # type: ignore[no-untyped-def]
    return build_policy(
        merge_policy(default_policy_data(), {"currency": {"base": "CNY", "rates": {"USD": 7}}})
    )


def test_a_currency_without_a_rate_cannot_be_submitted(db, team, policy, today):  # type: ignore[no-untyped-def]
    customer = add_customer(db, name="Acme", owner=team["alice"], policy=policy, today=today)
    number = new_contract(
        db, actor=team["alice"], customer=customer, policy=policy, today=today, currency="USD"
    )["number"]
    with pytest.raises(Invalid, match="no exchange rate from USD to the base currency CNY"):
        submit_contract(db, actor=team["alice"], number=number, policy=policy, today=today)
    with db.read() as session:
        assert session.execute(select(ApprovalRequest)).first() is None


def test_the_limit_covers_the_amount_in_the_base_currency(db, team, usd_policy, today):  # type: ignore[no-untyped-def]
    add_user(db, "ned", "manager", limit="100000")
    customer = add_customer(db, name="Acme", owner=team["alice"], policy=usd_policy, today=today)
    number = new_contract(
        db,
        actor=team["alice"],
        customer=customer,
        policy=usd_policy,
        today=today,
        currency="USD",
        amount="30000",
    )["number"]
    rid = submit_contract(db, actor=team["alice"], number=number, policy=usd_policy, today=today)
    with db.write() as session:
        request = session.get(ApprovalRequest, rid)
        assert request is not None and request.rule_name == "large"  # 210,000 CNY
        assert request.amount == Decimal("30000") and request.amount_in_base == Decimal("210000")
        ned = session.execute(select(User).where(User.login == "ned")).scalar_one()
        # 30,000 USD is under ned's limit of 100,000 as a number, but not as 210,000 CNY.
        with pytest.raises(NotPermitted, match="limit 100,000 does not cover the amount 210,000"):
            approvals.approve(session, actor=ned, ref=rid, policy=usd_policy, today=today)
