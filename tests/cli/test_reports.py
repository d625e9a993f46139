"""The report commands end to end: formats, exit codes, --send over a real SMTP server."""

from __future__ import annotations

import json
import os
import tomllib
from datetime import date
from pathlib import Path

import pytest

from bizops.services.policy import default_policy
from bizops.store.engine import Database
from bizops.store.models import ReportDelivery
from tests.support.factories import add_team
from tests.support.policies import apply_policy, cli_database
from tests.support.queries import count_rows
from tests.support.report_scenario import make_report_scenario
from tests.support.smtp import free_port, smtp_server

TODAY = ("--today", "2026-11-27")


@pytest.fixture
def cli_with_scenario(cli_admin):
    db = Database(os.environ["BIZOPS_DB"])
    make_report_scenario(db, add_team(db), default_policy())
    yield cli_admin, db
    db.dispose()


def _config(tmp_path: Path, port: int) -> tuple[str, ...]:
    """Mail settings for the local SMTP server, put in force as `config apply` would."""
    path = tmp_path / "policy.toml"
    path.write_text(
        f'[mail]\nhost = "127.0.0.1"\nport = {port}\nfrom = "bizops@example.com"\n'
        "starttls = false\n",
        encoding="utf-8",
    )
    apply_policy(cli_database(), tomllib.loads(path.read_text(encoding="utf-8")))
    return ()


def test_daily_json_for_one_and_for_all(cli_with_scenario):
    cli, _ = cli_with_scenario
    one = cli("--as", "alice", *TODAY, "report", "daily", "--format", "json")
    assert one.exit_code == 0, one.output
    report = json.loads(one.stdout)
    assert report["user"] == "alice" and report["items"] == 9
    assert set(report) >= {
        "user",
        "name",
        "email",
        "roles",
        "date",
        "items",
        "counts",
        "followups_overdue",
        "followups_due_today",
        "approvals_waiting",
        "approvals_overdue",
        "contracts_notice",
        "milestones",
        "new_customers",
        "team",
    }
    every = cli("--as", "mia", *TODAY, "report", "daily", "--all", "--format", "json")
    assert every.exit_code == 0
    rows = json.loads(every.stdout)
    assert [r["user"] for r in rows] == ["alice", "bob", "fay", "gus", "leo", "mia", "root"]
    assert rows[0] == report
    assert rows[5]["team"]["overdue"] == 2


def test_daily_text_md_html_and_file(cli_with_scenario, tmp_path):
    cli, _ = cli_with_scenario
    text = cli("--as", "alice", *TODAY, "report", "daily")
    assert text.exit_code == 0
    assert "bizops daily report for Alice Chen (alice) — 2026-11-27" in text.stdout
    assert "Visit 华为技术有限公司 (A, signed) — overdue 3 days, was due 2026-11-24" in text.stdout
    assert "\x1b[" not in text.stdout
    md = cli("--as", "alice", *TODAY, "report", "daily", "--format", "md")
    assert md.stdout.startswith("# Daily report for Alice Chen (`alice`)")
    target = tmp_path / "daily.html"
    html = cli("--as", "alice", *TODAY, "report", "daily", "-o", str(target))
    assert html.exit_code == 0 and html.stdout == ""
    body = target.read_text(encoding="utf-8")
    assert body.startswith("<!DOCTYPE html>") and "华为技术有限公司" in body


def test_daily_owner_all_is_everyone(cli_with_scenario):
    cli, _ = cli_with_scenario
    everyone = cli("--as", "mia", *TODAY, "report", "daily", "--all", "--format", "json")
    owner_all = cli("--as", "mia", *TODAY, "report", "daily", "--owner", "all", "-f", "json")
    assert owner_all.exit_code == 0, owner_all.output
    assert json.loads(owner_all.stdout) == json.loads(everyone.stdout)
    assert len(json.loads(owner_all.stdout)) > 1
    refused = cli("--as", "alice", *TODAY, "report", "daily", "--owner", "all")
    assert refused.exit_code == 4 and refused.stderr.startswith("Error: --all: only a manager")


def test_daily_refuses_a_spreadsheet_name(cli_with_scenario, tmp_path):
    cli, _ = cli_with_scenario
    for name in ("daily.csv", "daily.xlsx"):
        target = tmp_path / name
        result = cli("--as", "alice", *TODAY, "report", "daily", "-o", str(target))
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("Error: -o: the daily report is text, md, html or json")
        assert not target.exists()
    target = tmp_path / "daily.csv"
    chosen = cli("--as", "alice", *TODAY, "report", "daily", "-f", "text", "-o", str(target))
    assert chosen.exit_code == 0 and target.exists()  # an explicit --format is the user's call


def test_quiet_if_empty(cli_with_scenario):
    cli, _ = cli_with_scenario
    quiet = cli("--as", "leo", *TODAY, "report", "daily", "--quiet-if-empty")
    assert quiet.exit_code == 0 and quiet.stdout == ""
    loud = cli("--as", "leo", *TODAY, "report", "daily")
    assert "Nothing due today" in loud.stdout
    some = cli("--as", "alice", *TODAY, "report", "daily", "--quiet-if-empty")
    assert "华为技术有限公司" in some.stdout
    everyone = cli(
        "--as", "mia", *TODAY, "report", "daily", "--all", "--quiet-if-empty", "--format", "json"
    )
    assert [r["user"] for r in json.loads(everyone.stdout)] == ["alice", "bob", "fay", "gus", "mia"]


def test_bad_input_exit_codes(cli_with_scenario):
    cli, db = cli_with_scenario
    both = cli("--as", "mia", *TODAY, "report", "daily", "--owner", "alice", "--all")
    assert both.exit_code == 2 and "--owner and --all" in both.stderr
    unknown = cli("--as", "mia", *TODAY, "report", "daily", "--owner", "nobody")
    assert unknown.exit_code == 3 and unknown.stderr.startswith("Error: --owner: no user 'nobody'")
    assert cli("--as", "alice", *TODAY, "report", "daily", "--owner", "bob").exit_code == 4
    no_mail = cli("--as", "mia", *TODAY, "report", "daily", "--all", "--send")
    assert no_mail.exit_code == 2
    assert "mail.host, mail.from" in no_mail.stderr and no_mail.stdout == ""
    force = cli("--as", "mia", *TODAY, "report", "daily", "--force")
    assert force.exit_code == 2 and "--send" in force.stderr
    for command in ("funnel", "compliance", "contracts"):
        bad = cli(*TODAY, "report", command, "--from", "2026-11-30", "--to", "2026-11-01")
        assert bad.exit_code == 2, command
        assert "is after --to" in bad.stderr
    assert cli(*TODAY, "report", "compliance", "--by", "region").exit_code == 2
    assert cli(*TODAY, "report", "funnel", "--from", "someday").exit_code == 2
    assert count_rows(db, ReportDelivery) == 0


def test_send_once_a_day_then_force(cli_with_scenario, tmp_path):
    cli, db = cli_with_scenario
    with smtp_server() as (inbox, port):
        cfg = _config(tmp_path, port)
        first = cli("--as", "root", *cfg, *TODAY, "report", "daily", "--all", "--send")
        assert first.exit_code == 0, first.output
        assert "sent: alice <alice@example.com> (9 item(s))" in first.stdout
        assert "skipped: leo — nothing to report" in first.stdout
        assert inbox.to() == [f"{u}@example.com" for u in ("alice", "bob", "fay", "gus", "mia")]
        second = cli(
            "--as", "root", *cfg, *TODAY, "report", "daily", "--all", "--send", "--quiet-if-empty"
        )
        assert second.exit_code == 0 and second.stdout == ""
        assert len(inbox.messages) == 5
        forced = cli("--as", "root", *cfg, *TODAY, "report", "daily", "--all", "--send", "--force")
        assert forced.exit_code == 0 and forced.stdout.count("sent: ") == 5
        assert len(inbox.messages) == 10
    assert count_rows(db, ReportDelivery) == 5


def test_send_to_unreachable_server(cli_with_scenario, tmp_path):
    cli, db = cli_with_scenario
    cfg = _config(tmp_path, free_port())
    result = cli("--as", "root", *cfg, *TODAY, "report", "daily", "--all", "--send")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot reach SMTP server 127.0.0.1:")
    assert count_rows(db, ReportDelivery) == 0


def test_metrics_commands(cli_with_scenario):
    cli, _ = cli_with_scenario
    funnel = cli(*TODAY, "report", "funnel", "--format", "json")
    assert funnel.exit_code == 0
    rows = json.loads(funnel.stdout)
    # Old Co, contacted, has moved on to contacted: 3 of the 4 customers added as prospects.
    assert rows[0]["stage"] == "prospect" and rows[0]["current"] == 3
    comp = cli(*TODAY, "report", "compliance", "--by", "grade", "--format", "csv")
    assert comp.exit_code == 0
    assert comp.stdout.splitlines()[0].startswith("by,group,due,on_time")
    contracts = cli(*TODAY, "report", "contracts", "--format", "json")
    assert contracts.exit_code == 0
    data = json.loads(contracts.stdout)
    assert data["expiring"][0] == {
        "within_days": 30,
        "count": 1,
        "value": {"CNY": "120000.00"},
        "counts": {"CNY": 1},
    }
    assert data["overdue_milestones"] == {
        "count": 1,
        "value": {"CNY": "60000.00"},
        "counts": {"CNY": 1},
    }
    table = cli(*TODAY, "report", "contracts")
    assert table.exit_code == 0 and "approval_cycle" in table.stdout


def test_the_funnel_counts_quotes_in_every_format_and_in_chinese(cli_with_scenario):
    cli, _ = cli_with_scenario
    rows = json.loads(cli(*TODAY, "report", "funnel", "--format", "json").stdout)
    assert {"quotes_sent", "quotes_accepted", "quotes_rejected"} <= set(rows[0])
    csv = cli(*TODAY, "report", "funnel", "--format", "csv").stdout
    assert csv.splitlines()[0].endswith(",stays,quotes_sent,quotes_accepted,quotes_rejected")
    zh = cli("--lang", "zh", *TODAY, "report", "funnel", "--format", "csv", "--headers", "zh")
    assert zh.exit_code == 0, zh.output
    assert zh.stdout.splitlines()[0].endswith(",已发报价,已接受报价,被拒报价")


def test_daily_all_json_is_streamed_with_the_same_bytes(cli_with_scenario, tmp_path):
    """The whole team's JSON is written one report at a time; the bytes are those of the
    reports rendered as one list, to standard output and to a file alike."""
    from bizops.reports.render import json_text
    from bizops.services import reports as svc
    from bizops.services.policy_versions import policy_in_force
    from bizops.store.models import User

    cli, db = cli_with_scenario
    streamed = cli("--as", "mia", *TODAY, "report", "daily", "--all", "--format", "json")
    assert streamed.exit_code == 0, streamed.output
    with db.read() as s:
        mia = s.query(User).filter_by(login="mia").one()
        listed = svc.daily_reports(
            s, actor=mia, policy=policy_in_force(s), today=date(2026, 11, 27), everyone=True
        )
    assert len(listed) > 1 and streamed.stdout == json_text(listed)
    target = tmp_path / "team.json"
    written = cli("--as", "mia", *TODAY, "report", "daily", "--all", "-o", str(target))
    assert written.exit_code == 0 and written.stdout == ""
    assert target.read_text(encoding="utf-8") == streamed.stdout
