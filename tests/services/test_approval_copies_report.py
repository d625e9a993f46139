"""抄送 in the daily report: people copied on a request see it while it is pending and the day
after it is decided; they do not decide it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bizops.i18n import set_language
from bizops.services import approvals
from bizops.services import reports as svc
from bizops.store.models import Contract, User
from tests.services.test_approval_flows import act, flow_policy
from tests.services.test_quote_approval_steps import _policy as quote_cc_policy
from tests.support.factories import (
    add_customer,
    add_product,
    new_quote,
    pending_contract_row,
    quote_move,
)

POLICY = flow_policy(
    {"name": "all", "chain": ["manager"]}, cc=[{"rules": ["all"], "roles": ["gm"]}]
)


def _submit(db: Any, owner: User, today: Any) -> int:
    contract = pending_contract_row(db, owner=owner, policy=POLICY, today=today)
    with db.write() as s:
        request = approvals.open_request(
            s,
            actor=owner,
            contract=s.get(Contract, contract.id),
            policy=POLICY,
            today=today,
            cc=["fay"],
        )
        assert request.id is not None
        return request.id


def _copied(db: Any, today: Any, **kw: Any) -> dict[str, list[dict[str, Any]]]:
    with db.read() as s:
        root = s.execute(select(User).where(User.login == "root")).scalar_one()
        reports = svc.daily_reports(s, actor=root, policy=POLICY, today=today, everyone=True, **kw)
    return {r["user"]: r["approvals_copied"] for r in reports}


def test_copied_people_see_the_request_while_pending(db, team, today):
    rid = _submit(db, team["alice"], today)
    copied = _copied(db, today)
    assert {login for login, items in copied.items() if items} == {"fay", "gus"}
    (item,) = copied["fay"]
    assert item["id"] == rid and item["status"] == "pending" and item["role"] == "manager"
    assert item["step"] == 1 and item["steps"] == 1 and item["submitted_by"] == "alice"
    assert item["action"].startswith("For your information: ")
    assert f"is at step 1 of 1 (manager); `bizops approval show {rid}`" in item["action"]
    with db.read() as s:
        root = s.execute(select(User).where(User.login == "root")).scalar_one()
        (gus,) = [
            r
            for r in svc.daily_reports(s, actor=root, policy=POLICY, today=today, everyone=True)
            if r["user"] == "gus"
        ]
    assert gus["counts"]["approvals_copied"] == 1 and gus["approvals_waiting"] == []


def test_the_outcome_is_shown_the_day_after_then_dropped(db, team, today):
    rid = _submit(db, team["alice"], today)
    act(db, "approve", "mia", rid, POLICY, today)
    (item,) = _copied(db, today + timedelta(days=1))["gus"]
    assert item["status"] == "approved" and item["closed_on"] == today.isoformat()
    assert f"was approved on {today.isoformat()}" in item["action"]
    assert _copied(db, today + timedelta(days=2))["gus"] == []


def test_copies_in_chinese(db, team, today):
    _submit(db, team["alice"], today)
    set_language("zh")
    try:
        (item,) = _copied(db, today)["fay"]
    finally:
        set_language("en")
    assert item["action"].startswith("抄送知会：")
    assert "（经理）" in item["action"] and item["role"] == "manager"


def test_quote_requests_are_copied_too(db, team, policy, today):
    quote_policy = quote_cc_policy(["manager"])
    add_product(db, actor=team["mia"], code="P-1", price="100.00", policy=policy, today=today)
    customer = add_customer(db, name="华东机电", owner=team["alice"], policy=policy, today=today)
    quote = new_quote(
        db,
        actor=team["alice"],
        customer=customer,
        policy=quote_policy,
        today=today,
        lines=({"product": "P-1", "qty": "1", "discount": "10"},),
    )
    quote_move(
        db, "submit", actor=team["alice"], number=quote["number"], policy=quote_policy, today=today
    )
    with db.read() as s:
        root = s.execute(select(User).where(User.login == "root")).scalar_one()
        (fay,) = [
            r
            for r in svc.daily_reports(
                s, actor=root, policy=quote_policy, today=today, everyone=True
            )
            if r["user"] == "fay"
        ]
    (item,) = fay["approvals_copied"]
    assert (item["contract"], item["customer"], item["title"]) == (
        quote["number"],
        "华东机电",
        "华东机电",
    )
    assert item["amount"] == "101.70" and item["status"] == "pending" and not item["amendment"]
    assert item["action"].startswith(
        f"For your information: quote {quote['number']} (华东机电, 101.70 CNY), submitted by alice"
    )
    set_language("zh")
    try:
        with db.read() as s:
            root = s.execute(select(User).where(User.login == "root")).scalar_one()
            reports = svc.daily_reports(
                s, actor=root, policy=quote_policy, today=today, everyone=True
            )
    finally:
        set_language("en")
    (item,) = next(r for r in reports if r["user"] == "fay")["approvals_copied"]
    assert f"报价单 {quote['number']}（华东机电" in item["action"]
