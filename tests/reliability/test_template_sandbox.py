"""Known Jinja2 sandbox escapes are refused: by `template validate` and `template add` before
anything is stored, and at render time for a template that reached the database anyway.

Nothing runs: payloads that would create a marker file leave no file, and the error is one
clear line that names the template and says the sandbox refused it or that the name is
not part of a template's context.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bizops.documents.env import render
from bizops.domain.errors import BizopsError, Invalid
from bizops.domain.policy import Policy
from bizops.store.engine import Database
from bizops.store.models import AuditEvent, Draft, TemplateVersion, User
from tests.support.cli import Cli

MARKER = "/tmp/bizops-sandbox-escaped"

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ request }}",
    "{{ config }}",
    "{{ ''.__class__ }}",
    "{{ '{0.__class__}'.format('') }}",
    "{{ '{0.__class__.__mro__}'.format_map({'0': ''}) }}",
    "{{ ''|attr('__class__') }}",
    "{{ (''|attr('__class__')|attr('__mro__'))[1] }}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    "{{ range.__self__ }}",
    "{{ range.__self__.__import__('os').system('touch " + MARKER + "') }}",
    "{{ cycler.__init__.__globals__.os.system('touch " + MARKER + "') }}",
    "{{ dict.__base__.__subclasses__() }}",
    "{{ contract.__class__.__init__.__globals__ }}",
    "{{ contract['__class__'] }}",
    "{{ customer.items.__self__ }}",
    "{% set x = namespace() %}{{ x.__init__.__globals__['os'] }}",
    "{% set l = [] %}{{ l.append(1) }}{{ l }}",
    "{{ {}.update(a=1) }}",
    "{{ 'x' * 100000000 }}",
    "{{ 9 ** 99999999 }}",
    "{% include '/etc/passwd' %}",
    "{% include 'clauses/../../../etc/passwd' %}",
    "{% import 'os' as os %}",
    "{{ contract.title.__class__.__subclasses__() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__()[0].__init__.__globals__['sys'].modules['os']"
    ".system('touch " + MARKER + "') }}",
]
LEAKS = ("<class ", "<module ", "<function ", "<built-in", "<bound method", "root:x:0")


def _context() -> dict[str, object]:
    return {
        "contract": {"title": "年度购销合同", "amount": "120000.00"},
        "customer": {"name": "华东精密", "code": "C0001"},
        "fields": {},
    }


@pytest.fixture(autouse=True)
def _no_marker() -> None:
    Path(MARKER).unlink(missing_ok=True)


def _write_template(folder: Path, name: str, body: str) -> Path:
    toml = folder / f"{name}.toml"
    toml.write_text(
        f'name = "{name}"\n'
        'title = "沙箱测试 Sandbox test"\n'
        'type = "sales"\n'
        'language = "zh"\n'
        "version = 1\n"
        "[[fields]]\n"
        'name = "warranty_months"\n'
        'type = "int"\n'
        "default = 12\n"
        'label = "Warranty months"\n'
        'help = "Months of warranty after acceptance."\n',
        encoding="utf-8",
    )
    (folder / f"{name}.md.j2").write_text(
        "# {{ contract.title }}\n保修 {{ warranty_months }} 个月\n" + body + "\n", encoding="utf-8"
    )
    return toml


@pytest.mark.parametrize("payload", ESCAPES)
def test_rendering_refuses_the_escape(payload: str) -> None:
    with pytest.raises(Invalid) as caught:
        render(payload, _context(), name="evil@1")
    message = caught.value.message
    assert message.startswith("template evil@1")
    assert "\n" not in message
    assert not any(leak in message for leak in LEAKS), message
    assert not Path(MARKER).exists()


def test_a_harmless_template_renders_in_the_same_environment() -> None:
    # The control: the refusals above come from the sandbox, not from a broken environment.
    out = render(
        "{{ contract.title }} {{ customer.name | upper }} {{ range(3) | list }} "
        "{% set ns = namespace(n=1) %}{{ ns.n }} {{ '{0}'.format('ok') }}",
        _context(),
        name="fine@1",
    )
    assert out == "年度购销合同 华东精密 [0, 1, 2] 1 ok"


@pytest.mark.parametrize("payload", ESCAPES)
def test_template_validate_and_add_refuse_the_escape(
    payload: str, cli_admin: Cli, tmp_path: Path
) -> None:
    name = "evil-" + hashlib.sha256(payload.encode()).hexdigest()[:8]
    toml = _write_template(tmp_path, name, payload)

    checked = cli_admin("template", "validate", toml)
    assert checked.exit_code == 2, checked.output
    assert checked.stderr.startswith("Error: ")
    assert "Traceback" not in checked.output
    assert not any(leak in checked.output for leak in LEAKS), checked.output

    events = json.loads(cli_admin("audit", "log", "--format", "json").stdout)
    added = cli_admin("--as", "root", "template", "add", toml)
    assert added.exit_code == 2, added.output
    assert "nothing was added" in added.stderr
    listed = json.loads(cli_admin("template", "list", "--format", "json").stdout)
    assert name not in {t["name"] for t in listed}
    assert json.loads(cli_admin("audit", "log", "--format", "json").stdout) == events
    assert not Path(MARKER).exists()


def test_a_clean_user_template_is_validated_and_added(cli_admin: Cli, tmp_path: Path) -> None:
    toml = _write_template(tmp_path, "clean-sales", "金额：{{ contract.amount }}")
    checked = cli_admin("template", "validate", toml)
    assert checked.exit_code == 0, checked.output
    added = cli_admin("--as", "root", "template", "add", toml)
    assert added.exit_code == 0, added.output
    listed = json.loads(cli_admin("template", "list", "--format", "json").stdout)
    assert "clean-sales" in {t["name"] for t in listed}


@pytest.mark.parametrize(
    "payload",
    [
        "{{ cycler.__init__.__globals__.os.system('touch " + MARKER + "') }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ ''|attr('__class__') }}",
        "{{ '{0.__class__}'.format('') }}",
        "{{ self._TemplateReference__context }}",
        "{{ config }}",
    ],
)
def test_a_stored_template_that_escaped_validation_is_still_refused_when_drafting(
    payload: str, db: Database, team: dict[str, User], policy: Policy, today: date
) -> None:
    """A template row written straight into the database (an older bizops, a hand edit) is
    rendered in the same sandbox: the draft is refused and nothing is recorded."""
    from bizops.services.contracts import create_contract
    from bizops.services.customers import add_customer
    from bizops.services.templates import draft_contract

    body = "# {{ contract.title }}\n" + payload + "\n"
    with db.write() as session:
        session.add(
            TemplateVersion(
                name="tampered",
                version=1,
                type="sales",
                language="en",
                title="Tampered",
                body=body,
                field_schema=[],
                sha256=hashlib.sha256(body.encode()).hexdigest(),
                created_at=datetime.now(UTC),
                created_by="root",
            )
        )
        add_customer(
            session,
            actor=team["alice"],
            name="Sandbox Customer",
            grade="B",
            owner="alice",
            policy=policy,
            today=today,
        )
        create_contract(
            session,
            actor=team["alice"],
            customer="C0001",
            type="sales",
            title="Sandbox contract",
            amount="1000",
            risk="low",
            start="2026-12-01",
            end="2027-11-30",
            template="tampered",
            policy=policy,
            today=today,
        )
    with db.read() as session:
        events = session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    with pytest.raises(BizopsError) as caught, db.write() as session:
        draft_contract(
            session, actor=team["alice"], contract="HT-2026-0001", policy=policy, today=today
        )
    assert isinstance(caught.value, Invalid)
    assert caught.value.message.startswith("template tampered@1")
    assert not any(leak in caught.value.message for leak in LEAKS)
    assert not Path(MARKER).exists()
    with db.read() as session:
        assert session.execute(select(func.count()).select_from(Draft)).scalar_one() == 0
        assert session.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == events
