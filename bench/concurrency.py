"""Sixteen people logging follow-ups at once on PostgreSQL: writes per second against one.

    python bench/concurrency.py postgresql://bizops:bizops@localhost:5432/postgres
        [--workers 16] [--writes 40]

Builds the database ``bizops_bench_concurrency`` (16 sales users, each with its own
customers), then runs ``followups.log_followup`` (what `bizops followups log` calls), one
transaction per write, first in one process and then in WORKERS processes at once, each on
different customers. Prints writes per second for both and their ratio. Under one
database-wide write lock the ratio stays near 1x whatever the number of processes; what
still takes turns is the audit chain's head, from each write's audit event to its commit.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TODAY = date(2026, 11, 27)
PER_WORKER = 4  # customers per worker; each write goes to the next one in turn


def prepare(server: str, workers: int) -> str:
    import psycopg
    from pgload import _psycopg_url, database_url

    from bizops.services.customers import add_customer
    from bizops.services.policy import default_policy
    from bizops.services.users import add_user, find_user, init_admin
    from bizops.store.engine import Database
    from bizops.store.migrate import ensure_schema

    name = "bizops_bench_concurrency"
    with psycopg.connect(_psycopg_url(server), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = database_url(server, name)
    db = Database(url)
    ensure_schema(db)
    policy = default_policy()
    with db.write() as session:
        init_admin(session, login="root", name="Root")
    with db.write() as session:
        root = find_user(session, "root")
        for w in range(workers):
            add_user(session, login=f"w{w:02d}", name=f"Worker {w}", roles=["sales"], actor=root)
    with db.write() as session:
        root = find_user(session, "root")
        for w in range(workers):
            for k in range(PER_WORKER):
                add_customer(
                    session,
                    actor=root,
                    name=f"并发测试客户 {w}-{k} Concurrency Ltd.",
                    grade="B",
                    owner=f"w{w:02d}",
                    policy=policy,
                    today=TODAY,
                )
    db.dispose()
    return url


# What every write took first before writes ran side by side: the audit head's key.
ONE_LOCK = "SELECT pg_advisory_xact_lock(:k)"


def _worker(url: str, index: int, writes: int, go: Any, results: Any, one_lock: bool) -> None:
    from sqlalchemy import text

    from bizops.services.followups import log_followup
    from bizops.services.policy import default_policy
    from bizops.services.users import find_user
    from bizops.store.engine import AUDIT_HEAD_LOCK_KEY, Database

    policy = default_policy()
    db = Database(url)
    with db.read() as session:
        find_user(session, f"w{index:02d}")  # connect before the start signal
    go.wait(60)
    started = time.perf_counter()
    for i in range(writes):
        with db.write() as session:
            if one_lock:
                session.execute(text(ONE_LOCK), {"k": AUDIT_HEAD_LOCK_KEY})
            log_followup(
                session,
                actor=find_user(session, f"w{index:02d}"),
                customer=f"C{index * PER_WORKER + i % PER_WORKER + 1:04d}",
                via="phone",
                summary=f"并发写入 {index}-{i}",
                policy=policy,
                today=TODAY,
            )
    results.put(time.perf_counter() - started)
    db.dispose()


def writes_per_second(url: str, processes: int, writes: int, one_lock: bool = False) -> float:
    ctx = mp.get_context("fork")
    go = ctx.Event()
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(url, i, writes, go, results, one_lock))
        for i in range(processes)
    ]
    for p in procs:
        p.start()
    time.sleep(1.0)
    started = time.perf_counter()
    go.set()
    for _ in procs:
        results.get(timeout=600)
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join(60)
        if p.exitcode != 0:
            raise SystemExit(f"a writer failed (exit {p.exitcode})")
    return processes * writes / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("server")
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--writes", type=int, default=40, help="writes per process")
    args = parser.parse_args()
    url = prepare(args.server, args.workers)
    one = writes_per_second(url, 1, args.writes)
    many = writes_per_second(url, args.workers, args.writes)
    before = writes_per_second(url, args.workers, args.writes, one_lock=True)
    print(
        f"concurrency (PostgreSQL, followups log): 1 process {one:.0f} writes/s; "
        f"{args.workers} processes {many:.0f} writes/s, ratio {many / one:.2f}x; "
        f"{args.workers} processes behind one lock for every write (as before) "
        f"{before:.0f} writes/s, ratio {before / one:.2f}x "
        f"({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
