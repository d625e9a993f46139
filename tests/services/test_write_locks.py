"""On PostgreSQL, writes about different records do not wait on each other; writes about the
same customer, the same numbering counter or the audit chain's head take turns.

Each test keeps one write transaction open on one connection and runs the other write on a
second connection with a short ``lock_timeout``: a write that would wait fails with a lock
timeout at once instead of hanging, so nothing here depends on timing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session

from bizops.domain.errors import StorageError
from bizops.services import followups
from bizops.services.followups.access import active_customer
from bizops.services.policy import Policy
from bizops.store import audit
from bizops.store.counters import next_value
from bizops.store.engine import Database
from bizops.store.models import User
from tests.support.factories import add_customer


@pytest.fixture
def pg(db: Database) -> Database:
    if db.is_sqlite:
        pytest.skip("SQLite's writers take turns by design (BEGIN IMMEDIATE)")
    return db


@pytest.fixture
def two(pg: Database, team: dict[str, User], policy: Policy, today: date) -> list[str]:
    return [
        str(add_customer(pg, name=name, owner=team["alice"], policy=policy, today=today)["code"])
        for name in ("华东贸易有限公司", "Globex Trading Ltd.")
    ]


@contextmanager
def impatient(db: Database) -> Iterator[Session]:
    """A second writer on its own connection that gives up after 0.5 s of waiting on a lock."""
    other = Database(db.url)
    try:
        with other.write() as session:
            session.execute(text("SET LOCAL lock_timeout = '500ms'"))
            yield session
    finally:
        other.dispose()


def _log(session: Session, actor: User, code: str, policy: Policy, today: date) -> None:
    followups.log_followup(
        session, actor=actor, customer=code, via="phone", summary="通话", policy=policy, today=today
    )


def test_a_write_about_another_customer_does_not_wait(
    pg: Database, team: dict[str, User], two: list[str], policy: Policy, today: date
) -> None:
    with pg.write() as first:
        customer = active_customer(first, two[0])  # holds the first customer
        customer.note = "电话未接通"
        first.add(customer)
        first.flush()
        next_value(first, "contract-2026")  # and a numbering counter
        with impatient(pg) as second:
            _log(second, team["alice"], two[1], policy, today)  # commits without waiting


def test_writes_about_the_same_customer_take_turns(
    pg: Database, team: dict[str, User], two: list[str], policy: Policy, today: date
) -> None:
    with pg.write() as first:
        active_customer(first, two[0])
        with pytest.raises(StorageError, match="lock timeout"), impatient(pg) as second:
            _log(second, team["alice"], two[0], policy, today)


def test_one_counter_is_taken_in_turn_and_others_are_free(pg: Database, team: dict) -> None:
    with pg.write() as first:
        assert next_value(first, "contract-2026") == 1
        with impatient(pg) as second:
            assert next_value(second, "contract-2027") == 1
        with pytest.raises(StorageError, match="lock timeout"), impatient(pg) as second:
            next_value(second, "contract-2026")
    with pg.write() as after:
        assert next_value(after, "contract-2026") == 2  # no gap, no repeat


def test_the_audit_chain_head_is_taken_in_turn(pg: Database, team: dict) -> None:
    with pg.write() as first:
        audit.record(first, actor="root", action="test.first", entity_type="test", entity_id=1)
        with pytest.raises(StorageError, match="lock timeout"), impatient(pg) as second:
            audit.record(
                second, actor="root", action="test.second", entity_type="test", entity_id=2
            )
    with pg.write() as after:
        audit.record(after, actor="root", action="test.third", entity_type="test", entity_id=3)
    with pg.read() as session:
        assert audit.verify_chain(session)[1] == []  # one chain, linked and counted
