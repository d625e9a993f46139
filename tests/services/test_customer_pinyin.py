"""Customers are found by the pinyin of their name, full or initials, however they came in
(add, rename, import), through an indexed query."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from sqlalchemy import event, select

from bizops.services import customers
from bizops.store.models import Customer

TODAY = date(2026, 11, 27)


def _add(db, team, policy, name):
    with db.write() as s:
        return customers.add_customer(
            s, actor=team["alice"], name=name, grade="B", owner=team["alice"], policy=policy,
            today=TODAY,
        )["code"]  # fmt: skip


def _search(db, text, scope="active"):
    with db.read() as s:
        return [
            r["name"]
            for r in customers.list_customers(s, today=TODAY, search=text, scope=scope, sort="code")
        ]


def test_found_by_full_pinyin_and_initials(db, team, policy):
    _add(db, team, policy, "鼎盛电子有限公司")
    _add(db, team, policy, "上海鼎盛贸易有限公司")
    _add(db, team, policy, "重庆银行股份有限公司")
    _add(db, team, policy, "Acme Trading Ltd.")
    assert _search(db, "dingsheng") == ["鼎盛电子有限公司", "上海鼎盛贸易有限公司"]
    assert _search(db, "dsdz") == ["鼎盛电子有限公司"]
    assert _search(db, "DSDZ") == ["鼎盛电子有限公司"]
    assert _search(db, "ding sheng dian zi") == ["鼎盛电子有限公司"]
    assert _search(db, "chongqing") == ["重庆银行股份有限公司"]  # 重 read as chong in 重庆
    assert _search(db, "cqyh") == ["重庆银行股份有限公司"]
    assert _search(db, "鼎盛") == ["鼎盛电子有限公司", "上海鼎盛贸易有限公司"]
    assert _search(db, "acme") == ["Acme Trading Ltd."]
    assert _search(db, "zzzz") == []


def test_a_new_name_gets_new_pinyin(db, team, policy):
    code = _add(db, team, policy, "鼎盛电子")
    with db.write() as s:
        customers.update_customer(
            s, actor=team["alice"], ref=code, name="华信科技", policy=policy, today=TODAY
        )
    assert _search(db, "dsdz") == []
    assert _search(db, "huaxin") == ["华信科技"] and _search(db, "hxkj") == ["华信科技"]
    with db.read() as s:
        row = s.execute(select(Customer.name_pinyin, Customer.name_initials)).one()
    assert tuple(row) == ("huaxinkeji", "hxkj")


def test_imported_customers_have_their_pinyin(db, team, policy, tmp_path: Path):
    source = tmp_path / "customers.csv"
    source.write_text(
        "客户名称,等级,负责人\n鼎盛电子,A类,alice\n华信科技,乙,alice\n", encoding="utf-8"
    )
    with db.write() as s:
        customers.import_customers(s, actor=team["alice"], path=source, policy=policy, today=TODAY)
    assert _search(db, "dsdz") == ["鼎盛电子"]
    assert _search(db, "huaxinkeji") == ["华信科技"]


def test_the_search_is_an_indexed_query(db, team, policy):
    if db.engine.dialect.name != "sqlite":
        return
    _add(db, team, policy, "鼎盛电子")
    statements: list[tuple[str, tuple]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        assert _search(db, "dsdz") == ["鼎盛电子"]
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    sql, parameters = next((s, p) for s, p in statements if "name_initials" in s)
    path = db.engine.url.database
    assert path
    with sqlite3.connect(path) as conn:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, parameters)]
    # The pinyin is read from its index, and no step reads every row of a table.
    assert any("USING COVERING INDEX ix_customers_pinyin" in step for step in plan), plan
    assert not [s for s in plan if s.startswith("SCAN") and "USING" not in s], plan
