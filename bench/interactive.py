"""The interactive targets: one person's ordinary command, timed the way they run it.

    python bench/interactive.py [N] [--runs 5] [--pg URL]

Each read and write runs in a fresh `bizops` process (median of RUNS after a warm-up) and is
printed with its limit and two ratios: against the floor (a fresh Python that imports the
database driver and runs the same query in plain SQL: what any Python tool pays) and against
`task next` on N tasks (taskwarrior, skipped if it is not installed). The writes run on a
copy of the data set, so the data set stays as generated.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import taskwarrior  # noqa: E402
from measure import Figures, bizops_command, time_command  # noqa: E402

TODAY = "2026-11-27"
REP = "sales01"  # one of the 20 generated sales reps (user id 3: customers with i % 20 == 1)
CODE = "C000042"
CONTRACT = "HT-2026-000042"
SEARCH = "Globex"
# `followups log --at` refuses a moment in the future, and with --today "now" is the wall
# clock's time of day on TODAY: a time on TODAY could lie ahead of it (before 10:00, 10:00
# does). The day before TODAY is in the past whatever the hour.
LOGGED_ON = (date.fromisoformat(TODAY) - timedelta(days=1)).isoformat()
READ_LIMIT = 0.30
WRITE_LIMIT = 0.40
START_LIMIT = 0.15

# The same reads in plain SQL, as a hand-written tool would run them (literals inline, so one
# text serves SQLite and PostgreSQL).
FLOOR_SQL: dict[str, list[str]] = {
    "due": [
        "SELECT id FROM users WHERE login = 'sales01'",
        "SELECT f.id, c.code, c.name, c.grade, c.stage, f.due, c.last_contact_on "
        "FROM followups f JOIN customers c ON c.id = f.customer_id "
        "WHERE f.status = 'open' AND c.owner_id = 3 AND f.due <= '2026-11-27' "
        "AND c.archived_on IS NULL ORDER BY f.due",
    ],
    "show": [
        "SELECT * FROM customers WHERE code = 'C000042'",
        "SELECT * FROM contacts WHERE customer_id = 42",
        "SELECT tag FROM customer_tags WHERE customer_id = 42",
        "SELECT * FROM stage_changes WHERE customer_id = 42",
        "SELECT * FROM followups WHERE customer_id = 42 AND status = 'open'",
    ],
    "pending": [
        "SELECT r.id, s.seq, s.role, r.amount, c.number, c.title, u.login "
        "FROM approval_steps s JOIN approval_requests r ON r.id = s.request_id "
        "JOIN contracts c ON c.id = r.contract_id JOIN users u ON u.id = c.owner_id "
        "WHERE r.status = 'pending' AND s.status = 'pending' AND s.seq = r.current_step "
        "AND s.role = 'manager'",
    ],
    "search": [
        "SELECT id, code, name, grade, stage FROM customers "
        "WHERE name_key LIKE '%globex%' AND archived_on IS NULL ORDER BY code LIMIT 20",
    ],
    "contract": [
        "SELECT * FROM contracts WHERE number = 'HT-2026-000042'",
        "SELECT * FROM customers WHERE id = 420",
        "SELECT * FROM milestones WHERE contract_id = 42",
        "SELECT * FROM receipts WHERE contract_id = 42",
        "SELECT * FROM approval_requests WHERE contract_id = 42",
    ],
    "log": [
        'INSERT INTO interactions (customer_id, at, "on", via, summary, actor_id) '
        "VALUES (42, '2026-11-27 10:00:00', '2026-11-27', 'phone', 'floor', 1)",
    ],
}


@dataclass(frozen=True)
class Case:
    label: str
    args: Callable[[int], list[str]]
    limit: float
    floor: str | None


def _fixed(*args: str) -> Callable[[int], list[str]]:
    return lambda _i: list(args)


READS = [
    Case(f"followups due (rep {REP})", _fixed("--as", REP, "followups", "due"), READ_LIMIT, "due"),
    Case(f"customer show {CODE}", _fixed("--as", "mgr", "customer", "show", CODE), READ_LIMIT,
         "show"),
    Case("approval pending (manager)", _fixed("--as", "mgr", "approval", "pending"), READ_LIMIT,
         "pending"),
    Case(f"customer list --search {SEARCH} --limit 20",
         _fixed("--as", "mgr", "customer", "list", "--search", SEARCH, "--limit", "20"),
         READ_LIMIT, "search"),
    Case(f"contract show {CONTRACT}", _fixed("--as", "mgr", "contract", "show", CONTRACT),
         READ_LIMIT, "contract"),
]  # fmt: skip

WRITES = [
    Case(f"followups log {CODE}",
         lambda i: ["--as", "mgr", "followups", "log", CODE, "--via", "phone",
                    "--summary", f"电话沟通报价 {i}", "--at", f"{LOGGED_ON} 10:{i:02d}"],
         WRITE_LIMIT, "log"),
    Case("customer add",
         lambda i: ["--as", "mgr", "customer", "add", f"基准测试新客户{os.getpid()}-{i}有限公司",
                    "--grade", "B", "--owner", REP, "--contact", "张伟, 采购经理, 13800138000"],
         WRITE_LIMIT, "log"),
]  # fmt: skip


def floor_command(url: str, key: str | None) -> list[str]:
    """A fresh Python importing the driver and running the target's SQL (or nothing)."""
    queries = FLOOR_SQL.get(key or "", [])
    if url.startswith("postgresql"):
        dsn = url.replace("postgresql+psycopg://", "postgresql://", 1)
        code = (
            "import psycopg\n"
            f"with psycopg.connect({dsn!r}) as c:\n"
            f"    for q in {queries!r}: c.execute(q).fetchall() if q.startswith('SELECT') "
            "else c.execute(q)\n"
            "    c.rollback()\n"
        )
    else:
        code = "import sqlite3\n" + (
            f"c = sqlite3.connect({url!r})\n"
            f"for q in {queries!r}: c.execute(q).fetchall()\n"
            "c.rollback()\n"
            if queries
            else ""
        )
    return [sys.executable, "-c", code]


def ratio(figure: float, base: float | None) -> str:
    return f"{figure / base:.1f}x" if base else "n/a"


def report(label: str, fig: Figures, limit: float, floor: Figures, task: Figures | None) -> str:
    verdict = "OK" if fig.median < limit else "MISSED"
    return (
        f"{label}: {fig.median:.3f} s (CPU {fig.median_cpu:.3f} s, peak {fig.peak_mb} MB); "
        f"limit {limit:g} s {verdict}; floor {floor.median:.3f} s, ratio {ratio(fig.median, floor.median)}"
        f" (CPU {ratio(fig.median_cpu, floor.median_cpu)})"
        + (f"; vs task next {ratio(fig.median, task.median)}" if task else "")
    )


def scratch_copy(db: str) -> str:
    """A copy of a SQLite data set for the writes (PostgreSQL: the same database)."""
    if db.startswith("postgresql"):
        return db
    src = Path(db)
    dst = src.with_name(src.stem + "-writes.db")
    for suffix in ("-wal", "-shm"):
        Path(str(dst) + suffix).unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    return str(dst)


def run(db: str, n: int, runs: int) -> None:
    task = None
    if taskwarrior.available():
        task = taskwarrior.next_figures(n, runs)
        print(task.line(f"task next ({n:,} tasks, taskwarrior)"))
    else:
        print("task next: taskwarrior is not installed (apt-get install taskwarrior): skipped")
    bare = time_command(floor_command(db, None), runs=runs)
    print(bare.line("floor: python -c 'import sqlite3'"))
    base = [*bizops_command(), "--db", db, "--today", TODAY]
    for case in READS:
        fig = time_command(lambda i, c=case: [*base, *c.args(i)], runs=runs)
        floor = time_command(floor_command(db, case.floor), runs=runs)
        print(report(f"{case.label} ({n:,} customers)", fig, case.limit, floor, task))
    for args, label in ((["--help"], "bizops --help"), (["--version"], "bizops --version")):
        fig = time_command([*bizops_command(), *args], runs=runs)
        print(report(label, fig, START_LIMIT, bare, task))
    writes = scratch_copy(db)
    base = [*bizops_command(), "--db", writes, "--today", TODAY]
    for case in WRITES:
        fig = time_command(lambda i, c=case: [*base, *c.args(i)], runs=runs)
        floor = time_command(floor_command(writes, case.floor), runs=runs)
        print(report(f"{case.label} ({n:,} customers)", fig, case.limit, floor, task))
    if not writes.startswith("postgresql"):
        Path(writes).unlink(missing_ok=True)


def main() -> None:
    from followups_due import database

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", metavar="URL", help="a PostgreSQL server (see pgload.py)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()}")
    if args.pg:
        from pgload import load

        db = load(args.pg, database(args.n))
    else:
        db = str(database(args.n))
    run(db, args.n, args.runs)


if __name__ == "__main__":
    sys.exit(main())
