"""Personal mode's audit key: a file in the user's data directory, readable by its owner only.

The key seals the audit chain of every SQLite database this user writes. It lives apart from
the database file and its backups, so that a copy of the database (or someone who can edit
it) cannot recompute the chain. ``BIZOPS_AUDIT_KEY`` names another file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from bizops.domain.errors import StorageError
from bizops.i18n import _

KEY_BYTES = 32
_CACHE: dict[Path, bytes] = {}


def key_path() -> Path:
    named = os.environ.get("BIZOPS_AUDIT_KEY")
    if named:
        return Path(named).expanduser()
    from bizops.store.engine import default_data_dir

    return default_data_dir() / "audit.key"


def _read(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise StorageError(
            _("cannot read the audit key {path}: {error}").format(path=path, error=exc)
        ) from None
    if len(key) < 16:
        raise StorageError(_("the audit key {path} is too short").format(path=path))
    return key


def _create(path: Path) -> None:
    """Write a new key atomically: two processes creating it at once end with one key."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(KEY_BYTES) + "\n")
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def load_key(*, create: bool) -> bytes | None:
    """The key, created first if ``create`` and there is none; None if missing."""
    path = key_path()
    cached = _CACHE.get(path)
    if cached is not None and path.exists():
        return cached
    if not path.exists():
        if not create:
            return None
        _create(path)
    key = _read(path)
    _CACHE[path] = key
    return key


def missing_key_message() -> str:
    return _(
        "the audit key {path} is missing, but this database's audit chain is sealed with it; "
        "copy the key from the computer where the database was created (or point "
        "BIZOPS_AUDIT_KEY at it)"
    ).format(path=key_path())
