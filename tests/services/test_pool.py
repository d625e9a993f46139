"""The shared pool (公海): release, claim within the limit, return of idle customers when the
daily report runs, and what the former owner's report says (both backends)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.domain.policy import Policy
from bizops.services import customers, reports
from bizops.services.followups import open_followup
from bizops.services.visibility import bind_scope, scope_for
from bizops.store.engine import Database
from bizops.store.models import AuditEvent, Customer, PoolMove, User
from tests.support.factories import add_customer


def _release(db: Database, actor: User, code: str, policy: Policy, today: date) -> None:
    with db.write() as s:
        customers.release_customer(
            s, actor=actor, ref=code, reason="no budget this year", policy=policy, today=today
        )


def _claim(db: Database, actor: User, code: str, policy: Policy, today: date) -> dict:  # type: ignore[type-arg]
    with db.write() as s:
        return dict(customers.claim_customer(s, actor=actor, ref=code, policy=policy, today=today))


def _state(db: Database, code: str) -> tuple[int | None, bool, int]:
    """(owner id, has an open follow-up, audit events about it)."""
    with db.read() as s:
        c = s.execute(select(Customer).where(Customer.code == code)).scalar_one()
        assert c.id is not None
        events = s.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_id == code)
        ).scalar_one()
        return c.owner_id, open_followup(s, c.id) is not None, int(events)


def test_release_then_claim(
    db: Database, team: dict[str, User], policy: Policy, today: date
) -> None:
    code = add_customer(db, name="华信科技", owner="alice", policy=policy, today=today)["code"]
    _release(db, team["alice"], code, policy, today)
    owner, followup, events = _state(db, code)
    assert owner is None and not followup
    with db.read() as s:
        move = s.execute(select(PoolMove)).scalar_one()
        assert (move.kind, move.user_id, move.reason) == (
            "release",
            team["alice"].id,
            "no budget this year",
        )
        event = s.execute(
            select(AuditEvent).where(AuditEvent.action == "customer.release")
        ).scalar_one()
        assert event.actor == "alice" and '"owner": "alice"' in (event.before or "")
    # Every sales rep sees the pool, and the list --pool shows it.
    with db.read() as s:
        bind_scope(s, scope_for(s, team["bob"], policy))
        assert [r["code"] for r in customers.list_customers(s, today=today, pool=True)] == [code]
        assert customers.show_customer(s, ref=code, today=today)["owner"] is None
    view = _claim(db, team["bob"], code, policy, today)
    assert view["owner"] == "bob" and view["next_due"] is not None
    owner, followup, after = _state(db, code)
    assert owner == team["bob"].id and followup and after == events + 1


def test_claiming_an_owned_customer_is_a_conflict(
    db: Database, team: dict[str, User], policy: Policy, today: date
) -> None:
    code = add_customer(db, name="北方物流", owner="alice", policy=policy, today=today)["code"]
    before = _state(db, code)
    with pytest.raises(Conflict, match="belongs to alice") as caught:
        _claim(db, team["bob"], code, policy, today)
    assert caught.value.exit_code == 5
    assert _state(db, code) == before


def test_release_needs_a_reason_and_an_owner_or_a_manager(
    db: Database, team: dict[str, User], policy: Policy, today: date
) -> None:
    code = add_customer(db, name="南方贸易", owner="alice", policy=policy, today=today)["code"]
    with db.write() as s, pytest.raises(Invalid, match="--reason"):
        customers.release_customer(
            s, actor=team["alice"], ref=code, reason="  ", policy=policy, today=today
        )
    with pytest.raises(NotPermitted, match="belongs to alice"):
        _release(db, team["bob"], code, policy, today)
    assert _state(db, code)[0] == team["alice"].id
    _release(db, team["mia"], code, policy, today)  # a manager may
    with pytest.raises(Conflict, match="already in the shared pool"):
        _release(db, team["mia"], code, policy, today)


def test_the_claim_limit_counts_the_window_ending_today(
    db: Database, team: dict[str, User], policy: Policy, today: date
) -> None:
    limited = dataclasses.replace(policy, pool_max_claims=2, pool_claim_window_days=30)
    codes = [
        add_customer(db, name=f"公海{i}号", owner="alice", policy=policy, today=today)["code"]
        for i in range(4)
    ]
    for code in codes:
        _release(db, team["alice"], code, policy, today)
    first = today - timedelta(days=29)
    _claim(db, team["bob"], codes[0], limited, first)
    _claim(db, team["bob"], codes[1], limited, today)
    with pytest.raises(Conflict, match="pool.max_claims") as caught:
        _claim(db, team["bob"], codes[2], limited, today)
    assert str(today + timedelta(days=1)) in str(caught.value)
    assert _state(db, codes[2])[0] is None
    # The next day the first claim is 30 days old: out of the window.
    _claim(db, team["bob"], codes[2], limited, today + timedelta(days=1))
    # The limit is per user: alice still has room.
    _claim(db, team["alice"], codes[3], limited, today + timedelta(days=1))


def test_idle_customers_return_when_the_report_runs(
    db: Database, team: dict[str, User], policy: Policy, today: date
) -> None:
    returning = dataclasses.replace(policy, pool_return_after_days=60)
    old = today - timedelta(days=60)
    idle = add_customer(db, name="沉睡客户", owner="alice", policy=policy, today=old)["code"]
    fresh = add_customer(db, name="活跃客户", owner="alice", policy=policy, today=today)["code"]
    with db.write() as s:
        off = customers.return_idle_customers(s, actor=team["root"], policy=policy, today=today)
        assert off == []  # default: off
    with db.write() as s:
        moved = customers.return_idle_customers(
            s, actor=team["root"], policy=returning, today=today
        )
    assert [(m["code"], m["owner"], m["idle_days"]) for m in moved] == [(idle, "alice", 60)]
    assert _state(db, idle)[:2] == (None, False)
    assert _state(db, fresh)[0] == team["alice"].id
    with db.read() as s:
        event = s.execute(
            select(AuditEvent).where(AuditEvent.action == "customer.return")
        ).scalar_one()
        assert event.entity_id == idle and "60" in (event.after or "")
        mine = reports.daily_reports(s, actor=team["alice"], policy=returning, today=today)[0]
        theirs = reports.daily_reports(s, actor=team["bob"], policy=returning, today=today)[0]
    assert [i["code"] for i in mine["returned_to_pool"]] == [idle]
    assert "claim" in mine["returned_to_pool"][0]["action"]
    assert "returned_to_pool" not in mine["counts"]
    assert theirs["returned_to_pool"] == []
