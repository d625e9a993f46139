"""`due_rows`: what is overdue and due, most urgent first, for whom."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bizops.services.followups import due_rows
from bizops.store.models import Customer, FollowUp
from tests.support.factories import add_customer


def _set_due(db, customer, due, last=None):
    with db.write() as s:
        s.execute(update(FollowUp).where(FollowUp.customer_id == customer["id"]).values(due=due))
        if last is not None:
            s.execute(
                update(Customer).where(Customer.id == customer["id"]).values(last_contact_on=last)
            )


def test_order_window_and_keys(db, team, policy, today):
    alice, bob = team["alice"], team["bob"]
    c_late = add_customer(db, name="迟到公司", owner=alice, policy=policy, today=today, grade="C")
    a_late = add_customer(db, name="Acme", owner=bob, policy=policy, today=today, grade="A")
    b_today = add_customer(db, name="Beta", owner=alice, policy=policy, today=today, grade="B")
    a_today = add_customer(db, name="Alpha", owner=alice, policy=policy, today=today, grade="A")
    later = add_customer(db, name="Later", owner=alice, policy=policy, today=today, grade="A")
    _set_due(db, c_late, today - timedelta(days=5), last=today - timedelta(days=40))
    _set_due(db, a_late, today - timedelta(days=5))
    _set_due(db, b_today, today)
    _set_due(db, a_today, today)
    _set_due(db, later, today + timedelta(days=3))

    with db.read() as s:
        rows = list(due_rows(s, today=today, policy=policy, owner_ids=None, until=today))
        assert [r["customer"] for r in rows] == ["Acme", "迟到公司", "Alpha", "Beta"]
        first = rows[0]
        assert set(first) >= {
            "id", "code", "customer", "grade", "stage", "owner", "due",
            "days_overdue", "last_contact", "channel",
        }  # fmt: skip
        assert first["owner"] == "bob" and first["days_overdue"] == 5
        assert first["channel"] == "visit/phone"
        assert rows[1]["last_contact"] == today - timedelta(days=40)
        assert rows[2]["days_overdue"] == 0 and rows[2]["due"] == today

        mine = list(due_rows(s, today=today, policy=policy, owner_ids=[alice.id], until=today))
        assert [r["customer"] for r in mine] == ["迟到公司", "Alpha", "Beta"]
        overdue = list(
            due_rows(s, today=today, policy=policy, owner_ids=None, until=today, overdue_only=True)
        )
        assert [r["customer"] for r in overdue] == ["Acme", "迟到公司"]
        week = list(
            due_rows(s, today=today, policy=policy, owner_ids=None, until=today + timedelta(7))
        )
        # Not overdue: grade before due date, so an A due in 3 days precedes a B due today.
        assert [r["customer"] for r in week] == ["Acme", "迟到公司", "Alpha", "Later", "Beta"]
        only_a = list(
            due_rows(s, today=today, policy=policy, owner_ids=None, until=today, grade="a")
        )
        assert [r["customer"] for r in only_a] == ["Acme", "Alpha"]
        assert list(due_rows(s, today=today, policy=policy, owner_ids=[], until=today)) == []


def test_due_list_reads_the_partial_index_of_open_follow_ups(tmp_path, policy, today):
    """The morning list reads the covering index of open follow-ups, never the table of
    closed ones (SQLite uses a partial index only when the query names 'open' literally)."""
    from sqlalchemy import event

    from bizops.store.engine import Database
    from bizops.store.migrate import ensure_schema

    db = Database(f"sqlite:///{tmp_path / 'plan.db'}")
    ensure_schema(db)
    seen: list[tuple[str, object]] = []

    @event.listens_for(db.engine, "before_cursor_execute")
    def keep(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    with db.read() as s:
        list(due_rows(s, owner_ids=None, until=today, today=today, policy=policy))
    statement, parameters = next((st, p) for st, p in seen if "ORDER BY" in st)
    with db.read() as s:
        plan = s.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        details = [str(row[-1]) for row in plan]
    db.dispose()
    assert any("ix_followups_open_due" in d for d in details), details


def test_due_list_loads_only_the_models_it_reads():
    """The command line declares its listings without the database stack, and the due list
    builds the users, customers and follow-ups models, not the contracts or approvals."""
    import subprocess
    import sys

    code = (
        "import sys, bizops.cli.followups; light = 'sqlalchemy' not in sys.modules; "
        "from bizops.services.followups import due_rows, owner_scope, window_until; "
        "print(light, *sorted(m for m in sys.modules if m.startswith('bizops.store.models.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [
        "True",
        "bizops.store.models.core",
        "bizops.store.models.customers",
        "bizops.store.models.followups",
        "bizops.store.models.table",  # the base of the table models
    ]
