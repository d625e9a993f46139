"""A daily-report mail is sent once, or said to be uncertain: the server hangs up at each
stage of a delivery; a claim left by a killed run is retried; one failure does not stop the
others."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bizops.domain.policy import build_policy, merge_policy
from bizops.services import reports as svc
from bizops.services.policy import default_policy_data
from bizops.store.models import AuditEvent, ReportDelivery, User
from tests.support.cli import Cli
from tests.support.report_scenario import make_report_scenario
from tests.support.smtp import dropping_smtp_server

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


def mail_policy(port: int):  # type: ignore[no-untyped-def]
    mail = {"host": "127.0.0.1", "port": port, "from": "bizops@example.com", "starttls": False}
    return build_policy(merge_policy(default_policy_data(), {"mail": mail}))


@pytest.fixture
def scenario(db, team, policy):  # type: ignore[no-untyped-def]
    return make_report_scenario(db, team, policy)


def _alice(db, team, policy, today):  # type: ignore[no-untyped-def]
    with db.read() as s:
        every = svc.daily_reports(s, actor=team["root"], policy=policy, today=today, everyone=True)
    return [r for r in every if r["user"] == "alice"]


def _states(db) -> dict[str, tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        rows = s.execute(
            select(User.login, ReportDelivery.status, ReportDelivery.server_reply).join(
                User, User.id == ReportDelivery.user_id
            )
        ).all()
    return {login: (status, reply) for login, status, reply in rows}


@pytest.mark.parametrize("stage", ["mail", "rcpt", "data"])
def test_a_drop_before_the_data_went_out_is_retried_once_and_sent_once(  # type: ignore[no-untyped-def]
    db, team, policy, today, scenario, stage
) -> None:
    reports = _alice(db, team, policy, today)
    with dropping_smtp_server(stage, drops=1) as server:
        out = svc.send_daily(
            db, actor="root", reports=reports, policy=mail_policy(server.port), today=today
        )
    assert [i["user"] for i in out.sent] == ["alice"] and not out.failed and not out.uncertain
    assert len(server.received) == 1
    assert _states(db) == {"alice": ("sent", "250 2.0.0 Ok: queued as Q1")}


@pytest.mark.parametrize("stage", ["mail", "rcpt", "data"])
def test_a_server_that_always_drops_before_the_data_is_a_failure_retried_next_run(  # type: ignore[no-untyped-def]
    db, team, policy, today, scenario, stage
) -> None:
    reports = _alice(db, team, policy, today)
    with dropping_smtp_server(stage) as server:
        out = svc.send_daily(
            db, actor="root", reports=reports, policy=mail_policy(server.port), today=today
        )
        assert [i["user"] for i in out.failed] == ["alice"] and server.received == []
    assert _states(db)["alice"][0] == "failed"
    with dropping_smtp_server("after-data", drops=0) as server:
        again = svc.send_daily(
            db, actor="root", reports=reports, policy=mail_policy(server.port), today=today
        )
    assert [i["user"] for i in again.sent] == ["alice"] and len(server.received) == 1
    assert _states(db)["alice"][0] == "sent"


def test_a_drop_after_the_data_is_uncertain_and_not_resent_without_force(  # type: ignore[no-untyped-def]
    db, team, policy, today, scenario
) -> None:
    reports = _alice(db, team, policy, today)
    with dropping_smtp_server("after-data") as server:
        out = svc.send_daily(
            db, actor="root", reports=reports, policy=mail_policy(server.port), today=today
        )
        assert [i["user"] for i in out.uncertain] == ["alice"] and not out.sent
        assert "may have been delivered" in out.uncertain[0]["error"]
        assert len(server.received) == 1  # the server got it once; bizops did not resend
        again = svc.send_daily(
            db, actor="root", reports=reports, policy=mail_policy(server.port), today=today
        )
        assert [(i["user"], i["reason"]) for i in again.skipped] == [("alice", svc.UNCERTAIN)]
        assert len(server.received) == 1
    assert _states(db)["alice"][0] == "uncertain"
    with db.read() as s:
        actions = s.execute(select(AuditEvent.action)).scalars().all()
    assert "report.uncertain" in actions and "report.sent" not in actions
    with dropping_smtp_server("after-data", drops=0) as server:
        forced = svc.send_daily(
            db,
            actor="root",
            reports=reports,
            policy=mail_policy(server.port),
            today=today,
            force=True,
        )
    assert [i["user"] for i in forced.sent] == ["alice"] and len(server.received) == 1
    assert _states(db)["alice"][0] == "sent"


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_claim_left_by_a_killed_run_is_sent_by_the_next_run(  # type: ignore[no-untyped-def]
    db, team, policy, today, scenario
) -> None:
    reports = _alice(db, team, policy, today)
    with db.write() as s:
        claim = svc.claim_delivery(
            s, user_id=team["alice"].id, day=today, recipient="alice@example.com", items=8,
            now=datetime.now(UTC), run=f"{socket.gethostname()}:{_dead_pid()}",
        )  # fmt: skip
    assert isinstance(claim, svc.Claim)
    with dropping_smtp_server("after-data", drops=0) as server:
        out = svc.send_daily(
            db, actor="root", reports=reports, policy=mail_policy(server.port), today=today
        )
    assert [i["user"] for i in out.sent] == ["alice"], out
    assert not any(i["reason"] == svc.ALREADY_SENT for i in out.skipped)
    assert len(server.received) == 1 and _states(db)["alice"][0] == "sent"


def test_a_live_claim_of_another_run_is_busy_never_already_sent(db, team, today) -> None:  # type: ignore[no-untyped-def]
    with db.write() as s:
        svc.claim_delivery(
            s, user_id=team["alice"].id, day=today, recipient="a@x", items=1, now=NOW,
            run=f"{socket.gethostname()}:{os.getppid()}",
        )  # fmt: skip
    with db.write() as s:
        again = svc.claim_delivery(
            s, user_id=team["alice"].id, day=today, recipient="a@x", items=1, now=NOW
        )
    assert again == "busy"


def test_one_failure_does_not_stop_the_others_and_the_run_exits_1(  # type: ignore[no-untyped-def]
    cli: Cli, db, team, policy, today, scenario, tmp_path: Path
) -> None:
    if not db.is_sqlite:
        pytest.skip("the command line runs on the SQLite file")
    with dropping_smtp_server("after-data", drops=0) as server:
        server.refuse.add("bob@example.com")
        config = tmp_path / "policy.toml"
        config.write_text(
            f'[mail]\nhost = "127.0.0.1"\nport = {server.port}\nfrom = "bizops@example.com"\n'
            "starttls = false\n",
            encoding="utf-8",
        )
        r = cli(
            "--db", str(db.path), "--config", str(config), "--as", "root",
            "--today", today.isoformat(), "report", "daily", "--all", "--send",
        )  # fmt: skip
    assert r.exit_code == 1, r.output
    assert "sent: alice <alice@example.com>" in r.stdout
    failed = [line for line in r.stderr.splitlines() if line.startswith("Error: ")]
    assert failed == [
        "Error: mail to bob <bob@example.com> failed: bob@example.com: 550 5.1.1 mailbox unavailable"
    ]
    assert len(server.received) == len([line for line in r.stdout.splitlines() if "sent:" in line])


def test_an_uncertain_delivery_is_said_so_in_chinese_and_exits_1(  # type: ignore[no-untyped-def]
    cli: Cli, db, team, policy, today, scenario, tmp_path: Path
) -> None:
    if not db.is_sqlite:
        pytest.skip("the command line runs on the SQLite file")
    with dropping_smtp_server("after-data") as server:
        config = tmp_path / "policy.toml"
        config.write_text(
            f'[mail]\nhost = "127.0.0.1"\nport = {server.port}\nfrom = "bizops@example.com"\n'
            "starttls = false\n",
            encoding="utf-8",
        )
        args = ("--db", str(db.path), "--config", str(config), "--as", "root",
                "--today", today.isoformat(), "report", "daily", "--owner", "alice", "--send")  # fmt: skip
        r = cli("--lang", "zh", *args)
        assert r.exit_code == 1, r.output
        assert "发送给 alice <alice@example.com> 的结果不确定" in r.stderr
        again = cli("--lang", "zh", *args)
        assert again.exit_code == 0 and "发送结果不确定" in again.stdout
        assert len(server.received) == 1
