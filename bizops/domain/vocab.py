"""The closed lists of the product: grades, stages, channels, contract types, risks."""

from __future__ import annotations

from bizops.domain.errors import Invalid

GRADES: tuple[str, ...] = ("A", "B", "C")
# The closed loop of seed C1, in order; ``lost`` and ``dormant`` are side exits.
PIPELINE: tuple[str, ...] = (
    "prospect",
    "contacted",
    "needs",
    "proposal",
    "negotiation",
    "signed",
    "maintenance",
)
SIDE_EXITS: tuple[str, ...] = ("lost", "dormant")
STAGES: tuple[str, ...] = PIPELINE + SIDE_EXITS
INTENTS: tuple[str, ...] = ("high", "medium", "low")
CHANNELS: tuple[str, ...] = ("phone", "email", "visit", "meeting", "wechat", "other")
CONTRACT_TYPES: tuple[str, ...] = ("sales", "purchase", "service", "nda", "framework")
RISKS: tuple[str, ...] = ("low", "medium", "high")
MILESTONE_KINDS: tuple[str, ...] = ("payment", "delivery", "acceptance", "other")
ATTACHMENT_KINDS: tuple[str, ...] = ("signed", "draft", "other")


def one_of(value: str | None, allowed: tuple[str, ...], field: str, *, upper: bool = False) -> str:
    """Return ``value`` normalised if it is one of ``allowed``, else an ``Invalid`` naming them."""
    text = (value or "").strip()
    text = text.upper() if upper else text.lower()
    if text not in allowed:
        shown = value if value not in (None, "") else "(empty)"
        raise Invalid(f"{field}: unknown value {shown!r}; accepted: {', '.join(allowed)}")
    return text
