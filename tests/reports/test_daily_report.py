"""The daily report, item by item, on a database scenario through the real services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bizops.domain.errors import Invalid, NotFound, NotPermitted
from bizops.reports.daily import Recipient, is_empty
from bizops.reports.render import render_daily
from bizops.services import customers, followups
from bizops.services import reports as svc
from bizops.services.contracts import notice_trigger
from bizops.store.models import User
from tests.support.factories import log_followup
from tests.support.report_scenario import make_report_scenario

D = date.fromisoformat


@pytest.fixture
def scenario(db, team, policy):
    return make_report_scenario(db, team, policy)


def _reports(db, actor, policy, today, **kw) -> list[dict[str, Any]]:
    with db.read() as s:
        return svc.daily_reports(s, actor=actor, policy=policy, today=today, **kw)


def _by_user(reports):
    return {r["user"]: r for r in reports}


def test_alice_item_by_item(db, team, policy, today, scenario):
    (r,) = _reports(db, team["alice"], policy, today)
    assert r["user"] == "alice" and r["date"] == "2026-11-27" and r["team"] is None
    hw, old, acme = scenario["hw"], scenario["old"], scenario["acme"]

    overdue = r["followups_overdue"]
    assert [i["code"] for i in overdue] == [old["code"], hw["code"]]
    assert overdue[0] | {"action": None, "id": None} == {
        "id": None,
        "code": old["code"],
        "customer": "Old Co",
        "grade": "C",
        "stage": "contacted",  # its first contact moved it
        "owner": "alice",
        "due": "2026-11-02",
        "days_overdue": 25,
        "last_contact": "2026-10-01",
        "channel": "email",
        "channels": ["email", "wechat"],
        "kind": "cadence",
        "purpose": None,
        "last_purpose": None,
        "last_place": None,
        "next_action": None,
        "action": None,
    }
    assert overdue[1]["due"] == "2026-11-24" and overdue[1]["days_overdue"] == 3
    assert overdue[1]["action"] == (
        "Visit 华为技术有限公司 (A, signed) — overdue 3 days, was due 2026-11-24; "
        "suggested: visit/phone"
    )

    (due_today,) = r["followups_due_today"]
    assert due_today["code"] == acme["code"] and due_today["days_overdue"] == 0
    assert due_today["kind"] == "first_contact" and due_today["last_contact"] is None
    assert due_today["action"].startswith("Make first contact with Acme Trading (B, prospect)")
    assert "due today (2026-11-27)" in due_today["action"]

    (new,) = r["new_customers"]
    assert (
        new["code"] == acme["code"]
        and new["created"] == "2026-11-24"
        and new["due"] == "2026-11-27"
    )

    # alice owns and submitted both requests: nothing waits on her, but the overdue one shows.
    assert r["approvals_waiting"] == []
    (late,) = r["approvals_overdue"]
    assert late | {"action": None, "step_id": None} == {
        "id": scenario["big_request"],
        "step_id": None,
        "contract": scenario["big"],
        "title": "年度采购合同",
        "customer": "华为技术有限公司",
        "step": 2,
        "steps": 3,
        "role": "finance",
        "amount": "300000.00",
        "currency": "CNY",
        "submitted_by": "alice",
        "waiting_since": "2026-11-23",
        "due": "2026-11-25",
        "days_overdue": 2,
        "amendment": False,
        "action": None,
    }

    (notice,) = r["contracts_notice"]
    assert notice["number"] == scenario["ending"] and notice["days_left"] == 30
    assert notice["reminder"] == 30 and notice["end"] == "2026-12-27"
    assert notice["amount"] == "120000.00" and notice["status"] == "signed"
    assert "give notice or renew by 2026-11-27" in notice["action"]

    ms = r["milestones"]
    assert [(m["kind"], m["due"], m["days_overdue"], m["days_left"]) for m in ms] == [
        ("payment", "2026-11-25", 2, 0),
        ("delivery", "2026-12-03", 0, 6),
    ]
    assert ms[0]["amount"] == "60000.00" and ms[1]["amount"] is None
    assert r["counts"] == {
        "followups_overdue": 2,
        "followups_due_today": 1,
        "approvals_waiting": 0,
        "approvals_overdue": 1,
        "approvals_copied": 0,
        "contracts_notice": 1,
        "milestones": 2,
        "new_customers": 1,
        "receipts_overdue": 1,
        "invoices_to_issue": 0,
    }
    assert r["items"] == 9


def test_approvers_and_team(db, team, policy, today, scenario):
    reports = _by_user(_reports(db, team["root"], policy, today, everyone=True))
    assert sorted(reports) == ["alice", "bob", "fay", "gus", "leo", "mia", "root"]
    fay, mia, leo, gus = reports["fay"], reports["mia"], reports["leo"], reports["gus"]
    assert [(i["contract"], i["role"], i["days_overdue"]) for i in fay["approvals_waiting"]] == [
        (scenario["big"], "finance", 2)
    ]
    assert fay["approvals_waiting"][0]["action"].startswith(
        f"Approve or reject {scenario['big']} 年度采购合同 (华为技术有限公司, 300,000.00 CNY) as finance"
    )
    assert [i["contract"] for i in fay["approvals_overdue"]] == [scenario["big"]]
    # mia: the small one is hers to approve; the big one's manager step is done.
    assert [(i["contract"], i["due"]) for i in mia["approvals_waiting"]] == [
        (scenario["small"], "2026-12-01")
    ]
    assert [i["contract"] for i in mia["approvals_overdue"]] == [scenario["big"]]
    assert leo["approvals_waiting"] == [] and leo["approvals_overdue"] == []
    assert [i["contract"] for i in gus["approvals_overdue"]] == [scenario["big"]]
    # Managers (and the gm) get the team's overdue summary; others do not.
    assert mia["team"] == {
        "overdue": 2,
        "by_owner": [
            {
                "owner": "alice",
                "name": "Alice Chen",
                "overdue": 2,
                "oldest_due": "2026-11-02",
                "max_days_overdue": 25,
            }
        ],
    }
    assert gus["team"] == mia["team"] and reports["alice"]["team"] is None
    assert not is_empty(mia) and is_empty(leo) and is_empty(reports["root"])
    bob = reports["bob"]
    assert [i["code"] for i in bob["followups_due_today"]] == [scenario["glx"]["code"]]
    # Neither is overdue: grade B before grade C, whatever the due date.
    assert [i["code"] for i in bob["new_customers"]] == [
        scenario["new"]["code"],
        scenario["glx"]["code"],
    ]
    assert bob["new_customers"][0]["due"] == "2026-11-30"
    assert reports["alice"] == _reports(db, team["alice"], policy, today)[0]


def test_whole_team_equals_one_by_one(db, team, policy, today, scenario):
    everyone = _reports(db, team["mia"], policy, today, everyone=True)
    for report in everyone:
        (alone,) = _reports(db, team["mia"], policy, today, owner=report["user"])
        assert alone == report


def test_archived_and_contacted_customers_drop_out(db, team, policy, today, scenario):
    with db.write() as s:
        customers.archive_customer(
            s, actor=team["alice"], ref=scenario["old"]["code"], policy=policy, today=today
        )
    log_followup(
        db,
        actor=team["alice"],
        customer=scenario["acme"]["code"],
        policy=policy,
        today=D("2026-11-27"),
    )
    (r,) = _reports(db, team["alice"], policy, today)
    assert [i["code"] for i in r["followups_overdue"]] == [scenario["hw"]["code"]]
    assert r["followups_due_today"] == [] and r["new_customers"] == []


def test_bad_input(db, team, policy, today, scenario):
    with pytest.raises(Invalid, match="--owner and --all"):
        _reports(db, team["mia"], policy, today, owner="alice", everyone=True)
    with pytest.raises(NotFound, match="--owner"):
        _reports(db, team["mia"], policy, today, owner="nobody")
    with pytest.raises(NotPermitted):
        _reports(db, team["alice"], policy, today, owner="bob")
    with pytest.raises(NotPermitted):
        _reports(db, team["alice"], policy, today, everyone=True)


def test_empty_database_reports_nothing(db, team, policy, today):
    with db.read() as s:
        users = s.execute(select(User).order_by(User.login)).scalars().all()
        reports = svc.build_reports(
            s, recipients=[Recipient.of(u) for u in users], policy=policy, today=today
        )
    assert all(is_empty(r) for r in reports) and len(reports) == len(team)


@pytest.mark.parametrize(
    ("today_", "end", "notice", "expected"),
    [
        ("2026-11-27", "2026-12-27", 30, 30),  # exactly 30 days
        ("2026-11-27", "2026-12-28", 30, None),  # 31 days: nothing yet
        ("2026-11-27", "2026-12-04", 30, 7),
        ("2026-11-27", "2026-11-27", 30, 0),  # ends today
        ("2026-11-30", "2026-12-06", 30, 7),  # the 7-day point fell on Sunday: Monday has it
        ("2026-11-30", "2026-12-05", 30, 7),  # ... or on Saturday
        ("2026-11-30", "2026-12-08", 30, None),  # 8 days on Monday: not a point
        ("2026-11-27", "2027-01-11", 45, 45),  # the contract's own notice days
        ("2026-11-27", "2026-11-20", 30, "ended"),  # still active after its end
    ],
)
def test_notice_trigger(policy, today_, end, notice, expected):
    assert (
        notice_trigger(end=D(end), notice_days=notice, policy=policy, today=D(today_)) == expected
    )


def test_weekend_catch_up_in_report(db, team, policy, scenario):
    monday = D("2026-11-30")
    (r,) = _reports(db, team["alice"], policy, monday)
    assert r["contracts_notice"] == []  # 27 days left on Monday: not a reminder point
    assert _reports(db, team["alice"], policy, monday - timedelta(days=3))[0]["contracts_notice"]


def test_new_customer_with_a_planned_first_contact_is_still_never_contacted(
    db, team, policy, today, scenario
):
    newco = scenario["new"]["code"]
    with db.write() as s:
        followups.plan_followup(
            s,
            actor=team["bob"],
            customer=newco,
            due="2026-12-01",
            purpose="首次拜访",
            today=today,
        )
    (r,) = _reports(db, team["bob"], policy, today)
    planned = [i for i in r["new_customers"] if i["code"] == newco]
    assert len(planned) == 1 and planned[0]["due"] == "2026-12-01"


def test_money_sections_for_the_owner_and_finance(db, team, policy, today, scenario):
    """Receipts overdue (逾期回款) reach the contract's owner and finance; invoices to issue
    (待开票) reach finance only."""
    from bizops.services import money

    with db.write() as s:
        money.request_invoice(
            s, actor=team["alice"], ref=scenario["ending"], amount="60000", type="special",
            today=today,
        )  # fmt: skip
    reports = _by_user(_reports(db, team["root"], policy, today, everyone=True))
    alice, fay, bob = reports["alice"], reports["fay"], reports["bob"]
    (late,) = alice["receipts_overdue"]
    assert late["contract"] == scenario["ending"] and late["overdue"] == "60000.00"
    assert late["oldest_due"] == "2026-11-25" and late["days_overdue"] == 2
    assert late["action"].startswith("Chase 60,000.00 CNY overdue on " + scenario["ending"])
    assert fay["receipts_overdue"] == alice["receipts_overdue"]
    assert bob["receipts_overdue"] == [] and alice["invoices_to_issue"] == []
    (invoice,) = fay["invoices_to_issue"]
    assert invoice["amount"] == "60000.00" and "invoice issue" in invoice["action"]
    text = render_daily([fay], "text")
    assert "Receipts overdue (1)" in text and "Invoices to issue (1)" in text


def test_team_summary_counts_what_the_due_list_lists(db, team, policy, today, scenario):
    """The team's summary, counted per owner by the database, equals the one counted from
    the due follow-ups themselves."""
    from bizops.reports.daily import team_section, team_summary

    with db.read() as s:
        names = {u.login: u.name for u in s.execute(select(User)).scalars()}
        logins = {u.id: u.login for u in s.execute(select(User)).scalars()}
        rows = followups.due_rows(s, owner_ids=None, until=today, today=today, policy=policy)
        from_rows = team_section(rows, names=names, today=today)
        counted = followups.overdue_by_owner(s, today=today)
    by_login = {logins[uid]: figures for uid, figures in counted.items()}
    assert from_rows["overdue"] == 2
    assert team_summary(by_login, names=names, today=today) == from_rows
