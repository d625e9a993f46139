"""Attachments: the copy by hash, atomic with the transaction; verify."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.services.contracts import attachments
from bizops.store.models import Attachment, AuditEvent
from tests.support.factories import add_customer, new_contract
from tests.support.queries import count_rows


@pytest.fixture
def acme(db, team, policy, today):
    return add_customer(
        db, name="上海华东机电有限公司", owner=team["alice"], policy=policy, today=today
    )


def test_copy_is_kept_by_backend(db, team, policy, today, acme, tmp_path):
    number = new_contract(db, actor=team["alice"], customer=acme, policy=policy, today=today)[
        "number"
    ]
    scan = tmp_path / "合同扫描件.pdf"
    scan.write_bytes(b"%PDF scan \xe4\xb8\xad")
    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    with db.write() as s:
        row = attachments.attach_file(
            s, actor=team["alice"], ref=number, path=scan, kind="signed", today=today
        )
    assert (row["sha256"], row["size"], row["filename"]) == (sha, scan.stat().st_size, scan.name)
    with db.read() as s:
        stored = s.get(Attachment, row["id"])
        if db.is_sqlite:
            assert stored.content is None and stored.stored_path == f"{sha[:2]}/{sha}"
            assert (
                db.path.parent / "attachments" / sha[:2] / sha
            ).read_bytes() == scan.read_bytes()
        else:
            assert stored.content == scan.read_bytes() and stored.stored_path is None
        result = attachments.verify_file(s, ref=number, path=scan)
    assert result["match"] and result["copy"] == "ok" and result["attachment"]["kind"] == "signed"


def test_failed_transaction_removes_the_copy(db, team, policy, today, acme, tmp_path):
    number = new_contract(db, actor=team["alice"], customer=acme, policy=policy, today=today)[
        "number"
    ]
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"will be rolled back")
    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    before = count_rows(db, AuditEvent)
    with pytest.raises(RuntimeError), db.write() as s:
        attachments.attach_file(s, actor=team["alice"], ref=number, path=scan, today=today)
        raise RuntimeError("something later in the same unit of work failed")
    with db.read() as s:
        assert s.execute(select(Attachment.id)).first() is None
    assert count_rows(db, AuditEvent) == before
    if db.is_sqlite:
        root = db.path.parent / "attachments"
        assert not (root / sha[:2] / sha).exists()
        assert not [p for p in root.rglob("*") if p.is_file()]


def test_a_copy_shared_by_two_contracts_survives_a_failed_second_attach(
    db, team, policy, today, acme, tmp_path
):
    first = new_contract(db, actor=team["alice"], customer=acme, policy=policy, today=today)[
        "number"
    ]
    second = new_contract(db, actor=team["alice"], customer=acme, policy=policy, today=today)[
        "number"
    ]
    scan = tmp_path / "same.pdf"
    scan.write_bytes(b"one file, two contracts")
    with db.write() as s:
        attachments.attach_file(s, actor=team["alice"], ref=first, path=scan, today=today)
    with pytest.raises(RuntimeError), db.write() as s:
        attachments.attach_file(s, actor=team["alice"], ref=second, path=scan, today=today)
        raise RuntimeError("boom")
    with db.read() as s:
        assert attachments.verify_file(s, ref=first, path=scan)["copy"] == "ok"


def test_attach_refusals(db, team, policy, today, acme, tmp_path):
    number = new_contract(db, actor=team["alice"], customer=acme, policy=policy, today=today)[
        "number"
    ]
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    cases = [
        (tmp_path / "missing.pdf", "other", Invalid, "does not exist"),
        (tmp_path, "other", Invalid, "is a directory"),
        (empty, "other", Invalid, "is empty"),
        (empty, "final", Invalid, "signed, draft, other"),
    ]
    for path, kind, error, words in cases:
        with pytest.raises(error, match=words), db.write() as s:
            attachments.attach_file(
                s, actor=team["alice"], ref=number, path=path, kind=kind, today=today
            )
    ok = tmp_path / "ok.pdf"
    ok.write_bytes(b"x")
    with pytest.raises(NotPermitted), db.write() as s:
        attachments.attach_file(s, actor=team["bob"], ref=number, path=ok, today=today)
    with db.write() as s:
        attachments.attach_file(s, actor=team["leo"], ref=number, path=ok, today=today)
    with pytest.raises(Conflict, match="already attached"), db.write() as s:
        attachments.attach_file(s, actor=team["alice"], ref=number, path=ok, today=today)


def test_verify_reports_mismatch_and_damaged_copy(db, team, policy, today, acme, tmp_path):
    number = new_contract(db, actor=team["alice"], customer=acme, policy=policy, today=today)[
        "number"
    ]
    original = tmp_path / "signed.pdf"
    original.write_bytes(b"the signed contract")
    other = tmp_path / "other.pdf"
    other.write_bytes(b"the signed contract, edited")
    with db.read() as s:
        none_yet = attachments.verify_file(s, ref=number, path=original)
    assert none_yet["match"] is False and none_yet["archived_copies"] == 0
    with db.write() as s:
        row = attachments.attach_file(
            s, actor=team["alice"], ref=number, path=original, kind="signed", today=today
        )
    with db.read() as s:
        assert attachments.verify_file(s, ref=number, path=other)["match"] is False
    # Someone edits the archived copy behind bizops' back.
    if db.is_sqlite:
        (db.path.parent / "attachments" / row["sha256"][:2] / row["sha256"]).write_bytes(b"edited")
    else:
        with db.write() as s:
            s.get(Attachment, row["id"]).content = b"edited"
    with db.read() as s:
        result = attachments.verify_file(s, ref=number, path=original)
    assert result["match"] is True and result["copy"] == "altered"
