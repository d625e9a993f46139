"""The contract commands: wiring, formats, exit codes and messages."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from bizops.services.policy import default_policy
from bizops.store.engine import Database
from bizops.store.models import ApprovalRequest, AuditEvent, Contract
from tests.support import TODAY
from tests.support.factories import add_customer

NEW = [
    "contract",
    "new",
    "--customer",
    "C0001",
    "--type",
    "sales",
    "--title",
    "设备采购 Equipment",
    "--amount",
    "12万",
    "--risk",
    "low",
    "--start",
    "2026-12-01",
    "--end",
    "2027-11-30",
]


class Team:
    def __init__(self, cli):
        self.cli = cli

    def __call__(self, user: str, *args: str):
        return self.cli("--as", user, "--today", TODAY.isoformat(), *args)

    def db(self) -> Database:
        return Database(os.environ["BIZOPS_DB"])

    def approve(self, number: str) -> None:
        by_role = {"manager": "mia", "legal": "leo", "finance": "fay", "gm": "gus"}
        db = self.db()
        with db.read() as s:
            request_id, chain = s.execute(
                select(ApprovalRequest.id, ApprovalRequest.chain)
                .join(Contract, Contract.id == ApprovalRequest.contract_id)
                .where(Contract.number == number, ApprovalRequest.status == "pending")
            ).one()
        db.dispose()
        for role in chain:
            result = self(by_role[role], "approval", "approve", str(request_id))
            assert result.exit_code == 0, result.output


@pytest.fixture
def team(cli_admin) -> Team:
    t = Team(cli_admin)
    for login, role in [
        ("alice", "sales"),
        ("bob", "sales"),
        ("mia", "manager"),
        ("leo", "legal"),
        ("fay", "finance"),
        ("gus", "gm"),
    ]:
        assert t("root", "user", "add", login, "--role", role).exit_code == 0
    db = t.db()
    policy = default_policy()
    for name, login in [("上海华东机电有限公司", "alice"), ("Globex Ltd", "bob")]:
        add_customer(db, name=name, owner=login, policy=policy, today=TODAY)
    db.dispose()
    return t


def created(team: Team, *extra: str, user: str = "alice") -> str:
    result = team(user, *NEW, *extra)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def show(team: Team, number: str) -> dict:
    result = team("alice", "contract", "show", number, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_new_prints_number_and_list_json_keys(team):
    assert created(team) == "HT-2026-0001"
    assert created(team, "--currency", "usd", "--notice-days", "45") == "HT-2026-0002"
    result = team("alice", "contract", "list", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["number"] for r in rows] == ["HT-2026-0001", "HT-2026-0002"]
    assert set(rows[0]) >= {
        "id",
        "number",
        "title",
        "customer",
        "type",
        "amount",
        "currency",
        "risk",
        "status",
        "start",
        "end",
        "template",
        "non_standard",
    }
    assert rows[0]["amount"] == "120000.00"
    assert rows[0]["start"] == "2026-12-01"
    assert rows[0]["customer"] == "上海华东机电有限公司"
    assert rows[1]["currency"] == "USD" and rows[1]["notice_days"] == 45
    csv_out = team("alice", "contract", "list", "--format", "csv").stdout
    # The header is the declared fields, in the JSON's order, whether or not rows follow.
    assert csv_out.splitlines()[0].startswith("id,number,title,customer")
    assert csv_out.splitlines()[0] == ",".join(rows[0])
    none = team("alice", "contract", "list", "--status", "signed", "--format", "csv").stdout
    assert none.splitlines() == [csv_out.splitlines()[0]]
    plain = team("alice", "contract", "list").stdout
    assert "HT-2026-0001" in plain and "设备采购" in plain
    assert (
        json.loads(team("alice", "contract", "list", "--status", "signed", "-f", "json").stdout)
        == []
    )


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        (["--end", "2026-11-01"], 2, "--end: 2026-11-01 is before --start 2026-12-01"),
        (["--amount", "0"], 2, "greater than zero"),
        (["--amount", "-100"], 2, "greater than zero"),
        (["--type", "loan"], 2, "accepted: sales, purchase, service, nda, framework"),
        (["--risk", "huge"], 2, "accepted: low, medium, high"),
        (["--customer", "C0999"], 3, "no customer"),
        (["--customer", "C0002"], 4, "customers they own"),
        (["--set", "novalue"], 2, "FIELD=VALUE"),
    ],
)
def test_new_bad_input(team, change, code, words):
    args = list(NEW)
    for i in range(0, len(change), 2):
        if change[i] in args:
            args[args.index(change[i]) + 1] = change[i + 1]
        else:
            args += change[i : i + 2]
    result = team("alice", *args)
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("Error: ") and words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert json.loads(team("alice", "contract", "list", "-f", "json").stdout) == []


def test_archived_customer(team):
    db = team.db()
    with db.write() as s:
        from bizops.store.models import Customer

        s.execute(select(Customer).where(Customer.code == "C0001")).scalar_one().archived_on = TODAY
    db.dispose()
    result = team("alice", *NEW)
    assert result.exit_code == 5 and "archived" in result.stderr


@pytest.mark.slow
def test_lifecycle_through_the_cli(team, tmp_path):
    number = created(team)
    assert team("leo", "contract", "note", number, "法务：违约金条款过高").exit_code == 0
    result = team("alice", "contract", "update", number, "--amount", "15万", "--title", "新标题")
    assert result.exit_code == 0, result.output
    assert show(team, number)["allowed_moves"] == ["submit"]

    # Illegal moves from draft: exit 5, naming the state and what is allowed.
    for args in (
        ["sign", number, "--on", "today", "--signatory", "张总"],
        ["activate", number],
        ["complete", number],
        ["terminate", number, "--reason", "x"],
        ["archive", number, "--reason", "x"],
        ["reopen", number, "--reason", "x"],
    ):
        result = team("alice", "contract", *args)
        assert result.exit_code == 5, (args, result.output)
        assert f"contract {number}: it is draft; allowed now: submit" in result.stderr

    result = team("alice", "contract", "submit", number)
    assert result.exit_code == 0, result.output
    assert "approval request" in result.stdout
    result = team("alice", "contract", "update", number, "--amount", "20万")
    assert result.exit_code == 5
    assert "contract amend" in result.stderr and "pending_approval" in result.stderr
    result = team("alice", "contract", "sign", number, "--on", "today", "--signatory", "张总")
    assert result.exit_code == 5 and "through `bizops approval`" in result.stderr
    assert show(team, number)["allowed_moves"] == ["approve", "reject", "withdraw"]

    team.approve(number)
    assert show(team, number)["allowed_moves"] == ["sign", "reopen"]
    result = team("bob", "contract", "sign", number, "--on", "today", "--signatory", "张总")
    assert result.exit_code == 4
    result = team("alice", "contract", "sign", number, "--on", "today", "--signatory", "张总")
    assert result.exit_code == 0, result.output
    assert (
        team("alice", "contract", "sign", number, "--on", "today", "--signatory", "x").exit_code
        == 5
    )

    result = team(
        "alice",
        "contract",
        "milestone",
        "add",
        number,
        "--kind",
        "delivery",
        "--due",
        "2026-11-20",
        "--note",
        "首批",
    )
    assert result.exit_code == 0, result.output
    milestone = result.stdout.strip()
    assert team("alice", "contract", "activate", number).exit_code == 0

    overdue = json.loads(
        team("alice", "contract", "milestone", "list", "--overdue", "-f", "json").stdout
    )
    assert [m["id"] for m in overdue] == [int(milestone)] and overdue[0]["days_overdue"] == 7

    result = team("alice", "contract", "complete", number)
    assert (
        result.exit_code == 5 and f"#{milestone}" in result.stderr and "not done" in result.stderr
    )
    assert team("fay", "contract", "milestone", "done", milestone).exit_code == 0
    result = team("fay", "contract", "milestone", "done", milestone)
    assert result.exit_code == 5 and "already done" in result.stderr

    result = team("leo", "contract", "dispute", "open", number, "--summary", "交付延迟")
    assert result.exit_code == 0, result.output
    dispute = result.stdout.strip()
    result = team("alice", "contract", "complete", number)
    assert result.exit_code == 5 and "open dispute" in result.stderr
    listed = json.loads(team("alice", "contract", "dispute", "list", "--open", "-f", "json").stdout)
    assert [d["id"] for d in listed] == [int(dispute)]
    assert (
        team("leo", "contract", "dispute", "resolve", dispute, "--resolution", "已和解").exit_code
        == 0
    )
    # A sales contract completes once its money is in (or written off).
    result = team("alice", "contract", "complete", number)
    assert result.exit_code == 5 and "outstanding" in result.stderr
    paid = team("fay", "contract", "receipt", "add", number, "--amount", "15万", "--ref", "R-1")
    assert paid.exit_code == 0, paid.output
    assert team("alice", "contract", "complete", number).exit_code == 0

    result = team("alice", "contract", "archive", number)
    assert result.exit_code == 5 and "no signed copy" in result.stderr
    missing = tmp_path / "nope.pdf"
    result = team("alice", "contract", "attach", number, str(missing), "--kind", "signed")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    signed = tmp_path / "签字版.pdf"
    signed.write_bytes(b"%PDF signed contract \x00\x01")
    result = team("alice", "contract", "attach", number, str(signed), "--kind", "signed")
    assert result.exit_code == 0, result.output
    result = team("alice", "contract", "attach", number, str(signed), "--kind", "signed")
    assert result.exit_code == 5 and "already attached" in result.stderr
    assert team("alice", "contract", "archive", number).exit_code == 0
    result = team("alice", "contract", "archive", number)
    assert result.exit_code == 5 and "already archived" in result.stderr

    # Another rep does not see alice's contract (visibility `own`); legal sees them all.
    assert team("bob", "contract", "verify", number, str(signed)).exit_code == 4
    result = team("leo", "contract", "verify", number, str(signed))
    assert result.exit_code == 0 and result.stdout.startswith("MATCH")
    forged = tmp_path / "forged.pdf"
    forged.write_bytes(b"%PDF signed contract \x00\x02")
    result = team("leo", "contract", "verify", number, str(forged))
    assert result.exit_code == 5 and "does not match" in result.stderr
    result = team("leo", "contract", "verify", number, str(forged), "--format", "json")
    assert result.exit_code == 5 and json.loads(result.stdout)["match"] is False

    shown = show(team, number)
    assert shown["status"] == "archived" and shown["allowed_moves"] == []
    assert shown["notes"][0]["text"] == "法务：违约金条款过高"
    assert shown["milestones"][0]["done_on"] == TODAY.isoformat()
    assert shown["disputes"][0]["status"] == "resolved"
    assert shown["attachments"][0]["filename"] == "签字版.pdf"
    assert shown["approval_requests"][0]["status"] == "approved"
    assert {"amendments", "drafts", "fields"} <= set(shown)
    plain = team("alice", "contract", "show", number).stdout
    assert "status\tarchived" in plain

    db = team.db()
    with db.read() as s:
        trail = s.execute(
            select(AuditEvent.action, AuditEvent.actor)
            .where(AuditEvent.entity_type == "contract", AuditEvent.entity_id == number)
            .order_by(AuditEvent.id)
        ).all()
    db.dispose()
    assert [tuple(r) for r in trail] == [
        ("contract.create", "alice"),
        ("contract.note", "leo"),
        ("contract.update", "alice"),
        ("contract.submit", "alice"),
        ("contract.approve", "leo"),
        ("contract.sign", "alice"),
        ("contract.activate", "alice"),
        ("contract.complete", "alice"),
        ("contract.archive", "alice"),
    ]


@pytest.mark.slow
def test_amend_and_reopen_through_the_cli(team):
    number = created(team)
    assert team("alice", "contract", "submit", number).exit_code == 0
    team.approve(number)
    result = team("alice", "contract", "reopen", number)
    assert result.exit_code == 2  # --reason is required
    assert team("alice", "contract", "reopen", number, "--reason", "改交期").exit_code == 0
    assert show(team, number)["status"] == "draft"
    result = team("alice", "contract", "amend", number, "--set", "amount=20万", "--reason", "x")
    assert result.exit_code == 5 and "contract update" in result.stderr
    assert team("alice", "contract", "submit", number).exit_code == 0
    team.approve(number)
    assert (
        team("alice", "contract", "sign", number, "--on", "today", "--signatory", "王").exit_code
        == 0
    )
    result = team("alice", "contract", "amend", number, "--set", "title=x")
    assert result.exit_code == 2 and "--reason" in result.stderr
    result = team("alice", "contract", "amend", number, "--set", "currency=USD", "--reason", "x")
    assert (
        result.exit_code == 2
        and "amendable terms: title, amount, risk, start, end" in result.stderr
    )
    result = team(
        "alice",
        "contract",
        "amend",
        number,
        "--set",
        "amount=30万",
        "--set",
        "end=2028-06-30",
        "--reason",
        "追加",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{number}-A1"
    result = team("alice", "contract", "amend", number, "--set", "title=新", "--reason", "x")
    assert result.exit_code == 5 and "one amendment at a time" in result.stderr
    assert show(team, number)["amount"] == "120000.00"
    team.approve(number)
    shown = show(team, number)
    assert (shown["amount"], shown["end"]) == ("300000.00", "2028-06-30")
    assert shown["amendments"][0]["status"] == "approved"


def test_expiring_and_filters(team):
    soon = created(team, "--start", "2026-01-01", "--end", "+20d")
    assert team("alice", "contract", "submit", soon).exit_code == 0
    team.approve(soon)
    assert (
        team("alice", "contract", "sign", soon, "--on", "today", "--signatory", "王").exit_code == 0
    )
    created(team)
    rows = json.loads(team("alice", "contract", "list", "--expiring", "30d", "-f", "json").stdout)
    assert [r["number"] for r in rows] == [soon] and rows[0]["days_left"] == 20
    assert (
        json.loads(team("alice", "contract", "list", "--expiring", "7d", "-f", "json").stdout) == []
    )
    result = team("alice", "contract", "list", "--expiring", "soon")
    assert result.exit_code == 2
    rows = json.loads(team("alice", "contract", "list", "--non-standard", "-f", "json").stdout)
    assert len(rows) == 2
    rows = json.loads(team("alice", "contract", "list", "--owner", "bob", "-f", "json").stdout)
    assert rows == []
    result = team("alice", "contract", "list", "--status", "nonsense")
    assert result.exit_code == 2 and "accepted: draft" in result.stderr


def test_not_found_and_help(team):
    result = team("alice", "contract", "show", "HT-2026-9999")
    assert result.exit_code == 3 and result.stderr.startswith("Error: contract: no contract")
    assert team("alice", "contract", "milestone", "done", "77").exit_code == 3
    assert team("alice", "contract", "dispute", "resolve", "77", "--resolution", "x").exit_code == 3
    for group in ([], ["milestone"], ["dispute"]):
        result = team("alice", "contract", *group, "--help")
        assert result.exit_code == 0


def test_every_command_has_an_example():
    from bizops.cli.contracts import app

    def walk(typer_app):
        for info in typer_app.registered_commands:
            yield info.callback
        for group in typer_app.registered_groups:
            yield from walk(group.typer_instance)

    for callback in walk(app):
        doc = (callback.__doc__ or "").strip()
        assert doc.splitlines()[-1].strip().startswith("Example: bizops "), callback.__name__


def test_attachment_copy_is_stored_by_hash(team, tmp_path):
    number = created(team)
    doc = tmp_path / "draft.docx"
    doc.write_bytes(b"draft v1")
    assert team("alice", "contract", "attach", number, str(doc), "--kind", "draft").exit_code == 0
    import hashlib

    sha = hashlib.sha256(b"draft v1").hexdigest()
    stored = Path(os.environ["BIZOPS_DB"]).parent / "attachments" / sha[:2] / sha
    assert stored.read_bytes() == b"draft v1"
    result = team("alice", "contract", "attach", number, str(doc), "--kind", "weird")
    assert result.exit_code == 2 and "signed, draft, other" in result.stderr


def test_show_sections_print_values_as_typed_not_as_markup():
    from rich.console import Console

    from bizops.cli.contracts import SHOW_SECTIONS
    from bizops.cli.output import draw_sections

    con = Console(record=True, width=200)
    draw_sections(
        con,
        {
            "allowed_moves": ["submit"],
            "blocked_moves": [{"move": "complete", "reason": "dispute [/] open"}],
            "fields": {"goods_name": "[bold]CK6150[/bold]"},
            "non_standard_reasons": ["field '[/]' is outside the schema"],
            "notes": [{"at": "2026-11-27", "actor": "alice", "text": "[/] 改为5年"}],
        },
        SHOW_SECTIONS,
    )
    text = con.export_text()
    assert "dispute [/] open" in text and "goods_name = [bold]CK6150[/bold]" in text
    assert "field '[/]' is outside" in text and "[/] 改为5年" in text


@pytest.mark.slow
def test_listings_and_shows_print_their_declared_fields(team):
    """Every listing of the contract, approval and template groups prints, in JSON, the keys
    its declaration lists, in that order; its CSV header is the same list."""
    from bizops.cli import approvals, contract_performance, contracts, templates
    from bizops.services.views.approvals import RequestView
    from bizops.services.views.contracts import ContractShow
    from bizops.services.views.templates import TemplateShow

    number = created(team, "--start", "2026-01-01", "--end", "+20d")
    assert team("alice", "contract", "submit", number).exit_code == 0
    team.approve(number)
    assert (
        team("alice", "contract", "sign", number, "--on", "today", "--signatory", "王").exit_code
        == 0
    )
    add = ["contract", "milestone", "add", number, "--kind", "delivery", "--due", "2026-11-20"]
    assert team("alice", *add).exit_code == 0
    assert team("leo", "contract", "dispute", "open", number, "--summary", "延迟").exit_code == 0
    assert team("alice", "contract", "submit", created(team)).exit_code == 0

    checks = [
        (contracts.CONTRACTS, ["contract", "list"]),
        (contracts.EXPIRING, ["contract", "list", "--expiring", "30d"]),
        (contract_performance.MILESTONES, ["contract", "milestone", "list"]),
        (contract_performance.MILESTONES, ["contract", "milestone", "list", "--overdue"]),
        (contract_performance.DISPUTES, ["contract", "dispute", "list"]),
        (approvals.MATRIX, ["approval", "matrix"]),
        (approvals.PENDING, ["approval", "pending"]),
        (approvals.REQUESTS, ["approval", "list"]),
        (templates.TEMPLATES, ["template", "list"]),
        (templates.FIELDS, ["template", "fields", "sales-zh"]),
    ]
    for listing, args in checks:
        rows = json.loads(team("mia", *args, "-f", "json").stdout)
        assert rows, args
        assert all(list(row) == listing.keys for row in rows), (args, list(rows[0]))
        header = team("mia", *args, "-f", "csv").stdout.splitlines()[0]
        assert header == ",".join(listing.keys), args
    for fields, args in (
        (ContractShow, ["contract", "show", number]),
        (RequestView, ["approval", "show", number]),
        (TemplateShow, ["template", "show", "sales-zh"]),
    ):
        shown = json.loads(team("mia", *args, "-f", "json").stdout)
        assert list(shown) == list(fields.__annotations__), args


@pytest.mark.slow
def test_group_help_imports_no_database_stack():
    from tests.support.processes import HEAVY, imported_modules

    for group in (["contract"], ["contract", "milestone"], ["approval"], ["template"]):
        names = imported_modules(*group, "--help")
        assert not names & set(HEAVY), (group, names & set(HEAVY))


@pytest.mark.slow
def test_an_amendment_drafts_its_supplementary_agreement(team, tmp_path):
    number = created(team)
    assert team("alice", "contract", "submit", number).exit_code == 0
    team.approve(number)
    sign = ("contract", "sign", number, "--on", "today", "--signatory", "王")
    assert team("alice", *sign).exit_code == 0
    result = team("alice", "contract", "draft", number, "--amendment", "1")
    assert result.exit_code == 3 and f"contract {number} has no amendment '1'" in result.stderr
    result = team("alice", "--lang", "zh", "contract", "draft", number, "--amendment", "1")
    assert f"合同 {number} 没有变更 '1'" in result.stderr
    args = ("contract", "amend", number, "--set", "amount=15万", "--reason", "追加")
    assert team("alice", *args).exit_code == 0
    result = team("alice", "contract", "draft", number, "--amendment", "1")
    assert result.exit_code == 0, result.output
    assert "# 补充协议" in result.stdout and "现变更为：¥150,000.00" in result.stdout
    assert f"Drafted {number}-A1 from amendment-zh@1 (md, sha256 " in result.stderr
    target = tmp_path / "A1.docx"
    result = team("alice", "contract", "draft", number, "--amendment", "A1", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:2] == b"PK"
    result = team("alice", "contract", "draft", number, "--amendment", "1", "-o", "A1.pdf")
    assert result.exit_code == 2 and "cannot tell the format" in result.stderr
    result = team("alice", "--lang", "zh", "contract", "draft", number, "--amendment", "1")
    assert result.exit_code == 0 and f"已根据 amendment-zh@1 起草 {number}-A1" in result.stderr
    drafts = show(team, number)["drafts"]
    assert [d["template"] for d in drafts][-3:] == ["amendment-zh@1"] * 3


@pytest.mark.slow
def test_the_supplementary_agreement_is_approved_as_submitted(team, tmp_path):
    number = created(team)
    assert team("alice", "contract", "submit", number).exit_code == 0
    team.approve(number)
    assert (
        team("alice", "contract", "sign", number, "--on", "today", "--signatory", "王").exit_code
        == 0
    )
    args = ("contract", "amend", number, "--set", "amount=15万", "--reason", "追加")
    assert team("alice", *args).exit_code == 0
    db = team.db()
    with db.read() as s:
        request, chain, sha256 = s.execute(
            select(ApprovalRequest.id, ApprovalRequest.chain, ApprovalRequest.draft_sha256).where(
                ApprovalRequest.amendment_id.is_not(None)
            )
        ).one()
    db.dispose()
    shown = team("alice", "approval", "show", str(request), "--format", "json")
    assert json.loads(shown.stdout)["draft_sha256"] == sha256 and len(sha256) == 64
    result = team("alice", "contract", "draft", number, "--amendment", "1")
    assert result.exit_code == 0, result.output
    assert (
        f"It is the agreement submitted in request {request} (draft sha256 {sha256[:12]})."
        in result.stderr
    )
    result = team("alice", "--lang", "zh", "contract", "draft", number, "--amendment", "1")
    assert f"即审批申请 {request} 提交审批的补充协议（草稿 sha256 {sha256[:12]}）" in result.stderr
    result = team("alice", "contract", "draft", number, "--amendment", "1", "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["check"] == {
        "request": request,
        "request_status": "pending",
        "draft_sha256": sha256,
        "matches": True,
        "changed": [],
    }
    assert record["contract"] == f"{number}-A1" and record["text"].startswith("# 补充协议")
    assert team("alice", "contract", "draft", number, "--format", "json").exit_code == 2
    by_role = {"manager": "mia", "legal": "leo", "finance": "fay", "gm": "gus"}
    for role in chain[:-1]:
        assert team(by_role[role], "approval", "approve", str(request)).exit_code == 0
    # The library's amendment template is updated before the last approval.
    from importlib.resources import files

    library = files("bizops.library") / "templates"
    for suffix in ("toml", "md.j2"):
        with (library / f"amendment-zh.{suffix}").open("rb") as source:
            (tmp_path / f"amendment-zh.{suffix}").write_bytes(source.read())
    body = tmp_path / "amendment-zh.md.j2"
    body.write_text(body.read_text("utf-8") + "\n附件：变更明细表\n", "utf-8")
    assert team("root", "template", "add", str(tmp_path / "amendment-zh.toml")).exit_code == 0
    result = team("alice", "contract", "draft", number, "--amendment", "1")
    changed = "template amendment-zh@1 -> amendment-zh@2"
    assert (
        f"It differs from the agreement submitted in request {request} (changed: {changed})."
        in result.stderr
    )
    target = tmp_path / "A1.json"
    result = team("alice", "contract", "draft", number, "--amendment", "1", "-o", str(target))
    assert result.exit_code == 0, result.output
    record = json.loads(target.read_text("utf-8"))
    assert record["check"]["matches"] is False and record["check"]["changed"] == [changed]
    last = by_role[chain[-1]]
    result = team(last, "approval", "approve", str(request))
    assert result.exit_code == 5
    assert (
        f"differs from the supplementary agreement submitted in request {request} "
        f"(changed: {changed}); nothing was approved" in result.stderr
    )
    result = team(last, "--lang", "zh", "approval", "approve", str(request))
    assert result.exit_code == 5
    assert f"与审批申请 {request} 提交的补充协议不一致（改动：模板 {changed[9:]}）" in result.stderr
    shown = json.loads(team("alice", "approval", "show", str(request), "--format", "json").stdout)
    assert shown["status"] == "pending" and show(team, number)["amount"] == "120000.00"
