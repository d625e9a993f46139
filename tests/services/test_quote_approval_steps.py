"""A quote matrix with the contract matrix's step forms: 会签 and 或签 groups, the limits
option per rule, and `[[approval.cc]]` rules naming a quote rule (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bizops.domain.policy import Policy, build_policy
from bizops.services import contracts
from bizops.services.approvals.copies import copied_to
from bizops.services.policy import default_policy_data
from bizops.store.models import ApprovalRequest, Quote
from tests.support.factories import add_customer, add_product, new_quote, quote_move


def _policy(chain: list[Any], *, limits: str | None = None) -> Policy:
    data = default_policy_data()
    rule: dict[str, Any] = {"name": "discount", "line_discount_above": 5, "chain": chain}
    if limits is not None:
        rule["limits"] = limits
    data["approval"]["quote_rules"] = [rule, {"name": "list-price", "chain": []}]
    data["approval"]["cc"] = [{"rules": ["discount"], "users": ["fay"]}]
    return build_policy(data)


@pytest.fixture
def customer(db, team, policy, today):
    add_product(db, actor=team["mia"], code="P-1", price="100.00", policy=policy, today=today)
    return add_customer(db, name="华东机电", owner=team["alice"], policy=policy, today=today)


def _submit(db, team, policy, today, customer) -> str:
    q = new_quote(
        db,
        actor=team["alice"],
        customer=customer,
        policy=policy,
        today=today,
        lines=({"product": "P-1", "qty": "1", "discount": "10"},),
    )
    quote_move(db, "submit", actor=team["alice"], number=q["number"], policy=policy, today=today)
    return q["number"]


def _status(db, number: str) -> str:
    with db.read() as s:
        return s.execute(select(Quote.status).where(Quote.number == number)).scalar_one()


def test_a_countersign_group_needs_every_role(db, team, today, customer) -> None:
    policy = _policy([{"all": ["manager", "finance"]}, "gm"], limits="last")
    number = _submit(db, team, policy, today, customer)
    with db.read() as s:
        request = s.execute(select(ApprovalRequest)).scalar_one()
        assert (request.chain, request.limits) == (["manager+finance", "gm"], "last")
        assert copied_to(s, request.id) == ["fay"]
    with db.write() as s:
        contracts.approve_request(s, actor=team["mia"], ref=number, policy=policy, today=today)
    assert _status(db, number) == "pending_approval"
    for login in ("fay", "gus"):
        with db.write() as s:
            view = contracts.approve_request(
                s, actor=team[login], ref=number, policy=policy, today=today
            )
    assert view["status"] == "approved"
    assert _status(db, number) == "approved"


def test_an_any_sign_group_needs_one_approval(db, team, today, customer) -> None:
    policy = _policy([{"any": ["manager", "gm"]}])
    number = _submit(db, team, policy, today, customer)
    with db.write() as s:
        contracts.approve_request(s, actor=team["gus"], ref=number, policy=policy, today=today)
    assert _status(db, number) == "approved"
