"""What the demo holds once built: counts for the closing message and the tests."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlmodel import col

from bizops.domain.vocab import PIPELINE, SIDE_EXITS
from bizops.services import contracts, followups
from bizops.store.audit import verify_chain
from bizops.store.models import (
    Amendment,
    ApprovalRequest,
    ApprovalStep,
    AuditEvent,
    Contract,
    Customer,
    Dispute,
    FollowUp,
    Interaction,
    Milestone,
    User,
)

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass
class DemoSummary:
    today: date
    counts: dict[str, int]
    customers_by_stage: dict[str, int]
    customers_by_grade: dict[str, int]
    contracts_by_status: dict[str, int]
    sales: list[str]
    manager: str
    draft_contract: str
    team: list[tuple[str, str]] = field(default_factory=list)  # (login, roles)
    audit_problems: list[str] = field(default_factory=list)


def _count(session: Session, query: Any) -> int:
    return int(session.execute(query).scalar_one())


def _group(session: Session, column: Any, *where: Any) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).where(*where).group_by(column)).all()
    return {str(k): int(n) for k, n in rows}


def _all(model: type) -> Any:
    return select(func.count()).select_from(model)


def _customer_counts(session: Session, today: date) -> dict[str, int]:
    done = col(FollowUp.status) == followups.DONE
    return {
        "users": _count(session, _all(User)),
        "customers": _count(session, _all(Customer)),
        "interactions": _count(session, _all(Interaction)),
        "followups_done": _count(session, select(func.count()).where(done)),
        "followups_late": _count(
            session, select(func.count()).where(done, col(FollowUp.on_time).is_(False))
        ),
        "followups_overdue": _count(
            session,
            select(func.count()).where(
                col(FollowUp.status) == followups.OPEN, col(FollowUp.due) < today
            ),
        ),
        "never_contacted": _count(
            session,
            select(func.count()).where(
                col(Customer.archived_on).is_(None), col(Customer.last_contact_on).is_(None)
            ),
        ),
    }


def _contract_counts(session: Session, today: date) -> dict[str, int]:
    open_milestone = col(Milestone.done_on).is_(None)
    return {
        "contracts": _count(session, _all(Contract)),
        "non_standard": _count(
            session, select(func.count()).where(col(Contract.non_standard).is_(True))
        ),
        "approvals_pending": _count(
            session, select(func.count()).where(col(ApprovalRequest.status) == "pending")
        ),
        "approval_steps_overdue": _count(
            session,
            select(func.count()).where(
                col(ApprovalStep.status) == "pending", col(ApprovalStep.due) < today
            ),
        ),
        "amendments_pending": _count(
            session,
            select(func.count()).where(col(Amendment.status) == contracts.AMENDMENT_PENDING),
        ),
        "milestones_open": _count(session, select(func.count()).where(open_milestone)),
        "milestones_overdue": _count(
            session,
            select(func.count())
            .select_from(Milestone)
            .join(Contract, col(Contract.id) == col(Milestone.contract_id))
            .where(
                open_milestone,
                col(Milestone.due) < today,
                col(Contract.status).in_(("signed", "active")),
            ),
        ),
        "disputes_open": _count(
            session, select(func.count()).where(col(Dispute.status) == contracts.DISPUTE_OPEN)
        ),
    }


def summarize(
    session: Session, *, today: date, sales: list[str], manager: str, draft_contract: str
) -> DemoSummary:
    """Counts of what the demo holds, for the closing message and the tests."""
    counts = {
        **_customer_counts(session, today),
        **_contract_counts(session, today),
        "audit_events": _count(session, _all(AuditEvent)),
    }
    _, problems = verify_chain(session)
    team = session.execute(select(col(User.login), col(User.roles)).order_by(col(User.id)))
    return DemoSummary(
        today=today,
        counts=counts,
        customers_by_stage=_group(session, col(Customer.stage)),
        customers_by_grade=_group(session, col(Customer.grade)),
        contracts_by_status=_group(session, col(Contract.status)),
        sales=list(sales),
        manager=manager,
        draft_contract=draft_contract,
        team=[(str(login), str(roles)) for login, roles in team],
        audit_problems=[p.problem for p in problems],
    )


def stage_counts(summary: DemoSummary) -> list[tuple[str, int]]:
    """Customers per stage in pipeline order, then the side exits."""
    order = list(PIPELINE) + list(SIDE_EXITS)
    counter = Counter(summary.customers_by_stage)
    return [(stage, counter[stage]) for stage in order if counter[stage]]
