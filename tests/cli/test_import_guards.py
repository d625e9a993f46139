"""`customer import` of hostile or very bad files: workbooks are measured before they are
expanded, and the terminal shows the first 50 problems while --errors FILE gets them all."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from bizops.services.customers import import_guards
from tests.support.cli import one_error_line


def _workbook(path: Path, sheet: bytes) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


@pytest.fixture
def never_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a workbook fails the test: the refusal must come first."""
    import openpyxl

    def expand(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", expand)


def test_a_zip_bomb_workbook_is_refused_before_it_is_expanded(
    cli_admin, tmp_path: Path, never_expanded: None
) -> None:  # type: ignore[no-untyped-def]
    bomb = _workbook(tmp_path / "bomb.xlsx", b"<x/>" + b" " * (8 * 1024 * 1024))
    line = one_error_line(cli_admin("customer", "import", bomb), 2)
    assert "bomb.xlsx: part xl/worksheets/sheet1.xml expands" in line and "zip bomb" in line


def test_a_workbook_over_the_size_cap_is_refused(
    cli_admin, tmp_path: Path, never_expanded: None, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(import_guards, "MAX_UNCOMPRESSED", 1000)
    big = _workbook(tmp_path / "big.xlsx", bytes(range(256)) * 8)
    line = one_error_line(cli_admin("customer", "import", big), 2)
    assert "the workbook would expand to" in line and "the limit is 1,000 bytes" in line


def test_a_file_that_is_not_a_workbook_is_refused(
    cli_admin, tmp_path: Path, never_expanded: None
) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "fake.xlsx"
    fake.write_text("name,grade,owner\n", encoding="utf-8")
    assert "not an .xlsx workbook" in one_error_line(cli_admin("customer", "import", fake), 2)
    other = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "no workbook parts" in one_error_line(cli_admin("customer", "import", other), 2)


def _many_bad_rows(path: Path, count: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["name", "grade", "owner"])
        for i in range(count):
            writer.writerow([f"Shop {i}", "Z", "root"])
    return path


def test_the_terminal_lists_50_problems_and_errors_file_gets_all(cli_admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = _many_bad_rows(tmp_path / "bad.csv", 120)
    r = cli_admin("customer", "import", source)
    assert "120 bad row(s) of 120; nothing was imported" in one_error_line(r, 2)
    listed = [line for line in r.stderr.splitlines() if line.startswith("  - ")]
    assert len(listed) == 51
    assert listed[-1] == "  - and 70 more (write them all with --errors FILE)"

    errors = tmp_path / "errors.csv"
    r = cli_admin("customer", "import", source, "--errors", errors)
    assert r.exit_code == 2 and r.stderr.splitlines()[-1] == "  - and 70 more"
    with open(errors, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["line", "column", "value", "problem"]
    assert len(rows) == 121
    assert rows[1][:3] == ["2", "grade", "Z"] and rows[1][3].startswith("grade: ")
    assert rows[-1][0] == "121"

    r = cli_admin("customer", "import", source, "--skip-invalid", "--errors", errors)
    assert r.exit_code == 0
    rejected = [line for line in r.stderr.splitlines() if "rejected line" in line]
    assert len(rejected) == 50 and "  and 70 more" in r.stderr.splitlines()
    assert f"Wrote every problem to {errors}" in r.stderr


def test_errors_file_guards_formulas(cli_admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "evil.csv"
    source.write_text('name,grade,owner\nShop,"=cmd|calc",root\n', encoding="utf-8")
    errors = tmp_path / "errors.csv"
    assert cli_admin("customer", "import", source, "--errors", errors).exit_code == 2
    with open(errors, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[1][2] == "'=cmd|calc"


def test_a_chinese_refusal_of_a_zip_bomb(cli_admin, tmp_path: Path, never_expanded: None) -> None:  # type: ignore[no-untyped-def]
    bomb = _workbook(tmp_path / "bomb.xlsx", b"<x/>" + b" " * (8 * 1024 * 1024))
    line = one_error_line(cli_admin("--lang", "zh", "customer", "import", bomb), 2)
    assert "压缩炸弹" in line
