"""bizops seal: the seal register (用印登记). Sealing itself is `bizops contract seal`."""

from __future__ import annotations

from typing import Annotated

import typer

from bizops.cli.context import state
from bizops.cli.output import (
    Col,
    ColumnsOption,
    FormatOption,
    HeadersOption,
    LimitOption,
    Listing,
    OutputOption,
    WideOption,
    emit_rows,
)
from bizops.i18n import N_, _
from bizops.services.views.contracts import SealRow

app = typer.Typer(help="The seal register: each use of a seal on a contract.", no_args_is_help=True)

SEAL_LOG = Listing(
    name="seal_log",
    fields=SealRow,
    columns=(
        Col("id", N_("ID"), justify="right"),
        Col("contract", N_("Contract")),
        Col("title", N_("Title")),
        Col("seal", N_("Seal")),
        Col("copies", N_("Copies"), justify="right"),
        Col("sealed_on", N_("Sealed on")),
        Col("sealed_by", N_("Sealed by")),
        Col("draft_sha256", N_("Draft SHA-256"), fmt=lambda v: (v or "")[:12]),
    ),
)


@app.command("log")
def log(
    contract: Annotated[
        str | None, typer.Option("--contract", help="Only this contract's seals.")
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List the seal register, newest first: which contract, which seal, how many copies.

    Example: bizops seal log --contract HT-2026-0001
    """
    from bizops.services.contracts import seal_log

    with state().read() as session:
        rows = seal_log(session, contract=contract)
    emit_rows(
        rows,
        SEAL_LOG,
        fmt=fmt,
        output=output,
        limit=limit,
        title=_("Seal register"),
        empty=_("No seal has been used."),
        headers=headers,
    )
