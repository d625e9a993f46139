"""The supplementary agreement is approved like the contract (SQLite and PostgreSQL): its
request records the agreement's snapshot and hash at submission, the final approval refuses
an agreement that changed since, and a draft says whether it is the one submitted."""

from __future__ import annotations

from importlib.resources import files

import pytest
from sqlalchemy import select

from bizops.domain.errors import Conflict
from bizops.services import approvals, contracts
from bizops.services import templates as svc
from bizops.services.contracts.approved_draft import draft_hash
from bizops.store.models import Amendment, ApprovalRequest, Contract
from tests.support.factories import add_customer, approve, approve_all, signed_contract


@pytest.fixture
def approvers(team):
    return {"manager": team["mia"], "legal": team["leo"], "finance": team["fay"], "gm": team["gus"]}


@pytest.fixture
def number(db, team, policy, today, approvers):
    acme = add_customer(
        db, name="上海华东机电有限公司", owner=team["alice"], policy=policy, today=today
    )
    return signed_contract(
        db, actor=team["alice"], customer=acme, approvers=approvers, policy=policy, today=today
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


def _draft(db, team, policy, today, number):
    with db.write() as s:
        return contracts.draft_supplementary(
            s,
            actor=team["alice"],
            contract=number,
            amendment="1",
            policy=policy,
            today=today,
        )


def _new_amendment_template(db, team, policy, today, tmp_path):
    library = files("bizops.library") / "templates"
    for suffix in ("toml", "md.j2"):
        with (library / f"amendment-zh.{suffix}").open("rb") as source:
            (tmp_path / f"amendment-zh.{suffix}").write_bytes(source.read())
    body = tmp_path / "amendment-zh.md.j2"
    body.write_text(body.read_text("utf-8") + "\n附件：变更明细表\n", "utf-8")
    with db.write() as s:
        return svc.add_template(
            s, actor=team["root"], path=tmp_path / "amendment-zh.toml", policy=policy, today=today
        )


def test_the_request_records_the_agreement_as_submitted(db, team, policy, today, number):
    proposed = _amend(db, team, policy, today, number, {"amount": "15万", "title": "设备采购二期"})
    with db.read() as s:
        request = s.get(ApprovalRequest, proposed["request"])
        shown = approvals.show_request(s, ref=proposed["request"], today=today)
        draft, sha256 = dict(request.draft), request.draft_sha256
    assert sha256 == draft.pop("sha256") == draft_hash(draft)
    assert shown["draft_sha256"] == sha256
    assert draft["template"]["name"] == "amendment-zh" and draft["template"]["version"] == 1
    assert len(draft["template"]["sha256"]) == 64
    # The agreement cites the contract as signed: its title before this amendment.
    assert draft["contract"] == {
        "number": number,
        "title": "设备采购 Equipment supply",
        "date": today.isoformat(),
    }
    assert draft["changes"] == {
        "amount": {"from": "120000.00", "to": "150000.00"},
        "title": {"from": "设备采购 Equipment supply", "to": "设备采购二期"},
    }
    assert draft["reason"] == "追加订单"
    # Drafted while pending, it is the agreement submitted; the hash does not hang on the day.
    result = _draft(db, team, policy, today.replace(day=today.day + 1), number)
    assert result.check is not None and result.check.matches
    assert (result.check.request, result.check.request_status) == (proposed["request"], "pending")
    assert result.check.draft_sha256 == sha256


def test_a_risk_only_amendment_records_no_agreement(db, team, policy, today, number):
    proposed = _amend(db, team, policy, today, number, {"risk": "high"})
    with db.read() as s:
        request = s.get(ApprovalRequest, proposed["request"])
        assert request.draft is None and request.draft_sha256 is None


def test_approved_unchanged_applies_and_the_draft_says_so(
    db, team, policy, today, number, approvers
):
    _amend(db, team, policy, today, number, {"amount": "15万"})
    approve_all(db, number, approvers, policy, today)
    with db.read() as s:
        amount = s.execute(select(Contract.amount).where(Contract.number == number)).scalar_one()
    assert str(amount) == "150000.00"
    check = _draft(db, team, policy, today, number).check
    assert check is not None and check.matches and check.request_status == "approved"


def test_a_template_updated_before_the_last_approval_is_refused(
    db, team, policy, today, number, approvers, tmp_path
):
    proposed = _amend(db, team, policy, today, number, {"amount": "15万"})
    with db.read() as s:
        chain = list(s.get(ApprovalRequest, proposed["request"]).chain)
    for role in chain[:-1]:
        approve(db, actor=approvers[role], request=proposed["request"], policy=policy, today=today)
    _new_amendment_template(db, team, policy, today, tmp_path)
    check = _draft(db, team, policy, today, number).check
    assert check is not None and not check.matches
    assert check.changed == ("template amendment-zh@1 -> amendment-zh@2",)
    with pytest.raises(Conflict, match=r"changed: template amendment-zh@1 -> amendment-zh@2"):
        approve(
            db, actor=approvers[chain[-1]], request=proposed["request"], policy=policy, today=today
        )
    with db.read() as s:
        status = s.get(ApprovalRequest, proposed["request"]).status
        amended = s.execute(select(Amendment.status)).scalar_one()
        amount = s.execute(select(Contract.amount).where(Contract.number == number)).scalar_one()
    assert status == "pending" and amended == "pending_approval"
    assert str(amount) == "120000.00"


def test_cited_terms_changed_before_the_approval_are_named(
    db, team, policy, today, number, approvers
):
    _amend(db, team, policy, today, number, {"end": "2028-06-30"})
    with db.write() as s:
        contract = s.execute(select(Contract).where(Contract.number == number)).scalar_one()
        contract.title = "设备采购（更正）"
        contract.signed_on = today.replace(day=1)
    with pytest.raises(Conflict, match=r"changed: cited date, cited title"):
        approve_all(db, number, approvers, policy, today)
    with db.read() as s:
        assert s.execute(select(Amendment.status)).scalar_one() == "pending_approval"
