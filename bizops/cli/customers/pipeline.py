"""`customer stage|grade|regrade`: moves along the pipeline and grades."""

from __future__ import annotations

from typing import Annotated

import typer

from bizops.cli.context import state
from bizops.cli.customers.group import CustomerArg, ReasonOption, app
from bizops.cli.output import (
    Col,
    ColumnsOption,
    Format,
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
from bizops.i18n import N_, _
from bizops.services.customers.views import RegradeRow

CUSTOMER_REGRADE = Listing(
    name="customer_regrade",
    fields=RegradeRow,
    columns=(
        Col("code", N_("Code")),
        Col("name", N_("Name"), meaning=N_("Customer name")),
        Col("from", N_("From"), kind="grade"),
        Col("to", N_("To"), kind="grade"),
        Col("why", N_("Why")),
    ),
    labels={"name": N_("Customer name")},
)


@app.command("stage")
def stage(
    customer: CustomerArg,
    to: Annotated[
        str | None,
        typer.Argument(
            help="prospect, contacted, needs, proposal, negotiation, signed, maintenance, "
            "lost or dormant.",
            show_default=False,
        ),
    ] = None,
    step_next: Annotated[bool, typer.Option("--next", help="One step forward.")] = False,
    reason: ReasonOption = None,
) -> None:
    """Move a customer in the pipeline: --next, or any other move with --reason.

    Example: bizops customer stage C0001 --next
    """
    from bizops.services.customers import move_stage

    st = state()
    with st.write() as (session, actor):
        view = move_stage(
            session,
            actor=actor,
            ref=customer,
            stage=to,
            step_next=step_next,
            reason=reason,
            policy=st.policy(),
            today=st.today,
        )
    say(
        _("{code} {name}: {before} -> {after}; next follow-up {next_due}.").format(
            code=view["code"],
            name=view["name"],
            before=value_label("stage", view["from_stage"]),
            after=value_label("stage", view["stage"]),
            next_due=view["next_due"] or _("none"),
        )
    )


@app.command("grade")
def grade(
    customer: CustomerArg,
    to: Annotated[str | None, typer.Argument(help="A, B or C.", show_default=False)] = None,
    reason: ReasonOption = None,
    suggest: Annotated[
        bool, typer.Option("--suggest", help="Explain the grade the policy suggests.")
    ] = False,
    fmt: FormatOption = None,
) -> None:
    """Grade a customer (with --reason), or explain the suggested grade with --suggest.

    Example: bizops customer grade C0001 A --reason "budget confirmed: 200万"
    """
    from bizops.domain.errors import Invalid

    st = state()
    if suggest:
        if to:
            raise Invalid(_("grade: give either a GRADE or --suggest, not both"))
        from bizops.services.customers import suggest_grade

        with st.read() as session:
            result = suggest_grade(session, ref=customer, policy=st.policy())
        if fmt is Format.json:
            emit_object(dict(result), fmt=fmt)
            return
        if result["changes"]:
            change = _("suggests {suggested} (now {grade})").format(
                suggested=result["suggested"], grade=result["grade"]
            )
        else:
            change = _("keeps {grade}").format(grade=result["grade"])
        say(
            _("{code} {name}: {why} -> {change}").format(
                code=result["code"], name=result["name"], why=result["why"], change=change
            )
        )
        return
    if not to:
        raise Invalid(_("grade: give a GRADE (A, B or C) with --reason, or --suggest"))
    from bizops.services.customers import set_grade

    with st.write() as (session, actor):
        view = set_grade(
            session,
            actor=actor,
            ref=customer,
            grade=to,
            reason=reason,
            policy=st.policy(),
            today=st.today,
        )
    say(
        _("{code} {name}: grade {before} -> {after}; next follow-up {next_due}.").format(
            code=view["code"],
            name=view["name"],
            before=view["from_grade"],
            after=view["grade"],
            next_due=view["next_due"] or _("none"),
        )
    )


@app.command("regrade")
def regrade(
    all_: Annotated[bool, typer.Option("--all", help="Every active customer.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only list the suggested changes.")
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """Regrade every customer by the policy's rules; --dry-run lists the changes only.

    Example: bizops customer regrade --all --dry-run
    """
    from bizops.domain.errors import Invalid
    from bizops.services.customers import regrade as run_regrade
    from bizops.services.customers import regrade_row

    if not all_:
        raise Invalid(_("regrade: give --all (every active customer); add --dry-run to preview"))
    st = state()
    if dry_run:
        with st.read() as session:
            changes = run_regrade(
                session,
                actor=st.actor(session),
                policy=st.policy(),
                today=st.today,
                dry_run=True,
            )
    else:
        with st.write() as (session, actor):
            changes = run_regrade(
                session, actor=actor, policy=st.policy(), today=st.today, dry_run=False
            )
    emit_rows(
        [regrade_row(c) for c in changes],
        CUSTOMER_REGRADE,
        fmt=fmt,
        output=output,
        limit=limit,
        title=_("Suggested grade changes") if dry_run else _("Grade changes applied"),
        empty=_("Every customer already has the grade the policy suggests."),
        headers=headers,
    )
    if not dry_run and changes:
        note(_("Regraded {count} customer(s).").format(count=len(changes)))
