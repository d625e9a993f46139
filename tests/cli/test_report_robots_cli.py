"""report daily --send --via wecom|dingtalk end to end, against a local webhook."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bizops.services.policy import default_policy
from bizops.store.engine import Database
from tests.support.factories import add_user
from tests.support.report_scenario import make_report_scenario
from tests.support.webhook import webhook_server

TODAY = ("--today", "2026-11-27")


@pytest.fixture
def seeded_cli(cli_admin):
    db = Database(os.environ["BIZOPS_DB"])
    team = {"root": add_user(db, "root")}
    for login, role, name in (
        ("alice", "sales", "Alice Chen"),
        ("bob", "sales", "Bob Li"),
        ("mia", "manager", "Mia Wang"),
        ("fay", "finance", "Fay Zhao"),
        ("leo", "legal", "Leo Sun"),
        ("gus", "gm", "Gus Zhou"),
    ):
        team[login] = add_user(db, login, role, name=name)
    make_report_scenario(db, team, default_policy())
    yield cli_admin
    db.dispose()


def _config(tmp_path: Path, hook, via: str = "email") -> tuple[str, str]:
    hook.secrets["tok"] = "SECcli"
    path = tmp_path / "policy.toml"
    path.write_text(
        f'[mail]\nvia = "{via}"\n\n'
        "[[mail.robots]]\n"
        'name = "east"\nvia = "wecom"\n'
        f'url = "{hook.url("/cgi-bin/webhook/send", key="east")}"\n'
        'users = ["alice", "bob"]\n\n'
        "[[mail.robots]]\n"
        'name = "team"\nvia = "dingtalk"\n'
        f'url = "{hook.url("/robot/send", access_token="tok")}"\n'
        'secret = "SECcli"\n',
        encoding="utf-8",
    )
    return ("--config", str(path))


def test_send_via_wecom_names_the_robot(seeded_cli, tmp_path):
    cli = seeded_cli
    with webhook_server() as hook:
        cfg = _config(tmp_path, hook)
        result = cli(
            "--as", "root", *cfg, *TODAY, "report", "daily", "--all", "--send", "--via", "wecom"
        )
        assert result.exit_code == 0, result.output
        assert "sent: alice wecom robot east (9 item(s))" in result.stdout
        assert "skipped: fay — no wecom robot" in result.stdout
        assert len(hook.messages) == 2
        again = cli(
            "--as", "root", *cfg, *TODAY, "report", "daily", "--all", "--send", "--via", "wecom",
            "--quiet-if-empty",
        )  # fmt: skip
        assert again.exit_code == 0 and "sent:" not in again.stdout


def test_send_follows_the_policy_s_channel_and_signs_dingtalk(seeded_cli, tmp_path):
    cli = seeded_cli
    with webhook_server() as hook:
        cfg = _config(tmp_path, hook, via="dingtalk")
        result = cli("--as", "root", *cfg, *TODAY, "report", "daily", "--owner", "bob", "--send")
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("sent: bob dingtalk robot team (")
        assert hook.bad_signatures == 0 and len(hook.messages) == 1


def test_failed_robot_exits_1_and_usage_errors_exit_2(seeded_cli, tmp_path):
    cli = seeded_cli
    with webhook_server() as hook:
        cfg = _config(tmp_path, hook)
        hook.refuse.add("east")
        failed = cli(
            "--as", "root", *cfg, *TODAY, "report", "daily", "--owner", "alice", "--send",
            "--via", "wecom",
        )  # fmt: skip
        assert failed.exit_code == 1
        assert (
            "Error: message to alice wecom robot east failed: wecom robot east: errcode 93000"
            in (failed.stderr)
        )
        no_send = cli("--as", "root", *cfg, *TODAY, "report", "daily", "--via", "wecom")
        assert no_send.exit_code == 2 and "--via only applies with --send" in no_send.stderr
    nothing = cli("--as", "root", *TODAY, "report", "daily", "--all", "--send", "--via", "dingtalk")
    assert nothing.exit_code == 2
    assert "--send --via dingtalk needs a dingtalk robot with a url" in nothing.stderr
    assert nothing.stdout == ""
