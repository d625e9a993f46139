"""`bizops audit ...`: the log and its filters, and verify naming a tampered event."""

from __future__ import annotations

import json
import os
import sqlite3

from tests.support.cli import one_error_line


def test_audit_log_and_filters(cli_admin) -> None:  # type: ignore[no-untyped-def]
    cli_admin("--as", "root", "user", "add", "alice", "-r", "sales")
    cli_admin("--as", "root", "user", "update", "alice", "--name", "陈爱丽")
    rows = json.loads(cli_admin("audit", "log", "-f", "json").stdout)
    assert [r["action"] for r in rows] == ["user.update", "user.add", "user.init"]
    assert rows[0]["after"]["name"] == "陈爱丽" and rows[0]["before"]["name"] == "alice"
    assert isinstance(rows[0]["id"], int)
    one = json.loads(cli_admin("audit", "log", "--entity", "user:alice", "-f", "json").stdout)
    assert [r["action"] for r in one] == ["user.update", "user.add"]
    assert len(json.loads(cli_admin("audit", "log", "--actor", "root", "-f", "json").stdout)) == 3
    assert json.loads(cli_admin("audit", "log", "--actor", "alice", "-f", "json").stdout) == []
    got = json.loads(cli_admin("audit", "log", "--action", "user.add", "-f", "json").stdout)
    assert [r["entity_id"] for r in got] == ["alice"]
    assert len(json.loads(cli_admin("audit", "log", "--since", "-7d", "-f", "json").stdout)) == 3
    future = cli_admin("--today", "2999-01-01", "audit", "log", "--since", "today", "-f", "json")
    assert json.loads(future.stdout) == []
    assert len(json.loads(cli_admin("audit", "log", "--limit", "1", "-f", "json").stdout)) == 1
    assert "--since" in one_error_line(cli_admin("audit", "log", "--since", "someday"), 2)
    table = cli_admin("audit", "log").stdout
    assert table.splitlines()[0].startswith("#\tAt (UTC)\tActor")


def test_audit_verify_names_the_tampered_event(cli_admin) -> None:  # type: ignore[no-untyped-def]
    for login in ("alice", "bob", "carol"):
        cli_admin("--as", "root", "user", "add", login, "-r", "sales")
    r = cli_admin("audit", "verify")
    assert r.exit_code == 0 and r.stdout.strip() == "Audit chain OK: 4 events verified."
    conn = sqlite3.connect(os.environ["BIZOPS_DB"])
    conn.execute("""UPDATE audit_events SET after = '{"roles": ["admin"]}' WHERE id = 3""")
    conn.commit()
    r = cli_admin("audit", "verify")
    assert r.exit_code == 1 and "Traceback" not in r.stderr
    assert r.stderr.splitlines()[0] == "Error: audit chain broken: 1 problem(s) in 4 events"
    assert "event 3 (user.add user bob) was edited" in r.stderr
    conn.execute("DELETE FROM audit_events WHERE id = 2")
    conn.commit()
    conn.close()
    r = cli_admin("audit", "verify")
    assert r.exit_code == 1 and "event 3 does not follow event 1" in r.stderr
