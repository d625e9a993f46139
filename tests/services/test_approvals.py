"""Approval requests through the services: routing, steps in order, enforcement, SLA, audit."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.domain.policy import ApprovalRule, build_policy
from bizops.services import approvals
from bizops.services.policy import default_policy_data
from bizops.store.models import Amendment, ApprovalRequest, AuditEvent, Contract, User
from tests.support.factories import add_user, pending_contract_row
from tests.support.queries import count_rows

MONDAY = date(2026, 11, 30)


# The decisions that closed a request, as (request, outcome, who decided): what the outcomes
# returned by the approvals service tell their caller (the contracts service applies them).
CLOSED: list[tuple[int, str, str]] = []


@pytest.fixture
def closed() -> list[tuple[int, str, str]]:
    CLOSED.clear()
    return CLOSED


def submit(db: Any, contract: Contract, actor: User, policy: Any, today: date, **kw: Any) -> int:
    with db.write() as s:
        request = approvals.open_request(
            s, actor=actor, contract=s.get(Contract, contract.id), policy=policy, today=today, **kw
        )
        assert request.id is not None
        return request.id


def decide(
    db: Any, verb: str, login: str, request_id: int | str, policy: Any, today: date, **kw: Any
) -> dict:
    """Decide with the approvals service alone; returns the request as `approval show` has it."""
    with db.write() as s:
        actor = s.execute(select(User).where(User.login == login)).scalar_one()
        outcome = getattr(approvals, verb)(
            s, actor=actor, ref=request_id, policy=policy, today=today, **kw
        )
        assert isinstance(outcome, approvals.Outcome) and outcome.about == "contract"
        if outcome.closed:
            CLOSED.append((outcome.request_id, outcome.status, login))
        return dict(approvals.show_request(s, ref=outcome.request_id, today=today))


def show(db: Any, request_id: int, today: date) -> dict:
    with db.read() as s:
        return approvals.show_request(s, ref=request_id, today=today)


def last_event(db: Any) -> tuple[str, str, str]:
    with db.read() as s:
        event = s.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()
        return event.action, event.actor, event.after or ""


def test_open_request_snapshots_rule_and_steps(db, team, policy, today, closed):
    contract = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, amount="250000"
    )
    before = count_rows(db, AuditEvent)
    rid = submit(db, contract, team["alice"], policy, today)
    view = show(db, rid, today)
    assert view["rule"] == "large"
    assert view["chain"] == ["manager", "finance", "legal"]
    assert view["reason"] == (
        "rule 'large': amount 250,000 >= 200,000 (rules before it did not match: "
        "high-risk needs risk high; major needs amount >= 1,000,000)"
    )
    assert view["status"] == "pending" and view["current_step"] == 1
    assert view["amount"] == Decimal("250000.00")
    steps = view["steps"]
    assert [(s["step"], s["role"], s["status"]) for s in steps] == [
        (1, "manager", "pending"),
        (2, "finance", "waiting"),
        (3, "legal", "waiting"),
    ]
    # Friday + 2 working days = Tuesday.
    assert steps[0]["waiting_since"] == today and steps[0]["due"] == date(2026, 12, 1)
    assert steps[1]["due"] is None
    assert count_rows(db, AuditEvent) == before + 1
    action, actor, _ = last_event(db)
    assert (action, actor) == ("approval.open", "alice")
    assert closed == []


def test_second_open_request_is_a_conflict(db, team, policy, today, closed):
    contract = pending_contract_row(db, owner=team["alice"], policy=policy, today=today)
    rid = submit(db, contract, team["alice"], policy, today)
    with pytest.raises(Conflict, match=f"already has pending approval request {rid}"):
        submit(db, contract, team["alice"], policy, today)


def test_full_four_step_approval(db, team, policy, today, closed):
    contract = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, risk="high", amount="80000"
    )
    rid = submit(db, contract, team["alice"], policy, today)
    assert show(db, rid, today)["chain"] == ["manager", "legal", "finance", "gm"]
    before = count_rows(db, AuditEvent)
    days = [today, MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)]
    for login, day in zip(("mia", "leo", "fay", "gus"), days, strict=True):
        view = decide(db, "approve", login, rid, policy, day, comment=f"ok from {login}")
    assert view["status"] == "approved" and view["closed_on"] == days[-1]
    assert [
        (s["status"], s["decided_by"], s["decided_on"], s["comment"]) for s in view["steps"]
    ] == [
        ("approved", "mia", days[0], "ok from mia"),
        ("approved", "leo", days[1], "ok from leo"),
        ("approved", "fay", days[2], "ok from fay"),
        ("approved", "gus", days[3], "ok from gus"),
    ]
    # Each later step became pending the day the one before was approved.
    assert view["steps"][1]["waiting_since"] == days[0]
    assert view["steps"][1]["due"] == date(2026, 12, 1)
    assert closed == [(rid, "approved", "gus")]
    assert count_rows(db, AuditEvent) == before + 4
    with pytest.raises(Conflict, match="is approved, not pending"):
        decide(db, "approve", "gus", rid, policy, today)


def test_rejection_at_step_three_cancels_the_rest(db, team, policy, today, closed):
    contract = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, amount="1000000"
    )
    rid = submit(db, contract, team["alice"], policy, today)
    assert show(db, rid, today)["rule"] == "major"
    decide(db, "approve", "mia", rid, policy, today)
    decide(db, "approve", "fay", rid, policy, today)
    before = count_rows(db, AuditEvent)
    view = decide(db, "reject", "leo", rid, policy, today, reason="liability clause unacceptable")
    assert view["status"] == "rejected"
    assert [s["status"] for s in view["steps"]] == ["approved", "approved", "rejected", "cancelled"]
    assert view["steps"][2]["comment"] == "liability clause unacceptable"
    assert closed == [(rid, "rejected", "leo")]
    assert count_rows(db, AuditEvent) == before + 1
    action, actor, after = last_event(db)
    assert (action, actor) == ("approval.reject", "leo")
    assert "liability clause unacceptable" in after


def test_rejection_needs_a_reason(db, team, policy, today, closed):
    contract = pending_contract_row(db, owner=team["alice"], policy=policy, today=today)
    rid = submit(db, contract, team["alice"], policy, today)
    for reason in (None, "", "   "):
        with pytest.raises(Invalid, match="--reason"):
            decide(db, "reject", "mia", rid, policy, today, reason=reason)
    assert show(db, rid, today)["status"] == "pending"
    assert closed == []


def test_withdraw_only_by_the_submitter(db, team, policy, today, closed):
    contract = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, amount="300000"
    )
    rid = submit(db, contract, team["alice"], policy, today)
    decide(db, "approve", "mia", rid, policy, today)
    for login in ("bob", "root", "fay"):
        with pytest.raises(NotPermitted, match="only the submitter \\(alice\\)"):
            decide(db, "withdraw", login, rid, policy, today)
    before = count_rows(db, AuditEvent)
    view = decide(db, "withdraw", "alice", rid, policy, today, reason="customer asked for changes")
    assert view["status"] == "withdrawn"
    assert [s["status"] for s in view["steps"]] == ["approved", "cancelled", "cancelled"]
    assert view["steps"][1]["comment"] == "withdrawn: customer asked for changes"
    assert closed == [(rid, "withdrawn", "alice")]
    assert count_rows(db, AuditEvent) == before + 1
    with pytest.raises(Conflict, match="withdrawn, not pending"):
        decide(db, "withdraw", "alice", rid, policy, today)


def test_unknown_request_is_not_found(db, team, policy, today, closed):
    with pytest.raises(NotFound, match="no approval request 999"):
        decide(db, "approve", "mia", 999, policy, today)
    with pytest.raises(NotFound), db.read() as s:
        approvals.show_request(s, ref="HT-2099-0001", today=today)


def test_request_found_by_contract_number(db, team, policy, today, closed):
    contract = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, number="HT-2026-0042"
    )
    rid = submit(db, contract, team["alice"], policy, today)
    view = decide(db, "approve", "mia", "ht-2026-0042", policy, today)
    assert view["id"] == rid and view["status"] == "approved"


# --- enforcement -------------------------------------------------------------------------------


def test_approver_must_hold_the_steps_role(db, team, policy, today, closed):
    contract = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, amount="300000"
    )
    rid = submit(db, contract, team["alice"], policy, today)
    with pytest.raises(NotPermitted, match="waits for role manager; fay holds finance") as exc:
        decide(db, "approve", "fay", rid, policy, today)
    assert "their role finance comes at step 2" in exc.value.message
    with pytest.raises(NotPermitted, match="waits for role manager; root holds admin"):
        decide(db, "approve", "root", rid, policy, today)
    assert show(db, rid, today)["steps"][0]["status"] == "pending"


def test_submitter_and_owner_may_not_approve(db, team, policy, today, closed):
    # A manager who owns a contract and submits it.
    max_ = add_user(db, "max", "sales", "manager")
    add_user(db, "meg", "manager")
    contract = pending_contract_row(db, owner=max_, policy=policy, today=today)
    rid = submit(db, contract, max_, policy, today)
    with pytest.raises(NotPermitted, match="max submitted request 1 and may not approve it"):
        decide(db, "approve", "max", rid, policy, today)
    with pytest.raises(NotPermitted, match="max submitted request"):
        decide(db, "reject", "max", rid, policy, today, reason="x")
    # Owned by max, submitted by his manager colleague: max still may not approve.
    other = pending_contract_row(
        db, owner=max_, policy=policy, today=today, customer_name="Acme Ltd"
    )
    rid2 = submit(db, other, team["mia"], policy, today)
    with pytest.raises(NotPermitted, match="max owns contract HT-2026-0002"):
        decide(db, "approve", "max", rid2, policy, today)
    assert decide(db, "approve", "meg", rid2, policy, today)["status"] == "approved"


def test_one_person_approves_at_most_one_step(db, team, policy, today, closed):
    add_user(db, "kim", "manager", "finance")
    contract = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, amount="500000"
    )
    rid = submit(db, contract, team["alice"], policy, today)
    decide(db, "approve", "kim", rid, policy, today)
    with pytest.raises(NotPermitted, match="kim already approved step 1 \\(manager\\)"):
        decide(db, "approve", "kim", rid, policy, today)
    assert show(db, rid, today)["current_step"] == 2
    decide(db, "approve", "fay", rid, policy, today)


def test_approval_limit_must_cover_the_amount(db, team, policy, today, closed):
    add_user(db, "ned", "manager", limit="100000")
    contract = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, amount="100000.01"
    )
    rid = submit(db, contract, team["alice"], policy, today)
    with pytest.raises(
        NotPermitted, match="ned's approval limit 100,000 does not cover the amount 100,000.01"
    ):
        decide(db, "approve", "ned", rid, policy, today)
    exact = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, amount="100000", customer_name="B"
    )
    rid2 = submit(db, exact, team["alice"], policy, today)
    assert decide(db, "approve", "ned", rid2, policy, today)["status"] == "approved"


def test_admin_does_not_bypass(db, team, policy, today, closed):
    ada = add_user(db, "ada", "admin", "manager")
    contract = pending_contract_row(db, owner=ada, policy=policy, today=today)
    rid = submit(db, contract, team["alice"], policy, today)
    with pytest.raises(NotPermitted, match="ada owns contract"):
        decide(db, "approve", "ada", rid, policy, today)


def test_step_option_must_be_the_current_step(db, team, policy, today, closed):
    contract = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, amount="300000"
    )
    rid = submit(db, contract, team["alice"], policy, today)
    with pytest.raises(Conflict, match="step 2 \\(finance\\) .* is waiting, not current"):
        decide(db, "approve", "fay", rid, policy, today, step=2)
    with pytest.raises(Invalid, match="has steps 1 to 3"):
        decide(db, "approve", "mia", rid, policy, today, step=7)
    assert decide(db, "approve", "mia", rid, policy, today, step=1)["current_step"] == 2


def test_refusals_change_nothing(db, team, policy, today, closed):
    contract = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, amount="300000"
    )
    rid = submit(db, contract, team["alice"], policy, today)
    before = (count_rows(db, AuditEvent), show(db, rid, today))
    for args in (("approve", "fay"), ("approve", "alice"), ("withdraw", "bob")):
        with pytest.raises(NotPermitted):
            decide(db, args[0], args[1], rid, policy, today)
    assert (count_rows(db, AuditEvent), show(db, rid, today)) == before


# --- routing on submit ---------------------------------------------------------------------------


def test_unrouted_contract_cannot_be_submitted(db, team, policy, today, closed):
    partial = dataclasses.replace(
        policy,
        approval_rules=(ApprovalRule(name="sales-only", chain=("manager",), types=("sales",)),),
    )
    contract = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, type="nda", amount="0"
    )
    before = count_rows(db, AuditEvent)
    with pytest.raises(Invalid) as exc:
        submit(db, contract, team["alice"], partial, today)
    assert exc.value.message.startswith(f"contract {contract.number} cannot be submitted")
    assert "type nda, amount 0, risk low, standard" in exc.value.message
    assert "sales-only needs type sales" in exc.value.message
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(ApprovalRequest)).scalar_one() == 0
    assert count_rows(db, AuditEvent) == before


def test_policy_change_after_submission_keeps_the_snapshot(db, team, policy, today, closed):
    contract = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, amount="250000"
    )
    rid = submit(db, contract, team["alice"], policy, today)
    data = default_policy_data()
    data["approval"] = {
        "sla_days": 5,
        "rules": [{"name": "everything", "chain": ["gm"]}],
    }
    changed = build_policy(data)
    view = decide(db, "approve", "mia", rid, changed, today)
    assert view["rule"] == "large" and view["chain"] == ["manager", "finance", "legal"]
    assert view["steps"][1]["role"] == "finance" and view["steps"][1]["status"] == "pending"
    # A later step's SLA comes from the policy in force when it becomes pending.
    assert view["steps"][1]["due"] == date(2026, 12, 4)
    with pytest.raises(NotPermitted, match="waits for role finance"):
        decide(db, "approve", "gus", rid, changed, today)


def test_amendment_routes_on_the_amended_terms(db, team, policy, today, closed):
    contract = pending_contract_row(
        db, owner=team["alice"], policy=policy, today=today, amount="150000"
    )
    with db.write() as s:
        amendment = Amendment(
            contract_id=contract.id,
            seq=1,
            number=f"{contract.number}-A1",
            changes={"amount": {"from": "150000.00", "to": "1200000.00"}},
            reason="scope extended",
            status="pending_approval",
            created_on=today,
            created_by="alice",
        )
        s.add(amendment)
        s.flush()
        rid = approvals.open_request(
            s,
            actor=team["alice"],
            contract=s.get(Contract, contract.id),
            policy=policy,
            today=today,
            amendment=amendment,
        ).id
    view = show(db, rid, today)
    assert view["rule"] == "major" and view["amount"] == Decimal("1200000.00")
    assert view["amendment"] == f"{contract.number}-A1"


# --- inbox, SLA and listings -----------------------------------------------------------------


def test_pending_inbox_and_overdue(db, team, policy, today, closed):
    add_user(db, "meg", "manager")
    a = pending_contract_row(db, owner=team["alice"], policy=policy, today=today, amount="300000")
    b = pending_contract_row(
        db, owner=team["bob"], policy=policy, today=today, customer_name="Beta"
    )
    ra = submit(db, a, team["alice"], policy, today)
    rb = submit(db, b, team["mia"], policy, today)  # mia submitted: not hers to decide
    with db.read() as s:
        mia = s.execute(select(User).where(User.login == "mia")).scalar_one()
        meg = s.execute(select(User).where(User.login == "meg")).scalar_one()
        fay = s.execute(select(User).where(User.login == "fay")).scalar_one()
        inbox = approvals.pending_rows(s, user=mia, today=today)
        assert [r["id"] for r in inbox] == [ra]
        row = inbox[0]
        assert {"id", "contract", "step", "role", "amount", "submitted_by", "waiting_since"} <= set(
            row
        )
        assert row["contract"] == a.number and row["role"] == "manager" and row["step"] == 1
        assert row["amount"] == Decimal("300000.00") and row["submitted_by"] == "alice"
        assert row["waiting_since"] == today and row["due"] == date(2026, 12, 1)
        assert row["overdue"] is False and row["can_decide"] is True
        assert [r["id"] for r in approvals.pending_rows(s, user=meg, today=today)] == [ra, rb]
        assert approvals.pending_rows(s, user=fay, today=today) == []
        on_time = date(2026, 12, 1)
        assert [p.is_overdue(on_time) for p in approvals.pending_steps(s, today=on_time)] == [
            False,
            False,
        ]
        late = date(2026, 12, 3)
        overdue = approvals.pending_steps(s, today=late)
        assert [(p.request_id, p.contract, p.step, p.role) for p in overdue] == [
            (ra, a.number, 1, "manager"),
            (rb, b.number, 1, "manager"),
        ]
        assert overdue[0].days_overdue(late) == 2 and overdue[0].due == date(2026, 12, 1)
        assert overdue[0].waiting_since == today
        # Overdue: shown to every holder of the role (meg and mia), also to one who may not
        # decide it.
        assert [r["id"] for r in approvals.pending_rows(s, user=meg, today=late)] == [ra, rb]
        late_inbox = approvals.pending_rows(s, user=mia, today=late)
        assert [(r["id"], r["overdue"], r["can_decide"]) for r in late_inbox] == [
            (ra, True, True),
            (rb, True, False),
        ]
        # Several inboxes from one query: the steps passed in, a decider instead of a user.
        decider = approvals.decider_of(mia)
        assert approvals.pending_rows(s, user=decider, today=late, steps=overdue) == late_inbox
        assert "mia submitted request" in late_inbox[1]["note"]


def test_list_requests_filters(db, team, policy, today, closed):
    a = pending_contract_row(db, owner=team["alice"], policy=policy, today=today)
    b = pending_contract_row(
        db, owner=team["bob"], policy=policy, today=today, customer_name="Beta", amount="300000"
    )
    ra = submit(db, a, team["alice"], policy, today)
    rb = submit(db, b, team["bob"], policy, today)
    decide(db, "approve", "mia", ra, policy, today)
    with db.read() as s:
        rows = approvals.list_requests(s)
        assert [r["id"] for r in rows] == [rb, ra]
        assert rows[0]["current_role"] == "manager" and rows[1]["current_role"] is None
        assert [r["id"] for r in approvals.list_requests(s, status="approved")] == [ra]
        assert [r["id"] for r in approvals.list_requests(s, contract=b.number)] == [rb]
        bob = s.execute(select(User).where(User.login == "bob")).scalar_one()
        mia = s.execute(select(User).where(User.login == "mia")).scalar_one()
        assert [r["id"] for r in approvals.list_requests(s, actor=bob, mine=True)] == [rb]
        assert [r["id"] for r in approvals.list_requests(s, actor=mia, mine=True)] == [ra]
        with pytest.raises(Invalid, match="--status: unknown value 'done'; accepted: pending"):
            approvals.list_requests(s, status="done")
