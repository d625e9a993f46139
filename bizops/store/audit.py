"""The append-only, hash-chained audit log.

Each event's hash covers its content and the previous event's hash, so an edited event no
longer matches its hash, and a deleted or moved event breaks the link of the one after it.
The count of events is kept beside the chain so that deleting the newest event shows too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.i18n import _
from bizops.store.counters import current_value, set_value
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
    """Append one event inside the caller's write transaction."""
    last = session.execute(
        select(col(AuditEvent.hash)).order_by(col(AuditEvent.id).desc()).limit(1)
    ).scalar_one_or_none()
    at = (now or datetime.now(UTC)).astimezone(UTC)
    # Stored at microsecond precision in both backends; hash what is stored.
    at = at.replace(microsecond=at.microsecond)
    before_json, after_json = to_json(before), to_json(after)
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=before_json,
        after=after_json,
        prev_hash=last or GENESIS,
        hash="",
    )
    event.hash = event_hash(
        prev_hash=event.prev_hash,
        at=at,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=before_json,
        after=after_json,
    )
    session.add(event)
    set_value(session, COUNT_KEY, current_value(session, COUNT_KEY) + 1)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    problem: str


def verify_chain(session: Session, *, batch: int = 5000) -> tuple[int, list[ChainProblem]]:
    """Walk the chain in id order; return (events checked, problems found)."""
    problems: list[ChainProblem] = []
    prev_hash = GENESIS
    prev_id: int | None = None
    count = 0
    last_id = 0
    while True:
        rows = (
            session.execute(
                select(AuditEvent)
                .where(col(AuditEvent.id) > last_id)
                .order_by(col(AuditEvent.id))
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
            expected = event_hash(
                prev_hash=ev.prev_hash,
                at=ev.at,
                actor=ev.actor,
                action=ev.action,
                entity_type=ev.entity_type,
                entity_id=ev.entity_id,
                before=ev.before,
                after=ev.after,
            )
            if expected != ev.hash:
                problems.append(
                    ChainProblem(
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
                )
            prev_hash, prev_id = ev.hash, ev.id
            last_id = ev.id
        session.expunge_all()
    recorded = current_value(session, COUNT_KEY)
    if recorded != count:
        problems.append(ChainProblem(None, _wrong_count(recorded, count)))
    return count, problems


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
