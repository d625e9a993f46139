"""Fitting a table to the terminal: which columns to keep, how wide each is, and where a
name folds.

A listing declares its columns in priority order. At the terminal's width the least
important columns are dropped first, until every kept column fits at its minimum: codes,
dates and numbers whole, names and text at least as wide as their header. The space left
goes back to the columns that fold (names first), so that a name folds only when it must,
and then between words or characters, never inside a company suffix such as 有限公司.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

# A Rich table without its outer edge: one space either side of each cell, one rule between.
CELL_PADDING = 2
RULE = 1
# A folding column is never narrower than this (or its header, or its widest value), nor
# than its longest Latin word up to WORD_MAX.
FOLD_MIN = 8
WORD_MAX = 14

# Endings that name the kind of company: kept on one line when a name folds.
COMPANY_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "分公司",
    "总公司",
    "公司",
    "集团",
    "研究院",
    "事务所",
    "Co., Ltd.",
    "Co.,Ltd.",
    "Ltd.",
    "Inc.",
    "LLC",
    "GmbH",
)


# A folding column asks for about half its widest value (a name on two lines), up to this.
COMFORT_MAX = 24


@dataclass(frozen=True)
class ColumnFit:
    """What fitting needs of one column."""

    natural: int  # the widest value or the header, whichever is wider
    minimum: int  # the narrowest it may be drawn
    folds: bool  # names and text fold; codes, dates and numbers never do
    priority: int  # 1 is kept longest; ties drop the later column first

    @property
    def comfortable(self) -> int:
        """The width worth keeping a column narrower than this for: about two lines of its
        widest value for names and text, all of it for the rest."""
        if not self.folds:
            return self.natural
        return max(self.minimum, min(-(-self.natural // 2), COMFORT_MAX))


def table_width(widths: Sequence[int]) -> int:
    """The width of a table whose columns have these widths."""
    if not widths:
        return 0
    return sum(widths) + CELL_PADDING * len(widths) + RULE * (len(widths) - 1)


def column_fit(
    header: str, values: Sequence[str], *, folds: bool, priority: int, min_width: int = 0
) -> ColumnFit:
    widest = max((_longest_line(v) for v in values), default=0)
    natural = max(widest, cell_len(header))
    if not folds:
        return ColumnFit(natural, natural, False, priority)
    word = min(max((_longest_word(v) for v in values), default=0), WORD_MAX)
    minimum = min(natural, max(cell_len(header), min_width or FOLD_MIN, word))
    return ColumnFit(natural, minimum, True, priority)


_LATIN_WORD = re.compile(r"[\x21-\x7e]+")


def _longest_word(text: str) -> int:
    """The longest run of Latin letters, digits and signs: a word that folding would cut
    (Chinese breaks between any two characters)."""
    return max((len(w) for w in _LATIN_WORD.findall(text)), default=0)


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.split("\n")), default=0)


def fit(columns: Sequence[ColumnFit], width: int) -> tuple[list[int], list[int]]:
    """The columns to keep (indexes, in their order) and the width of each, for a table at
    most ``width`` cells wide. The first column by priority is always kept. A less important
    column goes before a more important name is squeezed below its comfortable width; a
    column of priority 0 (one the person named) is never dropped."""
    keep = list(range(len(columns)))
    while len(keep) > 1:
        droppable = [i for i in keep if columns[i].priority > 0]
        if not droppable:
            break
        last = max(droppable, key=lambda i: (columns[i].priority, i))
        # The least important column stays, at its narrowest, if the others keep their
        # comfortable widths beside it.
        wanted = [columns[i].minimum if i == last else columns[i].comfortable for i in keep]
        if table_width(wanted) <= width:
            break
        keep.remove(last)
    widths = {i: columns[i].natural for i in keep}
    excess = table_width(list(widths.values())) - width
    # Take the excess from the folding columns, the widest first, down to their minimums.
    while excess > 0:
        shrinkable = [i for i in keep if columns[i].folds and widths[i] > columns[i].minimum]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return keep, [widths[i] for i in keep]


_WORD = re.compile(r"\S+\s*")


def _pieces(text: str) -> list[str]:
    """The units a line may break between: words (with their trailing space) for text with
    spaces, single characters otherwise; a company suffix is one unit."""
    suffix = next((s for s in COMPANY_SUFFIXES if text.endswith(s) and text != s), "")
    body = text[: len(text) - len(suffix)] if suffix else text
    units = _WORD.findall(body) if " " in body.strip() else list(body)
    return [*units, suffix] if suffix else units


def fold_text(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` cells, between words or characters,
    keeping a company suffix whole where it fits on a line of its own."""
    if width <= 0 or cell_len(text) <= width:
        return text
    lines: list[str] = []
    line = ""
    for piece in _pieces(text):
        if cell_len(line + piece.rstrip()) <= width:
            line += piece
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = piece
        while cell_len(line.rstrip()) > width:  # a piece wider than the column: by characters
            cut = _cut(line, width)
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def _cut(text: str, width: int) -> int:
    used = 0
    for i, ch in enumerate(text):
        used += cell_len(ch)
        if used > width:
            return max(i, 1)
    return len(text)
