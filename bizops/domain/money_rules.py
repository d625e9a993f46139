"""Money in and out, as pure rules: how a receipt is spread over payment milestones, the tax
inside an amount, what is past due and in which aging bucket, and DSO.

Every amount is a Decimal with two places; nothing here rounds except ``tax_included``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from bizops.domain.errors import Invalid
from bizops.domain.money import CENT
from bizops.i18n import N_, _

ZERO = Decimal("0.00")

# Who pays whom: we receive on these contract types and pay on purchase contracts.
INCOMING_TYPES: tuple[str, ...] = ("sales", "service")
OUTGOING_TYPES: tuple[str, ...] = ("purchase",)

INVOICE_TYPES: tuple[str, ...] = ("special", "normal", "electronic")
RECEIPT_METHODS: tuple[str, ...] = ("transfer", "acceptance_bill", "cash", "other")

# Invoice states: requested by the owner, issued by finance, void.
REQUESTED = "requested"
ISSUED = "issued"
VOID = "void"

# Payment (purchase) and write-off states.
PENDING_APPROVAL = "pending_approval"
APPROVED = "approved"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
PAID = "paid"

# Aging buckets by days past due; a day not yet due is "current" and in no bucket.
AGING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("aging_0_30", 1, 30),
    ("aging_31_60", 31, 60),
    ("aging_61_90", 61, 90),
    ("aging_over_90", 91, None),
)
AGING_LABELS = {
    "aging_0_30": N_("0-30 days"),
    "aging_31_60": N_("31-60 days"),
    "aging_61_90": N_("61-90 days"),
    "aging_over_90": N_("over 90 days"),
}
# DSO looks at what was invoiced in this many days up to the report's day.
DSO_WINDOW_DAYS = 90


@dataclass(frozen=True)
class OpenItem:
    """Something still to be received or paid: a payment milestone's open part."""

    key: int
    due: date
    open: Decimal


def allocate(
    amount: Decimal, items: Sequence[OpenItem]
) -> tuple[list[tuple[int, Decimal]], Decimal]:
    """Spread ``amount`` over ``items`` oldest due first (then by key): the part each takes,
    and what is left over."""
    left = amount
    taken: list[tuple[int, Decimal]] = []
    for item in sorted(items, key=lambda i: (i.due, i.key)):
        if left <= 0:
            break
        part = min(left, item.open)
        if part > 0:
            taken.append((item.key, part))
            left -= part
    return taken, left


def parse_rate(text: str | Decimal, *, field: str = "--tax-rate") -> Decimal:
    """A tax rate as a fraction: ``13%``, ``13`` and ``0.13`` all read as 0.13."""
    raw = str(text).strip().replace("％", "%")
    percent = raw.endswith("%")
    try:
        value = Decimal(raw.rstrip("%").strip())
    except InvalidOperation:
        raise Invalid(
            _("{field}: cannot read {value!r} as a rate; use 13%, 13 or 0.13").format(
                field=field, value=str(text)
            )
        ) from None
    if not value.is_finite() or value < 0:
        raise Invalid(
            _("{field}: {value!r} is not a rate; use 13%, 13 or 0.13").format(
                field=field, value=str(text)
            )
        )
    if percent or value >= 1:
        value = value / 100
    if value >= 1:
        raise Invalid(_("{field}: a tax rate must be under 100%").format(field=field))
    return value.normalize() if value else Decimal(0)


def tax_included(amount: Decimal, rate: Decimal) -> Decimal:
    """The tax inside an amount that includes it: amount - amount / (1 + rate), to the cent,
    half up (价税合计 -> 税额)."""
    net = amount / (Decimal(1) + rate)
    return (amount - net).quantize(CENT, rounding=ROUND_HALF_UP)


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """An amount in another currency at ``rate`` (contract currency per unit), to the cent."""
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def days_past_due(due: date, on: date) -> int:
    return max((on - due).days, 0)


def bucket_of(days: int) -> str | None:
    """The aging bucket of an amount ``days`` past due (``None`` when not yet due)."""
    for name, low, high in AGING_BUCKETS:
        if days >= low and (high is None or days <= high):
            return name
    return None


def aging(items: Iterable[OpenItem], on: date) -> dict[str, Decimal]:
    """The open amounts by aging bucket on ``on``, plus ``overdue``, their total."""
    out = {name: ZERO for name, _low, _high in AGING_BUCKETS}
    for item in items:
        name = bucket_of(days_past_due(item.due, on))
        if name is not None and item.open > 0:
            out[name] += item.open
    out["overdue"] = sum((out[name] for name, _l, _h in AGING_BUCKETS), ZERO)
    return out


def dso(receivable: Decimal, invoiced_in_window: Decimal) -> Decimal | None:
    """Days sales outstanding: what is invoiced and not yet received, divided by what was
    invoiced in the last ``DSO_WINDOW_DAYS`` days, times those days; one decimal. ``None``
    when nothing was invoiced in the window."""
    if invoiced_in_window <= 0:
        return None
    value = receivable / invoiced_in_window * DSO_WINDOW_DAYS
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def collection_rate(received: Decimal, amount: Decimal) -> Decimal | None:
    """Received as a percentage of the amount, one decimal."""
    if amount <= 0:
        return None
    return (received / amount * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def positive(value: Decimal, field: str) -> Decimal:
    if value <= 0:
        raise Invalid(
            _("{field}: {amount} is not an amount to record; it must be greater than zero").format(
                field=field, amount=f"{value:.2f}"
            )
        )
    return value


def parse_rate_value(text: str | Decimal, *, field: str = "--rate") -> Decimal:
    """An exchange rate: a positive number (units of the contract's currency per unit)."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise Invalid(
            _("{field}: cannot read {value!r} as a rate").format(field=field, value=str(text))
        ) from None
    if not value.is_finite() or value <= 0:
        raise Invalid(
            _("{field}: {value!r} is not a rate; it must be greater than zero").format(
                field=field, value=str(text)
            )
        )
    return value
