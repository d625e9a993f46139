"""`bizops followups ...` wiring: formats, exit codes, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import date

import icalendar
import pytest

from bizops.services import customers as cs
from bizops.services.policy import default_policy
from bizops.services.users import find_user
from bizops.store.engine import Database
from tests.support import TODAY
from tests.support.factories import add_customer

DAY = ["--today", TODAY.isoformat()]  # Friday 27 Nov 2026


@pytest.fixture
def world(cli_admin):
    for login, role in [("alice", "sales"), ("bob", "sales"), ("mia", "manager")]:
        assert cli_admin("--as", "root", "user", "add", login, "--role", role).exit_code == 0
    db = Database(os.environ["BIZOPS_DB"])
    policy = default_policy()
    codes = {}
    with db.write() as s:  # a read would leave alice expired
        alice = find_user(s, "alice")
    for name, grade, owner, created in [
        ("华信科技", "A", "alice", "2026-11-20"),
        ("Globex", "C", "alice", "2026-11-10"),
        ("Bob's Co", "B", "bob", "2026-11-18"),
        ("Later Co", "B", "alice", "2026-11-27"),
    ]:
        codes[name] = add_customer(
            db, actor=alice, name=name, grade=grade, owner=owner, policy=policy,
            today=date.fromisoformat(created),
        )["code"]  # fmt: skip
    db.dispose()
    return codes


def run(cli, *args, user="alice"):
    return cli(*DAY, "--as", user, "followups", *args)


def test_due_json_order_and_keys(cli, world):
    r = run(cli, "due", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    # Globex (C, due 17 Nov: 10 days), 华信 (A, due 23 Nov: 4 days); Bob's is not Alice's.
    assert [(x["customer"], x["days_overdue"]) for x in rows] == [("Globex", 10), ("华信科技", 4)]
    assert set(rows[0]) >= {
        "id", "code", "customer", "grade", "stage", "owner", "due",
        "days_overdue", "last_contact", "channel",
    }  # fmt: skip
    assert rows[0]["due"] == "2026-11-17" and rows[0]["channel"] == "email/wechat"
    assert rows[0]["last_contact"] is None and isinstance(rows[0]["id"], int)

    # A rep sees their own customers (visibility `own`), even with --owner all.
    mine = json.loads(run(cli, "due", "--owner", "all", "-f", "json").stdout)
    assert [x["customer"] for x in mine] == ["Globex", "华信科技"]
    everyone = json.loads(run(cli, "due", "--owner", "all", "-f", "json", user="mia").stdout)
    assert [x["customer"] for x in everyone] == ["Globex", "华信科技", "Bob's Co"]
    manager = json.loads(run(cli, "due", "-f", "json", user="mia").stdout)
    assert manager == everyone
    bobs = json.loads(run(cli, "due", "--owner", "bob", "-f", "json", user="mia").stdout)
    assert [x["owner"] for x in bobs] == ["bob"]
    only_a = json.loads(run(cli, "due", "--grade", "a", "-f", "json").stdout)
    assert [x["grade"] for x in only_a] == ["A"]
    week = json.loads(run(cli, "due", "--within", "7d", "-f", "json").stdout)
    assert [x["customer"] for x in week] == ["Globex", "华信科技", "Later Co"]
    until = json.loads(run(cli, "due", "--until", "2026-12-01", "-f", "json").stdout)
    assert until == week  # Later Co: first contact 27 Nov + 3 = Monday 30 Nov
    overdue = json.loads(run(cli, "due", "--overdue", "-f", "json").stdout)
    assert [x["customer"] for x in overdue] == ["Globex", "华信科技"]
    # --within would be dropped by --overdue: refused rather than ignored.
    assert run(cli, "due", "--overdue", "--within", "7d").exit_code == 2
    one = json.loads(run(cli, "due", "--limit", "1", "-f", "json").stdout)
    assert len(one) == 1


def test_due_csv_table_file_and_empty(cli, world, tmp_path):
    r = run(cli, "due", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [x["customer"] for x in rows] == ["Globex", "华信科技"]
    assert rows[0]["days_overdue"] == "10"
    plain = run(cli, "due")
    assert plain.exit_code == 0
    assert plain.stdout.splitlines()[0].startswith("ID\tCode\tCustomer\tGrade")
    assert "华信科技" in plain.stdout
    out = tmp_path / "due.json"
    r = run(cli, "due", "-o", str(out))
    assert r.exit_code == 0 and "Wrote 2 row(s)" in r.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 2
    empty = cli("--today", "2026-11-01", "--as", "alice", "followups", "due", "-f", "json")
    assert empty.exit_code == 0 and json.loads(empty.stdout) == []


def test_due_errors(cli, world):
    both = run(cli, "due", "--within", "7d", "--until", "eom")
    assert both.exit_code == 2
    assert both.stderr.strip() == (
        "Error: --within and --until cannot be used together; give one of them"
    )
    assert run(cli, "due", "--grade", "D").exit_code == 2
    assert run(cli, "due", "--owner", "nobody").exit_code == 3
    anonymous = cli(*DAY, "followups", "due", env={"USER": "nobody-here", "LOGNAME": "nobody-here"})
    assert anonymous.exit_code == 4 and "who is acting" in anonymous.stderr


def test_log_plan_snooze_list(cli, world, tmp_path):
    code = world["Globex"]
    r = run(
        cli, "log", code, "--via", "phone", "--summary", "谈了报价", "--contact", "张经理",
        "--outcome", "发合同",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert f"Logged phone with {code} Globex on 2026-11-27." in r.stdout
    assert "(due 2026-11-17): 10 day(s) late." in r.stdout
    assert "due 2026-12-28 (Mon)" in r.stdout  # +30 = Sunday 27 Dec -> Monday
    # Four days back: within a policy that allows a week (the default allows three days).
    week = tmp_path / "policy.toml"
    week.write_text("[followups]\nbackdate_days = 7\n", encoding="utf-8")
    assert cli(*DAY, "--as", "root", "config", "apply", str(week)).exit_code == 0
    r = cli(
        *DAY, "--as", "alice", "followups", "log", world["华信科技"],
        "--via", "visit", "--summary", "拜访", "--at", "2026-11-23 10:00",
    )  # fmt: skip
    assert "): on time." in r.stdout and "due 2026-11-30 (Mon)" in r.stdout

    r = run(cli, "plan", code, "--due", "2026-12-02", "--purpose", "送合同")
    assert r.exit_code == 0, r.output
    assert "2026-12-02 (Wed) (was 2026-12-28) — 送合同." in r.stdout
    fid = json.loads(run(cli, "due", "--within", "1w", "-f", "json").stdout)
    fid = next(x["id"] for x in fid if x["code"] == code)
    r = run(cli, "snooze", str(fid), "--to", "2026-12-04", "--reason", "客户出差")
    assert r.exit_code == 0 and "2026-12-02 -> 2026-12-04 (Fri)" in r.stdout
    assert run(cli, "snooze", str(fid), "--to", "2026-12-07").exit_code == 2
    assert run(cli, "snooze", str(fid), "--to", "2026-11-20", "--reason", "x").exit_code == 2
    assert run(cli, "snooze", "99999", "--to", "+1w", "--reason", "x").exit_code == 3
    assert run(cli, "snooze", str(fid), "--to", "+1w", "--reason", "x", user="bob").exit_code == 4

    history = json.loads(run(cli, "list", code, "--format", "json").stdout)
    assert [(h["type"], h["status"]) for h in history] == [
        ("followup", "open"),
        ("interaction", None),
        ("followup", "done"),
    ]
    assert history[0]["due"] == "2026-12-04" and history[2]["on_time"] is False
    assert history[2]["days_late"] == 10 and history[1]["contact"] == "张经理"
    closed_id = history[2]["id"]
    r = run(cli, "snooze", str(closed_id), "--to", "+1w", "--reason", "x")
    assert r.exit_code == 5 and r.stderr.startswith("Error: follow-up")
    table = run(cli, "list", code)
    assert table.exit_code == 0 and "late" in table.stdout


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["NOPE", "--via", "phone", "--summary", "x"], 3, "customer: no customer 'NOPE'"),
        (["{c}", "--via", "fax", "--summary", "x"], 2, "--via: unknown value 'fax'"),
        (["{c}", "--via", "phone", "--summary", " "], 2, "--summary: must not be empty"),
        (["{c}", "--via", "phone", "--summary", "x", "--next", "yesterday"], 2, "in the past"),
        (["{c}", "--via", "phone", "--summary", "x", "--at", "tomorrow"], 2, "in the future"),
    ],
)
def test_log_errors(cli, world, args, code, words):
    args = [a.replace("{c}", world["Globex"]) for a in args]
    before = run(cli, "due", "--owner", "all", "-f", "json").stdout
    r = run(cli, "log", *args)
    assert r.exit_code == code
    assert r.stderr.startswith("Error: ") and words in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert run(cli, "due", "--owner", "all", "-f", "json").stdout == before


def test_log_permissions_and_archived(cli, world):
    bobs = world["Bob's Co"]
    r = run(cli, "log", bobs, "--via", "phone", "--summary", "x")
    assert r.exit_code == 4 and "only its owner, a manager or an admin" in r.stderr
    assert run(cli, "log", bobs, "--via", "phone", "--summary", "x", user="mia").exit_code == 0
    db = Database(os.environ["BIZOPS_DB"])
    with db.write() as s:
        cs.archive_customer(
            s, actor=find_user(s, "root"), ref=bobs, policy=default_policy(), today=TODAY
        )
    db.dispose()
    r = run(cli, "log", bobs, "--via", "phone", "--summary", "x", user="bob")
    assert r.exit_code == 5 and "is archived" in r.stderr
    assert run(cli, "plan", bobs, "--due", "+1d", "--purpose", "x", user="bob").exit_code == 5


def test_ics(cli, world, tmp_path):
    out = tmp_path / "followups.ics"
    r = run(cli, "ics", "--owner", "all", "-o", str(out), user="mia")
    assert r.exit_code == 0, r.output
    assert "4 follow-up(s) due up to 2026-12-27" in r.stderr
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 4
    assert all(str(e["uid"]).startswith("followup-") for e in events)
    assert all(str(e["uid"]).endswith("@bizops") for e in events)
    summaries = {str(e["summary"]) for e in events}
    assert "Follow up: 华信科技 (A, prospect)" in summaries
    week = run(cli, "ics", "--within", "1d", "-o", str(out))
    assert "2 follow-up(s)" in week.stderr
    assert run(cli, "ics", "-o", str(tmp_path / "missing" / "x.ics")).exit_code == 2


def test_every_command_has_an_example():
    from typer.main import get_command

    from bizops.cli.followups import app

    group = get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        lines = [x for x in (command.help or "").strip().splitlines() if x.strip()]
        assert lines[-1].strip().startswith("Example: bizops followups "), name


def test_due_bad_grade_fails_before_any_output(cli, world, tmp_path):
    result = cli("--as", "alice", *DAY, "followups", "due", "--grade", "Z")
    assert result.exit_code == 2
    assert result.stdout == ""  # not a header row followed by an error
    assert result.stderr.startswith("Error: --grade")
    target = tmp_path / "due.csv"
    assert (
        cli("--as", "alice", *DAY, "followups", "due", "--grade", "Z", "-o", str(target)).exit_code
        == 2
    )
    assert not target.exists()


def test_log_details_and_backdating_en_and_zh(cli, world):
    code = world["Globex"]
    r = run(
        cli, "log", code, "--via", "visit", "--summary", "拜访", "--purpose", "确认报价",
        "--place", "客户工厂", "--next-action", "寄样品",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    rows = json.loads(run(cli, "list", code, "--format", "json").stdout)
    (row,) = [x for x in rows if x["type"] == "interaction"]
    assert (row["purpose"], row["place"], row["next_action"]) == ("确认报价", "客户工厂", "寄样品")
    old = ["log", world["华信科技"], "--via", "phone", "--summary", "x", "--at", "2026-11-20"]
    en = run(cli, *old)
    assert en.exit_code == 2 and "at most 3 day(s) back" in en.stderr
    zh = cli(*DAY, "--lang", "zh", "--as", "alice", "followups", *old)
    assert zh.exit_code == 2 and "最多只能补录 3 天前" in zh.stderr
