import csv
import json

import pytest


@pytest.fixture
def crm(cli_admin):
    for login, role in (("alice", "sales"), ("bob", "sales"), ("mia", "manager")):
        assert cli_admin("--as", "root", "user", "add", login, "--role", role).exit_code == 0
    return cli_admin


def as_alice(crm, *args):
    return crm("--as", "alice", "--today", "2026-11-27", *args)


def test_add_prints_code_and_list_json(crm):
    result = as_alice(
        crm,
        "customer",
        "add",
        "华信科技有限公司",
        "--grade",
        "A",
        "--potential",
        "120万",
        "--contact",
        "张伟, 采购经理, 13800138000, zhang@huaxin.cn",
        "--tag",
        "VIP",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "C0001\n"
    assert as_alice(
        crm, "customer", "add", "Acme Ltd", "--grade", "b", "--owner", "bob"
    ).stdout == ("C0002\n")
    # alice sees her own customers (visibility "own"); mia, a manager, sees both.
    mine = json.loads(as_alice(crm, "customer", "list", "--format", "json").stdout)
    assert [r["code"] for r in mine] == ["C0001"]
    as_mia = ("--as", "mia", "--today", "2026-11-27", "customer", "list", "--format", "json")
    rows = json.loads(crm(*as_mia).stdout)
    assert [r["code"] for r in rows] == ["C0001", "C0002"]
    assert rows[0]["owner"] == "alice" and rows[0]["potential"] == "1200000.00"
    assert rows[0]["next_due"] == "2026-11-30" and rows[0]["tags"] == ["vip"]
    assert {"id", "code", "name", "grade", "stage", "owner"} <= set(rows[1])
    only_a = json.loads(
        as_alice(crm, "customer", "list", "--grade", "A", "--format", "json").stdout
    )
    assert [r["code"] for r in only_a] == ["C0001"]
    found = json.loads(as_alice(crm, "customer", "list", "--search", "ZHANG", "-f", "json").stdout)
    assert [r["code"] for r in found] == ["C0001"]
    assert as_alice(crm, "customer", "list", "--search", "none", "-f", "json").stdout == "[]\n"
    table = as_alice(crm, "customer", "list")
    assert "华信科技有限公司" in table.stdout and table.exit_code == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--grade", "D"], 2, "Error: --grade: unknown value 'D'; accepted: A, B, C"),
        (["--grade", "A", "--intent", "hot"], 2, "accepted: high, medium, low"),
        (["--grade", "A", "--stage", "won"], 2, "accepted: prospect, contacted"),
        (["--grade", "A", "--owner", "ghost"], 3, "no user 'ghost'"),
        (["--grade", "A", "--contact", "张伟, a@b"], 2, "not a valid email"),
        (
            ["--grade", "A", "--stage", "signed"],
            5,
            "Error: --stage: signed needs a signed contract",
        ),
        (
            ["--grade", "A", "--stage", "maintenance"],
            5,
            "Error: --stage: maintenance needs a signed contract, which a new customer cannot have",
        ),
    ],
)
def test_add_errors(crm, args, code, message):
    result = as_alice(crm, "customer", "add", "新客户", *args)
    assert result.exit_code == code
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert as_alice(crm, "customer", "list", "-f", "json").stdout == "[]\n"


def test_duplicate_and_permission(crm):
    as_alice(crm, "customer", "add", "ACME Ltd", "--grade", "B")
    dup = as_alice(crm, "customer", "add", "ａｃｍｅ ltd.", "--grade", "B")
    assert dup.exit_code == 5 and "C0001 ACME Ltd" in dup.stderr
    ok = as_alice(crm, "customer", "add", "ａｃｍｅ ltd.", "--grade", "B", "--allow-duplicate")
    assert ok.exit_code == 0
    ambiguous = as_alice(crm, "customer", "show", "acme")
    assert ambiguous.exit_code == 2 and "C0001" in ambiguous.stderr and "C0002" in ambiguous.stderr
    assert crm("--as", "root", "customer", "show", "C0009").exit_code == 3
    assert crm("--as", "bob", "customer", "stage", "C0001", "--next").exit_code == 4


def test_stage_grade_and_show(crm):
    as_alice(crm, "customer", "add", "华信", "--grade", "C", "--potential", "1200000")
    moved = as_alice(crm, "customer", "stage", "华信", "--next")
    assert moved.exit_code == 0 and "prospect -> contacted" in moved.stdout
    skip = as_alice(crm, "customer", "stage", "C0001", "negotiation")
    assert skip.exit_code == 2 and "needs --reason" in skip.stderr
    assert as_alice(crm, "customer", "stage", "C0001", "signed", "--reason", "x").exit_code == 5
    assert (
        as_alice(crm, "customer", "stage", "C0001", "lost", "--reason", "no budget").exit_code == 0
    )
    suggest = as_alice(crm, "customer", "grade", "C0001", "--suggest")
    assert "potential 1,200,000 >= 1,000,000: A" in suggest.stdout
    assert as_alice(crm, "customer", "grade", "C0001", "A").exit_code == 2
    graded = as_alice(crm, "customer", "grade", "C0001", "A", "--reason", "big budget")
    assert graded.exit_code == 0 and "grade C -> A" in graded.stdout
    shown = json.loads(
        crm("--today", "2026-12-01", "customer", "show", "C0001", "-f", "json").stdout
    )
    assert shown["stage"] == "lost" and shown["next_followup"] is None
    assert [h["stage"] for h in shown["stage_history"]] == ["prospect", "contacted", "lost"]
    assert shown["stage_history"][-1]["days"] == 4 and shown["stage_history"][-1]["reason"] == (
        "no budget"
    )
    assert isinstance(shown["contacts"], list) and isinstance(shown["contracts"], list)
    plain = crm("customer", "show", "C0001")
    assert "stage_history:" in plain.stdout


def test_regrade_dry_run_and_apply(crm):
    as_alice(crm, "customer", "add", "甲", "--grade", "C", "--potential", "120万")
    dry = json.loads(crm("customer", "regrade", "--all", "--dry-run", "-f", "json").stdout)
    assert dry == [
        {
            "code": "C0001",
            "name": "甲",
            "from": "C",
            "to": "A",
            "why": "potential 1,200,000 >= 1,000,000: A",
        }
    ]
    assert crm("customer", "regrade", "--dry-run").exit_code == 2
    assert as_alice(crm, "customer", "regrade", "--all").exit_code == 4
    assert crm("--as", "mia", "customer", "regrade", "--all").exit_code == 0
    assert json.loads(crm("customer", "regrade", "--all", "--dry-run", "-f", "json").stdout) == []


def test_update_contacts_archive_restore(crm):
    as_alice(crm, "customer", "add", "华信", "--grade", "B")
    assert (
        as_alice(
            crm,
            "customer",
            "update",
            "C0001",
            "--region",
            "华东",
            "--cadence",
            "5",
            "--tag",
            "重点",
        ).exit_code
        == 0
    )
    assert as_alice(crm, "customer", "update", "C0001").exit_code == 2
    assert (
        as_alice(crm, "customer", "contact", "add", "C0001", "张伟, 经理, zw@x.cn").exit_code == 0
    )
    assert (
        as_alice(
            crm, "customer", "contact", "add", "C0001", "李娜, 13900001111", "--primary"
        ).exit_code
        == 0
    )
    contacts = json.loads(
        as_alice(crm, "customer", "contact", "list", "C0001", "-f", "json").stdout
    )
    assert [(c["name"], c["primary"]) for c in contacts] == [("李娜", True), ("张伟", False)]
    assert as_alice(crm, "customer", "contact", "remove", "C0001", "李娜").exit_code == 0
    assert as_alice(crm, "customer", "archive", "C0001").exit_code == 0
    again = as_alice(crm, "customer", "archive", "C0001")
    assert again.exit_code == 5 and "already archived" in again.stderr
    assert as_alice(crm, "customer", "list", "-f", "json").stdout == "[]\n"
    archived = json.loads(as_alice(crm, "customer", "list", "--archived", "-f", "json").stdout)
    assert [r["code"] for r in archived] == ["C0001"] and archived[0]["region"] == "华东"
    assert as_alice(crm, "customer", "restore", "C0001").exit_code == 0
    assert as_alice(crm, "customer", "restore", "C0001").exit_code == 5


def test_import_export_round_trip(crm, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "客户名称,等级,负责人,预计金额,标签,联系人,电话,邮箱\n"
        "华信科技,A,alice,120万,vip;华东,张伟,13800138000,zw@x.cn\n"
        "Acme,C,bob,,,,,\n",
        encoding="gb18030",
    )
    result = as_alice(crm, "customer", "import", str(source))
    assert result.exit_code == 0, result.output
    assert "Imported 2 customer(s)" in result.stdout
    again = as_alice(crm, "customer", "import", str(source))
    assert (
        again.exit_code == 0
        and "Imported 0" in again.stdout
        and "2 already present" in again.stdout
    )
    out = tmp_path / "out.csv"
    assert as_alice(crm, "customer", "export", "-o", str(out)).exit_code == 0
    other = tmp_path / "other.db"
    fresh = ["--db", str(other)]
    assert crm(*fresh, "init", "--admin", "root").exit_code == 0
    for login in ("alice", "bob"):
        crm(*fresh, "--as", "root", "user", "add", login, "--role", "sales")
    assert crm(*fresh, "--as", "root", "customer", "import", str(out)).exit_code == 0
    out2 = tmp_path / "out2.csv"
    assert crm(*fresh, "customer", "export", "-o", str(out2)).exit_code == 0
    assert out.read_bytes() == out2.read_bytes()
    with open(out, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert rows[0]["tags"] == "vip;华东" and rows[0]["potential"] == "1200000.00"
    as_json = tmp_path / "out.json"
    assert as_alice(crm, "customer", "export", "-o", str(as_json)).exit_code == 0
    third = ["--db", str(tmp_path / "third.db")]
    crm(*third, "init", "--admin", "root")
    for login in ("alice", "bob"):
        crm(*third, "--as", "root", "user", "add", login, "--role", "sales")
    assert crm(*third, "--as", "root", "customer", "import", str(as_json)).exit_code == 0
    back = json.loads(crm(*third, "customer", "export", "-f", "json").stdout)
    assert back == json.loads(as_json.read_text(encoding="utf-8"))


def test_import_errors(crm, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,grade,owner\nGood,A,alice\nBad,D,alice\n,B,alice\n", encoding="utf-8")
    result = as_alice(crm, "customer", "import", str(bad))
    assert result.exit_code == 2
    assert "2 bad row(s) of 3; nothing was imported" in result.stderr
    assert "  - line 3: grade: unknown value 'D'; accepted: A, B, C" in result.stderr
    assert "  - line 4: name: must not be empty" in result.stderr
    assert as_alice(crm, "customer", "list", "-f", "json").stdout == "[]\n"
    rejects = tmp_path / "rej.csv"
    ok = as_alice(crm, "customer", "import", str(bad), "--skip-invalid", "--rejects", str(rejects))
    assert ok.exit_code == 0 and "Imported 1" in ok.stdout and "2 rejected" in ok.stdout
    assert rejects.exists()
    missing = tmp_path / "m.csv"
    missing.write_text("name,grade\nX,A\n", encoding="utf-8")
    m = as_alice(crm, "customer", "import", str(missing))
    assert m.exit_code == 2 and "required column(s) missing: owner" in m.stderr
    unknown = tmp_path / "u.csv"
    unknown.write_text("name,grade,owner,size\nX,A,alice,1\n", encoding="utf-8")
    u = as_alice(crm, "customer", "import", str(unknown))
    assert u.exit_code == 2 and "unknown column 'size'; accepted columns:" in u.stderr
    enc = tmp_path / "e.csv"
    enc.write_bytes(b"name,grade,owner\n\xff\xfe\xfa,A,alice\n")
    e = as_alice(crm, "customer", "import", str(enc))
    assert e.exit_code == 2 and "neither UTF-8 nor GB18030" in e.stderr
    assert as_alice(crm, "customer", "import", str(tmp_path / "nope.csv")).exit_code == 2


def test_every_command_has_an_example(crm):
    from bizops.cli.customers import app, contact_app

    for group in (app, contact_app):
        for command in group.registered_commands:
            assert "Example: bizops customer" in (command.callback.__doc__ or "")


def test_list_bad_filter_fails_before_any_output(crm, tmp_path):
    assert as_alice(crm, "customer", "add", "Acme Ltd", "--grade", "B").exit_code == 0
    for args in (["--grade", "Z"], ["--stage", "won"], ["--owner", "ghost"], ["--sort", "x"]):
        result = as_alice(crm, "customer", "list", *args)
        assert result.exit_code in (2, 3), result.output
        assert result.stdout == "", args  # not a header row followed by an error
        assert result.stderr.startswith("Error: ")
    target = tmp_path / "out.json"
    assert as_alice(crm, "customer", "list", "--grade", "Z", "-o", str(target)).exit_code == 2
    assert not target.exists()


def test_export_writes_a_workbook_that_import_reads_back(crm, tmp_path):
    assert (
        as_alice(crm, "customer", "add", "Acme Ltd", "--grade", "B", "--tag", "=vip").exit_code == 0
    )
    target = tmp_path / "customers.xlsx"
    result = as_alice(crm, "customer", "export", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:2] == b"PK"  # a real workbook, not CSV under its name
    # A format and a file name that disagree are refused before anything is written.
    other = tmp_path / "other.xlsx"
    refused = as_alice(crm, "customer", "export", "-f", "csv", "-o", str(other))
    assert refused.exit_code == 2 and "make them agree" in refused.stderr
    assert not other.exists()
    assert as_alice(crm, "customer", "export", "-f", "table").exit_code == 2


def test_import_result_as_csv(crm, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("name,grade,owner\nAcme Ltd,B,alice\n", encoding="utf-8")
    result = as_alice(crm, "customer", "import", str(source), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert len(rows) == 1 and rows[0]["imported"] == "1" and rows[0]["first_code"] == "C0001"


def test_formulas_are_guarded_on_export_and_restored_on_import(crm, tmp_path):
    added = as_alice(
        crm, "customer", "add", "+Plus Trading", "--grade", "B", "--tag", "=vip", "--tag", "b"
    )
    assert added.exit_code == 0, added.output
    for name in ("out.csv", "out.xlsx"):
        out = tmp_path / name
        assert as_alice(crm, "customer", "export", "-o", str(out)).exit_code == 0
        if name.endswith(".csv"):
            text = out.read_text(encoding="utf-8-sig")
            assert "'+Plus Trading" in text and "'=vip;b" in text
        fresh = ["--db", str(tmp_path / f"{name}.db")]
        assert crm(*fresh, "init", "--admin", "root").exit_code == 0
        crm(*fresh, "--as", "root", "user", "add", "alice", "--role", "sales")
        imported = crm(*fresh, "--as", "root", "customer", "import", str(out))
        assert imported.exit_code == 0, imported.output
        shown = crm(*fresh, "--as", "root", "customer", "list", "--format", "json")
        (row,) = json.loads(shown.stdout)
        assert row["name"] == "+Plus Trading"
        tags = crm(*fresh, "--as", "root", "customer", "show", row["code"], "--format", "json")
        assert sorted(json.loads(tags.stdout)["tags"]) == ["=vip", "b"]
