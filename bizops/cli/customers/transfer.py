"""`customer import|export`: customers in and out of files that round-trip."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bizops.cli.context import state
from bizops.cli.customers.group import app
from bizops.cli.output import (
    Col,
    EncodingOption,
    Format,
    FormatOption,
    HeadersOption,
    Listing,
    OutputOption,
    emit_object,
    emit_rows,
    note,
    say,
)
from bizops.i18n import N_, _
from bizops.services.customers.views import ExportRow

CUSTOMER_EXPORT = Listing(
    name="customer_export",
    fields=ExportRow,
    columns=tuple(Col(key, key) for key in ExportRow.__annotations__),
    labels={"name": N_("Customer name"), "title": N_("Job title")},
)


MapOption = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        help="SOURCE=FIELD: the file's column SOURCE holds FIELD, e.g. 客户级别=grade (repeatable).",
    ),
]
IgnoreUnknownOption = Annotated[
    bool,
    typer.Option("--ignore-unknown", help="Skip the columns that map to no field, and list them."),
]


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
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            help="Write every problem (line, column, value, problem) to this CSV file.",
        ),
    ] = None,
    mapping: MapOption = None,
    ignore_unknown: IgnoreUnknownOption = False,
    encoding: EncodingOption = None,
    fmt: FormatOption = None,
) -> None:
    """Import customers: every bad row is reported; all or nothing unless --skip-invalid.

    Rows whose name already exists (case, width and punctuation ignored) are skipped as
    "already present", so importing the same file again adds nothing.

    The terminal lists the first 50 problems; --errors FILE gets all of them. Values may be
    codes or their Chinese names (A类, 商务谈判, 高); a phone or email without a contact name
    is the company's own.

    Example: bizops customer import 客户名单.csv --map 客户级别=grade --ignore-unknown
    """
    import sys

    from bizops.cli.output import check_output_path
    from bizops.services.customers import import_customers
    from bizops.services.customers.import_files import Columns

    # Checked before anything is read: never the database, a directory or a device.
    if rejects is not None:
        rejects = check_output_path(rejects, option="--rejects")
    if errors is not None:
        errors = check_output_path(errors, option="--errors")
    columns = Columns.of(mapping or [], ignore_unknown=ignore_unknown)
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
                errors=errors,
                progress=progress_bar.update if progress_bar else _quiet,
                columns=columns,
                encoding=encoding,
            )
    finally:
        if progress_bar:
            progress_bar.stop()
    if result.ignored_columns:
        note(
            _("Ignored column(s) that map to no field: {columns}").format(
                columns=", ".join(result.ignored_columns)
            )
        )
    if fmt is Format.json or fmt is Format.csv:
        emit_object(dict(result.as_dict()), fmt=fmt)
        return
    _summarise(result, errors_given=errors is not None)


def _summarise(result: Any, *, errors_given: bool) -> None:
    """What an import did, with its problems (the first ``SHOWN`` of them) on stderr."""
    from bizops.services.customers.import_guards import SHOWN, bounded

    counts = {
        "count": result.imported,
        "file": result.file,
        "present": result.already_present,
        "rejected": result.rejected,
    }
    if result.imported:
        text = _(
            "Imported {count} customer(s) from {file} ({first}..{last}); "
            "{present} already present; {rejected} rejected."
        )
        say(text.format(first=result.first_code, last=result.last_code, **counts))
    else:
        text = _(
            "Imported {count} customer(s) from {file}; {present} already present; {rejected} rejected."
        )
        say(text.format(**counts))
    shown = bounded(result.problems, errors_option=not errors_given)
    for line in shown[:SHOWN]:
        note(_("  rejected {problem}").format(problem=line))
    for line in shown[SHOWN:]:
        note(f"  {line}")
    if result.rejects_file:
        note(_("Wrote the rejected rows to {file}").format(file=result.rejects_file))
    if result.errors_file:
        note(_("Wrote every problem to {file}").format(file=result.errors_file))


def _quiet(_phase: str, _done: int, _total: int) -> None:
    return None


# The phases the import reports, for the catalog.
PHASES = {"importing": N_("importing")}


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
        shown = _(PHASES.get(phase, phase))
        if self.task is None:
            self.task = self.bar.add_task(shown, total=max(total, 1))
        self.bar.update(self.task, completed=done, total=max(total, 1), description=shown)

    def stop(self) -> None:
        if self.started:
            self.bar.stop()


@app.command("export")
def export(
    fmt: FormatOption = None,
    output: OutputOption = None,
    all_: Annotated[bool, typer.Option("--all", help="Include archived customers.")] = False,
    headers: HeadersOption = None,
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
        emit_rows(rows, CUSTOMER_EXPORT, fmt=chosen, output=output, kind=EXPORT, headers=headers)
