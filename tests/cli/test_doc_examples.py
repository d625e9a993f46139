"""The examples in the README and the guides are real output: each ```text block's `$ bizops`
commands run, in order, on the demo of 2026-11-27 (as on a terminal of 80 columns), and print
what the block shows. In a block, a line `...` (indented or not) stands for any lines, and a line ending in
`...` for any line that starts so.

Docs work on any day: the examples of the README, docs/getting-started.md and docs/zh/ also
run, in order, on demos built on three other days far apart, and exit as documented. Their
output depends on the day (what is due, the dates), so there only the exit is checked; the
customer codes are the same on any day, and a contract number (which carries the year it was
made) is read as the same contract's number on that day."""

from __future__ import annotations

import re
import shlex
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bizops.cli import output
from tests.support.cli import Cli
from tests.support.databases import shared_audit_key

ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-11-27"
OTHER_DAYS = ("2026-01-05", "2026-07-15", "2027-02-20")
CONTRACT_NUMBER = re.compile(r"HT-\d{4}-\d{4}")
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
ESCAPES = re.compile(r"\x1b\[[0-9;]*m")


def examples(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line number, command, expected lines) of each `$ bizops` example in ``path``."""
    found: list[tuple[int, str, list[str]]] = []
    fence = in_text = False
    first = 0  # the index in ``found`` of the current block's first example
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```"):
            fence = not fence
            in_text = fence and line.strip() == "```text"
            first = len(found)
            continue
        if not in_text:
            continue
        if line.startswith("$ bizops "):
            found.append((number, line[2:], []))
        elif len(found) > first:
            found[-1][2].append(line)
    return [(n, c, _trim(lines)) for n, c, lines in found]


def _trim(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """``actual`` as ``expected`` describes it (trailing spaces aside)."""
    if not expected:
        return not actual
    head, rest = expected[0].rstrip(), expected[1:]
    if head.strip() == "...":
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    line = actual[0].rstrip()
    same = line.startswith(head[:-3]) if head.endswith("...") else line == head
    return same and matches(rest, actual[1:])


def _build_demo(tmp_path_factory: pytest.TempPathFactory, day: str) -> Iterator[Path]:
    from bizops.cli.app import app
    from bizops.cli.context import reset_state

    home = tmp_path_factory.mktemp("docs-demo")
    target = home / "demo.db"
    env = {"BIZOPS_HOME": str(home), "BIZOPS_DB": str(home / "own.db"), "BIZOPS_LANG": "en"}
    with shared_audit_key(home):  # the demo's audit chain is sealed with this key
        result = CliRunner().invoke(app, ["--today", day, "demo", "--db", str(target)], env=env)
        assert result.exit_code == 0, result.output
        reset_state()
        yield target


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from _build_demo(tmp_path_factory, DAY)


@pytest.fixture(scope="module", params=OTHER_DAYS)
def other_demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    for db in _build_demo(tmp_path_factory, request.param):
        yield request.param, db


def _run(cli: Cli, db: Path, command: str, day: str = DAY) -> list[str]:
    words = shlex.split(command)
    assert words[0] == "bizops"
    result = cli("--db", str(db), "--today", day, *words[1:], env={"COLUMNS": "80"})
    assert result.exit_code == 0, (day, command, result.output)
    return ESCAPES.sub("", result.stdout).splitlines()


def _contracts(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT number, title FROM contracts"))


DOCUMENTED = [path for path in DOCS if examples(path)]


@pytest.mark.parametrize("path", DOCUMENTED, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_examples_print_what_the_docs_show(
    path: Path, cli: Cli, tmp_path: Path, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each document starts from the demo as built: its examples change it in order.
    db = tmp_path / "demo.db"
    db.write_bytes(demo_db.read_bytes())
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    monkeypatch.chdir(tmp_path)
    for number, command, expected in examples(path):
        actual = _run(cli, db, command)
        assert matches(expected, actual), (
            f"{path.name}:{number}: `{command}` printed\n" + "\n".join(actual)
        )


ANY_DAY = [
    path
    for path in [ROOT / "README.md", ROOT / "docs" / "getting-started.md"]
    + sorted((ROOT / "docs" / "zh").glob("*.md"))
    if path.exists() and examples(path)
]


@pytest.mark.parametrize("path", ANY_DAY, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_examples_work_on_any_day(
    path: Path,
    cli: Cli,
    tmp_path: Path,
    demo_db: Path,
    other_demo: tuple[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    day, built = other_demo
    db = tmp_path / "demo.db"
    db.write_bytes(built.read_bytes())
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    monkeypatch.chdir(tmp_path)
    by_title = {title: number for number, title in _contracts(db).items()}
    documented = _contracts(demo_db)
    for number, command, expected in examples(path):
        command = CONTRACT_NUMBER.sub(lambda m: by_title[documented[m.group(0)]], command)
        actual = _run(cli, db, command, day)
        assert bool(actual) == bool(expected), f"{path.name}:{number} on {day}: `{command}`"


def test_the_demo_codes_do_not_depend_on_the_day(demo_db: Path, other_demo: tuple[str, Path]):
    query = (
        "SELECT c.code, c.name, u.login FROM customers c JOIN users u ON u.id = c.owner_id "
        "ORDER BY c.code"
    )
    with sqlite3.connect(demo_db) as a, sqlite3.connect(other_demo[1]) as b:
        assert list(a.execute(query)) == list(b.execute(query))


def test_the_matcher() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["ab..."], ["abc"]) and not matches(["ab..."], ["xbc"])
    assert not matches(["a"], ["a", "b"]) and matches(["a  "], ["a"])


def test_readme_and_guides_have_examples() -> None:
    assert ROOT / "README.md" in DOCUMENTED
