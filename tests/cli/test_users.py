"""`bizops user ...` through the real CLI: add, show, update, deactivate, list."""

from __future__ import annotations

import json


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
        "team": None,
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


def test_init_then_user_add_and_list_json(cli_admin):
    result = cli_admin("--as", "root", "user", "add", "alice", "--role", "sales")
    assert result.exit_code == 0, result.output
    result = cli_admin("user", "list", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["login"] for r in rows] == ["alice", "root"]
    assert set(rows[0]) >= {"login", "name", "email", "roles", "limit", "active"}
