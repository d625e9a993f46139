"""Every listing on a terminal of 60, 80, 100 and 160 columns, in English and Chinese, on the
demo: no line wider than the terminal, the most important columns present and whole, and a
footer that names what was left out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from bizops.cli import output
from bizops.cli.output import LISTINGS
from tests.support.cli import Cli
from tests.support.databases import shared_audit_key

DAY = "2026-11-27"
WIDTHS = (60, 80, 100, 160)
LANGUAGES = ("en", "zh")

# (listing, user, command): every declared listing a person reads, as that person.
COMMANDS: list[tuple[str, str, tuple[str, ...]]] = [
    ("customer_list", "zhangwei", ("customer", "list")),
    ("customer_contact_list", "tom", ("customer", "contact", "list", "C0001")),
    ("followups_due", "zhangwei", ("followups", "due")),
    ("followups_list", "tom", ("followups", "list", "C0001")),
    ("contract_list", "wangfang", ("contract", "list")),
    ("contract_list_expiring", "wangfang", ("contract", "list", "--expiring", "400")),
    ("contract_milestone_list", "wangfang", ("contract", "milestone", "list")),
    ("approval_pending", "wangfang", ("approval", "pending")),
    ("approval_list", "wangfang", ("approval", "list")),
    ("approval_matrix", "wangfang", ("approval", "matrix")),
    ("template_list", "admin", ("template", "list")),
    ("template_fields", "admin", ("template", "fields", "sales-zh")),
    ("report_funnel", "wangfang", ("report", "funnel")),
    ("report_compliance", "wangfang", ("report", "compliance")),
    ("report_contracts", "wangfang", ("report", "contracts")),
    ("", "admin", ("user", "list")),
    ("", "admin", ("audit", "log", "--limit", "30")),
    ("", "chenjing", ("invoice", "list")),
    ("", "chenjing", ("contract", "receipt", "list")),
    ("", "chenjing", ("report", "receivables")),
    ("", "chenjing", ("report", "payables")),
    ("", "chenjing", ("seal", "log")),
]
ESCAPES = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from bizops.cli.app import app
    from bizops.cli.context import reset_state

    home = tmp_path_factory.mktemp("demo-home")
    target = home / "demo.db"
    env = {"BIZOPS_HOME": str(home), "BIZOPS_DB": str(home / "own.db"), "BIZOPS_LANG": "en"}
    with shared_audit_key(home):  # the demo's audit chain is sealed with this key
        result = CliRunner().invoke(app, ["--today", DAY, "demo", "--db", str(target)], env=env)
        assert result.exit_code == 0, result.output
        reset_state()
        yield target


@pytest.fixture
def terminal(cli: Cli, demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run a command on the demo as if on a terminal ``width`` columns wide."""
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)

    def run(width: int, language: str, user: str, *args: str) -> list[str]:
        env = {"COLUMNS": str(width), "BIZOPS_PAGER": ""}
        base = ("--db", str(demo_db), "--today", DAY, "--lang", language, "--as", user)
        result = cli(*base, *args, env=env)
        assert result.exit_code == 0, result.output
        return ESCAPES.sub("", result.stdout).splitlines()

    return run


def _header(lines: list[str]) -> list[str]:
    """The header's cells: the line before the rule of ━."""
    rule = next(i for i, line in enumerate(lines) if line.startswith(("━", " ━")) or "╇" in line)
    return [cell.strip() for cell in lines[rule - 1].split("┃")]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("listing", "user", "command"), COMMANDS, ids=lambda v: str(v))
def test_every_listing_fits_the_terminal(
    terminal: Any, listing: str, user: str, command: tuple[str, ...], width: int, language: str
) -> None:
    from bizops.i18n import set_language

    lines = terminal(width, language, user, *command)
    too_wide = [line for line in lines if cell_len(line) > width]
    assert not too_wide, "\n".join(too_wide)
    if not listing:
        return
    declared = LISTINGS[listing]
    set_language(language)
    header = _header(lines)
    first = next(
        c for c in declared.columns if c.key == (declared.priority or [declared.columns[0].key])[0]
    )
    assert first.title in header, (first.title, header)  # whole: never cut or folded
    shown = [c for c in declared.columns if c.title in header]
    left_out = [c for c in declared.columns if c not in shown and not c.hides_uniform]
    # The footer wraps at the terminal's width, inside a word or a Chinese name.
    footer = re.sub(r"\s", "", "".join(lines[-5:]))
    for column in left_out:
        assert re.sub(r"\s", "", column.title) in footer, (column.title, footer)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_due_list_at_80_columns_keeps_what_matters(terminal: Any, language: str) -> None:
    lines = terminal(80, language, "zhangwei", "followups", "due")
    header = " ".join(_header(lines))
    words = {"en": ("Customer", "Due", "Overdue"), "zh": ("客户", "到期日", "逾期")}[language]
    for word in words:
        assert word in header
    assert ("Owner" if language == "en" else "负责人") not in header  # all the viewer's own
    assert any(line.startswith(" ! ") for line in lines)  # overdue rows are marked
    assert any(re.search(r"! \d+ (overdue|项逾期)", line) for line in lines)
    folded = [line for line in lines if "股份有限" in line and "公司" not in line]
    assert not folded  # a company suffix is never broken across lines


def test_approval_inbox_at_80_columns_shows_due_and_overdue(terminal: Any) -> None:
    header = _header(terminal(80, "en", "wangfang", "approval", "pending"))
    assert {"ID", "Contract", "Due", "Days overdue"} <= set(header)


def test_columns_chooses_and_orders_the_columns(terminal: Any, cli: Cli, demo_db: Path) -> None:
    lines = terminal(80, "en", "zhangwei", "followups", "due", "--columns", "due,code,channel")
    assert _header(lines)[-3:] == ["Due", "Code", "Channel"]
    base = ("--db", str(demo_db), "--today", DAY, "--as", "zhangwei")
    as_json = cli(*base, "followups", "due", "--columns", "code,due", "--format", "json")
    assert '"code"' in as_json.stdout and '"customer"' not in as_json.stdout
    bad = cli(*base, "followups", "due", "--columns", "code,nope")
    assert bad.exit_code == 2
    assert "unknown column nope; valid: id, code, customer" in bad.stderr


def test_wide_shows_every_column(terminal: Any) -> None:
    lines = terminal(80, "en", "zhangwei", "followups", "due", "--wide")
    header = _header(lines)
    assert {"Owner", "Channel", "Grade", "Stage", "Last contact"} <= set(header)


def test_a_personal_default_chooses_the_columns(
    terminal: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[columns]\nfollowups_due = ["customer", "due"]\n', encoding="utf-8")
    monkeypatch.setenv("BIZOPS_CONFIG", str(config))
    assert _header(terminal(80, "en", "zhangwei", "followups", "due"))[-2:] == [
        "Customer",
        "Due",
    ]


@pytest.mark.parametrize("width", (80, 120))
def test_a_record_takes_two_columns_from_100(terminal: Any, width: int) -> None:
    lines = terminal(width, "en", "tom", "customer", "show", "C0001")
    pair = next(line for line in lines if line.lstrip().startswith("code"))
    # From 100 columns a line holds two fields (the code and another): four words.
    assert (len(pair.split()) == 4) is (width >= 100), pair
    assert all(cell_len(line) <= width for line in lines)


def test_every_listing_takes_columns_and_wide() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import gen_reference

    for node in gen_reference.walk():
        params = {p.name: p for p in getattr(node.command, "params", ())}
        names = set(params)
        # A listing: a row --limit (a number; user add's --limit is an amount) and a format.
        limit = params.get("limit")
        if (
            limit is not None
            and limit.type_descriptor.annotation is int
            and names & {"fmt", "format"}
        ):
            assert {"columns", "wide"} <= names, node.name
