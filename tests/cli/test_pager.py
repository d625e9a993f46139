"""Long tables go through a pager on a terminal; short ones, piped ones and --no-pager don't."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from bizops.cli import output
from bizops.cli.output.pager import DEFAULT_PAGER, pager_command


@pytest.fixture
def pager(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pager that writes what it is given to a file."""
    seen = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(
        f"import sys; open({str(seen)!r}, 'w', encoding='utf-8').write(sys.stdin.read())\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("BIZOPS_PAGER", f"{sys.executable} {script}")
    monkeypatch.setenv("LINES", "20")
    return seen


@pytest.fixture
def many_users(cli_admin: Any) -> Any:
    for i in range(30):
        assert cli_admin("user", "add", f"u{i:02d}", "--role", "sales").exit_code == 0
    return cli_admin


def test_a_long_table_on_a_terminal_is_paged(
    many_users: Any, pager: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    result = many_users("user", "list")
    assert result.exit_code == 0
    assert "u29" in pager.read_text(encoding="utf-8") and "u29" not in result.stdout


def test_no_pager_and_a_short_table_print_directly(
    many_users: Any, pager: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    assert "u29" in many_users("--no-pager", "user", "list").stdout
    assert "u03" in many_users("user", "list", "--limit", "5").stdout
    assert not pager.exists()


def test_piped_output_is_never_paged(many_users: Any, pager: Path) -> None:
    assert "u29" in many_users("user", "list").stdout
    assert not pager.exists()


def test_a_pager_that_cannot_start_leaves_the_table_printed(
    many_users: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("BIZOPS_PAGER", "/nonexistent/pager")
    monkeypatch.setenv("LINES", "20")
    assert "u29" in many_users("user", "list").stdout


def test_which_pager(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BIZOPS_PAGER", raising=False)
    monkeypatch.delenv("PAGER", raising=False)
    assert pager_command() == DEFAULT_PAGER.split()
    monkeypatch.setenv("PAGER", "more")
    assert pager_command() == ["more"]
    monkeypatch.setenv("BIZOPS_PAGER", "")
    assert pager_command() is None
    monkeypatch.setenv("BIZOPS_PAGER", "less -R")
    assert pager_command() == ["less", "-R"]
    assert pager_command(disabled=True) is None
