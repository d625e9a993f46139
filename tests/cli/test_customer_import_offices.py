"""`customer import --map/--ignore-unknown/--encoding` and the company options at the CLI."""

import json

import pytest


@pytest.fixture
def crm(cli_admin):
    assert cli_admin("--as", "root", "user", "add", "alice", "--role", "sales").exit_code == 0
    return cli_admin


def as_alice(crm, *args):
    return crm("--as", "alice", "--today", "2026-11-27", *args)


CRM = "公司名称,客户级别,负责人,规模,省份\n台州精工机械有限公司,A类,alice,200人,浙江\n"


def test_map_and_ignore_unknown(crm, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(CRM, encoding="utf-8")
    refused = as_alice(crm, "customer", "import", str(path))
    assert refused.exit_code == 2 and "--map '客户级别=FIELD'" in refused.stderr
    bad = as_alice(crm, "customer", "import", str(path), "--map", "客户级别=size")
    assert bad.exit_code == 2 and "unknown field 'size'" in bad.stderr and "grade" in bad.stderr
    assert as_alice(crm, "customer", "import", str(path), "--map", "客户级别").exit_code == 2
    ok = as_alice(
        crm,
        "customer",
        "import",
        str(path),
        "--map",
        "客户级别=grade",
        "--map",
        "省份=region",
        "--ignore-unknown",
        "-f",
        "json",
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["ignored_columns"] == ["规模"]
    assert ok.stderr.count("规模") == 1
    shown = json.loads(as_alice(crm, "customer", "show", "C0001", "-f", "json").stdout)
    assert (shown["grade"], shown["region"]) == ("A", "浙江")


def test_messages_in_chinese(crm, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(CRM, encoding="utf-8")
    zh = crm("--lang", "zh", "--as", "alice", "customer", "import", str(path),
             "--map", "客户级别=grade", "--ignore-unknown")  # fmt: skip
    assert zh.exit_code == 0 and "已忽略无法对应字段的列：规模, 省份" in zh.stderr
    big5 = tmp_path / "big5.csv"
    big5.write_bytes("客戶名稱,等級,負責人\n臺北貿易股份有限公司,A,alice\n".encode("big5"))
    refused = crm("--lang", "zh", "--as", "alice", "customer", "import", str(big5))
    assert (
        refused.exit_code == 2 and "极可能是 big5 编码；请加 --encoding big5 导入" in refused.stderr
    )
    assert as_alice(crm, "customer", "import", str(big5), "--encoding", "big5").exit_code == 0
    unknown = as_alice(crm, "customer", "import", str(big5), "--encoding", "klingon")
    assert unknown.exit_code == 2 and "unknown encoding 'klingon'" in unknown.stderr


def test_add_and_update_company_options(crm, monkeypatch):
    bad = as_alice(
        crm, "customer", "add", "X", "--grade", "B", "--credit-code", "91320500MA1XXXXX0K"
    )
    assert bad.exit_code == 2 and "check digit" in bad.stderr
    assert as_alice(crm, "customer", "list", "-f", "json").stdout == "[]\n"
    assert as_alice(crm, "customer", "add", "X", "--grade", "B", "--email", "nope").exit_code == 2
    ok = as_alice(crm, "customer", "add", "X", "--grade", "B", "--phone", "021-5555 1234",
                  "--email", "office@x.example.com", "--website", "www.x.example.com",
                  "--address", "上海市", "--credit-code", "91320500ma1xxxxx0j")  # fmt: skip
    assert ok.exit_code == 0, ok.output
    shown = json.loads(as_alice(crm, "customer", "show", "X", "-f", "json").stdout)
    assert shown["credit_code"] == "91320500MA1XXXXX0J" and shown["phone"] == "021-5555 1234"
    assert as_alice(crm, "customer", "update", "X", "--website", "no url").exit_code == 2
    assert as_alice(crm, "customer", "update", "X", "--address", "杭州市").exit_code == 0
    from bizops.cli import output

    monkeypatch.setattr(output.values, "stdout_is_terminal", lambda: True)
    text = as_alice(crm, "--lang", "zh", "customer", "show", "X").stdout
    assert "公司电话" in text and "统一社会信用代码" in text
