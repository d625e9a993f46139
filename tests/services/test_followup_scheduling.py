"""A month of follow-ups for one A-grade and one C-grade customer, day by day.

Every due date, every on-time/late flag and the order of `followups due` is asserted,
including a due date moved off the weekend and a grade change that reschedules.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from bizops.services import customers as cs
from bizops.services import followups as fs
from bizops.store.models import Customer, FollowUp
from tests.support.factories import add_customer, log_followup


def d(text: str) -> date:
    return date.fromisoformat(text)


def at(day: str, hour: int = 17) -> datetime:
    return datetime.combine(d(day), datetime.min.time()).replace(hour=hour, tzinfo=UTC)


def log(db, actor, policy, customer, day, **kw):
    kw.setdefault("summary", "跟进 call")
    return log_followup(
        db, actor=actor, customer=customer, policy=policy, today=d(day), now=at(day), **kw
    )


def due_names(db, policy, day, owner_ids, **kw):
    with db.read() as s:
        return [
            (r["code"], r["due"].isoformat(), r["days_overdue"])
            for r in fs.due_rows(
                s, today=d(day), policy=policy, owner_ids=owner_ids, **{"until": d(day), **kw}
            )
        ]


def open_due(db, code):
    with db.read() as s:
        cid = s.execute(select(Customer.id).where(Customer.code == code)).scalar_one()
        rows = s.execute(
            select(FollowUp.due).where(FollowUp.customer_id == cid, FollowUp.status == "open")
        ).all()
    assert len(rows) == 1, f"{code} has {len(rows)} open follow-ups"
    return rows[0][0].isoformat()


def test_a_month_of_follow_ups(db, team, policy):
    alice, mia = team["alice"], team["mia"]
    mine = [alice.id]
    a = add_customer(
        db, name="华信科技有限公司", grade="A", owner=alice, policy=policy, today=d("2026-11-02")
    )["code"]
    c = add_customer(
        db, name="Globex Ltd.", grade="C", owner=alice, policy=policy, today=d("2026-11-02")
    )["code"]
    # First contact: A after 1 day, C after 7 (Monday 2 Nov + 7 = Monday 9 Nov).
    assert open_due(db, a) == "2026-11-03"
    assert open_due(db, c) == "2026-11-09"
    assert due_names(db, policy, "2026-11-02", mine) == []

    # Tue 3 Nov: first call to A on the day it is due.
    r = log(db, alice, policy, a, "2026-11-03", contact="张经理")
    assert r.closed is not None and r.closed.on_time and r.closed.days_late == 0
    assert r.next_due == d("2026-11-10")  # A, prospect: 7 days

    # Fri 6 Nov: nothing due today; within a week the A customer comes first although the
    # C customer is due a day earlier (neither is overdue: grade decides).
    assert due_names(db, policy, "2026-11-06", mine) == []
    assert due_names(db, policy, "2026-11-06", mine, until=d("2026-11-13")) == [
        (a, "2026-11-10", 0),
        (c, "2026-11-09", 0),
    ]

    # Wed 11 Nov: both overdue; the one overdue longest first.
    assert due_names(db, policy, "2026-11-11", mine) == [
        (c, "2026-11-09", 2),
        (a, "2026-11-10", 1),
    ]
    r = log(db, alice, policy, c, "2026-11-11", via="email")
    assert r.closed is not None and not r.closed.on_time and r.closed.days_late == 2
    assert r.next_due == d("2026-12-11")  # C: 30 days

    # Thu 12 Nov: A contacted two days late; then it moves to negotiation (cadence 3 days):
    # 12 Nov + 3 = Sunday 15 Nov, moved to Monday 16 Nov.
    r = log(db, alice, policy, a, "2026-11-12")
    assert r.closed is not None and r.closed.days_late == 2 and r.next_due == d("2026-11-19")
    with db.write() as s:
        cs.move_stage(
            s, actor=alice, ref=a, stage="negotiation", reason="报价已发", policy=policy,
            today=d("2026-11-12"),
        )  # fmt: skip
    assert open_due(db, a) == "2026-11-16"

    # Mon 16 Nov: a visit in the morning, on time; next in 3 days.
    r = log(db, alice, policy, a, "2026-11-16", via="visit", at="2026-11-16 10:00")
    assert r.closed is not None and r.closed.on_time
    assert r.next_due == d("2026-11-19")

    # Wed 18 Nov: the manager regrades C to A. From its last contact (11 Nov) an A is due
    # every 7 days (18 Nov): due today, not retroactively overdue.
    with db.write() as s:
        cs.set_grade(
            s, actor=mia, ref=c, grade="A", reason="大单意向", policy=policy,
            today=d("2026-11-18"),
        )  # fmt: skip
    assert open_due(db, c) == "2026-11-18"
    assert due_names(db, policy, "2026-11-18", mine) == [(c, "2026-11-18", 0)]
    assert due_names(db, policy, "2026-11-18", mine, until=d("2026-11-25")) == [
        (c, "2026-11-18", 0),
        (a, "2026-11-19", 0),
    ]

    # Fri 20 Nov: both late; A by one day. The manager sees everyone's by default.
    assert due_names(db, policy, "2026-11-20", None) == [
        (c, "2026-11-18", 2),
        (a, "2026-11-19", 1),
    ]
    r = log(db, alice, policy, a, "2026-11-20")
    assert r.closed is not None and r.closed.days_late == 1
    assert r.next_due == d("2026-11-23")  # 20 Nov + 3 = Monday 23 Nov
    r = log(db, mia, policy, c, "2026-11-20", via="meeting", next_due="2026-11-25")
    assert r.closed is not None and r.closed.days_late == 2
    assert r.next_due == d("2026-11-25")

    # Wed 25 Nov: the customer asks to meet on Friday instead.
    with db.read() as s:
        fid = next(
            row["id"]
            for row in fs.due_rows(
                s, today=d("2026-11-25"), policy=policy, owner_ids=mine, until=d("2026-11-25")
            )
            if row["code"] == c
        )
    with db.write() as s:
        v = fs.snooze_followup(
            s, actor=alice, followup=fid, to="fri", reason="客户出差", today=d("2026-11-25")
        )
    assert v.due == d("2026-11-27") and v.snoozed_from == d("2026-11-25")
    assert due_names(db, policy, "2026-11-25", mine) == [(a, "2026-11-23", 2)]

    # Thu 26 Nov: met C a day early (on time); A is still waiting.
    r = log(db, alice, policy, c, "2026-11-26", via="visit", at="2026-11-26 15:00")
    assert r.closed is not None and r.closed.on_time
    assert r.next_due == d("2026-12-03")  # now A, prospect: 7 days

    # Fri 27 Nov: only A, four days overdue.
    assert due_names(db, policy, "2026-11-27", mine) == [(a, "2026-11-23", 4)]
    assert due_names(db, policy, "2026-11-27", mine, overdue_only=True) == [(a, "2026-11-23", 4)]

    with db.read() as s:
        ha = fs.history(s, customer=a, today=d("2026-11-27"))
        hc = fs.history(s, customer=c, today=d("2026-11-27"))
        last = s.execute(select(Customer.last_contact_on).where(Customer.code == a)).scalar_one()
    assert last == d("2026-11-20")

    def flags(rows):
        return [
            (r["due"].isoformat(), r["date"].isoformat(), r["on_time"], r["days_late"])
            for r in rows
            if r["type"] == "followup" and r["status"] == "done"
        ]

    assert flags(ha) == [
        ("2026-11-19", "2026-11-20", False, 1),
        ("2026-11-16", "2026-11-16", True, 0),
        ("2026-11-10", "2026-11-12", False, 2),
        ("2026-11-03", "2026-11-03", True, 0),
    ]
    assert flags(hc) == [
        ("2026-11-27", "2026-11-26", True, 0),
        ("2026-11-18", "2026-11-20", False, 2),
        ("2026-11-09", "2026-11-11", False, 2),
    ]
    # The open follow-up leads the history; interactions are there, newest first.
    assert ha[0]["status"] == "open" and ha[0]["due"] == d("2026-11-23")
    assert ha[0]["days_late"] == 4
    assert [r["date"].isoformat() for r in ha if r["type"] == "interaction"] == [
        "2026-11-20",
        "2026-11-16",
        "2026-11-12",
        "2026-11-03",
    ]
    assert hc[0]["purpose"] is None and hc[0]["due"] == d("2026-12-03")
    snoozed = [r for r in hc if r["due"] == d("2026-11-27")][0]
    assert "snoozed from 2026-11-25" in snoozed["purpose"]
    with db.read() as s:
        opens = s.execute(
            select(func.count()).select_from(FollowUp).where(FollowUp.status == "open")
        ).scalar_one()
    assert opens == 2
