"""`customer add|list|show|update|archive|restore|release|claim`: one customer at a time, and the list."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from bizops.cli.context import state
from bizops.cli.customers.group import (
    AddressOption,
    CreditCodeOption,
    CustomerArg,
    EmailOption,
    PhoneOption,
    WebsiteOption,
    app,
)
from bizops.cli.output import (
    Col,
    ColumnsOption,
    Format,
    FormatOption,
    HeadersOption,
    LimitOption,
    Line,
    Listing,
    OffsetOption,
    OutputOption,
    Section,
    WideOption,
    emit_object,
    emit_rows,
    note,
    say,
    value_label,
)
from bizops.cli.output.columns import by_due
from bizops.cli.output.written import WriteFormatOption, emit_written, wants_json
from bizops.i18n import N_, _
from bizops.services.customers.views import CustomerListRow

CUSTOMER_LIST = Listing(
    name="customer_list",
    priority=("name", "code", "next_due", "grade", "stage", "last_contact"),
    urgency=by_due("next_due"),
    fields=CustomerListRow,
    columns=(
        Col("code", N_("Code")),
        Col("name", N_("Name"), meaning=N_("Customer name")),
        Col("grade", N_("Grade")),
        Col("stage", N_("Stage")),
        Col("owner", N_("Owner")),
        Col("next_due", N_("Next due")),
        Col("last_contact", N_("Last contact")),
        Col("tags", N_("Tags")),
    ),
    labels={"name": N_("Customer name")},
)


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Customer name, e.g. 华信科技有限公司.")],
    grade: Annotated[str, typer.Option("--grade", "-g", help="A, B or C.")],
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner", help="Login of the owning user (default: you).", show_default=False
        ),
    ] = None,
    stage: Annotated[str, typer.Option("--stage", help="Starting stage.")] = "prospect",
    industry: Annotated[str | None, typer.Option("--industry")] = None,
    region: Annotated[str | None, typer.Option("--region")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Where the lead came from.")
    ] = None,
    potential: Annotated[
        str | None, typer.Option("--potential", help="Purchasing potential, e.g. 120万.")
    ] = None,
    intent: Annotated[str | None, typer.Option("--intent", help="high, medium or low.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).")] = None,
    contact: Annotated[
        list[str] | None,
        typer.Option("--contact", "-c", help='"Name, title, phone, email" (repeatable).'),
    ] = None,
    note_text: Annotated[str | None, typer.Option("--note", help="Free note.")] = None,
    needs: Annotated[str | None, typer.Option("--needs", help="What the customer needs.")] = None,
    phone: PhoneOption = None,
    email: EmailOption = None,
    website: WebsiteOption = None,
    address: AddressOption = None,
    credit_code: CreditCodeOption = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Add even if the name or email exists.")
    ] = False,
    fmt: WriteFormatOption = None,
) -> None:
    """Add a customer; prints its code. It starts at prospect with a first-contact follow-up.

    Example: bizops customer add "华信科技有限公司" --grade A --owner alice --potential 120万 --contact "张伟, 采购经理, 13800138000, zhang@huaxin.cn"
    """
    from bizops.services.customers import add_customer, show_customer

    st = state()
    with st.write() as (session, actor):
        view = add_customer(
            session,
            actor=actor,
            name=name,
            grade=grade,
            owner=owner or actor,
            policy=st.policy(),
            today=st.today,
            stage=stage,
            industry=industry,
            region=region,
            source=source,
            potential=potential,
            intent=intent,
            tags=tag or [],
            contacts=contact or [],
            note=note_text,
            needs=needs,
            **_company(phone, email, website, address, credit_code),
            allow_duplicate=allow_duplicate,
        )
        shown = (
            show_customer(session, ref=view["code"], today=st.today) if wants_json(fmt) else None
        )
    emit_written(shown, fmt, text=view["code"])
    _added(view)


def _added(view: Any) -> None:
    note(
        _(
            "Added {code} {name} (grade {grade}, {stage}, owner {owner}); "
            "first contact due {next_due}"
        ).format(
            code=view["code"],
            name=view["name"],
            grade=view["grade"],
            stage=value_label("stage", view["stage"]),
            owner=view["owner"],
            next_due=view["next_due"] or "-",
        )
    )


@app.command("list")
def list_(
    grade: Annotated[str | None, typer.Option("--grade", "-g", help="A, B or C.")] = None,
    stage: Annotated[str | None, typer.Option("--stage", help="Pipeline stage.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Owner's login.")] = None,
    pool: Annotated[
        bool, typer.Option("--pool", help="Only the shared pool's customers (no owner).")
    ] = False,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only with this tag.")] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            "-s",
            help="Text in the name (or its pinyin: dingsheng, dsdz) or a contact's name, email, phone.",
        ),
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Follow-up overdue.")] = False,
    archived: Annotated[bool, typer.Option("--archived", help="Only archived customers.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Active and archived customers.")] = False,
    sort: Annotated[
        str, typer.Option("--sort", help="name, code, grade, stage, next-due or created.")
    ] = "code",
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List customers (archived ones only with --archived or --all).

    Example: bizops customer list --grade A --search 华信 --sort next-due
    """
    from bizops.domain.errors import Invalid
    from bizops.services.customers import list_customers

    if archived and all_:
        raise Invalid(_("--archived and --all cannot be used together"))
    scope = "archived" if archived else "all" if all_ else "active"
    st = state()
    with st.read() as session:
        rows = list_customers(
            session,
            today=st.today,
            grade=grade,
            stage=stage,
            owner=owner,
            tag=tag,
            search=search,
            overdue=overdue,
            scope=scope,
            sort=sort,
            limit=limit,
            offset=offset,
            pool=pool,
        )
        emit_rows(
            rows,
            CUSTOMER_LIST,
            fmt=fmt,
            output=output,
            limit=limit,
            title=_("Customers"),
            empty=_("No customers match. Add one with: {command}").format(
                command="bizops customer add NAME --grade B"
            ),
            headers=headers,
        )


def _company(*values: str | None) -> dict[str, str | None]:
    """The company options of `customer add` and `customer update`, as the service takes them."""
    return dict(zip(("phone", "email", "website", "address", "credit_code"), values, strict=True))


def _next_followup(nxt: Any) -> str:
    if nxt["days_overdue"]:
        return _("{due} ({kind}, {days} day(s) overdue)").format(
            due=nxt["due"], kind=nxt["kind"], days=nxt["days_overdue"]
        )
    return _("{due} ({kind})").format(due=nxt["due"], kind=nxt["kind"])


def _cause(value: Any) -> str:
    """What moved the customer, in words (empty for a move made by hand)."""
    from bizops.domain.pipeline import cause_label

    return cause_label(value) or ""


SHOW_SECTIONS = (
    Section(
        "contacts",
        N_("Contacts"),
        (
            Col("name", N_("Name")),
            Col("title", N_("Job title")),
            Col("phone", N_("Phone")),
            Col("email", N_("Email")),
            Col("primary", N_("Primary")),
        ),
    ),
    Section(
        "stage_history",
        N_("Stage history"),
        (
            Col("stage", N_("Stage")),
            Col("on", N_("On")),
            Col("days", N_("Days")),
            Col("actor", N_("Actor")),
            Col("reason", N_("Reason")),
            Col("cause", N_("Cause"), fmt=_cause),
        ),
    ),
    Line("next_followup", N_("Next follow-up"), fmt=_next_followup, always=True),
    Section(
        "followups",
        N_("Recent follow-ups"),
        (
            Col("due", N_("Due")),
            Col("status", N_("Status")),
            Col("kind", N_("Kind")),
            Col("closed_on", N_("Closed on")),
            Col("on_time", N_("On time")),
        ),
    ),
    Section(
        "interactions",
        N_("Recent interactions"),
        (
            Col("on", N_("On")),
            Col("via", N_("Via")),
            Col("summary", N_("Summary")),
            Col("contact", N_("Contact")),
            Col("purpose", N_("Purpose")),
            Col("place", N_("Place")),
            Col("next_action", N_("Next action")),
            Col("by", N_("By")),
        ),
    ),
    Section(
        "contracts",
        N_("Contracts"),
        (
            Col("number", N_("Number")),
            Col("title", N_("Title")),
            Col("status", N_("Status"), kind="contract_state"),
            Col("amount", N_("Amount")),
            Col("end", N_("End")),
        ),
    ),
)


@app.command("show")
def show(customer: CustomerArg, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """Show a customer: profile, contacts, stage history, follow-ups, contracts.

    Example: bizops customer show C0001 --format json
    """
    from bizops.services.customers import show_customer

    st = state()
    with st.read() as session:
        obj = show_customer(session, ref=customer, today=st.today)
    emit_object(
        dict(obj),
        fmt=fmt,
        output=output,
        title=f"{obj['code']} {obj['name']}",
        sections=SHOW_SECTIONS,
        labels={
            "name": N_("Customer name"),
            "phone": N_("Company phone"),
            "email": N_("Company email"),
        },
    )


@app.command("update")
def update(
    customer: CustomerArg,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    industry: Annotated[str | None, typer.Option("--industry")] = None,
    region: Annotated[str | None, typer.Option("--region")] = None,
    source: Annotated[str | None, typer.Option("--source")] = None,
    potential: Annotated[str | None, typer.Option("--potential", help="e.g. 50万.")] = None,
    intent: Annotated[str | None, typer.Option("--intent", help="high, medium or low.")] = None,
    note_text: Annotated[str | None, typer.Option("--note")] = None,
    needs: Annotated[str | None, typer.Option("--needs")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Reassign to this user.")] = None,
    cadence: Annotated[
        int | None, typer.Option("--cadence", help="Own follow-up cadence in days.")
    ] = None,
    no_cadence: Annotated[
        bool, typer.Option("--no-cadence", help="Back to the policy's cadence.")
    ] = False,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Add a tag.")] = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help="Remove a tag.")] = None,
    phone: PhoneOption = None,
    email: EmailOption = None,
    website: WebsiteOption = None,
    address: AddressOption = None,
    credit_code: CreditCodeOption = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Allow a name another customer has.")
    ] = False,
    fmt: WriteFormatOption = None,
) -> None:
    """Change a customer's profile, owner, cadence or tags ("" clears a text field).

    Example: bizops customer update C0001 --potential 200万 --owner bob --tag 重点 --cadence 5
    """
    from bizops.services.customers import show_customer, update_customer

    st = state()
    with st.write() as (session, actor):
        view = update_customer(
            session,
            actor=actor,
            ref=customer,
            policy=st.policy(),
            today=st.today,
            name=name,
            industry=industry,
            region=region,
            source=source,
            potential=potential,
            intent=intent,
            note=note_text,
            needs=needs,
            owner=owner,
            cadence=cadence,
            clear_cadence=no_cadence,
            add_tags=tag or [],
            remove_tags=untag or [],
            **_company(phone, email, website, address, credit_code),
            allow_duplicate=allow_duplicate,
        )
        shown = (
            show_customer(session, ref=view["code"], today=st.today) if wants_json(fmt) else None
        )
    emit_written(
        shown, fmt, text=_("Updated {code} {name}.").format(code=view["code"], name=view["name"])
    )


@app.command("invoicing")
def invoicing(
    customer: CustomerArg,
    assignments: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="KEY=VALUE; keys: name, tax_id, address, phone, bank, bank_account "
            "(an empty value clears one).",
        ),
    ] = None,
    fmt: FormatOption = None,
) -> None:
    """Set the customer's invoicing details (开票信息) that contracts print.

    The owner or a manager may. The unified social credit code is checked with its
    check digit. Without --set, shows them.

    Example: bizops customer invoicing C0001 --set tax_id=91320500MA1XXXXX0J --set bank=中国银行苏州分行
    """
    from bizops.services.contracts.terms import parse_assignments
    from bizops.services.customers import set_invoicing, show_customer

    st = state()
    values = parse_assignments(assignments)
    view: dict[str, Any]
    if values:
        with st.write() as (session, actor):
            view = dict(set_invoicing(session, actor=actor, ref=customer, values=values))
    else:
        with st.read() as session:
            shown = show_customer(session, ref=customer, today=st.today)
            view = {"code": shown["code"], "name": shown["name"], "invoicing": shown["invoicing"]}
    if fmt is Format.json:
        emit_object(view, fmt=fmt)
        return
    say(_("Invoicing details of {code} {name}:").format(code=view["code"], name=view["name"]))
    for key, value in view["invoicing"].items():
        say(f"  {_(INVOICING_LABELS[key])}: {value}")


INVOICING_LABELS = {
    "name": N_("Name"),
    "tax_id": N_("Unified social credit code"),
    "address": N_("Address"),
    "phone": N_("Phone"),
    "bank": N_("Bank"),
    "bank_account": N_("Bank account"),
}


@app.command("archive")
def archive(customer: CustomerArg, fmt: WriteFormatOption = None) -> None:
    """Archive a customer: hidden from lists, no follow-ups; history and contracts stay.

    Example: bizops customer archive C0007
    """
    from bizops.services.customers import archive_customer, show_customer

    st = state()
    with st.write() as (session, actor):
        view = archive_customer(
            session, actor=actor, ref=customer, policy=st.policy(), today=st.today
        )
        shown = (
            show_customer(session, ref=view["code"], today=st.today) if wants_json(fmt) else None
        )
    emit_written(
        shown, fmt, text=_("Archived {code} {name}.").format(code=view["code"], name=view["name"])
    )


@app.command("restore")
def restore(customer: CustomerArg, fmt: WriteFormatOption = None) -> None:
    """Restore an archived customer (its follow-up is scheduled again).

    Example: bizops customer restore C0007
    """
    from bizops.services.customers import restore_customer, show_customer

    st = state()
    with st.write() as (session, actor):
        view = restore_customer(
            session, actor=actor, ref=customer, policy=st.policy(), today=st.today
        )
        shown = (
            show_customer(session, ref=view["code"], today=st.today) if wants_json(fmt) else None
        )
    emit_written(
        shown,
        fmt,
        text=_("Restored {code} {name}; next follow-up {next_due}.").format(
            code=view["code"], name=view["name"], next_due=view["next_due"] or "-"
        ),
    )


@app.command("release")
def release(
    customer: CustomerArg,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why the customer goes back (kept in the history)."),
    ] = None,
) -> None:
    """Give a customer up to the shared pool (公海): no owner, no follow-up.

    Example: bizops customer release C0007 --reason "moved abroad"
    """
    from bizops.services.customers import release_customer

    st = state()
    with st.write() as (session, actor):
        view = release_customer(
            session, actor=actor, ref=customer, reason=reason, policy=st.policy(), today=st.today
        )
    say(
        _("Released {code} {name} to the shared pool.").format(code=view["code"], name=view["name"])
    )


@app.command("claim")
def claim(customer: CustomerArg) -> None:
    """Take a customer from the shared pool (within pool.max_claims per claim window).

    Example: bizops customer claim C0007
    """
    from bizops.services.customers import claim_customer

    st = state()
    with st.write() as (session, actor):
        view = claim_customer(
            session, actor=actor, ref=customer, policy=st.policy(), today=st.today
        )
    say(
        _("Claimed {code} {name}; next follow-up {next_due}.").format(
            code=view["code"], name=view["name"], next_due=view["next_due"] or "-"
        )
    )
