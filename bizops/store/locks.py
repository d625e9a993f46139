"""Per-record locks for PostgreSQL writes.

Writes on PostgreSQL do not queue behind one database-wide lock. A write that reads a record
and then changes it according to what it read (log a follow-up: close the customer's open
follow-up, schedule the next) holds that record's lock for the rest of its transaction, so
two writes about the same customer take turns while writes about different ones run side by
side. On SQLite, and in read transactions, this does nothing: ``BEGIN IMMEDIATE`` already
makes SQLite's writers take turns.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

if TYPE_CHECKING:
    from sqlmodel import Session

# Marks a session opened by ``Database.write`` (see bizops.store.engine).
WRITE_FLAG = "bizops_write"

_LOCK = text("SELECT pg_advisory_xact_lock(:space, :id)")


def lock_space(table: str) -> int:
    """The first key of a table's record locks: a stable 31-bit number from its name, far from
    the audit head's and the migrations' single-key locks (those use the one-key form)."""
    return zlib.crc32(f"bizops.{table}".encode()) & 0x7FFFFFFF


def hold_record(session: Session, record: Any) -> None:
    """Lock ``record`` (a loaded model with an ``id``) until the transaction ends, then
    reload it: what another writer committed while this one waited is what it works on.
    Once per record and transaction."""
    if not session.info.get(WRITE_FLAG) or session.get_bind().dialect.name != "postgresql":
        return
    key = (record.__tablename__, record.id)
    held: set[tuple[str, int]] = session.info.setdefault("bizops_held", set())
    if key in held:
        return
    session.execute(_LOCK, {"space": lock_space(key[0]), "id": key[1]})
    held.add(key)
    if not session.is_modified(record):  # never drop this transaction's own changes
        session.refresh(record)
