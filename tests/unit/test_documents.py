"""Fields, the sandbox, static checks and the writers, without a database."""

import io
from datetime import date
from decimal import Decimal

import pytest

from bizops.documents.context import sample_context
from bizops.documents.env import render
from bizops.documents.fields import check_values, normalise, parse_schema
from bizops.documents.library import (
    CONTEXT_NAMES,
    builtin_templates,
    check_body,
    clause_names,
    parse_ref,
)
from bizops.documents.writers import docx_bytes, html_page
from bizops.domain.errors import Invalid
from bizops.services.policy import default_policy

TODAY = date(2026, 11, 27)
SCHEMA = parse_schema(
    [
        {"name": "days", "type": "int", "min": 1, "max": 90, "label": "Days", "help": "How long."},
        {"name": "rate", "type": "percent", "min": 0, "max": 30, "label": "Rate", "help": "Rate."},
        {"name": "fee", "type": "money", "required": True, "label": "Fee", "help": "Fee."},
        {"name": "on", "type": "date", "label": "On", "help": "When."},
        {"name": "ok", "type": "bool", "default": True, "label": "OK", "help": "Yes or no."},
        {"name": "how", "type": "enum", "choices": ["a", "b"], "label": "How", "help": "a or b."},
        {"name": "code", "type": "text", "pattern": "[A-Z]{3}", "label": "Code", "help": "ISO."},
        {"name": "qty", "type": "decimal", "label": "Qty", "help": "Amount of stuff."},
    ]
)
BY_NAME = {s.name: s for s in SCHEMA}
ATTACKS = [
    "{{ ''.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ '{0.__class__}'.format(contract) }}",
    "{{ '{0.__class__.__mro__}'.format_map(contract) }}",
    "{{ contract['__class__'] }}",
    "{{ contract|attr('__class__') }}",
    "{{ 'x' * 100000000 }}",
    "{{ 10 ** 100000 }}",
]


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("days", "30", 30),
        ("days", 7, 7),
        ("rate", "12.5", "12.5"),
        ("rate", "12.5%", "12.5"),
        ("fee", "12万", "120000.00"),
        ("fee", "120,000.50", "120000.50"),
        ("on", "2026-12-01", "2026-12-01"),
        ("ok", "否", False),
        ("ok", "yes", True),
        ("how", "B", "b"),
        ("code", "CNY", "CNY"),
        ("qty", "1.50", "1.5"),
    ],
)
def test_values_are_normalised(name, raw, expected):
    assert normalise(BY_NAME[name], raw) == expected


@pytest.mark.parametrize(
    ("name", "raw", "words"),
    [
        ("days", "abc", "whole number"),
        ("days", "0", "below the minimum 1"),
        ("days", "91", "above the maximum 90"),
        ("rate", "31", "above the maximum"),
        ("fee", "lots", "amount"),
        ("on", "01/12/2026", "YYYY-MM-DD"),
        ("ok", "maybe", "yes or no"),
        ("how", "c", "one of a, b"),
        ("code", "cny1", "pattern"),
    ],
)
def test_bad_values_name_the_field_and_what_is_accepted(name, raw, words):
    with pytest.raises(Invalid) as err:
        normalise(BY_NAME[name], raw)
    assert err.value.message.startswith(f"{name}:")
    assert words in err.value.message


def test_check_values_reports_everything_at_once():
    checked = check_values(SCHEMA, {"days": "x", "rate": "99", "extra_term": "赠送培训"})
    assert [p.split(":")[0] for p in checked.problems] == ["days", "rate"]
    assert "How long." in checked.problems[0]  # the help text comes with the problem
    assert checked.unknown == {"extra_term": "赠送培训"}
    assert checked.missing == ["fee"]


def test_schema_problems_are_all_listed():
    with pytest.raises(Invalid) as err:
        parse_schema(
            [
                {"name": "Bad Name", "type": "int", "label": "x", "help": "y"},
                {"name": "a", "type": "colour", "label": "x", "help": "y"},
                {"name": "b", "type": "enum", "label": "x", "help": "y"},
                {"name": "c", "type": "int", "label": "", "help": "", "default": "x"},
                {"name": "contract", "type": "text", "label": "x", "help": "y"},
                {"name": "d", "type": "text", "label": "x", "help": "y", "colour": 1},
            ],
            reserved=CONTEXT_NAMES,
        )
    details = "\n".join(err.value.details)
    for words in ("Bad Name", "colour", "needs at least one choice", "label", "help", "default"):
        assert words in details
    assert "context variable" in details


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_sandbox_refuses_unsafe_templates(attack):
    template = builtin_templates()["nda-en"]
    context = sample_context(template, company=default_policy().company, today=TODAY)
    with pytest.raises(Invalid) as err:
        render(attack, context, name="attack")
    assert "attack" in err.value.message
    assert "__subclasses__" not in err.value.message or "sandbox" in err.value.message


@pytest.mark.parametrize("attack", ATTACKS[:7])
def test_static_check_flags_private_reads_with_line_numbers(attack):
    check = check_body("line one\n" + attack, set(), name="t.md.j2")
    assert any("line 2" in p and "sandbox" in p for p in check.problems), check.problems


def test_static_check_reports_syntax_errors_and_undeclared_variables():
    bad = check_body("a\n{{ x + }}\nb\n", {"x"}, name="t.md.j2")
    assert bad.problems == ["t.md.j2: syntax error on line 2: unexpected 'end of print statement'"]
    unclosed = check_body("a\n{% if x %}\nb\n", {"x"}, name="t.md.j2")
    assert "line 3" in unclosed.problems[0] and "endif" in unclosed.problems[0]
    undeclared = check_body("{{ contract.number }}\n\n{{ payment_dayz }}", set(), name="t")
    assert undeclared.problems == [
        "t: variable 'payment_dayz' is used but not declared in the field schema or the "
        "context (line 3)"
    ]
    missing_clause = check_body('{% include "clauses/zh/nope.j2" %}', set(), name="t")
    assert "not found" in missing_clause.problems[0]
    through_clause = check_body('{% include "clauses/zh/payment.j2" %}', set(), name="t")
    names = " ".join(through_clause.problems)
    assert "clauses/zh/payment.j2" in names and "advance_percent" in names


def test_strict_undefined_is_an_error():
    with pytest.raises(Invalid) as err:
        render("ok\n{{ contract.nope }}", {"contract": {}}, name="t")
    assert "line 2" in err.value.message


def test_refs():
    assert parse_ref("sales-zh") == ("sales-zh", None)
    assert parse_ref("Sales-ZH@2") == ("sales-zh", 2)
    with pytest.raises(Invalid):
        parse_ref("sales-zh@two")
    with pytest.raises(Invalid):
        parse_ref("")


def test_library_has_every_contract_type_in_both_languages_and_material():
    library = builtin_templates()
    for ctype in ("sales", "purchase", "service", "nda", "framework"):
        for lang in ("zh", "en"):
            template = library[f"{ctype}-{lang}"]
            assert template.type == ctype and template.language == lang
            assert template.version == 1 and template.description
            assert all(f.help and f.label for f in template.fields)
    materials = [t for t in library.values() if t.type in ("email", "script")]
    assert len(materials) == 12
    assert {t.language for t in materials} == {"zh", "en"}
    assert len(clause_names()) >= 26


@pytest.mark.parametrize("name", sorted(builtin_templates()))
def test_every_builtin_passes_its_own_checks_and_renders(name):
    template = builtin_templates()[name]
    check = check_body(template.body, {f.name for f in template.fields}, name=name)
    assert check.problems == []
    text = render(
        template.body,
        sample_context(template, company=default_policy().company, today=TODAY),
        name=name,
    )
    assert "{{" not in text and "{%" not in text and "None" not in text


def test_html_escapes_values_and_is_a_printable_page():
    page = html_page(
        "# 合同\n\n甲方：<script>alert(1)</script> & Co\n", title="A <b>", language="zh"
    )
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<title>A &lt;b&gt;</title>" in page
    assert "@media print" in page and "size: A4" in page


def test_docx_has_headings_numbered_clauses_and_a_table():
    import docx

    data = docx_bytes(
        "# 合同\n\n## 第一条 付款\n\n1. 先付\n2. 后付\n\n| 甲方 | 乙方 |\n| --- | --- |\n| 签字 | 签字 |\n",
        title="合同",
        language="zh",
    )
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    styles = [p.style.name for p in document.paragraphs]
    assert texts[:4] == ["合同", "第一条 付款", "1. 先付", "2. 后付"]
    assert styles[0] == "Title" and styles[1] == "Heading 1"
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [
        ["甲方", "乙方"],
        ["签字", "签字"],
    ]
    assert document.core_properties.title == "合同"
    assert abs(document.sections[0].page_width.mm - 210) < 1


def test_money_values_render_as_decimals():
    template = builtin_templates()["nda-zh"]
    context = sample_context(template, company=default_policy().company, today=TODAY)
    assert context["liquidated_damages"] == Decimal("0.00")
    assert context["party_a"]["name"] == default_policy().company["name"]


def test_values_print_as_typed_not_as_markdown():
    import docx

    body = (
        "# {{ title }}\n\n住所：{{ a | blank }}\\\n法定代表人：{{ b | blank }}\n\n"
        "| 货物 | 数量 |\n| --- | --- |\n| {{ goods }} | 3 |\n"
    )
    text = render(
        body, {"title": "A_B *加急*", "a": "", "b": None, "goods": "CK6150 | 3台"}, name="t"
    )
    page = html_page(text, title="t", language="zh")
    assert "A_B *加急*" in page and "<em>" not in page and "<strong>" not in page
    assert "住所：____________<br />" in page and "<td>CK6150 | 3台</td>" in page
    document = docx.Document(io.BytesIO(docx_bytes(text, title="t", language="zh")))
    assert document.paragraphs[1].text == "住所：____________\n法定代表人：____________"
    assert document.tables[0].rows[1].cells[0].text == "CK6150 | 3台"


def test_a_value_with_line_breaks_keeps_the_layout():
    body = "| 货物 | 数量 |\n| --- | --- |\n| {{ goods }} | 3 |\n\n1. 交付至{{ place }}。\n"
    text = render(body, {"goods": "机床A\n机床B", "place": "上海\r\n# 标题\n"}, name="t")
    page = html_page(text, title="t", language="zh")
    assert "<td>机床A 机床B</td>" in page and page.count("<tr>") == 2
    assert "<h1>" not in page and "交付至上海 # 标题 。" in page
