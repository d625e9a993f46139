"""The demo data set: what it promises, built through the real services."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from bizops.domain.errors import Conflict
from bizops.domain.policy import Policy
from bizops.domain.vocab import GRADES, STAGES
from bizops.services import audit_replay, dbops, templates
from bizops.services.demo import DemoSummary, build_demo, load_scenario
from bizops.services.policy import default_policy
from bizops.store.audit import verify_chain
from bizops.store.engine import Database
from bizops.store.migrate import ensure_schema
from bizops.store.models import (
    Amendment,
    ApprovalRequest,
    ApprovalStep,
    AuditEvent,
    Contract,
    Customer,
    Dispute,
    Draft,
    FollowUp,
    Interaction,
    Milestone,
    StageChange,
    User,
)
from tests.support import TODAY
from tests.support.databases import BACKENDS, empty_database, shared_audit_key
from tests.support.factories import add_user

CONTRACT_STATES = (
    "draft",
    "pending_approval",
    "approved",
    "signed",
    "active",
    "completed",
    "terminated",
    "archived",
)


def _build(db: Database, policy: Policy, today: date) -> DemoSummary:
    with db.write() as session:
        return build_demo(session, policy=policy, today=today)


@pytest.fixture(scope="module", params=BACKENDS)
def demo(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    _sqlite_template: Path,
    _pg_template: str | None,
) -> Iterator[tuple[Database, DemoSummary]]:
    """One demo per backend for the whole module: the tests below only read it."""
    tmp = tmp_path_factory.mktemp("demo")
    with (
        shared_audit_key(tmp),
        empty_database(request.param, tmp, _sqlite_template, _pg_template) as db,
    ):
        yield db, _build(db, default_policy(), TODAY)


@pytest.fixture
def built(demo: tuple[Database, DemoSummary]) -> DemoSummary:
    return demo[1]


@pytest.fixture
def demo_db(demo: tuple[Database, DemoSummary]) -> Database:
    return demo[0]


def _count(session: Session, query: Any) -> int:
    return int(session.execute(query).scalar_one())


@pytest.mark.slow
def test_team_matches_team_toml(demo_db: Database, built: DemoSummary) -> None:
    with demo_db.read() as session:
        rows = {u.login: u for u in session.execute(select(User)).scalars()}
        assert len(rows) == 8
        assert rows["admin"].role_list == ["admin"]
        sales = [login for login, u in rows.items() if u.has_role("sales")]
        assert sales == ["zhangwei", "lina", "tom"]
        assert rows["wangfang"].has_role("manager")
        assert rows["wangfang"].approval_limit == 2_000_000
        assert rows["chenjing"].has_role("finance")
        assert rows["chenjing"].approval_limit == 5_000_000
        assert rows["liuyang"].has_role("legal") and rows["zhaomin"].has_role("gm")
    assert built.sales == ["zhangwei", "lina", "tom"] and built.manager == "wangfang"


@pytest.mark.slow
def test_customers_every_grade_and_stage_in_both_languages(
    demo_db: Database, built: DemoSummary, today: date
) -> None:
    with demo_db.read() as session:
        customers = session.execute(select(Customer)).scalars().all()
        assert len(customers) >= 60
        assert {c.grade for c in customers} == set(GRADES)
        assert {c.stage for c in customers} == set(STAGES)
        assert any(c.name.isascii() for c in customers)
        assert any(not c.name.isascii() for c in customers)
        # Stages were reached through the stage service: every move is in the history,
        # one step at a time from prospect, with reasons for the side exits.
        for c in customers:
            history = session.execute(
                select(StageChange)
                .where(col(StageChange.customer_id) == c.id)
                .order_by(col(StageChange.id))
            ).scalars()
            moves = [(h.from_stage, h.to_stage, h.reason) for h in history]
            assert moves[0][:2] == (None, "prospect")
            assert moves[-1][1] == c.stage
            if c.stage in ("lost", "dormant"):
                assert moves[-1][2], f"{c.name} left the pipeline without a reason"
            assert all(h_on <= today for h_on in [c.stage_since, c.created_on])
    assert built.counts["customers"] == len(customers)
    assert set(built.customers_by_stage) == set(STAGES)


@pytest.mark.slow
def test_three_months_of_followups_on_time_late_and_overdue(
    demo_db: Database, built: DemoSummary, today: date
) -> None:
    with demo_db.read() as session:
        first = session.execute(select(func.min(Interaction.on))).scalar_one()
        last = session.execute(select(func.max(Interaction.on))).scalar_one()
        assert (today - first).days >= 80 and last < today
        on_time = _count(session, select(func.count()).where(col(FollowUp.on_time).is_(True)))
        late = _count(session, select(func.count()).where(col(FollowUp.on_time).is_(False)))
        assert on_time > 0 and late > 0
        overdue = session.execute(
            select(FollowUp.customer_id).where(
                col(FollowUp.status) == "open", col(FollowUp.due) < today
            )
        ).all()
        assert len(overdue) >= 5
        # Every active customer has exactly one open follow-up; lost and dormant none.
        for c in session.execute(select(Customer)).scalars():
            open_count = _count(
                session,
                select(func.count()).where(
                    col(FollowUp.customer_id) == c.id, col(FollowUp.status) == "open"
                ),
            )
            assert open_count == (0 if c.stage in ("lost", "dormant") else 1), c.name
        never = session.execute(
            select(Customer.created_on).where(col(Customer.last_contact_on).is_(None))
        ).scalars()
        created = list(never)
        # New customers never contacted, some within the daily report's 7 days.
        assert len(created) >= 3
        assert any((today - d).days <= 7 for d in created)
        planned = _count(
            session,
            select(func.count()).where(
                col(FollowUp.kind) == "planned", col(FollowUp.status) == "open"
            ),
        )
        assert planned == 1
    assert built.counts["followups_overdue"] == len(overdue)


@pytest.mark.slow
def test_contracts_in_every_state_from_templates(
    demo_db: Database, built: DemoSummary, policy: Policy, today: date
) -> None:
    with demo_db.read() as session:
        statuses = {
            s
            for s in session.execute(select(Contract.status).distinct()).scalars()  # type: ignore[call-overload]
        }
        assert statuses == set(CONTRACT_STATES)
        assert (
            _count(session, select(func.count()).where(col(Contract.non_standard).is_(True))) >= 2
        )
        standard = (
            session.execute(select(Contract.number).where(col(Contract.template_name).is_not(None)))
            .scalars()
            .all()
        )
        assert len(standard) >= 15
        assert _count(session, select(func.count()).select_from(Draft)) >= 1
    # `contract draft` works on every contract drafted from the library (in a read
    # transaction, rolled back: the demo is shared by the tests of this module), for legal,
    # who sees every contract (a rep may draft only those within their visibility).
    with demo_db.read() as session:
        actor = session.execute(select(User).where(col(User.login) == "liuyang")).scalar_one()
        for number in standard:
            result = templates.draft_contract(
                session, actor=actor, contract=number, fmt="md", policy=policy, today=today
            )
            assert result.text.strip()
    assert built.draft_contract in standard


@pytest.mark.slow
def test_approvals_amendments_milestones_disputes(
    demo_db: Database, built: DemoSummary, today: date
) -> None:
    with demo_db.read() as session:
        pending_roles = set(
            session.execute(
                select(ApprovalStep.role)
                .join(ApprovalRequest, col(ApprovalRequest.id) == col(ApprovalStep.request_id))
                .where(
                    col(ApprovalStep.status) == "pending", col(ApprovalRequest.status) == "pending"
                )
            ).scalars()
        )
        assert {"manager", "finance", "legal"} <= pending_roles
        past_sla = _count(
            session,
            select(func.count()).where(
                col(ApprovalStep.status) == "pending", col(ApprovalStep.due) < today
            ),
        )
        assert past_sla >= 1
        assert (
            _count(session, select(func.count()).where(col(ApprovalRequest.status) == "rejected"))
            >= 1
        )
        amendment = session.execute(
            select(Amendment).where(col(Amendment.status) == "pending_approval")
        ).scalar_one()
        assert "amount" in amendment.changes
        assert _count(session, select(func.count()).where(col(Dispute.status) == "open")) >= 1
        done = _count(session, select(func.count()).where(col(Milestone.done_on).is_not(None)))
        overdue = _count(
            session,
            select(func.count()).where(
                col(Milestone.done_on).is_(None), col(Milestone.due) < today
            ),
        )
        assert done >= 1 and overdue >= 1
        expiring = _count(
            session,
            select(func.count()).where(
                col(Contract.status) == "active", col(Contract.end) <= today + timedelta(days=30)
            ),
        )
        assert expiring >= 1
    assert built.counts["approvals_pending"] >= 5
    assert built.counts["amendments_pending"] == 1
    assert built.counts["disputes_open"] == 1


@pytest.mark.slow
def test_audit_chain_and_invariants_hold(demo_db: Database, built: DemoSummary) -> None:
    with demo_db.read() as session:
        count, problems = verify_chain(session)
        assert problems == []
        assert count == built.counts["audit_events"]
        assert count == _count(session, select(func.count()).select_from(AuditEvent))
    assert built.audit_problems == []
    result = dbops.check(demo_db)
    assert result.ok, result.problems
    # Replaying the log gives the tables: stages moved by a first contact, milestones settled
    # by receipts, payments and write-offs.
    with demo_db.read() as session:
        assert [d.message for d in audit_replay.differences(session)] == []


def test_refuses_a_database_that_already_has_users(
    db: Database, policy: Policy, today: date
) -> None:
    add_user(db, "root")
    with db.read() as session:
        before = _count(session, select(func.count()).select_from(AuditEvent))
    with pytest.raises(Conflict, match="empty database"):
        _build(db, policy, today)
    with db.read() as session:
        assert _count(session, select(func.count()).select_from(AuditEvent)) == before
        assert _count(session, select(func.count()).select_from(Customer)) == 0


def _dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Key tables without timestamps (created_at, audit times and hashes vary by run)."""
    with db.read() as session:
        return {
            "users": session.execute(
                select(User.login, User.name, User.roles, User.approval_limit).order_by(User.id)
            ).all(),
            "customers": session.execute(
                select(
                    Customer.code,
                    Customer.name,
                    Customer.grade,
                    Customer.stage,
                    Customer.stage_since,
                    Customer.last_contact_on,
                    Customer.created_on,
                ).order_by(Customer.id)
            ).all(),
            "stage_changes": session.execute(
                select(
                    StageChange.customer_id,
                    StageChange.from_stage,
                    StageChange.to_stage,
                    StageChange.on,
                    StageChange.reason,
                ).order_by(StageChange.id)
            ).all(),
            "followups": session.execute(
                select(
                    FollowUp.customer_id,
                    FollowUp.due,
                    FollowUp.status,
                    FollowUp.kind,
                    FollowUp.closed_on,
                    FollowUp.on_time,
                ).order_by(FollowUp.id)
            ).all(),
            "interactions": session.execute(
                select(
                    Interaction.customer_id,
                    Interaction.on,
                    Interaction.via,
                    Interaction.summary,
                    Interaction.outcome,
                ).order_by(Interaction.id)
            ).all(),
            "contracts": session.execute(
                select(
                    Contract.number,
                    Contract.customer_id,
                    Contract.status,
                    Contract.amount,
                    Contract.start,
                    Contract.end,
                    Contract.template_name,
                    Contract.signed_on,
                ).order_by(Contract.id)
            ).all(),
            "approval_steps": session.execute(
                select(
                    ApprovalStep.request_id,
                    ApprovalStep.role,
                    ApprovalStep.status,
                    ApprovalStep.due,
                    ApprovalStep.decided_by,
                ).order_by(ApprovalStep.id)
            ).all(),
            "milestones": session.execute(
                select(Milestone.contract_id, Milestone.due, Milestone.done_on).order_by(
                    Milestone.id
                )
            ).all(),
            "audit": session.execute(
                select(AuditEvent.actor, AuditEvent.action, AuditEvent.entity_id).order_by(
                    AuditEvent.id
                )
            ).all(),
        }


@pytest.mark.slow
def test_same_day_gives_the_same_data(tmp_path: Path, policy: Policy) -> None:
    # A Sunday early in January: events fall back to Fridays, and numbering crosses a year.
    today = date(2027, 1, 3)
    dumps = []
    for name in ("one.db", "two.db"):
        db = Database(f"sqlite:///{tmp_path / name}")
        ensure_schema(db)
        _build(db, policy, today)
        dumps.append(_dump(db))
        db.dispose()
    assert dumps[0] == dumps[1]
    numbers = [row[0] for row in dumps[0]["contracts"]]
    assert any(n.startswith("HT-2026-") for n in numbers)
    assert any(n.startswith("HT-2027-") for n in numbers)


def test_scenario_files_are_consistent() -> None:
    scenario = load_scenario()
    names = {c["name"] for c in scenario["customers"]}
    logins = {u["login"] for u in scenario["users"]}
    assert {c["owner"] for c in scenario["customers"]} <= logins
    for spec in scenario["contracts"]:
        assert spec["customer"] in names, spec["customer"]
        assert spec["state"] in CONTRACT_STATES
    assert {spec["state"] for spec in scenario["contracts"]} == set(CONTRACT_STATES)
