"""The global options of one invocation, and the units of work commands run in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bizops.domain.dates import parse_date

if TYPE_CHECKING:
    from sqlmodel import Session

    from bizops.domain.policy import Policy
    from bizops.services.identity import Acting
    from bizops.store.engine import Database
    from bizops.store.models import User


@dataclass
class AppState:
    db_url: str | None = None
    # The global --db was typed on the command line (not read from BIZOPS_DB).
    db_typed: bool = False
    as_user: str | None = None
    config: str | None = None
    today_text: str | None = None
    # How listings are drawn: --columns, --wide (on each listing), --no-pager (global).
    columns: str | None = None
    wide: bool = False
    no_pager: bool = False
    _db: Database | None = field(default=None, repr=False)
    _policy: Policy | None = field(default=None, repr=False)

    @property
    def today(self) -> date:
        """``--today`` / ``BIZOPS_TODAY`` if given, else the real date."""
        real = date.today()
        if not self.today_text:
            return real
        return parse_date(self.today_text, real, field="--today")

    def now(self) -> datetime:
        """The current moment, on the ``--today`` date when one is given."""
        real = datetime.now().astimezone()
        if not self.today_text:
            return real
        return real.replace(year=self.today.year, month=self.today.month, day=self.today.day)

    def database(self, *, migrate: bool = True, create: bool = False) -> Database:
        """The database of this run. Only the commands that make one (``init``, ``db
        restore``) pass ``create``: any other command on a SQLite file that does not exist
        is refused (exit 3), so that a mistyped ``--db`` never leaves an empty database."""
        if self._db is None:
            from bizops.store.engine import Database, default_data_dir, resolve_url, sqlite_path

            url = resolve_url(self.db_url)
            path = sqlite_path(url)
            if not create and path is not None and not path.exists():
                from bizops.domain.errors import NotFound
                from bizops.i18n import _

                raise NotFound(
                    _("no bizops database at {path}; run `bizops init`").format(path=path)
                )
            if self.db_url is None:
                # The default database lives in the user data directory, created by `init`
                # (before the engine, which refuses a file in a missing directory).
                # Readable by its owner only: it holds the database and its backups.
                default_data_dir().mkdir(mode=0o700, parents=True, exist_ok=True)
            db = Database(url)
            if migrate:
                from bizops.store.migrate import ensure_schema

                ensure_schema(db)
            self._db = db
        return self._db

    def database_exists(self) -> bool:
        """Whether there is a database to read: a PostgreSQL URL always, a SQLite file only
        once `init` (or the demo, or a restore) made it."""
        if self._db is not None:
            return True
        from bizops.store.engine import resolve_url, sqlite_path

        path = sqlite_path(resolve_url(self.db_url))
        return path is None or path.exists()

    def display_url(self) -> str:
        """The database as shown to people, without its password (and without opening it)."""
        from sqlalchemy.engine import make_url

        from bizops.store.engine import resolve_url

        return make_url(resolve_url(self.db_url)).render_as_string(hide_password=True)

    def protected_files(self) -> list[Path]:
        """Files no output may replace: the SQLite database in use (and, through it, its
        side files), and the key that seals its audit chain."""
        from bizops.store.audit_key import key_path
        from bizops.store.engine import resolve_url, sqlite_path

        path = sqlite_path(resolve_url(self.db_url))
        return ([path] if path is not None else []) + [key_path()]

    def policy(self) -> Policy:
        """The policy in force: the newest version stored in the database (the shipped
        defaults while there is no database yet)."""
        if self._policy is None:
            if not self.database_exists():
                # Nothing stored yet (before `init`): the shipped defaults, which is what
                # `init` will store as version 1.
                from bizops.services.policy import default_policy

                self._policy = default_policy()
                return self._policy
            from bizops.services.policy_versions import policy_in_force

            with self.database().read() as session:
                self._policy = policy_in_force(session)
        return self._policy

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction that sees what the reader may see (the policy's visibility)."""
        from bizops.services.visibility import bind_scope, scope_for

        policy = self.policy()
        with self.database().read() as session:
            if not self.database().is_sqlite:
                # Team mode: a login no user claims, or --as someone else, is refused on
                # reads too.
                from bizops.services.identity import check_team_read

                check_team_read(session, self.as_user)
            bind_scope(session, scope_for(session, self.actor(session), policy))
            yield session

    @contextmanager
    def write(self) -> Iterator[tuple[Session, User]]:
        """One write transaction with the acting user resolved inside it.

        In team mode the acting user comes from the database login; an admin acting as
        someone else is recorded on every audit event of the transaction, and a write dated
        other than today needs an admin's login.
        """
        with self.database().write() as session:
            acting = self._acting(session, required=True)
            if not self.database().is_sqlite:
                from bizops.services.identity import check_write_date

                check_write_date(acting, today=self.today, real=date.today())
            session.info["acting_admin"] = acting.acting_admin
            assert acting.user is not None
            yield session, acting.user

    def actor(self, session: Session, *, required: bool = False) -> User | None:
        return self._acting(session, required=required).user

    def _acting(self, session: Session, *, required: bool) -> Acting:
        from bizops.services.identity import Acting

        if self.database().is_sqlite:
            from bizops.services.users import resolve_actor

            return Acting(resolve_actor(session, self.as_user, required=required))
        from bizops.services.identity import resolve_team_actor

        return resolve_team_actor(session, self.as_user, required=required)

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None


_STATE = AppState()


def state() -> AppState:
    return _STATE


def reset_state(**values: Any) -> AppState:
    global _STATE
    _STATE.close()
    _STATE = AppState(**values)
    return _STATE


def env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None
