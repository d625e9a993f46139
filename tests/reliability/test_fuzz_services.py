"""Random sequences of commands with hostile input, straight into the service layer.

Every call either succeeds or raises a domain error (Invalid, NotFound, NotPermitted,
Conflict) — never a crash, a driver error or a half-written change — and after every step
the invariants hold: one open follow-up per customer that is still in the pipeline and none
for lost, dormant or archived ones, the audit chain verifies, every contract is in a legal
state, and the counters match the rows they numbered.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlmodel import Session

from bizops.domain.errors import BizopsError, StorageError
from bizops.domain.policy import Policy
from bizops.services import approvals
from bizops.services import contracts as ct
from bizops.services import customers as cu
from bizops.services import followups as fu
from bizops.services.policy import default_policy
from bizops.store.engine import Database
from bizops.store.migrate import ensure_schema
from bizops.store.models import ApprovalRequest, Contract, User
from tests.support.databases import shared_audit_key
from tests.support.factories import add_users
from tests.support.invariants import invariant_problems

TODAY = date(2026, 11, 27)
LOGINS = ["root", "alice", "bob", "mia", "fay", "leo", "gus"]
TEAM = {
    "alice": ["sales"],
    "bob": ["sales"],
    "mia": ["manager"],
    "fay": ["finance"],
    "leo": ["legal"],
    "gus": ["gm"],
}

NASTY = [
    "",
    "   ",
    "\t\n",
    "华东精密制造有限公司",
    "ＡＣＭＥ　Ｔｒａｄｉｎｇ",
    "acme trading",
    "😀🚀💼",
    "\x00\x01\x1f控制字符",
    "\u200b\u200d",
    "e\u0301\u0301",
    "x" * 6000,
    "名" * 400,
    "Robert'); DROP TABLE customers;--",
    "{{ 7*7 }}",
    "C0001",
    "HT-2026-0001",
    "%_%",
]
nasty = st.one_of(st.sampled_from(NASTY), st.text(max_size=30))


def mostly(sound: st.SearchStrategy[Any], hostile: st.SearchStrategy[Any]) -> Any:
    """Mostly sound values, so that commands get through and reach the deeper states, and
    hostile ones one time in four. (one_of would not do: hypothesis favours its later, wilder
    branches; the middle values 3 and 4 are not the integers' favoured boundaries.)"""
    return st.integers(0, 7).flatmap(lambda i: hostile if i in (3, 4) else sound)


texts = mostly(st.sampled_from(["华东精密制造", "Acme Trading Ltd.", "新客户 🚀", "陈先生"]), nasty)
amounts = mostly(
    st.sampled_from(["120000", "120,000.50", "12万", "1.5亿", "250000", "0"]),
    st.sampled_from(["-5", "abc", "1e10", "NaN", "Infinity", "9" * 40, "", " 1 000 ", "0.001"])
    | st.decimals(min_value=-10, max_value=10**13, places=2, allow_nan=False).map(str),
)
dates = mostly(
    st.sampled_from(["2026-12-01", "2027-11-30", "today", "tomorrow", "+3d", "fri", "eom"]),
    st.sampled_from(["yesterday", "-1w", "2026-02-30", "", "+9999y", "next tuesday", "😀"])
    | st.sampled_from(["12/01/2026", "2026年12月1日", "1999-01-01"]),
)
grades = mostly(st.sampled_from(["A", "B", "C"]), st.sampled_from(["a", "D", "", "甲"]))
stages = mostly(
    st.sampled_from(["prospect", "contacted", "needs", "proposal", "negotiation"]),
    st.sampled_from(["signed", "maintenance", "lost", "dormant", "", "NEGOTIATION", "won"]),
)
actors = mostly(st.sampled_from(["alice", "mia", "leo"]), st.sampled_from(LOGINS))
customers = mostly(st.integers(1, 4).map(lambda i: f"C{i:04d}"), nasty)
contract_refs = mostly(st.integers(1, 2).map(lambda i: f"HT-2026-{i:04d}"), nasty)
names = mostly(
    st.builds(
        "{}{}".format,
        st.sampled_from(["华东精密制造", "Acme Trading ", "新客户🚀", "ＡＢＣ商贸"]),
        st.integers(0, 99),
    ),
    nasty,
)
reasons = mostly(st.sampled_from(["客户要求", "price agreed", "预算冻结 ❄"]), st.none() | nasty)
signed_on = mostly(st.just("today"), dates)

STEPS = st.one_of(
    st.tuples(st.just("add"), actors, names, grades, stages, actors, st.lists(texts, max_size=2)),
    st.tuples(
        st.just("log"),
        actors,
        customers,
        mostly(st.sampled_from(["phone", "visit", "wechat"]), st.sampled_from(["fax", "", "电话"])),
    ),
    st.tuples(st.just("log_text"), actors, customers, texts, st.one_of(st.none(), dates)),
    st.tuples(st.just("stage"), actors, customers, st.none() | stages, st.booleans(), reasons),
    st.tuples(st.just("grade"), actors, customers, grades, reasons),
    st.tuples(st.just("archive"), actors, customers),
    st.tuples(st.just("restore"), actors, customers),
    st.tuples(st.just("plan"), actors, customers, dates, texts),
    st.tuples(
        st.just("contract"),
        actors,
        customers,
        mostly(
            st.sampled_from(["sales", "purchase", "service", "nda", "framework"]), st.just("loan")
        ),
        texts,
        amounts,
        mostly(st.sampled_from(["low", "medium", "high"]), st.sampled_from(["extreme", "", "LOW"])),
        dates,
        dates,
    ),
    st.tuples(st.just("submit"), actors, contract_refs),
    st.tuples(st.just("approve"), actors, contract_refs),
    st.tuples(st.just("reject"), actors, contract_refs, reasons),
    st.tuples(st.just("sign"), actors, contract_refs, signed_on, texts),
    st.tuples(st.just("activate"), actors, contract_refs),
    st.tuples(st.just("complete"), actors, contract_refs),
    st.tuples(st.just("terminate"), actors, contract_refs, reasons),
    st.tuples(st.just("reopen"), actors, contract_refs, reasons),
    st.tuples(st.just("milestone"), actors, contract_refs, dates, st.one_of(st.none(), amounts)),
    st.tuples(st.just("dispute"), actors, contract_refs, texts),
)


def _request_of(session: Session, ref: str) -> str:
    """The open approval request of a contract, or the text itself (to be refused)."""
    found = session.execute(
        select(ApprovalRequest.id)
        .join(Contract, Contract.id == ApprovalRequest.contract_id)  # type: ignore[arg-type]
        .where(Contract.number == ref, ApprovalRequest.status == "pending")
    ).scalar()
    return str(found) if found is not None else ref


def run_step(session: Session, step: tuple[Any, ...], policy: Policy) -> None:
    kind, login, *args = step
    actor = session.execute(select(User).where(User.login == login)).scalar_one()
    common: dict[str, Any] = {"actor": actor, "today": TODAY}
    with_policy = {**common, "policy": policy}
    calls: dict[str, Callable[[], Any]] = {
        "add": lambda: cu.add_customer(
            session,
            **with_policy,
            name=args[0],
            grade=args[1],
            stage=args[2],
            owner=args[3],
            tags=args[4],
        ),
        "log": lambda: fu.log_followup(
            session, **with_policy, customer=args[0], via=args[1], summary="电话沟通 call"
        ),
        "log_text": lambda: fu.log_followup(
            session,
            **with_policy,
            customer=args[0],
            via="wechat",
            summary=args[1],
            next_due=args[2],
        ),
        "stage": lambda: cu.move_stage(
            session,
            **with_policy,
            ref=args[0],
            stage=args[1],
            step_next=args[2],
            reason=args[3],
        ),
        "grade": lambda: cu.set_grade(
            session, **with_policy, ref=args[0], grade=args[1], reason=args[2]
        ),
        "archive": lambda: cu.archive_customer(session, **with_policy, ref=args[0]),
        "restore": lambda: cu.restore_customer(session, **with_policy, ref=args[0]),
        "plan": lambda: fu.plan_followup(
            session, **common, customer=args[0], due=args[1], purpose=args[2]
        ),
        "contract": lambda: ct.create_contract(
            session,
            **with_policy,
            customer=args[0],
            type=args[1],
            title=args[2],
            amount=args[3],
            risk=args[4],
            start=args[5],
            end=args[6],
        ),
        "submit": lambda: ct.submit_contract(session, **with_policy, ref=args[0]),
        "approve": lambda: ct.approve_request(
            session, **with_policy, ref=_request_of(session, args[0])
        ),
        "reject": lambda: ct.reject_request(
            session, **with_policy, ref=_request_of(session, args[0]), reason=args[1]
        ),
        "sign": lambda: ct.sign_contract(
            session, **with_policy, ref=args[0], on=args[1], signatory=args[2]
        ),
        "activate": lambda: ct.activate_contract(session, **with_policy, ref=args[0]),
        "complete": lambda: ct.complete_contract(session, **common, ref=args[0]),
        "terminate": lambda: ct.terminate_contract(session, **common, ref=args[0], reason=args[1]),
        "reopen": lambda: ct.reopen_contract(session, **common, ref=args[0], reason=args[1]),
        "milestone": lambda: ct.add_milestone(
            session, **common, ref=args[0], kind="payment", due=args[1], amount=args[2]
        ),
        "dispute": lambda: ct.open_dispute(session, **common, ref=args[0], summary=args[1]),
    }
    calls[kind]()


# Two customers and two contracts already under way (HT-2026-0001 waits for legal's
# approval, HT-2026-0002 is active), so that random commands land in every part of the flow.
OPENING: list[tuple[Any, ...]] = [
    ("add", "alice", "华东精密制造有限公司", "A", "negotiation", "alice", ["vip"]),
    ("add", "mia", "Globex Trading Ltd.", "B", "prospect", "bob", []),
    ("log", "alice", "C0001", "visit"),
    ("contract", "alice", "C0001", "sales", "年度购销合同", "12万", "low", "2026-12-01", "+1y"),
    ("submit", "alice", "HT-2026-0001"),
    ("approve", "mia", "HT-2026-0001"),  # no template: non-standard, manager then legal
    ("contract", "alice", "C0001", "service", "技术服务", "80000", "low", "2026-12-01", "+6m"),
    ("submit", "alice", "HT-2026-0002"),
    ("approve", "mia", "HT-2026-0002"),
    ("approve", "leo", "HT-2026-0002"),
    ("sign", "alice", "HT-2026-0002", "today", "张伟"),
    ("activate", "alice", "HT-2026-0002"),
]


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    """A migrated SQLite file with the team, copied for every example."""
    folder = Path(tempfile.mkdtemp(prefix="bizops-fuzz-"))
    path = folder / "template.db"
    with shared_audit_key(folder):
        db = Database(f"sqlite:///{path}")
        ensure_schema(db)
        add_users(db, TEAM)
        policy = default_policy()
        with db.write() as session:  # two customers and a draft, so most commands have a target
            for step in OPENING:
                run_step(session, step, policy)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.dispose()
        yield path
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
@settings(
    max_examples=35,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps=st.lists(STEPS, min_size=8, max_size=30))
def test_random_commands_only_fail_with_domain_errors_and_keep_the_invariants(
    template: Path, steps: list[tuple[Any, ...]]
) -> None:
    policy = default_policy()
    folder = Path(tempfile.mkdtemp(prefix="bizops-fuzz-run-"))
    shutil.copy(template, folder / "run.db")
    db = Database(f"sqlite:///{folder / 'run.db'}")
    try:
        for number, step in enumerate(steps, start=1):
            try:
                with db.write() as session:
                    run_step(session, step, policy)
                event(f"{step[0]} succeeded")
            except StorageError as exc:  # a database failure is not a refusal
                raise AssertionError(f"step {number} {step!r}: storage error {exc}") from exc
            except BizopsError as exc:
                assert exc.message.strip(), f"step {number} {step!r}: an empty error message"
                event(f"{step[0]} refused: {type(exc).__name__}")
            with db.read() as session:
                problems = invariant_problems(session)
            assert problems == [], f"after step {number} {step!r}: {problems}"
    finally:
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def test_the_fuzzer_reaches_the_deep_states(template: Path) -> None:
    """The opening steps and a scripted path through the same dispatcher reach approval, signing,
    milestones and disputes: the random runs start from states where those commands apply."""
    policy = default_policy()
    folder = Path(tempfile.mkdtemp(prefix="bizops-fuzz-path-"))
    shutil.copy(template, folder / "run.db")
    db = Database(f"sqlite:///{folder / 'run.db'}")
    script: list[tuple[Any, ...]] = [
        ("approve", "leo", "HT-2026-0001"),
        ("sign", "alice", "HT-2026-0001", "today", "张伟"),
        ("milestone", "alice", "HT-2026-0002", "2026-12-01", "60000"),
        ("dispute", "alice", "HT-2026-0002", "交付延迟"),
        ("archive", "alice", "C0001"),
    ]
    try:
        for step in script:
            with db.write() as session:
                run_step(session, step, policy)
        with db.read() as session:
            states = dict(session.execute(select(Contract.number, Contract.status)).all())
            assert states == {"HT-2026-0001": "signed", "HT-2026-0002": "active"}
            assert invariant_problems(session) == []
    finally:
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("ref", ["9223372036854775808", "2147483648", "99999999999999999999", "²"])
def test_a_number_that_is_no_row_id_is_not_found_rather_than_a_crash(
    ref: str, db: Database, team: dict[str, User]
) -> None:
    """Found by the fuzzer: a reference of digits beyond the id column's range (or "²", which
    str.isdigit accepts and int() refuses) crashed with OverflowError / DataError."""
    from bizops.domain.errors import Invalid, NotFound
    from bizops.services.lookup import find_contract, find_customer
    from bizops.services.users import find_user

    with db.read() as session:
        for find in (find_customer, find_contract, find_user, approvals.find_request):
            with pytest.raises(NotFound):
                find(session, ref)
        with pytest.raises(NotFound if ref.isascii() else Invalid):
            fu.snooze_followup(
                session, actor=team["alice"], followup=ref, to="+3d", reason="x", today=TODAY
            )
