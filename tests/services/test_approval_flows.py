"""Approval flows as Chinese companies run them: 会签 and 或签 steps, hand-over (转交), added
signers (加签), copies (抄送), out of office, and the limits option of a rule."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.domain.policy import build_policy, merge_policy
from bizops.services import approvals
from bizops.services.policy import default_policy_data
from bizops.store.models import ApprovalCopy, AuditEvent, Contract, User
from tests.support.factories import add_user, pending_contract_row


def flow_policy(*rules: dict[str, Any], **approval: Any) -> Any:
    data = merge_policy(
        default_policy_data(),
        {"approval": {"rules": list(rules) or [{"name": "all", "chain": ["manager"]}], **approval}},
    )
    return build_policy(data)


COUNTERSIGN = flow_policy(
    {"name": "countersign", "chain": ["manager", {"all": ["legal", "finance"]}, "gm"]}
)
ANYSIGN = flow_policy({"name": "anysign", "chain": ["manager", {"any": ["legal", "gm"]}]})


def open_on(db: Any, owner: User, policy: Any, today: date, **kw: Any) -> int:
    contract = pending_contract_row(db, owner=owner, policy=policy, today=today, **kw)
    with db.write() as s:
        request = approvals.open_request(
            s, actor=owner, contract=s.get(Contract, contract.id), policy=policy, today=today
        )
        assert request.id is not None
        return request.id


def act(db: Any, verb: str, login: str, rid: int, policy: Any, today: date, **kw: Any) -> dict:
    with db.write() as s:
        actor = s.execute(select(User).where(User.login == login)).scalar_one()
        getattr(approvals, verb)(s, actor=actor, ref=rid, policy=policy, today=today, **kw)
        return dict(approvals.show_request(s, ref=rid, today=today))


def inbox(db: Any, login: str, today: date) -> list[dict]:
    with db.read() as s:
        user = s.execute(select(User).where(User.login == login)).scalar_one()
        return [dict(r) for r in approvals.pending_rows(s, user=user, today=today)]


@pytest.mark.parametrize("order", [("leo", "fay"), ("fay", "leo")])
def test_countersign_needs_every_role_in_any_order(db, team, today, order):
    rid = open_on(db, team["alice"], COUNTERSIGN, today)
    view = act(db, "approve", "mia", rid, COUNTERSIGN, today)
    assert view["chain"] == ["manager", "legal+finance", "gm"]
    assert view["current_step"] == 2 and view["current_role"] == "legal+finance"
    group = [s for s in view["steps"] if s["step"] == 2]
    assert [(s["role"], s["mode"], s["status"]) for s in group] == [
        ("legal", "all", "pending"),
        ("finance", "all", "pending"),
    ]
    # Both holders see their own row of the step.
    assert [r["role"] for r in inbox(db, "leo", today)] == ["legal"]
    assert [r["role"] for r in inbox(db, "fay", today)] == ["finance"]
    first, second = order
    view = act(db, "approve", first, rid, COUNTERSIGN, today)
    assert view["current_step"] == 2, "one approval of a 会签 step is not enough"
    assert inbox(db, first, today) == []
    view = act(db, "approve", second, rid, COUNTERSIGN, today)
    assert view["current_step"] == 3 and view["current_role"] == "gm"
    assert act(db, "approve", "gus", rid, COUNTERSIGN, today)["status"] == "approved"


def test_countersign_one_person_holding_both_roles_approves_once(db, team, today):
    add_user(db, "lou", "legal", "finance")
    rid = open_on(db, team["alice"], COUNTERSIGN, today)
    act(db, "approve", "mia", rid, COUNTERSIGN, today)
    act(db, "approve", "lou", rid, COUNTERSIGN, today)
    with pytest.raises(NotPermitted, match="lou already approved step 2"):
        act(db, "approve", "lou", rid, COUNTERSIGN, today)


def test_anysign_one_approval_completes_the_step(db, team, today):
    rid = open_on(db, team["alice"], ANYSIGN, today)
    act(db, "approve", "mia", rid, ANYSIGN, today)
    assert {r["role"] for r in inbox(db, "leo", today)} == {"legal"}
    assert {r["role"] for r in inbox(db, "gus", today)} == {"gm"}
    view = act(db, "approve", "gus", rid, ANYSIGN, today)
    assert view["status"] == "approved"
    legal = next(s for s in view["steps"] if s["role"] == "legal")
    assert legal["status"] == "cancelled"
    assert inbox(db, "leo", today) == []


def test_a_rejection_in_a_group_rejects_the_request(db, team, today):
    rid = open_on(db, team["alice"], COUNTERSIGN, today)
    act(db, "approve", "mia", rid, COUNTERSIGN, today)
    act(db, "approve", "leo", rid, COUNTERSIGN, today)
    view = act(db, "reject", "fay", rid, COUNTERSIGN, today, reason="payment terms")
    assert view["status"] == "rejected"
    assert {s["status"] for s in view["steps"] if s["step"] == 3} == {"cancelled"}


def test_limits_every_or_last(db, team, today):
    add_user(db, "ned", "manager", limit="100000")
    every = flow_policy({"name": "all", "chain": ["manager", "gm"]})
    last = flow_policy({"name": "all", "chain": ["manager", "gm"], "limits": "last"})
    rid = open_on(db, team["alice"], every, today, amount="300000")
    with pytest.raises(NotPermitted, match="ned's approval limit 100,000 does not cover"):
        act(db, "approve", "ned", rid, every, today)
    rid2 = open_on(db, team["alice"], last, today, amount="300000", customer_name="B")
    assert act(db, "approve", "ned", rid2, last, today)["current_step"] == 2


def test_a_reviewer_below_the_limit_may_reject(db, team, today, policy):
    add_user(db, "ned", "manager", limit="100000")
    rid = open_on(db, team["alice"], policy, today, amount="300000")
    view = act(db, "reject", "ned", rid, policy, today, reason="too expensive")
    assert view["status"] == "rejected"


def test_route_warns_and_submission_refuses_a_step_no_one_can_approve(db, today):
    add_user(db, "ned", "manager", limit="100000")
    add_user(db, "al", "sales")
    policy = flow_policy({"name": "all", "chain": ["manager"]})
    with db.read() as s:
        _found, warnings = approvals.route_checked(
            s, policy, type="sales", amount="300000", risk="low"
        )
    assert warnings == [
        "step 1 (manager): no active user holding manager has an approval limit that covers 300,000"
    ]
    with db.write() as s:
        al = s.execute(select(User).where(User.login == "al")).scalar_one()
    with pytest.raises(Invalid, match="no one could approve it; step 1 \\(manager\\)"):
        open_on(db, al, policy, today, amount="300000")


def test_delegate_hands_the_step_to_another_holder(db, team, today, policy):
    add_user(db, "ned", "manager")
    add_user(db, "low", "manager", limit="1000")
    rid = open_on(db, team["alice"], policy, today)
    with pytest.raises(Invalid, match="--to: .*low's approval limit 1,000 does not cover"):
        act(db, "delegate", "mia", rid, policy, today, to="low")
    with pytest.raises(Invalid, match="--to: step 1 of request .* waits for role manager"):
        act(db, "delegate", "mia", rid, policy, today, to="leo")
    view = act(db, "delegate", "mia", rid, policy, today, to="ned", comment="on leave")
    assert view["steps"][0]["assignee"] == "ned"
    assert inbox(db, "mia", today) == []
    assert [r["id"] for r in inbox(db, "ned", today)] == [rid]
    with pytest.raises(NotPermitted, match="was handed to ned"):
        act(db, "approve", "mia", rid, policy, today)
    assert act(db, "approve", "ned", rid, policy, today)["status"] == "approved"
    with db.read() as s:
        actions = [e.action for e in s.execute(select(AuditEvent)).scalars()]
    assert "approval.delegate" in actions


def test_add_signer_before_and_after(db, team, today, policy):
    rid = open_on(db, team["alice"], policy, today)
    view = act(db, "add_signer", "mia", rid, policy, today, role="legal")
    assert view["chain"] == ["manager", "legal"]
    view = act(db, "add_signer", "mia", rid, policy, today, user="fay", before=True)
    assert view["chain"] == ["finance", "manager", "legal"]
    assert view["current_role"] == "finance"
    assert view["steps"][0]["assignee"] == "fay"
    with pytest.raises(NotPermitted, match="bob may not add a signer"):
        act(db, "add_signer", "bob", rid, policy, today, role="gm")
    act(db, "approve", "fay", rid, policy, today)
    act(db, "approve", "mia", rid, policy, today)
    assert act(db, "approve", "leo", rid, policy, today)["status"] == "approved"
    with pytest.raises(Conflict, match="a signer is added only to a pending request"):
        act(db, "add_signer", "mia", rid, policy, today, role="gm")


def test_cc_from_submit_and_policy(db, team, today):
    policy = flow_policy(
        {"name": "all", "chain": ["manager"]}, cc=[{"rules": ["all"], "roles": ["gm"]}]
    )
    contract = pending_contract_row(db, owner=team["alice"], policy=policy, today=today)
    with db.write() as s:
        request = approvals.open_request(
            s,
            actor=team["alice"],
            contract=s.get(Contract, contract.id),
            policy=policy,
            today=today,
            cc=["fay"],
        )
        rid = request.id
    view = act(db, "approve", "mia", rid, policy, today)
    assert view["copied_to"] == ["fay", "gus"]
    with db.read() as s:
        sources = {c.login: c.source for c in s.execute(select(ApprovalCopy)).scalars()}
    assert sources == {"fay": "submit", "gus": "policy"}
    assert inbox(db, "fay", today) == []  # informed, not deciding


def test_away_delegation_across_its_dates(db, team, today, policy):
    add_user(db, "ned", "manager")
    rid = open_on(db, team["alice"], policy, today)
    act(db, "add_signer", "mia", rid, policy, today, user="leo")
    act(db, "approve", "mia", rid, policy, today)  # now leo's own step
    add_user(db, "lea", "legal")
    start, end = today + timedelta(days=1), today + timedelta(days=3)
    with db.write() as s:
        root = s.execute(select(User).where(User.login == "root")).scalar_one()
        approvals.set_away(
            s, actor=root, login="leo", delegate="lea", starts=start, ends=end, today=today
        )
    assert [r["id"] for r in inbox(db, "leo", today)] == [rid]
    assert inbox(db, "lea", start) and inbox(db, "lea", end)
    assert inbox(db, "leo", start) == []
    assert inbox(db, "lea", end + timedelta(days=1)) == []
    assert act(db, "approve", "lea", rid, policy, start)["status"] == "approved"


def test_away_refuses_bad_periods_and_delegates(db, team, today):
    add_user(db, "ned", "manager", limit="1000")
    with db.write() as s:
        mia = s.execute(select(User).where(User.login == "mia")).scalar_one()
        with pytest.raises(Invalid, match="--until: .* is before --from"):
            approvals.set_away(
                s,
                actor=mia,
                login="mia",
                delegate="ned",
                starts="2026-12-10",
                ends="2026-12-09",
                today=today,
            )
        with pytest.raises(Invalid, match="cannot stand in for themselves"):
            approvals.set_away(
                s,
                actor=mia,
                login="mia",
                delegate="mia",
                starts="2026-12-10",
                ends="2026-12-11",
                today=today,
            )
        with pytest.raises(Invalid, match="ned's approval limit 1,000 is below mia's"):
            approvals.set_away(
                s,
                actor=mia,
                login="mia",
                delegate="ned",
                starts="2026-12-10",
                ends="2026-12-11",
                today=today,
            )
        with pytest.raises(Invalid, match="fay does not hold the role manager"):
            approvals.set_away(
                s,
                actor=mia,
                login="mia",
                delegate="fay",
                starts="2026-12-10",
                ends="2026-12-11",
                today=today,
            )
