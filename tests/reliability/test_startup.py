"""Start-up stays light: `bizops --help` does not import the database stack."""

from __future__ import annotations

import json
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


# What each interactive command must leave alone at start-up, besides NOT_FOR_READS: the
# demo, the help and traceback renderers (only help pages and crashes draw them), and for a
# command that reads no contract, the contract, template and document stacks.
NOT_AT_START = {
    "bizops.cli.demo",
    "rich.markdown",
    "rich.traceback",
    "rich.pretty",
    "typer.rich_utils",
}
NOT_CONTRACTS = {
    "bizops.services.contracts",
    "bizops.services.templates",
    "bizops.services.quotes",
    "bizops.documents",
}
# A listing written to a pipe draws no record and no table; a personal database loads nothing
# of team mode's logins; a read stores no policy version.
NOT_FOR_A_PIPED_LISTING = {
    "bizops.cli.output.record",
    "bizops.cli.output.table",
    "bizops.cli.users",
    "bizops.store.pgroles",
    "bizops.domain.policy.diff",
    "tomli_w",
}
STARTUP: dict[tuple[str, ...], set[str]] = {
    ("--as", "alice", "followups", "due"): NOT_FOR_READS
    | NOT_AT_START
    | NOT_CONTRACTS
    | NOT_FOR_A_PIPED_LISTING
    | {"bizops.services.approvals", "bizops.store.models.contracts"},
    ("--as", "alice", "customer", "show", "C0001"): NOT_FOR_READS
    | NOT_AT_START
    | NOT_CONTRACTS
    | {"bizops.services.approvals"},
    # A contract's page reads its drafts (the template stack), approvals and what is
    # outstanding on it; not quotes, nor the bank import and the rest of the money services.
    ("--as", "mia", "contract", "show", "CONTRACT"): (
        NOT_FOR_READS - {"jinja2", "bizops.services.templates", "bizops.services.money"}
    )
    | NOT_AT_START
    | {"bizops.services.quotes", "bizops.services.money.bank_import"},
    ("--as", "mia", "approval", "pending"): NOT_FOR_READS
    | NOT_AT_START
    | {"bizops.services.templates", "bizops.services.quotes", "bizops.documents"},
    # The receivables read the money tables, and none of the other money services.
    ("--as", "fay", "report", "receivables", "--format", "json"): (
        NOT_FOR_READS - {"bizops.services.money"}
    )
    | NOT_AT_START
    | NOT_CONTRACTS
    | {
        "bizops.services.approvals",
        "bizops.services.money.bank_import",
        "bizops.services.money.invoices",
        "bizops.services.money.receipts",
        "bizops.reports.daily",
    },
}

# The model modules each command builds, and those it must not: a table's model costs its
# command start-up time (a pydantic model and a SQLAlchemy mapper), so a command builds only
# the tables it reads (bizops.store.models loads them by area, with importlib, which
# `python -X importtime` does not log: these are read from sys.modules).
# The audit log's and the counters' models are built by writes only.
_RECORDS = {"customer_records", "contract_records", "seals", "audit"}
MODELS: dict[tuple[str, ...], tuple[set[str], set[str]]] = {
    ("--as", "alice", "followups", "due"): (
        {"core", "customers", "followups"},
        _RECORDS | {"contracts", "money", "quotes", "quote_lines", "approvals", "templates"},
    ),
    ("--as", "alice", "customer", "show", "C0001"): (
        {"core", "customers", "customer_records", "followups"},
        {"contract_records", "seals", "quotes", "approvals", "templates"},
    ),
    ("--as", "mia", "approval", "pending"): (
        {"core", "approvals"},
        _RECORDS | {"followups", "templates", "quote_lines"},
    ),
    ("--as", "fay", "report", "receivables", "--format", "json"): (
        {"core", "contracts", "money"},
        _RECORDS | {"followups", "quotes", "approvals", "templates", "needs", "reports"},
    ),
}


def _models_loaded(*args: str) -> tuple[set[str], list[str]]:
    """The model modules `bizops *args` loaded, and the table models whose pydantic schema
    it built."""
    code = (
        "import json, sys\n"
        f"sys.argv = ['bizops', *{list(args)!r}]\n"
        "from bizops.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "from bizops.store.models.table import Table\n"
        "prefix = 'bizops.store.models.'\n"
        "loaded = [m[len(prefix):] for m in sys.modules if m.startswith(prefix)]\n"
        "complete = [t.__name__ for t in Table.__subclasses__() if t.__pydantic_complete__]\n"
        "sys.stderr.write(json.dumps([loaded, complete]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    loaded, complete = json.loads(proc.stderr.strip().splitlines()[-1])
    return set(loaded), complete


@pytest.mark.slow
def test_startup_of_the_interactive_commands(cli_admin) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from bizops.services.policy import default_policy
    from bizops.store.engine import Database, resolve_url
    from tests.support.factories import add_customer, add_user, submitted_contract

    db = Database(resolve_url(os.environ["BIZOPS_DB"]))
    try:
        alice = add_user(db, "alice", "sales")
        for login, role in (
            ("mia", "manager"),
            ("leo", "legal"),
            ("fay", "finance"),
            ("gus", "gm"),
        ):
            add_user(db, login, role)
        policy, today = default_policy(), date.today()
        customer = add_customer(
            db, name="华信科技有限公司", owner=alice, policy=policy, today=today
        )
        number, _ = submitted_contract(
            db, actor=alice, customer=customer["code"], policy=policy, today=today
        )
    finally:
        db.dispose()
    assert customer["code"] == "C0001"
    for args, excluded in STARTUP.items():
        args = tuple(number if arg == "CONTRACT" else arg for arg in args)
        names = imported_module_names(*args)
        assert not names & excluded, (args, sorted(names & excluded))
    for args, (needed, unbuilt) in MODELS.items():
        loaded, complete = _models_loaded(*args)
        assert needed <= loaded, (args, sorted(needed - loaded))
        assert not loaded & unbuilt, (args, sorted(loaded & unbuilt))
        # Table models defer their pydantic schema: a command that validates none builds none.
        assert not complete, (args, complete)


def _help(*args: str, columns: str = "100") -> tuple[str, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bizops", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": columns},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    return proc.stdout, names


@pytest.mark.parametrize(
    "args",
    [("--help",), ("--lang", "zh", "--help"), ("followups", "--help"), ("-h",)],
)
def test_a_help_page_is_printed_from_the_cache_exactly_as_typer_drew_it(args) -> None:  # type: ignore[no-untyped-def]
    from bizops.cli.helpcache import cache_dir

    drawn, drawing = _help(*args)
    assert "typer" in drawing and drawn.strip()
    kept, keeping = _help(*args)
    assert kept == drawn
    assert not keeping & {"typer", "click", "rich", *HEAVY}, sorted(keeping)
    assert len(list(cache_dir().glob("*.txt"))) == 1
    # Another terminal width is another page: drawn afresh, and kept beside the first.
    narrow, narrowing = _help(*args, columns="60")
    assert "typer" in narrowing and narrow != drawn
    assert len(list(cache_dir().glob("*.txt"))) == 2


def test_the_help_cache_follows_the_language(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    english, _ = _help("--help")
    monkeypatch.setenv("BIZOPS_LANG", "zh")
    chinese, drawing = _help("--help")
    assert "typer" in drawing and chinese != english
    assert _help("--help")[0] == chinese
