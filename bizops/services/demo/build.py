"""Building the demo: the team, then the customers and contracts played day by day."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlmodel import col

from bizops.domain.errors import Conflict
from bizops.domain.policy import Policy, build_policy, merge_policy
from bizops.i18n import _
from bizops.services import users
from bizops.services.demo.builder import Builder
from bizops.services.demo.contracts import plan_contracts
from bizops.services.demo.customers import plan_customers, plan_one_followup
from bizops.services.demo.money import plan_money
from bizops.services.demo.quotes import add_products, quotes_in_every_state
from bizops.services.demo.scenario import load_scenario
from bizops.services.demo.summary import DemoSummary, summarize
from bizops.services.demo.team import add_team
from bizops.store.models import Contract, Customer

if TYPE_CHECKING:
    from sqlmodel import Session


def _check(b: Builder) -> None:
    """The scenario must end where its files say: stages and contract states."""
    problems = []
    for plan in b.plans.values():
        customer = b.session.get(Customer, plan.customer_id)
        assert customer is not None
        if customer.stage != plan.spec["stage"]:
            problems.append(
                f"customer {plan.spec['name']}: ended at {customer.stage}, "
                f"expected {plan.spec['stage']}"
            )
    for index, spec in enumerate(b.scenario["contracts"]):
        row = b.session.execute(
            select(Contract).where(col(Contract.number) == b.contract_numbers[index])
        ).scalar_one()
        if row.status != spec["state"]:
            problems.append(
                f"contract {spec['title']}: ended {row.status}, expected {spec['state']}"
            )
    if problems:
        raise ValueError("the demo scenario is inconsistent: " + "; ".join(problems))


def demo_policy(policy: Policy, scenario: dict[str, Any]) -> Policy:
    """The policy with the scenario's own approval rules first (a 会签 step to show)."""
    extra = scenario.get("approval_rules") or []
    if not extra:
        return policy
    rules = extra + list(policy.raw.get("approval", {}).get("rules", []))
    return build_policy(merge_policy(policy.raw, {"approval": {"rules": rules}}))


def build_demo(
    session: Session, *, policy: Policy, today: date, scenario: dict[str, Any] | None = None
) -> DemoSummary:
    """Build the demo in an empty database, inside the caller's write transaction."""
    if users.count_users(session):
        raise Conflict(
            _(
                "the demo needs an empty database: this one already has users; "
                "give `bizops demo` another --db (or --force to rebuild the demo file)"
            )
        )
    scenario = scenario or load_scenario()
    b = Builder(session, demo_policy(policy, scenario), today, scenario)
    add_team(b)
    add_products(b)
    plan_customers(b)
    plan_contracts(b)
    plan_money(b)
    b.timeline.run()
    quotes_in_every_state(b)
    plan_one_followup(b)
    _check(b)
    drafted = (
        b.contract_numbers[i] for i, c in enumerate(b.scenario["contracts"]) if c.get("drafted")
    )
    draft = next(drafted, next(iter(b.contract_numbers.values()), ""))
    manager = (b.role_holders.get("manager") or b.role_holders.get("admin") or [""])[0]
    return summarize(session, today=today, sales=b.sales(), manager=manager, draft_contract=draft)
