"""Start-up stays light: `bizops --help` does not import the database stack."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bizops import __version__
from tests.support.processes import HEAVY, imported_module_names, imported_modules


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


def test_version_loads_no_command_tree() -> None:
    names = imported_modules("--version")
    assert not names & {"typer", "click", "rich", *HEAVY}, sorted(names)


# The interactive commands, and what each must leave alone: whole service packages of other
# features, the bulk import and export, the other database's dialect, the document stack.
NOT_FOR_READS = {
    "sqlalchemy.dialects.postgresql",
    "alembic",
    "psycopg",
    "jinja2",
    "docx",
    "openpyxl",
    "bizops.services.customers.importing",
    "bizops.services.customers.import_writer",
    "bizops.services.customers.exporting",
    "bizops.services.money",
    "bizops.services.templates",
    "bizops.services.reports",
    "bizops.services.demo",
}
INTERACTIVE: dict[tuple[str, ...], set[str]] = {
    ("followups", "due"): NOT_FOR_READS
    | {"bizops.services.contracts", "bizops.services.approvals", "bizops.store.models.contracts"},
    ("customer", "show", "C0001"): NOT_FOR_READS
    | {"bizops.services.contracts", "bizops.services.approvals"},
    ("customer", "list", "--search", "华信", "--limit", "20"): NOT_FOR_READS
    | {"bizops.services.contracts", "bizops.services.approvals"},
    ("approval", "pending"): NOT_FOR_READS | {"bizops.services.contracts"},
}


@pytest.mark.slow
def test_interactive_commands_import_only_what_they_need(cli_admin) -> None:  # type: ignore[no-untyped-def]
    added = cli_admin("customer", "add", "华信科技有限公司", "--grade", "A")
    assert added.exit_code == 0, added.output
    for args, excluded in INTERACTIVE.items():
        names = imported_module_names("--as", "root", *args)
        assert not names & excluded, (args, sorted(names & excluded))
