"""Start-up stays light: `bizops --help` does not import the database stack."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bizops import __version__
from tests.support.processes import HEAVY, imported_modules


def test_help_imports_no_database_stack() -> None:
    names = imported_modules("--help")
    assert not names & set(HEAVY), sorted(names & set(HEAVY))


@pytest.mark.slow
def test_group_help_imports_no_database_stack() -> None:
    for group in ("user", "db", "audit", "config"):
        names = imported_modules(group, "--help")
        assert not names & {"sqlalchemy", "sqlmodel", "alembic"}, (group, names & set(HEAVY))


def test_version() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bizops", "--version"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and proc.stdout.strip() == f"bizops {__version__}"
    assert proc.stderr == ""


@pytest.mark.slow
def test_piped_output_has_no_colour(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "BIZOPS_DB": str(tmp_path / "b.db")}
    env.pop("NO_COLOR", None)
    subprocess.run(
        [sys.executable, "-m", "bizops", "init", "--admin", "root"],
        env=env,
        check=True,
        capture_output=True,
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bizops", "user", "list"], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0 and "root" in proc.stdout and "\x1b[" not in proc.stdout


def test_a_bad_option_is_one_line_without_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bizops", "user", "list", "--format", "xml"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: ") and len(proc.stderr.strip().splitlines()) == 1
