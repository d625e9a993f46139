"""The shared pool (公海): customers without an owner, visible to every sales rep.

- ``release_customer``: the owner (or a manager/admin) gives a customer up, with a reason; the
  customer loses its owner and its open follow-up.
- ``claim_customer``: a sales rep, manager or admin takes a customer from the pool. Claiming a
  customer that has an owner is a conflict (exit 5). A user may claim at most
  ``pool.max_claims`` customers within ``pool.claim_window_days`` days counted back from
  today, today included (the claims of the days ``today - window + 1`` .. ``today``); one
  claim more is a conflict (exit 5) that names the limit and when the oldest claim of the
  window stops counting.
- ``return_idle_customers``: with ``pool.return_after_days`` set (0: off), a customer whose
  last logged contact (else its creation) is that many days old or older returns to the
  pool. The daily report runs it; the former owner's report lists the customers returned
  that day (``returned_today``).

Each is one transaction (the caller's) with one audit event per customer, and one row in
``pool_moves`` (release, return, claim): the claim limit counts those rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypedDict

from sqlalchemy import func, select
from sqlmodel import Session, col

from bizops.domain.errors import Conflict, Invalid
from bizops.domain.policy import Policy
from bizops.domain.validate import check_text
from bizops.i18n import N_, _
from bizops.services.customers.permissions import (
    require_active,
    require_may_change,
    require_writer,
)
from bizops.services.customers.profile import customer_view, login_of, record
from bizops.services.customers.views import CustomerView
from bizops.services.followups import reschedule_open_followup
from bizops.services.lookup import find_customer
from bizops.store.models import Customer, PoolMove, User

__all__ = [
    "CLAIM",
    "RELEASE",
    "RETURN",
    "ReturnedRow",
    "claim_customer",
    "claims_in_window",
    "release_customer",
    "return_idle_customers",
    "returned_rows",
]

RELEASE = "release"
RETURN = "return"
CLAIM = "claim"


class ReturnedRow(TypedDict):
    """A customer the daily report returned to the pool, for its former owner."""

    id: int
    code: str
    customer: str
    owner: str  # the former owner
    last_contact: date | None
    idle_days: int
    returned_on: date


def _move(
    session: Session,
    *,
    customer: Customer,
    user_id: int,
    kind: str,
    today: date,
    actor: User,
    reason: str | None = None,
) -> None:
    assert customer.id is not None
    session.add(
        PoolMove(
            customer_id=customer.id,
            user_id=user_id,
            kind=kind,
            on=today,
            at=datetime.now(UTC),
            actor=actor.login,
            reason=reason,
        )
    )


def _to_pool(
    session: Session,
    *,
    customer: Customer,
    actor: User,
    kind: str,
    reason: str,
    policy: Policy,
    today: date,
    extra: dict[str, Any] | None = None,
) -> None:
    """Take ``customer`` from its owner: no owner, no open follow-up, one move, one event."""
    assert customer.owner_id is not None
    owner = login_of(session, customer.owner_id)
    _move(
        session,
        customer=customer,
        user_id=customer.owner_id,
        kind=kind,
        today=today,
        actor=actor,
        reason=reason,
    )
    customer.owner_id = None
    session.add(customer)
    session.flush()
    reschedule_open_followup(session, customer=customer, policy=policy, today=today)
    record(
        session,
        actor,
        f"customer.{kind}",
        customer,
        before={"owner": owner},
        after={"owner": None, "reason": reason, **(extra or {})},
    )


def release_customer(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    reason: str | None,
    policy: Policy,
    today: date,
) -> CustomerView:
    """Give a customer up to the pool. Its owner, a manager or an admin may; a reason is
    required."""
    text = check_text(reason, "--reason", max_length=500)
    if not text:
        raise Invalid(_("--reason: say why the customer goes back to the pool"))
    customer = find_customer(session, ref)
    require_active(customer)
    if customer.owner_id is None:
        raise Conflict(
            _("customer {code} is already in the shared pool").format(code=customer.code)
        )
    require_may_change(session, actor, customer)
    _to_pool(
        session,
        customer=customer,
        actor=actor,
        kind=RELEASE,
        reason=text,
        policy=policy,
        today=today,
    )
    return customer_view(session, customer)


def claims_in_window(session: Session, *, user_id: int, policy: Policy, today: date) -> int:
    """How many customers ``user_id`` claimed within the claim window ending today."""
    since = today - timedelta(days=policy.pool_claim_window_days - 1)
    found = session.execute(
        select(func.count())
        .select_from(PoolMove)
        .where(
            col(PoolMove.user_id) == user_id,
            col(PoolMove.kind) == CLAIM,
            col(PoolMove.on) >= since,
            col(PoolMove.on) <= today,
        )
    ).scalar_one()
    return int(found)


def _require_room(session: Session, actor: User, policy: Policy, today: date) -> None:
    assert actor.id is not None
    taken = claims_in_window(session, user_id=actor.id, policy=policy, today=today)
    if taken < policy.pool_max_claims:
        return
    since = today - timedelta(days=policy.pool_claim_window_days - 1)
    oldest = session.execute(
        select(func.min(col(PoolMove.on))).where(
            col(PoolMove.user_id) == actor.id,
            col(PoolMove.kind) == CLAIM,
            col(PoolMove.on) >= since,
        )
    ).scalar_one()
    freed = (oldest or today) + timedelta(days=policy.pool_claim_window_days)
    raise Conflict(
        _(
            "{login} has claimed {count} customer(s) within {days} days, the limit of "
            "pool.max_claims ({limit}); the next claim is possible on {day}"
        ).format(
            login=actor.login,
            count=taken,
            days=policy.pool_claim_window_days,
            limit=policy.pool_max_claims,
            day=freed,
        )
    )


def claim_customer(
    session: Session, *, actor: User, ref: str | int, policy: Policy, today: date
) -> CustomerView:
    """Take a customer from the pool: it becomes the actor's, with a follow-up scheduled."""
    require_writer(actor, N_("claim customers"))
    customer = find_customer(session, ref)
    if customer.owner_id is not None:
        owner = login_of(session, customer.owner_id)
        raise Conflict(
            _(
                "customer {code} belongs to {owner}, not to the shared pool; only a customer "
                "released to the pool can be claimed"
            ).format(code=customer.code, owner=owner)
        )
    require_active(customer)
    _require_room(session, actor, policy, today)
    assert actor.id is not None
    customer.owner_id = actor.id
    session.add(customer)
    _move(session, customer=customer, user_id=actor.id, kind=CLAIM, today=today, actor=actor)
    session.flush()
    reschedule_open_followup(session, customer=customer, policy=policy, today=today)
    record(
        session,
        actor,
        "customer.claim",
        customer,
        before={"owner": None},
        after={"owner": actor.login},
    )
    return customer_view(session, customer)


def return_idle_customers(
    session: Session, *, actor: User, policy: Policy, today: date
) -> list[ReturnedRow]:
    """Return to the pool every active owned customer without a logged contact for
    ``pool.return_after_days`` days (nothing when that is 0). Returns what it moved."""
    days = policy.pool_return_after_days
    if days <= 0:
        return []
    cutoff = today - timedelta(days=days)
    last = func.coalesce(col(Customer.last_contact_on), col(Customer.created_on))
    idle = session.execute(
        select(Customer)
        .where(
            col(Customer.owner_id).is_not(None),
            col(Customer.archived_on).is_(None),
            last <= cutoff,
        )
        .order_by(col(Customer.id))
    ).scalars()
    out: list[ReturnedRow] = []
    for customer in list(idle):
        assert customer.id is not None and customer.owner_id is not None
        since = customer.last_contact_on or customer.created_on
        owner = login_of(session, customer.owner_id) or ""
        reason = _("no logged contact for {days} days").format(days=(today - since).days)
        _to_pool(
            session,
            customer=customer,
            actor=actor,
            kind=RETURN,
            reason=reason,
            policy=policy,
            today=today,
            extra={"idle_days": (today - since).days},
        )
        out.append(
            {
                "id": customer.id,
                "code": customer.code,
                "customer": customer.name,
                "owner": owner,
                "last_contact": customer.last_contact_on,
                "idle_days": (today - since).days,
                "returned_on": today,
            }
        )
    return out


def returned_rows(
    session: Session, *, on: date, owner_ids: Sequence[int] | None = None
) -> list[ReturnedRow]:
    """The customers returned to the pool on ``on`` (for their former owners' reports)."""
    query = (
        select(PoolMove, Customer, User)
        .join(Customer, col(Customer.id) == col(PoolMove.customer_id))
        .join(User, col(User.id) == col(PoolMove.user_id))
        .where(col(PoolMove.kind) == RETURN, col(PoolMove.on) == on)
        .order_by(col(PoolMove.id))
    )
    if owner_ids is not None:
        query = query.where(col(PoolMove.user_id).in_(list(owner_ids)))
    out: list[ReturnedRow] = []
    for move, customer, user in session.execute(query).all():
        assert customer.id is not None
        since = customer.last_contact_on or customer.created_on
        out.append(
            {
                "id": customer.id,
                "code": customer.code,
                "customer": customer.name,
                "owner": user.login,
                "last_contact": customer.last_contact_on,
                "idle_days": (move.on - since).days,
                "returned_on": move.on,
            }
        )
    return out
