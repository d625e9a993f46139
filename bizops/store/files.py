"""Files bizops writes beside its database: which names are the database's own, and
whether a path may be written at all. Every writer of a file asks here first."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from bizops.domain.errors import Invalid

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
                f"{option}: {target} is the bizops database {kept.name} or one of its files; "
                "choose another file name"
            )
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise Invalid(f"{option}: cannot write {target}: {exc.strerror}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise Invalid(f"{option}: {target} is a directory; give a file name")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise Invalid(f"{option}: {target} is not a regular file; give a file name")
    parent = _real(path).parent
    if not parent.is_dir():
        raise Invalid(f"{option}: cannot write {target}: directory {parent} does not exist")
    writable = os.access(path, os.W_OK) if info is not None else os.access(parent, os.W_OK)
    if not writable:
        raise Invalid(f"{option}: cannot write {target}: permission denied")
    return path
