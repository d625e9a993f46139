"""bizops contract: performance (milestones, disputes) and the archived copies of documents
(attach, verify). Registered on the group by ``bizops.cli.contracts``."""

from __future__ import annotations

from pathlib import Path
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
    OutputOption,
    WideOption,
    emit_object,
    emit_rows,
    note,
    say,
    value_label,
)
from bizops.cli.output.columns import open_by_due
from bizops.domain.errors import Conflict
from bizops.i18n import N_, _, ngettext
from bizops.services.views.contracts import DisputeRow, MilestoneListRow

milestone_app = typer.Typer(
    help="Performance milestones: payments, deliveries, acceptance.", no_args_is_help=True
)
dispute_app = typer.Typer(help="Disputes about a signed contract.", no_args_is_help=True)

MILESTONES = Listing(
    name="contract_milestone_list",
    priority=("contract", "due", "kind", "amount", "days_overdue", "customer", "id"),
    urgency=open_by_due("due", "done_on"),
    fields=MilestoneListRow,
    columns=(
        Col("id", N_("ID"), justify="right"),
        Col("contract", N_("Contract")),
        Col("customer", N_("Customer")),
        Col("kind", N_("Kind"), kind="milestone_kind"),
        Col("due", N_("Due")),
        Col("amount", N_("Amount"), justify="right"),
        Col("note", N_("Note")),
        Col("done_on", N_("Done")),
        Col("days_overdue", N_("Overdue"), justify="right"),
    ),
)
DISPUTES = Listing(
    name="contract_dispute_list",
    priority=("id", "contract", "status", "summary"),
    fields=DisputeRow,
    columns=(
        Col("id", N_("ID"), justify="right"),
        Col("contract", N_("Contract")),
        Col("status", N_("Status")),
        Col("summary", N_("Summary")),
        Col("opened_on", N_("Opened")),
        Col("opened_by", N_("By")),
        Col("resolution", N_("Resolution")),
        Col("resolved_on", N_("Resolved")),
    ),
)


# ---------------------------------------------------------------------------------------------
# Attachments

# What may have become of an archived copy (``ok`` says nothing).
COPY_STATES = {"missing": N_("missing"), "altered": N_("altered")}


def attach(
    contract: ContractArg,
    file: Annotated[Path, typer.Argument(help="The file to archive.", show_default=False)],
    kind: Annotated[str, typer.Option("--kind", help="signed, draft or other.")] = "other",
) -> None:
    """Archive a copy of a file with its SHA-256 (the signed copy: --kind signed).

    Example: bizops contract attach HT-2026-0001 ~/scans/HT-2026-0001-signed.pdf --kind signed
    """
    from bizops.services.contracts import attach_file

    with state().write() as (session, actor):
        row = attach_file(
            session, actor=actor, ref=contract, path=file, kind=kind, today=state().today
        )
    say(
        _("Attached {file} to {contract} as #{id} ({kind}), sha256 {sha256}.").format(
            file=row["filename"],
            contract=row["contract"],
            id=row["id"],
            kind=value_label("attachment_kind", row["kind"]),
            sha256=row["sha256"],
        )
    )


def verify(
    contract: ContractArg,
    file: Annotated[Path, typer.Argument(help="The file to check.", show_default=False)],
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Check whether a file is byte for byte an archived copy: exit 0 if it matches,
    exit 5 if it does not.

    Example: bizops contract verify HT-2026-0001 received.pdf
    """
    from bizops.services.contracts import verify_file

    with state().read() as session:
        result = verify_file(session, ref=contract, path=file)
    if fmt is not None or output is not None:
        emit_object(dict(result), fmt=fmt, output=output, title=_("Verify"))
    match = result["attachment"]
    if match is None:
        copies = result["archived_copies"]
        archived = ngettext("{count} archived copy", "{count} archived copies", copies)
        raise Conflict(
            _(
                "{file} does not match any archived copy of {contract} (sha256 {sha256}; {copies})"
            ).format(
                file=file.name,
                contract=result["contract"],
                sha256=result["sha256"],
                copies=archived.format(count=copies),
            )
        )
    if fmt is None and output is None:
        say(
            _(
                "MATCH: {file} is attachment #{id} ({kind}, {filename}, added {added_on} by "
                "{added_by}) of {contract}."
            ).format(
                file=file.name,
                id=match["id"],
                kind=value_label("attachment_kind", match["kind"]),
                filename=match["filename"],
                added_on=match["added_on"],
                added_by=match["added_by"],
                contract=result["contract"],
            )
        )
    if result["copy"] != "ok":
        note(
            _("Warning: the archived copy of attachment #{id} is {state}.").format(
                id=match["id"], state=_(COPY_STATES.get(result["copy"] or "", result["copy"] or ""))
            )
        )


# ---------------------------------------------------------------------------------------------
# Milestones


@milestone_app.command("add")
def milestone_add(
    contract: ContractArg,
    kind: Annotated[str, typer.Option("--kind", help="payment, delivery, acceptance or other.")],
    due: Annotated[str, typer.Option("--due", help="Due date.")],
    amount: Annotated[str | None, typer.Option("--amount", help="Amount, e.g. 6万.")] = None,
    note_: Annotated[str | None, typer.Option("--note", help="What is due.")] = None,
) -> None:
    """Plan a milestone of a contract; prints its id.

    Example: bizops contract milestone add HT-2026-0001 --kind payment --due 2027-01-15 --amount 6万 --note "首付款"
    """
    from bizops.services.contracts import add_milestone

    with state().write() as (session, actor):
        row = add_milestone(
            session,
            actor=actor,
            ref=contract,
            kind=kind,
            due=due,
            amount=amount,
            note=note_,
            today=state().today,
        )
    say(str(row["id"]))
    note(
        _("Milestone #{id} ({kind}) of {contract} due {due}.").format(
            id=row["id"],
            kind=value_label("milestone_kind", row["kind"]),
            contract=row["contract"],
            due=row["due"],
        )
    )


@milestone_app.command("done")
def milestone_done(
    milestone: Annotated[str, typer.Argument(help="Milestone id.")],
    on: Annotated[str | None, typer.Option("--on", help="When it was done.")] = None,
) -> None:
    """Mark a milestone done.

    Example: bizops contract milestone done 3 --on 2027-01-14
    """
    from bizops.services.contracts import complete_milestone

    with state().write() as (session, actor):
        row = complete_milestone(session, actor=actor, ref=milestone, on=on, today=state().today)
    say(
        _("Milestone #{id} of {contract} done on {day}.").format(
            id=row["id"], contract=row["contract"], day=row["done_on"]
        )
    )


@milestone_app.command("list")
def milestone_list(
    contract: Annotated[str | None, typer.Argument(help="Only this contract.")] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open ones due before today (signed/active).")
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List milestones by due date.

    Example: bizops contract milestone list --overdue --format json
    """
    from bizops.services.contracts import list_milestones

    with state().read() as session:
        rows = list_milestones(session, contract=contract, overdue=overdue, today=state().today)
    emit_rows(
        rows,
        MILESTONES,
        fmt=fmt,
        output=output,
        limit=limit,
        title=_("Milestones"),
        empty=_("No milestones."),
        headers=headers,
    )


# ---------------------------------------------------------------------------------------------
# Disputes


@dispute_app.command("open")
def dispute_open(
    contract: ContractArg,
    summary: Annotated[str, typer.Option("--summary", help="What the dispute is about.")],
) -> None:
    """Open a dispute on a signed contract; prints its id. It blocks complete and archive.

    Example: bizops contract dispute open HT-2026-0001 --summary "交付延迟两周"
    """
    from bizops.services.contracts import open_dispute

    with state().write() as (session, actor):
        row = open_dispute(session, actor=actor, ref=contract, summary=summary, today=state().today)
    say(str(row["id"]))
    note(_("Dispute #{id} opened on {contract}.").format(id=row["id"], contract=row["contract"]))


@dispute_app.command("resolve")
def dispute_resolve(
    dispute: Annotated[str, typer.Argument(help="Dispute id.")],
    resolution: Annotated[str, typer.Option("--resolution", help="How it was settled.")],
) -> None:
    """Resolve a dispute.

    Example: bizops contract dispute resolve 2 --resolution "供应商赔偿货款5%"
    """
    from bizops.services.contracts import resolve_dispute

    with state().write() as (session, actor):
        row = resolve_dispute(
            session, actor=actor, ref=dispute, resolution=resolution, today=state().today
        )
    say(_("Dispute #{id} of {contract} resolved.").format(id=row["id"], contract=row["contract"]))


@dispute_app.command("list")
def dispute_list(
    contract: Annotated[str | None, typer.Argument(help="Only this contract.")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only open disputes.")] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List disputes.

    Example: bizops contract dispute list --open
    """
    from bizops.services.contracts import list_disputes

    with state().read() as session:
        rows = list_disputes(session, contract=contract, open_only=open_only)
    emit_rows(
        rows,
        DISPUTES,
        fmt=fmt,
        output=output,
        limit=limit,
        title=_("Disputes"),
        empty=_("No disputes."),
        headers=headers,
    )
