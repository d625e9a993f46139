"""An amendment's supplementary agreement (补充协议), drafted through the services (SQLite and
PostgreSQL): it cites the original contract, states each change, is recorded with its hash."""

from __future__ import annotations

import io

import docx
import pytest
from sqlalchemy import select

from bizops.documents.lint import lint_draft
from bizops.domain.errors import Conflict, Invalid, NotFound
from bizops.services import contracts
from bizops.services import templates as svc
from bizops.store.models import AuditEvent, Draft
from tests.support.factories import add_customer, approve_all, signed_contract

SALES_EN = {
    "goods_name": "CNC lathe CK6150",
    "quantity": "2",
    "delivery_date": "2027-01-15",
    "delivery_place": "1 Xinghu Street, Suzhou",
    "counterparty_address": "88 Jinji Lake Road, Suzhou",
    "sign_place": "Suzhou",
}


@pytest.fixture
def approvers(team):
    return {"manager": team["mia"], "legal": team["leo"], "finance": team["fay"], "gm": team["gus"]}


@pytest.fixture
def acme(db, team, policy, today):
    return add_customer(
        db, name="上海华东机电有限公司", owner=team["alice"], policy=policy, today=today
    )


def _amend(db, team, policy, today, number, changes):
    with db.write() as s:
        return contracts.amend_contract(
            s,
            actor=team["alice"],
            ref=number,
            changes=changes,
            reason="追加订单",
            policy=policy,
            today=today,
        )


def _draft(db, team, policy, today, number, amendment, fmt="md"):
    with db.write() as s:
        return svc.draft_amendment(
            s,
            actor=team["alice"],
            contract=number,
            amendment=amendment,
            fmt=fmt,
            policy=policy,
            today=today,
        )


def test_the_agreement_cites_the_contract_and_states_each_change(
    db, team, policy, today, acme, approvers
):
    number = signed_contract(
        db, actor=team["alice"], customer=acme, approvers=approvers, policy=policy, today=today
    )
    _amend(db, team, policy, today, number, {"amount": "15万", "end": "2028-06-30"})
    result = _draft(db, team, policy, today, number, "1")
    text = result.text
    assert result.contract == f"{number}-A1" and result.template == "amendment-zh@1"
    assert f"协议编号：{number}-A1" in text and f"原合同编号：{number}" in text
    assert f"签订了编号为{number}的《设备采购 Equipment supply》" in text
    assert "上海华东机电有限公司" in text
    assert "原合同总价款，原约定：¥120,000.00（大写：人民币壹拾贰万元整）" in text
    assert "现变更为：¥150,000.00（大写：人民币壹拾伍万元整）" in text
    assert "原合同有效期届满日，原约定：2027年11月30日；现变更为：2028年6月30日" in text
    assert "原合同其他条款不变，继续有效" in text
    assert "本协议自双方" in text and "（盖章）" in text and "日期：" in text
    assert lint_draft(text, template_type="amendment", language="zh", title="补充协议") == []
    # Pending approval, the agreement is what will be approved; approved, it stays the same.
    approve_all(db, number, approvers, policy, today)
    assert _draft(db, team, policy, today, number, f"{number}-A1").text == text
    with db.read() as s:
        drafts = s.execute(select(Draft.template_name, Draft.sha256).order_by(Draft.id)).all()
        events = (
            s.execute(select(AuditEvent.entity_id).where(AuditEvent.action == "amendment.draft"))
            .scalars()
            .all()
        )
    assert [tuple(d) for d in drafts] == [("amendment-zh", result.sha256)] * 2
    assert events == [f"{number}-A1", f"{number}-A1"]


def test_an_english_contract_gets_an_english_agreement_in_every_format(
    db, team, policy, today, acme, approvers
):
    number = signed_contract(
        db,
        actor=team["alice"],
        customer=acme,
        approvers=approvers,
        policy=policy,
        today=today,
        template="sales-en",
        values=SALES_EN,
    )
    _amend(db, team, policy, today, number, {"title": "Lathe supply", "start": "2026-12-15"})
    text = _draft(db, team, policy, today, number, "A1").text
    assert "# Supplementary Agreement" in text and "Place of signing: Suzhou" in text
    assert "signed the 设备采购 Equipment supply numbered" in text
    assert 'Originally agreed: "设备采购 Equipment supply". Now amended to: "Lathe supply".' in text
    assert "88 Jinji Lake Road, Suzhou" in text
    assert (
        lint_draft(text, template_type="amendment", language="en", title="Supplementary Agreement")
        == []
    )
    html = _draft(db, team, policy, today, number, "1", fmt="html").text
    assert "<html" in html and "Now amended to" in html
    word = _draft(db, team, policy, today, number, "1", fmt="docx")
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "Now amended to" in body


def test_what_cannot_be_drafted(db, team, policy, today, acme, approvers):
    number = signed_contract(
        db, actor=team["alice"], customer=acme, approvers=approvers, policy=policy, today=today
    )
    with pytest.raises(NotFound, match="no amendment"):
        _draft(db, team, policy, today, number, "1")
    first = _amend(db, team, policy, today, number, {"risk": "high"})
    with pytest.raises(Invalid, match="only the risk level"):
        _draft(db, team, policy, today, number, "1")
    with db.write() as s:
        contracts.reject_request(
            s, actor=team["mia"], ref=first["request"], reason="不必", today=today, policy=policy
        )
    _amend(db, team, policy, today, number, {"amount": "20万"})
    with pytest.raises(Conflict, match="rejected"):
        _draft(db, team, policy, today, number, "1")
    with pytest.raises(Invalid, match="--format"):
        _draft(db, team, policy, today, number, "2", fmt="pdf")
    with db.read() as s:
        assert s.execute(select(Draft.id)).all() == []
