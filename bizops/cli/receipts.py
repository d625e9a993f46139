"""bizops receipts: a bank statement's credits recorded as receipts (`receipts import`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bizops.cli.context import state
from bizops.cli.output import (
    Col,
    EncodingOption,
    FormatOption,
    Listing,
    OutputOption,
    emit_rows,
    note,
)
from bizops.i18n import N_, _
from bizops.services.views.money import BankLine

app = typer.Typer(help="Receipts from bank statements.", no_args_is_help=True)

LINES = Listing(
    name="receipts_import",
    fields=BankLine,
    columns=(
        Col("line", N_("Line"), justify="right"),
        Col("date", N_("Date")),
        Col("amount", N_("Amount"), justify="right"),
        Col("payer", N_("Payer")),
        Col("memo", N_("Memo")),
        Col("bank_ref", N_("Bank ref")),
        Col("status", N_("Status")),
        Col("contract", N_("Contract")),
        Col("candidates", N_("Candidates")),
        Col("message", N_("Message")),
    ),
)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="The bank's CSV or .xlsx export.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Match and list; record nothing.")
    ] = False,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="COLUMN=FIELD for a column the bank names its own way "
            "(fields: date, amount, payer, memo, bank_ref).",
            show_default=False,
        ),
    ] = None,
    encoding: EncodingOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Record a bank statement's credits as receipts (finance): matched by a contract number
    in the memo, else by payer and an open amount; unmatched lines are listed, never guessed,
    and a line matching two contracts stops the import. Importing a file again records
    nothing twice (bank references).

    Example: bizops receipts import statement-2026-11.csv --dry-run
    """
    from bizops.services.money import import_receipts, parse_bank_map

    pairs = parse_bank_map(mapping or [])
    with state().write() as (session, actor):
        lines = import_receipts(
            session,
            actor=actor,
            path=file,
            mapping=pairs,
            dry_run=dry_run,
            today=state().today,
            encoding=encoding,
        )
    emit_rows(lines, LINES, fmt=fmt, output=output, title=_("Bank lines"), empty=_("No lines."))
    counts: dict[str, int] = {}
    for line in lines:
        counts[line["status"]] = counts.get(line["status"], 0) + 1
    note(
        _("{recorded} recorded, {matched} matched (dry run), {unmatched} unmatched, "
          "{ambiguous} matching two contracts, {invalid} invalid, {not_credit} not credits, "
          "{duplicate} already recorded.").format(
            recorded=counts.get("recorded", 0),
            matched=counts.get("matched", 0),
            unmatched=counts.get("unmatched", 0),
            ambiguous=counts.get("ambiguous", 0),
            invalid=counts.get("invalid", 0),
            not_credit=counts.get("not_credit", 0),
            duplicate=counts.get("duplicate", 0),
        )
    )  # fmt: skip
