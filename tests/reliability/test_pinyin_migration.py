"""The pinyin revision fills in the keys of every existing customer, and search is indexed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import MetaData, insert, select

from bizops.store.engine import Database
from bizops.store.revisions import HEAD
from tests.support.cli import Cli
from tests.support.databases import add_users_before_keys, upgrade_to

AT = datetime(2026, 3, 1, 8, 30, 15, tzinfo=UTC)
NAMES = ["上海鼎盛电子有限公司", "重庆银行股份有限公司", "Acme Trading Ltd."]


def test_existing_customers_get_their_pinyin(empty_url: str, cli: Cli) -> None:
    db = Database(empty_url)
    upgrade_to(db, "0004_reports")
    add_users_before_keys(db, {"alice": ["sales"]})
    meta = MetaData()
    with db.engine.begin() as conn:
        meta.reflect(conn)
        conn.execute(
            insert(meta.tables["customers"]),
            [
                {
                    "id": i,
                    "code": f"C{i:04d}",
                    "name": name,
                    "name_key": name.lower(),
                    "grade": "B",
                    "stage": "prospect",
                    "owner_id": 2,
                    "stage_since": AT.date(),
                    "created_on": AT.date(),
                    "created_at": AT,
                }
                for i, name in enumerate(NAMES, start=1)
            ],
        )
        conn.execute(insert(meta.tables["counters"]), [{"name": "customer", "value": 3}])
    upgrade_to(db, HEAD)
    meta = MetaData()
    with db.engine.connect() as conn:
        meta.reflect(conn)
        c = meta.tables["customers"].c
        rows = conn.execute(select(c.name, c.name_pinyin, c.name_initials).order_by(c.id)).all()
    db.dispose()
    assert [tuple(r) for r in rows] == [
        (NAMES[0], "shanghaidingshengdianziyouxiangongsi", "shdsdzyxgs"),
        (NAMES[1], "chongqingyinhanggufenyouxiangongsi", "cqyhgfyxgs"),
        (NAMES[2], "acmetradingltd", "atl"),
    ]
    for term, code in (("dingsheng", "C0001"), ("cqyh", "C0002"), ("DSDZ", "C0001")):
        found = cli("--db", empty_url, "customer", "list", "--search", term, "--format", "json")
        assert found.exit_code == 0, found.output
        assert [c["code"] for c in json.loads(found.stdout)] == [code], term
