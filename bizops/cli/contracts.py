"""bizops contract: drafts, the lifecycle, amendments, milestones, disputes, attachments."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bizops.cli.context import state
from bizops.cli.output import (
    Col,
    FormatOption,
    LimitOption,
    Line,
    OutputOption,
    Pairs,
    Section,
    cell,
    emit_object,
    emit_rows,
    note,
    say,
)

app = typer.Typer(
    help="Contracts from draft to archive: terms, signing, milestones, amendments, disputes.",
    no_args_is_help=True,
)
milestone_app = typer.Typer(
    help="Performance milestones: payments, deliveries, acceptance.", no_args_is_help=True
)
dispute_app = typer.Typer(help="Disputes about a signed contract.", no_args_is_help=True)
app.add_typer(milestone_app, name="milestone")
app.add_typer(dispute_app, name="dispute")

COLUMNS = [
    Col("number", "Number"),
    Col("title", "Title"),
    Col("customer", "Customer"),
    Col("owner", "Owner"),
    Col("type", "Type"),
    Col("amount", "Amount", justify="right"),
    Col("risk", "Risk"),
    Col("status", "Status"),
    Col("end", "End"),
    Col("non_standard", "Non-std"),
]
EXPIRING_COLUMNS = [*COLUMNS[:4], Col("end", "End"), Col("days_left", "Days left", justify="right")]
EXPIRING_COLUMNS += [Col("notice_days", "Notice", justify="right"), Col("status", "Status")]
MILESTONE_COLUMNS = [
    Col("id", "ID", justify="right"),
    Col("contract", "Contract"),
    Col("customer", "Customer"),
    Col("kind", "Kind"),
    Col("due", "Due"),
    Col("amount", "Amount", justify="right"),
    Col("note", "Note"),
    Col("done_on", "Done"),
    Col("days_overdue", "Overdue", justify="right"),
]
DISPUTE_COLUMNS = [
    Col("id", "ID", justify="right"),
    Col("contract", "Contract"),
    Col("status", "Status"),
    Col("summary", "Summary"),
    Col("opened_on", "Opened"),
    Col("opened_by", "By"),
    Col("resolution", "Resolution"),
    Col("resolved_on", "Resolved"),
]

ContractArg = Annotated[str, typer.Argument(help="Contract number (HT-2026-0007) or id.")]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Template field FIELD=VALUE (repeatable).", show_default=False),
]


def _policy_today() -> tuple[Any, Any]:
    return state().policy(), state().today


# ---------------------------------------------------------------------------------------------
# Drafting


@app.command("new")
def new(
    customer: Annotated[str, typer.Option("--customer", help="Customer code, id or name.")],
    type_: Annotated[
        str, typer.Option("--type", help="sales, purchase, service, nda or framework.")
    ],
    title: Annotated[str, typer.Option("--title", help="Contract title.")],
    amount: Annotated[str, typer.Option("--amount", help="Amount, e.g. 120000, 12万, 1.5亿.")],
    risk: Annotated[str, typer.Option("--risk", help="low, medium or high.")],
    start: Annotated[str, typer.Option("--start", help="Start date.")],
    end: Annotated[str, typer.Option("--end", help="End date (not before the start).")],
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
) -> None:
    """Create a draft contract and print its number.

    Example: bizops contract new --customer C0001 --type sales --title "设备采购" --amount 12万 --risk low --start 2026-12-01 --end 2027-11-30 --template sales-zh
    """
    from bizops.services.contracts import create_contract, parse_assignments

    policy, today = _policy_today()
    values = parse_assignments(set_)
    with state().write() as (session, actor):
        row = create_contract(
            session,
            actor=actor,
            customer=customer,
            type=type_,
            title=title,
            amount=amount,
            currency=currency,
            risk=risk,
            start=start,
            end=end,
            template=template,
            values=values,
            notice_days=notice_days,
            owner=owner,
            policy=policy,
            today=today,
        )
    say(row["number"])
    reasons = "; ".join(row["non_standard_reasons"])
    standard = f"non-standard: {reasons}" if row["non_standard"] else "standard"
    note(f"Created draft {row['number']} for {row['customer']} ({standard}).")


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
) -> None:
    """Edit a draft's terms (only while it is a draft; later, use `contract amend`).

    Example: bizops contract update HT-2026-0001 --amount 15万 --set payment_days=30
    """
    from bizops.services.contracts import parse_assignments, update_contract

    policy, today = _policy_today()
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
    standard = "non-standard" if row["non_standard"] else "standard"
    say(f"Updated {row['number']} ({standard}).")


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
    say(f"Noted on {row['contract']} (#{row['id']}).")


# ---------------------------------------------------------------------------------------------
# Reading


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
        )
        emit_rows(
            rows,
            EXPIRING_COLUMNS if expiring else COLUMNS,
            fmt=fmt,
            output=output,
            limit=limit,
            title="Contracts",
            empty="No contracts match.",
        )


def _changes(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v['from']} -> {v['to']}" for k, v in value.items())
    return cell(value)


SHOW_SECTIONS = (
    Line("allowed_moves", "Allowed moves", fmt=lambda v: ", ".join(v), always=True),
    Section("blocked_moves", "Blocked moves", (Col("move", "Move"), Col("reason", "Reason"))),
    Pairs("fields", "Fields"),
    Line("non_standard_reasons", "Non-standard because", fmt=lambda v: "; ".join(v)),
    Section("notes", "Notes", (Col("at", "at"), Col("actor", "actor"), Col("text", "text"))),
    Section(
        "milestones",
        "Milestones",
        tuple(Col(k, k) for k in ("id", "kind", "due", "amount", "note", "done_on")),
    ),
    Section(
        "disputes",
        "Disputes",
        tuple(Col(k, k) for k in ("id", "status", "summary", "opened_on", "resolution")),
    ),
    Section(
        "attachments",
        "Attachments",
        tuple(Col(k, k) for k in ("id", "kind", "filename", "size", "sha256", "added_on")),
    ),
    Section(
        "amendments",
        "Amendments",
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
        "Approval requests",
        tuple(Col(k, k) for k in ("id", "rule", "status", "submitted_on")),
    ),
    Section(
        "drafts",
        "Drafts",
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
        dict(obj), fmt=fmt, output=output, title=f"Contract {obj['number']}", sections=SHOW_SECTIONS
    )


# ---------------------------------------------------------------------------------------------
# The lifecycle


@app.command("submit")
def submit(contract: ContractArg) -> None:
    """Submit a draft for approval: the matrix picks the chain of approvers.

    Example: bizops contract submit HT-2026-0001
    """
    from bizops.services.contracts import submit_contract

    policy, today = _policy_today()
    with state().write() as (session, actor):
        out = submit_contract(session, actor=actor, ref=contract, policy=policy, today=today)
    say(
        f"Submitted {out['contract']}: approval request {out['request']} "
        f"(rule {out['rule']}: {' -> '.join(out['chain'])})."
    )


@app.command("sign")
def sign(
    contract: ContractArg,
    on: Annotated[str, typer.Option("--on", help="Date of signing.")],
    signatory: Annotated[str, typer.Option("--signatory", help="Who signed for the customer.")],
) -> None:
    """Record the signing of an approved contract; its customer moves to `signed`.

    Example: bizops contract sign HT-2026-0001 --on today --signatory "张伟"
    """
    from bizops.services.contracts import sign_contract

    policy, today = _policy_today()
    with state().write() as (session, actor):
        row = sign_contract(
            session,
            actor=actor,
            ref=contract,
            on=on,
            signatory=signatory,
            policy=policy,
            today=today,
        )
    say(f"Signed {row['number']}.")


@app.command("activate")
def activate(
    contract: ContractArg,
    on: Annotated[str | None, typer.Option("--on", help="Start of performance.")] = None,
) -> None:
    """Start performance of a signed contract; its customer moves to `maintenance`.

    Example: bizops contract activate HT-2026-0001
    """
    from bizops.services.contracts import activate_contract

    policy, today = _policy_today()
    with state().write() as (session, actor):
        row = activate_contract(
            session, actor=actor, ref=contract, on=on, policy=policy, today=today
        )
    say(f"Activated {row['number']}.")


@app.command("complete")
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
    say(f"Completed {row['number']}.")


@app.command("terminate")
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
    say(f"Terminated {row['number']}.")


@app.command("archive")
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
    say(f"Archived {row['number']}.")


@app.command("reopen")
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
    say(f"Reopened {row['number']}: it is a draft again; the approval is void.")


@app.command("amend")
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

    policy, today = _policy_today()
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
        f"Amendment {out['number']} ({shown}) waits for approval request {out['request']} "
        f"(rule {out['rule']}: {' -> '.join(out['chain'])})."
    )


# ---------------------------------------------------------------------------------------------
# Attachments


@app.command("attach")
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
        f"Attached {row['filename']} to {row['contract']} as #{row['id']} ({row['kind']}), "
        f"sha256 {row['sha256']}."
    )


@app.command("verify")
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
    from bizops.domain.errors import Conflict
    from bizops.services.contracts import verify_file

    with state().read() as session:
        result = verify_file(session, ref=contract, path=file)
    if fmt is not None or output is not None:
        emit_object(dict(result), fmt=fmt, output=output, title="Verify")
    match = result["attachment"]
    if match is None:
        copies = result["archived_copies"]
        raise Conflict(
            f"{file.name} does not match any archived copy of {result['contract']} "
            f"(sha256 {result['sha256']}; {copies} archived cop{'y' if copies == 1 else 'ies'})"
        )
    if fmt is None and output is None:
        say(
            f"MATCH: {file.name} is attachment #{match['id']} ({match['kind']}, "
            f"{match['filename']}, added {match['added_on']} by {match['added_by']}) "
            f"of {result['contract']}."
        )
    if result["copy"] != "ok":
        note(f"Warning: the archived copy of attachment #{match['id']} is {result['copy']}.")


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
    note(f"Milestone #{row['id']} ({row['kind']}) of {row['contract']} due {row['due']}.")


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
    say(f"Milestone #{row['id']} of {row['contract']} done on {row['done_on']}.")


@milestone_app.command("list")
def milestone_list(
    contract: Annotated[str | None, typer.Argument(help="Only this contract.")] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open ones due before today (signed/active).")
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List milestones by due date.

    Example: bizops contract milestone list --overdue --format json
    """
    from bizops.services.contracts import list_milestones

    with state().read() as session:
        rows = list_milestones(session, contract=contract, overdue=overdue, today=state().today)
    emit_rows(
        rows,
        MILESTONE_COLUMNS,
        fmt=fmt,
        output=output,
        limit=limit,
        title="Milestones",
        empty="No milestones.",
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
    note(f"Dispute #{row['id']} opened on {row['contract']}.")


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
    say(f"Dispute #{row['id']} of {row['contract']} resolved.")


@dispute_app.command("list")
def dispute_list(
    contract: Annotated[str | None, typer.Argument(help="Only this contract.")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only open disputes.")] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List disputes.

    Example: bizops contract dispute list --open
    """
    from bizops.services.contracts import list_disputes

    with state().read() as session:
        rows = list_disputes(session, contract=contract, open_only=open_only)
    emit_rows(
        rows,
        DISPUTE_COLUMNS,
        fmt=fmt,
        output=output,
        limit=limit,
        title="Disputes",
        empty="No disputes.",
    )
