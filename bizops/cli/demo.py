"""bizops demo: build a separate demo database and show where to go from there."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bizops.cli.context import state
from bizops.cli.output import emit_rows, say

if TYPE_CHECKING:
    from bizops.services.demo import DemoSummary
    from bizops.store.engine import Database

SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def _sqlite_file(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser().resolve()


def _same_database(a: str, b: str) -> bool:
    from sqlalchemy.engine import make_url

    file_a, file_b = _sqlite_file(a), _sqlite_file(b)
    if file_a is not None or file_b is not None:
        return file_a == file_b
    return make_url(a).render_as_string(hide_password=True) == make_url(b).render_as_string(
        hide_password=True
    )


def _target(db: str | None) -> str:
    """The demo database's URL: ``--db``, else ``demo.db`` in the data directory."""
    from sqlalchemy.engine import make_url

    from bizops.domain.errors import Conflict, Invalid
    from bizops.store.engine import default_data_dir, resolve_url

    if db is None or not db.strip():
        data_dir = default_data_dir()
        data_dir.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{(data_dir / 'demo.db').resolve()}"
    else:
        url = resolve_url(db)
        if url.startswith("sqlite://") and _sqlite_file(url) is None:
            raise Invalid("--db: the demo needs a file (or PostgreSQL), not an in-memory database")
    own = resolve_url(state().db_url)
    if _same_database(url, own):
        shown = _sqlite_file(url) or make_url(url).render_as_string(hide_password=True)
        raise Conflict(
            f"--db: {shown} is your own database (from BIZOPS_DB or the global --db); "
            "the demo is built in a separate database: give `bizops demo` another --db"
        )
    return url


def _clear(path: Path, *, force: bool) -> None:
    from bizops.domain.errors import Conflict, Invalid

    if path.is_dir():
        raise Invalid(f"--db: {path} is a directory; give a file path such as {path / 'demo.db'}")
    if not path.exists():
        return
    if not force:
        raise Conflict(
            f"--db: {path} already exists; add --force to replace it with a fresh demo "
            "(or give another --db)"
        )
    for suffix in ("", *SQLITE_SIDE_FILES):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _prefix(database: Database) -> str:
    import shlex

    where = str(database.path) if database.path is not None else database.display_url
    prefix = f"bizops --db {shlex.quote(where)}"
    if state().today_text:
        prefix += f" --today {state().today.isoformat()}"
    return prefix


def _report(database: Database, summary: DemoSummary, first_due: str | None) -> None:
    from bizops.services.demo import stage_counts

    c = summary.counts
    where = database.path or database.display_url
    team = ", ".join(f"{login} ({roles.replace(',', '/')})" for login, roles in summary.team)
    stages = ", ".join(f"{stage} {n}" for stage, n in stage_counts(summary))
    grades = ", ".join(f"{g} {n}" for g, n in sorted(summary.customers_by_grade.items()))
    statuses = ", ".join(f"{s} {n}" for s, n in sorted(summary.contracts_by_status.items()))
    chain = "verifies" if not summary.audit_problems else "has problems (see `bizops audit verify`)"
    say(f"Built the demo database {where} (as of {summary.today.isoformat()}):")
    say(f"  {c['users']} users: {team}")
    say(f"  {c['customers']} customers: {stages}; grades {grades}")
    say(
        f"  {c['interactions']} follow-ups logged over three months ({c['followups_late']} late); "
        f"{c['followups_overdue']} overdue now; {c['never_contacted']} customers never contacted"
    )
    say(f"  {c['contracts']} contracts: {statuses} ({c['non_standard']} non-standard)")
    say(
        f"  {c['approvals_pending']} approvals pending ({c['approval_steps_overdue']} past their "
        f"SLA), {c['amendments_pending']} amendment waiting, {c['milestones_overdue']} milestones "
        f"overdue, {c['disputes_open']} open dispute"
    )
    say(f"  {c['audit_events']} audit events; the chain {chain}")
    rep = summary.sales[0] if summary.sales else "admin"
    prefix = _prefix(database)
    say("")
    say("Try next (point any command at the demo with --db, or export BIZOPS_DB):")
    say(f"  {prefix} --as {rep} followups due")
    if first_due:
        say(f"  {prefix} --as {rep} customer show {first_due}")
        say(
            f"  {prefix} --as {rep} followups log {first_due} --via phone "
            '--summary "Called about the quotation"'
        )
    if summary.draft_contract:
        say(
            f"  {prefix} --as {rep} contract draft {summary.draft_contract} "
            "--format html -o draft.html"
        )
    say(f"  {prefix} --as {summary.manager} approval pending")
    say(f"  {prefix} --as {summary.manager} report daily --all")
    say(f"  {prefix} report funnel")
    say(f"  {prefix} contract list --status pending_approval")
    say("")
    say(f"Due list of {rep} today:")


def demo(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Where to build the demo: a file path (default: demo.db in the data "
            "directory) or an empty PostgreSQL database. Never your own database.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing demo database file.")
    ] = False,
) -> None:
    """Build a separate demo database: a team, 64 customers in Chinese and English, three
    months of follow-ups, contracts in every state, pending approvals, milestones and a
    dispute. Ends with the due list of a sales rep and the commands to try next.

    Everything goes through the real services (audit, numbering and rules are real), with
    dates relative to today (or --today) and the default policy: the same day gives the same
    data.

    Example: bizops demo && bizops --db ~/.local/share/bizops/demo.db --as zhangwei followups due
    """
    from bizops.cli.followups import DUE
    from bizops.domain.errors import Conflict
    from bizops.services.demo import build_demo
    from bizops.services.followups import due_rows
    from bizops.services.policy import default_policy
    from bizops.services.users import count_users, find_user
    from bizops.store.engine import Database
    from bizops.store.migrate import ensure_schema

    st = state()
    today = st.today
    url = _target(db)
    path = _sqlite_file(url)
    if path is not None:
        _clear(path, force=force)
    database = Database(url)
    try:
        ensure_schema(database)
        if path is None:
            with database.read() as session:
                if count_users(session):
                    raise Conflict(
                        f"--db: {database.display_url} already holds data; the demo needs an "
                        "empty PostgreSQL database (--force only replaces SQLite files)"
                    )
        policy = default_policy()
        with database.write() as session:
            summary = build_demo(session, policy=policy, today=today)
    except BaseException:
        database.dispose()
        if path is not None:
            for suffix in ("", *SQLITE_SIDE_FILES):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    try:
        rep = summary.sales[0] if summary.sales else None
        with database.read() as session:
            rows = []
            if rep is not None:
                user = find_user(session, rep)
                assert user.id is not None
                due = due_rows(
                    session, owner_ids=[user.id], until=today, today=today, policy=policy
                )
                rows = list(due)
        _report(database, summary, rows[0]["code"] if rows else None)
        emit_rows(
            rows,
            DUE,
            title=f"Follow-ups of {rep} — due up to {today.isoformat()}",
            empty="Nothing due.",
        )
    finally:
        database.dispose()
