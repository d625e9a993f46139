"""The append-only, hash-chained audit log.

Each event's hash covers its content and the previous event's hash, so an edited event no
longer matches its hash, and a deleted or moved event breaks the link of the one after it.
The count of events is kept beside the chain so that deleting the newest event shows too.

The chain is keyed: an event's hash is an HMAC, so someone who edits the table cannot
recompute the chain without the key. On SQLite the key is a file in the user's data
directory (bizops.store.audit_key). On PostgreSQL the database seals each event itself, in an
insert trigger that runs as the owner role, and checks the seals in a function that also runs
as the owner: a member login never holds the key. Events written before the chain was keyed
(``audit_chain.keyed_after``) keep their plain SHA-256 hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, text
from sqlmodel import Session, col

from bizops.domain.errors import StorageError
from bizops.i18n import _

# The models are resolved on first use (bizops.store.models loads them then): a command that
# writes nothing does not build the audit tables' models.
from bizops.store import models
from bizops.store.audit_key import load_key, missing_key_message
from bizops.store.counters import current_value, next_value

if TYPE_CHECKING:
    from bizops.store.models import AuditEvent

GENESIS = "0" * 64
COUNT_KEY = "audit.events"


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    raise TypeError(f"cannot record {type(value).__name__} in the audit log")


def to_json(data: Any) -> str | None:
    if data is None:
        return None
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=_default)


def event_hash(
    *,
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: str | None,
    after: str | None,
) -> str:
    at_utc = at if at.tzinfo else at.replace(tzinfo=UTC)
    parts = [
        prev_hash,
        at_utc.astimezone(UTC).isoformat(),
        actor,
        action,
        entity_type,
        entity_id,
        before if before is not None else "\x00",
        after if after is not None else "\x00",
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def keyed_message(ev: AuditEvent) -> bytes:
    """What an event's HMAC covers; the SQL function bizops_audit_message builds the same."""
    at = ev.at if ev.at.tzinfo else ev.at.replace(tzinfo=UTC)
    micros = (at - EPOCH) // timedelta(microseconds=1)
    parts = [
        "bizops-audit-v2",
        ev.prev_hash,
        str(micros),
        ev.actor,
        ev.action,
        ev.entity_type,
        ev.entity_id,
        ev.before or "",
        ev.after or "",
        ev.acting_admin or "",
        ev.db_login or "",
    ]
    return "\x1f".join(parts).encode("utf-8")


def keyed_hash(key: bytes, ev: AuditEvent) -> str:
    return hmac.new(key, keyed_message(ev), hashlib.sha256).hexdigest()


def boundary_check(key: bytes, keyed_after: int) -> str:
    """Ties the boundary between plain and keyed events to the key (SQLite)."""
    message = f"bizops-audit-boundary\x1f{keyed_after}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _chain_row(session: Session) -> tuple[int, str | None] | None:
    row = session.execute(
        select(col(models.AuditChain.keyed_after), col(models.AuditChain.key_check)).where(
            col(models.AuditChain.id) == 1
        )
    ).first()
    return (int(row[0]), row[1]) if row is not None else None


def _missing_chain_row() -> StorageError:
    return StorageError(
        _(
            "the audit chain's boundary record (table audit_chain) is missing: "
            "the database was edited outside bizops"
        )
    )


def _sqlite_key(session: Session) -> bytes:
    """The key for a new event; the first keyed event creates the key file and ties the
    boundary to it."""
    row = _chain_row(session)
    if row is None:
        raise _missing_chain_row()
    keyed_after, check = row
    key = load_key(create=check is None)
    if key is None:
        raise StorageError(missing_key_message())
    expected = boundary_check(key, keyed_after)
    if check is None:
        chain = session.get(models.AuditChain, 1)
        assert chain is not None
        chain.key_check = expected
        session.add(chain)
    elif not hmac.compare_digest(check, expected):
        raise StorageError(
            _(
                "the audit key {path} is not the key this database's audit chain was sealed "
                "with (or the chain's boundary was edited)"
            ).format(path=_key_path())
        )
    return key


def _key_path() -> str:
    from bizops.store.audit_key import key_path

    return str(key_path())


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str | int,
    before: Any = None,
    after: Any = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Append one event inside the caller's write transaction.

    The admin acting as ``actor`` (team mode's ``--as``) comes from
    ``session.info["acting_admin"]``, set where the acting user is resolved.
    """
    at = (now or datetime.now(UTC)).astimezone(UTC)
    event = models.AuditEvent(
        at=at,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=to_json(before),
        after=to_json(after),
        prev_hash="",
        hash="",
        acting_admin=session.info.get("acting_admin"),
    )
    if is_postgres(session):
        # The insert trigger links and seals the event inside the database, holding the
        # chain head's lock from here to the commit; the count is advanced under it.
        session.add(event)
        session.flush()
        next_value(session, COUNT_KEY)
        session.refresh(event, ["id", "prev_hash", "hash", "db_login"])
        return event
    key = _sqlite_key(session)
    last = session.execute(
        select(col(models.AuditEvent.hash)).order_by(col(models.AuditEvent.id).desc()).limit(1)
    ).scalar_one_or_none()
    event.prev_hash = last or GENESIS
    event.hash = keyed_hash(key, event)
    session.add(event)
    session.flush()
    next_value(session, COUNT_KEY)
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    problem: str


@dataclass
class _Seals:
    """How to check the seal of each event: plain up to ``keyed_after``, then keyed."""

    keyed_after: int
    key: bytes | None = None
    unsealed: frozenset[int] = frozenset()
    postgres: bool = False
    never_keyed: bool = False
    problems: list[ChainProblem] | None = None

    def ok(self, ev: AuditEvent) -> bool | None:
        """True or False; None when the seal cannot be checked (the key is missing)."""
        assert ev.id is not None
        if ev.id <= self.keyed_after:
            return _legacy_hash(ev) == ev.hash
        if self.postgres:
            return ev.id not in self.unsealed
        if self.never_keyed:
            return False
        if self.key is None:
            return None
        return hmac.compare_digest(keyed_hash(self.key, ev), ev.hash)


def _legacy_hash(ev: AuditEvent) -> str:
    return event_hash(
        prev_hash=ev.prev_hash,
        at=ev.at,
        actor=ev.actor,
        action=ev.action,
        entity_type=ev.entity_type,
        entity_id=ev.entity_id,
        before=ev.before,
        after=ev.after,
    )


def _seals(session: Session) -> _Seals:
    row = _chain_row(session)
    if row is None:
        return _Seals(keyed_after=0, problems=[ChainProblem(None, _missing_chain_row().message)])
    keyed_after, check = row
    if is_postgres(session):
        unsealed = session.execute(text("SELECT bizops_audit_unsealed()")).scalars().all()
        return _Seals(keyed_after, unsealed=frozenset(int(i) for i in unsealed), postgres=True)
    seals = _Seals(keyed_after, problems=[])
    if check is None:
        # Nothing was ever sealed with a key: an event after the boundary is a forgery.
        seals.never_keyed = True
        return seals
    key = load_key(create=False)
    assert seals.problems is not None
    if key is None:
        seals.problems.append(ChainProblem(None, missing_key_message()))
    elif not hmac.compare_digest(check, boundary_check(key, keyed_after)):
        seals.problems.append(
            ChainProblem(
                None,
                _(
                    "the boundary between plain and keyed events was moved, or the audit key "
                    "{path} is not this database's"
                ).format(path=_key_path()),
            )
        )
    else:
        seals.key = key
    return seals


def _edited(ev: AuditEvent) -> ChainProblem:
    return ChainProblem(
        ev.id,
        _(
            "event {id} ({action} {entity_type} {entity_id}) "
            "was edited: its content no longer matches its hash"
        ).format(
            id=ev.id,
            action=ev.action,
            entity_type=ev.entity_type,
            entity_id=ev.entity_id,
        ),
    )


def verify_chain(session: Session, *, batch: int = 5000) -> tuple[int, list[ChainProblem]]:
    """Walk the chain in id order; return (events checked, problems found)."""
    seals = _seals(session)
    problems: list[ChainProblem] = list(seals.problems or [])
    prev_hash = GENESIS
    prev_id: int | None = None
    count = 0
    last_id = 0
    while True:
        rows = (
            session.execute(
                select(models.AuditEvent)
                .where(col(models.AuditEvent.id) > last_id)
                .order_by(col(models.AuditEvent.id))
                .limit(batch)
            )
            .scalars()
            .all()
        )
        if not rows:
            break
        for ev in rows:
            count += 1
            assert ev.id is not None
            if ev.prev_hash != prev_hash:
                problems.append(ChainProblem(ev.id, _broken_link(ev.id, prev_id)))
            if seals.ok(ev) is False:
                problems.append(_edited(ev))
            prev_hash, prev_id = ev.hash, ev.id
            last_id = ev.id
        session.expunge_all()
    recorded = current_value(session, COUNT_KEY)
    if recorded != count:
        problems.append(ChainProblem(None, _wrong_count(recorded, count)))
    return count, problems


def head(session: Session) -> tuple[int, str]:
    """The anchor of the log as it stands: the number of events and the newest hash."""
    count = int(session.execute(select(func.count()).select_from(models.AuditEvent)).scalar_one())
    last = session.execute(
        select(col(models.AuditEvent.hash)).order_by(col(models.AuditEvent.id).desc()).limit(1)
    ).scalar_one_or_none()
    return count, last or GENESIS


def hash_at(session: Session, position: int) -> str | None:
    """The hash of the ``position``-th event (1 is the first), None if there are fewer."""
    if position <= 0:
        return GENESIS
    return session.execute(
        select(col(models.AuditEvent.hash))
        .order_by(col(models.AuditEvent.id))
        .offset(position - 1)
        .limit(1)
    ).scalar_one_or_none()


def _broken_link(event_id: int, prev_id: int | None) -> str:
    if prev_id is None:
        return _(
            "event {id} is first but does not start the chain: earlier events were deleted"
        ).format(id=event_id)
    return _(
        "event {id} does not follow event {prev}: an event between them was deleted, "
        "or events were reordered"
    ).format(id=event_id, prev=prev_id)


def _wrong_count(recorded: int, count: int) -> str:
    if recorded > count:
        return _(
            "{missing} event(s) missing: the log should hold {recorded} events and holds "
            "{count} (the newest may have been deleted)"
        ).format(missing=recorded - count, recorded=recorded, count=count)
    return _(
        "the log holds {count} events but only {recorded} were written through bizops: "
        "events were inserted by hand"
    ).format(count=count, recorded=recorded)
