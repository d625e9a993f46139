"""report daily --send --via wecom|dingtalk: each user's report to their team's group robot,
once a day, through the same claims as mail; payloads and DingTalk's signature checked by a
local webhook."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bizops.domain.errors import Invalid
from bizops.domain.policy import RobotSettings, build_policy, merge_policy
from bizops.reports import robots
from bizops.services import reports as svc
from bizops.services.policy import default_policy_data
from bizops.store.models import AuditEvent, ReportDelivery, User
from tests.support.report_scenario import make_report_scenario
from tests.support.webhook import webhook_server

WITH_ITEMS = ["alice", "bob", "fay", "gus", "mia"]


def robot_policy(hook, *tables, via="email"):
    mail = {"via": via, "robots": list(tables)}
    return build_policy(merge_policy(default_policy_data(), {"mail": mail}))


def team_robots(hook):
    """East (alice, bob) on WeCom; everyone else on a second WeCom robot; all on DingTalk."""
    hook.secrets["ding-1"] = "SEC-test-secret"
    return (
        {
            "name": "east",
            "via": "wecom",
            "url": hook.url("/cgi-bin/webhook/send", key="wk-east"),
            "users": ["alice", "bob"],
        },
        {"name": "all", "via": "wecom", "url": hook.url("/cgi-bin/webhook/send", key="wk-all")},
        {
            "name": "ding",
            "via": "dingtalk",
            "url": hook.url("/robot/send", access_token="ding-1"),
            "secret": "SEC-test-secret",
        },
    )


@pytest.fixture
def seeded(db, team, policy):
    return make_report_scenario(db, team, policy)


def _everyone(db, team, policy, today):
    with db.read() as s:
        return svc.daily_reports(s, actor=team["root"], policy=policy, today=today, everyone=True)


def _deliveries(db):
    with db.read() as s:
        return dict(
            s.execute(
                select(User.login, ReportDelivery.recipient)
                .join(User, User.id == ReportDelivery.user_id)
                .where(ReportDelivery.status == "sent")
            ).all()
        )


def test_wecom_robots_take_their_team_s_reports_once_a_day(db, team, policy, today, seeded):
    reports = _everyone(db, team, policy, today)
    with webhook_server() as hook:
        rp = robot_policy(hook, *team_robots(hook))
        first = svc.send_daily(
            db, actor="root", reports=reports, policy=rp, today=today, via="wecom"
        )
        assert sorted(i["user"] for i in first.sent) == WITH_ITEMS
        assert {i["user"]: i["to"] for i in first.sent} == {
            "alice": "east",
            "bob": "east",
            "fay": "all",
            "gus": "all",
            "mia": "all",
        }
        assert first.failed == []
        keys = sorted(m.query["key"] for m in hook.messages)
        assert keys == ["wk-all"] * 3 + ["wk-east"] * 2
        for message in hook.messages:
            assert message.content_type.startswith("application/json")
            assert set(message.body) == {"msgtype", "markdown"}
            assert message.body["msgtype"] == "markdown"
            content = message.body["markdown"]["content"]
            assert len(content.encode("utf-8")) <= 4096
            assert content.startswith("# Daily report for ")
        alice = next(m for m in hook.messages if "Alice Chen" in m.body["markdown"]["content"])
        assert "华为技术有限公司" in alice.body["markdown"]["content"]

        # Once a day, whatever the channel: a mail run after it sends nothing new either.
        again = svc.send_daily(
            db, actor="root", reports=reports, policy=rp, today=today, via="wecom"
        )
        assert again.sent == [] and len(hook.messages) == 5
        assert {i["reason"] for i in again.skipped} == {"already sent today", "nothing to report"}
        forced = svc.send_daily(
            db, actor="root", reports=reports, policy=rp, today=today, via="wecom", force=True
        )
        assert len(forced.sent) == 5 and len(hook.messages) == 10
    assert _deliveries(db) == {
        "alice": "east",
        "bob": "east",
        "fay": "all",
        "gus": "all",
        "mia": "all",
    }
    with db.read() as s:
        sent = s.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "report.sent")
        ).scalar_one()
    assert sent == 5


def test_dingtalk_messages_are_signed(db, team, policy, today, seeded):
    reports = [r for r in _everyone(db, team, policy, today) if r["user"] == "alice"]
    with webhook_server() as hook:
        rp = robot_policy(hook, *team_robots(hook), via="dingtalk")
        out = svc.send_daily(db, actor="root", reports=reports, policy=rp, today=today)
        assert [i["to"] for i in out.sent] == ["ding"] and out.failed == []
        assert hook.bad_signatures == 0
        (message,) = hook.messages
        assert message.path == "/robot/send"
        assert {"access_token", "timestamp", "sign"} <= set(message.query)
        body = message.body
        assert body["msgtype"] == "markdown"
        assert body["markdown"]["title"].startswith("bizops: what is due on 2026-11-27")
        assert "华为技术有限公司" in body["markdown"]["text"]


def test_a_wrong_secret_fails_and_marks_nothing(db, team, policy, today, seeded):
    reports = [r for r in _everyone(db, team, policy, today) if r["user"] in ("alice", "bob")]
    with webhook_server() as hook:
        tables = team_robots(hook)
        wrong = dict(tables[2], secret="SEC-not-the-one")
        rp = robot_policy(hook, wrong, via="dingtalk")
        out = svc.send_daily(db, actor="root", reports=reports, policy=rp, today=today)
        assert sorted(i["user"] for i in out.failed) == ["alice", "bob"]
        assert "dingtalk robot ding: errcode 310000: sign not match" in out.failed[0]["error"]
        assert "access_token" not in out.failed[0]["error"]  # the url's key is never shown
        assert hook.messages == [] and hook.bad_signatures == 2
    assert _deliveries(db) == {}


def test_one_refused_robot_does_not_lose_the_others(db, team, policy, today, seeded):
    reports = _everyone(db, team, policy, today)
    with webhook_server() as hook:
        rp = robot_policy(hook, *team_robots(hook), via="wecom")
        hook.refuse.add("wk-east")
        out = svc.send_daily(db, actor="root", reports=reports, policy=rp, today=today)
        assert sorted(i["user"] for i in out.failed) == ["alice", "bob"]
        assert "errcode 93000" in out.failed[0]["error"]
        assert sorted(i["user"] for i in out.sent) == ["fay", "gus", "mia"]
        hook.refuse.clear()
        again = svc.send_daily(db, actor="root", reports=reports, policy=rp, today=today)
        assert sorted(i["user"] for i in again.sent) == ["alice", "bob"]


def test_unreachable_robot_is_a_failure_not_a_delivery(db, team, policy, today, seeded):
    from tests.support.smtp import free_port

    reports = [r for r in _everyone(db, team, policy, today) if r["user"] == "alice"]
    table = {"name": "gone", "via": "wecom", "url": f"http://127.0.0.1:{free_port()}/send?key=x"}
    rp = robot_policy(None, table)
    out = svc.send_daily(db, actor="root", reports=reports, policy=rp, today=today, via="wecom")
    assert [i["user"] for i in out.failed] == ["alice"]
    assert out.failed[0]["error"].startswith("wecom robot gone: ")
    assert _deliveries(db) == {}


def test_nothing_is_sent_without_a_url(db, team, policy, today, seeded):
    reports = _everyone(db, team, policy, today)
    with webhook_server() as hook:
        no_url = robot_policy(hook, {"name": "east", "via": "wecom", "users": ["alice"]})
        with pytest.raises(Invalid, match=r"--send --via wecom needs a wecom robot with a url"):
            svc.send_daily(
                db, actor="root", reports=reports, policy=no_url, today=today, via="wecom"
            )
        with pytest.raises(Invalid, match="needs a dingtalk robot"):
            svc.send_daily(
                db, actor="root", reports=reports, policy=no_url, today=today, via="dingtalk"
            )
        # Only some users have a robot with a url: the others are skipped, and say why.
        tables = team_robots(hook)
        partial = robot_policy(
            hook, tables[0], {"name": "rest", "via": "wecom", "users": ["fay", "gus"]}
        )
        out = svc.send_daily(
            db, actor="root", reports=reports, policy=partial, today=today, via="wecom"
        )
        assert sorted(i["user"] for i in out.sent) == ["alice", "bob"]
        reasons = {i["user"]: i["reason"] for i in out.skipped}
        assert reasons["fay"] == "robot rest has no url"
        assert reasons["mia"] == "no wecom robot"
        assert len(hook.messages) == 2
    assert _deliveries(db) == {"alice": "east", "bob": "east"}


def test_policy_checks_the_robots():
    def problems(*tables, via="email"):
        with pytest.raises(Invalid) as info:
            build_policy(
                merge_policy(default_policy_data(), {"mail": {"via": via, "robots": list(tables)}})
            )
        return "\n".join(info.value.details)

    assert "mail.via: 'fax'; accepted: email, wecom, dingtalk" in problems(via="fax")
    assert "mail.robots[1].via: 'slack'" in problems({"name": "x", "via": "slack"})
    assert "must be an http(s) address" in problems({"via": "wecom", "url": "ftp://x"})
    assert "mail.robots[1]: unknown keys token" in problems({"via": "wecom", "token": "t"})
    two = problems(
        {"name": "a", "via": "wecom", "users": ["alice"]},
        {"name": "b", "via": "wecom", "users": ["alice"]},
    )
    assert "alice is in two wecom robots (a, b)" in two
    defaults = problems({"name": "a", "via": "wecom"}, {"name": "b", "via": "wecom"})
    assert "two wecom robots name no users (a, b)" in defaults
    assert "the name 'a' is used twice" in problems(
        {"name": "a", "via": "wecom"}, {"name": "a", "via": "dingtalk"}
    )
    # One default per channel is fine, and so is the same user on WeCom and DingTalk.
    fine = build_policy(
        merge_policy(
            default_policy_data(),
            {
                "mail": {
                    "robots": [
                        {"name": "a", "via": "wecom", "users": ["alice"]},
                        {"name": "b", "via": "dingtalk", "users": ["alice"]},
                        {"name": "c", "via": "wecom"},
                    ]
                }
            },
        )
    )
    assert fine.mail.robot_for("alice", "wecom").name == "a"
    assert fine.mail.robot_for("bob", "wecom").name == "c"
    assert fine.mail.robot_for("bob", "dingtalk") is None


def test_long_reports_are_split_and_the_rest_is_cut_with_a_note():
    lines = [f"- 跟进客户 {i}：华为技术有限公司，逾期 {i} 天" for i in range(400)]
    text = "# Daily report\n\n" + "\n".join(lines)
    parts = robots.split_markdown(text, 4000)
    assert len(parts) == robots.MAX_PARTS
    assert all(len(p.encode()) <= 4000 for p in parts)
    assert parts[0].startswith("# Daily report")
    assert "more line(s) not shown" in parts[-1]
    shown = sum(p.count("\n- ") + p.startswith("- ") for p in parts)
    left = int(parts[-1].rsplit("… ", 1)[1].split(" ")[0])
    assert shown + left == 400
    assert robots.split_markdown("short\ntext", 4000) == ["short\ntext"]
    # A single line longer than the limit is cut at a character, never mid-character.
    (one,) = robots.split_markdown("汉" * 3000, 4000)
    assert len(one.encode()) <= 4000 and one == "汉" * 1333


def test_parts_are_numbered_and_posted_in_order():
    posted = []

    def post(url, body, timeout):
        posted.append(json.loads(body))
        return b'{"errcode": 0, "errmsg": "ok"}'

    robot = RobotSettings(name="east", via="wecom", url="http://127.0.0.1:9/send?key=k")
    poster = robots.RobotPoster(post=post)
    text = "\n".join(f"- line {i} " + "x" * 100 for i in range(100))
    poster.send(robot, title="t", text=text)
    contents = [p["markdown"]["content"] for p in posted]
    assert len(contents) == 3
    assert contents[0].startswith("**(1/3)**") and contents[2].startswith("**(3/3)**")
    assert all(len(c.encode()) <= 4096 for c in contents)


def test_dingtalk_signature_and_url():
    # A known answer, computed independently: printf '1700000000000\nSECabc' | openssl dgst
    # -sha256 -hmac SECabc -binary | base64
    assert robots.sign("SECabc", 1700000000000) == (
        "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D"
    )
    url = robots.signed_url("https://oapi.dingtalk.com/robot/send?access_token=t", "SECabc", 1)
    assert url.startswith("https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1&sign=")
    assert robots.signed_url("https://h/x", None, 1) == "https://h/x"
    assert robots.signed_url("https://h/x", "s", 5).startswith("https://h/x?timestamp=5&sign=")


def test_at_most_twenty_messages_a_minute_per_robot():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    robot = RobotSettings(name="east", via="wecom", url="http://127.0.0.1:9/send?key=k")
    other = RobotSettings(name="west", via="wecom", url="http://127.0.0.1:9/send?key=w")
    poster = robots.RobotPoster(
        post=lambda url, body, timeout: b'{"errcode":0}', clock=lambda: now[0], sleep=sleep
    )
    for _ in range(20):
        poster.send(robot, title="t", text="x")
        poster.send(other, title="t", text="x")
        now[0] += 1.0
    assert slept == []
    poster.send(robot, title="t", text="x")
    assert slept == [pytest.approx(40.0)]


def test_secret_from_the_environment(monkeypatch):
    robot = RobotSettings(name="d", via="dingtalk", url="http://x/", secret_env="BIZOPS_TEST_DING")
    monkeypatch.delenv("BIZOPS_TEST_DING", raising=False)
    with pytest.raises(Invalid, match="BIZOPS_TEST_DING"):
        robots.secret_of(robot)
    monkeypatch.setenv("BIZOPS_TEST_DING", "SECenv")
    assert robots.secret_of(robot) == "SECenv"


def test_next_day_is_a_new_delivery(db, team, policy, today, seeded):
    reports = [r for r in _everyone(db, team, policy, today) if r["user"] == "alice"]
    with webhook_server() as hook:
        rp = robot_policy(hook, *team_robots(hook), via="wecom")
        svc.send_daily(db, actor="root", reports=reports, policy=rp, today=today)
        later = svc.send_daily(
            db, actor="root", reports=reports, policy=rp, today=today + timedelta(days=1)
        )
        assert len(later.sent) == 1 and len(hook.messages) == 2
