"""Options of every command: the acting user (--as or BIZOPS_USER), --version and --help with
its example."""

from __future__ import annotations

import pytest

from tests.support.cli import one_error_line


def test_acting_user_from_the_environment(cli_admin) -> None:  # type: ignore[no-untyped-def]
    r = cli_admin("user", "add", "bob", "--role", "sales", env={"BIZOPS_USER": "root"})
    assert r.exit_code == 0
    r = cli_admin("user", "add", "carl", "--role", "sales", env={"BIZOPS_USER": "bob"})
    assert "only an admin" in one_error_line(r, 4)


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


@pytest.mark.parametrize("command", [(), ("followups", "due"), ("customer", "list")])
def test_help_shows_no_value_placeholder_on_flags(cli, command) -> None:  # type: ignore[no-untyped-def]
    out = cli(*command, "--help").stdout
    assert "<bool>" not in out
    assert "--help" in out
