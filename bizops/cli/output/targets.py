"""Where output goes and in which format: the one place that reads ``--format`` and ``-o``.

Every command that writes a file (listings, records, drafts, reports, calendars) resolves
its target here. ``-o -`` is standard output. A file name's extension implies the format;
a format given with ``--format`` must agree with it. A target is checked before anything is
read or written: never the open database or its side files, never a directory or a device.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import IO

from bizops.domain.errors import Invalid

# Names that say "text of the default format" rather than a format of their own.
PLAIN_SUFFIXES = ("", ".txt", ".log", ".out")
# Names of files whose readers would reject what a kind of output writes (unless the kind
# writes that format itself): a workbook, a PDF, a Word file, an image, an archive.
FOREIGN_SUFFIXES = (
    ".xlsx", ".xls", ".xlsm", ".ods", ".pdf", ".docx", ".doc", ".odt", ".pptx",
    ".png", ".jpg", ".jpeg", ".gif", ".zip", ".gz", ".db", ".sqlite", ".sqlite3",
)  # fmt: skip


class Format(StrEnum):
    """The formats of listings and records."""

    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@dataclass(frozen=True)
class OutputKind:
    """What one kind of output can be written as: each format with the file extensions that
    imply it, the default, and which formats are bytes rather than text."""

    formats: Mapping[str, tuple[str, ...]]
    default: str
    binary: frozenset[str] = field(default_factory=frozenset)
    # Formats people read on a terminal; anything else is for files and pipes.
    terminal: frozenset[str] = field(default_factory=frozenset)

    def from_suffix(self, suffix: str) -> str | None:
        for name, suffixes in self.formats.items():
            if suffix in suffixes:
                return name
        return None

    def names(self) -> str:
        return ", ".join(self.formats)

    def extensions(self) -> str:
        return ", ".join(s for suffixes in self.formats.values() for s in suffixes if s)


LISTING = OutputKind(
    {"table": (".txt",), "json": (".json",), "csv": (".csv", ".tsv"), "xlsx": (".xlsx",)},
    default="table",
    binary=frozenset({"xlsx"}),
)
EXPORT = OutputKind(
    {"csv": (".csv", ".tsv"), "json": (".json",), "xlsx": (".xlsx",)},
    default="csv",
    binary=frozenset({"xlsx"}),
)
DRAFT = OutputKind(
    {"md": (".md", ".markdown"), "html": (".html", ".htm"), "docx": (".docx",)},
    default="md",
    binary=frozenset({"docx"}),
)
REPORT = OutputKind(
    {"text": (".txt",), "md": (".md", ".markdown"), "html": (".html", ".htm"), "json": (".json",)},
    default="text",
)
CALENDAR = OutputKind({"ics": (".ics",)}, default="ics")


@dataclass(frozen=True)
class Target:
    format: str
    path: Path | None  # None: standard output

    @property
    def to_stdout(self) -> bool:
        return self.path is None


def protected_files() -> list[Path]:
    """Files no output may replace: the database in use and its key files."""
    from bizops.cli.context import state

    return state().protected_files()


def resolve_output(
    fmt: str | None, output: Path | None, *, kind: OutputKind = LISTING, option: str = "-o"
) -> Target:
    """The format and place of one command's output, refused with exit 2 when they
    disagree or the place must not be written."""
    to_stdout = output is None or str(output) == "-"
    suffix = "" if to_stdout or output is None else output.suffix.lower()
    implied = kind.from_suffix(suffix)
    if fmt is not None:
        chosen = str(fmt).strip().lower()
        if chosen not in kind.formats:
            raise Invalid(f"--format: unknown format {fmt!r}; accepted: {kind.names()}")
        if implied is not None and implied != chosen and suffix not in PLAIN_SUFFIXES:
            raise Invalid(
                f"{option}: {output} is a {implied} file name but --format is {chosen}; "
                "make them agree"
            )
        if implied is None and suffix in FOREIGN_SUFFIXES:
            raise Invalid(
                f"{option}: {output} names a {suffix} file, but this writes {chosen}; "
                f"name it {kind.extensions()}"
            )
    elif implied is not None:
        chosen = implied
    elif suffix not in FOREIGN_SUFFIXES:
        chosen = kind.default
    else:
        raise Invalid(
            f"{option}: cannot tell the format from {output}; name it "
            f"{kind.extensions()}, or give --format ({kind.names()})"
        )
    if to_stdout:
        if chosen in kind.binary and sys.stdout.isatty():
            raise Invalid(
                f"--format {chosen}: a {chosen} file cannot go to the terminal; "
                f"give -o FILE or redirect the output"
            )
        return Target(chosen, None)
    assert output is not None
    from bizops.store.files import check_target

    return Target(chosen, check_target(output, protected=protected_files(), option=option))


def check_output_path(output: Path, *, option: str = "-o") -> Path:
    """A file a command writes beside its main output (``--rejects``, ``--errors``)."""
    from bizops.store.files import check_target

    return check_target(output, protected=protected_files(), option=option)


@contextmanager
def open_text(target: Target, *, bom: bool = False) -> Iterator[IO[str]]:
    """The text stream of a target; a file is opened only now, after every check."""
    if target.path is None:
        yield sys.stdout
        return
    try:
        # Excel on a Chinese system reads UTF-8 CSV correctly only with a BOM.
        encoding = "utf-8-sig" if bom else "utf-8"
        stream = open(target.path, "w", encoding=encoding, newline="")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise Invalid(f"-o: cannot write {target.path}: {exc.strerror}") from None
    with stream:
        yield stream


def write_document(target: Target, data: str | bytes) -> None:
    """A whole document (report, draft, calendar) to its target."""
    if target.path is None:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data if data.endswith("\n") else data + "\n")
            sys.stdout.flush()
        return
    try:
        if isinstance(data, bytes):
            target.path.write_bytes(data)
        else:
            target.path.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise Invalid(f"-o: cannot write {target.path}: {exc.strerror}") from None
    from bizops.cli.output.values import note

    note(f"Wrote {target.path}")


def resolve_format(fmt: Format | str | None, output: Path | None) -> Format:
    """The format of a listing or record (for commands that choose their view by it)."""
    return Format(resolve_output(fmt, output, kind=LISTING).format)


def render_text(text: str, output: Path | None) -> None:
    """A whole text document (its format already chosen) to standard output or a checked
    file."""
    stdout = output is None or str(output) == "-"
    write_document(Target("text", None if stdout else check_output_path(output)), text)  # type: ignore[arg-type]


def write_bytes(data: bytes, output: Path) -> None:
    target = Target("bytes", None if str(output) == "-" else check_output_path(output))
    write_document(target, data)
