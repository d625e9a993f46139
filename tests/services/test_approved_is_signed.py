"""What is approved is what is signed: a complete draft at submission, its hash checked at
signing, a change after approval sending it back to draft, the signed copy attached, and the
seal register (用印)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import select

from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.services import contracts
from bizops.store.models import ApprovalRequest, Attachment, AuditEvent, Contract, User
from tests.support.factories import (
    add_user,
    approve_all,
    new_contract,
    sign_contract,
    submit_contract,
)


def BY_ROLE(team: dict) -> dict:  # noqa: N802
    return {"manager": team["mia"], "finance": team["fay"], "legal": team["leo"], "gm": team["gus"]}


SALES_FIELDS = {
    "goods_name": "CNC lathe CK6150",
    "quantity": "2",
    "delivery_date": "2027-01-15",
    "delivery_place": "Pudong, Shanghai",
}


def templated(db: Any, team: dict, policy: Any, today: Any, **values: str) -> str:
    from tests.support.factories import add_customer

    customer = add_customer(
        db, name="华东机械有限公司", owner=team["alice"], policy=policy, today=today
    )
    return new_contract(
        db,
        actor=team["alice"],
        customer=customer,
        policy=policy,
        today=today,
        template="sales-en",
        values=values,
    )["number"]


def test_submit_refuses_missing_required_fields_with_their_help(db, team, policy, today):
    number = templated(db, team, policy, today, goods_name="CNC lathe")
    with pytest.raises(Invalid) as caught:
        submit_contract(db, actor=team["alice"], number=number, policy=policy, today=today)
    message = caught.value.message
    assert f"contract {number} cannot be submitted" in message
    details = "\n".join(caught.value.details)
    assert "quantity: required but missing" in details
    assert "How many units are ordered" in details  # the field's help text
    assert "delivery_place" in details and "goods_name" not in details
    with db.read() as s:
        assert s.execute(select(ApprovalRequest)).first() is None


def test_the_request_keeps_the_draft_hash_and_signing_checks_it(db, team, policy, today):
    number = templated(db, team, policy, today, **SALES_FIELDS)
    submit_contract(db, actor=team["alice"], number=number, policy=policy, today=today)
    with db.read() as s:
        request = s.execute(select(ApprovalRequest)).scalar_one()
        assert request.draft_sha256 and len(request.draft_sha256) == 64
        assert request.draft["template"]["name"] == "sales-en"
        assert request.draft["fields"]["quantity"] == 2
    approve_all(db, number, BY_ROLE(team), policy, today)
    # Someone changes the approved fields behind the service's back: signing refuses.
    with db.write() as s:
        row = s.execute(select(Contract).where(Contract.number == number)).scalar_one()
        row.fields = {**row.fields, "quantity": 20}
    with pytest.raises(Conflict, match="differs from the draft approved .*changed: field quantity"):
        sign_contract(db, actor=team["alice"], number=number, policy=policy, today=today)
    with db.write() as s:
        row = s.execute(select(Contract).where(Contract.number == number)).scalar_one()
        row.fields = {**row.fields, "quantity": 2}
    assert (
        sign_contract(db, actor=team["alice"], number=number, policy=policy, today=today)["status"]
        == "signed"
    )


def test_editing_an_approved_contract_sends_it_back_to_draft(db, team, policy, today):
    number = templated(db, team, policy, today, **SALES_FIELDS)
    submit_contract(db, actor=team["alice"], number=number, policy=policy, today=today)
    approve_all(db, number, BY_ROLE(team), policy, today)
    with db.write() as s:
        row = contracts.update_contract(
            s, actor=team["alice"], ref=number, values={"quantity": "3"}, policy=policy, today=today
        )
    assert row["status"] == "draft"
    with db.read() as s:
        assert s.execute(select(ApprovalRequest.status)).scalar_one() == "void"
        actions = [e.action for e in s.execute(select(AuditEvent)).scalars()]
    assert "contract.back_to_draft" in actions
    with pytest.raises(Conflict):
        sign_contract(db, actor=team["alice"], number=number, policy=policy, today=today)


def test_sign_with_the_signed_copy(db, team, policy, today, tmp_path):
    number = templated(db, team, policy, today, **SALES_FIELDS)
    submit_contract(db, actor=team["alice"], number=number, policy=policy, today=today)
    approve_all(db, number, BY_ROLE(team), policy, today)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 signed")
    with db.write() as s:
        contracts.sign_contract(
            s,
            actor=team["alice"],
            ref=number,
            on=today,
            signatory="Li Lei",
            policy=policy,
            today=today,
            file=scan,
        )
    with db.read() as s:
        kind, sha = s.execute(select(Attachment.kind, Attachment.sha256)).one()
    assert kind == "signed" and len(sha) == 64


def test_seal_register(db, team, policy, today):
    sealed = dataclasses.replace(policy, seal_required=True)
    add_user(db, "sam", "seal_keeper")
    number = templated(db, team, policy, today, **SALES_FIELDS)
    submit_contract(db, actor=team["alice"], number=number, policy=sealed, today=today)

    def seal(login: str, **kw: Any) -> Any:
        with db.write() as s:
            actor = s.execute(select(User).where(User.login == login)).scalar_one()
            return contracts.seal_contract(s, actor=actor, ref=number, today=today, **kw)

    with pytest.raises(Conflict, match="only an approved contract is sealed"):
        seal("sam", seal="contract", copies=2)
    approve_all(db, number, BY_ROLE(team), policy, today)
    with pytest.raises(NotPermitted, match="only a seal_keeper"):
        seal("alice", seal="contract", copies=2)
    with pytest.raises(Conflict, match="is not sealed"):
        sign_contract(db, actor=team["alice"], number=number, policy=sealed, today=today)
    row = seal("sam", seal="company", copies=3)
    assert (row["seal"], row["copies"], row["sealed_by"]) == ("company", 3, "sam")
    assert row["draft_sha256"]
    with db.read() as s:
        assert [r["contract"] for r in contracts.seal_log(s)] == [number]
    assert (
        sign_contract(db, actor=team["alice"], number=number, policy=sealed, today=today)["status"]
        == "signed"
    )
