"""Output formats through a real command: table, plain (piped), json, csv, -o FILE, --limit."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from bizops.cli import output
from tests.support.cli import one_error_line


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
