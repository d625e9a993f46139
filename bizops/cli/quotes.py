"""bizops quote: quotations (报价单) from draft to the customer's answer."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bizops.cli.context import state
from bizops.cli.output import (
    DRAFT,
    Col,
    ColumnsOption,
    FormatOption,
    HeadersOption,
    LimitOption,
    Line,
    Listing,
    OffsetOption,
    OutputKind,
    OutputOption,
    Section,
    WideOption,
    emit_object,
    emit_rows,
    note,
    resolve_output,
    say,
    value_label,
    write_document,
)
from bizops.i18n import N_, _, ngettext
from bizops.services.views.quotes import QuoteLineView, QuoteRow, QuoteView

if TYPE_CHECKING:
    from bizops.domain.policy import Policy

app = typer.Typer(
    help="Quotations: lines from the price list, totals with tax and discount, approval by "
    "the quote matrix, then send, accept or reject.",
    no_args_is_help=True,
)
line_app = typer.Typer(help="A quotation's lines.", no_args_is_help=True)

QuoteArg = Annotated[str, typer.Argument(help="Quote number, e.g. Q-2026-0001.")]

QUOTES = Listing(
    name="quote_list",
    fields=QuoteRow,
    columns=(
        Col("number", N_("Number")),
        Col("customer", N_("Customer")),
        Col("customer_name", N_("Name"), meaning=N_("Customer name")),
        Col("owner", N_("Owner")),
        Col("status", N_("Status"), kind="quote_state"),
        Col("amount", N_("Amount"), justify="right"),
        Col("discount_pct", N_("Discount %"), justify="right"),
        Col("valid_until", N_("Valid until")),
    ),
)
LINE_COLUMNS = (
    Col("line", "#"),
    Col("code", N_("Code")),
    Col("name", N_("Item")),
    Col("spec", N_("Spec")),
    Col("unit", N_("Unit")),
    Col("quantity", N_("Qty"), justify="right"),
    Col("unit_price", N_("Unit price"), justify="right"),
    Col("discount_pct", N_("Discount %"), justify="right"),
    Col("amount", N_("Amount"), justify="right"),
    Col("tax_rate", N_("Tax %"), justify="right"),
    Col("gross", N_("Incl. tax"), justify="right"),
    Col("below_floor", N_("Below floor")),
)
# Keep the line columns declared: each names a field of a quote line.
QUOTE_LINES = Listing(name="quote_lines", fields=QuoteLineView, columns=LINE_COLUMNS)
SHOW_SECTIONS = (
    Section("lines", N_("Lines"), LINE_COLUMNS),
    Line("allowed_moves", N_("Allowed moves"), fmt=lambda v: ", ".join(v), always=True),
)
_HIDDEN = ("lines", "allowed_moves")


def _policy_today() -> tuple[Policy, date]:
    return state().policy(), state().today


def _show(view: QuoteView, fmt: FormatOption = None, output: OutputOption = None) -> None:
    emit_object(
        dict(view),
        fmt=fmt,
        output=output,
        title=_("Quote {number}").format(number=view["number"]),
        sections=SHOW_SECTIONS,
    )


def _summary(view: QuoteView) -> str:
    count = len(view["lines"])
    lines = ngettext("{count} line", "{count} lines", count).format(count=count)
    return _("{number}: {status}, {gross} {currency} incl. tax ({lines})").format(
        number=view["number"],
        status=value_label("quote_state", view["status"]),
        gross=f"{view['gross']:,.2f}",
        currency=view["currency"],
        lines=lines,
    )


@app.command("new")
def new(
    customer: Annotated[str, typer.Option("--customer", help="Customer code, id or name.")],
    valid_until: Annotated[
        str | None,
        typer.Option("--valid-until", help="Last day it holds (default: quotes.valid_days)."),
    ] = None,
    template: Annotated[
        str | None, typer.Option("--template", help="quote-zh or quote-en (for `quote draft`).")
    ] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="Currency code (default from the policy).")
    ] = None,
    payment: Annotated[str | None, typer.Option("--payment", help="Payment terms.")] = None,
    delivery: Annotated[str | None, typer.Option("--delivery", help="Delivery terms.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Other remarks.")] = None,
) -> None:
    """Start a draft quotation for a customer and print its number.

    Example: bizops quote new --customer C0001 --valid-until 2026-12-31 --template quote-zh
    """
    from bizops.services.quotes import new_quote

    policy, today = _policy_today()
    with state().write() as (session, actor):
        view = new_quote(
            session,
            actor=actor,
            customer=customer,
            valid_until=valid_until,
            template=template,
            currency=currency,
            payment=payment,
            delivery=delivery,
            notes=notes,
            policy=policy,
            today=today,
        )
    say(view["number"])
    note(
        _("Draft quote {number} for {customer}, valid until {day}.").format(
            number=view["number"], customer=view["customer_name"], day=view["valid_until"]
        )
    )


@line_app.command("add")
def line_add(
    quote: QuoteArg,
    qty: Annotated[str, typer.Option("--qty", help="Quantity (above zero).")],
    product: Annotated[
        str | None, typer.Option("--product", help="Product code; leave out for a free line.")
    ] = None,
    price: Annotated[
        str | None, typer.Option("--price", help="Unit price excluding tax (default: list).")
    ] = None,
    discount: Annotated[
        str | None, typer.Option("--discount", help="Percent off the list price, e.g. 8%.")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="A free line's item.")] = None,
    spec: Annotated[str | None, typer.Option("--spec", help="A free line's spec.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="A free line's unit.")] = None,
    tax_rate: Annotated[
        str | None, typer.Option("--tax-rate", help="A free line's VAT rate (default 13%).")
    ] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="The line's currency (must be the quote's).")
    ] = None,
) -> None:
    """Add a line: a product (at its list price, --price or --discount) or a free line.

    Example: bizops quote line add Q-2026-0001 --product P-100 --qty 2 --discount 8%
    """
    from bizops.services.quotes import add_line

    policy, today = _policy_today()
    with state().write() as (session, actor):
        view = add_line(
            session,
            actor=actor,
            ref=quote,
            qty=qty,
            product=product,
            price=price,
            discount=discount,
            name=name,
            spec=spec,
            unit=unit,
            tax_rate=tax_rate,
            currency=currency,
            policy=policy,
            today=today,
        )
    say(_summary(view))


@line_app.command("remove")
def line_remove(
    quote: QuoteArg,
    line: Annotated[int, typer.Argument(help="Line number (see `bizops quote show`).")],
) -> None:
    """Remove a line; the lines after it move up.

    Example: bizops quote line remove Q-2026-0001 2
    """
    from bizops.services.quotes import remove_line

    policy, today = _policy_today()
    with state().write() as (session, actor):
        view = remove_line(session, actor=actor, ref=quote, line=line, policy=policy, today=today)
    say(_summary(view))


@app.command("update")
def update(
    quote: QuoteArg,
    valid_until: Annotated[str | None, typer.Option("--valid-until")] = None,
    template: Annotated[str | None, typer.Option("--template")] = None,
    payment: Annotated[str | None, typer.Option("--payment", help="Payment terms.")] = None,
    delivery: Annotated[str | None, typer.Option("--delivery", help="Delivery terms.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Other remarks.")] = None,
) -> None:
    """Change validity, template or terms; an approved quote goes back to draft.

    Example: bizops quote update Q-2026-0001 --payment "预付30%，发货前付清" --delivery "合同签订后30天内"
    """
    from bizops.services.quotes import update_quote

    policy, today = _policy_today()
    with state().write() as (session, actor):
        view = update_quote(
            session,
            actor=actor,
            ref=quote,
            valid_until=valid_until,
            template=template,
            payment=payment,
            delivery=delivery,
            notes=notes,
            policy=policy,
            today=today,
        )
    say(_summary(view))


@app.command("show")
def show(quote: QuoteArg, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """Show a quote: lines, totals with and without tax, discount, route and moves.

    Example: bizops quote show Q-2026-0001 --format json
    """
    from bizops.services.quotes import show_quote

    policy, today = _policy_today()
    with state().read() as session:
        view = show_quote(session, ref=quote, policy=policy, today=today)
    _show(view, fmt, output)


@app.command("list")
def list_(
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="draft, pending_approval, approved, sent, accepted, rejected or expired.",
        ),
    ] = None,
    customer: Annotated[str | None, typer.Option("--customer", help="Customer.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Owner login.")] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List quotations, newest first.

    Example: bizops quote list --status sent
    """
    from bizops.services.quotes import list_quotes

    today = state().today
    with state().read() as session:
        rows = list_quotes(session, today=today, status=status, customer=customer, owner=owner)
    emit_rows(
        rows,
        QUOTES,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Quotations"),
        empty=_("No quotations match."),
        headers=headers,
    )


@app.command("route")
def route(quote: QuoteArg, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """Explain which rule of the quote matrix decides a quote's approval, and why.

    Example: bizops quote route Q-2026-0001
    """
    from bizops.services.quotes import route as explain

    with state().read() as session:
        found = explain(session, ref=quote, policy=state().policy())
    emit_object(
        dict(found),
        fmt=fmt,
        output=output,
        title=_("Quote route"),
        sections=(Line("chain", N_("Chain"), fmt=lambda v: " -> ".join(v) or "-", always=True),),
    )


def _move(move: str, quote: str, **kw: str | None) -> QuoteView:
    from bizops.services import quotes

    policy, today = _policy_today()
    service = getattr(quotes, f"{move}_quote")
    with state().write() as (session, actor):
        view: QuoteView = service(session, actor=actor, ref=quote, policy=policy, today=today, **kw)
    return view


@app.command("submit")
def submit(quote: QuoteArg) -> None:
    """Submit for approval; a quote within the no-approval rule is approved at once.

    Example: bizops quote submit Q-2026-0001
    """
    view = _move("submit", quote)
    if view["status"] == "approved":
        say(
            _("{number} approved: rule {rule} needs no approval.").format(
                number=view["number"], rule=view["rule"]
            )
        )
    else:
        say(
            _("{number} submitted for approval ({route}).").format(
                number=view["number"], route=view["route"]
            )
        )


@app.command("send")
def send(quote: QuoteArg) -> None:
    """Mark an approved quote as sent to the customer.

    Example: bizops quote send Q-2026-0001
    """
    view = _move("send", quote)
    say(
        _("{number} sent; valid until {day}.").format(
            number=view["number"], day=view["valid_until"]
        )
    )


@app.command("accept")
def accept(quote: QuoteArg) -> None:
    """Record that the customer accepted a sent quote (before it expired).

    Example: bizops quote accept Q-2026-0001
    """
    view = _move("accept", quote)
    say(
        _(
            "{number} accepted; make the contract with `bizops contract new --from-quote {number}`."
        ).format(number=view["number"])
    )


@app.command("reject")
def reject(
    quote: QuoteArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the customer declined.")],
) -> None:
    """Record that the customer declined a sent quote.

    Example: bizops quote reject Q-2026-0001 --reason "价格高于竞品"
    """
    view = _move("reject", quote, reason=reason)
    say(_("{number} rejected.").format(number=view["number"]))


# Where a quotation document goes: the formats of contract drafts, and a workbook.
QUOTE_DRAFT = OutputKind(
    {**DRAFT.formats, "xlsx": (".xlsx",)},
    default="md",
    binary=frozenset({"docx", "xlsx"}),
)


@app.command("draft")
def draft(
    quote: QuoteArg,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="md, html, docx or xlsx (default: from -o, else md).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to FILE.", dir_okay=False, show_default=False),
    ] = None,
    template: Annotated[
        str | None, typer.Option("--template", help="quote-zh or quote-en (default: the quote's).")
    ] = None,
) -> None:
    """Render the quotation document: our company, the customer, the lines, totals in
    figures and in 大写, validity, payment and delivery terms.

    Example: bizops quote draft Q-2026-0001 --format docx -o Q-2026-0001.docx
    """
    from bizops.services.quotes import draft_quote

    target = resolve_output(fmt, output, kind=QUOTE_DRAFT)
    policy, today = _policy_today()
    with state().write() as (session, actor):
        result = draft_quote(
            session,
            actor=actor,
            ref=quote,
            fmt=target.format,
            template=template,
            policy=policy,
            today=today,
        )
        binary = target.format in QUOTE_DRAFT.binary
        # Inside the transaction: a file that cannot be written records nothing.
        write_document(target, result.content if binary else result.content.decode("utf-8"))


app.add_typer(line_app, name="line")
