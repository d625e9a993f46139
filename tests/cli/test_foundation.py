"""The foundation's commands through the real CLI: config, db, audit, user.

Formats (table, json, csv, -o FILE), piped output, --limit, empty results, exit codes and
one-line errors.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from pathlib import Path

import pytest

from bizops.cli import output


def one_error_line(result, code: int) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    first = result.stderr.splitlines()[0]
    return first


# --- users ------------------------------------------------------------------------------


def test_user_commands_end_to_end(cli_admin) -> None:  # type: ignore[no-untyped-def]
    r = cli_admin(
        "--as", "root", "user", "add", "alice", "--role", "sales", "--role", "manager",
        "--name", "陈爱丽", "--email", "alice@example.com", "--limit", "50万",
    )  # fmt: skip
    assert r.exit_code == 0 and r.stdout.strip() == "Added user alice (sales, manager)."
    shown = json.loads(cli_admin("user", "show", "alice", "--format", "json").stdout)
    assert shown == {
        "id": 2,
        "login": "alice",
        "name": "陈爱丽",
        "email": "alice@example.com",
        "roles": ["sales", "manager"],
        "limit": "500000.00",
        "active": True,
    }
    assert json.loads(cli_admin("user", "show", "陈爱丽", "-f", "json").stdout)["login"] == "alice"
    r = cli_admin(
        "--as", "root", "user", "update", "alice", "--remove-role", "manager", "--no-limit"
    )
    assert r.exit_code == 0 and "alice (sales)" in r.stdout
    r = cli_admin("--as", "root", "user", "deactivate", "alice")
    assert r.exit_code == 0 and r.stdout.strip() == "Deactivated user alice."
    rows = json.loads(cli_admin("user", "list", "--active", "--format", "json").stdout)
    assert [u["login"] for u in rows] == ["root"]
    rows = json.loads(cli_admin("user", "list", "--role", "sales", "--format", "json").stdout)
    assert [(u["login"], u["active"], u["limit"]) for u in rows] == [("alice", False, None)]
    r = cli_admin("--as", "root", "user", "update", "alice", "--activate")
    assert r.exit_code == 0


def test_acting_user_from_the_environment(cli_admin) -> None:  # type: ignore[no-untyped-def]
    r = cli_admin("user", "add", "bob", "--role", "sales", env={"BIZOPS_USER": "root"})
    assert r.exit_code == 0
    r = cli_admin("user", "add", "carl", "--role", "sales", env={"BIZOPS_USER": "bob"})
    assert "only an admin" in one_error_line(r, 4)


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--as", "root", "user", "add", "x", "--role", "boss"], 2, "unknown role 'boss'"),
        (["--as", "root", "user", "add", "x"], 2, "at least one role"),
        (["--as", "root", "user", "add", "x", "-r", "sales", "--email", "x@"], 2, "email"),
        (["--as", "root", "user", "add", "x", "-r", "sales", "--limit", "abc"], 2, "--limit"),
        (["--as", "root", "user", "add", "alice", "-r", "sales"], 5, "already taken"),
        (["--as", "nobody", "user", "add", "x", "-r", "sales"], 4, "no user 'nobody'"),
        (["--as", "alice", "user", "add", "x", "-r", "sales"], 4, "only an admin"),
        (["--as", "gone", "user", "add", "x", "-r", "sales"], 4, "gone is deactivated"),
        (["--as", "alice", "user", "deactivate", "root"], 4, "only an admin"),
        (["--as", "root", "user", "deactivate", "root"], 5, "last active admin"),
        (["--as", "root", "user", "update", "root", "--remove-role", "admin"], 5, "last active"),
        (["--as", "root", "user", "update", "nobody", "--name", "x"], 3, "no user 'nobody'"),
        (["--as", "root", "user", "update", "alice"], 2, "nothing to change"),
        (["user", "add", "x", "-r", "sales"], 4, "who is acting"),
        (["--today", "someday", "--as", "root", "user", "add", "x", "-r", "sales"], 2, "--today"),
        (["--today", "someday", "user", "list"], 2, "cannot read 'someday'"),
        (["user", "show", "nobody"], 3, "no user 'nobody'"),
        (["user", "list", "--format", "xml"], 2, "'xml'"),
        (["user", "list", "--limit", "-1"], 2, "--limit"),
        (["user", "list", "--limit", "abc"], 2, "--limit"),
        (["user", "lst"], 2, "No such command 'lst'"),
        (["user", "list", "--bogus"], 2, "--bogus"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(
    cli_admin, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int, words: str
) -> None:  # type: ignore[no-untyped-def]
    from bizops.services import users

    monkeypatch.setattr(users, "os_login", lambda: None)
    assert cli_admin("--as", "root", "user", "add", "alice", "-r", "sales").exit_code == 0
    assert cli_admin("--as", "root", "user", "add", "gone", "-r", "sales").exit_code == 0
    assert cli_admin("--as", "root", "user", "deactivate", "gone").exit_code == 0
    before = json.loads(cli_admin("audit", "log", "--format", "json").stdout)
    result = cli_admin(*args)
    line = one_error_line(result, code)
    assert words in line
    assert len(result.stderr.strip().splitlines()) == 1
    after = json.loads(cli_admin("audit", "log", "--format", "json").stdout)
    assert after == before


# --- formats ----------------------------------------------------------------------------


@pytest.fixture
def three_users(cli_admin):  # type: ignore[no-untyped-def]
    for login, name in (("alice", "陈爱丽"), ("bob", "Bob, Jr.")):
        r = cli_admin("--as", "root", "user", "add", login, "-r", "sales", "--name", name)
        assert r.exit_code == 0
    return cli_admin


def test_json_csv_and_plain(three_users) -> None:  # type: ignore[no-untyped-def]
    cli = three_users
    rows = json.loads(cli("user", "list", "--format", "json").stdout)
    assert [r["login"] for r in rows] == ["alice", "bob", "root"]
    assert all(isinstance(r["id"], int) for r in rows)
    text = cli("user", "list", "--format", "csv").stdout
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert [r["login"] for r in parsed] == ["alice", "bob", "root"]
    assert parsed[1]["name"] == "Bob, Jr." and parsed[0]["name"] == "陈爱丽"
    assert parsed[0]["active"] == "true"
    plain = cli("user", "list").stdout  # piped: tab-separated, no colour
    assert plain.splitlines()[0].split("\t")[:2] == ["Login", "Name"]
    assert "\x1b[" not in plain and "陈爱丽" in plain


def test_limit(three_users) -> None:  # type: ignore[no-untyped-def]
    cli = three_users
    assert len(json.loads(cli("user", "list", "-f", "json", "--limit", "2").stdout)) == 2
    assert len(json.loads(cli("user", "list", "-f", "json", "--limit", "0").stdout)) == 3
    csv_rows = cli("user", "list", "-f", "csv", "--limit", "1").stdout.splitlines()
    assert len(csv_rows) == 2
    assert len(cli("user", "list", "--limit", "1").stdout.splitlines()) == 2


def test_output_file_takes_the_format_from_its_extension(three_users, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = three_users
    r = cli("user", "list", "-o", str(tmp_path / "users.json"))
    assert r.exit_code == 0 and r.stdout == "" and "Wrote 3 row(s)" in r.stderr
    assert len(json.loads((tmp_path / "users.json").read_text(encoding="utf-8"))) == 3
    cli("user", "list", "-o", str(tmp_path / "users.csv"))
    raw = (tmp_path / "users.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM
    assert "陈爱丽" in raw.decode("utf-8-sig")
    cli("user", "show", "alice", "-o", str(tmp_path / "alice.json"))
    assert json.loads((tmp_path / "alice.json").read_text(encoding="utf-8"))["login"] == "alice"
    # A format and a file name that disagree are refused before anything is written.
    r = cli("user", "list", "--format", "json", "-o", str(tmp_path / "forced.csv"))
    assert "is a csv file name but --format is json" in one_error_line(r, 2)
    assert not (tmp_path / "forced.csv").exists()
    cli("user", "list", "--format", "json", "-o", str(tmp_path / "forced.txt"))
    assert json.loads((tmp_path / "forced.txt").read_text(encoding="utf-8"))
    r = cli("user", "list", "-o", str(tmp_path / "missing" / "users.json"))
    assert "does not exist" in one_error_line(r, 2)


def test_terminal_table_and_no_color(three_users, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("NO_COLOR", "1")
    r = three_users("user", "list")
    assert r.exit_code == 0
    assert "Login" in r.stdout and "陈爱丽" in r.stdout and "\t" not in r.stdout
    assert "\x1b[" not in r.stdout
    assert output.use_colour() is False
    monkeypatch.delenv("NO_COLOR")
    assert output.use_colour() is True
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: False)
    assert output.use_colour() is False


def test_terminal_table_shows_100_and_says_how_many_it_left_out(
    cli_admin, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from bizops.store.engine import Database

    db = Database(os.environ["BIZOPS_DB"])
    from bizops.services import users

    with db.write() as s:
        root = users.find_user(s, "root")
        for i in range(104):
            users.add_user(s, actor=root, login=f"u{i:03d}", roles=["sales"])
    db.dispose()
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    r = cli_admin("user", "list")
    assert "5 more row(s) not shown" in r.stdout
    r = cli_admin("user", "list", "--limit", "0")
    assert "not shown" not in r.stdout and "u103" in r.stdout
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: False)
    assert len(cli_admin("user", "list").stdout.splitlines()) == 106  # piped: every row


def test_empty_results_are_exit_0(cli_admin) -> None:  # type: ignore[no-untyped-def]
    r = cli_admin("audit", "log", "--action", "nothing.", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    r = cli_admin("audit", "log", "--action", "nothing.", "--format", "csv")
    assert r.exit_code == 0 and r.stdout.splitlines()[0].startswith("id,at,actor")
    r = cli_admin("user", "list", "--role", "gm", "--format", "json")
    assert r.exit_code == 0 and r.stdout.strip() == "[]"


def test_version_and_help(cli) -> None:  # type: ignore[no-untyped-def]
    from bizops import __version__

    r = cli("--version")
    assert r.exit_code == 0 and r.stdout.strip() == f"bizops {__version__}"
    r = cli("user", "--help")
    assert r.exit_code == 0 and "deactivate" in r.stdout


def test_every_foundation_command_has_an_example(cli) -> None:  # type: ignore[no-untyped-def]
    for group, commands in {
        "user": ["add", "list", "show", "update", "deactivate"],
        "config": ["show", "path", "init", "check"],
        "db": ["upgrade", "backup", "restore", "check", "info"],
        "audit": ["log", "verify"],
    }.items():
        for command in commands:
            r = cli(group, command, "--help")
            assert r.exit_code == 0 and "Example: bizops" in r.stdout, (group, command)
    assert "Example: bizops init" in cli("init", "--help").stdout


# --- init -------------------------------------------------------------------------------


def test_init_twice_is_a_conflict(cli_admin) -> None:  # type: ignore[no-untyped-def]
    assert "already initialised" in one_error_line(cli_admin("init", "--admin", "x"), 5)
    fresh = str(Path(os.environ["BIZOPS_HOME"]) / "fresh.db")
    assert "not a valid login" in one_error_line(
        cli_admin("--db", fresh, "init", "--admin", "a b"), 2
    )
    r = cli_admin("--db", fresh, "init", "--admin", "boss", "--name", "老板")
    assert r.exit_code == 0 and "with admin boss" in r.stdout


# --- config -----------------------------------------------------------------------------

BAD_POLICY = """
[cadence.A]
negotiation = -3

[calendar]
weekend_rule = "sometimes"

[[approval.rules]]
name = "everything"
chain = ["manager"]

[[approval.rules]]
name = "big"
amount_min = 100000
chain = ["manager", "boss"]
"""


def test_config_path_init_show_check(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = Path(os.environ["BIZOPS_HOME"])
    r = cli("config", "path")
    assert r.exit_code == 0 and r.stdout.strip() == str(home / "policy.toml")
    assert "not created yet" in r.stderr
    r = cli("config", "check")
    assert r.exit_code == 0 and "Policy OK (built-in defaults)" in r.stdout
    r = cli("config", "init")
    assert r.exit_code == 0 and (home / "policy.toml").exists()
    assert "already" not in r.stderr
    assert "exists; pass --force" in one_error_line(cli("config", "init"), 5)
    assert cli("config", "init", "--force").exit_code == 0
    r = cli("config", "check")
    assert r.exit_code == 0 and str(home / "policy.toml") in r.stdout
    r = cli("config", "show")
    assert r.exit_code == 0 and 'currency = "CNY"' in r.stdout
    data = json.loads(cli("config", "show", "--format", "json").stdout)
    assert data["cadence"]["A"]["negotiation"] == 3
    assert "toml" in one_error_line(cli("config", "show", "--format", "csv"), 2)
    other = tmp_path / "elsewhere" / "p.toml"
    assert cli("config", "init", str(other)).exit_code == 0 and other.exists()


def test_config_check_lists_every_problem(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_POLICY, encoding="utf-8")
    for args, env in (
        (["config", "check", str(bad)], None),
        (["--config", str(bad), "config", "check"], None),
        (["config", "check"], {"BIZOPS_CONFIG": str(bad)}),
    ):
        r = cli(*args, env=env)
        assert r.exit_code == 2, r.stderr
        lines = r.stderr.splitlines()
        assert lines[0] == f"Error: policy {bad} has 4 problem(s)"
        details = "\n".join(lines[1:])
        assert "cadence.A.negotiation: -3 is negative" in details
        assert "calendar.weekend_rule: 'sometimes'" in details
        assert "unknown value 'boss'" in details
        assert "'everything' matches everything" in details
        assert all(line.startswith("  - ") for line in lines[1:])
    r = cli("--config", str(bad), "config", "show")
    assert r.exit_code == 0 and "Warning: this policy has problems" in r.stderr


def test_a_broken_policy_stops_commands_that_need_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bizops.cli.context import state

    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_POLICY, encoding="utf-8")
    cli("--config", str(bad), "--version")
    state().config = str(bad)
    from bizops.domain.errors import Invalid

    with pytest.raises(Invalid) as info:
        state().policy()
    assert "bizops config check" in info.value.message and len(info.value.details) == 4


def test_config_toml_error_names_the_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "syntax.toml"
    bad.write_text('currency = "CNY"\n[cadence.A\nnegotiation = 3\n', encoding="utf-8")
    line = one_error_line(cli("config", "check", str(bad)), 2)
    assert "TOML error" in line and "line 2" in line
    line = one_error_line(cli("--config", str(bad), "config", "show"), 2)
    assert "line 2" in line
    missing = tmp_path / "missing.toml"
    assert "does not exist" in one_error_line(cli("--config", str(missing), "config", "check"), 2)


def test_config_override_key_by_key(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[cadence.A]\nnegotiation = 2\n[company]\nname = "我的公司"\n', encoding="utf-8"
    )
    data = json.loads(cli("--config", str(mine), "config", "show", "-f", "json").stdout)
    assert data["cadence"]["A"] == {"default": 7, "negotiation": 2, "maintenance": 14}
    assert data["company"]["name"] == "我的公司" and data["company"]["name_en"]
    assert len(data["approval"]["rules"]) == 5
    defaults = json.loads(
        cli("--config", str(mine), "config", "show", "--defaults", "-f", "json").stdout
    )
    assert defaults["cadence"]["A"]["negotiation"] == 3
    assert cli("--config", str(mine), "config", "check").exit_code == 0


# --- db -----------------------------------------------------------------------------------


def test_db_info_check_upgrade(cli_admin) -> None:  # type: ignore[no-untyped-def]
    from bizops.store.revisions import HEAD

    info = json.loads(cli_admin("db", "info", "--format", "json").stdout)
    assert info["schema"] == HEAD and info["up_to_date"] is True
    assert info["rows"]["users"] == 1 and info["path"] == os.environ["BIZOPS_DB"]
    r = cli_admin("db", "check")
    assert r.exit_code == 0 and r.stdout.startswith("Database OK: schema revision, integrity")
    r = cli_admin("db", "upgrade")
    assert r.exit_code == 0 and r.stdout.strip() == f"Schema is up to date ({HEAD})."


def test_db_check_fails_on_a_broken_chain(cli_admin) -> None:  # type: ignore[no-untyped-def]
    cli_admin("--as", "root", "user", "add", "alice", "-r", "sales")
    conn = sqlite3.connect(os.environ["BIZOPS_DB"])
    conn.execute("UPDATE audit_events SET after = '{}' WHERE id = 1")
    conn.commit()
    conn.close()
    r = cli_admin("db", "check")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[0] == "Error: database check found 1 problem(s)"
    assert "event 1 " in r.stderr


def test_db_backup_and_restore(cli_admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli_admin("--as", "root", "user", "add", "alice", "-r", "sales")
    copy = tmp_path / "copy.db"
    r = cli_admin("db", "backup", str(copy))
    assert r.exit_code == 0 and r.stdout.startswith(f"Backed up to {copy}")
    assert "exists; pass --force" in one_error_line(cli_admin("db", "backup", str(copy)), 2)
    cli_admin("--as", "root", "user", "add", "bob", "-r", "sales")
    assert "pass --force" in one_error_line(cli_admin("db", "restore", str(copy)), 2)
    r = cli_admin("db", "restore", str(copy), "--force")
    assert r.exit_code == 0 and "Restored" in r.stdout
    rows = json.loads(cli_admin("user", "list", "-f", "json").stdout)
    assert [u["login"] for u in rows] == ["alice", "root"]
    assert cli_admin("audit", "verify").exit_code == 0
    fresh = tmp_path / "fresh.db"
    r = cli_admin("--db", str(fresh), "db", "restore", str(copy))
    assert r.exit_code == 0
    rows = json.loads(cli_admin("--db", str(fresh), "user", "list", "-f", "json").stdout)
    assert [u["login"] for u in rows] == ["alice", "root"]


# --- audit ------------------------------------------------------------------------------


def test_audit_log_and_filters(cli_admin) -> None:  # type: ignore[no-untyped-def]
    cli_admin("--as", "root", "user", "add", "alice", "-r", "sales")
    cli_admin("--as", "root", "user", "update", "alice", "--name", "陈爱丽")
    rows = json.loads(cli_admin("audit", "log", "-f", "json").stdout)
    assert [r["action"] for r in rows] == ["user.update", "user.add", "user.init"]
    assert rows[0]["after"]["name"] == "陈爱丽" and rows[0]["before"]["name"] == "alice"
    assert isinstance(rows[0]["id"], int)
    one = json.loads(cli_admin("audit", "log", "--entity", "user:alice", "-f", "json").stdout)
    assert [r["action"] for r in one] == ["user.update", "user.add"]
    assert len(json.loads(cli_admin("audit", "log", "--actor", "root", "-f", "json").stdout)) == 3
    assert json.loads(cli_admin("audit", "log", "--actor", "alice", "-f", "json").stdout) == []
    got = json.loads(cli_admin("audit", "log", "--action", "user.add", "-f", "json").stdout)
    assert [r["entity_id"] for r in got] == ["alice"]
    assert len(json.loads(cli_admin("audit", "log", "--since", "-7d", "-f", "json").stdout)) == 3
    future = cli_admin("--today", "2999-01-01", "audit", "log", "--since", "today", "-f", "json")
    assert json.loads(future.stdout) == []
    assert len(json.loads(cli_admin("audit", "log", "--limit", "1", "-f", "json").stdout)) == 1
    assert "--since" in one_error_line(cli_admin("audit", "log", "--since", "someday"), 2)
    table = cli_admin("audit", "log").stdout
    assert table.splitlines()[0].startswith("#\tAt (UTC)\tActor")


def test_audit_verify_names_the_tampered_event(cli_admin) -> None:  # type: ignore[no-untyped-def]
    for login in ("alice", "bob", "carol"):
        cli_admin("--as", "root", "user", "add", login, "-r", "sales")
    r = cli_admin("audit", "verify")
    assert r.exit_code == 0 and r.stdout.strip() == "Audit chain OK: 4 events verified."
    conn = sqlite3.connect(os.environ["BIZOPS_DB"])
    conn.execute("""UPDATE audit_events SET after = '{"roles": ["admin"]}' WHERE id = 3""")
    conn.commit()
    r = cli_admin("audit", "verify")
    assert r.exit_code == 1 and "Traceback" not in r.stderr
    assert r.stderr.splitlines()[0] == "Error: audit chain broken: 1 problem(s) in 4 events"
    assert "event 3 (user.add user bob) was edited" in r.stderr
    conn.execute("DELETE FROM audit_events WHERE id = 2")
    conn.commit()
    conn.close()
    r = cli_admin("audit", "verify")
    assert r.exit_code == 1 and "event 3 does not follow event 1" in r.stderr


def test_config_path_warns_when_a_named_file_is_missing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nonexistent.toml"
    r = cli("--config", str(missing), "config", "path")
    assert r.exit_code == 0 and r.stdout.strip() == str(missing)
    assert "refuse to run until it does" in r.stderr
    assert "defaults apply" not in r.stderr
    refused = cli("--config", str(missing), "approval", "matrix")
    assert refused.exit_code == 2 and "does not exist" in refused.stderr
