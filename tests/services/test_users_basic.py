import pytest

from bizops.domain.errors import Conflict, NotPermitted
from bizops.services import users
from bizops.store.audit import verify_chain
from tests.conftest import add_user


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
