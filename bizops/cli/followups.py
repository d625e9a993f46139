"""bizops followups: log interactions, see what is due, plan, snooze, history, calendar."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bizops.cli.context import state
from bizops.cli.output import (
    Col,
    ColumnsOption,
    FormatOption,
    HeadersOption,
    LimitOption,
    Listing,
    OffsetOption,
    OutputOption,
    WideOption,
    emit_rows,
    note,
    say,
    value_label,
    with_weekday,
    write_bytes,
)
from bizops.cli.output.columns import by_due
from bizops.cli.output.written import WriteFormatOption, emit_written, wants_json
from bizops.domain.errors import Invalid
from bizops.i18n import N_, _
from bizops.services.followups.rows import DueFollowUp, HistoryRow

app = typer.Typer(help="Follow-ups: log interactions and see what is due.", no_args_is_help=True)


def _days(value: Any) -> str:
    return str(value) if value else ""


def _on_time(value: Any) -> str:
    if value is None:
        return ""
    return _("on time") if value else _("late")


DUE = Listing(
    name="followups_due",
    priority=("customer", "due", "days_overdue", "code", "id", "last_contact", "channel"),
    urgency=by_due("due"),
    fields=DueFollowUp,
    columns=(
        Col("id", N_("ID"), justify="right"),
        Col("code", N_("Code")),
        Col("customer", N_("Customer")),
        Col("grade", N_("Grade")),
        Col("stage", N_("Stage")),
        Col("owner", N_("Owner")),
        Col("due", N_("Due")),
        Col("days_overdue", N_("Overdue"), fmt=_days, justify="right"),
        Col("last_contact", N_("Last contact")),
        Col("channel", N_("Channel")),
    ),
)

HISTORY = Listing(
    name="followups_list",
    priority=("date", "type", "summary", "via", "status", "due"),
    fields=HistoryRow,
    columns=(
        Col("date", N_("Date")),
        Col("type", N_("Type")),
        Col("id", N_("ID"), justify="right"),
        Col("via", N_("Via")),
        Col("summary", N_("Summary")),
        Col("contact", N_("Contact")),
        Col("outcome", N_("Outcome")),
        Col("by", N_("By")),
        Col("due", N_("Due")),
        Col("status", N_("Status")),
        Col("on_time", N_("On time"), fmt=_on_time),
        Col("days_late", N_("Days late"), fmt=_days, justify="right"),
        Col("purpose", N_("Purpose")),
        Col("place", N_("Place")),
        Col("next_action", N_("Next action")),
    ),
)

OwnerOption = Annotated[
    str | None,
    typer.Option(
        "--owner",
        help="Whose follow-ups: a user, or 'all'. Default: yours (a manager's: everyone's).",
        show_default=False,
    ),
]
WithinOption = Annotated[
    str | None,
    typer.Option(
        "--within", help="Also what falls due within this period: 7d, 2w, 1m.", show_default=False
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option("--until", help="Also what falls due up to this date.", show_default=False),
]


@app.command("log")
def log(
    customer: Annotated[str, typer.Argument(help="Customer code, id or name.")],
    via: Annotated[
        str, typer.Option("--via", help="phone, email, visit, meeting, wechat or other.")
    ],
    summary: Annotated[str, typer.Option("--summary", help="What was discussed.")],
    contact: Annotated[
        str | None, typer.Option("--contact", help="Who you spoke to.", show_default=False)
    ] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="What came of it.", show_default=False)
    ] = None,
    next_due: Annotated[
        str | None,
        typer.Option(
            "--next", help="Next follow-up date (default: the cadence).", show_default=False
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="When it happened: a date or 'DATE HH:MM' (default: now).",
            show_default=False,
        ),
    ] = None,
    purpose: Annotated[
        str | None,
        typer.Option("--purpose", help="What the contact was for (拜访目的).", show_default=False),
    ] = None,
    place: Annotated[
        str | None, typer.Option("--place", help="Where it happened (地点).", show_default=False)
    ] = None,
    next_action: Annotated[
        str | None,
        typer.Option("--next-action", help="What comes next (下一步).", show_default=False),
    ] = None,
    fmt: WriteFormatOption = None,
) -> None:
    """Log an interaction: closes the open follow-up and schedules the next one.

    The first contact logged with a prospect moves it to contacted.

    Example: bizops followups log C0042 --via visit --summary "谈了报价" --next-action "寄样品"
    """
    from bizops.services.followups import log_followup
    from bizops.services.followups.log import Details

    st = state()
    with st.write() as (session, actor):
        result = log_followup(
            session,
            actor=actor,
            customer=customer,
            via=via,
            summary=summary,
            contact=contact,
            outcome=outcome,
            next_due=next_due,
            at=at,
            policy=st.policy(),
            today=st.today,
            now=st.now(),
            details=Details(purpose=purpose, place=place, next_action=next_action),
        )
        shown = _logged(session, result, st.today) if wants_json(fmt) else None
    emit_written(shown, fmt, text=_logged_lines(result))


def _logged(session: Any, result: Any, today: Any) -> Any:
    from bizops.services.followups.customer_history import logged_view

    return logged_view(
        session,
        customer=result.customer_code,
        interaction_id=result.interaction_id,
        closed_id=result.closed.id if result.closed is not None else None,
        next_id=result.next_id,
        today=today,
    )


def _logged_lines(result: Any) -> list[str]:
    lines = [
        _("Logged {via} with {code} {name} on {day}.").format(
            via=value_label("channel", result.via),
            code=result.customer_code,
            name=result.customer_name,
            day=result.on.isoformat(),
        )
    ]
    if result.moved_to is not None:
        lines.append(
            _("First contact: {code} moved to {stage}.").format(
                code=result.customer_code, stage=value_label("stage", result.moved_to)
            )
        )
    if result.history_only:
        lines.append(_("Older than the last contact: kept as history; the schedule is unchanged."))
    elif result.closed is not None:
        closed = result.closed
        if closed.on_time:
            state_text = _("on time")
        else:
            state_text = _("{days} day(s) late").format(days=closed.days_late)
        lines.append(
            _("Closed follow-up {id} (due {due}): {state}.").format(
                id=closed.id, due=closed.due.isoformat(), state=state_text
            )
        )
    if result.next_due is not None:
        lines.append(
            _("Next follow-up {id}: due {due}.").format(
                id=result.next_id, due=with_weekday(result.next_due)
            )
        )
    else:
        lines.append(
            _("No follow-up scheduled: the customer is out of the pipeline (lost or dormant).")
        )
    return lines


@app.command("due")
def due(
    owner: OwnerOption = None,
    within: WithinOption = None,
    until: UntilOption = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue follow-ups.")] = False,
    grade: Annotated[
        str | None, typer.Option("--grade", help="Only this grade: A, B or C.", show_default=False)
    ] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """What is overdue and due today (or within a period), most urgent first.

    Order: most days overdue, then grade (A, B, C), then due date, then customer code.

    Example: bizops followups due --within 7d --format json
    """
    from bizops.services.followups import due_rows, owner_scope, window_until

    if overdue and (within is not None or until is not None):
        # Overdue is what fell due before today; a window reaches forward from today, and
        # already includes everything overdue: together they would drop the window unsaid.
        raise Invalid(
            _(
                "--overdue and {option} cannot be used together: --overdue lists what fell due "
                "before today; {option} lists that and what falls due up to then"
            ).format(option="--within" if within is not None else "--until")
        )
    st = state()
    today = st.today
    last_day = window_until(today, within=within, until=until)
    with st.read() as session:
        actor = st.actor(session, required=False) if owner is None else None
        owner_ids = owner_scope(session, actor=actor, owner=owner)
        rows = due_rows(
            session,
            owner_ids=owner_ids,
            until=last_day,
            today=today,
            policy=st.policy(),
            overdue_only=overdue,
            grade=grade,
            limit=limit,
            offset=offset,
        )
        if overdue:
            title = _("Follow-ups — Overdue")
        else:
            title = _("Follow-ups — Due up to {day}").format(day=last_day.isoformat())
        emit_rows(
            rows,
            DUE,
            fmt=fmt,
            output=output,
            limit=limit,
            title=title,
            empty=_("Nothing due. Well done."),
            headers=headers,
        )


@app.command("plan")
def plan(
    customer: Annotated[str, typer.Argument(help="Customer code, id or name.")],
    due_on: Annotated[str, typer.Option("--due", help="When: a date, +3d, fri, ...")],
    purpose: Annotated[str, typer.Option("--purpose", help="What the follow-up is for.")],
) -> None:
    """Plan the next follow-up of a customer for a date, with a purpose.

    Example: bizops followups plan C0042 --due 2026-12-03 --purpose "送样品并确认报价"
    """
    from bizops.services.followups import plan_followup

    st = state()
    with st.write() as (session, actor):
        view = plan_followup(
            session, actor=actor, customer=customer, due=due_on, purpose=purpose, today=st.today
        )
    fields = {
        "id": view.id,
        "code": view.code,
        "customer": view.customer,
        "due": with_weekday(view.due),
        "purpose": view.purpose,
    }
    if view.previous_due:
        text = _("Planned follow-up {id} for {code} {customer}: {due} (was {was}) — {purpose}.")
        say(text.format(was=view.previous_due.isoformat(), **fields))
    else:
        say(_("Planned follow-up {id} for {code} {customer}: {due} — {purpose}.").format(**fields))


@app.command("snooze")
def snooze(
    followup: Annotated[str, typer.Argument(metavar="ID", help="Follow-up id (see `due`).")],
    to: Annotated[str, typer.Option("--to", help="New due date: today or later.")],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why (required).", show_default=False)
    ] = None,
) -> None:
    """Move an open follow-up to a later date, with a reason.

    Example: bizops followups snooze 17 --to +1w --reason "客户出差，下周回来"
    """
    from bizops.services.followups import snooze_followup

    st = state()
    with st.write() as (session, actor):
        view = snooze_followup(
            session, actor=actor, followup=followup, to=to, reason=reason, today=st.today
        )
    say(
        _("Snoozed follow-up {id} for {code} {customer}: {before} -> {after}.").format(
            id=view.id,
            code=view.code,
            customer=view.customer,
            before=view.previous_due.isoformat() if view.previous_due else "",
            after=with_weekday(view.due),
        )
    )


@app.command("list")
def list_(
    customer: Annotated[str, typer.Argument(help="Customer code, id or name.")],
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """A customer's follow-up history, newest first: the open follow-up, interactions, and
    closed follow-ups on time or late.

    Example: bizops followups list C0042 --format json
    """
    from bizops.services.followups import history

    st = state()
    with st.read() as session:
        rows = history(session, customer=customer, today=st.today)
    emit_rows(
        rows,
        HISTORY,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Follow-up history of {customer}").format(customer=customer),
        empty=_("No follow-ups or interactions yet."),
        headers=headers,
    )


@app.command("ics")
def ics(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Calendar file to write (.ics); standard output when omitted.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    owner: OwnerOption = None,
    within: Annotated[
        str | None,
        typer.Option(
            "--within", help="Follow-ups due within this period (default 30d).", show_default=False
        ),
    ] = None,
    until: UntilOption = None,
) -> None:
    """Write an RFC 5545 calendar of overdue and upcoming follow-ups, one all-day event each.

    Importing it again updates the events (stable UIDs) instead of duplicating them.

    Example: bizops followups ics --within 2w -o ~/followups.ics
    """
    from bizops.cli.output import check_output_path
    from bizops.services.followups import due_calendar, owner_scope, window_until

    if output is not None and str(output) != "-":
        check_output_path(output)  # before anything is read
    st = state()
    today = st.today
    if within is None and until is None:
        within = "30d"
    last_day = window_until(today, within=within, until=until)
    with st.read() as session:
        actor = st.actor(session, required=False) if owner is None else None
        owner_ids = owner_scope(session, actor=actor, owner=owner)
        data, count = due_calendar(
            session,
            today=today,
            now=st.now(),
            policy=st.policy(),
            owner_ids=owner_ids,
            until=last_day,
        )
    write_bytes(data, output or Path("-"))
    note(_("{count} follow-up(s) due up to {day}.").format(count=count, day=last_day.isoformat()))
