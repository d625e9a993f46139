"""The output layer on its own: what a terminal shows and what one-record CSV holds."""

from __future__ import annotations

import csv
import io
from typing import TypedDict

import pytest

from bizops.cli import output


def test_terminal_view_prints_user_text_as_typed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    output.emit_object({"title": "测试[/]结束", "note": "[bold]VIP[/bold]"}, title="[x] 合同")
    out = capsys.readouterr().out
    assert "测试[/]结束" in out and "[bold]VIP[/bold]" in out and "[x] 合同" in out


def test_terminal_table_cells_are_text_not_markup(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    output.emit_rows([{"name": "[VIP] Acme [/]"}], [output.Col("name", "Name")])
    assert "[VIP] Acme [/]" in capsys.readouterr().out


def test_one_record_csv_keeps_lists_of_values(capsys: pytest.CaptureFixture[str]) -> None:
    output.emit_object(
        {"rule": "major", "chain": ["manager", "finance"], "steps": [{"seq": 1}]},
        fmt=output.Format.csv,
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows == [{"rule": "major", "chain": "manager;finance"}]


def test_a_workbook_name_writes_a_real_workbook(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import date
    from decimal import Decimal

    from openpyxl import load_workbook

    class Row(TypedDict):
        code: str
        amount: Decimal
        due: date
        note: str

    listing = output.Listing(
        "test_workbook", Row, (output.Col("code", "Code"), output.Col("amount", "Amount"))
    )
    target = tmp_path / "customers.xlsx"
    row = {"code": "C0001", "amount": Decimal("1200.50"), "due": date(2026, 12, 1), "note": "=1+1"}
    output.emit_rows([row], listing, output=target)
    sheet = load_workbook(target).active
    assert [c.value for c in sheet[1]] == ["code", "amount", "due", "note"]
    code, amount, due, note = (c.value for c in sheet[2])
    assert code == "C0001" and amount == 1200.5 and due.date() == date(2026, 12, 1)
    assert note == "'=1+1"  # text, never a formula
    assert sheet.freeze_panes == "A2"


def test_a_format_that_disagrees_with_the_file_name_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bizops.domain.errors import Invalid

    target = tmp_path / "customers.xlsx"
    with pytest.raises(Invalid, match="is a xlsx file name but --format is csv"):
        output.emit_rows([{"a": 1}], [output.Col("a", "A")], fmt=output.Format.csv, output=target)
    with pytest.raises(Invalid, match="cannot tell the format"):
        output.emit_rows([{"a": 1}], [output.Col("a", "A")], output=tmp_path / "x.pdf")
    assert not target.exists() and not (tmp_path / "x.pdf").exists()


def test_csv_neutralises_formulas_in_text_but_not_numbers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from decimal import Decimal

    rows = [{"name": "=HYPERLINK(1)", "tags": ["@x", "b"], "amount": Decimal("-5")}]
    columns = [output.Col(k, k) for k in ("name", "tags", "amount")]
    output.emit_rows(rows, columns, fmt=output.Format.csv)
    (parsed,) = csv.DictReader(io.StringIO(capsys.readouterr().out))
    assert parsed["name"] == "'=HYPERLINK(1)" and parsed["tags"] == "'@x;b"
    assert parsed["amount"] == "-5.00"


def test_piped_record_keeps_nested_objects(capsys: pytest.CaptureFixture[str]) -> None:
    output.emit_object({"code": "C0051", "next_followup": {"id": 473, "due": "2026-12-11"}})
    out = capsys.readouterr().out
    assert "code\tC0051" in out and "next_followup:\nid\t473\ndue\t2026-12-11\n" in out
