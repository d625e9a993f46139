"""A database made by the first schema revision is upgraded step by step with its data intact.

The database starts at ``0001_foundation`` with users, audit events (through the real
hash chain) and counters; each later revision is applied with rows in every table that
revision created, and after every step a full dump of every earlier table must be
unchanged. The last step is the user's own `bizops db upgrade`, after which `db check`
is clean and the normal commands read the old data.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, insert, select

from bizops.store.engine import Database
from bizops.store.migrate import schema_state
from bizops.store.revisions import HEAD, REVISIONS
from tests.support.cli import Cli
from tests.support.databases import add_users_before_keys, upgrade_to

AT = datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
LONG = "长文本 long text ✓ " * 300
Dump = dict[str, list[tuple[Any, ...]]]


def dump(db: Database) -> Dump:
    """Every row of every table, ordered by primary key (alembic_version left out)."""
    meta = MetaData()
    out: Dump = {}
    with db.engine.connect() as conn:
        meta.reflect(conn)
        for name, table in sorted(meta.tables.items()):
            if name == "alembic_version":
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            out[name] = [tuple(row) for row in conn.execute(select(table).order_by(*order))]
    return out


def insert_rows(
    db: Database, rows: dict[str, list[dict[str, Any]]], counters: dict[str, int]
) -> None:
    """Plain inserts into the tables as the migrations made them (reflected, not the models),
    with the counters that numbered them."""
    meta = MetaData()
    with db.engine.begin() as conn:
        meta.reflect(conn)
        for name, values in rows.items():
            conn.execute(insert(meta.tables[name]), values)
            if conn.dialect.name == "postgresql" and "id" in meta.tables[name].c:
                # Rows written with explicit ids: move the sequence on, as real inserts would.
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )
        conn.execute(
            insert(meta.tables["counters"]),
            [{"name": name, "value": value} for name, value in counters.items()],
        )


def assert_kept(before: Dump, after: Dump) -> None:
    """Every row as it was; columns a later revision adds (at the end) are not compared."""
    for name, rows in before.items():
        width = len(rows[0]) if rows else 0
        kept = [row[:width] for row in after[name]]
        assert kept == rows, f"table {name} changed during the upgrade"


CUSTOMER_ROWS: dict[str, list[dict[str, Any]]] = {
    "customers": [
        {
            "id": 1,
            "code": "C0001",
            "name": "华东精密制造有限公司",
            "name_key": "华东精密制造有限公司",
            "grade": "A",
            "stage": "negotiation",
            "owner_id": 2,
            "industry": "制造业",
            "region": "华东",
            "source": "展会",
            "potential": 150_000_000,
            "intent": "high",
            "needs": LONG,
            "note": "重点客户 🚀",
            "cadence_days": 5,
            "stage_since": date(2026, 2, 1),
            "last_contact_on": date(2026, 2, 20),
            "created_on": date(2026, 1, 5),
            "created_at": AT,
            "archived_on": None,
        },
        {
            "id": 2,
            "code": "C0002",
            "name": "Acme Trading Ltd.",
            "name_key": "acmetradingltd",
            "grade": "C",
            "stage": "lost",
            "owner_id": 3,
            "industry": None,
            "region": None,
            "source": None,
            "potential": None,
            "intent": None,
            "needs": None,
            "note": None,
            "cadence_days": None,
            "stage_since": date(2026, 2, 10),
            "last_contact_on": None,
            "created_on": date(2026, 1, 6),
            "created_at": AT,
            "archived_on": None,
        },
        {
            "id": 3,
            "code": "C0003",
            "name": "Archived Co",
            "name_key": "archivedco",
            "grade": "B",
            "stage": "prospect",
            "owner_id": 2,
            "industry": "Retail",
            "region": "North",
            "source": "web",
            "potential": 5_000_050,
            "intent": "low",
            "needs": "",
            "note": "line\nbreak",
            "cadence_days": None,
            "stage_since": date(2026, 1, 7),
            "last_contact_on": None,
            "created_on": date(2026, 1, 7),
            "created_at": AT,
            "archived_on": date(2026, 2, 1),
        },
    ],
    "contacts": [
        {
            "id": 1,
            "customer_id": 1,
            "name": "张伟",
            "title": "采购经理",
            "phone": "+86 138 0000 0000",
            "email": "zhang.wei@huadong.example",
            "email_key": "zhang.wei@huadong.example",
            "search_key": "张伟 zhang.wei@huadong.example 8613800000000",
            "is_primary": True,
        },
        {
            "id": 2,
            "customer_id": 1,
            "name": "Li Na",
            "title": None,
            "phone": None,
            "email": None,
            "email_key": None,
            "search_key": "li na",
            "is_primary": False,
        },
    ],
    "customer_tags": [
        {"customer_id": 1, "tag": "vip"},
        {"customer_id": 1, "tag": "重点"},
        {"customer_id": 3, "tag": "old"},
    ],
    "stage_changes": [
        {
            "id": 1,
            "customer_id": 1,
            "from_stage": None,
            "to_stage": "prospect",
            "on": date(2026, 1, 5),
            "at": AT,
            "actor": "alice",
            "reason": "created",
        },
        {
            "id": 2,
            "customer_id": 1,
            "from_stage": "prospect",
            "to_stage": "negotiation",
            "on": date(2026, 2, 1),
            "at": AT,
            "actor": "alice",
            "reason": "跳过阶段：客户主动询价",
        },
        {
            "id": 3,
            "customer_id": 2,
            "from_stage": "prospect",
            "to_stage": "lost",
            "on": date(2026, 2, 10),
            "at": AT,
            "actor": "bob",
            "reason": "chose a competitor",
        },
    ],
    "followups": [
        {
            "id": 1,
            "customer_id": 1,
            "due": date(2026, 1, 6),
            "status": "done",
            "kind": "first_contact",
            "purpose": "first contact",
            "created_on": date(2026, 1, 5),
            "closed_on": date(2026, 2, 20),
            "on_time": False,
            "interaction_id": 1,
            "snoozed_from": None,
            "snooze_reason": None,
        },
        {
            "id": 2,
            "customer_id": 1,
            "due": date(2026, 2, 25),
            "status": "open",
            "kind": "cadence",
            "purpose": None,
            "created_on": date(2026, 2, 20),
            "closed_on": None,
            "on_time": None,
            "interaction_id": None,
            "snoozed_from": date(2026, 2, 23),
            "snooze_reason": "客户出差",
        },
        {
            "id": 3,
            "customer_id": 2,
            "due": date(2026, 1, 13),
            "status": "cancelled",
            "kind": "first_contact",
            "purpose": "first contact",
            "created_on": date(2026, 1, 6),
            "closed_on": date(2026, 2, 10),
            "on_time": None,
            "interaction_id": None,
            "snoozed_from": None,
            "snooze_reason": None,
        },
    ],
    "interactions": [
        {
            "id": 1,
            "customer_id": 1,
            "at": AT,
            "on": date(2026, 2, 20),
            "via": "visit",
            "summary": "拜访工厂，讨论年度框架协议 🏭",
            "contact": "张伟",
            "outcome": "报价下周发出",
            "actor_id": 2,
            "followup_id": 1,
        }
    ],
}

CONTRACT_ROWS: dict[str, list[dict[str, Any]]] = {
    "template_versions": [
        {
            "id": 1,
            "name": "sales-custom",
            "version": 2,
            "type": "sales",
            "language": "zh",
            "title": "自定义购销合同",
            "description": None,
            "body": "# {{ contract.title }}\n金额：{{ contract.amount | cn_upper }}\n",
            "fields": [{"name": "warranty_months", "type": "int", "required": True}],
            "sha256": "a" * 64,
            "created_at": AT,
            "created_by": "root",
        }
    ],
    "contracts": [
        {
            "id": 1,
            "number": "HT-2026-0001",
            "title": "年度购销合同",
            "customer_id": 1,
            "owner_id": 2,
            "type": "sales",
            "amount": 12_000_050,
            "currency": "CNY",
            "risk": "medium",
            "status": "active",
            "start": date(2026, 3, 1),
            "end": date(2027, 2, 28),
            "template_name": "sales-custom",
            "template_version": 2,
            "fields": {"warranty_months": 12, "note": "含税"},
            "non_standard": False,
            "non_standard_reasons": [],
            "notice_days": 30,
            "signed_on": date(2026, 2, 27),
            "signatory": "张伟",
            "submitted_on": date(2026, 2, 21),
            "approved_on": date(2026, 2, 25),
            "activated_on": date(2026, 3, 1),
            "completed_on": None,
            "terminated_on": None,
            "termination_reason": None,
            "archived_on": None,
            "archive_reason": None,
            "created_on": date(2026, 2, 20),
            "created_at": AT,
        },
        {
            "id": 2,
            "number": "HT-2026-0002",
            "title": "Draft NDA",
            "customer_id": 1,
            "owner_id": 2,
            "type": "nda",
            "amount": 0,
            "currency": "USD",
            "risk": "low",
            "status": "draft",
            "start": date(2026, 4, 1),
            "end": date(2028, 3, 31),
            "template_name": None,
            "template_version": None,
            "fields": {},
            "non_standard": True,
            "non_standard_reasons": ["no template"],
            "notice_days": 7,
            "signed_on": None,
            "signatory": None,
            "submitted_on": None,
            "approved_on": None,
            "activated_on": None,
            "completed_on": None,
            "terminated_on": None,
            "termination_reason": None,
            "archived_on": None,
            "archive_reason": None,
            "created_on": date(2026, 3, 1),
            "created_at": AT,
        },
    ],
    "contract_notes": [
        {"id": 1, "contract_id": 1, "at": AT, "actor": "leo", "text": "法务意见：违约金条款已修改"}
    ],
    "amendments": [
        {
            "id": 1,
            "contract_id": 1,
            "seq": 1,
            "number": "HT-2026-0001-A1",
            "changes": {"amount": {"from": "120000.50", "to": "150000.00"}},
            "reason": "增加采购量",
            "status": "pending_approval",
            "created_on": date(2026, 3, 10),
            "created_by": "alice",
            "applied_on": None,
        }
    ],
    "milestones": [
        {
            "id": 1,
            "contract_id": 1,
            "kind": "payment",
            "due": date(2026, 4, 1),
            "amount": 6_000_025,
            "note": "首付款 50%",
            "done_on": date(2026, 3, 30),
            "done_by": "fay",
        },
        {
            "id": 2,
            "contract_id": 1,
            "kind": "delivery",
            "due": date(2026, 6, 1),
            "amount": None,
            "note": None,
            "done_on": None,
            "done_by": None,
        },
    ],
    "disputes": [
        {
            "id": 1,
            "contract_id": 1,
            "summary": "交付延迟",
            "status": "resolved",
            "opened_on": date(2026, 6, 5),
            "opened_by": "alice",
            "resolution": "延期两周，免违约金",
            "resolved_on": date(2026, 6, 10),
            "resolved_by": "leo",
        }
    ],
    "attachments": [
        {
            "id": 1,
            "contract_id": 1,
            "kind": "signed",
            "filename": "年度购销合同-签字版.pdf",
            "sha256": "b" * 64,
            "size": 5,
            "stored_path": None,
            "content": b"%PDF\x00",
            "added_on": date(2026, 2, 27),
            "added_by": "alice",
        }
    ],
    "drafts": [
        {
            "id": 1,
            "contract_id": 1,
            "template_name": "sales-custom",
            "template_version": 2,
            "format": "docx",
            "sha256": "c" * 64,
            "values": {"warranty_months": 12},
            "created_on": date(2026, 2, 20),
            "created_by": "alice",
        }
    ],
    "approval_requests": [
        {
            "id": 1,
            "contract_id": 1,
            "amendment_id": None,
            "rule_name": "default",
            "rule_reason": "otherwise",
            "chain": ["manager"],
            "amount": 12_000_050,
            "status": "approved",
            "current_step": 1,
            "submitted_by": "alice",
            "submitted_on": date(2026, 2, 21),
            "submitted_at": AT,
            "closed_on": date(2026, 2, 25),
        },
        {
            "id": 2,
            "contract_id": 1,
            "amendment_id": 1,
            "rule_name": "large",
            "rule_reason": "amount >= 200,000",
            "chain": ["manager", "finance", "legal"],
            "amount": 15_000_000,
            "status": "pending",
            "current_step": 2,
            "submitted_by": "alice",
            "submitted_on": date(2026, 3, 10),
            "submitted_at": AT,
            "closed_on": None,
        },
    ],
    "approval_steps": [
        {
            "id": 1,
            "request_id": 1,
            "seq": 1,
            "role": "manager",
            "status": "approved",
            "pending_since": date(2026, 2, 21),
            "due": date(2026, 2, 24),
            "decided_by": "mia",
            "decided_on": date(2026, 2, 25),
            "comment": "同意",
        },
        {
            "id": 2,
            "request_id": 2,
            "seq": 1,
            "role": "manager",
            "status": "approved",
            "pending_since": date(2026, 3, 10),
            "due": date(2026, 3, 12),
            "decided_by": "mia",
            "decided_on": date(2026, 3, 11),
            "comment": None,
        },
        {
            "id": 3,
            "request_id": 2,
            "seq": 2,
            "role": "finance",
            "status": "pending",
            "pending_since": date(2026, 3, 11),
            "due": date(2026, 3, 13),
            "decided_by": None,
            "decided_on": None,
            "comment": None,
        },
    ],
}


def test_a_first_revision_database_upgrades_step_by_step_with_every_row_intact(
    empty_url: str, cli: Cli
) -> None:
    assert REVISIONS[:3] == ("0001_foundation", "0002_customers", "0003_contracts")
    db = Database(empty_url)
    upgrade_to(db, "0001_foundation")
    # Users, audit events and counters, written the way bizops writes them.
    add_users_before_keys(db, {"alice": ["sales"], "bob": ["sales", "manager"], "mia": ["manager"]})
    first = dump(db)
    assert sorted(first) == ["audit_events", "counters", "users"]
    assert len(first["users"]) == 4 and len(first["audit_events"]) == 4 and first["counters"]

    upgrade_to(db, "0002_customers")
    assert_kept(first, dump(db))
    insert_rows(db, CUSTOMER_ROWS, {"customer": 3})
    second = dump(db)
    assert all(second[name] for name in CUSTOMER_ROWS)

    upgrade_to(db, "0003_contracts")
    assert_kept(second, dump(db))
    insert_rows(db, CONTRACT_ROWS, {"contract-2026": 2})
    third = dump(db)
    assert all(third[name] for name in CONTRACT_ROWS)
    db.dispose()

    upgraded = cli("--db", empty_url, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert "Upgraded schema from 0003_contracts to " + HEAD in upgraded.stdout
    db = Database(empty_url)
    assert schema_state(db).revision == HEAD
    assert_kept(third, dump(db))
    db.dispose()
    if empty_url.startswith("sqlite"):
        backup = Path(empty_url.removeprefix("sqlite:///") + f".before-{HEAD}.bak")
        assert backup.exists()

    checked = cli("--db", empty_url, "db", "check")
    assert checked.exit_code == 0, checked.output
    # The old rows read back through the normal commands.
    listed = cli("--db", empty_url, "customer", "list", "--all", "--format", "json")
    assert listed.exit_code == 0, listed.output
    codes = {c["code"] for c in json.loads(listed.stdout)}
    assert codes == {"C0001", "C0002", "C0003"}
    shown = cli("--db", empty_url, "contract", "show", "HT-2026-0001", "--format", "json")
    assert shown.exit_code == 0, shown.output
    contract = json.loads(shown.stdout)
    assert contract["amount"] == "120000.50" and contract["status"] == "active"
    # And new work numbers on from the old counters.
    added = cli(
        "--db",
        empty_url,
        "--as",
        "root",
        "customer",
        "add",
        "升级后新客户",
        "--grade",
        "B",
        "--owner",
        "alice",
    )
    assert added.exit_code == 0, added.output
    assert "C0004" in added.stdout
