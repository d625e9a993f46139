"""Logging, planning and snoozing: permissions, invariants, and bad input that changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from sqlalchemy import func, select

from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.services import customers as cs
from bizops.services import followups as fs
from bizops.store.audit import verify_chain
from bizops.store.models import AuditEvent, Customer, FollowUp, Interaction
from tests.support.factories import add_customer, log_followup

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def add(db, team, policy, today, name, grade="B", owner="alice", stage="prospect"):
    return add_customer(
        db, actor=team["alice"], name=name, grade=grade, owner=owner, policy=policy, today=today,
        stage=stage,
    )["code"]  # fmt: skip


def counts(db):
    with db.read() as s:
        return tuple(
            s.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (Interaction, FollowUp, AuditEvent)
        ) + (
            tuple(
                s.execute(
                    select(FollowUp.id, FollowUp.due, FollowUp.status, FollowUp.purpose)
                ).all()
            ),
            tuple(s.execute(select(Customer.last_contact_on)).scalars()),
        )


def log(db, actor, policy, today, customer, **kw):
    kw.setdefault("summary", "called")
    return log_followup(
        db, actor=actor, customer=customer, policy=policy, today=today, now=NOW, **kw
    )


def open_of(db, code):
    with db.read() as s:
        cid = s.execute(select(Customer.id).where(Customer.code == code)).scalar_one()
        return s.execute(
            select(FollowUp.id, FollowUp.due, FollowUp.kind).where(
                FollowUp.customer_id == cid, FollowUp.status == "open"
            )
        ).one_or_none()


def test_log_records_interaction_and_one_audit_event(db, team, policy, today):
    code = add(db, team, policy, today - timedelta(days=10), "Acme")
    before = counts(db)
    r = log(
        db, team["alice"], policy, today, code, via="WeChat", summary=" 发了报价单 ",
        contact="张经理", outcome="下周回复",
    )  # fmt: skip
    after = counts(db)
    assert after[0] == before[0] + 1 and after[1] == before[1] + 1 and after[2] == before[2] + 1
    with db.read() as s:
        i = s.get(Interaction, r.interaction_id)
        assert (i.via, i.summary, i.contact, i.outcome, i.on) == (
            "wechat", "发了报价单", "张经理", "下周回复", today,
        )  # fmt: skip
        assert i.followup_id == r.closed.id
        closed = s.get(FollowUp, r.closed.id)
        assert (closed.status, closed.closed_on, closed.interaction_id) == (
            "done", today, r.interaction_id,
        )  # fmt: skip
        assert closed.on_time is False  # B: first contact due after 3 days
        event = s.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()
        assert event.action == "followup.log" and event.entity_id == code
        assert verify_chain(s)[1] == []
    # Fri 27 Nov + 14 days = Fri 11 Dec.
    assert r.next_due == date(2026, 12, 11)
    assert open_of(db, code).kind == "cadence"


def test_weekend_rule_and_customer_cadence(db, team, policy, today):
    code = add(db, team, policy, today, "Weekend Co", grade="A")
    # A, prospect: 7 days from Saturday 21 Nov = Saturday 28 Nov -> Monday 30 Nov. (Logged
    # by a manager: six days back, and before the customer was added.)
    r = log(db, team["mia"], policy, today, code, at="2026-11-21 11:00")
    assert r.next_due == date(2026, 11, 30)
    with db.write() as s:
        cs.update_customer(s, actor=team["alice"], ref=code, cadence=2, policy=policy, today=today)
    r = log(db, team["alice"], policy, today, code)
    assert r.next_due == date(2026, 11, 30)  # Fri + 2 = Sunday -> Monday
    r = log(db, team["alice"], policy, today, code, next_due="2026-12-05")
    assert r.next_due == date(2026, 12, 5)  # a chosen date is kept, even a Saturday
    assert open_of(db, code).kind == "planned"


def test_who_may_log(db, team, policy, today):
    code = add(db, team, policy, today, "Owned by Alice")
    before = counts(db)
    with pytest.raises(NotPermitted, match="only its owner, a manager or an admin"):
        log(db, team["bob"], policy, today, code)
    with pytest.raises(NotPermitted):
        log(db, team["fay"], policy, today, code)
    assert counts(db) == before
    log(db, team["mia"], policy, today, code)
    log(db, team["root"], policy, today, code)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"customer": "NOPE"}, NotFound, "customer: no customer 'NOPE'"),
        ({"via": "fax"}, Invalid, "--via: unknown value 'fax'; accepted: phone, email"),
        ({"summary": "   "}, Invalid, "--summary: must not be empty"),
        ({"next_due": "2026-11-26"}, Invalid, "--next: 2026-11-26 is in the past"),
        ({"next_due": "someday"}, Invalid, "--next: cannot read"),
        ({"at": "tomorrow"}, Invalid, "--at: 2026-11-28 12:00 is in the future"),
        ({"at": "today 23:59"}, Invalid, "is in the future"),
        ({"at": "31/02/2026"}, Invalid, "--at"),
    ],
)
def test_bad_log_input_changes_nothing(db, team, policy, today, kwargs, error, words):
    code = add(db, team, policy, today, "Target")
    before = counts(db)
    kwargs = {"customer": code, **kwargs}
    customer = kwargs.pop("customer")
    with pytest.raises(error) as info:
        log(db, team["alice"], policy, today, customer, **kwargs)
    assert words in info.value.message
    assert counts(db) == before


def test_archived_customer_is_a_conflict(db, team, policy, today):
    code = add(db, team, policy, today, "Gone Co")
    with db.write() as s:
        cs.archive_customer(s, actor=team["alice"], ref=code, policy=policy, today=today)
    assert open_of(db, code) is None
    before = counts(db)
    with pytest.raises(Conflict, match="is archived"):
        log(db, team["alice"], policy, today, code)
    with pytest.raises(Conflict, match="is archived"), db.write() as s:
        fs.plan_followup(s, actor=team["alice"], customer=code, due="+1d", purpose="x", today=today)
    assert counts(db) == before
    with db.read() as s:
        assert (
            list(
                fs.due_rows(
                    s,
                    today=today + timedelta(99),
                    policy=policy,
                    owner_ids=None,
                    until=today + timedelta(99),
                )
            )
            == []
        )


def test_lost_customer_has_no_follow_up(db, team, policy, today):
    code = add(db, team, policy, today, "Lost Co")
    with db.write() as s:
        cs.move_stage(
            s, actor=team["alice"], ref=code, stage="lost", reason="chose a rival",
            policy=policy, today=today,
        )  # fmt: skip
    assert open_of(db, code) is None
    before = counts(db)
    with pytest.raises(Conflict, match="is lost and has no follow-ups"):
        log(db, team["alice"], policy, today, code, next_due="+1w")
    assert counts(db) == before
    r = log(db, team["alice"], policy, today, code, summary="courtesy call")
    assert r.closed is None and r.next_due is None
    assert open_of(db, code) is None
    # Back into the pipeline: exactly one open follow-up again.
    with db.write() as s:
        cs.move_stage(
            s, actor=team["alice"], ref=code, stage="contacted", reason="they came back",
            policy=policy, today=today,
        )  # fmt: skip
    assert open_of(db, code).due == date(2026, 12, 11)


def test_older_interaction_is_history_only(db, team, policy, today):
    code = add(db, team, policy, today - timedelta(days=30), "History Co")
    log(db, team["alice"], policy, today, code, at="2026-11-25 10:00")
    due = open_of(db, code).due
    # A week back: a manager may log it.
    r = log(db, team["mia"], policy, today, code, at="2026-11-20 10:00")
    assert r.history_only and r.closed is None and r.next_due == due
    assert open_of(db, code).due == due
    with db.read() as s:
        last = s.execute(select(Customer.last_contact_on).where(Customer.code == code))
        assert last.scalar_one() == date(2026, 11, 25)
    with pytest.raises(Invalid, match="older than the last contact"):
        log(db, team["mia"], policy, today, code, at="2026-11-20", next_due="+1w")


def test_plan(db, team, policy, today):
    code = add(db, team, policy, today, "Plan Co")
    before = counts(db)
    for kwargs, error in [
        ({"due": "2026-11-26", "purpose": "x"}, Invalid),
        ({"due": "+1d", "purpose": " "}, Invalid),
        ({"due": "nonsense", "purpose": "x"}, Invalid),
    ]:
        with pytest.raises(error), db.write() as s:
            fs.plan_followup(s, actor=team["alice"], customer=code, today=today, **kwargs)
    with pytest.raises(NotPermitted), db.write() as s:
        fs.plan_followup(s, actor=team["bob"], customer=code, today=today, due="+1d", purpose="x")
    assert counts(db) == before
    with db.write() as s:
        v = fs.plan_followup(
            s, actor=team["alice"], customer=code, due="2026-12-02", purpose="送样品", today=today
        )
    assert (v.due, v.kind, v.purpose, v.previous_due) == (
        date(2026, 12, 2), "planned", "送样品", date(2026, 11, 30),
    )  # fmt: skip
    assert counts(db)[1] == before[1]  # replaced, not added
    # The same date and purpose again changes nothing, and records nothing.
    unchanged = counts(db)
    with pytest.raises(Invalid, match="already planned for 2026-12-02"), db.write() as s:
        fs.plan_followup(
            s, actor=team["alice"], customer=code, due="2026-12-02", purpose="送样品", today=today
        )
    assert counts(db) == unchanged
    # A grade change keeps a date planned by hand.
    with db.write() as s:
        cs.set_grade(
            s, actor=team["mia"], ref=code, grade="A", reason="r", policy=policy, today=today
        )
    assert open_of(db, code).due == date(2026, 12, 2)


def test_snooze(db, team, policy, today):
    code = add(db, team, policy, today, "Snooze Co")
    fid = open_of(db, code).id
    before = counts(db)
    for kwargs, error, words in [
        ({"to": "+1w", "reason": None}, Invalid, "--reason"),
        ({"to": "+1w", "reason": "  "}, Invalid, "--reason"),
        ({"to": "2026-11-26", "reason": "r"}, Invalid, "--to: 2026-11-26 is in the past"),
        ({"to": "2026-11-30", "reason": "r"}, Invalid, "already due on 2026-11-30"),
        ({"followup": 99999, "to": "+1w", "reason": "r"}, NotFound, "no follow-up 99999"),
        ({"followup": "abc", "to": "+1w", "reason": "r"}, Invalid, "not a follow-up id"),
    ]:
        kwargs = {"followup": fid, **kwargs}
        with pytest.raises(error, match=words), db.write() as s:
            fs.snooze_followup(s, actor=team["alice"], today=today, **kwargs)
    with pytest.raises(NotPermitted), db.write() as s:
        fs.snooze_followup(s, actor=team["bob"], followup=fid, to="+1w", reason="r", today=today)
    assert counts(db) == before
    with db.write() as s:
        fs.snooze_followup(
            s, actor=team["alice"], followup=fid, to="2026-12-04", reason="r1", today=today
        )
        v = fs.snooze_followup(
            s, actor=team["alice"], followup=fid, to="today", reason="r2", today=today
        )
    assert (
        v.due == today
        and v.snoozed_from == date(2026, 11, 30)
        and v.previous_due == date(2026, 12, 4)
    )
    log(db, team["alice"], policy, today, code)
    before = counts(db)
    with pytest.raises(Conflict, match=f"follow-up {fid} is done on 2026-11-27"), db.write() as s:
        fs.snooze_followup(s, actor=team["alice"], followup=fid, to="+1w", reason="r", today=today)
    assert counts(db) == before


def test_owner_scope_and_window(db, team, policy, today):
    with db.read() as s:
        assert fs.owner_scope(s, actor=team["alice"], owner=None) == [team["alice"].id]
        assert fs.owner_scope(s, actor=team["mia"], owner=None) is None
        assert fs.owner_scope(s, actor=team["alice"], owner="ALL") is None
        assert fs.owner_scope(s, actor=None, owner="bob") == [team["bob"].id]
        with pytest.raises(NotFound, match="--owner: no user 'zed'"):
            fs.owner_scope(s, actor=team["alice"], owner="zed")
        with pytest.raises(NotPermitted, match="who is acting"):
            fs.owner_scope(s, actor=None, owner=None)
    assert fs.window_until(today) == today
    assert fs.window_until(today, within="7d") == date(2026, 12, 4)
    assert fs.window_until(today, within="2w") == date(2026, 12, 11)
    assert fs.window_until(today, until="eom") == date(2026, 11, 30)
    with pytest.raises(Invalid, match="--within and --until"):
        fs.window_until(today, within="7d", until="eom")
    with pytest.raises(Invalid, match="--within"):
        fs.window_until(today, within="soon")
    with pytest.raises(Invalid, match="--grade"), db.read() as s:
        list(fs.due_rows(s, today=today, policy=policy, owner_ids=None, until=today, grade="D"))


def test_invariant_one_open_follow_up_through_changes(db, team, policy, today):
    codes = [add(db, team, policy, today, f"客户{i}", grade="ABC"[i % 3]) for i in range(6)]
    for i, code in enumerate(codes):
        log(db, team["alice"], policy, today, code)
        if i % 2:
            with db.write() as s:
                cs.set_grade(
                    s,
                    actor=team["mia"],
                    ref=code,
                    grade="A" if i % 3 else "B",
                    reason="r",
                    policy=policy,
                    today=today,
                )
        if i == 3:
            with db.write() as s:
                cs.move_stage(
                    s,
                    actor=team["alice"],
                    ref=code,
                    stage="dormant",
                    reason="quiet",
                    policy=policy,
                    today=today,
                )
    with db.read() as s:
        rows = s.execute(
            select(Customer.code, Customer.stage, func.count(FollowUp.id))
            .outerjoin(
                FollowUp, (FollowUp.customer_id == Customer.id) & (FollowUp.status == "open")
            )
            .group_by(Customer.code, Customer.stage)
        ).all()
    for code, stage, n in rows:
        assert n == (0 if stage in ("lost", "dormant") else 1), code


def test_calendar(db, team, policy, today):
    a = add(db, team, policy, today, "日历公司", grade="A")  # due Mon 30 Nov
    b = add(db, team, policy, today, "Later Co", grade="C")  # due Fri 4 Dec
    with db.write() as s:
        fs.plan_followup(
            s, actor=team["alice"], customer=a, due="2026-11-30", purpose="签约", today=today
        )
    with db.read() as s:
        data, count = fs.due_calendar(
            s, today=today, now=NOW, policy=policy, owner_ids=None, until=date(2026, 12, 31)
        )
        ids = {
            r["code"]: r["id"]
            for r in fs.due_rows(
                s, today=today, policy=policy, owner_ids=None, until=date(2026, 12, 31)
            )
        }
    assert count == 2
    cal = icalendar.Calendar.from_ical(data)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"followup-{ids[a]}@bizops", f"followup-{ids[b]}@bizops"}
    ev = events[f"followup-{ids[a]}@bizops"]
    assert ev.decoded("dtstart") == date(2026, 11, 30)
    assert ev.decoded("dtend") == date(2026, 12, 1)
    assert str(ev["summary"]) == "Follow up: 日历公司 (A, prospect)"
    assert "Suggested channel: visit/phone" in str(ev["description"])
    assert "Last contact: never" in str(ev["description"])
    assert "Purpose: 签约" in str(ev["description"])
    assert ev.decoded("dtstamp") == NOW.replace(microsecond=0)
    assert str(cal["version"]) == "2.0" and "bizops" in str(cal["prodid"])
    # Moving the date keeps the UID: a calendar app updates the event.
    with db.write() as s:
        fs.plan_followup(
            s, actor=team["alice"], customer=a, due="2026-12-02", purpose="签约", today=today
        )
    with db.read() as s:
        data2, _ = fs.due_calendar(
            s, today=today, now=NOW, policy=policy, owner_ids=None, until=date(2026, 12, 31)
        )
    ev2 = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(data2).walk("VEVENT")}
    assert ev2[f"followup-{ids[a]}@bizops"].decoded("dtstart") == date(2026, 12, 2)
