"""The output layer and the CLI's words in both languages: labels drawn on a terminal, keys
and codes kept for scripts, Click's messages, and a complete catalog for the CLI."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TypedDict

import pytest

from bizops.cli import output
from bizops.cli.group import LAZY_GROUPS
from bizops.cli.lang import translate_usage
from bizops.cli.output import labels
from bizops.i18n import set_language

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def chinese() -> Iterator[None]:
    set_language("zh")
    yield
    set_language("en")


@pytest.fixture
def vocab_labels(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A stand-in for the domain's table of Chinese names, whichever build this is."""
    from bizops.domain import vocab

    names = {("stage", "prospect"): "潜在客户", ("channel", "phone"): "电话"}

    def label(kind: str, value: str | None) -> str:
        return names.get((kind, value or ""), value or "")

    monkeypatch.setattr(vocab, "label", label, raising=False)
    labels._vocab_label.cache_clear()
    yield
    labels._vocab_label.cache_clear()


class Row(TypedDict):
    code: str
    stage: str
    channel: str
    primary: bool


LISTING = output.Listing(
    "test_languages",
    Row,
    (
        output.Col("code", "Code"),
        output.Col("stage", "Stage"),
        output.Col("channel", "Channel"),
        output.Col("primary", "Primary"),
    ),
)
ROW = {"code": "C0001", "stage": "prospect", "channel": "phone/email", "primary": True}


def test_every_declared_listing_field_has_a_label() -> None:
    for module in LAZY_GROUPS.values():
        importlib.import_module(module)
    unlabelled = {
        name: [k for k in listing.keys if k not in labels.FIELD_LABELS and k not in listing.labels]
        for name, listing in output.LISTINGS.items()
        if not name.startswith("test_")
    }
    assert {k: v for k, v in unlabelled.items() if v} == {}


@pytest.mark.usefixtures("chinese", "vocab_labels")
def test_a_terminal_table_in_chinese_shows_labels_and_names(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    output.emit_rows([ROW], LISTING, title="Customers")
    out = capsys.readouterr().out
    assert out.splitlines()[0].strip() == "客户"
    for word in ("编号", "阶段", "渠道", "主要联系人", "潜在客户", "电话/email", "是"):
        assert word in out, (word, out)


@pytest.mark.usefixtures("chinese", "vocab_labels")
def test_piped_rows_in_chinese_keep_the_codes(capsys: pytest.CaptureFixture[str]) -> None:
    output.emit_rows([ROW], LISTING)
    assert (
        capsys.readouterr().out
        == "编号\t阶段\t渠道\t主要联系人\nC0001\tprospect\tphone/email\t是\n"
    )


@pytest.mark.usefixtures("vocab_labels")
def test_english_shows_codes_even_with_a_table_of_names(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    output.emit_rows([ROW], LISTING)
    out = capsys.readouterr().out
    assert "prospect" in out and "潜在客户" not in out and "Stage" in out


@pytest.mark.usefixtures("chinese", "vocab_labels")
def test_a_record_on_a_terminal_shows_labels_piped_keeps_keys(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {"grade": "A", "stage": "prospect", "next_due": date(2026, 12, 1), "odd_key": 1}
    output.emit_object(record)
    assert capsys.readouterr().out.splitlines()[:2] == ["grade\tA", "stage\tprospect"]
    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    output.emit_object(record, sections=(output.Line("stage", "Stage"),))
    out = capsys.readouterr().out
    assert re.search(r"等级\s+A", out) and re.search(r"阶段\s+潜在客户", out)
    assert "下次到期" in out and "odd_key" in out and "阶段：潜在客户" in out


@pytest.mark.usefixtures("chinese")
def test_json_and_default_csv_do_not_change_with_the_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    output.emit_rows([ROW], LISTING, fmt=output.Format.json)
    output.emit_rows([ROW], LISTING, fmt=output.Format.csv)
    out = capsys.readouterr().out
    assert '"stage": "prospect"' in out and "code,stage,channel,primary\n" in out
    output.emit_rows([ROW], LISTING, fmt=output.Format.csv, headers="zh")
    assert capsys.readouterr().out.startswith("编号,阶段,渠道,主要联系人\n")


def test_chinese_headers_whatever_the_interface_language() -> None:
    set_language("en")
    assert labels.header_row(["code", "grade"], "zh") == ["编号", "等级"]
    assert labels.header_row(["code", "grade"], None) == ["code", "grade"]
    assert labels.header_row(["title"], "zh", {"title": "Job title"}) == ["职务"]


@pytest.mark.usefixtures("chinese")
def test_a_day_with_its_weekday() -> None:
    assert output.with_weekday(date(2026, 11, 27)) == "2026-11-27（周五）"
    set_language("en")
    assert output.with_weekday(date(2026, 11, 27)) == "2026-11-27 (Fri)"


@pytest.mark.parametrize(
    ("english", "expected"),
    [
        ("Missing option '--grade' / '-g'.", "缺少选项 '--grade' / '-g'。"),
        (
            "Invalid value for '--by': Value error, 'x' is not one of 'owner', 'grade'.",
            "'--by' 的值无效：'x' 不是 'owner', 'grade' 之一。",
        ),
        (
            "Invalid value for '--limit': Input should be a valid integer, unable to parse",
            "'--limit' 的值无效：应为整数",
        ),
        ("No such command 'lst'. Did you mean 'list'?", "没有命令 'lst'。您是不是要找 'list'？"),
        ("没有命令 'lst'。. Did you mean 'list'?", "没有命令 'lst'。您是不是要找 'list'？"),
        ("No such option: --al (Possible options: --all)", "没有选项：--al（可能的选项：--all）"),
        ("Got unexpected extra argument(s) (a b)", "多余的参数（a b）"),
        ("Option '--limit' requires an argument.", "选项 '--limit' 需要一个值。"),
        ("Something new from Click.", "Something new from Click."),
    ],
)
@pytest.mark.usefixtures("chinese")
def test_click_messages_in_chinese(english: str, expected: str) -> None:
    assert translate_usage(english) == expected


def test_click_messages_stay_as_they_are_in_english() -> None:
    set_language("en")
    message = "Invalid value for '--limit': Input should be a valid integer, unable to parse"
    assert translate_usage(message) == message


def test_every_cli_message_and_help_text_has_a_chinese_translation() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        i18n_script = importlib.import_module("i18n")
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    wanted = {
        message.id
        for message in i18n_script.extract()
        if message.id
        and any(where.startswith(("bizops/cli/", "cli:")) for where, _line in message.locations)
    }
    catalog = {m.id: m for m in i18n_script.read_catalog() if m.id}
    untranslated = sorted(
        str(msgid)
        for msgid in wanted
        if msgid not in catalog
        or catalog[msgid].fuzzy
        or not all(s.strip() for s in i18n_script._strings(catalog[msgid]))
    )
    assert untranslated == [], "run scripts/i18n.py update and translate: " + repr(untranslated)
