"""The demo's customers: when each was added, contacted and moved along the pipeline, and the
follow-ups logged on time or late, played through the real services."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any

from bizops.domain import cadence
from bizops.domain.vocab import PIPELINE, SIDE_EXITS
from bizops.services import customers, followups
from bizops.services.customers import ContactIn
from bizops.services.demo.builder import Builder, CustomerPlan
from bizops.services.demo.quotes import accepted_quote
from bizops.services.demo.scenario import (
    CREATED_DAYS,
    KEY_ACCOUNT_TAG,
    LATENESS,
    NEGLECT_SHARE,
    NEW_PROSPECT_DAYS,
    OLD_PROSPECT_DAYS,
    PLANNED_PURPOSE,
    REFERENCE_DAY,
    language,
    workday_back,
    workday_forward,
)
from bizops.store.models import Customer


def _path_to(stage: str) -> list[str]:
    """The pipeline steps from prospect up to ``stage`` (signed and beyond: negotiation)."""
    last = "negotiation" if PIPELINE.index(stage) > PIPELINE.index("negotiation") else stage
    return list(PIPELINE[1 : PIPELINE.index(last) + 1])


def _spread(first: date, last: date, count: int) -> list[date]:
    if count == 1:
        return [first]
    span = max((last - first).days, 0)
    return [workday_back(first + timedelta(days=span * k // (count - 1))) for k in range(count)]


def _ages(
    b: Builder, name: str, stage: str, first_contract: dict[str, int]
) -> tuple[int, int, int | None]:
    """(created, settled in its stage, left the pipeline) in days ago, for a customer past
    prospect."""
    rng = b.rng
    if name in first_contract:
        # Negotiation reached a few days before the first contract was drafted.
        settle_ago = first_contract[name] + rng.randint(2, 4)
        return max(settle_ago + 16, rng.randint(*CREATED_DAYS)), settle_ago, None
    if stage in SIDE_EXITS:
        exit_ago = rng.randint(5, 25)
        settle_ago = exit_ago + rng.randint(8, 20)
        created_ago = rng.randint(max(CREATED_DAYS[0], settle_ago + 16), CREATED_DAYS[1])
        return created_ago, settle_ago, exit_ago
    settle_ago = rng.randint(8, 30)
    return rng.randint(*CREATED_DAYS), settle_ago, None


def _plan_history(
    b: Builder, spec: dict[str, Any], lang: str, first_contract: dict[str, int]
) -> tuple[int, list[tuple[date, str]], tuple[date, str, str] | None, date | None]:
    """A customer past prospect: (created days ago, its moves, its exit, neglected after)."""
    rng = b.rng
    name, grade, stage = spec["name"], spec["grade"], spec["stage"]
    created_ago, settle_ago, exit_ago = _ages(b, name, stage, first_contract)
    created = b.ago(created_ago)
    first_contact = workday_back(
        cadence.first_contact_due(b.policy, grade=grade, created=created)
        + timedelta(days=rng.randint(0, 2))
    )
    if stage in SIDE_EXITS:
        reached = rng.choice(
            ("needs", "proposal", "negotiation") if stage == "lost" else ("contacted", "needs")
        )
        path = _path_to(reached)
    else:
        path = _path_to(stage)
    days = _spread(first_contact, b.ago(settle_ago), len(path))
    moves = list(zip(days, path, strict=True))
    exit_ = None
    if exit_ago is not None:
        exit_ = (b.ago(exit_ago), stage, b.phrase(lang, f"{stage}_reasons"))
    neglect = None
    if name not in first_contract and rng.random() < NEGLECT_SHARE:
        neglect = b.ago(rng.randint(15, 35))
    return created_ago, moves, exit_, neglect


def _in_reference_order(b: Builder) -> list[CustomerPlan]:
    """The plans in the order the customers are added on ``REFERENCE_DAY`` (by day, then as
    listed), with their days moved earlier where needed so that they are added in that order
    on any day: the codes do not depend on the day the demo is built. (Only days that the
    weekend rule folds together on one day and not on the other move, by a day or two.)"""
    order = sorted(
        enumerate(b.plans.values()),
        key=lambda item: (
            workday_back(REFERENCE_DAY - timedelta(days=item[1].created_ago)),
            item[0],
        ),
    )
    plans = [plan for _, plan in order]
    latest: date | None = None
    for plan in reversed(plans):
        if latest is not None and plan.created > latest:
            plan.created = latest
        latest = plan.created
    return plans


def plan_customers(b: Builder) -> None:
    sales = b.sales()
    first_contract: dict[str, int] = {}
    for spec in b.scenario["contracts"]:
        name = spec["customer"]
        first_contract[name] = max(first_contract.get(name, 0), int(spec["created"]))
    prospects = 0
    for spec in b.scenario["customers"]:
        name, owner = spec["name"], spec["owner"]
        lang = language(name)
        lateness = LATENESS[sales.index(owner) % len(LATENESS)] if owner in sales else (0,)
        if spec["stage"] == "prospect":
            ages = NEW_PROSPECT_DAYS if prospects % 2 == 0 else OLD_PROSPECT_DAYS
            created_ago = ages[(prospects // 2) % len(ages)]
            prospects += 1
            moves: list[tuple[date, str]] = []
            exit_, neglect = None, None
        else:
            created_ago, moves, exit_, neglect = _plan_history(b, spec, lang, first_contract)
        b.plans[name] = CustomerPlan(
            spec=spec,
            lang=lang,
            owner=owner,
            created=b.ago(created_ago),
            moves=moves,
            exit=exit_,
            lateness=lateness,
            neglect_after=neglect,
            created_ago=created_ago,
        )
    for plan in _in_reference_order(b):
        b.timeline.at(plan.created, partial(add_customer, b, plan))


def add_customer(b: Builder, plan: CustomerPlan, day: date) -> None:
    spec = plan.spec
    contact = spec.get("contact")
    contacts = (
        [
            ContactIn(
                name=contact["name"],
                title=contact.get("title"),
                phone=contact.get("phone"),
                email=contact.get("email"),
                primary=True,
            )
        ]
        if contact
        else []
    )
    view = customers.add_customer(
        b.session,
        actor=b.users[plan.owner],
        name=spec["name"],
        grade=spec["grade"],
        owner=plan.owner,
        policy=b.policy,
        today=day,
        industry=spec.get("industry"),
        region=spec.get("region"),
        source=spec.get("source"),
        potential=spec.get("potential"),
        intent=spec.get("intent"),
        tags=[KEY_ACCOUNT_TAG[plan.lang]] if spec["grade"] == "A" else [],
        contacts=contacts,
    )
    plan.code, plan.customer_id = view["code"], int(view["id"])
    if plan.moves:
        b.timeline.at(plan.moves[0][0], partial(touch, b, plan))


def touch(b: Builder, plan: CustomerPlan, day: date) -> None:
    """One follow-up: log it, take the pipeline steps due by now, schedule the next one."""
    customer = b.session.get(Customer, plan.customer_id)
    assert customer is not None
    lang = plan.lang
    leaving = (
        plan.exit if plan.exit is not None and plan.exit[0] <= day and not plan.moves else None
    )
    key = leaving[1] if leaving is not None else customer.stage
    outcome = b.phrase(lang, "outcomes") if b.rng.random() < 0.5 else None
    channels = list(b.policy.channels.get(customer.grade, ("phone",)))
    if lang == "zh":
        channels.append("wechat")
    owner = b.users[plan.owner]
    followups.log_followup(
        b.session,
        actor=owner,
        customer=plan.code,
        via=b.rng.choice(channels),
        summary=b.phrase(lang, key),
        contact=(plan.spec.get("contact") or {}).get("name"),
        outcome=outcome,
        policy=b.policy,
        today=day,
        now=b.moment(day),
    )
    while plan.moves and plan.moves[0][0] <= day:
        _, target = plan.moves.pop(0)
        if PIPELINE.index(customer.stage) >= PIPELINE.index(target):
            continue  # reached already: the first contact moved the prospect to contacted
        if target == "negotiation" and b.policy.quote_before_negotiation:
            accepted_quote(b, plan, day)
        customers.move_stage(
            b.session, actor=owner, ref=plan.code, step_next=True, policy=b.policy, today=day
        )
    if leaving is not None:
        _, stage, reason = leaving
        customers.move_stage(
            b.session,
            actor=owner,
            ref=plan.code,
            stage=stage,
            reason=reason,
            policy=b.policy,
            today=day,
        )
        return
    _schedule_next(b, plan, day)


def _schedule_next(b: Builder, plan: CustomerPlan, day: date) -> None:
    current = followups.open_followup(b.session, plan.customer_id)
    if current is None:
        return
    following = max(
        current.due + timedelta(days=b.rng.choice(plan.lateness)), day + timedelta(days=1)
    )
    candidates = [workday_forward(following)]
    fixed = [d for d, _ in plan.moves[:1]] + ([plan.exit[0]] if plan.exit else [])
    candidates.extend(d for d in fixed if d > day)
    upcoming = min(candidates)
    if not fixed and plan.neglect_after is not None and upcoming > plan.neglect_after:
        return
    if upcoming >= b.today:
        return
    b.timeline.at(upcoming, partial(touch, b, plan))


def plan_one_followup(b: Builder) -> None:
    """One follow-up planned by hand for a date, with its purpose (kind ``planned``)."""
    sales = b.sales()
    for plan in b.plans.values():
        if plan.spec["stage"] == "proposal" and sales and plan.owner == sales[0]:
            followups.plan_followup(
                b.session,
                actor=b.users[plan.owner],
                customer=plan.code,
                due=b.today + timedelta(days=3),
                purpose=PLANNED_PURPOSE[plan.lang],
                today=b.today,
            )
            return
