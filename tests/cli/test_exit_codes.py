"""Exit codes: each refusal is one line on stderr with its exit code and changes nothing;
an empty result is exit 0."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import one_error_line


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


def test_errors_are_one_line_with_exit_codes(cli_admin):
    assert cli_admin("--as", "root", "user", "add", "x", "--role", "boss").exit_code == 2
    cli_admin("--as", "root", "user", "add", "alice", "--role", "sales")
    dup = cli_admin("--as", "root", "user", "add", "alice", "--role", "sales")
    assert dup.exit_code == 5
    assert dup.stderr.strip() == "Error: login 'alice' is already taken"
    assert cli_admin("--as", "alice", "user", "add", "bob", "--role", "sales").exit_code == 4
    assert cli_admin("user", "show", "nobody").exit_code == 3


def test_empty_results_are_exit_0(cli_admin) -> None:  # type: ignore[no-untyped-def]
    r = cli_admin("audit", "log", "--action", "nothing.", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []
    r = cli_admin("audit", "log", "--action", "nothing.", "--format", "csv")
    assert r.exit_code == 0 and r.stdout.splitlines()[0].startswith("id,at,actor")
    r = cli_admin("user", "list", "--role", "gm", "--format", "json")
    assert r.exit_code == 0 and r.stdout.strip() == "[]"
