"""bizops approval: the authority matrix, routing, the inbox and the decisions."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from bizops.cli.context import state
from bizops.cli.output import (
    LISTING,
    Col,
    ColumnsOption,
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
    resolve_output,
    say,
    value_label,
)
from bizops.cli.output.columns import by_due
from bizops.cli.output.written import WriteFormatOption, emit_written
from bizops.i18n import N_, _
from bizops.services.views.approvals import MatrixRow, PendingRow, RequestRow, RequestView

app = typer.Typer(
    help="Approvals: the authority matrix, routing, and the approval inbox.", no_args_is_help=True
)


def _chain(value: Any) -> str:
    """The chain drawn for people: ``manager → all of legal, finance → gm``; a group of roles
    reads 会签 / 或签 in Chinese."""
    from bizops.domain.approval_steps import parse_step

    return " → ".join(
        parse_step(label).describe() if parse_step(label).is_group else label
        for label in value or []
    )


MATRIX = Listing(
    name="approval_matrix",
    fields=MatrixRow,
    columns=(
        Col("position", "#", justify="right"),
        Col("rule", N_("Rule")),
        Col("conditions", N_("Conditions")),
        Col("chain", N_("Chain"), fmt=_chain),
    ),
)
PENDING = Listing(
    name="approval_pending",
    priority=("id", "contract", "due", "days_overdue", "amount", "role", "title"),
    urgency=by_due("due"),
    fields=PendingRow,
    columns=(
        Col("id", N_("ID"), justify="right"),
        Col("contract", N_("Contract")),
        Col("title", N_("Title")),
        Col("step", N_("Step"), justify="right"),
        Col("role", N_("Role")),
        Col("amount", N_("Amount"), justify="right"),
        Col("submitted_by", N_("Submitted by")),
        Col("waiting_since", N_("Waiting since")),
        Col("due", N_("Due")),
        Col("days_overdue", N_("Days overdue"), justify="right", fmt=lambda v: str(v) if v else ""),
        Col("note", N_("Note")),
    ),
)
REQUESTS = Listing(
    name="approval_list",
    priority=("id", "contract", "status", "current_role", "amount", "submitted_on"),
    fields=RequestRow,
    columns=(
        Col("id", N_("ID"), justify="right"),
        Col("contract", N_("Contract")),
        Col("amendment", N_("Amendment")),
        Col("status", N_("Status"), kind="approval_status"),
        Col("rule", N_("Rule")),
        Col("chain", N_("Chain"), fmt=_chain),
        Col("amount", N_("Amount"), justify="right"),
        Col("current_role", N_("Waiting for")),
        Col("submitted_by", N_("Submitted by")),
        Col("submitted_on", N_("Submitted")),
        Col("closed_on", N_("Closed")),
    ),
)
# How a row of a group step reads: 会签 (all) or 或签 (any); nothing for a single role.
MODES = {"all": N_("all of"), "any": N_("any of"), "one": ""}
STEP_COLUMNS = [
    Col("step", N_("Step"), justify="right"),
    Col("mode", N_("Group"), fmt=lambda v: _(MODES[v]) if MODES.get(v) else ""),
    Col("role", N_("Role")),
    Col("assignee", N_("Assigned to")),
    Col("status", N_("Status"), kind="approval_status"),
    Col("waiting_since", N_("Waiting since")),
    Col("due", N_("Due")),
    Col("decided_by", N_("Decided by")),
    Col("decided_on", N_("On")),
    Col("comment", N_("Comment")),
]

RequestArg = Annotated[
    str, typer.Argument(help="Request id, or a contract number for its pending request.")
]


CHAIN_LINE = Line("chain", N_("chain"), fmt=_chain)
STEP_SECTIONS = (CHAIN_LINE, Section("steps", N_("Steps"), tuple(STEP_COLUMNS)))
# What a decision did to a step, for the message that reports it.
VERBS = {"approved": N_("approved"), "rejected": N_("rejected"), "withdrawn": N_("withdrawn")}


def _decided(view: RequestView, verb: str) -> str:
    if view["status"] == "pending":
        step = next(s for s in view["steps"] if s["step"] == view["current_step"])
        label = view["current_role"] or step["role"]
        partial = any(
            s["step"] == step["step"] and s["status"] == "approved" for s in view["steps"]
        )
        if partial and verb == "approved":
            return _(
                "Request {id} ({contract}): approved; step {step} ({group}) waits for the others "
                "of its group (due {due})."
            ).format(
                id=view["id"],
                contract=view["contract"],
                step=step["step"],
                group=_chain([label]),
                due=step["due"],
            )
        return _(
            "Request {id} ({contract}): {verb} step {done}; now waiting for {role} "
            "(step {step} of {steps}, due {due})."
        ).format(
            id=view["id"],
            contract=view["contract"],
            verb=_(VERBS.get(verb, verb)),
            done=step["step"] - 1,
            role=value_label("role", label)
            if "+" not in label and "|" not in label
            else _chain([label]),
            step=step["step"],
            steps=len(view["chain"]),
            due=step["due"],
        )
    return _("Request {id} ({contract}): {status}.").format(
        id=view["id"],
        contract=view["contract"],
        status=value_label("approval_status", view["status"]),
    )


@app.command("matrix")
def matrix(
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """Show the authority matrix: the rules in order, their conditions and chains.

    The first rule that matches a contract decides its chain of approvers.

    Example: bizops approval matrix --format json
    """
    from bizops.services.approvals import matrix as matrix_rows

    emit_rows(
        matrix_rows(state().policy()),
        MATRIX,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Approval matrix (SLA {days} working days per step)").format(
            days=state().policy().approval_sla_days
        ),
        empty=_("The matrix has no rules."),
        headers=headers,
    )


@app.command("route")
def route(
    type: Annotated[
        str, typer.Option("--type", help="sales, purchase, service, nda or framework.")
    ],
    amount: Annotated[str, typer.Option("--amount", help="Amount, e.g. 250000 or 25万.")],
    risk: Annotated[str, typer.Option("--risk", help="low, medium or high.")],
    non_standard: Annotated[
        bool, typer.Option("--non-standard", help="The contract departs from the templates.")
    ] = False,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            help="The amount's currency (ISO 4217); default: the policy's base currency. The "
            "matrix compares the amount converted with the policy's [currency] rates.",
        ),
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Explain which rule routes a contract with these terms, and why.

    Example: bizops approval route --type sales --amount 250000 --risk low --format json
    """
    from bizops.services.approvals import route_checked

    st = state()
    with st.read() as session:
        found, warnings = route_checked(
            session,
            st.policy(),
            type=type,
            amount=amount,
            risk=risk,
            non_standard=non_standard,
            currency=currency,
        )
    shown: dict[str, Any] = dict(found)
    converted = currency is not None and currency.strip().upper() != found["base_currency"]
    if not converted and resolve_output(fmt, output, kind=LISTING).format == "table":
        # Nothing was converted: the amount in the base currency is the amount given.
        del shown["amount_in_base"], shown["base_currency"]
    emit_object(shown, fmt=fmt, output=output, title=_("Approval route"), sections=(CHAIN_LINE,))
    for warning in warnings:
        note(_("Warning: {warning}").format(warning=warning))


@app.command("pending")
def pending(
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """Your approval inbox: steps waiting for one of your roles, overdue first.

    Overdue steps of your roles are shown even when someone else must decide them (the note
    says why), so that the role's holders can chase them.

    Example: bizops --as mia approval pending
    """
    from bizops.services.approvals import pending_rows

    st = state()
    with st.read() as session:
        user = st.actor(session, required=True)
        assert user is not None
        rows = pending_rows(session, user=user, today=st.today)
        login = user.login
    emit_rows(
        rows,
        PENDING,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Approvals waiting for {login}").format(login=login),
        empty=_("Nothing waits for {login}'s approval.").format(login=login),
        headers=headers,
    )


@app.command("approve")
def approve(
    request: RequestArg,
    comment: Annotated[str | None, typer.Option("--comment", "-m", help="A note.")] = None,
    step: Annotated[
        int | None,
        typer.Option("--step", min=1, help="Approve only if this is the current step."),
    ] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Approve the current step of a request; the last approval approves the contract.

    Example: bizops --as mia approval approve 12 --comment "terms checked"
    """
    from bizops.services.contracts import approve_request

    st = state()
    with st.write() as (session, actor):
        view = approve_request(
            session,
            actor=actor,
            ref=request,
            comment=comment,
            step=step,
            today=st.today,
            policy=st.policy(),
        )
    emit_written(dict(view), fmt, text=_decided(view, "approved"))


@app.command("reject")
def reject(
    request: RequestArg,
    reason: Annotated[
        str | None, typer.Option("--reason", "-r", help="Why (required); the submitter sees it.")
    ] = None,
    step: Annotated[
        int | None,
        typer.Option("--step", min=1, help="Reject only if this is the current step."),
    ] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Reject a request at its current step; the contract goes back to draft.

    Example: bizops --as leo approval reject 12 --reason "liability cap missing"
    """
    from bizops.services.contracts import reject_request

    st = state()
    with st.write() as (session, actor):
        view = reject_request(
            session,
            actor=actor,
            ref=request,
            reason=reason,
            step=step,
            today=st.today,
            policy=st.policy(),
        )
    emit_written(dict(view), fmt, text=_decided(view, "rejected"))


@app.command("withdraw")
def withdraw(
    request: RequestArg,
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="Why (optional).")] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Withdraw a pending request you submitted.

    Example: bizops --as alice approval withdraw 12 --reason "customer changed the scope"
    """
    from bizops.services.contracts import withdraw_request

    st = state()
    with st.write() as (session, actor):
        view = withdraw_request(
            session, actor=actor, ref=request, reason=reason, today=st.today, policy=st.policy()
        )
    emit_written(dict(view), fmt, text=_decided(view, "withdrawn"))


@app.command("delegate")
def delegate(
    request: RequestArg,
    to: Annotated[str, typer.Option("--to", help="Another holder of the step's role.")],
    comment: Annotated[str | None, typer.Option("--comment", "-m", help="A note.")] = None,
) -> None:
    """Hand your pending step over to another holder of its role (转交).

    They must hold the role and an approval limit that covers the amount.

    Example: bizops --as mia approval delegate 12 --to ned --comment "on leave"
    """
    from bizops.services.approvals import delegate as hand_over

    st = state()
    with st.write() as (session, actor):
        view = hand_over(
            session,
            actor=actor,
            ref=request,
            to=to,
            comment=comment,
            today=st.today,
            policy=st.policy(),
        )
    say(
        _("Request {id} ({contract}): step {step} handed to {login}.").format(
            id=view["id"], contract=view["contract"], step=view["current_step"], login=to
        )
    )


@app.command("add-signer")
def add_signer(
    request: RequestArg,
    role: Annotated[str | None, typer.Option("--role", help="The added step's role.")] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="The person who signs the added step.")
    ] = None,
    before: Annotated[
        bool, typer.Option("--before/--after", help="Before the current step, or after it.")
    ] = False,
) -> None:
    """Add a signer (加签): a step before or after the current one; by a manager or the
    current step's approver. Recorded in the audit.

    Example: bizops --as mia approval add-signer 12 --role legal --after
    """
    from bizops.services.approvals import add_signer as add

    st = state()
    with st.write() as (session, actor):
        view = add(
            session,
            actor=actor,
            ref=request,
            role=role,
            user=user,
            before=before,
            today=st.today,
            policy=st.policy(),
        )
    say(
        _("Request {id} ({contract}): chain now {chain}.").format(
            id=view["id"], contract=view["contract"], chain=_chain(view["chain"])
        )
    )


@app.command("show")
def show(request: RequestArg, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """Show a request: its rule, why it applies, and each step with who decided and when.

    Example: bizops approval show 12 --format json
    """
    from bizops.services.approvals import show_request

    st = state()
    with st.read() as session:
        view = show_request(session, ref=request, today=st.today)
    emit_object(
        dict(view),
        fmt=fmt,
        output=output,
        title=_("Approval request {id}").format(id=view["id"]),
        sections=STEP_SECTIONS,
        kinds={"status": "approval_status"},
    )


@app.command("list")
def list_(
    status: Annotated[
        str | None,
        typer.Option("--status", help="pending, approved, rejected, withdrawn or void."),
    ] = None,
    contract: Annotated[
        str | None, typer.Option("--contract", help="Only this contract's requests.")
    ] = None,
    mine: Annotated[
        bool, typer.Option("--mine", help="Only requests you submitted or decided.")
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List approval requests, newest first.

    Example: bizops approval list --status pending --format json
    """
    from bizops.services.approvals import list_requests

    st = state()
    with st.read() as session:
        actor = st.actor(session, required=mine)
        rows = list_requests(session, actor=actor, status=status, contract=contract, mine=mine)
    emit_rows(
        rows,
        REQUESTS,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Approval requests"),
        empty=_("No approval requests."),
        headers=headers,
    )
