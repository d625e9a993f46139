"""bizops report: the daily reminder report (for cron) and the metrics of the standard."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from bizops.cli.context import state
from bizops.cli.output import (
    Col,
    FormatOption,
    LimitOption,
    OutputOption,
    emit_object,
    emit_rows,
    note,
    say,
)

app = typer.Typer(
    help="Reminder reports for cron, and the metrics of the standard.", no_args_is_help=True
)


class DailyFormat(StrEnum):
    text = "text"
    md = "md"
    html = "html"
    json = "json"


FromOption = Annotated[
    str | None,
    typer.Option(
        "--from", help="First day of the period (default: 30 days before --to).", show_default=False
    ),
]
ToOption = Annotated[
    str | None, typer.Option("--to", help="Last day of the period (default: today).")
]


def _period(start: str | None, end: str | None) -> tuple[Any, Any]:
    from bizops.domain.dates import parse_date

    today = state().today
    first = parse_date(start, today, field="--from") if start else None
    last = parse_date(end, today, field="--to") if end else None
    return first, last


@app.command("daily")
def daily(
    owner: Annotated[
        str | None,
        typer.Option("--owner", help="This user's report (default: yours).", show_default=False),
    ] = None,
    everyone: Annotated[
        bool, typer.Option("--all", help="One report per active user (managers, gm, admin).")
    ] = False,
    fmt: Annotated[
        DailyFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text, md, html or json (default: from -o, else text).",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
    send: Annotated[
        bool, typer.Option("--send", help="Mail each user their own report (once a day).")
    ] = False,
    quiet_if_empty: Annotated[
        bool,
        typer.Option(
            "--quiet-if-empty", help="Print nothing (exit 0) when there is nothing to do."
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="With --send: send again even if sent today.")
    ] = False,
    new_days: Annotated[
        int,
        typer.Option("--new-days", min=0, help="New customers: created within this many days."),
    ] = 7,
) -> None:
    """What to do today: overdue and due follow-ups, approvals, contract notices, milestones,
    new customers never contacted; managers also get the team's overdue summary.

    Cron-safe: no colour, no prompts; exit 1 if any mail failed.

    Example: bizops --as mia report daily --all --send --quiet-if-empty
    """
    from bizops.domain.errors import Invalid
    from bizops.reports.daily import is_empty
    from bizops.reports.render import format_for, json_text, render_daily
    from bizops.services.reports import daily_reports, send_daily

    if owner and owner.strip().lower() == "all" and not everyone:
        # As in `followups due --owner all`: everyone's report.
        owner, everyone = None, True
    if owner and everyone:
        raise Invalid("--owner and --all cannot be used together; give one of them")
    if force and not send:
        raise Invalid("--force only applies with --send (it sends again what was sent today)")
    st = state()
    policy = st.policy()
    if send:
        from bizops.reports.mailer import check_settings

        check_settings(policy.mail)
    today = st.today
    with st.read() as session:
        actor = st.actor(session, required=True)
        assert actor is not None
        actor_login = actor.login
        reports = daily_reports(
            session,
            actor=actor,
            policy=policy,
            today=today,
            owner=owner,
            everyone=everyone,
            new_days=new_days,
        )
    shown = [r for r in reports if not is_empty(r)] if quiet_if_empty else reports

    chosen = format_for(fmt.value if fmt else None, output)
    if shown and (output is not None or not send):
        if chosen == "json" and not everyone:
            text = json_text(shown[0])
        else:
            text = render_daily(shown, chosen, today=today.isoformat())
        _write(text, output)

    if not send:
        return
    outcome = send_daily(
        st.database(), actor=actor_login, reports=reports, policy=policy, today=today, force=force
    )
    for item in outcome.sent:
        say(f"sent: {item['user']} <{item['email']}> ({item['items']} item(s))")
    for item in outcome.skipped:
        if quiet_if_empty and item["reason"] in ("nothing to report", "already sent today"):
            continue
        say(f"skipped: {item['user']} — {item['reason']}")
    for item in outcome.failed:
        note(f"Error: mail to {item['user']} <{item['email']}> failed: {item['error']}")
    if outcome.failed:
        raise typer.Exit(1)


def _write(text: str, output: Path | None) -> None:
    from bizops.cli.output import render_text

    render_text(text, output)


FUNNEL_COLUMNS = [
    Col("stage", "Stage"),
    Col("current", "Now", justify="right"),
    Col("entered", "Entered", justify="right"),
    Col("moved_on", "Moved on", justify="right"),
    Col("conversion", "Conversion %", justify="right"),
    Col("median_days", "Median days", justify="right"),
    Col("average_days", "Average days", justify="right"),
    Col("stays", "Stays", justify="right"),
]


@app.command("funnel")
def funnel(
    start: FromOption = None,
    end: ToOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """Pipeline funnel: per stage, customers now, entered and moved on in the period,
    conversion, and median/average days in the stage.

    Example: bizops report funnel --from 2026-01-01 --to 2026-06-30 --format json
    """
    from bizops.services.reports import funnel_report

    first, last = _period(start, end)
    with state().read() as session:
        rows = funnel_report(session, today=state().today, start=first, end=last)
    emit_rows(rows, FUNNEL_COLUMNS, fmt=fmt, output=output, limit=limit, title="Pipeline funnel")


COMPLIANCE_COLUMNS = [
    Col("group", "Group"),
    Col("due", "Due", justify="right"),
    Col("on_time", "On time", justify="right"),
    Col("late", "Late", justify="right"),
    Col("missed", "Missed", justify="right"),
    Col("pending", "Pending", justify="right"),
    Col("rate", "On time %", justify="right"),
]


class ComplianceBy(StrEnum):
    owner = "owner"
    grade = "grade"


@app.command("compliance")
def compliance(
    start: FromOption = None,
    end: ToOption = None,
    by: Annotated[
        ComplianceBy, typer.Option("--by", help="Group by owner or grade.")
    ] = ComplianceBy.owner,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """Follow-up compliance, the measure of the standard: of the follow-ups that fell due in
    the period, the share done on time, per owner or grade, and overall.

    Example: bizops report compliance --from 2026-11-01 --to 2026-11-30 --by grade
    """
    from bizops.services.reports import compliance_report

    first, last = _period(start, end)
    with state().read() as session:
        rows = compliance_report(session, today=state().today, start=first, end=last, by=by.value)
    emit_rows(
        rows,
        [Col("by", "By"), *COMPLIANCE_COLUMNS],
        fmt=fmt,
        output=output,
        limit=limit,
        title=f"Follow-up compliance by {by.value}",
    )


CONTRACT_COLUMNS = [
    Col("section", "Section"),
    Col("key", "What"),
    Col("currency", "Currency"),
    Col("count", "Count", justify="right"),
    Col("value", "Value", justify="right"),
    Col("detail", "Detail"),
]


@app.command("contracts")
def contracts(
    start: FromOption = None,
    end: ToOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """Contracts: count and value by status, approval cycle time, non-standard ratio,
    expiring within 30/60/90 days, overdue milestones.

    Example: bizops report contracts --from 2026-01-01 --format json
    """
    from bizops.cli.output import Format, resolve_format
    from bizops.reports.metrics import contracts_rows
    from bizops.services.reports import contracts_report

    first, last = _period(start, end)
    with state().read() as session:
        report = contracts_report(session, today=state().today, start=first, end=last)
    if resolve_format(fmt, output) is Format.json:
        emit_object(report, fmt=Format.json, output=output)
        return
    emit_rows(
        contracts_rows(report),
        CONTRACT_COLUMNS,
        fmt=fmt,
        output=output,
        limit=limit,
        title=f"Contracts {report['from']} – {report['to']}",
    )
