"""`customer import|export`: customers in and out of files that round-trip."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bizops.cli.context import state
from bizops.cli.customers.group import app
from bizops.cli.output import (
    Col,
    Format,
    FormatOption,
    Listing,
    OutputOption,
    emit_object,
    emit_rows,
    note,
    say,
)
from bizops.services.customers.views import ExportRow

CUSTOMER_EXPORT = Listing(
    name="customer_export",
    fields=ExportRow,
    columns=tuple(Col(key, key) for key in ExportRow.__annotations__),
)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8 or GB18030), .xlsx or .json file.")],
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Load the good rows; report the bad ones.")
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Write the bad rows, with a reason, to this CSV file."),
    ] = None,
    fmt: FormatOption = None,
) -> None:
    """Import customers: every bad row is reported; all or nothing unless --skip-invalid.

    Rows whose name already exists (case, width and punctuation ignored) are skipped as
    "already present", so importing the same file again adds nothing.

    Example: bizops customer import 客户名单.csv --skip-invalid --rejects rejects.csv
    """
    import sys

    from bizops.services.customers import import_customers

    st = state()
    progress_bar = _ProgressBar() if sys.stderr.isatty() else None
    try:
        with st.write() as (session, actor):
            result = import_customers(
                session,
                actor=actor,
                path=file,
                policy=st.policy(),
                today=st.today,
                skip_invalid=skip_invalid,
                rejects=rejects,
                progress=progress_bar.update if progress_bar else _quiet,
            )
    finally:
        if progress_bar:
            progress_bar.stop()
    if fmt is Format.json or fmt is Format.csv:
        emit_object(dict(result.as_dict()), fmt=fmt)
        return
    say(
        f"Imported {result.imported} customer(s) from {result.file}"
        + (f" ({result.first_code}..{result.last_code})" if result.imported else "")
        + f"; {result.already_present} already present; {result.rejected} rejected."
    )
    for line in result.problems:
        note(f"  rejected {line}")
    if result.rejects_file:
        note(f"Wrote the rejected rows to {result.rejects_file}")


def _quiet(_phase: str, _done: int, _total: int) -> None:
    return None


class _ProgressBar:
    """A Rich progress bar on stderr, for people at a terminal."""

    def __init__(self) -> None:
        from rich.progress import Progress

        from bizops.cli.output import console

        self.bar = Progress(console=console(stderr=True), transient=True)
        self.task: Any = None
        self.started = False

    def update(self, phase: str, done: int, total: int) -> None:
        if not self.started:
            self.bar.start()
            self.started = True
        if self.task is None:
            self.task = self.bar.add_task(phase, total=max(total, 1))
        self.bar.update(self.task, completed=done, total=max(total, 1), description=phase)

    def stop(self) -> None:
        if self.started:
            self.bar.stop()


@app.command("export")
def export(
    fmt: FormatOption = None,
    output: OutputOption = None,
    all_: Annotated[bool, typer.Option("--all", help="Include archived customers.")] = False,
) -> None:
    """Export customers as CSV (default), JSON or an Excel workbook, in the columns
    `customer import` reads.

    Example: bizops customer export -o customers.csv
    """
    from bizops.cli.output import EXPORT, resolve_output
    from bizops.services.customers import export_rows, flatten_for_csv

    target = resolve_output(fmt, output, kind=EXPORT)
    chosen = Format(target.format)
    with state().read() as session:
        rows: Any = export_rows(session, scope="all" if all_ else "active")
        if chosen is not Format.json:
            rows = (flatten_for_csv(r) for r in rows)
        emit_rows(rows, CUSTOMER_EXPORT, fmt=chosen, output=output, kind=EXPORT)
