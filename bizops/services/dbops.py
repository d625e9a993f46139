"""Database operations: info, check, backup, restore."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlmodel import Session

from bizops.domain.errors import Invalid, NotPermitted
from bizops.domain.vocab import label
from bizops.i18n import N_, _
from bizops.services.backups import attachment_problems, backup, restore
from bizops.services.money.checks import money_agrees
from bizops.store.engine import Database
from bizops.store.migrate import schema_state
from bizops.store.revisions import HEAD

SHOWN = 20  # problems of one kind listed by name; the rest are counted

# The names `db check` gives its own checks (the first lines of their docstrings), for the
# catalog: they are translated where the check is listed.
_CHECK_NAMES = (
    N_("one open follow-up per active customer"),
    N_("contract states and approvals"),
    N_("archived attachment copies"),
)
__all__ = ["CHECKS", "CheckResult", "backup", "check", "info", "restore"]


def _listed(kind: str, rows: list[Any], describe: Callable[[Any], str]) -> list[str]:
    out = [_("{kind}: {problem}").format(kind=kind, problem=describe(row)) for row in rows[:SHOWN]]
    if len(rows) > SHOWN:
        out.append(_("{kind}: and {count} more").format(kind=kind, count=len(rows) - SHOWN))
    return out


def followup_invariant(session: Session) -> list[str]:
    """one open follow-up per active customer"""
    from bizops.domain.vocab import SIDE_EXITS
    from bizops.store.models import Customer, FollowUp

    c = Customer.__table__.c  # type: ignore[attr-defined]
    f = FollowUp.__table__.c  # type: ignore[attr-defined]
    open_count = (
        select(func.count())
        .where(f.customer_id == c.id, f.status == "open")
        .correlate(Customer.__table__)  # type: ignore[attr-defined]
        .scalar_subquery()
    )
    # A customer of the shared pool (no owner) has nobody to follow it up.
    active = c.archived_on.is_(None) & c.stage.not_in(SIDE_EXITS) & c.owner_id.is_not(None)
    rows = session.execute(
        select(c.code, c.stage, c.archived_on, c.owner_id, open_count.label("n")).where(
            ((active) & (open_count != 1)) | ((~active) & (open_count != 0))
        )
    ).all()

    def describe(row: Any) -> str:
        if row.archived_on is not None:
            return _("customer {code} is archived but has {count} open follow-up(s)").format(
                code=row.code, count=row.n
            )
        if row.stage in SIDE_EXITS:
            return _("customer {code} is {stage} but has {count} open follow-up(s)").format(
                code=row.code, stage=row.stage, count=row.n
            )
        if row.owner_id is None:
            return _(
                "customer {code} is in the shared pool but has {count} open follow-up(s)"
            ).format(code=row.code, count=row.n)
        return _("customer {code} is active with {count} open follow-ups (should be 1)").format(
            code=row.code, count=row.n
        )

    return _listed(_("follow-ups"), list(rows), describe)


def contract_states(session: Session) -> list[str]:
    """contract states and approvals"""
    from bizops.domain.contract_states import STATES
    from bizops.store.models import ApprovalRequest, ApprovalStep, Contract

    k = Contract.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(select(k.number, k.status).where(k.status.not_in(STATES))).all()
    problems = _listed(
        _("contracts"),
        list(rows),
        lambda r: _("{number} has the unknown state {status!r}").format(
            number=r.number, status=r.status
        ),
    )
    r = ApprovalRequest.__table__.c  # type: ignore[attr-defined]
    st = ApprovalStep.__table__.c  # type: ignore[attr-defined]
    pending_steps = (
        select(func.count())
        .where(st.request_id == r.id, st.status == "pending")
        .correlate(ApprovalRequest.__table__)  # type: ignore[attr-defined]
        .scalar_subquery()
    )
    rows = session.execute(
        select(r.id, r.status, pending_steps.label("n")).where(
            ((r.status == "pending") & (pending_steps != 1))
            | ((r.status != "pending") & (pending_steps != 0))
        )
    ).all()
    problems += _listed(
        _("approvals"),
        list(rows),
        lambda row: _("request {id} is {status} with {count} pending step(s)").format(
            id=row.id, status=label("approval_status", row.status), count=row.n
        ),
    )
    return problems


# The product's own rules, checked beside SQLite's integrity and the audit chain.
def attachment_copies(session: Session) -> list[str]:
    """archived attachment copies"""
    return _listed(_("attachments"), attachment_problems(session), str)


CHECKS: list[Callable[[Session], list[str]]] = [
    followup_invariant,
    contract_states,
    attachment_copies,
    money_agrees,
]


def info(db: Database) -> dict[str, Any]:
    from bizops.store.models import all_tables

    state = schema_state(db)
    counts: dict[str, int] = {}
    with db.read() as session:
        for name, table in sorted(all_tables().tables.items()):
            counts[name] = int(
                session.execute(select(func.count()).select_from(table)).scalar_one()
            )
        journal = None
        if db.is_sqlite:
            journal = session.execute(text("PRAGMA journal_mode")).scalar_one()
    out: dict[str, Any] = {
        "url": db.display_url,
        "backend": "sqlite" if db.is_sqlite else "postgresql",
        "schema": state.revision,
        "schema_head": HEAD,
        "up_to_date": state.is_current,
        "rows": counts,
    }
    if db.path is not None:
        out["path"] = str(db.path)
        out["size_bytes"] = db.path.stat().st_size if db.path.exists() else 0
        out["journal_mode"] = journal
    return out


@dataclass
class CheckResult:
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(db: Database) -> CheckResult:
    from bizops.services.audit import verify

    result = CheckResult()
    state = schema_state(db)
    result.checked.append(_("schema revision"))
    if not state.is_current:
        result.problems.append(
            _("schema is at {revision}, this bizops expects {head}").format(
                revision=state.revision, head=HEAD
            )
        )
    with db.read() as session:
        if db.is_sqlite:
            result.checked.append(_("integrity"))
            rows = session.execute(text("PRAGMA integrity_check")).scalars().all()
            if rows != ["ok"]:
                result.problems.extend(
                    _("integrity: {problem}").format(problem=r) for r in rows[:20]
                )
            result.checked.append(_("foreign keys"))
            for row in session.execute(text("PRAGMA foreign_key_check")).all()[:20]:
                result.problems.append(
                    _("foreign key: {table} row {row} points to a missing {parent}").format(
                        table=row[0], row=row[1], parent=row[2]
                    )
                )
        result.checked.append(_("audit chain"))
        chain = verify(session)
        result.problems.extend(
            _("audit: {problem}").format(problem=p.problem) for p in chain.problems
        )
        for extra in CHECKS:
            result.checked.append(
                _(extra.__doc__.strip().splitlines()[0]) if extra.__doc__ else extra.__name__
            )
            result.problems.extend(extra(session))
    return result


def setup_roles(db: Database) -> dict[str, Any]:
    """Team mode's roles, grants and policies (bizops.store.pgroles), idempotently."""
    if db.is_sqlite:
        raise Invalid(
            _(
                "setup-roles is for team mode on PostgreSQL; a SQLite file is personal mode "
                "and has no database roles"
            )
        )
    from bizops.store.engine import translate_errors
    from bizops.store.migrate import MIGRATE_LOCK_KEY
    from bizops.store.pgroles import MEMBER, OWNER, POLICIES, current_login
    from bizops.store.pgroles import setup_roles as apply

    with translate_errors(db), db.engine.begin() as conn:
        if not current_login(conn).privileged:
            raise NotPermitted(
                _(
                    "setup-roles needs a superuser or a member of {owner}; database login "
                    "{login} is neither"
                ).format(owner=OWNER, login=current_login(conn).name)
            )
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATE_LOCK_KEY})
        apply(conn)
        tables = conn.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        ).scalar_one()
    return {"owner": OWNER, "member": MEMBER, "tables": int(tables), "policies": len(POLICIES)}
