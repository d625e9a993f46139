"""How fast is the morning due list at scale? `bizops followups due --owner all --format json`.

    python bench/followups_due.py [N] [--runs 5] [--db PATH] [--keep]

Builds (deterministically, with sqlite3 executemany into a schema made by bizops' own
migrations) a database of N customers (default 100,000) with 10 interactions each, the ten
follow-ups those interactions closed, and one open follow-up per active customer; 2% of the
customers are archived and 4% lost or dormant (no open follow-up). Then it runs the command
as a subprocess RUNS times and prints the median wall time and the peak RSS of the child.
Targets: under 1.0 s and under 150 MB at 100,000 customers.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bizops.domain import cadence  # noqa: E402
from bizops.domain.text import name_key  # noqa: E402
from bizops.services.policy import default_policy  # noqa: E402
from bizops.store.engine import Database  # noqa: E402
from bizops.store.migrate import ensure_schema  # noqa: E402

TODAY = date(2026, 11, 27)
SALES = 20
GRADES = "AABBBCCCCC"
STAGES = ("prospect", "contacted", "needs", "proposal", "negotiation", "signed", "maintenance")
VIA = ("phone", "email", "visit", "meeting", "wechat")
ZH = ("华信", "中达", "东方通", "新泰", "金丰", "长城", "天盛", "恒科", "海远", "瑞安")
EN = ("Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay")
BATCH = 20_000


def build(path: Path, n: int, *, seed: int = 20261127) -> dict[str, int]:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(f"sqlite:///{path}")
    ensure_schema(db)
    db.dispose()
    policy = default_policy()
    rnd = random.Random(seed)
    stamp = f"{TODAY.isoformat()} 09:00:00.000000"
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("BEGIN")
    users = [(1, "root", "Root", "admin"), (2, "mgr", "Manager", "manager")]
    users += [(3 + k, f"sales{k:02d}", f"销售 {k:02d}", "sales") for k in range(SALES)]
    con.executemany(
        "INSERT INTO users (id, login, name, email, roles, active, created_at) "
        "VALUES (?, ?, ?, NULL, ?, 1, ?)",
        [(*u, stamp) for u in users],
    )
    customers: list[tuple] = []
    interactions: list[tuple] = []
    followups: list[tuple] = []
    fid = iid = 0
    counts = {"customers": 0, "interactions": 0, "followups": 0, "open": 0}
    for cid in range(1, n + 1):
        grade = GRADES[cid % len(GRADES)]
        roll = rnd.random()
        stage = "lost" if roll < 0.02 else "dormant" if roll < 0.04 else rnd.choice(STAGES)
        archived = TODAY.isoformat() if 0.04 <= roll < 0.06 else None
        owner = 3 + cid % SALES
        created = TODAY - timedelta(days=rnd.randint(200, 500))
        # Ten interactions between creation and up to two months ago .. today.
        last = TODAY - timedelta(days=rnd.randint(0, 60))
        span = (last - created).days
        due = cadence.first_contact_due(policy, grade=grade, created=created)
        for k in range(10):
            iid += 1
            fid += 1
            day = created + timedelta(days=span * (k + 1) // 10)
            interactions.append(
                (iid, cid, f"{day.isoformat()} 10:00:00.000000", day.isoformat(),
                 VIA[(cid + k) % 5], f"第{k + 1}次跟进：讨论需求 / follow-up {k + 1}", owner, fid)
            )  # fmt: skip
            followups.append(
                (fid, cid, due.isoformat(), "done", "cadence", None, day.isoformat(),
                 day.isoformat(), int(day <= due), iid)
            )  # fmt: skip
            due = cadence.next_due(policy, grade=grade, stage="prospect", last=day) or due
        if cadence.has_followups(stage, archived is not None):
            fid += 1
            nxt = cadence.next_due(policy, grade=grade, stage=stage, last=last)
            assert nxt is not None
            followups.append(
                (fid, cid, nxt.isoformat(), "open", "cadence", None, last.isoformat(),
                 None, None, None)
            )  # fmt: skip
            counts["open"] += 1
        name = (
            f"{ZH[cid % 10]}{ZH[cid // 10 % 10]}科技有限公司（{cid}）"
            if cid % 3
            else f"{EN[cid % 8]} {EN[cid // 8 % 8]} Ltd. #{cid}"
        )
        customers.append(
            (cid, f"C{cid:06d}", name, name_key(name), grade, stage, owner,
             created.isoformat(), last.isoformat(), created.isoformat(), stamp, archived)
        )  # fmt: skip
        if len(customers) >= BATCH:
            _flush(con, customers, interactions, followups, counts)
    _flush(con, customers, interactions, followups, counts)
    con.execute("INSERT INTO counters (name, value) VALUES ('customer', ?)", (n,))
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()
    return counts


def _flush(con: sqlite3.Connection, customers: list, interactions: list, followups: list,
           counts: dict[str, int]) -> None:  # fmt: skip
    con.executemany(
        "INSERT INTO customers (id, code, name, name_key, grade, stage, owner_id, stage_since, "
        "last_contact_on, created_on, created_at, archived_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        customers,
    )
    con.executemany(
        'INSERT INTO interactions (id, customer_id, at, "on", via, summary, actor_id, '
        "followup_id) VALUES (?,?,?,?,?,?,?,?)",
        interactions,
    )
    con.executemany(
        "INSERT INTO followups (id, customer_id, due, status, kind, purpose, created_on, "
        "closed_on, on_time, interaction_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
        followups,
    )
    counts["customers"] += len(customers)
    counts["interactions"] += len(interactions)
    counts["followups"] += len(followups)
    for rows in (customers, interactions, followups):
        rows.clear()


TIME = Path("/usr/bin/time")


def run_once(path: Path) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak RSS in MB, bytes written) of one run of the command.

    The peak RSS comes from /usr/bin/time when it exists: a child forked straight from this
    (large) process would report this process's memory as its own high-water mark.
    """
    cmd = [
        str(ROOT / ".venv" / "bin" / "bizops"), "--db", str(path), "--today", TODAY.isoformat(),
        "followups", "due", "--owner", "all", "--format", "json",
    ]  # fmt: skip
    if not Path(cmd[0]).exists():
        cmd[0:1] = [sys.executable, "-m", "bizops"]
    report = path.with_name("time-report.txt")
    if TIME.exists():
        cmd = [str(TIME), "-f", "%M %U %S", "-o", str(report), *cmd]
    env = {**os.environ, "BIZOPS_HOME": str(path.parent)}
    env.pop("BIZOPS_USER", None)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    size = 0
    assert proc.stdout is not None
    while chunk := proc.stdout.read(1 << 16):
        size += len(chunk)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        assert proc.stderr is not None
        raise SystemExit(f"bizops failed ({proc.returncode}): {proc.stderr.read().decode()}")
    if TIME.exists():
        kb, user, system = report.read_text().split()[-3:]
        return elapsed, float(user) + float(system), int(kb) // 1024, size
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, size


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--keep", action="store_true", help="Reuse the database if it exists.")
    args = parser.parse_args()
    path = args.db or ROOT / "bench" / "out" / f"followups-due-{args.n}.db"
    if not (args.keep and path.exists()):
        started = time.perf_counter()
        counts = build(path, args.n)
        print(
            f"built {path}: "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items())
            + f" in {time.perf_counter() - started:.1f} s"
        )
    run_once(path)  # warm the page cache; not counted
    times, cpus, peaks = [], [], []
    size = 0
    for _ in range(args.runs):
        elapsed, cpu, peak, size = run_once(path)
        times.append(elapsed)
        cpus.append(cpu)
        peaks.append(peak)
    median = statistics.median(times)
    load = os.getloadavg()[0]
    print(
        f"followups due --owner all --format json ({args.runs} runs, output "
        f"{size / 1e6:.1f} MB): median wall {median:.3f} s "
        f"[{', '.join(f'{t:.2f}' for t in times)}], median CPU {statistics.median(cpus):.3f} s, "
        f"peak RSS {max(peaks)} MB; load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"targets: wall < 1.0 s {'OK' if median < 1.0 else 'MISSED'}, "
        f"peak RSS < 150 MB {'OK' if max(peaks) < 150 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
