"""The `bizops customer` group and the arguments its commands share."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    help="Customers and the pipeline: add, find, grade, move and import customers.",
    no_args_is_help=True,
)
contact_app = typer.Typer(help="A customer's contacts: add, list, remove.", no_args_is_help=True)
app.add_typer(contact_app, name="contact")

CustomerArg = Annotated[str, typer.Argument(help="Customer id, code (C0042) or name.")]
ReasonOption = Annotated[str | None, typer.Option("--reason", help="Why (kept in the history).")]
# The company's own details, for `customer add` and `customer update`.
PhoneOption = Annotated[
    str | None, typer.Option("--phone", help="The company's own phone (a switchboard).")
]
EmailOption = Annotated[
    str | None, typer.Option("--email", help="The company's own email (a shared mailbox).")
]
WebsiteOption = Annotated[str | None, typer.Option("--website", help="e.g. www.example.com.")]
AddressOption = Annotated[str | None, typer.Option("--address", help="The company's address.")]
CreditCodeOption = Annotated[
    str | None,
    typer.Option(
        "--credit-code", help="Unified social credit code (18 characters, check digit verified)."
    ),
]
needs_app = typer.Typer(
    help="Needs analysis: a customer's answers to a needs framework.", no_args_is_help=True
)
app.add_typer(needs_app, name="needs")
