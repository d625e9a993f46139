"""The template library through its services: standard assessment, drafting, versions."""

import hashlib
import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bizops.documents.library import builtin_templates
from bizops.domain.errors import Invalid, NotFound, NotPermitted
from bizops.services import contracts
from bizops.services import templates as svc
from bizops.store.models import AuditEvent, Contract, Draft, TemplateVersion
from tests.support.factories import add_customer, new_contract

CONTRACT_TEMPLATES = sorted(n for n, t in builtin_templates().items() if t.is_contract)
DEMO_VALUES = {
    "sales": {
        "goods_name": "数控车床 CK6150",
        "quantity": "2",
        "delivery_date": "2027-01-15",
        "delivery_place": "江苏省苏州市工业园区星湖街1号",
        "counterparty_address": "江苏省苏州市工业园区星湖街1号",
        "counterparty_tax_id": "91320500MA1XXXXX0J",
    },
    "service": {
        "service_scope": "ERP 实施：需求调研、配置、培训",
        "deliverables": "配置文档、培训记录",
    },
    "nda": {"purpose": "to evaluate a smart-warehouse project", "liquidated_damages": "5万"},
    "framework": {
        "scope": "工业传感器及配件",
        "delivery_place": "苏州工厂仓库",
        "auto_renew": "no",
    },
}
DEMO_VALUES["purchase"] = DEMO_VALUES["sales"]
# Templates whose fields differ from the others of their contract type.
DEMO_VALUES_BY_TEMPLATE = {
    name: {"cargo": "家电成品 20托盘", "origin": "苏州工厂仓库", "destination": "上海浦东仓库"}
    for name in ("transport-zh", "transport-en")
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


def _contract(db, team, policy, today, *, type, template, values, customer="C0001"):
    return new_contract(
        db,
        actor=team["alice"],
        customer=customer,
        type=type,
        title="数控机床 <采购> & 安装",
        amount="1200000",
        template=template,
        values=values,
        policy=policy,
        today=today,
    )


def test_assess_standard(db, team):
    with db.read() as s:
        plain = svc.assess_standard(s, contract_type="sales", template=None, values={"x": "1"})
        assert (
            plain.non_standard and plain.template_name is None and "no template" in plain.reasons[0]
        )
        ok = svc.assess_standard(
            s,
            contract_type="sales",
            template="sales-zh",
            values={"quantity": "2", "tax_rate": "13"},
        )
        assert (ok.template_name, ok.template_version, ok.non_standard) == ("sales-zh", 1, False)
        assert ok.values == {"quantity": 2, "tax_rate": "13"}
        extra = svc.assess_standard(
            s, contract_type="sales", template="sales-zh@1", values={"free_training": "3 days"}
        )
        assert extra.non_standard and "free_training" in extra.reasons[0]
        assert extra.values == {"free_training": "3 days"}
        with pytest.raises(Invalid) as err:
            svc.assess_standard(
                s,
                contract_type="sales",
                template="sales-zh",
                values={"quantity": "two", "payment_days": "365", "payment_method": "cash"},
            )
        assert len(err.value.details) == 3
        assert all(
            d.split(":")[0] in ("quantity", "payment_days", "payment_method")
            for d in err.value.details
        )
        with pytest.raises(Invalid, match="nda template"):
            svc.assess_standard(s, contract_type="sales", template="nda-zh", values={})
        with pytest.raises(Invalid, match="not a contract template"):
            svc.assess_standard(s, contract_type="sales", template="email-retail-zh", values={})
        with pytest.raises(NotFound, match="no template 'nope'"):
            svc.assess_standard(s, contract_type="sales", template="nope", values={})
        with pytest.raises(NotFound, match="no version 9"):
            svc.assess_standard(s, contract_type="sales", template="sales-zh@9", values={})


@pytest.mark.parametrize("name", CONTRACT_TEMPLATES)
def test_every_builtin_contract_template_drafts_in_every_format(db, team, policy, today, name):
    template = builtin_templates()[name]
    _customer(db, team, policy, today)
    made = _contract(
        db,
        team,
        policy,
        today,
        type=template.type,
        template=name,
        values=DEMO_VALUES_BY_TEMPLATE.get(name, DEMO_VALUES[template.type]),
    )
    import docx

    for fmt in ("md", "html", "docx"):
        with db.write() as s:
            result = svc.draft_contract(
                s, actor=team["alice"], contract=made["number"], fmt=fmt, policy=policy, today=today
            )
        assert result.template == f"{name}@1"
        assert result.sha256 == hashlib.sha256(result.content).hexdigest()
        if fmt == "docx":
            document = docx.Document(io.BytesIO(result.content))
            text = "\n".join(p.text for p in document.paragraphs)
            signature = document.tables[-1]
            assert len(signature.columns) == 2 and len(signature.rows) >= 4
            assert "华东机械制造有限公司" in signature.cell(0, 0).text + signature.cell(0, 1).text
        else:
            text = result.text
        assert made["number"] in text
        assert "华东机械制造有限公司" in text
        assert "{{" not in text and "None" not in text
    assert "<采购>" not in result.text if fmt == "html" else True
    with db.read() as s:
        drafts = s.execute(select(Draft).order_by(Draft.id)).scalars().all()
        assert [d.format for d in drafts] == ["md", "html", "docx"]
        assert all(d.template_name == name and d.template_version == 1 for d in drafts)
        events = s.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "contract.draft")
        ).scalar_one()
        assert events == 3


def test_html_draft_escapes_and_md_has_amount_in_words(db, team, policy, today):
    _customer(db, team, policy, today, name="<b>Evil</b> & Co")
    made = _contract(
        db, team, policy, today, type="sales", template="sales-zh", values=DEMO_VALUES["sales"]
    )
    with db.write() as s:
        page = svc.draft_contract(
            s, actor=team["alice"], contract=made["number"], fmt="html", policy=policy, today=today
        )
        md = svc.draft_contract(
            s, actor=team["alice"], contract=made["number"], fmt="md", policy=policy, today=today
        )
    assert "<b>Evil</b>" not in page.text and "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in page.text
    assert "壹佰贰拾万元整" in md.text and "¥1,200,000.00" in md.text and "2027年1月15日" in md.text


def test_draft_lists_every_missing_or_invalid_field_and_records_nothing(db, team, policy, today):
    _customer(db, team, policy, today)
    made = _contract(
        db, team, policy, today, type="sales", template="sales-zh", values={"quantity": "2"}
    )
    with db.write() as s:  # a value that became invalid (stored by hand) is reported too
        row = s.execute(select(Contract)).scalar_one()
        row.fields = {**row.fields, "payment_days": 999}
        s.add(row)
    with pytest.raises(Invalid) as err, db.write() as s:
        svc.draft_contract(
            s, actor=team["alice"], contract=made["number"], policy=policy, today=today
        )
    names = sorted(d.split(":")[0] for d in err.value.details)
    assert names == ["delivery_date", "delivery_place", "goods_name", "payment_days"]
    assert any("交货日期" in d for d in err.value.details)  # each with its label and help
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(Draft)).scalar_one() == 0


def test_contract_without_template_cannot_be_drafted(db, team, policy, today):
    _customer(db, team, policy, today)
    made = _contract(db, team, policy, today, type="sales", template=None, values={})
    with pytest.raises(Invalid, match="has no template"), db.write() as s:
        svc.draft_contract(
            s, actor=team["alice"], contract=made["number"], policy=policy, today=today
        )
    with pytest.raises(Invalid, match="--format"), db.write() as s:
        svc.draft_contract(
            s, actor=team["alice"], contract=made["number"], fmt="pdf", policy=policy, today=today
        )
    with pytest.raises(NotFound), db.write() as s:
        svc.draft_contract(
            s, actor=team["alice"], contract="HT-1999-0001", policy=policy, today=today
        )


def test_non_standard_terms_are_printed_as_special_terms(db, team, policy, today):
    _customer(db, team, policy, today)
    made = _contract(
        db,
        team,
        policy,
        today,
        type="sales",
        template="sales-zh",
        values={**DEMO_VALUES["sales"], "free_training": "免费培训3天"},
    )
    assert made["non_standard"] is True
    with db.write() as s:
        result = svc.draft_contract(
            s, actor=team["alice"], contract=made["number"], policy=policy, today=today
        )
    assert "free_training：免费培训3天" in result.text


def _write_template(folder: Path, name: str, body: str, *, extra_field: str = "") -> Path:
    toml = folder / f"{name}.toml"
    toml.write_text(
        f'name = "{name}"\ntitle = "购销合同（2027版）"\ntype = "sales"\nlanguage = "zh"\n'
        'description = "新版"\n\n[[fields]]\nname = "goods_name"\ntype = "text"\nrequired = true\n'
        'label = "货物"\nhelp = "货物名称"\n' + extra_field,
        encoding="utf-8",
    )
    (folder / f"{name}.md.j2").write_text(body, encoding="utf-8")
    return toml


def test_add_versions_and_existing_contracts_keep_theirs(db, team, policy, today, tmp_path):
    _customer(db, team, policy, today)
    old = _contract(
        db, team, policy, today, type="sales", template="sales-zh", values=DEMO_VALUES["sales"]
    )
    path = _write_template(
        tmp_path, "sales-zh", "# 新版购销合同 {{ contract.number }}\n\n货物：{{ goods_name }}\n"
    )
    with pytest.raises(NotPermitted), db.write() as s:
        svc.add_template(s, actor=team["alice"], path=path, policy=policy, today=today)
    with db.write() as s:
        added = svc.add_template(s, actor=team["root"], path=path, policy=policy, today=today)
        again = svc.add_template(s, actor=team["root"], path=path, policy=policy, today=today)
    assert (added.ref, again.ref) == ("sales-zh@2", "sales-zh@3")
    with db.read() as s:
        assert svc.resolve_template(s, "sales-zh").version == 3
        assert svc.resolve_template(s, "sales-zh@1").body == builtin_templates()["sales-zh"].body
        listed = {t.name: t.version for t in svc.list_templates(s)}
        assert listed["sales-zh"] == 3 and listed["sales-en"] == 1
        assert [
            t.version for t in svc.list_templates(s, all_versions=True) if t.name == "sales-zh"
        ] == [1, 2, 3]
        event = (
            s.execute(select(AuditEvent).where(AuditEvent.action == "template.add")).scalars().all()
        )
        assert [e.entity_id for e in event] == ["sales-zh@2", "sales-zh@3"]
    with db.write() as s:
        old_draft = svc.draft_contract(
            s, actor=team["alice"], contract=old["number"], policy=policy, today=today
        )
    assert old_draft.template == "sales-zh@1" and "新版" not in old_draft.text
    with db.write() as s:
        new = contracts.create_contract(
            s,
            actor=team["alice"],
            customer="C0001",
            type="sales",
            title="新合同",
            amount="1000",
            risk="low",
            start="2026-12-01",
            end="2027-01-01",
            template="sales-zh",
            values={"goods_name": "轴承"},
            policy=policy,
            today=today,
        )
        new_draft = svc.draft_contract(
            s, actor=team["alice"], contract=new["number"], policy=policy, today=today
        )
    assert new_draft.template == "sales-zh@3" and "货物：轴承" in new_draft.text


def test_add_refuses_bad_templates_and_changes_nothing(db, team, policy, today, tmp_path):
    bad = [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "private attribute"),
        ("{{ goods_name }}\n{% if %}", "syntax error on line 2"),
        ("{{ goods_name }} {{ undeclared_thing }}", "undeclared_thing"),
        ("{{ '{0.__class__}'.format(goods_name) }}", "format string"),
        ("{{ contract.no_such_key }}", "no_such_key"),
    ]
    for i, (body, words) in enumerate(bad):
        path = _write_template(tmp_path, f"custom-{i}", body)
        with pytest.raises(Invalid) as err, db.write() as s:
            svc.add_template(s, actor=team["root"], path=path, policy=policy, today=today)
        assert words in " ".join(err.value.details), err.value.details
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(TemplateVersion)).scalar_one() == 0
    with pytest.raises(NotFound):
        svc.validate_template_file(tmp_path / "missing.toml", policy=policy, today=today)


def test_validate_accepts_the_builtin_sources(policy, today):
    folder = Path(svc.__file__).parents[2] / "library" / "templates"
    for name in ("sales-zh", "framework-en", "script-tech-zh"):
        report = svc.validate_template_file(folder / f"{name}.toml", policy=policy, today=today)
        assert report.problems == [] and report.template is not None
        body_report = svc.validate_template_file(
            folder / f"{name}.md.j2", policy=policy, today=today
        )
        assert body_report.problems == []


def test_standard_and_non_standard_contracts_are_counted(db, team, policy, today):
    """A template with an extra field, or no template, makes a contract non-standard: the
    contract list filters on it and the contracts report counts it per period."""
    from bizops.reports.metrics import contracts as contracts_report

    _customer(db, team, policy, today)
    _contract(
        db, team, policy, today, type="sales", template="sales-zh", values=DEMO_VALUES["sales"]
    )
    _contract(db, team, policy, today, type="sales", template=None, values={})
    _contract(
        db,
        team,
        policy,
        today,
        type="nda",
        template="nda-en",
        values={"purpose": "x", "bonus": "y"},
    )
    _contract(db, team, policy, today, type="nda", template="nda-zh", values={"purpose": "x"})
    with db.read() as s:

        def listed(**kw):
            return list(contracts.list_contracts(s, today=today, **kw))

        assert (len(listed()), len(listed(non_standard=False)), len(listed(non_standard=True))) == (
            4,
            2,
            2,
        )
        assert [r["template"] for r in listed()].count(None) == 1
        assert (len(listed(type="nda")), len(listed(type="nda", non_standard=True))) == (2, 1)
        assert listed(type="service") == []
        whole = contracts_report(s, start=date(2026, 1, 1), end=today, today=today)
        assert whole["non_standard"] == {"created": 4, "non_standard": 2, "ratio": 50.0}
        later = contracts_report(s, start=date(2027, 1, 1), end=date(2027, 12, 31), today=today)
        assert later["non_standard"] == {"created": 0, "non_standard": 0, "ratio": None}
    json.dumps(whole["non_standard"])


def test_first_contact_material(db, team, policy, today):
    _customer(db, team, policy, today)
    with db.read() as s:
        text = svc.render_material(
            s,
            actor=team["alice"],
            template="email-manufacturing-zh",
            customer="C0001",
            values={"reference_customer": "苏州精工"},
            policy=policy,
            today=today,
        )
        assert "尊敬的张经理：" in text and "苏州精工" in text and "Alice Chen" in text
        script = svc.render_material(
            s,
            actor=team["alice"],
            template="script-tech-en",
            customer="C0001",
            values={"next_step": "visit"},
            policy=policy,
            today=today,
        )
        assert "arrange a visit" in script and "27 November 2026" in script
        with pytest.raises(Invalid, match="contract template"):
            svc.render_material(
                s,
                actor=team["alice"],
                template="sales-zh",
                customer="C0001",
                values={},
                policy=policy,
                today=today,
            )
        with pytest.raises(Invalid, match="next_step"):
            svc.render_material(
                s,
                actor=team["alice"],
                template="script-tech-en",
                customer="C0001",
                values={"next_step": "lunch"},
                policy=policy,
                today=today,
            )


@pytest.mark.skipif(
    not Path("/usr/bin/libreoffice").exists(), reason="LibreOffice is not installed"
)
def test_docx_converts_to_pdf(db, team, policy, today, tmp_path):
    _customer(db, team, policy, today)
    made = _contract(
        db, team, policy, today, type="sales", template="sales-zh", values=DEMO_VALUES["sales"]
    )
    with db.write() as s:
        result = svc.draft_contract(
            s, actor=team["alice"], contract=made["number"], fmt="docx", policy=policy, today=today
        )
    source = tmp_path / "draft.docx"
    source.write_bytes(result.content)
    subprocess.run(
        [
            "/usr/bin/libreoffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    pdf = tmp_path / "draft.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    assert shutil.which("true")


def test_add_keeps_the_language_of_a_name(db, team, policy, today, tmp_path):
    path = _write_template(tmp_path, "sales-zh", "# 购销合同\n\n{{ goods_name }}\n")
    path.write_text(path.read_text(encoding="utf-8").replace('"zh"', '"en"'), encoding="utf-8")
    with pytest.raises(Invalid, match="language 'en' differs"), db.write() as s:
        svc.add_template(s, actor=team["root"], path=path, policy=policy, today=today)
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(TemplateVersion)).scalar_one() == 0
