"""Approvals together with the contracts service: submit, decide (the contracts use case that
decides and applies the outcome), and the contract moves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from bizops.domain.errors import Invalid
from bizops.services import approvals, contracts
from bizops.store.models import Contract, User
from tests.support.factories import add_customer, new_contract, submitted_contract


def as_user(s: Any, login: str) -> User:
    return s.execute(select(User).where(User.login == login)).scalar_one()


def new_submitted(
    db: Any, team: Any, policy: Any, today: date, *, amount: str, risk: str = "low"
) -> tuple[str, int]:
    customer = add_customer(db, name="南方电子", owner=team["alice"], policy=policy, today=today)
    return submitted_contract(
        db,
        actor=team["alice"],
        customer=customer,
        title="年度供货",
        amount=amount,
        risk=risk,
        policy=policy,
        today=today,
    )


def status_of(db: Any, number: str) -> str:
    with db.read() as s:
        return s.execute(select(Contract.status).where(Contract.number == number)).scalar_one()


def act(db: Any, verb: str, login: str, rid: int, policy: Any, today: date, **kw: Any) -> dict:
    with db.write() as s:
        view = getattr(contracts, f"{verb}_request")(
            s, actor=as_user(s, login), ref=rid, policy=policy, today=today, **kw
        )
        return dict(view)


def test_last_approval_approves_the_contract(db, team, policy, today):
    number, rid = new_submitted(db, team, policy, today, amount="250000")
    assert status_of(db, number) == "pending_approval"
    act(db, "approve", "mia", rid, policy, today)
    act(db, "approve", "fay", rid, policy, today)
    assert status_of(db, number) == "pending_approval"
    view = act(db, "approve", "leo", rid, policy, today)
    assert view["status"] == "approved"
    assert status_of(db, number) == "approved"


def test_rejection_sends_the_contract_back_to_draft(db, team, policy, today):
    number, rid = new_submitted(db, team, policy, today, amount="1000", risk="high")
    act(db, "approve", "mia", rid, policy, today)
    act(db, "reject", "leo", rid, policy, today, reason="indemnity unlimited")
    assert status_of(db, number) == "draft"
    # It can be submitted again: a fresh request, routed again.
    with db.write() as s:
        again = contracts.submit_contract(
            s, actor=as_user(s, "alice"), ref=number, policy=policy, today=today
        )
    assert again["request"] != rid
    assert status_of(db, number) == "pending_approval"


def test_withdrawal_sends_the_contract_back_to_draft(db, team, policy, today):
    number, rid = new_submitted(db, team, policy, today, amount="1000")
    act(db, "withdraw", "alice", rid, policy, today)
    assert status_of(db, number) == "draft"


def test_a_decision_alone_leaves_the_contract_to_the_contracts_service(db, team, policy, today):
    """approvals.approve decides and says how the request stands; applying it is separate."""
    number, rid = new_submitted(db, team, policy, today, amount="1000")  # manager, legal
    with db.write() as s:
        first = approvals.approve(s, actor=as_user(s, "mia"), ref=rid, policy=policy, today=today)
        assert (first.request_id, first.status, first.closed) == (rid, "pending", False)
        contracts.apply_outcome(s, outcome=first, actor=as_user(s, "mia"), today=today)
    assert status_of(db, number) == "pending_approval"
    with db.write() as s:
        last = approvals.approve(s, actor=as_user(s, "leo"), ref=rid, policy=policy, today=today)
        assert (last.status, last.closed, last.about) == ("approved", True, "contract")
        assert s.get(Contract, last.contract_id).status == "pending_approval"
        contracts.apply_outcome(s, outcome=last, actor=as_user(s, "leo"), today=today)
    assert status_of(db, number) == "approved"


def test_amendment_is_routed_on_amended_terms_and_applies_when_approved(db, team, policy, today):
    number, rid = new_submitted(db, team, policy, today, amount="150000")
    with db.read() as s:
        assert approvals.show_request(s, ref=rid, today=today)["chain"] == ["manager", "legal"]
    act(db, "approve", "mia", rid, policy, today)
    act(db, "approve", "leo", rid, policy, today)
    with db.write() as s:
        contracts.sign_contract(
            s,
            actor=as_user(s, "alice"),
            ref=number,
            on=today,
            signatory="王明",
            policy=policy,
            today=today,
        )
        amended = contracts.amend_contract(
            s,
            actor=as_user(s, "alice"),
            ref=number,
            changes={"amount": "120万"},
            reason="scope doubled",
            policy=policy,
            today=today,
        )
    arid = amended["request"]
    with db.read() as s:
        view = approvals.show_request(s, ref=arid, today=today)
    assert view["rule"] == "major" and view["amount"] == Decimal("1200000.00")
    assert view["amendment"] is not None
    for login in ("mia", "fay", "leo"):
        # mia approved the original request but this is a new request: she may approve again.
        act(db, "approve", login, arid, policy, today)
    assert status_of(db, number) == "signed"
    act(db, "approve", "gus", arid, policy, today)
    with db.read() as s:
        amount = s.execute(select(Contract.amount).where(Contract.number == number)).scalar_one()
    assert amount == Decimal("1200000.00")


def test_submit_refused_when_the_matrix_leaves_the_contract_unrouted(db, team, policy, today):
    import dataclasses

    from bizops.domain.policy import ApprovalRule

    partial = dataclasses.replace(
        policy,
        approval_rules=(ApprovalRule(name="big", chain=("gm",), amount_min=Decimal("500000")),),
    )
    customer = add_customer(db, name="西部物流", owner=team["alice"], policy=policy, today=today)
    number = new_contract(
        db,
        actor=team["alice"],
        customer=customer,
        type="service",
        title="运输",
        amount="9000",
        risk="medium",
        policy=policy,
        today=today,
    )["number"]
    with pytest.raises(Invalid) as exc, db.write() as s:
        contracts.submit_contract(
            s, actor=as_user(s, "alice"), ref=number, policy=partial, today=today
        )
    assert "type service, amount 9,000, risk medium, non-standard" in exc.value.message
    assert status_of(db, number) == "draft"
