"""The defects a company lawyer found in the contract library stay fixed (drafted through
the services, on SQLite and PostgreSQL)."""

import io
from decimal import Decimal

import docx
import pytest

from bizops.documents.lint import lint_draft
from bizops.domain.errors import Invalid
from bizops.services import templates as svc
from tests.support.factories import add_customer, new_contract

SALES = {
    "goods_name": "数控车床 CK6150",
    "quantity": "2",
    "delivery_date": "2027-01-15",
    "delivery_place": "江苏省苏州市工业园区星湖街1号",
}


def _customer(db, team, policy, today, name="华东机械制造有限公司"):
    return add_customer(
        db,
        name=name,
        grade="A",
        owner=team["alice"],
        policy=policy,
        today=today,
        contacts=["张伟, 采购经理, 13800000000, zhangwei@example.com"],
    )


def _contract(
    db, team, policy, today, *, values, type="sales", template="sales-zh", amount="1200000"
):
    return new_contract(
        db,
        actor=team["alice"],
        customer="C0001",
        type=type,
        title="数控机床",
        amount=amount,
        template=template,
        values=values,
        policy=policy,
        today=today,
    )


def _draft(db, team, policy, today, number, fmt="md"):
    with db.write() as s:
        return svc.draft_contract(
            s, actor=team["alice"], contract=number, fmt=fmt, policy=policy, today=today
        )


def test_arbitration_needs_a_named_institution(db, team, policy, today):
    _customer(db, team, policy, today)
    with pytest.raises(Invalid) as err:
        _contract(
            db,
            team,
            policy,
            today,
            values={
                **SALES,
                "dispute_resolution": "arbitration",
                "arbitration_institution": "乙方所在地有管辖权的人民法院",
            },
        )
    assert "arbitration_institution" in " ".join(err.value.details)
    made = _contract(db, team, policy, today, values={**SALES, "dispute_resolution": "arbitration"})
    with pytest.raises(Invalid) as missing:
        _draft(db, team, policy, today, made["number"])
    assert "arbitration_institution" in missing.value.message
    made = _contract(
        db,
        team,
        policy,
        today,
        values={
            **SALES,
            "dispute_resolution": "arbitration",
            "arbitration_institution": "上海国际仲裁中心",
        },
    )
    text = _draft(db, team, policy, today, made["number"]).text
    assert (
        "提交上海国际仲裁中心，按照" in text
        and "人民法院" not in text.split("争议解决")[-1].split("特别约定")[0]
    )


def test_litigation_names_a_court_by_place(db, team, policy, today):
    _customer(db, team, policy, today)
    made = _contract(db, team, policy, today, values={**SALES, "court_place": "sign_place"})
    assert (
        "向合同签订地有管辖权的人民法院提起诉讼"
        in _draft(db, team, policy, today, made["number"]).text
    )


def test_credit_codes_are_checked_with_their_check_digit(db, team, policy, today):
    _customer(db, team, policy, today)
    with pytest.raises(Invalid) as err:
        _contract(
            db, team, policy, today, values={**SALES, "counterparty_tax_id": "91320500MA1XXXXX0X"}
        )
    assert "check digit" in " ".join(err.value.details)
    made = _contract(
        db, team, policy, today, values={**SALES, "counterparty_tax_id": "91320500ma1xxxxx0j"}
    )
    assert made["non_standard"] is False
    assert "91320500MA1XXXXX0J" in _draft(db, team, policy, today, made["number"]).text
    assert policy.company["tax_id"] in _draft(db, team, policy, today, made["number"]).text


def test_the_nda_has_one_effectiveness_clause_and_a_printed_term(db, team, policy, today):
    _customer(db, team, policy, today)
    made = _contract(
        db,
        team,
        policy,
        today,
        type="nda",
        template="nda-zh",
        values={"purpose": "评估智能仓储项目合作"},
    )
    text = _draft(db, team, policy, today, made["number"]).text
    assert text.count("生效") - text.count("生效后") == 1
    assert "本协议有效期自" in text and "本合同" not in text


def test_goods_table_lines_and_their_total(db, team, policy, today):
    _customer(db, team, policy, today)
    lines = {
        "goods.1.name": "数控车床",
        "goods.1.spec": "CK6150",
        "goods.1.unit": "台",
        "goods.1.quantity": "2",
        "goods.1.unit_price": "500000",
        "goods.2.name": "刀塔备件",
        "goods.2.unit": "套",
        "goods.2.quantity": "4",
        "goods.2.unit_price": "50000",
    }
    with pytest.raises(Invalid, match="lines total"):
        _contract(db, team, policy, today, values={**SALES, **lines}, amount="1000000")
    made = _contract(db, team, policy, today, values={**SALES, **lines})
    assert made["non_standard"] is False
    text = _draft(db, team, policy, today, made["number"]).text
    assert "| 2 | 刀塔备件 |" in text and "¥200,000.00" in text and "| 13% |" in text
    assert "附件一《产品规格清单》" in text and "## 附件一 产品规格清单" in text


def test_goods_lines_from_a_quotation():
    from bizops.documents.goods import check_total, normalise_lines

    lines = normalise_lines([{"name": "传感器", "quantity": 3, "unit_price": "100.10"}], 13)
    assert lines[0]["amount"] == "300.30" and lines[0]["tax_rate"] == "13"
    check_total(lines, Decimal("300.30"))
    with pytest.raises(Invalid):
        check_total(lines, Decimal("300"))


def test_retention_money_is_a_standard_clause(db, team, policy, today):
    _customer(db, team, policy, today)
    made = _contract(db, team, policy, today, values={**SALES, "retention_percent": "5"})
    assert made["non_standard"] is False
    text = _draft(db, team, policy, today, made["number"]).text
    assert "合同总价款的5%作为质保金" in text and "质量保证期届满" in text


def test_special_terms_are_not_called_non_standard(db, team, policy, today):
    _customer(db, team, policy, today)
    made = _contract(db, team, policy, today, values={**SALES, "free_training": "免费培训3天"})
    text = _draft(db, team, policy, today, made["number"]).text
    assert "非标准" not in text and "特别约定" in text


def test_a_branch_is_signed_by_its_person_in_charge(db, team, policy, today):
    _customer(db, team, policy, today, name="华东机械制造有限公司苏州分公司")
    made = _contract(db, team, policy, today, values=SALES)
    text = _draft(db, team, policy, today, made["number"]).text
    assert "负责人：" in text and "负责人或授权代表（签字）" in text


@pytest.mark.parametrize(
    ("template", "chapter", "rate", "guarantee"),
    [
        ("service-zh", "第二十章", "6%", "免费维护期"),
        ("transport-zh", "第十九章", "9%", None),
        ("service-general-zh", "第二十三章", "6%", "免费维护期"),
    ],
)
def test_service_contracts_by_kind(db, team, policy, today, template, chapter, rate, guarantee):
    _customer(db, team, policy, today)
    values = {"service_scope": "ERP 实施", "deliverables": "配置文档"}
    if template == "transport-zh":
        values = {"cargo": "家电 20托盘", "origin": "苏州", "destination": "上海"}
    made = _contract(db, team, policy, today, type="service", template=template, values=values)
    text = _draft(db, team, policy, today, made["number"]).text
    assert chapter in text and f"含{rate}增值税" in text
    assert "包装" not in text.split("价款")[1][:200] and "质量保证期" not in text
    if guarantee:
        assert guarantee in text
    assert (
        lint_draft(text, template_type="service", language="zh", title=text.split("\n")[0][2:])
        == []
    )


def test_invoicing_details_of_both_parties_are_printed(db, team, policy, today):
    _customer(db, team, policy, today)
    made = _contract(
        db, team, policy, today, values={**SALES, "counterparty_bank": "中国银行苏州分行"}
    )
    text = _draft(db, team, policy, today, made["number"]).text
    assert text.count("开户行及账号") == 2 and "中国银行苏州分行" in text
    assert policy.company["bank"] in text and "增值税专用发票" in text


def test_word_has_page_numbers_and_our_company_as_author(db, team, policy, today):
    _customer(db, team, policy, today)
    made = _contract(db, team, policy, today, values={**SALES, "seam_seal": "yes"})
    result = _draft(db, team, policy, today, made["number"], fmt="docx")
    document = docx.Document(io.BytesIO(result.content))
    assert document.core_properties.author == policy.company["name"]
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "第" in footer and "共" in footer
    assert any("骑缝章" in p.text for p in document.paragraphs)


def test_an_nda_needs_no_amount_and_routes_safely(db, team, policy, today):
    from bizops.services import contracts
    from tests.support.factories import submit_contract

    _customer(db, team, policy, today)
    with pytest.raises(Invalid, match="needs an amount"):
        _contract(db, team, policy, today, values=SALES, amount=None)
    made = _contract(
        db,
        team,
        policy,
        today,
        type="nda",
        template="nda-zh",
        values={"purpose": "评估合作"},
        amount=None,
    )
    assert made["amount"] is None
    text = _draft(db, team, policy, today, made["number"]).text
    assert "本协议有效期自" in text
    request = submit_contract(
        db, actor=team["alice"], number=made["number"], policy=policy, today=today
    )
    assert request > 0
    with db.read() as s:
        rows = (
            contracts.list_contracts(s, today=today) if hasattr(contracts, "list_contracts") else []
        )
    assert all(r["amount"] is None for r in rows if r["number"] == made["number"])
