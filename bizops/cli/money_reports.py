"""bizops report receivables|payables: what customers owe and what we owe, with its aging.
Registered on the report group by ``bizops.cli.reports``."""

from __future__ import annotations

from typing import Annotated, Any, cast

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
    emit_object,
    emit_rows,
)
from bizops.i18n import N_, _
from bizops.services.views.money import ReceivableRow, ReceivableTotal

_AGING = (
    Col("aging_0_30", N_("0-30"), justify="right"),
    Col("aging_31_60", N_("31-60"), justify="right"),
    Col("aging_61_90", N_("61-90"), justify="right"),
    Col("aging_over_90", N_(">90"), justify="right"),
)
RECEIVABLES = Listing(
    name="report_receivables",
    fields=ReceivableRow,
    columns=(
        Col("contract", N_("Contract")),
        Col("customer", N_("Customer")),
        Col("owner", N_("Owner")),
        Col("currency", N_("Currency")),
        Col("amount", N_("Amount"), justify="right"),
        Col("invoiced", N_("Invoiced"), justify="right"),
        Col("received", N_("Received"), justify="right"),
        Col("outstanding", N_("Outstanding"), justify="right"),
        Col("overdue", N_("Overdue"), justify="right"),
        *_AGING,
    ),
)
PAYABLES = Listing(
    name="report_payables",
    fields=ReceivableRow,
    columns=(
        Col("contract", N_("Contract")),
        Col("customer", N_("Supplier")),
        Col("owner", N_("Owner")),
        Col("currency", N_("Currency")),
        Col("amount", N_("Amount"), justify="right"),
        Col("received", N_("Paid"), justify="right"),
        Col("outstanding", N_("To pay"), justify="right"),
        Col("overdue", N_("Overdue"), justify="right"),
        *_AGING,
    ),
)
TOTALS = Listing(
    name="report_receivables_totals",
    fields=ReceivableTotal,
    columns=(
        Col("owner", N_("Owner")),
        Col("currency", N_("Currency")),
        Col("contracts", N_("Contracts"), justify="right"),
        Col("amount", N_("Amount"), justify="right"),
        Col("received", N_("Received"), justify="right"),
        Col("outstanding", N_("Outstanding"), justify="right"),
        Col("overdue", N_("Overdue"), justify="right"),
        *_AGING,
        Col("dso", N_("DSO"), justify="right"),
    ),
)

OwnerOption = Annotated[str | None, typer.Option("--owner", help="Only this owner's contracts.")]
CustomerOption = Annotated[
    str | None, typer.Option("--customer", help="Only this customer (code, id or name).")
]
CurrencyOption = Annotated[str | None, typer.Option("--currency", help="Only this currency.")]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="The day to report on (default today).")
]


def _emit(
    incoming: bool,
    owner: str | None,
    customer: str | None,
    currency: str | None,
    as_of: str | None,
    fmt: Any,
    output: Any,
    limit: Any,
    headers: Any,
) -> None:
    from bizops.cli.output import Format, resolve_format
    from bizops.domain.dates import parse_date
    from bizops.services.money import money_report

    today = state().today
    day = parse_date(as_of, today, field="--as-of") if as_of else today
    with state().read() as session:
        report = money_report(
            session, incoming=incoming, owner=owner, customer=customer, currency=currency, as_of=day
        )
    if resolve_format(fmt, output) is Format.json:
        emit_object(cast(dict[str, Any], report), fmt=Format.json, output=output)
        return
    title = _("Receivables on {day}") if incoming else _("Payables on {day}")
    emit_rows(
        report["rows"],
        RECEIVABLES if incoming else PAYABLES,
        fmt=fmt,
        output=output,
        limit=limit,
        title=title.format(day=day),
        empty=_("Nothing outstanding."),
        headers=headers,
    )
    if output is None and report["totals"]:
        emit_rows(
            report["totals"],
            TOTALS,
            fmt=fmt,
            title=_("Totals per owner and currency (no owner: the department)"),
            headers=headers,
        )


def receivables(
    owner: OwnerOption = None,
    customer: CustomerOption = None,
    currency: CurrencyOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """Receivables per sales and service contract: invoiced, received, outstanding, overdue
    and its aging (0-30, 31-60, 61-90, over 90 days past due), totals per owner and currency,
    and DSO (see docs/money.md).

    Example: bizops report receivables --as-of 2026-12-31 --format json
    """
    _emit(True, owner, customer, currency, as_of, fmt, output, limit, headers)


def payables(
    owner: OwnerOption = None,
    customer: CustomerOption = None,
    currency: CurrencyOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """Payables per purchase contract: paid, still to pay, overdue and its aging.

    Example: bizops report payables --format csv -o payables.csv
    """
    _emit(False, owner, customer, currency, as_of, fmt, output, limit, headers)
