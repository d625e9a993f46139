"""bizops contract: the moves through the lifecycle (submit, sign, activate, complete,
terminate, archive, reopen) and amendments. Registered on the group by ``bizops.cli.contracts``;
approving and rejecting are `bizops approval` commands."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from bizops.cli.context import state
from bizops.cli.contract_options import ContractArg, policy_today
from bizops.cli.output import note, say, value_label
from bizops.i18n import _


def submit(
    contract: ContractArg,
    cc: Annotated[
        list[str] | None,
        typer.Option("--cc", help="Copy the request to this user (repeatable); informed only."),
    ] = None,
) -> None:
    """Submit a draft for approval: the matrix picks the chain of approvers.

    The draft must be complete: every required field of its template set and valid. The
    request keeps what is approved (terms, fields, template) with its hash; signing checks it.

    Example: bizops contract submit HT-2026-0001 --cc gus
    """
    from bizops.services.contracts import submit_contract

    policy, today = policy_today()
    with state().write() as (session, actor):
        out = submit_contract(
            session, actor=actor, ref=contract, policy=policy, today=today, cc=cc or ()
        )
    say(
        _("Submitted {contract}: approval request {request} (rule {rule}: {chain}).").format(
            contract=out["contract"], request=out["request"], rule=out["rule"], chain=_chain(out)
        )
    )


def _chain(out: Mapping[str, Any]) -> str:
    from bizops.domain.approval_steps import parse_step

    return " -> ".join(
        parse_step(role).describe() if parse_step(role).is_group else value_label("role", role)
        for role in out["chain"]
    )


def sign(
    contract: ContractArg,
    on: Annotated[str, typer.Option("--on", help="Date of signing.")],
    signatory: Annotated[str, typer.Option("--signatory", help="Who signed for the customer.")],
    file: Annotated[
        Path | None,
        typer.Option("--file", help="The signed copy (scan), attached with its SHA-256."),
    ] = None,
) -> None:
    """Record the signing of an approved contract; its customer moves to `signed`.

    Refused (exit 5) when the draft changed since it was approved, naming what changed, or
    when the policy requires a seal and none is registered.

    Example: bizops contract sign HT-2026-0001 --on today --signatory "张伟" --file scan.pdf
    """
    from bizops.services.contracts import sign_contract

    policy, today = policy_today()
    with state().write() as (session, actor):
        row = sign_contract(
            session,
            actor=actor,
            ref=contract,
            on=on,
            signatory=signatory,
            policy=policy,
            today=today,
            file=file,
        )
    say(_("Signed {number}.").format(number=row["number"]))


def seal(
    contract: ContractArg,
    seal: Annotated[
        str, typer.Option("--seal", help="contract (合同专用章) or company (公章).")
    ] = "contract",
    copies: Annotated[int, typer.Option("--copies", help="How many copies are sealed.")] = 2,
) -> None:
    """Seal an approved contract (用印) and record it in the seal register; by a seal_keeper.

    Example: bizops --as sam contract seal HT-2026-0001 --seal contract --copies 2
    """
    from bizops.services.contracts import seal_contract

    _policy, today = policy_today()
    with state().write() as (session, actor):
        row = seal_contract(
            session, actor=actor, ref=contract, seal=seal, copies=copies, today=today
        )
    say(
        _("Sealed {number}: {copies} copies with the {seal} seal (register #{id}).").format(
            number=row["contract"], copies=row["copies"], seal=row["seal"], id=row["id"]
        )
    )


def activate(
    contract: ContractArg,
    on: Annotated[str | None, typer.Option("--on", help="Start of performance.")] = None,
) -> None:
    """Start performance of a signed contract; its customer moves to `maintenance`.

    Example: bizops contract activate HT-2026-0001
    """
    from bizops.services.contracts import activate_contract

    policy, today = policy_today()
    with state().write() as (session, actor):
        row = activate_contract(
            session, actor=actor, ref=contract, on=on, policy=policy, today=today
        )
    say(_("Activated {number}.").format(number=row["number"]))


def complete(
    contract: ContractArg,
    on: Annotated[str | None, typer.Option("--on", help="Completion date.")] = None,
) -> None:
    """Complete an active contract: every milestone done, no open dispute.

    Example: bizops contract complete HT-2026-0001
    """
    from bizops.services.contracts import complete_contract

    with state().write() as (session, actor):
        row = complete_contract(session, actor=actor, ref=contract, on=on, today=state().today)
    say(_("Completed {number}.").format(number=row["number"]))


def terminate(
    contract: ContractArg,
    reason: Annotated[str, typer.Option("--reason", help="Why it ends early.")],
    on: Annotated[str | None, typer.Option("--on", help="Termination date.")] = None,
) -> None:
    """End a signed or active contract early, with a reason.

    Example: bizops contract terminate HT-2026-0001 --reason "客户违约"
    """
    from bizops.services.contracts import terminate_contract

    with state().write() as (session, actor):
        row = terminate_contract(
            session, actor=actor, ref=contract, reason=reason, on=on, today=state().today
        )
    say(_("Terminated {number}.").format(number=row["number"]))


def archive(
    contract: ContractArg,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Needed when no signed copy is attached.")
    ] = None,
) -> None:
    """Archive a completed or terminated contract (needs a signed copy attached, or --reason).

    Example: bizops contract archive HT-2026-0001
    """
    from bizops.services.contracts import archive_contract

    with state().write() as (session, actor):
        row = archive_contract(
            session, actor=actor, ref=contract, reason=reason, today=state().today
        )
    say(_("Archived {number}.").format(number=row["number"]))


def reopen(
    contract: ContractArg,
    reason: Annotated[str, typer.Option("--reason", help="Why it goes back to draft.")],
) -> None:
    """Take an approved contract back to draft, voiding its approval.

    Example: bizops contract reopen HT-2026-0001 --reason "客户要求修改交货期"
    """
    from bizops.services.contracts import reopen_contract

    with state().write() as (session, actor):
        row = reopen_contract(
            session, actor=actor, ref=contract, reason=reason, today=state().today
        )
    say(
        _("Reopened {number}: it is a draft again; the approval is void.").format(
            number=row["number"]
        )
    )


def amend(
    contract: ContractArg,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="TERM=VALUE for title, amount, risk, start, end (repeatable)."),
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why the terms change.")] = None,
) -> None:
    """Propose an amendment of a signed or active contract; it applies once approved.

    Example: bizops contract amend HT-2026-0001 --set amount=15万 --set end=2028-06-30 --reason "追加订单"
    """
    from bizops.services.contracts import amend_contract, parse_assignments

    policy, today = policy_today()
    changes = parse_assignments(set_)
    with state().write() as (session, actor):
        out = amend_contract(
            session,
            actor=actor,
            ref=contract,
            changes=changes,
            reason=reason,
            policy=policy,
            today=today,
        )
    say(out["number"])
    shown = ", ".join(f"{k}: {v['from']} -> {v['to']}" for k, v in out["changes"].items())
    note(
        _(
            "Amendment {number} ({changes}) waits for approval request {request} "
            "(rule {rule}: {chain})."
        ).format(
            number=out["number"],
            changes=shown,
            request=out["request"],
            rule=out["rule"],
            chain=_chain(out),
        )
    )
