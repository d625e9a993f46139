"""What the contract commands share: the contract argument, --set, the policy and today."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from bizops.cli.context import state

if TYPE_CHECKING:
    from bizops.domain.policy import Policy

ContractArg = Annotated[str, typer.Argument(help="Contract number (HT-2026-0007) or id.")]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Template field FIELD=VALUE (repeatable).", show_default=False),
]


def policy_today() -> tuple[Policy, date]:
    return state().policy(), state().today
