"""bizops audit: log, verify."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bizops.cli.context import state
from bizops.cli.output import (
    Col,
    ColumnsOption,
    FormatOption,
    HeadersOption,
    LimitOption,
    OffsetOption,
    OutputOption,
    WideOption,
    emit_object,
    emit_rows,
    say,
)
from bizops.i18n import N_, _

app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)


def _brief(value: object) -> str:
    if not value:
        return ""
    if isinstance(value, dict):
        text = ", ".join(f"{k}={v}" for k, v in value.items() if v not in (None, "", []))
        return text if len(text) <= 80 else text[:77] + "..."
    return str(value)


COLUMNS = [
    Col("id", "#", justify="right"),
    Col("at", N_("At (UTC)"), fmt=lambda v: v.replace("T", " ")[:16] if v else ""),
    Col("actor", N_("Actor")),
    Col("action", N_("Action")),
    Col("entity", N_("Entity")),
    Col("entity_id", N_("Id")),
    Col("after", N_("After"), fmt=_brief),
]


@app.command("log")
def log(
    entity: Annotated[
        str | None, typer.Option("--entity", help="TYPE or TYPE:ID, e.g. contract:HT-2026-0001.")
    ] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Only this user's events.")] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="Action prefix, e.g. contract.")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this date, e.g. -7d.")] = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """Show audit events, newest first.

    Example: bizops audit log --entity customer:C0001 --since -30d
    """
    from bizops.domain.dates import parse_date
    from bizops.services.audit import audit_log

    since_day = parse_date(since, state().today, field="--since") if since else None
    with state().read() as session:
        rows = audit_log(
            session,
            entity=entity,
            actor=actor,
            action=action,
            since=since_day,
            limit=limit or 0,
            offset=offset,
        )
    emit_rows(
        rows,
        COLUMNS,
        fmt=fmt,
        output=output,
        limit=limit,
        title=_("Audit log"),
        empty=_("No audit events match."),
        headers=headers,
    )


@app.command("anchor")
def anchor(fmt: FormatOption = None) -> None:
    """Print the head of the log (event count and hash) to keep where the database is not.

    Example: bizops audit anchor >> ~/audit-anchors.txt
    """
    from bizops.services.audit import current_anchor

    with state().read() as session:
        view = current_anchor(session)
    if fmt is None or fmt == "table":
        say(view["anchor"])
        return
    emit_object(dict(view), fmt=fmt, title=_("Audit anchor"))


@app.command("verify")
def verify(
    anchor: Annotated[
        list[str] | None,
        typer.Option(
            "--anchor",
            help="COUNT:HASH from `audit anchor`: prove the history up to it is unchanged "
            "(repeatable).",
        ),
    ] = None,
    anchors: Annotated[
        Path | None, typer.Option("--anchors", help="A file of anchors, one a line.")
    ] = None,
    deep: Annotated[
        bool,
        typer.Option(
            "--deep",
            help="Also replay the log and compare users, contracts, approvals, customers, "
            "milestones, receipts, invoices, payments and write-offs with the tables.",
        ),
    ] = False,
) -> None:
    """Recompute the hash chain; name every edited, deleted or reordered event (exit 1 if any).

    Example: bizops audit verify --anchors ~/audit-anchors.txt --deep
    """
    from bizops.domain.errors import StorageError
    from bizops.services.audit import parse_anchor, read_anchors
    from bizops.services.audit import verify as run_verify

    given = [parse_anchor(a) for a in anchor or []]
    if anchors is not None:
        given += read_anchors(anchors)
    with state().read() as session:
        result = run_verify(session, anchors=given, deep=deep)
    if result.problems:
        raise StorageError(
            _("audit chain broken: {count} problem(s) in {events} events").format(
                count=len(result.problems), events=result.events
            ),
            details=[p.problem for p in result.problems] + [d.message for d in result.differences],
        )
    if result.differences:
        raise StorageError(
            _("the tables differ from the audit log in {count} place(s)").format(
                count=len(result.differences)
            ),
            details=[d.message for d in result.differences],
        )
    say(_("Audit chain OK: {events} events verified.").format(events=result.events))
    if given:
        say(_("All {count} anchor(s) hold.").format(count=len(given)))
    if deep:
        say(_("The tables match what the log implies."))
