"""A customer's invoicing details (开票信息): who may set them, how they are checked, and
the contracts that print them."""

import json

import pytest

from bizops.domain.credit_code import check_character, is_credit_code
from bizops.domain.errors import Invalid, NotPermitted
from bizops.services import customers
from bizops.services import templates as svc
from bizops.services.policy import default_policy
from tests.support.factories import add_customer, new_contract


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "91320500MA1XXXXX0J"])
def test_valid_credit_codes(code):
    assert is_credit_code(code) and check_character(code[:17]) == code[17]


@pytest.mark.parametrize(
    "code", ["91350100M000100Y44", "9135010OM000100Y43", "91350100M000100Y4", ""]
)
def test_invalid_credit_codes(code):
    assert not is_credit_code(code)


def test_the_shipped_policy_has_a_valid_credit_code():
    assert is_credit_code(default_policy().company["tax_id"])


def test_set_invoicing_checks_and_the_draft_prints_it(db, team, policy, today):
    add_customer(db, name="华东机械制造有限公司", owner=team["alice"], policy=policy, today=today)
    values = {
        "tax_id": "91320500ma1xxxxx0j",
        "address": "江苏省苏州市工业园区星湖街1号",
        "phone": "0512-6666 8888",
        "bank": "中国银行苏州分行",
        "bank_account": "5566 7788 9900",
    }
    with pytest.raises(NotPermitted), db.write() as s:
        customers.set_invoicing(s, actor=team["bob"], ref="C0001", values=values)
    with pytest.raises(Invalid) as err, db.write() as s:
        customers.set_invoicing(
            s, actor=team["alice"], ref="C0001", values={"tax_id": "91320500MA1XXXXX0X", "x": "1"}
        )
    assert len(err.value.details) == 2
    with db.write() as s:
        view = customers.set_invoicing(s, actor=team["alice"], ref="C0001", values=values)
        again = customers.set_invoicing(s, actor=team["mia"], ref="C0001", values={"phone": ""})
    assert view["invoicing"]["tax_id"] == "91320500MA1XXXXX0J"
    assert "phone" not in again["invoicing"]
    with db.read() as s:
        shown = customers.show_customer(s, ref="C0001", today=today)
    assert shown["invoicing"]["bank"] == "中国银行苏州分行"
    made = new_contract(
        db,
        actor=team["alice"],
        customer="C0001",
        type="sales",
        title="数控机床",
        amount="1200000",
        template="sales-zh",
        values={
            "goods_name": "数控车床",
            "quantity": "2",
            "delivery_date": "2027-01-15",
            "delivery_place": "苏州",
        },
        policy=policy,
        today=today,
    )
    with db.write() as s:
        text = svc.draft_contract(
            s, actor=team["alice"], contract=made["number"], policy=policy, today=today
        ).text
    assert "统一社会信用代码 91320500MA1XXXXX0J" in text
    assert "开户行及账号 中国银行苏州分行 5566 7788 9900" in text


def test_customer_invoicing_command(cli_admin):
    cli = cli_admin
    assert cli("--as", "root", "user", "add", "alice", "--role", "sales").exit_code == 0
    assert (
        cli("--as", "alice", "customer", "add", "华东机械制造有限公司", "--grade", "A").exit_code
        == 0
    )
    r = cli(
        "--as",
        "alice",
        "customer",
        "invoicing",
        "C0001",
        "--set",
        "tax_id=91320500MA1XXXXX0J",
        "--set",
        "bank=中国银行苏州分行",
    )
    assert r.exit_code == 0 and "91320500MA1XXXXX0J" in r.stdout
    bad = cli(
        "--as", "alice", "--lang", "zh", "customer", "invoicing", "C0001", "--set", "tax_id=1"
    )
    assert bad.exit_code == 2 and "统一社会信用代码应为18位" in bad.stderr
    shown = json.loads(cli("customer", "show", "C0001", "--format", "json").stdout)
    assert shown["invoicing"] == {"tax_id": "91320500MA1XXXXX0J", "bank": "中国银行苏州分行"}
    zh = cli("--lang", "zh", "customer", "invoicing", "C0001")
    assert "统一社会信用代码" in zh.stdout
