"""The PRC calendar through the services: first contacts, follow-ups, approval SLAs and the
daily report's deadlines, around the 2026 National Day and Spring Festival."""

from __future__ import annotations

from datetime import date

from bizops.domain import workdays
from bizops.domain.policy import build_policy, merge_policy
from bizops.reports.daily.common import when_working
from bizops.services import approvals, customers, followups, reports
from bizops.services.policy import default_policy_data
from tests.support.factories import add_customer, submitted_contract

D = date.fromisoformat


def _add(db, team, policy, name, grade, on):
    with db.write() as s:
        return customers.add_customer(
            s,
            actor=team["alice"],
            name=name,
            grade=grade,
            owner=team["alice"],
            policy=policy,
            today=D(on),
        )


def test_first_contact_and_follow_ups_skip_the_national_day_holiday(db, team, policy):
    added = _add(db, team, policy, "国庆客户", "A", "2026-09-30")
    assert added["next_due"] == D("2026-10-08")
    # B grade: 3 days after 28 September is 1 October, a holiday.
    assert _add(db, team, policy, "节前客户", "B", "2026-09-28")["next_due"] == D("2026-10-08")
    with db.write() as s:
        # A manager's log: the day lies before the follow-up was created (the clock of this
        # test runs back), which a sales rep may not log.
        followups.log_followup(
            s,
            actor=team["mia"],
            customer=added["code"],
            via="电话",
            summary="节前沟通",
            policy=policy,
            today=D("2026-09-24"),
        )
    with db.read() as s:
        shown = customers.show_customer(s, ref=added["code"], today=D("2026-09-24"))
    # A grade, prospect: 7 days after 24 September is 1 October.
    assert shown["next_due"] == D("2026-10-08")


def test_weekends_only_when_the_policy_says_so(db, team):
    plain = build_policy(
        merge_policy(default_policy_data(), {"calendar": {"calendar": "weekends"}})
    )
    assert _add(db, team, plain, "平常客户", "A", "2026-09-30")["next_due"] == D("2026-10-01")


def test_spring_festival_make_up_saturday_is_a_working_day(db, team, policy):
    # Friday 13 February 2026 + 1 day is Saturday the 14th: a make-up working day.
    assert _add(db, team, policy, "春节客户", "A", "2026-02-13")["next_due"] == D("2026-02-14")
    # 7 days from 13 February falls in the holiday (15-23 February): due the 24th.
    assert _add(db, team, policy, "节中客户", "C", "2026-02-13")["next_due"] == D("2026-02-24")


def test_approval_sla_counts_working_days_over_the_holiday(db, team, policy):
    on = D("2026-09-30")
    customer = add_customer(
        db, name="华东机械有限公司", owner=team["alice"], policy=policy, today=on
    )
    _, request = submitted_contract(
        db, actor=team["alice"], customer=customer, policy=policy, today=on
    )
    with db.read() as s:
        steps = approvals.show_request(s, ref=request, today=on)["steps"]
    assert steps[0]["due"] == D("2026-10-09")  # 8 and 9 October: the two working days
    with db.read() as s:
        (report,) = reports.daily_reports(
            s, actor=team["mia"], policy=policy, today=D("2026-09-30")
        )
    (item,) = report["approvals_waiting"]
    assert "due in 2 working days (2026-10-09)" in item["action"]


def test_deadline_words():
    prc = workdays.prc()
    assert when_working(D("2026-10-09"), D("2026-09-30"), prc) == (
        "due in 2 working days (2026-10-09)"
    )
    assert when_working(D("2026-10-08"), D("2026-09-30"), prc) == (
        "due in 1 working day (2026-10-08)"
    )
    assert when_working(D("2026-09-30"), D("2026-09-30"), prc) == "due today (2026-09-30)"
    assert when_working(D("2026-09-29"), D("2026-09-30"), prc).startswith("overdue 1 day")
