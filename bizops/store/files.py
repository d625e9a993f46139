"""Files bizops writes beside its database: which names are the database's own, and
whether a path may be written at all. Every writer of a file asks here first."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bizops.domain.errors import Invalid
from bizops.i18n import _

# What SQLite and bizops keep beside a database file.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal", ".migrate-lock", ".bak")


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path.expanduser()))


def belongs_to(target: Path, database: Path) -> bool:
    """Is ``target`` the database file, or one of the files SQLite or bizops keep with it
    (``-wal``, ``-shm``, ``.migrate-lock``, backups made before an upgrade or a restore)?"""
    real, db = _real(target), _real(database)
    if real == db:
        return True
    if real.parent != db.parent or not real.name.startswith(db.name):
        return False
    rest = real.name[len(db.name) :]
    return rest in SIDE_SUFFIXES or rest.startswith((".before-", ".bak"))


def check_target(target: Path, *, protected: Iterable[Path] = (), option: str = "-o") -> Path:
    """Refuse, before anything is opened, a target that must not be written: the open
    database or its side files (also through ``..`` or a symlink), a directory, a device or
    anything else that is not a regular file, or a place that cannot be written."""
    path = target.expanduser()
    for kept in protected:
        if belongs_to(path, kept):
            raise Invalid(
                _(
                    "{option}: {path} is the bizops database {database} or one of its files; "
                    "choose another file name"
                ).format(option=option, path=target, database=kept.name)
            )
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise Invalid(
            _("{option}: cannot write {path}: {error}").format(
                option=option, path=target, error=exc.strerror
            )
        ) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise Invalid(
            _("{option}: {path} is a directory; give a file name").format(
                option=option, path=target
            )
        )
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise Invalid(
            _("{option}: {path} is not a regular file; give a file name").format(
                option=option, path=target
            )
        )
    parent = _real(path).parent
    if not parent.is_dir():
        raise Invalid(
            _("{option}: cannot write {path}: directory {folder} does not exist").format(
                option=option, path=target, folder=parent
            )
        )
    writable = os.access(path, os.W_OK) if info is not None else os.access(parent, os.W_OK)
    if not writable:
        raise Invalid(
            _("{option}: cannot write {path}: permission denied").format(option=option, path=target)
        )
    return path


def database_files(session: Any) -> list[Path]:
    """The SQLite file a session works on (as ``protected`` for ``check_target``)."""
    bind = session.get_bind()
    name = bind.engine.url.database
    if bind.dialect.name != "sqlite" or not name or name == ":memory:":
        return []
    return [Path(name)]
