"""Deep verify: replay the audit log and compare what it implies with the tables.

The hash chain proves that the log was not rewritten; it says nothing about a table edited
directly (``UPDATE contracts SET amount = 1``). Replaying the events gives, for each user,
contract, approval request and step, customer and milestone, the values the log implies; a
stored value that differs is named with its table, key and field.

Only what the log records is compared: customers created by an import (whose creation event
names the file, not each row) are compared from their first own event on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.i18n import _
from bizops.store.models import (
    ApprovalRequest,
    ApprovalStep,
    AuditEvent,
    Contract,
    Customer,
    Invoice,
    Milestone,
    Payment,
    Receipt,
    User,
    WriteOff,
)

ROW = "(row)"


@dataclass(frozen=True)
class Difference:
    """One stored value that is not what the log implies."""

    table: str
    key: str
    field: str
    stored: Any
    logged: Any

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "key": self.key,
            "field": self.field,
            "stored": self.stored,
            "logged": self.logged,
        }

    @property
    def message(self) -> str:
        if self.field == ROW and self.logged is None:
            return _("{table} {key}: the row exists but no audit event records it").format(
                table=self.table, key=self.key
            )
        if self.field == ROW:
            return _("{table} {key}: the log records this row but the table lacks it").format(
                table=self.table, key=self.key
            )
        return _("{table} {key}: {field} is {stored}, the log implies {logged}").format(
            table=self.table,
            key=self.key,
            field=self.field,
            stored=_shown(self.stored),
            logged=_shown(self.logged),
        )


def _shown(value: Any) -> str:
    return "NULL" if value is None else json.dumps(value, ensure_ascii=False)


def _money(value: Any) -> str | None:
    if value is None or value == "":
        return None
    try:
        return f"{Decimal(str(value).replace(',', '')):.2f}"
    except InvalidOperation:
        return str(value)


def _day(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


# How each compared field reads, from the log and from the table alike.
_NORMAL: dict[str, Any] = {
    "limit": _money,
    "amount": _money,
    "start": _day,
    "end": _day,
    "due": _day,
    "done_on": _day,
    "applied": _money,
    "advance": _money,
    "tax_amount": _money,
    "received_on": _day,
    "issued_on": _day,
    "void_on": _day,
    "paid_on": _day,
    "active": bool,
    "roles": list,
    "customer_id": int,
    "owner_id": int,
    "current_step": int,
}


def _norm(name: str, value: Any) -> Any:
    if value is None:
        return None
    convert = _NORMAL.get(name)
    return convert(value) if convert else value


TRACKED: dict[str, tuple[str, ...]] = {
    "users": ("roles", "limit", "active"),
    "contracts": ("status", "amount", "currency", "start", "end", "customer_id", "owner_id"),
    "approval_requests": ("status", "current_step"),
    "approval_steps": ("role", "status", "decided_by"),
    "customers": ("owner", "grade", "stage"),
    "milestones": ("kind", "due", "amount", "done_on", "done_by"),
    "receipts": ("contract", "amount", "applied", "advance", "received_on", "bank_ref"),
    "invoices": ("contract", "amount", "status", "number", "tax_amount", "issued_on", "void_on"),
    "payments": ("contract", "amount", "status", "paid_on"),
    "writeoffs": ("contract", "amount", "status"),
}

# The money tables: an event's entity type -> its table.
_MONEY = {
    "receipt": "receipts",
    "invoice": "invoices",
    "payment": "payments",
    "writeoff": "writeoffs",
}


@dataclass
class Replay:
    """What the log implies: table -> key -> field -> value."""

    state: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {table: {} for table in TRACKED}
    )
    imported: list[tuple[str, str]] = field(default_factory=list)

    def set(self, table: str, key: Any, values: dict[str, Any]) -> None:
        row = self.state[table].setdefault(str(key), {})
        for name in TRACKED[table]:
            if name in values:
                row[name] = _norm(name, values[name])

    def was_imported(self, code: str) -> bool:
        """Whether an import's range of codes (its first and last) holds ``code``: the same
        text before the number, and a number between theirs (C0001..C10000 holds C9999)."""
        prefix, number = _numbered(code)
        for first, last in self.imported:
            (low_prefix, low), (high_prefix, high) = _numbered(first), _numbered(last)
            if number is None or low is None or high is None:
                if len(first) == len(code) and first <= code <= last:
                    return True
            elif prefix == low_prefix == high_prefix and low <= number <= high:
                return True
        return False


_NUMBERED = re.compile(r"(.*?)(\d+)")


def _numbered(code: str) -> tuple[str, int | None]:
    """A code's text before its number, and the number (None: it does not end in one)."""
    found = _NUMBERED.fullmatch(code)
    return (found.group(1), int(found.group(2))) if found else (code, None)


def _contract(replay: Replay, snap: Any) -> None:
    if isinstance(snap, dict) and "number" in snap:
        replay.set("contracts", snap["number"], snap)


def _approval(replay: Replay, request_id: str, after: dict[str, Any]) -> None:
    if "status" not in after:
        return
    replay.set("approval_requests", request_id, after)
    for step in after.get("steps") or []:
        replay.set("approval_steps", f"{request_id}/{step['step']}", step)


def _customer(after: dict[str, Any]) -> dict[str, Any]:
    """A customer event's values; a follow-up that moved the stage records the move
    (``{"from": ..., "to": ..., "cause": ...}``), whose ``to`` is the stage."""
    stage = after.get("stage")
    if isinstance(stage, dict):
        return {**after, "stage": stage.get("to")}
    return after


# Money events that settle payment milestones, and the field holding the day they settle on.
_SETTLING = {"receipt": "received_on", "payment": "paid_on", "writeoff": "approved_on"}


def _settled(replay: Replay, actor: str, day: Any, done: Any) -> None:
    """Milestones settled in full by a receipt, a payment or a write-off are done that day, by
    the one who recorded it."""
    for milestone_id in done or []:
        replay.set("milestones", milestone_id, {"done_on": day, "done_by": actor})


def apply_event(replay: Replay, ev: AuditEvent) -> None:
    after = json.loads(ev.after) if ev.after else None
    if not isinstance(after, dict):
        return
    kind = ev.entity_type
    if kind == "user":
        replay.set("users", ev.entity_id, after)
    elif kind == "contract":
        _contract(replay, after)
        for request_id in after.get("voided_requests") or []:
            replay.set("approval_requests", request_id, {"status": "void"})
    elif kind == "amendment":
        _contract(replay, after.get("contract"))
    elif kind == "approval":
        _approval(replay, ev.entity_id, after)
    elif kind == "customer":
        replay.set("customers", ev.entity_id, _customer(after))
    elif kind == "customer_import" and after.get("first_code") and after.get("last_code"):
        replay.imported.append((str(after["first_code"]), str(after["last_code"])))
    elif kind == "milestone":
        replay.set("milestones", ev.entity_id, after)
    if kind in _MONEY:
        replay.set(_MONEY[kind], ev.entity_id, after)
    if kind in _SETTLING:
        _settled(replay, ev.actor, after.get(_SETTLING[kind]), after.get("milestones_done"))


def _events(session: Session, batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = (
            session.execute(
                select(AuditEvent)
                .where(col(AuditEvent.id) > last)
                .order_by(col(AuditEvent.id))
                .limit(batch)
            )
            .scalars()
            .all()
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].id or last
        session.expunge_all()


def replay_log(session: Session) -> Replay:
    replay = Replay()
    for ev in _events(session):
        apply_event(replay, ev)
    return replay


def stored_state(session: Session) -> dict[str, dict[str, dict[str, Any]]]:
    """The tables, read as the log records them."""
    logins = {u.id: u.login for u in session.execute(select(User)).scalars()}
    out: dict[str, dict[str, dict[str, Any]]] = {table: {} for table in TRACKED}
    for u in session.execute(select(User)).scalars():
        out["users"][u.login] = {
            "roles": u.role_list,
            "limit": u.approval_limit,
            "active": u.active,
        }
    for k in session.execute(select(Contract)).scalars():
        out["contracts"][k.number] = {name: getattr(k, name) for name in TRACKED["contracts"]}
    for r in session.execute(select(ApprovalRequest)).scalars():
        out["approval_requests"][str(r.id)] = {"status": r.status, "current_step": r.current_step}
    for s in session.execute(select(ApprovalStep)).scalars():
        out["approval_steps"][f"{s.request_id}/{s.seq}"] = {
            "role": s.role,
            "status": s.status,
            "decided_by": s.decided_by,
        }
    for c in session.execute(select(Customer)).scalars():
        out["customers"][c.code] = {
            "owner": logins.get(c.owner_id),
            "grade": c.grade,
            "stage": c.stage,
        }
    for m in session.execute(select(Milestone)).scalars():
        out["milestones"][str(m.id)] = {name: getattr(m, name) for name in TRACKED["milestones"]}
    _stored_money(session, out)
    return {
        table: {key: {n: _norm(n, v) for n, v in row.items()} for key, row in rows.items()}
        for table, rows in out.items()
    }


def _stored_money(session: Session, out: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Receipts, invoices, payments and write-offs as their events record them (the contract
    by its number)."""
    numbers = {
        cid: number
        for cid, number in session.execute(select(col(Contract.id), col(Contract.number))).all()
    }
    for table, model in (
        ("receipts", Receipt),
        ("invoices", Invoice),
        ("payments", Payment),
        ("writeoffs", WriteOff),
    ):
        names = [n for n in TRACKED[table] if n != "contract"]
        for row in session.execute(select(model)).scalars():
            out[table][str(row.id)] = {
                "contract": numbers.get(row.contract_id),
                **{name: getattr(row, name) for name in names},
            }


def _steps_implied_by_requests(replay: Replay, table: str, key: str) -> bool:
    """A step row whose request the log knows is accounted for by that request's events."""
    return table == "approval_steps" and key.split("/")[0] in replay.state["approval_requests"]


def _unlogged(replay: Replay, table: str, key: str) -> bool:
    if table == "customers" and replay.was_imported(key):
        return False
    return not _steps_implied_by_requests(replay, table, key)


def differences(session: Session) -> list[Difference]:
    """Every stored value the log does not imply, table by table."""
    replay = replay_log(session)
    stored = stored_state(session)
    found: list[Difference] = []
    for table in TRACKED:
        logged_rows, stored_rows = replay.state[table], stored[table]
        for key in sorted(set(logged_rows) | set(stored_rows)):
            if key not in logged_rows:
                if _unlogged(replay, table, key):
                    found.append(Difference(table, key, ROW, "present", None))
                continue
            if key not in stored_rows:
                found.append(Difference(table, key, ROW, None, "present"))
                continue
            for name, value in logged_rows[key].items():
                if stored_rows[key].get(name) != value:
                    found.append(Difference(table, key, name, stored_rows[key].get(name), value))
    return found
