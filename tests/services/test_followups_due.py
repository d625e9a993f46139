"""`list_due`: what is overdue and due, most urgent first, for whom."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bizops.services.customers import add_customer
from bizops.services.followups import list_due
from bizops.services.users import find_user
from bizops.store.models import Customer, FollowUp


class _Added:
    def __init__(self, id: int) -> None:
        self.id = id


def insert_customer(db, *, name, owner, policy, today, grade):
    with db.write() as s:
        root = find_user(s, "root")
        view = add_customer(
            s, actor=root, name=name, grade=grade, owner=owner.login, policy=policy, today=today
        )
    return _Added(view["id"])


def _set_due(db, customer, due, last=None):
    with db.write() as s:
        s.execute(update(FollowUp).where(FollowUp.customer_id == customer.id).values(due=due))
        if last is not None:
            s.execute(
                update(Customer).where(Customer.id == customer.id).values(last_contact_on=last)
            )


def test_order_window_and_keys(db, team, policy, today):
    alice, bob = team["alice"], team["bob"]
    c_late = insert_customer(
        db, name="迟到公司", owner=alice, policy=policy, today=today, grade="C"
    )
    a_late = insert_customer(db, name="Acme", owner=bob, policy=policy, today=today, grade="A")
    b_today = insert_customer(db, name="Beta", owner=alice, policy=policy, today=today, grade="B")
    a_today = insert_customer(db, name="Alpha", owner=alice, policy=policy, today=today, grade="A")
    later = insert_customer(db, name="Later", owner=alice, policy=policy, today=today, grade="A")
    _set_due(db, c_late, today - timedelta(days=5), last=today - timedelta(days=40))
    _set_due(db, a_late, today - timedelta(days=5))
    _set_due(db, b_today, today)
    _set_due(db, a_today, today)
    _set_due(db, later, today + timedelta(days=3))

    with db.read() as s:
        rows = list(list_due(s, today=today, policy=policy, owner_ids=None))
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

        mine = list(list_due(s, today=today, policy=policy, owner_ids=[alice.id]))
        assert [r["customer"] for r in mine] == ["迟到公司", "Alpha", "Beta"]
        overdue = list(list_due(s, today=today, policy=policy, owner_ids=None, overdue_only=True))
        assert [r["customer"] for r in overdue] == ["Acme", "迟到公司"]
        week = list(
            list_due(s, today=today, policy=policy, owner_ids=None, until=today + timedelta(7))
        )
        # Not overdue: grade before due date, so an A due in 3 days precedes a B due today.
        assert [r["customer"] for r in week] == ["Acme", "迟到公司", "Alpha", "Later", "Beta"]
        only_a = list(list_due(s, today=today, policy=policy, owner_ids=None, grade="a"))
        assert [r["customer"] for r in only_a] == ["Acme", "Alpha"]
        assert list(list_due(s, today=today, policy=policy, owner_ids=[])) == []


def test_core_views_match_the_models():
    """list_due and history read through light Core views; each column must exist, same type."""
    from bizops.services import followups as fs
    from bizops.store.models import Customer as C
    from bizops.store.models import FollowUp as F
    from bizops.store.models import Interaction as I
    from bizops.store.models import User as U

    for view, model in [(fs.FOLLOWUPS, F), (fs.CUSTOMERS, C), (fs.USERS, U), (fs.INTERACTIONS, I)]:
        real = model.__table__
        assert view.name == real.name
        for col in view.c:
            assert col.name in real.c, f"{real.name}.{col.name}"
            assert col.type._type_affinity is real.c[col.name].type._type_affinity, col.name


def test_due_list_starts_without_the_orm_models():
    import subprocess
    import sys

    code = (
        "import sys, bizops.cli.followups, bizops.services.followups; "
        "print('bizops.store.models' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
