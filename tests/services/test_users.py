"""Users and roles through the service layer on every backend."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.services import users
from bizops.store.audit import verify_chain
from bizops.store.engine import Database
from bizops.store.models import AuditEvent, User
from tests.support.factories import add_user
from tests.support.queries import count_rows


def admin(s) -> User:  # type: ignore[no-untyped-def]
    return users.find_user(s, "root")


def test_init_admin_once(db: Database) -> None:
    with db.write() as s:
        view = users.init_admin(s, login="Root", name="系统管理员", email="root@example.com")
    assert view.login == "root" and view.roles == ["admin"] and view.active
    with pytest.raises(Conflict, match="already initialised"), db.write() as s:
        users.init_admin(s, login="other")
    assert count_rows(db, AuditEvent) == 1
    with db.read() as s:
        (event,) = s.execute(select(AuditEvent)).scalars()
        assert event.action == "user.init" and event.actor == "root"


def test_add_list_show_update_deactivate(db: Database) -> None:
    add_user(db, "root")
    with db.write() as s:
        view = users.add_user(
            s,
            actor=admin(s),
            login="Alice",
            name="陈爱丽 Alice",
            email="alice@example.com",
            roles=["sales", "manager,sales"],
            limit="50万",
        )
    assert view.login == "alice" and view.roles == ["sales", "manager"]
    assert view.limit == Decimal("500000.00")
    assert view.as_dict() == {
        "id": view.id,
        "login": "alice",
        "name": "陈爱丽 Alice",
        "email": "alice@example.com",
        "roles": ["sales", "manager"],
        "limit": "500000.00",
        "active": True,
        "team": None,
    }
    with db.read() as s:
        assert users.show_user(s, ref="陈爱丽 alice").login == "alice"
        assert users.show_user(s, ref=str(view.id)).login == "alice"
        assert [u.login for u in users.list_users(s, role="manager")] == ["alice"]
        assert [u.login for u in users.list_users(s)] == ["alice", "root"]
    with db.write() as s:
        updated = users.update_user(
            s, actor=admin(s), ref="alice", add_roles=["finance"], remove_roles=["sales"]
        )
    assert updated.roles == ["manager", "finance"]
    with db.write() as s:
        updated = users.update_user(s, actor=admin(s), ref="alice", clear_limit=True)
    assert updated.limit is None
    with db.write() as s:
        gone = users.deactivate_user(s, actor=admin(s), ref="alice")
    assert not gone.active
    with db.read() as s:
        assert [u.login for u in users.list_users(s, include_inactive=False)] == ["root"]
        with pytest.raises(NotPermitted, match="deactivated"):
            users.resolve_actor(s, "alice")
    with db.write() as s:
        back = users.update_user(s, actor=admin(s), ref="alice", activate=True)
    assert back.active
    with db.read() as s:
        actions = [a for (a,) in s.execute(select(AuditEvent.action).order_by(AuditEvent.id)).all()]
        count, problems = verify_chain(s)
    assert actions == [
        "user.init",
        "user.add",
        "user.update",
        "user.update",
        "user.deactivate",
        "user.update",
    ]
    assert count == 6 and problems == []


def test_update_records_before_and_after(db: Database) -> None:
    add_user(db, "bob", "sales")
    with db.write() as s:
        users.update_user(s, actor=admin(s), ref="bob", name="李波", limit="1,000")
    with db.read() as s:
        ev = s.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()  # type: ignore[union-attr]
        before, after = ev.before or "", ev.after or ""
    assert '"name": "Bob"' in before and '"name": "李波"' in after
    assert '"limit": "1000.00"' in after


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"login": "zed", "roles": ["boss"]}, Invalid, "unknown role 'boss'"),
        ({"login": "zed", "roles": []}, Invalid, "at least one role"),
        ({"login": "zed", "roles": ["sales"], "email": "zed@"}, Invalid, "email"),
        ({"login": "z e d", "roles": ["sales"]}, Invalid, "not a valid login"),
        ({"login": "zed", "roles": ["sales"], "limit": "abc"}, Invalid, "--limit"),
        ({"login": "zed", "roles": ["sales"], "limit": "0"}, Invalid, "greater than zero"),
        ({"login": "zed", "roles": ["sales"], "limit": "-5"}, Invalid, "greater than zero"),
        ({"login": "zed", "roles": ["sales"], "name": "a\x00b"}, Invalid, "control characters"),
        ({"login": "ALICE", "roles": ["sales"]}, Conflict, "already taken"),
    ],
)
def test_bad_input_changes_nothing(
    db: Database, kwargs: dict[str, object], error: type[Exception], words: str
) -> None:
    add_user(db, "alice", "sales")
    before = count_rows(db, AuditEvent)
    with pytest.raises(error, match=words), db.write() as s:
        users.add_user(s, actor=admin(s), **kwargs)  # type: ignore[arg-type]
    assert count_rows(db, AuditEvent) == before
    with db.read() as s:
        assert users.count_users(s) == 2


def test_only_admins_manage_users(db: Database) -> None:
    add_user(db, "alice", "sales")
    add_user(db, "mia", "manager")
    before = count_rows(db, AuditEvent)
    with db.write() as s:
        alice = users.find_user(s, "alice")
        with pytest.raises(NotPermitted, match="only an admin"):
            users.add_user(s, actor=alice, login="zed", roles=["sales"])
        with pytest.raises(NotPermitted):
            users.update_user(s, actor=alice, ref="alice", add_roles=["admin"])
        with pytest.raises(NotPermitted):
            users.deactivate_user(s, actor=alice, ref="mia")
    assert count_rows(db, AuditEvent) == before


def test_the_last_admin_stays(db: Database) -> None:
    add_user(db, "alice", "sales")
    before = count_rows(db, AuditEvent)
    with pytest.raises(Conflict, match="last active admin"), db.write() as s:
        users.deactivate_user(s, actor=admin(s), ref="root")
    with pytest.raises(Conflict, match="last active admin"), db.write() as s:
        users.update_user(s, actor=admin(s), ref="root", remove_roles=["admin"])
    with pytest.raises(Conflict, match="last active admin"), db.write() as s:
        users.update_user(s, actor=admin(s), ref="root", roles=["sales"])
    assert count_rows(db, AuditEvent) == before
    # with a second admin, the first may step down
    with db.write() as s:
        users.update_user(s, actor=admin(s), ref="alice", add_roles=["admin"])
    with db.write() as s:
        users.update_user(s, actor=admin(s), ref="root", roles=["manager"])
    with db.read() as s:
        assert users.show_user(s, ref="root").roles == ["manager"]


def test_a_deactivated_admin_does_not_count(db: Database) -> None:
    add_user(db, "alice", "admin")
    with db.write() as s:
        users.deactivate_user(s, actor=admin(s), ref="alice")
    with pytest.raises(Conflict), db.write() as s:
        users.deactivate_user(s, actor=admin(s), ref="root")


def test_other_refusals(db: Database) -> None:
    add_user(db, "alice", "sales")
    before = count_rows(db, AuditEvent)
    with pytest.raises(NotFound, match="no user 'nobody'"), db.write() as s:
        users.update_user(s, actor=admin(s), ref="nobody", name="x")
    with pytest.raises(Invalid, match="nothing to change"), db.write() as s:
        users.update_user(s, actor=admin(s), ref="alice")
    with pytest.raises(Invalid, match="keep at least one role"), db.write() as s:
        users.update_user(s, actor=admin(s), ref="alice", remove_roles=["sales"])
    with pytest.raises(Invalid, match="cannot be used together"), db.write() as s:
        users.update_user(s, actor=admin(s), ref="alice", limit="5", clear_limit=True)
    with db.write() as s:
        users.deactivate_user(s, actor=admin(s), ref="alice")
    with pytest.raises(Conflict, match="already deactivated"), db.write() as s:
        users.deactivate_user(s, actor=admin(s), ref="alice")
    assert count_rows(db, AuditEvent) == before + 1


def test_ambiguous_names_list_the_candidates(db: Database) -> None:
    add_user(db, "wei1", "sales", name="张伟")
    add_user(db, "wei2", "sales", name="张伟")
    with db.read() as s:
        with pytest.raises(Invalid) as info:
            users.find_user(s, "张伟")
        assert "wei1 (张伟)" in info.value.message and "wei2 (张伟)" in info.value.message
        with pytest.raises(Invalid, match="empty"):
            users.find_user(s, " ")


def test_who_acts(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user(db, "alice", "sales")
    with db.read() as s:
        assert users.resolve_actor(s, "ALICE").login == "alice"  # type: ignore[union-attr]
        with pytest.raises(NotPermitted, match="no user 'nobody'"):
            users.resolve_actor(s, "nobody")
        monkeypatch.setattr(users, "os_login", lambda: "alice")
        assert users.resolve_actor(s, None).login == "alice"  # type: ignore[union-attr]
        monkeypatch.setattr(users, "os_login", lambda: "stranger")
        with pytest.raises(NotPermitted, match="who is acting"):
            users.resolve_actor(s, None)
        assert users.resolve_actor(s, None, required=False) is None


def test_team_and_audit_chain(db, team):
    with db.read() as s:
        logins = [u.login for u in users.list_users(s)]
        count, problems = verify_chain(s)
    assert logins == sorted(team)
    assert count == len(team) and problems == []


def test_non_admin_cannot_add_and_nothing_changes(db, team):
    with pytest.raises(NotPermitted), db.write() as s:
        users.add_user(s, actor=team["alice"], login="zed", roles=["sales"])
    with db.read() as s:
        assert "zed" not in [u.login for u in users.list_users(s)]


def test_duplicate_login(db):
    add_user(db, "alice", "sales")
    with pytest.raises(Conflict), db.write() as s:
        admin = users.find_user(s, "root")
        users.add_user(s, actor=admin, login="ALICE", roles=["sales"])
