"""--send: one mail per user and day over a real SMTP server; claims, failures, --force."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bizops.domain.errors import Invalid
from bizops.domain.policy import build_policy, merge_policy
from bizops.reports.mailer import MailError
from bizops.services import reports as svc
from bizops.services.policy import default_policy_data
from bizops.store.models import AuditEvent, ReportDelivery, User
from tests.support.report_scenario import make_report_scenario
from tests.support.smtp import free_port, smtp_server

WITH_ITEMS = ["alice", "bob", "fay", "gus", "mia"]


def mail_policy(port: int, **extra):
    mail = {"host": "127.0.0.1", "port": port, "from": "bizops@example.com", "starttls": False}
    return build_policy(merge_policy(default_policy_data(), {"mail": mail | extra}))


@pytest.fixture
def scenario(db, team, policy):
    return make_report_scenario(db, team, policy)


def _everyone(db, team, policy, today):
    with db.read() as s:
        return svc.daily_reports(s, actor=team["root"], policy=policy, today=today, everyone=True)


def _deliveries(db):
    with db.read() as s:
        return {
            login: (items, msg_id)
            for login, items, msg_id in s.execute(
                select(User.login, ReportDelivery.items, ReportDelivery.message_id)
                .join(User, User.id == ReportDelivery.user_id)
                .where(ReportDelivery.status == "sent")
            )
        }


def _audit(db, action):
    with db.read() as s:
        return s.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        ).scalar_one()


def test_once_per_user_per_day_then_force(db, team, policy, today, scenario):
    reports = _everyone(db, team, policy, today)
    with smtp_server() as (inbox, port):
        mp = mail_policy(port)
        first = svc.send_daily(db, actor="root", reports=reports, policy=mp, today=today)
        assert sorted(i["user"] for i in first.sent) == WITH_ITEMS
        assert sorted((i["user"], i["reason"]) for i in first.skipped) == [
            ("leo", "nothing to report"),
            ("root", "nothing to report"),
        ]
        assert inbox.to() == [f"{u}@example.com" for u in WITH_ITEMS]

        second = svc.send_daily(db, actor="root", reports=reports, policy=mp, today=today)
        assert second.sent == [] and second.failed == []
        assert (
            sorted(i["user"] for i in second.skipped if i["reason"] == "already sent today")
            == WITH_ITEMS
        )
        assert len(inbox.messages) == len(WITH_ITEMS)

        forced = svc.send_daily(
            db, actor="root", reports=reports, policy=mp, today=today, force=True
        )
        assert sorted(i["user"] for i in forced.sent) == WITH_ITEMS
        assert len(inbox.messages) == 2 * len(WITH_ITEMS)

        tomorrow = svc.send_daily(
            db, actor="root", reports=reports, policy=mp, today=today + timedelta(days=1)
        )
        assert len(tomorrow.sent) == len(WITH_ITEMS)

    rows = _deliveries(db)
    assert set(rows) == set(WITH_ITEMS)
    assert rows["alice"][0] == 9
    last_alice = [m for m in inbox.messages if "alice" in str(m["To"])][-1]
    assert _audit(db, "report.sent") == 2 * len(WITH_ITEMS)
    assert _audit(db, "report.resent") == len(WITH_ITEMS)
    assert last_alice["Message-ID"]


def test_message_is_multipart_utf8(db, team, policy, today, scenario):
    reports = [r for r in _everyone(db, team, policy, today) if r["user"] == "alice"]
    with smtp_server() as (inbox, port):
        svc.send_daily(db, actor="root", reports=reports, policy=mail_policy(port), today=today)
    (msg,) = inbox.messages
    assert msg.get_content_type() == "multipart/alternative"
    assert str(msg["Subject"]) == (
        "bizops: what is due on 2026-11-27 — Alice Chen: 9 项待办 / item(s)"
    )
    assert str(msg["From"]) == "bizops@example.com"
    assert msg["To"].addresses[0].display_name == "Alice Chen"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    # Each language speaks its own: the headings are English by default.
    assert "华为技术有限公司" in text and "Overdue follow-ups (2)" in text
    assert "<table" in html and "华为技术有限公司" in html and "<link" not in html
    assert "<script" not in html


def test_unreachable_server_marks_nothing(db, team, policy, today, scenario):
    reports = _everyone(db, team, policy, today)
    with pytest.raises(MailError, match=r"cannot reach SMTP server 127\.0\.0\.1:"):
        svc.send_daily(
            db, actor="root", reports=reports, policy=mail_policy(free_port()), today=today
        )
    assert _deliveries(db) == {}
    assert _audit(db, "report.sent") == 0


def test_missing_settings_name_the_keys(db, team, policy, today, scenario):
    reports = _everyone(db, team, policy, today)
    with pytest.raises(Invalid, match=r"missing mail\.host, mail\.from"):
        svc.send_daily(db, actor="root", reports=reports, policy=policy, today=today)
    needs_password = mail_policy(25, user="bizops", password_env="BIZOPS_TEST_NO_SUCH_VAR")
    with pytest.raises(Invalid, match="BIZOPS_TEST_NO_SUCH_VAR"):
        svc.send_daily(db, actor="root", reports=reports, policy=needs_password, today=today)
    assert _deliveries(db) == {}


def test_one_refused_mail_does_not_lose_the_others(db, team, policy, today, scenario):
    with db.write() as s:
        s.get(User, team["gus"].id).email = None
    reports = _everyone(db, team, policy, today)
    with smtp_server() as (inbox, port):
        inbox.refuse.add("bob@example.com")
        out = svc.send_daily(
            db, actor="root", reports=reports, policy=mail_policy(port), today=today
        )
        assert [i["user"] for i in out.failed] == ["bob"]
        assert "550" in out.failed[0]["error"]
        assert ("gus", "no email address") in [(i["user"], i["reason"]) for i in out.skipped]
        assert sorted(i["user"] for i in out.sent) == ["alice", "fay", "mia"]
        assert "bob" not in _deliveries(db)

        inbox.refuse.clear()
        again = svc.send_daily(
            db, actor="root", reports=reports, policy=mail_policy(port), today=today
        )
        assert [i["user"] for i in again.sent] == ["bob"]
    assert sorted(_deliveries(db)) == ["alice", "bob", "fay", "mia"]


def test_claims_exclude_each_other(db, team, today):
    uid = team["alice"].id
    now = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
    with db.write() as s:
        claim = svc.claim_delivery(s, user_id=uid, day=today, recipient="a@x", items=3, now=now)
    assert isinstance(claim, svc.Claim) and claim.fresh
    with db.write() as s:  # a second run while the first is sending
        assert (
            svc.claim_delivery(s, user_id=uid, day=today, recipient="a@x", items=3, now=now)
            == "busy"
        )
    with db.write() as s:  # a run that died long ago: its claim is taken over
        later = now + svc.CLAIM_TIMEOUT + timedelta(minutes=1)
        taken = svc.claim_delivery(s, user_id=uid, day=today, recipient="a@x", items=3, now=later)
    assert isinstance(taken, svc.Claim) and taken.delivery_id == claim.delivery_id
    with db.write() as s:
        svc.confirm_delivery(
            s, claim=taken, actor="root", recipient="a@x", items=3, message_id="<m@x>", now=later
        )
    with db.write() as s:
        assert (
            svc.claim_delivery(s, user_id=uid, day=today, recipient="a@x", items=3, now=later)
            == "sent"
        )
        forced = svc.claim_delivery(
            s, user_id=uid, day=today, recipient="a@x", items=3, now=later, force=True
        )
    assert isinstance(forced, svc.Claim) and not forced.fresh
    with db.write() as s:  # a failed forced re-send keeps the earlier delivery
        svc.release_claim(s, claim=forced)
    assert _deliveries(db) == {"alice": (3, "<m@x>")}
    with db.write() as s:
        fresh = svc.claim_delivery(
            s, user_id=team["bob"].id, day=today, recipient="b@x", items=1, now=later
        )
    with db.write() as s:
        svc.release_claim(s, claim=fresh)
    assert "bob" not in _deliveries(db)


def test_managers_and_admins_get_the_audit_anchor(db, team, policy, today, scenario):
    reports = [r for r in _everyone(db, team, policy, today) if r["user"] in ("alice", "mia")]
    with db.read() as s:
        from bizops.services.audit import current_anchor

        anchor = current_anchor(s)["anchor"]
    with smtp_server() as (inbox, port):
        svc.send_daily(db, actor="root", reports=reports, policy=mail_policy(port), today=today)
    bodies = {
        msg["To"].addresses[0].display_name: msg.get_body(("plain",)).get_content()
        for msg in inbox.messages
    }
    by_login = {r["user"]: r["name"] for r in reports}
    assert "Audit anchor (keep it; " in bodies[by_login["mia"]]
    assert anchor in bodies[by_login["mia"]]
    assert "Audit anchor" not in bodies[by_login["alice"]]
