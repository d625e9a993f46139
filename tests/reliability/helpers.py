"""Shared pieces of the reliability tests: running the real CLI, seeding a team, fresh
PostgreSQL databases, and the invariants every state of the database must satisfy."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from bizops.domain import cadence
from bizops.domain import contract_states as cs
from bizops.store.audit import COUNT_KEY, verify_chain
from bizops.store.counters import current_value
from bizops.store.engine import Database
from bizops.store.models import AuditEvent, Contract, Counter, Customer, FollowUp, User

PG_URL = os.environ.get("BIZOPS_TEST_PG_URL")


def run_cli(
    db: str, *args: str, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real `bizops` command line in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "bizops", "--db", db, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def start_cli(db: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bizops", "--db", db, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@contextmanager
def fresh_pg_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (dropped afterwards); yields its SQLAlchemy URL."""
    assert PG_URL, "BIZOPS_TEST_PG_URL is not set"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed_users(db: Database, users: dict[str, list[str]]) -> None:
    """root (the admin) plus ``users`` (login -> roles), through the users service."""
    from bizops.services import users as svc

    with db.write() as session:
        if svc.count_users(session) == 0:
            svc.init_admin(session, login="root", name="Root")
        admin = session.execute(select(User).where(User.login == "root")).scalar_one()
        for login, roles in users.items():
            svc.add_user(
                session,
                actor=admin,
                login=login,
                name=login.title(),
                email=f"{login}@example.com",
                roles=roles,
            )


def user(session: Session, login: str) -> User:
    return session.execute(select(User).where(User.login == login)).scalar_one()


def write_customer_csv(path: Path, rows: int, *, owner: str, start: int = 0) -> None:
    """A customer import file with headers the importer accepts (English and Chinese)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["客户名称", "grade", "owner", "行业", "联系人", "email"])
        for i in range(start, start + rows):
            name = f"华东测试客户{i:06d}有限公司" if i % 2 else f"Reliability Test Co {i:06d}"
            out.writerow([name, "ABC"[i % 3], owner, "制造业", f"联系人{i}", f"c{i}@example.com"])


def count(session: Session, model: type) -> int:
    return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def invariant_problems(session: Session) -> list[str]:
    """Everything that must hold after any sequence of commands, as readable problems."""
    problems: list[str] = []
    open_counts = dict(
        session.execute(
            select(FollowUp.customer_id, func.count())
            .where(FollowUp.status == "open")
            .group_by(FollowUp.customer_id)
        ).all()
    )
    for cid, code, stage, archived in session.execute(
        select(Customer.id, Customer.code, Customer.stage, Customer.archived_on)
    ):
        expected = 1 if cadence.has_followups(stage, archived is not None) else 0
        got = open_counts.get(cid, 0)
        if got != expected:
            problems.append(
                f"customer {code} ({stage}, archived={archived}) has {got} open follow-ups, "
                f"expected {expected}"
            )
    checked, chain = verify_chain(session)
    problems.extend(f"audit: {p.problem}" for p in chain)
    if current_value(session, COUNT_KEY) != count(session, AuditEvent):
        problems.append("audit: the event counter does not match the events")
    for number, status in session.execute(select(Contract.number, Contract.status)):
        if status not in cs.STATES:
            problems.append(f"contract {number} has the unknown status {status!r}")
    customers = count(session, Customer)
    if current_value(session, "customer") != customers:
        problems.append(
            f"counter 'customer' is {current_value(session, 'customer')} but there are "
            f"{customers} customers"
        )
    contract_counters = session.execute(
        select(func.coalesce(func.sum(Counter.value), 0)).where(
            Counter.name.like("contract-%")  # type: ignore[attr-defined]
        )
    ).scalar_one()
    contracts = count(session, Contract)
    if int(contract_counters) != contracts:
        problems.append(
            f"contract counters add up to {contract_counters} but there are {contracts} contracts"
        )
    return problems
