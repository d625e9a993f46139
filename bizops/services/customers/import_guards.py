"""What keeps an import from hurting: a workbook is measured before it is expanded, and the
problems of a file are listed in full in a file of their own (``--errors``) while the
terminal shows the first ``SHOWN``.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bizops.domain.errors import Invalid
from bizops.domain.text import neutralise_formula
from bizops.i18n import _
from bizops.store.files import check_target

# A workbook's parts, uncompressed, may hold at most this much ...
MAX_UNCOMPRESSED = 200 * 1024 * 1024
# ... and no part larger than RATIO_FLOOR may expand more than MAX_RATIO times (zip bombs
# do; tiny parts may legitimately compress far better, and cannot hurt).
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
# Problems shown on the terminal; the rest are counted (all of them go to --errors FILE).
SHOWN = 50


def check_workbook(path: Path, name: str) -> None:
    """Refuse, from the zip's central directory alone (nothing is expanded), a file that is
    not an .xlsx workbook or would expand beyond the limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise Invalid(
            _("{file}: not an .xlsx workbook (it is not a zip archive)").format(file=name)
        ) from None
    names = {part.filename for part in parts}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise Invalid(
            _("{file}: not an .xlsx workbook (no workbook parts in the archive)").format(file=name)
        )
    total = sum(part.file_size for part in parts)
    if total > MAX_UNCOMPRESSED:
        raise Invalid(
            _(
                "{file}: the workbook would expand to {size} bytes; the limit is {limit} bytes "
                "(save fewer rows per file, or use CSV)"
            ).format(file=name, size=f"{total:,}", limit=f"{MAX_UNCOMPRESSED:,}")
        )
    for part in parts:
        if part.file_size <= RATIO_FLOOR:
            continue
        ratio = part.file_size / max(part.compress_size, 1)
        if ratio > MAX_RATIO:
            raise Invalid(
                _(
                    "{file}: part {part} expands {ratio} times (the limit is {limit}); "
                    "the workbook is refused as a possible zip bomb"
                ).format(file=name, part=part.filename, ratio=int(ratio), limit=MAX_RATIO)
            )


@dataclass(frozen=True)
class Problem:
    """One problem of one row, as ``--errors`` writes it."""

    line: int
    column: str
    value: str
    problem: str


def _line(where: str) -> int:
    match = re.search(r"\d+", where)
    return int(match.group()) if match else 0


def _column(part: str, values: dict[str, str]) -> str:
    name = part.split(":", 1)[0].strip() if ":" in part else ""
    return name if name in values else ""


def problems_of(where: str, values: dict[str, str], reason: str) -> list[Problem]:
    """A row's reason split into its problems (one per column it names, joined by "; ")."""
    parts: list[str] = []
    for part in reason.split("; "):
        if parts and not _column(part, values):
            parts[-1] += "; " + part
        else:
            parts.append(part)
    out = []
    for part in parts:
        column = _column(part, values)
        out.append(Problem(_line(where), column, values.get(column, "") if column else "", part))
    return out


def bounded(lines: Sequence[str], *, errors_option: bool = True) -> list[str]:
    """The first ``SHOWN`` lines, then how many more (and where to find them all)."""
    if len(lines) <= SHOWN:
        return list(lines)
    more = len(lines) - SHOWN
    text = (
        _("and {count} more (write them all with --errors FILE)")
        if errors_option
        else _("and {count} more")
    )
    return [*lines[:SHOWN], text.format(count=more)]


ERROR_COLUMNS = ("line", "column", "value", "problem")


def write_errors(path: Path, problems: Iterable[Problem]) -> None:
    """Every problem, one a line (CSV: line, column, value, problem)."""
    path = check_target(path, option="--errors")
    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(ERROR_COLUMNS)
            for p in problems:
                writer.writerow(
                    [p.line, p.column, neutralise_formula(p.value), neutralise_formula(p.problem)]
                )
    except OSError as exc:
        raise Invalid(
            _("--errors: cannot write {path}: {error}").format(path=path, error=exc.strerror)
        ) from None
