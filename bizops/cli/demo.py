"""bizops demo: build a separate demo database and show where to go from there."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bizops.cli.context import state
from bizops.cli.output import emit_rows, say, value_label
from bizops.i18n import _

if TYPE_CHECKING:
    from datetime import date

    from bizops.domain.policy import Policy
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
            raise Invalid(
                _("--db: the demo needs a file (or PostgreSQL), not an in-memory database")
            )
    own = resolve_url(state().db_url)
    if _same_database(url, own):
        shown = _sqlite_file(url) or make_url(url).render_as_string(hide_password=True)
        raise Conflict(
            _(
                "--db: {database} is your own database (from BIZOPS_DB or the global --db); "
                "the demo is built in a separate database: give `bizops demo` another --db"
            ).format(database=shown)
        )
    return url


def _clear(path: Path, *, force: bool) -> None:
    from bizops.domain.errors import Conflict, Invalid

    if path.is_dir():
        raise Invalid(
            _("--db: {path} is a directory; give a file path such as {example}").format(
                path=path, example=path / "demo.db"
            )
        )
    from bizops.store.files import belongs_to

    for kept in state().protected_files():
        if belongs_to(path, kept):
            raise Conflict(
                _("--db: {path} is one of the files of your own database {database}").format(
                    path=path, database=kept
                )
            )
    if not path.exists():
        return
    if not path.is_file():
        raise Invalid(
            _("--db: {path} is not a regular file; give a file path such as {example}").format(
                path=path, example=path.parent / "demo.db"
            )
        )
    if not force:
        raise Conflict(
            _(
                "--db: {path} already exists; add --force to replace it with a fresh demo "
                "(or give another --db)"
            ).format(path=path)
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
    _describe(database, summary)
    rep = summary.sales[0] if summary.sales else "admin"
    say("")
    say(_("Try next (point any command at the demo with --db, or export BIZOPS_DB):"))
    for command in _try_next(_prefix(database), summary, rep, first_due):
        say(f"  {command}")
    say("")
    say(_("Due list of {login} today:").format(login=rep))


def _listed(pairs: Iterable[tuple[str, int]], kind: str) -> str:
    """``prospect 9, contacted 9``: codes by their names in Chinese."""
    return ", ".join(f"{value_label(kind, code)} {n}" for code, n in pairs)


def _describe(database: Database, summary: DemoSummary) -> None:
    from bizops.services.demo import stage_counts

    c = summary.counts
    roles = (
        (login, "/".join(value_label("role", r) for r in roles.split(",")))
        for login, roles in summary.team
    )
    team = ", ".join(f"{login} ({names})" for login, names in roles)
    if summary.audit_problems:
        chain = _("has problems (see `bizops audit verify`)")
    else:
        chain = _("verifies")
    lines = (
        _("Built the demo database {where} (as of {day}):").format(
            where=database.path or database.display_url, day=summary.today.isoformat()
        ),
        _("  {users} users: {team}").format(users=c["users"], team=team),
        _("  {customers} customers: {stages}; grades {grades}").format(
            customers=c["customers"],
            stages=_listed(stage_counts(summary), "stage"),
            grades=_listed(sorted(summary.customers_by_grade.items()), "grade"),
        ),
        _(
            "  {interactions} follow-ups logged over three months ({late} late); "
            "{overdue} overdue now; {never} customers never contacted"
        ).format(
            interactions=c["interactions"],
            late=c["followups_late"],
            overdue=c["followups_overdue"],
            never=c["never_contacted"],
        ),
        _("  {contracts} contracts: {statuses} ({non_standard} non-standard)").format(
            contracts=c["contracts"],
            statuses=_listed(sorted(summary.contracts_by_status.items()), "contract_state"),
            non_standard=c["non_standard"],
        ),
        _(
            "  {approvals} approvals pending ({late} past their SLA), {amendments} amendment "
            "waiting, {milestones} milestones overdue, {disputes} open dispute"
        ).format(
            approvals=c["approvals_pending"],
            late=c["approval_steps_overdue"],
            amendments=c["amendments_pending"],
            milestones=c["milestones_overdue"],
            disputes=c["disputes_open"],
        ),
        _("  {events} audit events; the chain {chain}").format(
            events=c["audit_events"], chain=chain
        ),
    )
    for line in lines:
        say(line)


def _try_next(prefix: str, summary: DemoSummary, rep: str, first_due: str | None) -> list[str]:
    """The commands to try on the demo (commands are the same in every language; the
    follow-up's summary is a sample text in the interface language)."""
    commands = [f"{prefix} --as {rep} followups due"]
    if first_due:
        commands.append(f"{prefix} --as {rep} customer show {first_due}")
        sample = _("Called about the quotation")
        commands.append(
            f'{prefix} --as {rep} followups log {first_due} --via phone --summary "{sample}"'
        )
    if summary.draft_contract:
        commands.append(
            f"{prefix} --as {rep} contract draft {summary.draft_contract} "
            "--format html -o draft.html"
        )
    commands += [
        f"{prefix} --as {summary.manager} approval pending",
        f"{prefix} --as {summary.manager} report daily --all",
        f"{prefix} report funnel",
        f"{prefix} contract list --status pending_approval",
    ]
    return commands


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
    from bizops.domain.errors import Conflict, Invalid
    from bizops.services.demo import build_demo
    from bizops.services.policy import default_policy
    from bizops.services.users import count_users
    from bizops.store.engine import Database
    from bizops.store.migrate import ensure_schema

    st = state()
    if db is None and st.db_typed:
        raise Invalid(
            _(
                "the demo is built in a database of its own: give it with `bizops demo --db "
                "PATH` (the global --db names the database you work in)"
            )
        )
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
                        _(
                            "--db: {database} already holds data; the demo needs an empty "
                            "PostgreSQL database (--force only replaces SQLite files)"
                        ).format(database=database.display_url)
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
        _show_due(database, summary, policy, today)
    finally:
        database.dispose()


def _show_due(database: Database, summary: DemoSummary, policy: Policy, today: date) -> None:
    """What the demo ends with: the summary, then the due list of its first sales rep."""
    from bizops.cli.followups import DUE
    from bizops.services.followups import due_rows
    from bizops.services.users import find_user

    rep = summary.sales[0] if summary.sales else None
    with database.read() as session:
        rows = []
        if rep is not None:
            user = find_user(session, rep)
            assert user.id is not None
            due = due_rows(session, owner_ids=[user.id], until=today, today=today, policy=policy)
            rows = list(due)
    _report(database, summary, rows[0]["code"] if rows else None)
    emit_rows(
        rows,
        DUE,
        title=_("Follow-ups of {login} — due up to {day}").format(login=rep, day=today.isoformat()),
        empty=_("Nothing due."),
    )
