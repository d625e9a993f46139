"""The demo data set (PRODUCT section 10): a team, customers, history and contracts.

Everything is played through the real services, day by day over about three months that end
on ``today``: customers are added, contacted and moved along the pipeline, follow-ups are
logged on time or late, contracts are drafted from the template library, submitted, approved,
signed, performed, amended, disputed, completed, terminated and archived. So the audit chain,
the numbering, the follow-up schedule and every invariant are the ones real use produces.

The scenario lives in ``bizops/library/demo/`` (team, customers, contracts, what the reps
write); the choices this module makes on top (when a customer was first contacted, how late a
follow-up was) come from a random generator with a fixed seed. Every date is relative to
``today``, so the same ``today`` gives the same data.
"""

from __future__ import annotations

import heapq
import random
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from bizops import library
from bizops.domain import cadence
from bizops.domain.dates import add_months
from bizops.domain.errors import Conflict
from bizops.domain.policy import Policy
from bizops.domain.vocab import PIPELINE, SIDE_EXITS
from bizops.services import contracts, customers, followups, templates, users
from bizops.services.customers import ContactIn
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

SEED = 20_26_09_01
# Lateness (days after the due date, negative: early) of each sales rep's follow-ups, in the
# order the reps appear in team.toml: one often late, one mixed, one punctual.
LATENESS: tuple[tuple[int, ...], ...] = (
    (-1, 0, 0, 1, 2, 3, 5, 8),
    (-2, -1, 0, 0, 0, 1, 2, 4),
    (-1, 0, 0, 0, 0, 1),
)
# Never-contacted prospects (in file order): every other one was added in the last few days
# (new customers never contacted), the others weeks ago (first contact overdue).
NEW_PROSPECT_DAYS = (1, 2, 4, 6, 3)
OLD_PROSPECT_DAYS = (12, 19, 26, 33, 40)
# Customers without contracts were added this many days ago.
CREATED_DAYS = (60, 90)
# Customers that have not been followed up for a while, so they are overdue now.
NEGLECT_SHARE = 0.3
KEY_ACCOUNT_TAG = {"zh": "重点客户", "en": "key-account"}
PLANNED_PURPOSE = {"zh": "送样品并确认报价", "en": "Bring samples and confirm the quotation"}


# ---------------------------------------------------------------------------------------------
# The scenario files


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads(library.read_text("demo", name))


def load_scenario() -> dict[str, Any]:
    """The shipped demo scenario: users, customers, contracts and the reps' phrases."""
    return {
        "users": _load("team.toml")["user"],
        "customers": _load("customers.toml")["customer"],
        "contracts": _load("contracts.toml")["contract"],
        "phrases": _load("interactions.toml"),
    }


def _language(name: str) -> str:
    return "en" if name.isascii() else "zh"


# ---------------------------------------------------------------------------------------------
# Days


def _workday_back(day: date) -> date:
    """Saturday and Sunday move back to the Friday (office work happens on weekdays)."""
    return day - timedelta(days=max(day.weekday() - 4, 0))


def _workday_forward(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


# ---------------------------------------------------------------------------------------------
# The timeline: events run in date order, each with its own "today"


class _Timeline:
    def __init__(self, today: date) -> None:
        self.today = today
        self._heap: list[tuple[date, int, Callable[[date], None]]] = []
        self._seq = 0

    def at(self, day: date, action: Callable[[date], None]) -> None:
        if day > self.today:
            raise ValueError(f"demo event on {day} is after today ({self.today})")
        self._seq += 1
        heapq.heappush(self._heap, (day, self._seq, action))

    def run(self) -> None:
        while self._heap:
            day, _, action = heapq.heappop(self._heap)
            action(day)


# ---------------------------------------------------------------------------------------------
# What the build returns


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today,
            "counts": dict(self.counts),
            "customers_by_stage": dict(self.customers_by_stage),
            "customers_by_grade": dict(self.customers_by_grade),
            "contracts_by_status": dict(self.contracts_by_status),
            "sales": list(self.sales),
            "manager": self.manager,
            "draft_contract": self.draft_contract,
            "team": [{"login": login, "roles": roles} for login, roles in self.team],
        }


# ---------------------------------------------------------------------------------------------
# Customers


@dataclass
class _CustomerPlan:
    spec: dict[str, Any]
    lang: str
    owner: str
    created: date
    # Stages reached one step at a time, and the day of each (the first is the first contact).
    moves: list[tuple[date, str]]
    exit: tuple[date, str, str] | None  # (day, lost|dormant, reason)
    lateness: tuple[int, ...]
    neglect_after: date | None
    code: str = ""
    customer_id: int = 0


def _path_to(stage: str) -> list[str]:
    """The pipeline steps from prospect up to ``stage`` (signed and beyond: negotiation)."""
    last = "negotiation" if PIPELINE.index(stage) > PIPELINE.index("negotiation") else stage
    return list(PIPELINE[1 : PIPELINE.index(last) + 1])


def _spread(first: date, last: date, count: int) -> list[date]:
    if count == 1:
        return [first]
    span = max((last - first).days, 0)
    return [_workday_back(first + timedelta(days=span * k // (count - 1))) for k in range(count)]


class _Builder:
    def __init__(
        self, session: Session, *, policy: Policy, today: date, scenario: dict[str, Any]
    ) -> None:
        self.session = session
        self.policy = policy
        self.today = today
        self.scenario = scenario
        self.rng = random.Random(SEED)
        self.timeline = _Timeline(today)
        self.users: dict[str, User] = {}
        self.role_holders: dict[str, list[str]] = {}
        self.plans: dict[str, _CustomerPlan] = {}
        self.contract_numbers: dict[int, str] = {}
        self.clock = 0

    # --- helpers --------------------------------------------------------------------------

    def ago(self, days: int) -> date:
        return _workday_back(self.today - timedelta(days=days))

    def moment(self, day: date) -> datetime:
        """A deterministic office-hours time on ``day``, in the local time zone."""
        self.clock += 1
        at = time(9 + self.clock % 8, (self.clock * 17) % 60)
        return datetime.combine(day, at).astimezone()

    def holder(self, role: str) -> User:
        return self.users[self.role_holders[role][0]]

    def phrase(self, lang: str, key: str) -> str:
        options = self.scenario["phrases"][lang][key]
        return str(self.rng.choice(options))

    # --- team -----------------------------------------------------------------------------

    def add_team(self) -> None:
        team = self.scenario["users"]
        admins = [u for u in team if "admin" in u.get("roles", [])]
        if not admins:
            raise ValueError("demo team.toml has no admin")
        first = admins[0]
        users.init_admin(
            self.session, login=first["login"], name=first.get("name"), email=first.get("email")
        )
        admin = users.find_user(self.session, first["login"])
        self.users[admin.login] = admin
        for spec in team:
            if spec is first:
                continue
            users.add_user(
                self.session,
                actor=admin,
                login=spec["login"],
                name=spec.get("name"),
                email=spec.get("email"),
                roles=list(spec["roles"]),
                limit=spec.get("limit"),
            )
            self.users[spec["login"]] = users.find_user(self.session, spec["login"])
        for spec in team:
            for role in spec["roles"]:
                self.role_holders.setdefault(role, []).append(spec["login"])

    # --- customers ------------------------------------------------------------------------

    def plan_customers(self) -> None:
        specs = self.scenario["customers"]
        sales = self.role_holders.get("sales", [])
        first_contract: dict[str, int] = {}
        for spec in self.scenario["contracts"]:
            name = spec["customer"]
            first_contract[name] = max(first_contract.get(name, 0), int(spec["created"]))
        prospects = 0
        for spec in specs:
            rng = self.rng
            name, grade, stage = spec["name"], spec["grade"], spec["stage"]
            lang = _language(name)
            owner = spec["owner"]
            lateness = LATENESS[sales.index(owner) % len(LATENESS)] if owner in sales else (0,)
            moves: list[tuple[date, str]] = []
            exit_: tuple[date, str, str] | None = None
            neglect: date | None = None
            if stage == "prospect":
                ages = NEW_PROSPECT_DAYS if prospects % 2 == 0 else OLD_PROSPECT_DAYS
                created = self.ago(ages[(prospects // 2) % len(ages)])
                prospects += 1
            else:
                if name in first_contract:
                    # Negotiation reached a few days before the first contract was drafted.
                    settle_ago = first_contract[name] + rng.randint(2, 4)
                    created_ago = max(settle_ago + 16, rng.randint(*CREATED_DAYS))
                    exit_ago = None
                elif stage in SIDE_EXITS:
                    exit_ago = rng.randint(5, 25)
                    settle_ago = exit_ago + rng.randint(8, 20)
                    created_ago = rng.randint(
                        max(CREATED_DAYS[0], settle_ago + 16), CREATED_DAYS[1]
                    )
                else:
                    exit_ago = None
                    settle_ago = rng.randint(8, 30)
                    created_ago = rng.randint(*CREATED_DAYS)
                created = self.ago(created_ago)
                first_contact = _workday_back(
                    cadence.first_contact_due(self.policy, grade=grade, created=created)
                    + timedelta(days=rng.randint(0, 2))
                )
                if stage in SIDE_EXITS:
                    reached = rng.choice(
                        ("needs", "proposal", "negotiation")
                        if stage == "lost"
                        else ("contacted", "needs")
                    )
                    path = _path_to(reached)
                else:
                    path = _path_to(stage)
                days = _spread(first_contact, self.ago(settle_ago), len(path))
                moves = list(zip(days, path, strict=True))
                if exit_ago is not None:
                    reason = self.phrase(lang, f"{stage}_reasons")
                    exit_ = (self.ago(exit_ago), stage, reason)
                if name not in first_contract and rng.random() < NEGLECT_SHARE:
                    neglect = self.ago(rng.randint(15, 35))
            self.plans[name] = _CustomerPlan(
                spec=spec,
                lang=lang,
                owner=owner,
                created=created,
                moves=moves,
                exit=exit_,
                lateness=lateness,
                neglect_after=neglect,
            )
        for plan in self.plans.values():
            self.timeline.at(plan.created, partial(self.add_customer, plan))

    def add_customer(self, plan: _CustomerPlan, day: date) -> None:
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
            self.session,
            actor=self.users[plan.owner],
            name=spec["name"],
            grade=spec["grade"],
            owner=plan.owner,
            policy=self.policy,
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
            self.timeline.at(plan.moves[0][0], partial(self.touch, plan))

    def touch(self, plan: _CustomerPlan, day: date) -> None:
        """One follow-up: log it, take the pipeline steps due by now, schedule the next one."""
        customer = self.session.get(Customer, plan.customer_id)
        assert customer is not None
        lang = plan.lang
        exiting = plan.exit is not None and plan.exit[0] <= day and not plan.moves
        key = customer.stage if not exiting else plan.exit[1]  # type: ignore[index]
        outcome = self.phrase(lang, "outcomes") if self.rng.random() < 0.5 else None
        channels = list(self.policy.channels.get(customer.grade, ("phone",)))
        if lang == "zh":
            channels.append("wechat")
        owner = self.users[plan.owner]
        followups.log_followup(
            self.session,
            actor=owner,
            customer=plan.code,
            via=self.rng.choice(channels),
            summary=self.phrase(lang, key),
            contact=(plan.spec.get("contact") or {}).get("name"),
            outcome=outcome,
            policy=self.policy,
            today=day,
            now=self.moment(day),
        )
        while plan.moves and plan.moves[0][0] <= day:
            plan.moves.pop(0)
            customers.move_stage(
                self.session,
                actor=owner,
                ref=plan.code,
                step_next=True,
                policy=self.policy,
                today=day,
            )
        if exiting:
            assert plan.exit is not None
            _, stage, reason = plan.exit
            customers.move_stage(
                self.session,
                actor=owner,
                ref=plan.code,
                stage=stage,
                reason=reason,
                policy=self.policy,
                today=day,
            )
            return
        self.schedule_next(plan, day)

    def schedule_next(self, plan: _CustomerPlan, day: date) -> None:
        current = followups.open_followup(self.session, plan.customer_id)
        if current is None:
            return
        following = max(
            current.due + timedelta(days=self.rng.choice(plan.lateness)), day + timedelta(days=1)
        )
        candidates = [_workday_forward(following)]
        fixed = [d for d, _ in plan.moves[:1]] + ([plan.exit[0]] if plan.exit else [])
        candidates.extend(d for d in fixed if d > day)
        upcoming = min(candidates)
        if not fixed and plan.neglect_after is not None and upcoming > plan.neglect_after:
            return
        if upcoming >= self.today:
            return
        self.timeline.at(upcoming, partial(self.touch, plan))

    def plan_one_followup(self) -> None:
        """One follow-up planned by hand for a date, with its purpose (kind ``planned``)."""
        sales = self.role_holders.get("sales", [])
        for plan in self.plans.values():
            if plan.spec["stage"] == "proposal" and sales and plan.owner == sales[0]:
                followups.plan_followup(
                    self.session,
                    actor=self.users[plan.owner],
                    customer=plan.code,
                    due=self.today + timedelta(days=3),
                    purpose=PLANNED_PURPOSE[plan.lang],
                    today=self.today,
                )
                return

    # --- contracts ------------------------------------------------------------------------

    def plan_contracts(self) -> None:
        for index, spec in enumerate(self.scenario["contracts"]):
            self.plan_contract(index, spec)

    def plan_contract(self, index: int, spec: dict[str, Any]) -> None:
        plan = self.plans[spec["customer"]]
        owner = plan.owner
        at = self.timeline.at

        def number() -> str:
            return self.contract_numbers[index]

        request: dict[str, Any] = {}
        start = self.ago(spec["signed"]) if "signed" in spec else self.ago(spec["created"] - 14)
        if "end_in" in spec:
            end = self.today + timedelta(days=int(spec["end_in"]))
        else:
            end = add_months(start, int(spec.get("months", 12))) - timedelta(days=1)
        values = {
            str(k): (start + timedelta(days=v)).isoformat() if isinstance(v, int) else str(v)
            for k, v in (spec.get("fields") or {}).items()
        }

        def create(day: date) -> None:
            actor = self.users[owner]
            made = contracts.create_contract(
                self.session,
                actor=actor,
                customer=plan.code,
                type=spec["type"],
                title=spec["title"],
                amount=spec["amount"],
                risk=spec["risk"],
                start=start,
                end=end,
                template=spec.get("template"),
                values=values,
                policy=self.policy,
                today=day,
            )
            self.contract_numbers[index] = str(made["number"])
            for text in spec.get("notes", []):
                contracts.add_note(self.session, actor=actor, ref=number(), text=text)
            if spec.get("drafted"):
                templates.draft_contract(
                    self.session,
                    actor=actor,
                    contract=number(),
                    fmt="md",
                    policy=self.policy,
                    today=day,
                )

        at(self.ago(spec["created"]), create)

        if "submitted" in spec:

            def submit(day: date) -> None:
                done = contracts.submit_contract(
                    self.session,
                    actor=self.users[owner],
                    ref=number(),
                    policy=self.policy,
                    today=day,
                )
                request.update(id=done["request"], chain=list(done["chain"]))

            at(self.ago(spec["submitted"]), submit)
        for step, ago in enumerate(spec.get("approvals", [])):

            def approve(day: date, step: int = step) -> None:
                contracts.approve_request(
                    self.session,
                    actor=self.holder(request["chain"][step]),
                    ref=request["id"],
                    today=day,
                    policy=self.policy,
                )

            at(self.ago(ago), approve)
        if "rejected" in spec:

            def reject(day: date) -> None:
                step = len(spec.get("approvals", []))
                contracts.reject_request(
                    self.session,
                    actor=self.holder(request["chain"][step]),
                    ref=request["id"],
                    reason=spec["rejection"],
                    today=day,
                    policy=self.policy,
                )

            at(self.ago(spec["rejected"]), reject)
        if "signed" in spec:

            def sign(day: date) -> None:
                contracts.sign_contract(
                    self.session,
                    actor=self.users[owner],
                    ref=number(),
                    on=day,
                    signatory=spec["signatory"],
                    policy=self.policy,
                    today=day,
                )

            at(self.ago(spec["signed"]), sign)
        if "activated" in spec:

            def activate(day: date) -> None:
                contracts.activate_contract(
                    self.session,
                    actor=self.users[owner],
                    ref=number(),
                    policy=self.policy,
                    today=day,
                )

            at(self.ago(spec["activated"]), activate)
        planned_on = spec.get("activated", spec.get("signed", spec["created"]))
        for milestone in spec.get("milestone", []):
            self.plan_milestone(milestone, owner, number, self.ago(planned_on))
        if "dispute" in spec:

            def dispute(day: date) -> None:
                contracts.open_dispute(
                    self.session,
                    actor=self.users[owner],
                    ref=number(),
                    summary=spec["dispute_summary"],
                    today=day,
                )

            at(self.ago(spec["dispute"]), dispute)
        if "amended" in spec:

            def amend(day: date) -> None:
                contracts.amend_contract(
                    self.session,
                    actor=self.users[owner],
                    ref=number(),
                    changes={k: str(v) for k, v in spec["amendment"].items()},
                    reason=spec["amendment_reason"],
                    policy=self.policy,
                    today=day,
                )

            at(self.ago(spec["amended"]), amend)
        if "completed" in spec:

            def complete(day: date) -> None:
                contracts.complete_contract(
                    self.session, actor=self.users[owner], ref=number(), today=day
                )

            at(self.ago(spec["completed"]), complete)
        if "terminated" in spec:

            def terminate(day: date) -> None:
                contracts.terminate_contract(
                    self.session,
                    actor=self.users[owner],
                    ref=number(),
                    reason=spec["termination"],
                    today=day,
                )

            at(self.ago(spec["terminated"]), terminate)
        if "archived" in spec:

            def archive(day: date) -> None:
                contracts.archive_contract(
                    self.session,
                    actor=self.users[owner],
                    ref=number(),
                    reason=spec["archive_reason"],
                    today=day,
                )

            at(self.ago(spec["archived"]), archive)

    def plan_milestone(
        self, spec: dict[str, Any], owner: str, number: Callable[[], str], planned: date
    ) -> None:
        ids: list[int] = []

        def add(day: date) -> None:
            row = contracts.add_milestone(
                self.session,
                actor=self.users[owner],
                ref=number(),
                kind=spec["kind"],
                due=self.today + timedelta(days=int(spec["due"])),
                amount=spec.get("amount"),
                note=spec.get("note"),
                today=day,
            )
            ids.append(int(row["id"]))

        self.timeline.at(planned, add)
        if "done" in spec:
            # Finance records payments; the contract's owner records the rest.
            who = "finance" if spec["kind"] == "payment" and "finance" in self.role_holders else ""

            def done(day: date) -> None:
                actor = self.holder(who) if who else self.users[owner]
                contracts.complete_milestone(self.session, actor=actor, ref=ids[0], today=day)

            self.timeline.at(max(self.ago(int(spec["done"])), planned), done)

    # --- checks ---------------------------------------------------------------------------

    def check(self) -> None:
        """The scenario must end where its files say: stages and contract states."""
        problems = []
        for plan in self.plans.values():
            customer = self.session.get(Customer, plan.customer_id)
            assert customer is not None
            if customer.stage != plan.spec["stage"]:
                problems.append(
                    f"customer {plan.spec['name']}: ended at {customer.stage}, "
                    f"expected {plan.spec['stage']}"
                )
        for index, spec in enumerate(self.scenario["contracts"]):
            row = self.session.execute(
                select(Contract).where(col(Contract.number) == self.contract_numbers[index])
            ).scalar_one()
            if row.status != spec["state"]:
                problems.append(
                    f"contract {spec['title']}: ended {row.status}, expected {spec['state']}"
                )
        if problems:
            raise ValueError("the demo scenario is inconsistent: " + "; ".join(problems))


# ---------------------------------------------------------------------------------------------
# Entry points


def build_demo(
    session: Session, *, policy: Policy, today: date, scenario: dict[str, Any] | None = None
) -> DemoSummary:
    """Build the demo in an empty database, inside the caller's write transaction."""
    if users.count_users(session):
        raise Conflict(
            "the demo needs an empty database: this one already has users; "
            "give `bizops demo` another --db (or --force to rebuild the demo file)"
        )
    builder = _Builder(session, policy=policy, today=today, scenario=scenario or load_scenario())
    builder.add_team()
    builder.plan_customers()
    builder.plan_contracts()
    builder.timeline.run()
    builder.plan_one_followup()
    builder.check()
    draft = next(
        (
            builder.contract_numbers[i]
            for i, spec in enumerate(builder.scenario["contracts"])
            if spec.get("drafted")
        ),
        next(iter(builder.contract_numbers.values()), ""),
    )
    sales = builder.role_holders.get("sales", [])
    manager = (builder.role_holders.get("manager") or builder.role_holders.get("admin") or [""])[0]
    return summarize(session, today=today, sales=sales, manager=manager, draft_contract=draft)


def _count(session: Session, query: Any) -> int:
    return int(session.execute(query).scalar_one())


def _group(session: Session, column: Any, *where: Any) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).where(*where).group_by(column)).all()
    return {str(k): int(n) for k, n in rows}


def summarize(
    session: Session, *, today: date, sales: list[str], manager: str, draft_contract: str
) -> DemoSummary:
    """Counts of what the demo holds, for the closing message and the tests."""
    active = col(Customer.archived_on).is_(None)
    counts = {
        "users": _count(session, select(func.count()).select_from(User)),
        "customers": _count(session, select(func.count()).select_from(Customer)),
        "interactions": _count(session, select(func.count()).select_from(Interaction)),
        "followups_done": _count(
            session, select(func.count()).where(col(FollowUp.status) == followups.DONE)
        ),
        "followups_late": _count(
            session,
            select(func.count()).where(
                col(FollowUp.status) == followups.DONE, col(FollowUp.on_time).is_(False)
            ),
        ),
        "followups_overdue": _count(
            session,
            select(func.count()).where(
                col(FollowUp.status) == followups.OPEN, col(FollowUp.due) < today
            ),
        ),
        "never_contacted": _count(
            session,
            select(func.count()).where(active, col(Customer.last_contact_on).is_(None)),
        ),
        "contracts": _count(session, select(func.count()).select_from(Contract)),
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
        "milestones_open": _count(
            session, select(func.count()).where(col(Milestone.done_on).is_(None))
        ),
        "milestones_overdue": _count(
            session,
            select(func.count())
            .select_from(Milestone)
            .join(Contract, col(Contract.id) == col(Milestone.contract_id))
            .where(
                col(Milestone.done_on).is_(None),
                col(Milestone.due) < today,
                col(Contract.status).in_(("signed", "active")),
            ),
        ),
        "disputes_open": _count(
            session, select(func.count()).where(col(Dispute.status) == contracts.DISPUTE_OPEN)
        ),
        "audit_events": _count(session, select(func.count()).select_from(AuditEvent)),
    }
    _, problems = verify_chain(session)
    return DemoSummary(
        today=today,
        counts=counts,
        customers_by_stage=_group(session, col(Customer.stage)),
        customers_by_grade=_group(session, col(Customer.grade)),
        contracts_by_status=_group(session, col(Contract.status)),
        sales=list(sales),
        manager=manager,
        draft_contract=draft_contract,
        team=[
            (str(login), str(roles))
            for login, roles in session.execute(
                select(col(User.login), col(User.roles)).order_by(col(User.id))
            )
        ],
        audit_problems=[p.problem for p in problems],
    )


def stage_counts(summary: DemoSummary) -> list[tuple[str, int]]:
    """Customers per stage in pipeline order, then the side exits."""
    order = list(PIPELINE) + list(SIDE_EXITS)
    counter = Counter(summary.customers_by_stage)
    return [(stage, counter[stage]) for stage in order if counter[stage]]
