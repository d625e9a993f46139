"""`customer contact add|list|remove`: a customer's contacts."""

from __future__ import annotations

from typing import Annotated

import typer

from bizops.cli.context import state
from bizops.cli.customers.group import CustomerArg, contact_app
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
    say,
)
from bizops.i18n import N_, _
from bizops.services.customers.views import ContactView

CONTACT_LIST = Listing(
    name="customer_contact_list",
    priority=("name", "phone", "email", "title"),
    fields=ContactView,
    columns=(
        Col("id", N_("Id"), justify="right"),
        Col("name", N_("Name")),
        Col("title", N_("Job title")),
        Col("phone", N_("Phone")),
        Col("email", N_("Email")),
        Col("primary", N_("Primary")),
    ),
    labels={"title": N_("Job title")},
)


@contact_app.command("add")
def contact_add(
    customer: CustomerArg,
    contact: Annotated[str, typer.Argument(help='"Name, title, phone, email".')],
    primary: Annotated[
        bool, typer.Option("--primary", help="Make it the primary contact.")
    ] = False,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Allow an email another customer has.")
    ] = False,
) -> None:
    """Add a contact (the first one is the primary contact).

    Example: bizops customer contact add C0001 "李娜, 财务总监, 021-6000 1234, lina@huaxin.cn" --primary
    """
    from bizops.services.customers import add_contact

    with state().write() as (session, actor):
        row = add_contact(
            session,
            actor=actor,
            ref=customer,
            contact=contact,
            primary=primary,
            allow_duplicate=allow_duplicate,
        )
    if row["primary"]:
        say(_("Added contact {id} {name} (primary).").format(id=row["id"], name=row["name"]))
    else:
        say(_("Added contact {id} {name}.").format(id=row["id"], name=row["name"]))


@contact_app.command("list")
def contact_list(
    customer: CustomerArg,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List a customer's contacts, the primary first.

    Example: bizops customer contact list C0001 --format json
    """
    from bizops.services.customers import list_contacts

    with state().read() as session:
        rows = list_contacts(session, ref=customer)
    emit_rows(
        rows,
        CONTACT_LIST,
        fmt=fmt,
        output=output,
        limit=limit,
        title=_("Contacts"),
        empty=_("No contacts yet. Add one with: {command}").format(
            command='bizops customer contact add CUSTOMER "Name, title, phone, email"'
        ),
        headers=headers,
    )


@contact_app.command("remove")
def contact_remove(
    customer: CustomerArg,
    contact: Annotated[str, typer.Argument(help="Contact id, name or email.")],
) -> None:
    """Remove a contact; if it was primary, the oldest remaining contact becomes primary.

    Example: bizops customer contact remove C0001 李娜
    """
    from bizops.services.customers import remove_contact

    with state().write() as (session, actor):
        row = remove_contact(session, actor=actor, ref=customer, contact=contact)
    say(_("Removed contact {id} {name}.").format(id=row["id"], name=row["name"]))
