"""Help pages wrap paragraphs to the terminal, not to the width of the source file."""

from __future__ import annotations

from bizops.cli.lang import unwrap_paragraphs


def test_lines_of_a_paragraph_join_with_a_space_in_english() -> None:
    text = "First line.\n\nThe second paragraph was\nwrapped in the source.\n\nThird."
    assert unwrap_paragraphs(text) == (
        "First line.\n\nThe second paragraph was wrapped in the source.\n\nThird."
    )


def test_chinese_lines_join_without_a_space() -> None:
    assert (
        unwrap_paragraphs("所有数据都经由真实的\n业务服务生成")
        == "所有数据都经由真实的业务服务生成"
    )
    assert unwrap_paragraphs("日期相对于今天（或\n--today）") == "日期相对于今天（或--today）"


def test_a_paragraph_marked_with_backspace_keeps_its_lines() -> None:
    text = "Summary.\n\n\b\nline one\nline two"
    assert unwrap_paragraphs(text) == text


def test_a_wide_terminal_shows_a_later_paragraph_on_one_line(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("demo", "--help", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    line = next(x for x in result.stdout.splitlines() if "Everything goes through" in x)
    assert "the same day gives the same data." in line
