import json


def test_init_then_user_add_and_list_json(cli_admin):
    result = cli_admin("--as", "root", "user", "add", "alice", "--role", "sales")
    assert result.exit_code == 0, result.output
    result = cli_admin("user", "list", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["login"] for r in rows] == ["alice", "root"]
    assert set(rows[0]) >= {"login", "name", "email", "roles", "limit", "active"}


def test_errors_are_one_line_with_exit_codes(cli_admin):
    assert cli_admin("--as", "root", "user", "add", "x", "--role", "boss").exit_code == 2
    cli_admin("--as", "root", "user", "add", "alice", "--role", "sales")
    dup = cli_admin("--as", "root", "user", "add", "alice", "--role", "sales")
    assert dup.exit_code == 5
    assert dup.stderr.strip() == "Error: login 'alice' is already taken"
    assert cli_admin("--as", "alice", "user", "add", "bob", "--role", "sales").exit_code == 4
    assert cli_admin("user", "show", "nobody").exit_code == 3
