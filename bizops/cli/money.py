"""bizops contract invoice|receipt|payment|writeoff: money in and out of a contract, and
`bizops invoice` (void, list). Registered on the contract group by ``bizops.cli.contracts``."""

from __future__ import annotations

from typing import Annotated

import typer

from bizops.cli.context import state
from bizops.cli.contract_options import ContractArg
from bizops.cli.output import (
    Col,
    ColumnsOption,
    FormatOption,
    HeadersOption,
    LimitOption,
    Listing,
    OffsetOption,
    OutputOption,
    WideOption,
    emit_rows,
    note,
    say,
)
from bizops.cli.output.written import WriteFormatOption, emit_written
from bizops.domain.money import format_money
from bizops.i18n import N_, _
from bizops.services.views.money import InvoiceRow, PaymentRow, ReceiptRow

invoice_app = typer.Typer(
    help="Invoices (开票): requested by the owner, issued by finance.", no_args_is_help=True
)
receipt_app = typer.Typer(
    help="Receipts (回款): money received, recorded by finance.", no_args_is_help=True
)
payment_app = typer.Typer(
    help="Payments on purchase contracts: requested, approved, paid by finance.",
    no_args_is_help=True,
)
app = typer.Typer(help="Invoices of every contract: list them, void one.", no_args_is_help=True)

AmountOption = Annotated[str, typer.Option("--amount", help="Amount, e.g. 6万 or 60000.")]
MilestoneOption = Annotated[
    str | None, typer.Option("--milestone", help="Payment milestone id (see `milestone list`).")
]

INVOICES = Listing(
    name="invoice_list",
    fields=InvoiceRow,
    columns=(
        Col("id", N_("ID"), justify="right"),
        Col("contract", N_("Contract")),
        Col("customer", N_("Customer")),
        Col("type", N_("Type"), kind="invoice_type"),
        Col("status", N_("Status"), kind="invoice_status"),
        Col("amount", N_("Amount"), justify="right"),
        Col("currency", N_("Currency")),
        Col("tax_rate", N_("Tax rate"), justify="right"),
        Col("tax_amount", N_("Tax"), justify="right"),
        Col("number", N_("Invoice no.")),
        Col("requested_on", N_("Requested")),
        Col("issued_on", N_("Issued")),
    ),
)
RECEIPTS = Listing(
    name="contract_receipt_list",
    fields=ReceiptRow,
    columns=(
        Col("id", N_("ID"), justify="right"),
        Col("contract", N_("Contract")),
        Col("customer", N_("Customer")),
        Col("received_on", N_("Received")),
        Col("amount", N_("Amount"), justify="right"),
        Col("currency", N_("Currency")),
        Col("advance", N_("Advance"), justify="right"),
        Col("method", N_("Method"), kind="receipt_method"),
        Col("bank_ref", N_("Bank ref")),
        Col("maturity", N_("Maturity")),
    ),
)
PAYMENTS = Listing(
    name="contract_payment_list",
    fields=PaymentRow,
    columns=(
        Col("id", N_("ID"), justify="right"),
        Col("contract", N_("Contract")),
        Col("customer", N_("Customer")),
        Col("amount", N_("Amount"), justify="right"),
        Col("currency", N_("Currency")),
        Col("due", N_("Due")),
        Col("status", N_("Status"), kind="payment_status"),
        Col("request", N_("Request"), justify="right"),
        Col("paid_on", N_("Paid")),
        Col("bank_ref", N_("Bank ref")),
    ),
)


@invoice_app.command("request")
def invoice_request(
    contract: ContractArg,
    amount: AmountOption,
    type_: Annotated[
        str, typer.Option("--type", help="special (专票), normal (普票) or electronic.")
    ] = "normal",
    milestone: MilestoneOption = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Ask finance to issue an invoice for an amount including tax; prints its id.

    Example: bizops contract invoice request HT-2026-0001 --amount 6万 --type special
    """
    from bizops.services.money import request_invoice

    with state().write() as (session, actor):
        row = request_invoice(
            session,
            actor=actor,
            ref=contract,
            amount=amount,
            type=type_,
            milestone=milestone,
            today=state().today,
        )
    emit_written(dict(row), fmt, text=str(row["id"]))
    note(
        _("Invoice request {id}: {amount} {currency} on {contract}, waiting for finance.").format(
            id=row["id"],
            amount=format_money(row["amount"]),
            currency=row["currency"],
            contract=row["contract"],
        )
    )


@invoice_app.command("issue")
def invoice_issue(
    request: Annotated[str, typer.Argument(help="Invoice request id.")],
    number: Annotated[str, typer.Option("--number", help="The invoice's number (发票号码).")],
    tax_rate: Annotated[str, typer.Option("--tax-rate", help="VAT rate: 13%, 9, 0.06.")],
    on: Annotated[str | None, typer.Option("--date", help="Invoice date (default today).")] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Issue a requested invoice (finance): its number, date and tax rate.

    Example: bizops contract invoice issue 3 --number 04412345 --tax-rate 13% --date 2026-11-20
    """
    from bizops.services.money import issue_invoice

    with state().write() as (session, actor):
        row = issue_invoice(
            session,
            actor=actor,
            ref=request,
            number=number,
            on=on,
            tax_rate=tax_rate,
            today=state().today,
        )
    emit_written(
        dict(row),
        fmt,
        text=_("Invoice {number} issued on {contract}: {amount} {currency}, tax {tax}.").format(
            number=row["number"],
            contract=row["contract"],
            amount=format_money(row["amount"]),
            currency=row["currency"],
            tax=format_money(row["tax_amount"]),
        ),
    )


@receipt_app.command("add")
def receipt_add(
    contract: ContractArg,
    amount: AmountOption,
    on: Annotated[str | None, typer.Option("--date", help="Day received (default today).")] = None,
    method: Annotated[
        str, typer.Option("--method", help="transfer, acceptance_bill, cash or other.")
    ] = "transfer",
    ref: Annotated[str | None, typer.Option("--ref", help="Bank reference (unique).")] = None,
    milestone: MilestoneOption = None,
    advance: Annotated[
        bool, typer.Option("--advance", help="Beyond what is open: record it as 预收.")
    ] = False,
    currency: Annotated[
        str | None, typer.Option("--currency", help="Currency received, if not the contract's.")
    ] = None,
    rate: Annotated[
        str | None, typer.Option("--rate", help="Contract currency per unit received.")
    ] = None,
    maturity: Annotated[
        str | None, typer.Option("--maturity", help="Maturity of an acceptance bill.")
    ] = None,
    payer: Annotated[str | None, typer.Option("--payer", help="Who paid.")] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Record money received (finance); it settles payment milestones oldest first.

    Example: bizops contract receipt add HT-2026-0001 --amount 6万 --date 2026-11-20 --ref CMB20261120001
    """
    from bizops.services.money import add_receipt

    with state().write() as (session, actor):
        row = add_receipt(
            session,
            actor=actor,
            ref=contract,
            amount=amount,
            on=on,
            method=method,
            bank_ref=ref,
            milestone=milestone,
            advance=advance,
            currency=currency,
            rate=rate,
            maturity=maturity,
            payer=payer,
            today=state().today,
        )
    emit_written(dict(row), fmt, text=str(row["id"]))
    note(
        _("Receipt {id}: {amount} {currency} on {contract}; outstanding {outstanding}.").format(
            id=row["id"],
            amount=format_money(row["amount"]),
            currency=row["currency"],
            contract=row["contract"],
            outstanding=format_money(row["outstanding"]),
        )
    )
    if row["advance"]:
        note(
            _("Of it, {advance} is an advance (预收).").format(advance=format_money(row["advance"]))
        )
    for done in row["milestones_done"]:
        note(_("Milestone #{id} is now done.").format(id=done))


@receipt_app.command("list")
def receipt_list(
    contract: Annotated[str | None, typer.Argument(help="Only this contract.")] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List receipts, newest first.

    Example: bizops contract receipt list HT-2026-0001
    """
    from bizops.services.money import list_receipts

    with state().read() as session:
        rows = list_receipts(session, contract=contract, today=state().today)
    emit_rows(
        rows,
        RECEIPTS,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Receipts"),
        empty=_("No receipts."),
        headers=headers,
    )


@payment_app.command("request")
def payment_request(
    contract: ContractArg,
    amount: AmountOption,
    due: Annotated[str, typer.Option("--due", help="When it is to be paid.")],
    milestone: MilestoneOption = None,
) -> None:
    """Request a payment on a purchase contract; it routes through approval.payment_rules.

    Example: bizops contract payment request HT-2026-0009 --amount 5万 --due 2026-12-10
    """
    from bizops.services.money import request_payment

    with state().write() as (session, actor):
        row = request_payment(
            session,
            actor=actor,
            ref=contract,
            amount=amount,
            due=due,
            milestone=milestone,
            policy=state().policy(),
            today=state().today,
        )
    say(str(row["id"]))
    note(
        _("Payment {id} of {amount} {currency} on {contract}: approval request {request}.").format(
            id=row["id"],
            amount=format_money(row["amount"]),
            currency=row["currency"],
            contract=row["contract"],
            request=row["request"],
        )
    )


@payment_app.command("pay")
def payment_pay(
    request: Annotated[str, typer.Argument(help="Payment id.")],
    on: Annotated[str | None, typer.Option("--date", help="Day paid (default today).")] = None,
    ref: Annotated[str | None, typer.Option("--ref", help="Bank reference.")] = None,
) -> None:
    """Pay an approved payment (finance).

    Example: bizops contract payment pay 2 --date 2026-12-10 --ref ICBC20261210007
    """
    from bizops.services.money import pay_payment

    with state().write() as (session, actor):
        row = pay_payment(
            session, actor=actor, ref=request, on=on, bank_ref=ref, today=state().today
        )
    say(
        _("Payment {id} of {amount} {currency} on {contract} paid on {day}.").format(
            id=row["id"],
            amount=format_money(row["amount"]),
            currency=row["currency"],
            contract=row["contract"],
            day=row["paid_on"],
        )
    )


@payment_app.command("list")
def payment_list(
    contract: Annotated[str | None, typer.Argument(help="Only this contract.")] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="pending_approval, approved, rejected, withdrawn or paid."),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List purchase payments by due date.

    Example: bizops contract payment list --status approved
    """
    from bizops.services.money import list_payments

    with state().read() as session:
        rows = list_payments(session, contract=contract, status=status)
    emit_rows(
        rows,
        PAYMENTS,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Payments"),
        empty=_("No payments."),
        headers=headers,
    )


def writeoff(
    contract: ContractArg,
    amount: AmountOption,
    reason: Annotated[str, typer.Option("--reason", help="Why it will not be paid.")],
) -> None:
    """Write off money a customer will not pay; it routes through approval.writeoff_rules.

    Example: bizops contract writeoff HT-2026-0001 --amount 2000 --reason "尾差，客户已注销"
    """
    from bizops.services.money import request_writeoff

    with state().write() as (session, actor):
        row = request_writeoff(
            session,
            actor=actor,
            ref=contract,
            amount=amount,
            reason=reason,
            policy=state().policy(),
            today=state().today,
        )
    say(str(row["id"]))
    note(
        _(
            "Write-off {id} of {amount} {currency} on {contract}: approval request {request}."
        ).format(
            id=row["id"],
            amount=format_money(row["amount"]),
            currency=row["currency"],
            contract=row["contract"],
            request=row["request"],
        )
    )


@app.command("void")
def invoice_void(
    invoice: Annotated[str, typer.Argument(help="Invoice number or id.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is void.")],
) -> None:
    """Void an invoice (finance); it drops out of every total.

    Example: bizops invoice void 04412345 --reason "抬头错误"
    """
    from bizops.services.money import void_invoice

    with state().write() as (session, actor):
        row = void_invoice(session, actor=actor, ref=invoice, reason=reason, today=state().today)
    say(
        _("Invoice {ref} of {contract} is void.").format(
            ref=row["number"] or row["id"], contract=row["contract"]
        )
    )


@app.command("list")
def invoice_list(
    contract: Annotated[str | None, typer.Option("--contract", help="Only this contract.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="requested, issued or void.")
    ] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Contract owner's login.")] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List invoices, newest request first.

    Example: bizops invoice list --status requested
    """
    from bizops.services.money import list_invoices

    with state().read() as session:
        rows = list_invoices(
            session, contract=contract, status=status, owner=owner, limit=limit, offset=offset
        )
    emit_rows(
        rows,
        INVOICES,
        fmt=fmt,
        output=output,
        limit=limit,
        title=_("Invoices"),
        empty=_("No invoices."),
        headers=headers,
    )
