"""The demo's price list and quotations: an accepted quote before every step into
negotiation (as ``pipeline.quote_before_negotiation`` asks), and quotes in every state for
the customers still at the proposal stage.

No random choices here: the rest of the demo draws from one random sequence, which these
quotes must not shift.
"""

from __future__ import annotations

from datetime import date, timedelta

from bizops.services import quotes
from bizops.services.demo.builder import Builder, CustomerPlan

PRODUCTS = (
    # code, name, spec, unit, price, floor price, tax rate
    ("P-100", "数控车床", "CK6140", "台", "120000", "100000", "13"),
    ("P-200", "伺服电机", "1.5kW", "台", "4800", "4000", "13"),
    ("S-010", "安装调试服务", None, "次", "5000", None, "6"),
)


def add_products(b: Builder) -> None:
    keeper = b.holder("manager")
    for code, name, spec, unit, price, floor, tax in PRODUCTS:
        quotes.add_product(
            b.session,
            actor=keeper,
            code=code,
            name=name,
            spec=spec,
            unit=unit,
            price=price,
            floor_price=floor,
            tax_rate=tax,
            policy=b.policy,
            today=b.today - timedelta(days=365),
        )


def _quote(
    b: Builder, plan: CustomerPlan, day: date, *, discount: str, valid_days: int = 30
) -> str:
    owner = b.users[plan.owner]
    view = quotes.new_quote(
        b.session,
        actor=owner,
        customer=plan.code,
        valid_until=(day + timedelta(days=valid_days)).isoformat(),
        template="quote-zh" if plan.lang == "zh" else "quote-en",
        payment="预付30%，发货前付清余款"
        if plan.lang == "zh"
        else "30% in advance, rest before delivery",
        delivery="合同签订后30天内交货" if plan.lang == "zh" else "within 30 days of the contract",
        policy=b.policy,
        today=day,
    )
    number = view["number"]
    for product, qty in (("P-100", "1"), ("P-200", "4"), ("S-010", "1")):
        quotes.add_line(
            b.session,
            actor=owner,
            ref=number,
            product=product,
            qty=qty,
            discount=discount if product != "S-010" else None,
            policy=b.policy,
            today=day,
        )
    return number


def _approve(b: Builder, number: str, day: date) -> None:
    from bizops.services.contracts import approve_request

    for role in ("manager", "gm"):
        view = approve_request(
            b.session, actor=b.holder(role), ref=number, policy=b.policy, today=day
        )
        if view["status"] != "pending":
            return


def _to(b: Builder, plan: CustomerPlan, number: str, day: date, moves: tuple[str, ...]) -> None:
    owner = b.users[plan.owner]
    for move in moves:
        if move == "approve":
            _approve(b, number, day)
        elif move == "reject":
            quotes.reject_quote(
                b.session,
                actor=owner,
                ref=number,
                reason="价格高于竞品" if plan.lang == "zh" else "a competitor was cheaper",
                policy=b.policy,
                today=day,
            )
        else:
            getattr(quotes, f"{move}_quote")(
                b.session, actor=owner, ref=number, policy=b.policy, today=day
            )


def accepted_quote(b: Builder, plan: CustomerPlan, day: date) -> None:
    """A quote at 3% off (no approval needed), sent and accepted on ``day``."""
    number = _quote(b, plan, day, discount="3")
    _to(b, plan, number, day, ("submit", "send", "accept"))


# For the customers at proposal, in order: a quote in each state (discount, moves, age).
STATES: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("0", (), 1),  # draft
    ("10", ("submit",), 2),  # pending_approval: the manager's
    ("18", ("submit",), 1),  # pending_approval: manager, then gm
    ("8", ("submit", "approve"), 3),  # approved
    ("5", ("submit", "send"), 6),  # sent
    ("12", ("submit", "approve", "send", "reject"), 12),  # rejected
    ("5", ("submit", "send"), 45),  # expired (valid 30 days)
)


def quotes_in_every_state(b: Builder) -> None:
    at_proposal = [p for p in b.plans.values() if p.spec["stage"] == "proposal"]
    for plan, (discount, moves, age) in zip(at_proposal, STATES, strict=False):
        day = b.ago(age)
        number = _quote(b, plan, day, discount=discount)
        _to(b, plan, number, day, moves)
