"""The output layer on its own: what a terminal shows and what one-record CSV holds."""

from __future__ import annotations

import csv
import io

import pytest

from bizops.cli import output


def test_terminal_view_prints_user_text_as_typed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(output, "stdout_is_terminal", lambda: True)
    output.emit_object({"title": "测试[/]结束", "note": "[bold]VIP[/bold]"}, title="[x] 合同")
    out = capsys.readouterr().out
    assert "测试[/]结束" in out and "[bold]VIP[/bold]" in out and "[x] 合同" in out


def test_terminal_table_cells_are_text_not_markup(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(output, "stdout_is_terminal", lambda: True)
    output.emit_rows([{"name": "[VIP] Acme [/]"}], [output.Col("name", "Name")])
    assert "[VIP] Acme [/]" in capsys.readouterr().out


def test_one_record_csv_keeps_lists_of_values(capsys: pytest.CaptureFixture[str]) -> None:
    output.emit_object(
        {"rule": "major", "chain": ["manager", "finance"], "steps": [{"seq": 1}]},
        fmt=output.Format.csv,
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows == [{"rule": "major", "chain": "manager;finance"}]


def test_workbook_names_are_refused_before_anything_is_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bizops.domain.errors import Invalid

    target = tmp_path / "customers.xlsx"
    with pytest.raises(Invalid, match="use -o FILE.csv"):
        output.emit_rows([{"a": 1}], [output.Col("a", "A")], output=target)
    assert not target.exists()


def test_piped_record_keeps_nested_objects(capsys: pytest.CaptureFixture[str]) -> None:
    output.emit_object({"code": "C0051", "next_followup": {"id": 473, "due": "2026-12-11"}})
    out = capsys.readouterr().out
    assert "code\tC0051" in out and "next_followup:\nid\t473\ndue\t2026-12-11\n" in out
