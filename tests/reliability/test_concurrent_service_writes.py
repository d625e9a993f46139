"""Eight processes write at once to one database: every write lands, nobody sees
"database is locked", contract numbers have no gaps or repeats, and the invariants hold.

Each worker is a separate process with its own ``Database`` (its own engine and
connections), calling the services the CLI calls, one transaction per command — the same
path as eight people running `bizops followups log` and `bizops contract new` together.
"""

from __future__ import annotations

import multiprocessing as mp
import traceback
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bizops.store.engine import Database
from bizops.store.migrate import ensure_schema
from bizops.store.models import AuditEvent, Contract, Customer, FollowUp, Interaction
from tests.support.factories import add_users
from tests.support.invariants import count, invariant_problems
from tests.support.pg import needs_pg, throwaway_database

WORKERS = 8
FOLLOWUPS = 50
CONTRACTS = 5
CUSTOMERS = 4  # shared by all workers, so they contend for the same open follow-ups
TODAY = date(2026, 11, 27)


def _worker(url: str, index: int, go: Any, results: Any) -> None:
    """One person: 50 follow-ups spread over the shared customers, then 5 contracts."""
    errors: list[str] = []
    done = {"followups": 0, "contracts": 0}
    try:
        from bizops.services.contracts import create_contract
        from bizops.services.followups import log_followup
        from bizops.services.policy import default_policy
        from bizops.services.users import find_user

        policy = default_policy()
        db = Database(url)
        with db.read() as session:  # connect and warm up before the start signal
            find_user(session, f"m{index}")
        go.wait(60)
        for i in range(FOLLOWUPS):
            try:
                with db.write() as session:
                    log_followup(
                        session,
                        actor=find_user(session, f"m{index}"),
                        customer=f"C{(index + i) % CUSTOMERS + 1:04d}",
                        via=("phone", "email", "wechat", "visit")[i % 4],
                        summary=f"worker {index} call {i}: 讨论报价 ✓",
                        policy=policy,
                        today=TODAY,
                    )
                done["followups"] += 1
            except Exception:
                errors.append(traceback.format_exc())
        for i in range(CONTRACTS):
            try:
                with db.write() as session:
                    create_contract(
                        session,
                        actor=find_user(session, f"m{index}"),
                        customer=f"C{(index + i) % CUSTOMERS + 1:04d}",
                        type="sales",
                        title=f"Worker {index} contract {i} 购销合同",
                        amount="120,000.50",
                        risk="low",
                        start="2026-12-01",
                        end="2027-11-30",
                        policy=policy,
                        today=TODAY,
                    )
                done["contracts"] += 1
            except Exception:
                errors.append(traceback.format_exc())
        db.dispose()
    except Exception:
        errors.append(traceback.format_exc())
    results.put((index, done, errors))


def _prepare(url: str) -> None:
    from bizops.services.customers import add_customer
    from bizops.services.policy import default_policy
    from bizops.services.users import find_user

    db = Database(url)
    ensure_schema(db)
    add_users(db, {f"m{i}": ["manager"] for i in range(WORKERS)})
    policy = default_policy()
    with db.write() as session:
        for i in range(CUSTOMERS):
            add_customer(
                session,
                actor=find_user(session, "root"),
                name=f"共享客户 {i} Shared Customer",
                grade="ABC"[i % 3],
                owner="m0",
                policy=policy,
                today=TODAY,
            )
    db.dispose()


def eight_at_once(url: str) -> None:
    _prepare(url)
    # fork: the workers start at once without importing the stack again (spawn elsewhere).
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    go = ctx.Event()
    results = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, i, go, results)) for i in range(WORKERS)]
    for p in procs:
        p.start()
    go.set()
    reports = [results.get(timeout=240) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    errors = [e for _, _, errs in reports for e in errs]
    assert not [e for e in errors if "locked" in e.lower()], errors[:3]
    assert not errors, errors[:3]
    assert all(done == {"followups": FOLLOWUPS, "contracts": CONTRACTS} for _, done, _ in reports)

    db = Database(url)
    with db.read() as session:
        assert count(session, Interaction) == WORKERS * FOLLOWUPS
        assert count(session, Contract) == WORKERS * CONTRACTS
        numbers = sorted(session.execute(select(Contract.number)).scalars())
        assert numbers == [f"HT-2026-{n:04d}" for n in range(1, WORKERS * CONTRACTS + 1)]
        # Every log closed exactly one follow-up: the first-contact one plus 400 cadence ones.
        assert count(session, FollowUp) == CUSTOMERS + WORKERS * FOLLOWUPS
        done = session.execute(select(FollowUp.id).where(FollowUp.status == "done")).scalars().all()
        assert len(done) == WORKERS * FOLLOWUPS
        linked = (
            session.execute(
                select(Interaction.followup_id).where(Interaction.followup_id.is_not(None))  # type: ignore[union-attr]
            )
            .scalars()
            .all()
        )
        assert sorted(linked) == sorted(done)  # each interaction closed a different follow-up
        assert count(session, Customer) == CUSTOMERS
        setup_events = 1 + WORKERS + CUSTOMERS
        assert count(session, AuditEvent) == setup_events + WORKERS * (FOLLOWUPS + CONTRACTS)
        assert invariant_problems(session) == []
    db.dispose()


@pytest.mark.slow
def test_eight_writers_on_one_sqlite_file(tmp_path: Path) -> None:
    eight_at_once(f"sqlite:///{tmp_path / 'team.db'}")


@pytest.mark.slow
@needs_pg
def test_eight_writers_on_postgresql() -> None:
    with throwaway_database("bizops_rel_conc") as url:
        eight_at_once(url)
