"""The demo's contracts: drafted from the template library, submitted, approved or rejected,
signed, performed, amended, disputed, completed, terminated and archived, each step on the
day the scenario gives (in days before today)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any

from bizops.domain.approval_steps import ALL, parse_step
from bizops.domain.dates import add_months
from bizops.services import contracts, money, templates
from bizops.services.demo.builder import Builder, CustomerPlan
from bizops.services.lookup import find_contract
from bizops.store.models import User


@dataclass
class _Contract:
    """One contract of the scenario and the steps of its life, each run on its day."""

    b: Builder
    index: int
    spec: dict[str, Any]
    customer: CustomerPlan  # its code is known once the customer has been added
    request: dict[str, Any] = field(default_factory=dict)

    @property
    def number(self) -> str:
        return self.b.contract_numbers[self.index]

    @property
    def actor(self) -> User:
        return self.b.users[self.customer.owner]

    def dates(self) -> tuple[date, date, dict[str, str]]:
        """(start, end, the template's field values): dates count from the start."""
        spec, b = self.spec, self.b
        start = b.ago(spec["signed"]) if "signed" in spec else b.ago(spec["created"] - 14)
        if "end_in" in spec:
            end = b.today + timedelta(days=int(spec["end_in"]))
        else:
            end = add_months(start, int(spec.get("months", 12))) - timedelta(days=1)
        values = {
            str(k): (start + timedelta(days=v)).isoformat() if isinstance(v, int) else str(v)
            for k, v in (spec.get("fields") or {}).items()
        }
        return start, end, values

    def create(self, day: date) -> None:
        spec, b = self.spec, self.b
        start, end, values = self.dates()
        made = contracts.create_contract(
            b.session,
            actor=self.actor,
            customer=self.customer.code,
            type=spec["type"],
            title=spec["title"],
            amount=spec["amount"],
            risk=spec["risk"],
            start=start,
            end=end,
            template=spec.get("template"),
            values=values,
            policy=b.policy,
            today=day,
        )
        b.contract_numbers[self.index] = str(made["number"])
        for text in spec.get("notes", []):
            contracts.add_note(b.session, actor=self.actor, ref=self.number, text=text)
        if spec.get("drafted"):
            templates.draft_contract(
                b.session,
                actor=self.actor,
                contract=self.number,
                fmt="md",
                policy=b.policy,
                today=day,
            )

    def submit(self, day: date) -> None:
        done = contracts.submit_contract(
            self.b.session, actor=self.actor, ref=self.number, policy=self.b.policy, today=day
        )
        self.request.update(id=done["request"], chain=list(done["chain"]))

    def approve(self, step: int, day: date) -> None:
        label = parse_step(self.request["chain"][step])
        # A 会签 step: each of its roles approves; a 或签 step: its first role.
        for role in label.roles if label.mode == ALL else label.roles[:1]:
            contracts.approve_request(
                self.b.session,
                actor=self.b.holder(role),
                ref=self.request["id"],
                today=day,
                policy=self.b.policy,
            )

    def seal(self, day: date) -> None:
        contracts.seal_contract(
            self.b.session,
            actor=self.b.holder("seal_keeper"),
            ref=self.number,
            seal=self.spec.get("seal", "contract"),
            copies=int(self.spec.get("copies", 2)),
            today=day,
        )

    def reject(self, day: date) -> None:
        step = len(self.spec.get("approvals", []))
        contracts.reject_request(
            self.b.session,
            actor=self.b.holder(self.request["chain"][step]),
            ref=self.request["id"],
            reason=self.spec["rejection"],
            today=day,
            policy=self.b.policy,
        )

    def sign(self, day: date) -> None:
        contracts.sign_contract(
            self.b.session,
            actor=self.actor,
            ref=self.number,
            on=day,
            signatory=self.spec["signatory"],
            policy=self.b.policy,
            today=day,
        )

    def activate(self, day: date) -> None:
        contracts.activate_contract(
            self.b.session, actor=self.actor, ref=self.number, policy=self.b.policy, today=day
        )

    def dispute(self, day: date) -> None:
        contracts.open_dispute(
            self.b.session,
            actor=self.actor,
            ref=self.number,
            summary=self.spec["dispute_summary"],
            today=day,
        )

    def amend(self, day: date) -> None:
        contracts.amend_contract(
            self.b.session,
            actor=self.actor,
            ref=self.number,
            changes={k: str(v) for k, v in self.spec["amendment"].items()},
            reason=self.spec["amendment_reason"],
            policy=self.b.policy,
            today=day,
        )

    def complete(self, day: date) -> None:
        # The customer paid the balance before the contract completes.
        contract = find_contract(self.b.session, self.number)
        left = money.totals(self.b.session, contract).outstanding
        if money.outstanding_text(self.b.session, contract) is not None:
            money.add_receipt(
                self.b.session,
                actor=self.b.holder("finance"),
                ref=self.number,
                amount=left,
                on=day,
                bank_ref=f"DEMO-{self.number}-FINAL",
                today=day,
            )
        contracts.complete_contract(self.b.session, actor=self.actor, ref=self.number, today=day)

    def terminate(self, day: date) -> None:
        contracts.terminate_contract(
            self.b.session,
            actor=self.actor,
            ref=self.number,
            reason=self.spec["termination"],
            today=day,
        )

    def archive(self, day: date) -> None:
        contracts.archive_contract(
            self.b.session,
            actor=self.actor,
            ref=self.number,
            reason=self.spec["archive_reason"],
            today=day,
        )


# The steps after approval, in the order they are planned (which orders steps on one day).
_BEFORE_MILESTONES: tuple[tuple[str, Callable[[_Contract, date], None]], ...] = (
    ("rejected", _Contract.reject),
    ("sealed", _Contract.seal),
    ("signed", _Contract.sign),
    ("activated", _Contract.activate),
)
_AFTER_MILESTONES: tuple[tuple[str, Callable[[_Contract, date], None]], ...] = (
    ("dispute", _Contract.dispute),
    ("amended", _Contract.amend),
    ("completed", _Contract.complete),
    ("terminated", _Contract.terminate),
    ("archived", _Contract.archive),
)


def plan_contract(b: Builder, index: int, spec: dict[str, Any]) -> None:
    plan = b.plans[spec["customer"]]
    run = _Contract(b, index, spec, plan)
    at = b.timeline.at
    at(b.ago(spec["created"]), run.create)
    if "submitted" in spec:
        at(b.ago(spec["submitted"]), run.submit)
    for step, ago in enumerate(spec.get("approvals", [])):
        at(b.ago(ago), partial(run.approve, step))
    for key, action in _BEFORE_MILESTONES:
        if key in spec:
            at(b.ago(spec[key]), partial(action, run))
    planned_on = spec.get("activated", spec.get("signed", spec["created"]))
    for milestone in spec.get("milestone", []):
        _plan_milestone(run, milestone, b.ago(planned_on))
    for key, action in _AFTER_MILESTONES:
        if key in spec:
            at(b.ago(spec[key]), partial(action, run))


def _plan_milestone(run: _Contract, spec: dict[str, Any], planned: date) -> None:
    b = run.b
    ids: list[int] = []

    def add(day: date) -> None:
        row = contracts.add_milestone(
            b.session,
            actor=run.actor,
            ref=run.number,
            kind=spec["kind"],
            due=b.today + timedelta(days=int(spec["due"])),
            amount=spec.get("amount"),
            note=spec.get("note"),
            today=day,
        )
        ids.append(int(row["id"]))

    b.timeline.at(planned, add)
    if "done" in spec:
        # Finance records payments; the contract's owner records the rest.
        who = "finance" if spec["kind"] == "payment" and "finance" in b.role_holders else ""

        def done(day: date) -> None:
            actor = b.holder(who) if who else run.actor
            if spec["kind"] == "payment" and spec.get("amount"):
                # A payment milestone is done when its money is recorded.
                money.add_receipt(
                    b.session,
                    actor=actor,
                    ref=run.number,
                    amount=spec["amount"],
                    on=day,
                    milestone=ids[0],
                    bank_ref=f"DEMO-{run.number}-M{ids[0]}",
                    today=day,
                )
                return
            contracts.complete_milestone(b.session, actor=actor, ref=ids[0], today=day)

        b.timeline.at(max(b.ago(int(spec["done"])), planned), done)


def plan_contracts(b: Builder) -> None:
    for index, spec in enumerate(b.scenario["contracts"]):
        plan_contract(b, index, spec)
