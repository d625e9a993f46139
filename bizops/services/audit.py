"""Reading and verifying the audit log."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, TypedDict

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.errors import Invalid
from bizops.i18n import _
from bizops.services.audit_replay import Difference, differences
from bizops.store.audit import ChainProblem, hash_at, head, verify_chain
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
class Anchor:
    """The head of the log at some moment: its number of events and the newest hash."""

    count: int
    hash: str

    def __str__(self) -> str:
        return f"{self.count}:{self.hash}"


class AnchorView(TypedDict):
    events: int
    hash: str
    anchor: str


_ANCHOR = re.compile(r"^\s*(\d+)\s*:\s*([0-9a-fA-F]{64})\s*$")


def parse_anchor(text: str, *, field: str = "--anchor") -> Anchor:
    """``COUNT:HASH``, as `bizops audit anchor` prints it."""
    match = _ANCHOR.match(text)
    if not match:
        raise Invalid(
            _(
                "{field}: {value!r} is not an anchor; give COUNT:HASH as `bizops audit anchor` "
                "prints it"
            ).format(field=field, value=text)
        )
    return Anchor(int(match.group(1)), match.group(2).lower())


def read_anchors(path: Path) -> list[Anchor]:
    """One anchor a line; blank lines and lines starting with # are skipped."""
    try:
        lines = path.expanduser().read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise Invalid(
            _("--anchors: cannot read {path}: {error}").format(path=path, error=exc.strerror)
        ) from None
    return [
        parse_anchor(line, field=f"--anchors {path}:{n}")
        for n, line in enumerate(lines, start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def current_anchor(session: Session) -> AnchorView:
    """`bizops audit anchor`: the head of the log, to keep somewhere the database is not."""
    count, last = head(session)
    return {"events": count, "hash": last, "anchor": str(Anchor(count, last))}


def check_anchor(session: Session, anchor: Anchor) -> str | None:
    """Why the log does not extend ``anchor`` unchanged, or None if it does."""
    count, _last = head(session)
    if count < anchor.count:
        return _(
            "anchor {anchor}: the log holds {count} events, fewer than the {expected} it held "
            "then: events were removed"
        ).format(anchor=_short(anchor), count=count, expected=anchor.count)
    found = hash_at(session, anchor.count)
    if found != anchor.hash:
        return _(
            "anchor {anchor}: event number {position} no longer has that hash: the history up "
            "to the anchor was changed"
        ).format(anchor=_short(anchor), position=anchor.count)
    return None


def _short(anchor: Anchor) -> str:
    return f"{anchor.count}:{anchor.hash[:12]}"


@dataclass(frozen=True)
class VerifyResult:
    events: int
    problems: list[ChainProblem]
    differences: list[Difference] = field(default_factory=list)
    anchors: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.differences


def verify(
    session: Session, *, anchors: list[Anchor] | tuple[Anchor, ...] = (), deep: bool = False
) -> VerifyResult:
    """The chain, each anchor given, and with ``deep`` the tables against the replayed log."""
    count, problems = verify_chain(session)
    for anchor in anchors:
        why = check_anchor(session, anchor)
        if why:
            problems.append(ChainProblem(None, why))
    found = differences(session) if deep else []
    return VerifyResult(count, problems, found, len(anchors))
