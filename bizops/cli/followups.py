"""bizops followups: log interactions, see what is due, plan, snooze, history, calendar."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bizops.cli.context import state
from bizops.cli.output import (
    Col,
    FormatOption,
    LimitOption,
    Listing,
    OutputOption,
    emit_rows,
    note,
    say,
    write_bytes,
)
from bizops.services.followups.rows import DueFollowUp, HistoryRow

app = typer.Typer(help="Follow-ups: log interactions and see what is due.", no_args_is_help=True)


def _days(value: Any) -> str:
    return str(value) if value else ""


def _on_time(value: Any) -> str:
    if value is None:
        return ""
    return "on time" if value else "late"


DUE = Listing(
    name="followups_due",
    fields=DueFollowUp,
    columns=(
        Col("id", "ID", justify="right"),
        Col("code", "Code"),
        Col("customer", "Customer"),
        Col("grade", "Grade"),
        Col("stage", "Stage"),
        Col("owner", "Owner"),
        Col("due", "Due"),
        Col("days_overdue", "Overdue", fmt=_days, justify="right"),
        Col("last_contact", "Last contact"),
        Col("channel", "Channel"),
    ),
)

HISTORY = Listing(
    name="followups_list",
    fields=HistoryRow,
    columns=(
        Col("date", "Date"),
        Col("type", "Type"),
        Col("id", "ID", justify="right"),
        Col("via", "Via"),
        Col("summary", "Summary"),
        Col("contact", "Contact"),
        Col("outcome", "Outcome"),
        Col("by", "By"),
        Col("due", "Due"),
        Col("status", "Status"),
        Col("on_time", "On time", fmt=_on_time),
        Col("days_late", "Days late", fmt=_days, justify="right"),
        Col("purpose", "Purpose"),
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
) -> None:
    """Log an interaction: closes the open follow-up and schedules the next one.

    Example: bizops followups log C0042 --via phone --summary "谈了报价" --contact "张经理" --next +1w
    """
    from bizops.services.followups import log_followup

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
        )
    say(
        f"Logged {result.via} with {result.customer_code} {result.customer_name} "
        f"on {result.on.isoformat()}."
    )
    if result.history_only:
        say("Older than the last contact: kept as history; the schedule is unchanged.")
    elif result.closed is not None:
        closed = result.closed
        state_text = "on time" if closed.on_time else f"{closed.days_late} day(s) late"
        say(f"Closed follow-up {closed.id} (due {closed.due.isoformat()}): {state_text}.")
    if result.next_due is not None:
        say(f"Next follow-up {result.next_id}: due {result.next_due.strftime('%Y-%m-%d (%a)')}.")
    else:
        say("No follow-up scheduled: the customer is out of the pipeline (lost or dormant).")


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
) -> None:
    """What is overdue and due today (or within a period), most urgent first.

    Order: most days overdue, then grade (A, B, C), then due date, then customer code.

    Example: bizops followups due --within 7d --format json
    """
    from bizops.services.followups import due_rows, owner_scope, window_until

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
        )
        heading = "Overdue" if overdue else f"Due up to {last_day.isoformat()}"
        emit_rows(
            rows,
            DUE,
            fmt=fmt,
            output=output,
            limit=limit,
            title=f"Follow-ups — {heading}",
            empty="Nothing due. Well done.",
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
    was = f" (was {view.previous_due.isoformat()})" if view.previous_due else ""
    say(
        f"Planned follow-up {view.id} for {view.code} {view.customer}: "
        f"{view.due.strftime('%Y-%m-%d (%a)')}{was} — {view.purpose}."
    )


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
        f"Snoozed follow-up {view.id} for {view.code} {view.customer}: "
        f"{view.previous_due.isoformat() if view.previous_due else ''} -> "
        f"{view.due.strftime('%Y-%m-%d (%a)')}."
    )


@app.command("list")
def list_(
    customer: Annotated[str, typer.Argument(help="Customer code, id or name.")],
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
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
        title=f"Follow-up history of {customer}",
        empty="No follow-ups or interactions yet.",
    )


@app.command("ics")
def ics(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Calendar file to write (.ics).", dir_okay=False),
    ],
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
    from bizops.services.followups import due_calendar, owner_scope, window_until

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
    write_bytes(data, output)
    note(f"{count} follow-up(s) due up to {last_day.isoformat()}.")
