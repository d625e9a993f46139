"""Every built-in contract template (and supplementary agreement), drafted with every choice,
passes the lawyer's lint."""

from datetime import date
from decimal import Decimal

import pytest

from bizops.documents.context import build_context, sample_amendment, sample_values
from bizops.documents.env import render
from bizops.documents.fields import normalise
from bizops.documents.library import Template, builtin_templates
from bizops.documents.lint import lint_draft
from bizops.services.policy import default_policy

TODAY = date(2026, 11, 27)
CONTRACTS = sorted(n for n, t in builtin_templates().items() if t.is_contract or t.is_amendment)


def draft(
    template: Template,
    values: dict | None = None,
    *,
    customer_name: str = "华东机械制造有限公司",
    amount: str | None = "1200000.00",
) -> str:
    base = sample_values(template, TODAY)
    for name, raw in (values or {}).items():
        spec = template.field(name)
        base[name] = normalise(spec, raw) if spec is not None else raw
    return render(
        template.body,
        build_context(
            template=template,
            contract={
                "number": "HT-2026-0001",
                "title": "数控机床采购",
                "type": "sales" if template.is_amendment else template.type,
                "amount": Decimal(amount) if amount else None,
                "currency": "CNY",
                "start": TODAY,
                "end": date(2027, 11, 26),
                "notice_days": 30,
            },
            customer={
                "code": "C0001",
                "name": customer_name,
                "invoicing": {
                    "name": customer_name,
                    "tax_id": "91320500MA1XXXXX0J",
                    "address": "江苏省苏州市工业园区星湖街1号",
                    "phone": "0512-6666 8888",
                    "bank": "中国银行苏州分行",
                    "bank_account": "5566 7788 9900",
                },
            },
            contact={"name": "张伟", "title": "采购经理", "phone": "13800000000"},
            company=dict(default_policy().company),
            owner={"login": "alice", "name": "刘洋", "email": "alice@example.com"},
            today=TODAY,
            values=base,
            amendment=sample_amendment(TODAY) if template.is_amendment else None,
        ),
        name=template.ref,
    )


def choices(template: Template) -> list[tuple[str, object]]:
    """Every choice of every choice field (enum and yes/no), one at a time."""
    out: list[tuple[str, object]] = []
    for spec in template.fields:
        if spec.type == "enum":
            out += [(spec.name, c) for c in spec.choices]
        elif spec.type == "bool":
            out += [(spec.name, True), (spec.name, False)]
    return out


def cases() -> list[tuple[str, str, object]]:
    return [(n, f, v) for n in CONTRACTS for f, v in choices(builtin_templates()[n])]


def findings(template: Template, text: str) -> list[str]:
    found = lint_draft(
        text, template_type=template.type, language=template.language, title=template.title
    )
    return [f"{f.line}: {f.code} {f.text()}" for f in found]


@pytest.mark.parametrize(("name", "field", "value"), cases())
def test_every_choice_of_every_template_passes_the_lint(name, field, value):
    template = builtin_templates()[name]
    text = draft(template, {field: value})
    assert findings(template, text) == []


@pytest.mark.parametrize("name", CONTRACTS)
def test_optional_clauses_pass_the_lint(name):
    template = builtin_templates()[name]
    values = {}
    if template.field("retention_percent"):
        values["retention_percent"] = "5"
    if template.field("liquidated_damages"):
        values["liquidated_damages"] = "50000"
    text = draft(template, values, customer_name="华东机械制造有限公司苏州分公司")
    assert findings(template, text) == []
    assert "负责人" in text or "Person in charge" in text


def test_both_languages_and_every_kind_of_contract_are_covered():
    languages = {builtin_templates()[n].language for n in CONTRACTS}
    kinds = {builtin_templates()[n].type for n in CONTRACTS}
    assert languages == {"zh", "en"}
    assert kinds == {"sales", "purchase", "service", "nda", "framework", "amendment"}
    assert len(cases()) > 100


def test_the_lint_finds_what_the_review_found():
    """The defects of the first library, each found on its line."""
    text = "\n".join(
        [
            "# 保密协议",  # 1
            "甲方：示例商贸有限公司",  # 2
            "乙方：示例客户有限公司",  # 3
            "住所：",  # 4: an empty value
            "协商不成的，任何一方均有权将争议提交乙方所在地有管辖权的人民法院，按照申请仲裁时该会现行有效的仲裁规则进行仲裁。",  # 5
            "本协议自2026年11月27日起生效。",  # 6
            "本合同自双方法定代表人签字并加盖公章之日起生效。",  # 7
            "违约金¥50,000.00（大写：人民币伍万伍仟元整）",  # 8
            "{{ purpose }}",  # 9
        ]
    )
    found = {
        (f.line, f.code)
        for f in lint_draft(text, template_type="nda", language="zh", title="保密协议")
    }
    assert {
        (4, "empty"),
        (5, "arbitration"),
        (7, "effect"),
        (7, "name"),
        (8, "upper"),
        (9, "tags"),
    } <= found
    assert (0, "art470.subject") in found and (0, "art470.performance") in found


def test_invoicing_is_required_where_money_is_invoiced():
    text = "# 购销合同\n甲方：甲\n乙方：乙\n本合同自签字之日起生效。"
    codes = {
        f.code for f in lint_draft(text, template_type="sales", language="zh", title="购销合同")
    }
    assert {"invoicing.details", "invoicing.clause"} <= codes
    codes = {f.code for f in lint_draft(text, template_type="nda", language="zh", title="保密协议")}
    assert not {"invoicing.details", "invoicing.clause"} & codes


@pytest.mark.parametrize(
    ("name", "title", "expected"),
    [
        ("王伟", "采购经理", "王经理"),
        ("张伟", "总经理", "张总"),
        ("欧阳娜娜", "技术总监", "欧阳总监"),
        ("李强", "高级工程师", "李工"),
        ("李强", "", "李强"),
        ("James Johnson", "Supply Chain Lead", "James Johnson"),
        ("", "经理", ""),
    ],
)
def test_people_are_addressed_by_surname_and_title(name, title, expected):
    from bizops.documents.filters import salutation

    assert salutation(name, title) == expected


def test_scripts_and_emails_address_people_as_chinese_letters_do():
    for name in ("email-tech-zh", "script-tech-zh"):
        template = builtin_templates()[name]
        text = render(
            template.body,
            build_context(
                template=template,
                contract=None,
                customer={"code": "C0001", "name": "华东机械制造有限公司"},
                contact={"name": "王伟", "title": "采购经理"},
                company=dict(default_policy().company),
                owner={"login": "alice", "name": "刘洋"},
                today=TODAY,
                values=sample_values(template, TODAY),
            ),
            name=name,
        )
        assert "王经理" in text and "王伟（采购经理）" not in text.split("\n\n", 2)[-1]


def test_a_supplementary_agreement_states_its_changes():
    template = builtin_templates()["amendment-zh"]
    text = draft(template)
    assert "原合同总价款，原约定：¥120,000.00（大写：人民币壹拾贰万元整）" in text
    without = text.replace("原约定", "原定").replace("继续有效", "有效")
    codes = {
        f.code
        for f in lint_draft(without, template_type="amendment", language="zh", title="补充协议")
    }
    assert codes == {"amendment.changes", "amendment.rest"}
    # Art. 470 is the original contract's business, not the agreement's.
    assert not any(c.startswith("art470") for c in codes)
