"""bizops contract: the group, assembled here: drafts and reading (this module), the lifecycle
(``contract_lifecycle``), performance and documents (``contract_performance``) and
`contract draft` (``drafting``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import typer

from bizops.cli import contract_lifecycle, contract_performance, drafting, money
from bizops.cli.context import state
from bizops.cli.contract_lifecycle import shown_contract
from bizops.cli.contract_options import ContractArg, SetOption, policy_today
from bizops.cli.output import (
    Col,
    ColumnsOption,
    FormatOption,
    HeadersOption,
    LimitOption,
    Line,
    Listing,
    OffsetOption,
    OutputOption,
    Pairs,
    Section,
    WideOption,
    cell,
    emit_object,
    emit_rows,
    note,
    say,
)
from bizops.cli.output.written import WriteFormat, WriteFormatOption, emit_written
from bizops.i18n import N_, _
from bizops.services.views.contracts import ContractRow, CreatedContract, ExpiringContractRow

app = typer.Typer(
    help="Contracts from draft to archive: terms, signing, milestones, amendments, disputes.",
    no_args_is_help=True,
)

_COLUMNS = (
    Col("number", N_("Number")),
    Col("title", N_("Title")),
    Col("customer", N_("Customer")),
    Col("owner", N_("Owner")),
    Col("type", N_("Type"), kind="contract_type"),
    Col("amount", N_("Amount"), justify="right"),
    Col("risk", N_("Risk")),
    Col("status", N_("Status"), kind="contract_state"),
    Col("end", N_("End")),
    Col("non_standard", N_("Non-std")),
)
CONTRACTS = Listing(name="contract_list", fields=ContractRow, columns=_COLUMNS)
EXPIRING = Listing(
    name="contract_list_expiring",
    priority=("number", "customer", "end", "days_left", "notice_days", "title"),
    fields=ExpiringContractRow,
    columns=(
        *_COLUMNS[:4],
        Col("end", N_("End")),
        Col("days_left", N_("Days left"), justify="right"),
        Col("notice_days", N_("Notice"), justify="right"),
        Col("status", N_("Status"), kind="contract_state"),
    ),
)


# ---------------------------------------------------------------------------------------------
# Drafting


def _required(ctx: typer.Context, **given: object) -> None:
    """Without --from-quote, the terms are required options: missing ones are refused as
    Click refuses any missing option (exit 2)."""
    import importlib

    # The Click that runs the command (Typer may carry its own copy of it).
    package = type(ctx).__module__.rsplit(".", 1)[0]
    missing = importlib.import_module(f"{package}.exceptions").MissingParameter
    for name, value in given.items():
        if value is None:
            param = next(p for p in ctx.command.params if p.name == name)
            raise missing(ctx=ctx, param=param)


@app.command("new")
def new(
    ctx: typer.Context,
    customer: Annotated[
        str | None, typer.Option("--customer", help="Customer code, id or name.")
    ] = None,
    type_: Annotated[
        str | None, typer.Option("--type", help="sales, purchase, service, nda or framework.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Contract title.")] = None,
    risk: Annotated[str | None, typer.Option("--risk", help="low, medium or high.")] = None,
    start: Annotated[str | None, typer.Option("--start", help="Start date.")] = None,
    end: Annotated[
        str | None, typer.Option("--end", help="End date (not before the start).")
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option("--amount", help="Amount, e.g. 120000, 12万, 1.5亿 (an NDA may have none)."),
    ] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="Currency code (default from the policy).")
    ] = None,
    template: Annotated[
        str | None, typer.Option("--template", help="Template NAME or NAME@VERSION.")
    ] = None,
    set_: SetOption = None,
    notice_days: Annotated[
        int | None,
        typer.Option("--notice-days", help="Renewal notice days (default from the policy)."),
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Owner (default: you; others: managers).")
    ] = None,
    from_quote: Annotated[
        str | None,
        typer.Option(
            "--from-quote",
            help="An accepted quote: its customer, amount, currency and lines (the other "
            "terms default to a low-risk sales contract for one year from today).",
        ),
    ] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Create a draft contract and print its number.

    Example: bizops contract new --customer C0001 --type sales --title "设备采购" --amount 12万 --risk low --start 2026-12-01 --end 2027-11-30 --template sales-zh
    """
    from bizops.services.contracts import contract_from_quote, create_contract, parse_assignments

    policy, today = policy_today()
    values = parse_assignments(set_)
    if from_quote is None:
        _required(ctx, customer=customer, type_=type_, title=title, risk=risk)
        _required(ctx, start=start, end=end)
    terms: dict[str, Any] = {
        "type": type_,
        "title": title,
        "risk": risk,
        "start": start,
        "end": end,
        "template": template,
        "values": values,
        "notice_days": notice_days,
        "owner": owner,
        "policy": policy,
        "today": today,
    }
    with state().write() as (session, actor):
        if from_quote is not None:
            row = contract_from_quote(session, actor=actor, quote=from_quote, **terms)
        else:
            assert customer is not None  # checked by _required
            row = create_contract(
                session, actor=actor, customer=customer, amount=amount, currency=currency, **terms
            )
        shown = shown_contract(session, fmt, row["number"])
    _created(row, shown, fmt)


def _created(
    row: CreatedContract, shown: Mapping[str, Any] | None, fmt: WriteFormat | None
) -> None:
    emit_written(shown, fmt, text=row["number"])
    reasons = "; ".join(row["non_standard_reasons"])
    if row["non_standard"]:
        standard = _("non-standard: {reasons}").format(reasons=reasons)
    else:
        standard = _("standard")
    note(
        _("Created draft {number} for {customer} ({standard}).").format(
            number=row["number"], customer=row["customer"], standard=standard
        )
    )


@app.command("update")
def update(
    contract: ContractArg,
    title: Annotated[str | None, typer.Option("--title")] = None,
    type_: Annotated[str | None, typer.Option("--type")] = None,
    amount: Annotated[str | None, typer.Option("--amount")] = None,
    currency: Annotated[str | None, typer.Option("--currency")] = None,
    risk: Annotated[str | None, typer.Option("--risk")] = None,
    start: Annotated[str | None, typer.Option("--start")] = None,
    end: Annotated[str | None, typer.Option("--end")] = None,
    template: Annotated[
        str | None, typer.Option("--template", help="Template NAME or NAME@VERSION.")
    ] = None,
    no_template: Annotated[
        bool, typer.Option("--no-template", help="Drop the template (non-standard).")
    ] = False,
    set_: SetOption = None,
    unset: Annotated[
        list[str] | None, typer.Option("--unset", help="Remove a template field (repeatable).")
    ] = None,
    notice_days: Annotated[int | None, typer.Option("--notice-days")] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Edit a draft's terms (only while it is a draft; later, use `contract amend`).

    Example: bizops contract update HT-2026-0001 --amount 15万 --set payment_days=30
    """
    from bizops.services.contracts import parse_assignments, update_contract

    policy, today = policy_today()
    values = parse_assignments(set_)
    with state().write() as (session, actor):
        row = update_contract(
            session,
            actor=actor,
            ref=contract,
            title=title,
            type=type_,
            amount=amount,
            currency=currency,
            risk=risk,
            start=start,
            end=end,
            template=template,
            no_template=no_template,
            values=values,
            unset=unset or [],
            notice_days=notice_days,
            policy=policy,
            today=today,
        )
        shown = shown_contract(session, fmt, row["number"])
    standard = _("non-standard") if row["non_standard"] else _("standard")
    text = _("Updated {number} ({standard}).").format(number=row["number"], standard=standard)
    emit_written(shown, fmt, text=text)


@app.command("note")
def note_(
    contract: ContractArg,
    text: Annotated[str, typer.Argument(help="The note (negotiation, review).")],
) -> None:
    """Add a negotiation or review note; `contract show` lists them.

    Example: bizops contract note HT-2026-0001 "客户要求付款期延长至60天"
    """
    from bizops.services.contracts import add_note

    with state().write() as (session, actor):
        row = add_note(session, actor=actor, ref=contract, text=text)
    say(_("Noted on {contract} (#{id}).").format(contract=row["contract"], id=row["id"]))


# ---------------------------------------------------------------------------------------------
# Reading

# The codes of a contract's fields whose names do not say which they are.
CONTRACT_KINDS = {"status": "contract_state", "type": "contract_type"}


@app.command("list")
def list_(
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            help="draft, pending_approval, approved, signed, active, "
            "completed, terminated, archived (repeatable or comma-separated).",
        ),
    ] = None,
    customer: Annotated[str | None, typer.Option("--customer", help="Customer.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Owner login.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Contract type.")] = None,
    expiring: Annotated[
        str | None,
        typer.Option("--expiring", help="Signed/active contracts ending within e.g. 30d."),
    ] = None,
    non_standard: Annotated[
        bool | None,
        typer.Option("--non-standard/--standard", help="Only non-standard (or standard) ones."),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List contracts.

    Example: bizops contract list --expiring 30d --format json
    """
    from bizops.services.contracts import list_contracts

    today = state().today
    with state().read() as session:
        rows = list_contracts(
            session,
            status=status,
            customer=customer,
            owner=owner,
            type=type_,
            expiring=expiring,
            non_standard=non_standard,
            today=today,
            limit=limit,
            offset=offset,
        )
        emit_rows(
            rows,
            EXPIRING if expiring else CONTRACTS,
            fmt=fmt,
            output=output,
            limit=limit,
            title=_("Contracts"),
            empty=_("No contracts match."),
            headers=headers,
        )


def _changes(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v['from']} -> {v['to']}" for k, v in value.items())
    return cell(value)


# Section columns are headed by their keys in English and by the keys' labels in Chinese.
SHOW_SECTIONS = (
    Line("allowed_moves", N_("Allowed moves"), fmt=lambda v: ", ".join(v), always=True),
    Section(
        "blocked_moves", N_("Blocked moves"), (Col("move", N_("Move")), Col("reason", N_("Reason")))
    ),
    Pairs("fields", N_("Fields")),
    Line("non_standard_reasons", N_("Non-standard because"), fmt=lambda v: "; ".join(v)),
    Section("notes", N_("Notes"), (Col("at", "at"), Col("actor", "actor"), Col("text", "text"))),
    Section(
        "milestones",
        N_("Milestones"),
        (
            Col("id", "id"),
            Col("kind", "kind", kind="milestone_kind"),
            *(Col(k, k) for k in ("due", "amount", "note", "done_on")),
        ),
    ),
    Section(
        "disputes",
        N_("Disputes"),
        tuple(Col(k, k) for k in ("id", "status", "summary", "opened_on", "resolution")),
    ),
    Section(
        "attachments",
        N_("Attachments"),
        (
            Col("id", "id"),
            Col("kind", "kind", kind="attachment_kind"),
            *(Col(k, k) for k in ("filename", "size", "sha256", "added_on")),
        ),
    ),
    Section(
        "amendments",
        N_("Amendments"),
        (
            Col("number", "number"),
            Col("status", "status"),
            Col("changes", "changes", fmt=_changes),
            Col("reason", "reason"),
            Col("applied_on", "applied_on"),
        ),
    ),
    Section(
        "approval_requests",
        N_("Approval requests"),
        (
            Col("id", "id"),
            Col("rule", "rule"),
            Col("status", "status", kind="approval_status"),
            Col("submitted_on", "submitted_on"),
        ),
    ),
    Section(
        "drafts",
        N_("Drafts"),
        tuple(Col(k, k) for k in ("id", "template", "format", "created_on", "created_by")),
    ),
)


@app.command("show")
def show(contract: ContractArg, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """Show a contract: terms, status, allowed moves, notes, milestones, disputes,
    attachments, amendments, approval requests and drafts.

    Example: bizops contract show HT-2026-0001 --format json
    """
    from bizops.services.contracts import show_contract

    today = state().today
    with state().read() as session:
        obj = show_contract(session, ref=contract, today=today)
    emit_object(
        dict(obj),
        fmt=fmt,
        output=output,
        title=_("Contract {number}").format(number=obj["number"]),
        sections=SHOW_SECTIONS,
        kinds=CONTRACT_KINDS,
    )


# ---------------------------------------------------------------------------------------------
# The group, in the order `bizops contract --help` lists it

app.command("submit")(contract_lifecycle.submit)
app.command("sign")(contract_lifecycle.sign)
app.command("seal")(contract_lifecycle.seal)
app.command("activate")(contract_lifecycle.activate)
app.command("complete")(contract_lifecycle.complete)
app.command("terminate")(contract_lifecycle.terminate)
app.command("archive")(contract_lifecycle.archive)
app.command("reopen")(contract_lifecycle.reopen)
app.command("amend")(contract_lifecycle.amend)
app.command("attach")(contract_performance.attach)
app.command("verify")(contract_performance.verify)
app.command("draft")(drafting.draft)
app.add_typer(contract_performance.milestone_app, name="milestone")
app.add_typer(contract_performance.dispute_app, name="dispute")
app.add_typer(money.invoice_app, name="invoice")
app.add_typer(money.receipt_app, name="receipt")
app.add_typer(money.payment_app, name="payment")
app.command("writeoff")(money.writeoff)
