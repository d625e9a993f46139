"""`bizops db backup` while another process keeps writing, then `db restore` of each backup.

A backup is a snapshot of one committed moment: restored into a new file it passes
`db check`, its audit chain verifies, and what it holds is a prefix of what the live
database holds afterwards (the same events in the same order, the same customers).
"""

from __future__ import annotations

import multiprocessing as mp
import time
import traceback
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bizops.store.engine import Database
from bizops.store.models import AuditEvent, Customer, Interaction
from tests.support.cli import Cli
from tests.support.factories import add_users
from tests.support.invariants import count, invariant_problems
from tests.support.processes import run_cli

TODAY = date(2026, 11, 27)
BACKUPS = 3
MAX_SECONDS = 90


def _writer(url: str, stop: Any, written: Any, errors: Any) -> None:
    """Adds a customer and logs a follow-up on it, in two transactions, until told to stop."""
    try:
        from bizops.services.customers import add_customer
        from bizops.services.followups import log_followup
        from bizops.services.policy import default_policy
        from bizops.services.users import find_user

        policy = default_policy()
        db = Database(url)
        started = time.monotonic()
        i = 0
        while not stop.is_set() and time.monotonic() - started < MAX_SECONDS:
            with db.write() as session:
                added = add_customer(
                    session,
                    actor=find_user(session, "alice"),
                    name=f"备份测试客户 {i} Backup Co",
                    grade="ABC"[i % 3],
                    owner="alice",
                    policy=policy,
                    today=TODAY,
                )
            with db.write() as session:
                log_followup(
                    session,
                    actor=find_user(session, "alice"),
                    customer=added["code"],
                    via="phone",
                    summary=f"第 {i} 次电话",
                    policy=policy,
                    today=TODAY,
                )
            i += 1
            written.value = i
        db.dispose()
    except Exception:
        errors.put(traceback.format_exc())


def _snapshot(url: str) -> tuple[list[str], list[tuple[int, str]], int, list[str]]:
    db = Database(url)
    with db.read() as session:
        hashes = list(session.execute(select(AuditEvent.hash).order_by(AuditEvent.id)).scalars())
        customers = [
            (row[0], row[1])
            for row in session.execute(select(Customer.id, Customer.code).order_by(Customer.id))
        ]
        interactions = count(session, Interaction)
        problems = invariant_problems(session)
    db.dispose()
    return hashes, customers, interactions, problems


def _last_action(url: str) -> str:
    db = Database(url)
    with db.read() as session:
        action = session.execute(
            select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)  # type: ignore[attr-defined]
        ).scalar_one()
    db.dispose()
    return str(action)


@pytest.mark.slow
def test_backups_taken_while_another_process_writes_restore_to_a_consistent_prefix(
    tmp_path: Path, cli: Cli
) -> None:
    path = tmp_path / "live.db"
    url = f"sqlite:///{path}"
    assert run_cli(str(path), "init", "--admin", "root").returncode == 0
    add_users(Database(url), {"alice": ["sales"]})

    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    stop, written, errors = ctx.Event(), ctx.Value("i", 0), ctx.Queue()
    writer = ctx.Process(target=_writer, args=(url, stop, written, errors))
    writer.start()
    backups: list[tuple[Path, int]] = []
    try:
        last = 0
        for n in range(BACKUPS):
            deadline = time.monotonic() + 60
            while written.value < last + 5 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert written.value >= last + 5, "the writer is not writing"
            last = written.value
            target = tmp_path / f"backup-{n}.db"
            made = run_cli(str(path), "db", "backup", str(target))
            assert made.returncode == 0, made.stderr
            assert "locked" not in made.stderr.lower()
            backups.append((target, last))
        # The writer was still going after the last backup.
        deadline = time.monotonic() + 60
        while written.value < last + 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        writer.join(120)
    assert errors.empty(), errors.get()
    assert writer.exitcode == 0

    final_hashes, final_customers, final_interactions, problems = _snapshot(url)
    assert problems == []
    previous = 0
    for target, written_before in backups:
        restored = tmp_path / f"restored-{target.stem}.db"
        done = cli("--db", restored, "db", "restore", target)
        assert done.exit_code == 0, done.output
        checked = cli("--db", restored, "db", "check")
        assert checked.exit_code == 0, checked.output
        hashes, customers, interactions, problems = _snapshot(f"sqlite:///{restored}")
        assert problems == []  # audit chain, one open follow-up each, counters
        # The restore records itself last in the restored log; before it, the backup's.
        assert _last_action(f"sqlite:///{restored}") == "db.restore"
        hashes = hashes[:-1]
        assert hashes == final_hashes[: len(hashes)]  # a prefix of the live history
        assert customers == final_customers[: len(customers)]
        # Each customer's follow-up is its own transaction: a backup may fall between the two.
        assert len(customers) - 1 <= interactions <= len(customers)
        assert len(customers) >= max(previous, written_before)
        assert len(customers) < len(final_customers)
        previous = len(customers)
    assert final_interactions == len(final_customers)
