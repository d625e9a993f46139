"""Build a deterministic benchmark database: N customers, 10 interactions each, a contract for
one customer in ten, and pending approvals.

    python bench/generate.py 100000 [--db bench/out/bench-100000.db] [--today 2026-11-27]

The rows go in through sqlite3 executemany (the product's own import is measured elsewhere);
the schema comes from bizops' migrations, so the data set is exactly what bizops reads.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bizops.domain.text import name_key  # noqa: E402
from bizops.services.policy import default_policy  # noqa: E402
from bizops.store.engine import Database  # noqa: E402
from bizops.store.migrate import ensure_schema  # noqa: E402

GRADES = ["A"] * 2 + ["B"] * 3 + ["C"] * 5
STAGES = ["prospect", "contacted", "needs", "proposal", "negotiation", "signed", "maintenance"]
VIA = ["phone", "email", "visit", "meeting", "wechat"]
ZH_PREFIX = ["华", "中", "东方", "新", "金", "长城", "天", "恒", "海", "瑞"]
ZH_MID = ["信", "达", "通", "泰", "丰", "盛", "科", "远", "合", "安"]
ZH_SUFFIX = ["科技有限公司", "贸易有限公司", "制造股份有限公司", "电子有限公司", "物流有限公司"]
EN_WORDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay"]
EN_SUFFIX = ["Ltd.", "Inc.", "GmbH", "Trading Co.", "Systems"]
SALES = 20


def customer_name(i: int, rnd: random.Random) -> str:
    if i % 3:
        return (
            rnd.choice(ZH_PREFIX)
            + rnd.choice(ZH_MID)
            + rnd.choice(ZH_MID)
            + rnd.choice(ZH_SUFFIX)
            + f"（{i}）"
        )
    return f"{rnd.choice(EN_WORDS)} {rnd.choice(EN_WORDS)} {rnd.choice(EN_SUFFIX)} #{i}"


def generate(path: Path, n: int, *, today: date, seed: int = 20261127) -> dict[str, int]:
    if path.exists():
        path.unlink()
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(f"sqlite:///{path}")
    ensure_schema(db)
    db.dispose()
    policy = default_policy()
    rnd = random.Random(seed)
    now = datetime(today.year, today.month, today.day, 9, 0, tzinfo=UTC)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.000000")
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    cur = con.cursor()
    cur.execute("BEGIN")

    users = [(1, "root", "Root", "root@example.com", "admin", None, 1, stamp)]
    users += [
        (
            2 + k,
            f"sales{k:02d}",
            f"Sales {k:02d}",
            f"sales{k:02d}@example.com",
            "sales",
            None,
            1,
            stamp,
        )
        for k in range(SALES)
    ]
    base = 2 + SALES
    for offset, (login, role) in enumerate(
        [("mgr", "manager"), ("fin", "finance"), ("legal", "legal"), ("gm", "gm")]
    ):
        users.append(
            (base + offset, login, login.title(), f"{login}@example.com", role, None, 1, stamp)
        )
    cur.executemany(
        "INSERT INTO users (id, login, name, email, roles, approval_limit, active, created_at) "
        "VALUES (?,?,?,?,?,?,?,?)",
        users,
    )

    customers, stage_rows, followups, interactions = [], [], [], []
    interaction_id = 0
    for i in range(1, n + 1):
        name = customer_name(i, rnd)
        grade = rnd.choice(GRADES)
        stage = rnd.choice(STAGES)
        owner = 2 + (i % SALES)
        created = today - timedelta(days=rnd.randint(120, 400))
        last = created
        for k in range(10):
            interaction_id += 1
            day = created + timedelta(days=int((today - created).days * (k + 1) / 11))
            last = day
            interactions.append(
                (
                    interaction_id,
                    i,
                    f"{day.isoformat()} 10:00:00.000000",
                    day.isoformat(),
                    VIA[(i + k) % len(VIA)],
                    f"Follow-up call {k + 1}: discussed needs and next steps",
                    None,
                    None,
                    owner,
                    None,
                )
            )
        days = policy.cadence_days(grade, stage) or 30
        due = last + timedelta(days=days)
        stage_since = created + timedelta(days=rnd.randint(0, 60))
        customers.append(
            (
                i,
                f"C{i:06d}",
                name,
                name_key(name),
                grade,
                stage,
                owner,
                "制造业" if i % 2 else "Retail",
                "华东" if i % 4 else "North",
                "exhibition",
                (i % 50) * 100_000 * 100,
                "medium",
                None,
                None,
                None,
                stage_since.isoformat(),
                last.isoformat(),
                created.isoformat(),
                stamp,
                None,
            )
        )
        stage_rows.append((i, None, stage, stage_since.isoformat(), stamp, "root", "generated"))
        followups.append((i, i, due.isoformat(), "open", "cadence", None, last.isoformat()))
        if len(interactions) >= 50_000:
            _flush(cur, customers, stage_rows, followups, interactions)
    _flush(cur, customers, stage_rows, followups, interactions)

    contracts, requests, steps = [], [], []
    statuses = ["draft", "pending_approval", "approved", "signed", "active", "completed"]
    contract_count = 0
    for cid in range(10, n + 1, 10):
        contract_count += 1
        status = statuses[contract_count % len(statuses)]
        amount = (50_000 + (contract_count * 7919) % 2_000_000) * 100
        start = today - timedelta(days=rnd.randint(0, 300))
        end = start + timedelta(days=365)
        contracts.append(
            (
                contract_count,
                f"HT-2026-{contract_count:06d}",
                f"年度采购合同 {contract_count}",
                cid,
                2 + (cid % SALES),
                "sales",
                amount,
                "CNY",
                "medium" if contract_count % 7 else "high",
                status,
                start.isoformat(),
                end.isoformat(),
                "sales-zh",
                1,
                "{}",
                0 if contract_count % 5 else 1,
                "[]",
                30,
                start.isoformat() if status in ("signed", "active", "completed") else None,
                today.isoformat(),
                stamp,
            )
        )
        if status == "pending_approval":
            rid = len(requests) + 1
            submitted = today - timedelta(days=contract_count % 6)
            requests.append(
                (
                    rid,
                    contract_count,
                    None,
                    "standard",
                    "any contract",
                    '["manager"]',
                    amount,
                    "pending",
                    1,
                    f"sales{cid % SALES:02d}",
                    submitted.isoformat(),
                    stamp,
                    None,
                )
            )
            steps.append(
                (
                    rid,
                    1,
                    "manager",
                    "pending",
                    submitted.isoformat(),
                    (submitted + timedelta(days=2)).isoformat(),
                )
            )
    cur.executemany(
        "INSERT INTO contracts (id, number, title, customer_id, owner_id, type, amount, currency, "
        'risk, status, start, "end", template_name, template_version, fields, non_standard, '
        "non_standard_reasons, notice_days, signed_on, created_on, created_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        contracts,
    )
    cur.executemany(
        "INSERT INTO approval_requests (id, contract_id, amendment_id, rule_name, rule_reason, chain, "
        "amount, status, current_step, submitted_by, submitted_on, submitted_at, closed_on) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        requests,
    )
    cur.executemany(
        "INSERT INTO approval_steps (request_id, seq, role, status, pending_since, due) "
        "VALUES (?,?,?,?,?,?)",
        steps,
    )
    receipts, milestones = _money_rows(contracts, today)
    cur.executemany(
        "INSERT INTO milestones (contract_id, kind, due, amount) VALUES (?,?,?,?)", milestones
    )
    cur.executemany(
        "INSERT INTO receipts (contract_id, amount, applied, advance, received_on, method, "
        "bank_ref, recorded_on, recorded_by) VALUES (?,?,?,?,?,?,?,?,?)",
        receipts,
    )
    cur.executemany(
        "INSERT INTO counters (name, value) VALUES (?, ?)",
        [("customer", n), ("contract-2026", contract_count), ("audit.events", 0)],
    )
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return {
        "customers": n,
        "interactions": interaction_id,
        "contracts": contract_count,
        "pending_approvals": len(requests),
        "receipts": len(receipts),
    }


def _money_rows(contracts: list[tuple[Any, ...]], today: date) -> tuple[list[Any], list[Any]]:
    """Ten receipts (each a twentieth of the amount) and two payment milestones per contract
    in force: 50,000 receipts at 100,000 customers."""
    receipts: list[Any] = []
    milestones: list[Any] = []
    for row in contracts:
        cid, amount, status, start = row[0], row[6], row[9], date.fromisoformat(row[10])
        if status not in ("signed", "active", "completed"):
            continue
        half = amount // 2
        for k, due in enumerate((start + timedelta(days=30), start + timedelta(days=180))):
            milestones.append((cid, "payment", due.isoformat(), half if k == 0 else amount - half))
        for k in range(10):
            day = min(start + timedelta(days=10 * k), today)
            part = amount // 20
            receipts.append(
                (cid, part, part, 0, day.isoformat(), "transfer", f"B{cid}-{k}",
                 today.isoformat(), "finance")
            )  # fmt: skip
    return receipts, milestones


def _flush(
    cur: sqlite3.Cursor, customers: list, stage_rows: list, followups: list, interactions: list
) -> None:
    cur.executemany(
        "INSERT INTO customers (id, code, name, name_key, grade, stage, owner_id, industry, region, "
        "source, potential, intent, needs, note, cadence_days, stage_since, last_contact_on, "
        "created_on, created_at, archived_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        customers,
    )
    cur.executemany(
        'INSERT INTO stage_changes (customer_id, from_stage, to_stage, "on", at, actor, reason) '
        "VALUES (?,?,?,?,?,?,?)",
        stage_rows,
    )
    cur.executemany(
        "INSERT INTO followups (id, customer_id, due, status, kind, purpose, created_on) "
        "VALUES (?,?,?,?,?,?,?)",
        followups,
    )
    cur.executemany(
        'INSERT INTO interactions (id, customer_id, at, "on", via, summary, contact, outcome, '
        "actor_id, followup_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
        interactions,
    )
    for rows in (customers, stage_rows, followups, interactions):
        rows.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--today", default="2026-11-27")
    args = parser.parse_args()
    path = args.db or ROOT / "bench" / "out" / f"bench-{args.n}.db"
    started = time.perf_counter()
    counts = generate(path, args.n, today=date.fromisoformat(args.today))
    elapsed = time.perf_counter() - started
    print(
        f"generated {path}: "
        + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        + f" in {elapsed:.1f} s"
    )


if __name__ == "__main__":
    main()
