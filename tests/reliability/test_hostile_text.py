"""Text that reaches a template, a terminal or a mail header.

Names (customer, contact, user) refuse control characters, line breaks, bidi overrides and
names made only of invisible characters; duplicate detection ignores zero-width characters;
`--set` values outside a template's schema get the checks of a one-line text field; and
stored text with control sequences is shown escaped, never obeyed, on a terminal.
"""

from __future__ import annotations

import email.policy
import json
from datetime import date
from email import message_from_bytes

import pytest
from sqlalchemy import update

from bizops.domain.errors import Conflict, Invalid
from bizops.domain.policy import Policy
from bizops.domain.policy.model import MailSettings
from bizops.domain.text import name_key, visible
from bizops.reports.mailer import Outgoing, build_message
from bizops.services import customers, users
from bizops.store.engine import Database
from bizops.store.models import Customer, User
from tests.support.cli import Cli, one_error_line
from tests.support.factories import add_customer

HOSTILE_NAMES = {
    "escape": "Acme\x1b[2J Ltd",
    "bell": "Acme\x07",
    "nul": "Acme\x00 Ltd",
    "line feed": "Acme\nBcc: x@example.com",
    "carriage return": "Acme\r Ltd",
    "line separator": "Acme\u2028Ltd",
    "paragraph separator": "Acme\u2029Ltd",
    "right-to-left override": "Acme\u202eDTL",
    "isolate": "Acme\u2066Ltd\u2069",
    "only zero-width": "\u200b\u200c\u200d",
    "only word joiner and BOM": "\u2060\ufeff",
    "only a Hangul filler": "\u3164",
}


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=list(HOSTILE_NAMES))
def test_hostile_customer_contact_and_user_names_are_refused(
    db: Database, team: dict[str, User], policy: Policy, today: date, name: str
) -> None:
    with db.write() as session, pytest.raises(Invalid):
        customers.add_customer(
            session,
            actor=team["alice"],
            name=name,
            grade="B",
            owner="alice",
            policy=policy,
            today=today,
        )
    with db.write() as session, pytest.raises(Invalid):
        customers.add_customer(
            session,
            actor=team["alice"],
            name="Contact Test Ltd",
            grade="B",
            owner="alice",
            contacts=[f"{name}, buyer"],
            policy=policy,
            today=today,
        )
    with db.write() as session, pytest.raises(Invalid):
        users.add_user(session, actor=team["root"], login="eve", name=name, roles=["sales"])


def test_duplicate_detection_ignores_zero_width_characters(
    db: Database, team: dict[str, User], policy: Policy, today: date
) -> None:
    assert name_key("Ac\u200bme\u200d Trading\ufeff") == name_key("Acme Trading")
    add_customer(db, owner=team["alice"], name="Acme Trading", policy=policy, today=today)
    with db.write() as session, pytest.raises(Conflict):
        customers.add_customer(
            session,
            actor=team["alice"],
            name="Ac\u200bme Trad\u2060ing",
            grade="B",
            owner="alice",
            policy=policy,
            today=today,
        )


def test_a_display_name_cannot_break_a_mail_header() -> None:
    mail = MailSettings(host="smtp.example.com", sender="bizops <bizops@example.com>")

    def recipients(name: str) -> list[tuple[str, str]]:
        msg = build_message(
            mail, Outgoing(to="wang@example.com", to_name=name, subject="s", text="t", html="h")
        )
        parsed = message_from_bytes(msg.as_bytes(), policy=email.policy.default)
        assert parsed["Bcc"] is None and parsed["Cc"] is None
        return [(a.display_name, a.addr_spec) for a in parsed["To"].addresses]

    assert recipients('A "quoted" <x@evil.example>, b@evil.example') == [
        ('A "quoted" <x@evil.example>, b@evil.example', "wang@example.com")
    ]
    assert recipients("王芳") == [("王芳", "wang@example.com")]
    with pytest.raises(ValueError):  # never a header of its own
        recipients("Eve\r\nBcc: victim@example.com")


def test_a_user_name_with_a_line_break_is_refused_by_the_cli(cli_admin: Cli) -> None:
    result = cli_admin(
        "--as", "root", "user", "add", "eve", "--role", "sales", "--name", "Eve\r\nBcc: x@y.z"
    )
    assert "line break" in one_error_line(result, 2)


def test_set_values_outside_the_schema_are_checked(cli_admin: Cli) -> None:
    cli_admin("--as", "root", "customer", "add", "Set Check Ltd", "--grade", "B")
    base = (
        "--as", "root", "contract", "new", "--customer", "Set Check Ltd", "--type", "sales",
        "--title", "t", "--amount", "1000", "--risk", "low", "--start", "2026-12-01",
        "--end", "2027-12-01",
    )  # fmt: skip
    hostile = ("a\x1b[2Jb", "a\x00b", "a\nb", "a\u2028b", "x" * 5000, "a\u202eb")
    for template in ((), ("--template", "sales-zh")):
        for value in hostile:
            result = cli_admin(*base, *template, "--set", f"side_note={value}")
            one_error_line(result, 2)
            assert "side_note" in result.stderr, result.stderr
    ok = cli_admin(*base, "--set", "side_note=送货上门")
    assert ok.exit_code == 0, ok.output
    listed = json.loads(cli_admin("--as", "root", "contract", "list", "--format", "json").stdout)
    assert len(listed) == 1


def test_stored_control_sequences_are_shown_escaped_on_the_terminal(cli_admin: Cli) -> None:
    import os

    cli_admin("--as", "root", "customer", "add", "Plain Name Ltd", "--grade", "B")
    with Database(os.environ["BIZOPS_DB"]).write() as session:
        session.execute(update(Customer).values(name="Evil\x1b[2J\x1b]0;pwned\x07\u202eLtd"))
    shown = visible("Evil\x1b[2J\x1b]0;pwned\x07\u202eLtd")
    assert shown == "Evil\\x1b[2J\\x1b]0;pwned\\x07\\u202eLtd"
    for args in (
        ("customer", "list"),
        ("customer", "list", "--format", "table"),
        ("customer", "show", "C0001"),
        ("customer", "show", "C0001", "--format", "table"),
        ("followups", "due", "--owner", "all", "--within", "30d"),
    ):
        result = cli_admin("--as", "root", *args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout, args
        assert "\u202e" not in result.stdout, args
        assert shown in result.stdout, (args, result.stdout)
    as_json = cli_admin("--as", "root", "customer", "list", "--format", "json")
    assert json.loads(as_json.stdout)[0]["name"] == "Evil\x1b[2J\x1b]0;pwned\x07\u202eLtd"
