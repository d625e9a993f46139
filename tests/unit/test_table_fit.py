"""Fitting tables to the terminal: priorities, minimums, and folding Chinese names."""

from __future__ import annotations

from rich.cells import cell_len

from bizops.cli.output.fit import column_fit, fit, fold_text, table_width


def test_everything_fits_when_the_terminal_is_wide() -> None:
    cols = [
        column_fit("ID", ["312"], folds=False, priority=1),
        column_fit("Customer", ["青岛金桥食品股份有限公司"], folds=True, priority=1),
        column_fit("Channel", ["phone/email"], folds=False, priority=9),
    ]
    keep, widths = fit(cols, 200)
    assert keep == [0, 1, 2] and widths == [3, 24, 11]


def test_the_least_important_columns_go_first_and_nothing_is_cut() -> None:
    cols = [
        column_fit("ID", ["312"], folds=False, priority=1),
        column_fit("Customer", ["青岛金桥食品股份有限公司"], folds=True, priority=1),
        column_fit("Due", ["2026-11-10"], folds=False, priority=2),
        column_fit("Last contact", ["2026-10-27"], folds=False, priority=8),
        column_fit("Channel", ["phone/email"], folds=False, priority=9),
    ]
    for width in (40, 50, 60, 80):
        keep, widths = fit(cols, width)
        assert table_width(widths) <= width
        assert keep[:2] == [0, 1]
        dropped = [i for i in range(5) if i not in keep]
        # Whatever is dropped, it is the least important ones.
        assert dropped == sorted(dropped, reverse=False) and all(i >= 2 for i in dropped)
        for i, w in zip(keep, widths, strict=True):
            assert w >= cols[i].minimum


def test_a_name_takes_the_space_that_dropped_columns_free() -> None:
    name = "青岛金桥食品股份有限公司"
    cols = [
        column_fit("Customer", [name], folds=True, priority=1, min_width=16),
        column_fit("Notes", ["x" * 60], folds=True, priority=9),
    ]
    keep, widths = fit(cols, 26)
    assert keep == [0] and widths == [24]  # the notes go; the whole name on one line
    keep, widths = fit(cols, 40)
    assert keep == [0, 1] and widths[0] >= 16  # room for both: the name folds at most once
    assert fold_text(name, widths[0]).count("\n") <= 1


def test_chinese_names_fold_without_breaking_the_company_suffix() -> None:
    folded = fold_text("青岛金桥食品股份有限公司", 12)
    assert folded.split("\n") == ["青岛金桥食品", "股份有限公司"]
    assert all(cell_len(line) <= 12 for line in folded.split("\n"))
    assert fold_text("武汉鼎盛电子科技有限公司", 16).endswith("有限公司")


def test_english_names_fold_between_words() -> None:
    assert fold_text("Custom freight tracking integration", 16).split("\n") == [
        "Custom freight",
        "tracking",
        "integration",
    ]


def test_a_word_wider_than_the_column_is_cut_by_characters() -> None:
    lines = fold_text("Supercalifragilistic", 8).split("\n")
    assert all(cell_len(line) <= 8 for line in lines) and "".join(lines) == "Supercalifragilistic"


def test_a_company_name_folds_before_its_kind_when_the_name_fits_a_line() -> None:
    assert fold_text("武汉鼎盛电子科技有限公司", 16) == "武汉鼎盛电子科技\n有限公司"
    assert fold_text("青岛金桥食品股份有限公司", 12) == "青岛金桥食品\n股份有限公司"
