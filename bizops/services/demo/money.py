"""Money in the demo (bizops/library/demo/money.toml): payment milestones, receipts, invoices
and supplier payments, recorded through the money services on the demo's last day, after
every other event, so that contracts, requests and milestones keep their numbers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bizops.services import approvals, contracts, money
from bizops.services.demo.builder import Builder
from bizops.services.lookup import find_contract
from bizops.store.models import User


class _Money:
    def __init__(self, b: Builder) -> None:
        self.b = b
        self.titles = {spec["title"]: i for i, spec in enumerate(b.scenario["contracts"])}

    def number(self, title: str) -> str:
        """A contract's number, known once the timeline created it."""
        return self.b.contract_numbers[self.titles[title]]

    def owner(self, number: str) -> User:
        contract = find_contract(self.b.session, number)
        return next(u for u in self.b.users.values() if u.id == contract.owner_id)

    def milestone(self, spec: dict[str, Any]) -> None:
        number = self.number(spec["contract"])
        contracts.add_milestone(
            self.b.session,
            actor=self.owner(number),
            ref=number,
            kind=spec["kind"],
            due=self.b.today + timedelta(days=int(spec["due"])),
            amount=spec.get("amount"),
            note=spec.get("note"),
            today=self.b.today,
        )

    def receipt(self, spec: dict[str, Any]) -> None:
        money.add_receipt(
            self.b.session,
            actor=self.b.holder("finance"),
            ref=self.number(spec["contract"]),
            amount=spec["amount"],
            on=self.b.ago(int(spec["on"])),
            bank_ref=spec["ref"],
            advance=bool(spec.get("advance")),
            today=self.b.ago(int(spec["on"])),
        )

    def invoice(self, spec: dict[str, Any]) -> None:
        b, number = self.b, self.number(spec["contract"])
        # Requested and issued on the same day (finance issues on request), or today.
        day = b.ago(int(spec.get("on", 0)))
        row = money.request_invoice(
            b.session,
            actor=self.owner(number),
            ref=number,
            amount=spec["amount"],
            type=spec["type"],
            today=day,
        )
        if "number" not in spec:
            return
        finance = b.holder("finance")
        money.issue_invoice(
            b.session,
            actor=finance,
            ref=row["id"],
            number=spec["number"],
            on=day,
            tax_rate=spec["tax_rate"],
            today=day,
        )
        if "void" in spec:
            money.void_invoice(
                b.session, actor=finance, ref=row["id"], reason=spec["void"], today=day
            )

    def payment(self, spec: dict[str, Any]) -> None:
        b, number = self.b, self.number(spec["contract"])
        row = money.request_payment(
            b.session,
            actor=self.owner(number),
            ref=number,
            amount=spec["amount"],
            due=b.today + timedelta(days=int(spec["due"])),
            policy=b.policy,
            today=b.today,
        )
        if spec.get("approved") and row["request"] is not None:
            self._approve(row["request"])
        if "paid" in spec:
            money.pay_payment(
                b.session,
                actor=b.holder("finance"),
                ref=row["id"],
                on=b.today,
                bank_ref=spec["ref"],
                today=b.today,
            )

    def _approve(self, request_id: int) -> None:
        """Each step of the payment's request, by the first holder of its role."""
        b = self.b
        chain = approvals.show_request(b.session, ref=request_id, today=b.today)["chain"]
        for role in chain:
            contracts.approve_request(
                b.session, actor=b.holder(str(role)), ref=request_id, policy=b.policy, today=b.today
            )


def plan_money(b: Builder) -> None:
    """Record the demo's money on its last day, after everything else planned so far."""
    data = b.scenario.get("money") or {}
    run = _Money(b)

    def record(_day: Any) -> None:
        for spec in data.get("milestone", []):
            run.milestone(spec)
        for spec in data.get("receipt", []):
            run.receipt(spec)
        for spec in data.get("invoice", []):
            run.invoice(spec)
        for spec in data.get("payment", []):
            run.payment(spec)

    b.timeline.at(b.today, record)
