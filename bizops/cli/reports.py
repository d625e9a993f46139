"""bizops report: the daily reminder report (for cron) and the metrics of the standard."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from bizops.cli import money_reports
from bizops.cli.context import state
from bizops.cli.errors import error_line
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
    emit_object,
    emit_rows,
    note,
    say,
)
from bizops.i18n import N_, _
from bizops.reports.metric_rows import ComplianceRow, ContractRow, FunnelRow
from bizops.services.views.quotes import QuoteStatsRow

if TYPE_CHECKING:
    from bizops.domain.policy import Policy
    from bizops.reports.daily import DailyReport

app = typer.Typer(
    help="Reminder reports for cron, and the metrics of the standard.", no_args_is_help=True
)


class DeliveryVia(StrEnum):
    email = "email"
    wecom = "wecom"
    dingtalk = "dingtalk"


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


@contextmanager
def _daily_reports(
    owner: str | None, everyone: bool, new_days: int, *, send: bool, force: bool, via: str | None
) -> Iterator[tuple[Iterator[DailyReport], str]]:
    """The reports asked for, each built as it is taken while the read lasts, and the acting
    user's login."""
    from bizops.domain.errors import Invalid
    from bizops.services.reports import iter_daily_reports

    if owner and owner.strip().lower() == "all" and not everyone:
        # As in `followups due --owner all`: everyone's report.
        owner, everyone = None, True
    if owner and everyone:
        raise Invalid(_("--owner and --all cannot be used together; give one of them"))
    if force and not send:
        raise Invalid(_("--force only applies with --send (it sends again what was sent today)"))
    st = state()
    policy = st.policy()
    if via and not send:
        raise Invalid(_("--via only applies with --send (it says where to deliver)"))
    if send:
        from bizops.reports.channels import check_channel

        check_channel(policy.mail, via or policy.mail.via)
    _return_idle_customers(policy)
    with st.read() as session:
        actor = st.actor(session, required=True)
        assert actor is not None
        reports = iter_daily_reports(
            session,
            actor=actor,
            policy=policy,
            today=st.today,
            owner=owner,
            everyone=everyone,
            new_days=new_days,
        )
        yield reports, actor.login


def _return_idle_customers(policy: Policy) -> None:
    """``pool.return_after_days``: idle customers go back to the pool as the report runs (one
    transaction, an audit event each), so that their former owners' reports say so. In team
    mode only the run of the real day returns customers: a report may look at another day
    (--today), a write may not."""
    from datetime import date

    if policy.pool_return_after_days <= 0:
        return
    st = state()
    if not st.database().is_sqlite and st.today != date.today():
        return
    from bizops.services.customers import return_idle_customers

    with st.write() as (session, actor):
        return_idle_customers(session, actor=actor, policy=policy, today=st.today)


def _print_reports(
    reports: list[DailyReport], fmt: DailyFormat | None, output: Path | None, *, many: bool
) -> None:
    from bizops.cli.output import render_text
    from bizops.reports.render import format_for, json_text, render_daily

    chosen = format_for(fmt.value if fmt else None, output)
    if chosen == "json" and not many:
        text = json_text(reports[0])
    else:
        text = render_daily(reports, chosen, today=state().today.isoformat())
    render_text(text, output)


def _stream_json(reports: Iterable[DailyReport], output: Path | None) -> None:
    """Several reports as JSON (the bytes of ``json_text`` of the list), each written as soon
    as it is built and dropped before the next is built; nothing at all without a report."""
    import json

    from bizops.cli.output import Target, check_output_path, note, open_text

    items = iter(reports)
    first = next(items, None)
    if first is None:
        return
    path = None if output is None or str(output) == "-" else check_output_path(output)
    with open_text(Target("json", path)) as stream:
        stream.write("[\n" + json.dumps(first, ensure_ascii=False))
        del first
        for report in items:
            stream.write(",\n" + json.dumps(report, ensure_ascii=False))
        stream.write("\n]\n")
        stream.flush()
    if path is not None:
        note(_("Wrote {path}").format(path=path))


def _stream_text(reports: Iterable[DailyReport], fmt: str, output: Path | None) -> None:
    """Reports as text, Markdown or HTML (the bytes of ``render_daily``), each written as the
    document reaches it and dropped before the next is built; nothing at all without a
    report."""
    from itertools import chain

    from bizops.cli.output import Target, check_output_path, note, open_text
    from bizops.reports.render import stream_daily

    items = iter(reports)
    first = next(items, None)
    if first is None:
        return
    everyone = chain((first,), items)
    del first
    path = None if output is None or str(output) == "-" else check_output_path(output)
    with open_text(Target("text", path)) as stream:
        pending: list[str] = []
        for piece in stream_daily(everyone, fmt, today=state().today.isoformat()):
            pending.append(piece)
            if len(pending) >= 4096:  # the template's pieces are small: write them in runs
                stream.write("".join(pending))
                pending.clear()
        stream.write("".join(pending))
        stream.flush()
    if path is not None:
        note(_("Wrote {path}").format(path=path))


def _stream(reports: Iterable[DailyReport], fmt: str, output: Path | None, *, quiet: bool) -> None:
    """The reports in ``fmt``, each written as soon as it is built (``--quiet-if-empty``:
    those with something to do)."""
    from bizops.reports.daily import is_empty

    wanted = (r for r in reports if not (quiet and is_empty(r)))
    if fmt == "json":
        _stream_json(wanted, output)
    else:
        _stream_text(wanted, fmt, output)


# Why a report was not mailed, as the mailing service says it (kept in its log in English);
# with --quiet-if-empty the first two are not worth a line.
QUIET_REASONS = ("nothing to report", "already sent today")
SKIP_REASONS = {
    "nothing to report": N_("nothing to report"),
    "no email address": N_("no email address"),
    "already sent today": N_("already sent today"),
    "being sent by another run": N_("being sent by another run"),
    "delivery uncertain (the connection dropped after sending); --force sends again": N_(
        "delivery uncertain (the connection dropped after sending); --force sends again"
    ),
}


def _reason(reason: str) -> str:
    """A skipped report's reason (English in the mail log) in the interface language."""
    if reason in SKIP_REASONS:
        return _(SKIP_REASONS[reason])
    if found := re.fullmatch(r"no (\w+) robot", reason):
        return _("no {via} robot").format(via=found[1])
    if found := re.fullmatch(r"robot (.+) has no url", reason):
        return _("robot {name} has no url").format(name=found[1])
    return reason


def _where(item: dict[str, Any]) -> str:
    """``<alice@example.com>`` for a mail, ``wecom robot east`` for a robot."""
    if item.get("via", "email") == "email":
        return f"<{item['email']}>"
    return _("{via} robot {name}").format(via=item["via"], name=item["to"])


def _send(
    actor: str, reports: list[DailyReport], *, force: bool, quiet: bool, via: str | None
) -> None:
    from bizops.services.reports import send_daily

    st = state()
    outcome = send_daily(
        st.database(),
        actor=actor,
        reports=reports,
        policy=st.policy(),
        today=st.today,
        force=force,
        via=via,
    )
    for item in outcome.sent:
        say(
            _("sent: {user} {where} ({items} item(s))").format(
                user=item["user"], where=_where(item), items=item["items"]
            )
        )
    for item in outcome.skipped:
        if quiet and item["reason"] in QUIET_REASONS:
            continue
        reason = _reason(item["reason"])
        say(_("skipped: {user} — {reason}").format(user=item["user"], reason=reason))
    for item in outcome.failed:
        if item.get("via", "email") == "email":
            failed = _("mail to {user} {where} failed: {error}")
        else:
            failed = _("message to {user} {where} failed: {error}")
        note(error_line(failed.format(user=item["user"], where=_where(item), error=item["error"])))
    for item in outcome.uncertain:
        uncertain = _(
            "delivery to {user} {where} is uncertain: {error}; not sent again "
            "(check with {user}; --force sends it again)"
        )
        note(
            error_line(uncertain.format(user=item["user"], where=_where(item), error=item["error"]))
        )
    if outcome.failed or outcome.uncertain:
        raise typer.Exit(1)


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
        bool,
        typer.Option(
            "--send",
            help="Send each user their own report (once a day): by mail, or to their team's "
            "WeCom or DingTalk robot (--via).",
        ),
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
    via: Annotated[
        DeliveryVia | None,
        typer.Option(
            "--via",
            help="With --send: email, wecom or dingtalk (default: mail.via of the policy).",
            show_default=False,
        ),
    ] = None,
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
    from bizops.cli.output import check_output_path
    from bizops.reports.daily import is_empty
    from bizops.reports.render import format_for

    if output is not None and str(output) != "-":
        check_output_path(output)  # before anything is read, let alone sent
    channel = via.value if via else None
    many = everyone or bool(owner and owner.strip().lower() == "all")
    with _daily_reports(owner, everyone, new_days, send=send, force=force, via=channel) as (
        built,
        actor,
    ):
        chosen = format_for(fmt.value if fmt else None, output)
        if not send and (many or chosen != "json"):
            # One report at a time, each written as it is built: memory does not grow with
            # the team (one report as JSON is indented, below).
            _stream(built, chosen, output, quiet=quiet_if_empty)
            return
        reports = list(built)
    shown = [r for r in reports if not is_empty(r)] if quiet_if_empty else reports
    if shown and (output is not None or not send):
        _print_reports(shown, fmt, output, many=many)
    if send:
        _send(actor, reports, force=force, quiet=quiet_if_empty, via=channel)


FUNNEL = Listing(
    name="report_funnel",
    fields=FunnelRow,
    columns=(
        Col("stage", N_("Stage")),
        Col("current", N_("Now"), justify="right"),
        Col("entered", N_("Entered"), justify="right"),
        Col("moved_on", N_("Moved on"), justify="right"),
        Col("conversion", N_("Conversion %"), justify="right"),
        Col("median_days", N_("Median days"), justify="right"),
        Col("average_days", N_("Average days"), justify="right"),
        Col("stays", N_("Stays"), justify="right"),
        Col("quotes_sent", N_("Quotes sent"), justify="right"),
        Col("quotes_accepted", N_("Quotes accepted"), justify="right"),
        Col("quotes_rejected", N_("Quotes rejected"), justify="right"),
    ),
)


@app.command("funnel")
def funnel(
    start: FromOption = None,
    end: ToOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """Pipeline funnel: per stage, customers now, entered and moved on in the period,
    conversion, median/average days in the stage, and the quotes sent, accepted and rejected
    in the period (under the stage the customer was in when each was sent).

    Example: bizops report funnel --from 2026-01-01 --to 2026-06-30 --format json
    """
    from bizops.services.reports import funnel_report

    first, last = _period(start, end)
    with state().read() as session:
        rows = funnel_report(session, today=state().today, start=first, end=last)
    emit_rows(
        rows,
        FUNNEL,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Pipeline funnel"),
        headers=headers,
    )


COMPLIANCE = Listing(
    name="report_compliance",
    fields=ComplianceRow,
    labels={"by": N_("Grouped by")},
    columns=(
        Col("by", N_("Grouped by"), kind="report_grouping"),
        Col("group", N_("Group"), kind="report_group"),
        Col("due", N_("Due"), justify="right"),
        Col("on_time", N_("On time"), justify="right"),
        Col("late", N_("Late"), justify="right"),
        Col("missed", N_("Missed"), justify="right"),
        Col("pending", N_("Pending"), justify="right"),
        Col("rate", N_("On time %"), justify="right"),
    ),
)


class ComplianceBy(StrEnum):
    owner = "owner"
    grade = "grade"


COMPLIANCE_TITLES = {
    "owner": N_("Follow-up compliance by owner"),
    "grade": N_("Follow-up compliance by grade"),
}


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
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
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
        COMPLIANCE,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_(COMPLIANCE_TITLES[by.value]),
        headers=headers,
    )


CONTRACTS = Listing(
    name="report_contracts",
    fields=ContractRow,
    columns=(
        Col("section", N_("Section"), kind="report_section"),
        Col("key", N_("What"), kind="report_figure"),
        Col("currency", N_("Currency")),
        Col("count", N_("Count"), justify="right"),
        Col("value", N_("Value"), justify="right"),
        Col("detail", N_("Detail")),
    ),
)


@app.command("contracts")
def contracts(
    start: FromOption = None,
    end: ToOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
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
        if limit or offset:
            note(_("--limit and --offset are ignored: the JSON report is one object"))
        emit_object(cast(dict[str, Any], report), fmt=Format.json, output=output)
        return
    emit_rows(
        contracts_rows(report),
        CONTRACTS,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Contracts {start} – {end}").format(start=report["from"], end=report["to"]),
        headers=headers,
    )


app.command("receivables")(money_reports.receivables)
app.command("payables")(money_reports.payables)


QUOTES = Listing(
    name="report_quotes",
    fields=QuoteStatsRow,
    columns=(
        Col("owner", N_("Owner")),
        Col("sent", N_("Sent"), justify="right"),
        Col("accepted", N_("Accepted"), justify="right"),
        Col("rejected", N_("Rejected"), justify="right"),
        Col("expired", N_("Expired"), justify="right"),
        Col("open", N_("Open"), justify="right"),
        Col("win_rate", N_("Win rate %"), justify="right"),
        Col("average_discount", N_("Avg. discount %"), justify="right"),
        Col("average_days_to_accept", N_("Days to accept"), justify="right"),
    ),
)


@app.command("quotes")
def quotes(
    start: FromOption = None,
    end: ToOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """Quotations per owner: sent, accepted, rejected, expired, the win rate, the average
    discount and the days from sending to acceptance (default: the last 90 days).

    Example: bizops report quotes --from 2026-10-01 --format json
    """
    from bizops.services.quotes import quote_stats

    first, last = _period(start, end)
    with state().read() as session:
        rows = quote_stats(session, today=state().today, start=first, end=last)
    emit_rows(
        rows,
        QUOTES,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Quotations sent, per owner"),
        empty=_("No quotations were sent in the period."),
        headers=headers,
    )
