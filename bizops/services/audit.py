"""Reading and verifying the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.store.audit import ChainProblem, verify_chain
from bizops.store.models import AuditEvent


def event_dict(ev: AuditEvent) -> dict[str, Any]:
    return {
        "id": ev.id,
        "at": ev.at.astimezone(UTC).isoformat(timespec="seconds"),
        "actor": ev.actor,
        "action": ev.action,
        "entity": ev.entity_type,
        "entity_id": ev.entity_id,
        "before": json.loads(ev.before) if ev.before else None,
        "after": json.loads(ev.after) if ev.after else None,
        "hash": ev.hash,
    }


def audit_log(
    session: Session,
    *,
    entity: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    since: date | None = None,
    limit: int = 0,
) -> list[dict[str, Any]]:
    """Events, newest first. ``entity`` is ``TYPE`` or ``TYPE:ID`` (``contract:HT-2026-0001``)."""
    query = select(AuditEvent).order_by(col(AuditEvent.id).desc())
    if entity:
        kind, _, ident = entity.partition(":")
        query = query.where(col(AuditEvent.entity_type) == kind.strip().lower())
        if ident.strip():
            query = query.where(col(AuditEvent.entity_id) == ident.strip())
    if actor:
        query = query.where(col(AuditEvent.actor) == actor.strip().lower())
    if action:
        query = query.where(col(AuditEvent.action).startswith(action.strip()))
    if since:
        query = query.where(col(AuditEvent.at) >= datetime.combine(since, time.min, tzinfo=UTC))
    if limit:
        query = query.limit(limit)
    return [event_dict(ev) for ev in session.execute(query).scalars()]


@dataclass(frozen=True)
class VerifyResult:
    events: int
    problems: list[ChainProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session) -> VerifyResult:
    count, problems = verify_chain(session)
    return VerifyResult(count, problems)
