"""Contract numbers, from the policy's pattern (``HT-{year}-{seq:04d}`` by default)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.errors import Conflict, Invalid
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.store.counters import next_value
from bizops.store.models import Contract

MAX_NUMBER_LENGTH = 40


def counter_name(pattern: str, *, today: date, contract_type: str) -> str:
    """One sequence per distinct set of placeholders the pattern shows (per year by default)."""
    parts = ["contract"]
    if "{year" in pattern:
        parts.append(str(today.year))
    if "{month" in pattern:
        parts.append(f"{today.month:02d}")
    if "{type" in pattern:
        parts.append(contract_type)
    return "-".join(parts)


def next_number(session: Session, *, policy: Policy, today: date, contract_type: str) -> str:
    pattern = policy.contract_number
    seq = next_value(session, counter_name(pattern, today=today, contract_type=contract_type))
    number = pattern.format(year=today.year, month=today.month, seq=seq, type=contract_type)
    number = number.strip().upper()
    if len(number) > MAX_NUMBER_LENGTH:
        raise Invalid(
            _("numbering.contract: {number!r} is longer than {most} characters").format(
                number=number, most=MAX_NUMBER_LENGTH
            )
        )
    if session.execute(select(col(Contract.id)).where(col(Contract.number) == number)).first():
        raise Conflict(
            _(
                "contract number {number} is already taken; check numbering.contract in the policy"
            ).format(number=number)
        )
    return number
