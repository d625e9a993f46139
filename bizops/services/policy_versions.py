"""The policy in force: stored in the database, one version per `bizops config apply`.

Every command reads the newest version (cached per process, keyed by its number); an admin
applies a new one from a file; each approval request records the version it was routed under.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from bizops.domain.errors import Invalid, NotFound, NotPermitted
from bizops.domain.policy import Policy, build_policy, merge_policy
from bizops.domain.roles import ADMIN
from bizops.i18n import _
from bizops.services.policy import (
    check_policy_data,
    default_policy,
    default_policy_data,
    default_policy_text,
    policy_data,
)
from bizops.services.views.policy import PolicyChangeRow, PolicyVersionRow
from bizops.store import audit
from bizops.store.models import PolicyVersion, User

if TYPE_CHECKING:
    from bizops.domain.policy.diff import Change

DEFAULTS_SOURCE = "defaults"

_cache: dict[tuple[str, int, str], Policy] = {}


@dataclass(frozen=True)
class StoredPolicy:
    version: int | None  # None: nothing stored yet, the shipped defaults
    data: dict[str, Any]
    applied_by: str | None
    applied_at: datetime | None
    source: str | None


@dataclass(frozen=True)
class AppliedPolicy:
    version: int
    previous: int | None
    changes: list[Change]

    def rows(self) -> list[PolicyChangeRow]:
        return [PolicyChangeRow(key=c.key, before=c.before, after=c.after) for c in self.changes]

    def as_dict(self) -> dict[str, Any]:
        return {"version": self.version, "previous": self.previous, "changes": self.rows()}


def current_version(session: Session) -> int | None:
    return session.execute(select(func.max(col(PolicyVersion.version)))).scalar_one_or_none()


def _data(row: PolicyVersion) -> dict[str, Any]:
    # Over today's defaults, so that a section added by a newer bizops has its default.
    return merge_policy(default_policy_data(), tomllib.loads(row.data))


def stored_policy(session: Session, *, version: int | None = None) -> StoredPolicy:
    """A stored version (the one in force when ``version`` is None)."""
    number = current_version(session) if version is None else version
    row = session.get(PolicyVersion, number) if number is not None else None
    if row is None:
        if version is not None:
            raise NotFound(
                _("no policy version {version}; see `bizops config history`").format(
                    version=version
                )
            )
        return StoredPolicy(None, default_policy_data(), None, None, DEFAULTS_SOURCE)
    return StoredPolicy(row.version, _data(row), row.applied_by, row.applied_at, row.source)


def policy_in_force(session: Session) -> Policy:
    """The newest stored version, built once per process; the defaults before any is stored.

    The cache is keyed by the database, the version and when it was applied, so that a process
    that opens several databases (tests, `db restore`) never reads one's policy for another's.
    """
    head = session.execute(
        select(col(PolicyVersion.version), col(PolicyVersion.applied_at))
        .order_by(col(PolicyVersion.version).desc())
        .limit(1)
    ).first()
    if head is None:
        return default_policy()
    number, applied_at = head
    key = (str(session.get_bind().engine.url), number, str(applied_at))
    cached = _cache.get(key)
    if cached is None:
        row = session.get(PolicyVersion, number)
        assert row is not None
        where = _("stored policy version {version}").format(version=number)
        cached = replace(check_policy_data(_data(row), where=where), version=number)
        _cache.clear()
        _cache[key] = cached
    return cached


def _store(
    session: Session, *, actor: str, data: dict[str, Any], source: str, now: datetime
) -> PolicyVersion:
    import tomli_w  # writing a version: every command reads the policy, few store one

    number = (current_version(session) or 0) + 1
    row = PolicyVersion(
        version=number,
        data=tomli_w.dumps(data),
        applied_by=actor,
        applied_at=now,
        source=source,
        # What PostgreSQL's row-level security reads (bizops.store.pgvisibility).
        visibility=json.dumps(
            merge_policy(default_policy_data(), data).get("visibility", {}), sort_keys=True
        ),
    )
    session.add(row)
    session.flush()
    return row


def store_first_version(session: Session, *, actor: str) -> int:
    """Version 1 from the shipped defaults (``init`` and ``demo``), unless one exists. It is
    the baseline the database starts with, recorded in ``policy_versions`` alone (as the
    version an upgrade imports is); each later version is also an audit event."""
    existing = current_version(session)
    if existing is not None:
        return existing
    now = datetime.now(UTC)
    data = tomllib.loads(default_policy_text())
    return _store(session, actor=actor, data=data, source=DEFAULTS_SOURCE, now=now).version


def apply_policy_data(
    session: Session, *, actor: User, data: dict[str, Any], source: str
) -> AppliedPolicy:
    """Check ``data`` (a whole policy) and store it as the next version."""
    if not actor.has_role(ADMIN):
        raise NotPermitted(
            _(
                "only an admin may apply a policy; {login} is {roles} "
                "(a personal config file holds only your own preferences)"
            ).format(login=actor.login, roles=", ".join(actor.role_list))
        )
    check_policy_data(data, where=source)
    before = stored_policy(session)
    from bizops.domain.policy.diff import policy_changes

    changes = policy_changes(before.data, data)
    row = _store(session, actor=actor.login, data=data, source=source, now=datetime.now(UTC))
    audit.record(
        session,
        actor=actor.login,
        action="policy.apply",
        entity_type="policy",
        entity_id=row.version,
        before={"version": before.version},
        after={
            "version": row.version,
            "source": source,
            "changes": [c.as_dict() for c in changes],
        },
    )
    return AppliedPolicy(row.version, before.version, changes)


def apply_policy_file(session: Session, *, actor: User, path: Path) -> AppliedPolicy:
    return apply_policy_data(session, actor=actor, data=policy_data(path), source=str(path))


def policy_history(session: Session) -> list[PolicyVersionRow]:
    rows = session.execute(
        select(PolicyVersion).order_by(col(PolicyVersion.version).desc())
    ).scalars()
    out: list[PolicyVersionRow] = []
    for i, row in enumerate(rows):
        out.append(
            PolicyVersionRow(
                version=row.version,
                applied_by=row.applied_by,
                applied_at=row.applied_at.isoformat(timespec="seconds"),
                source=row.source,
                in_force=i == 0,
            )
        )
    return out


def build_stored(data: dict[str, Any]) -> Policy | None:
    """The policy ``data`` makes, or None when it has problems (shown with a warning)."""
    try:
        return build_policy(data)
    except Invalid:
        return None
