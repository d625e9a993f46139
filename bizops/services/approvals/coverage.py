"""Whether someone can approve each step of a chain: an active holder of the step's role whose
approval limit covers the amount (only at the last step when the rule says ``limits = "last"``).

A route that no one can approve would deadlock a request; `approval route` warns about it and
`contract submit` refuses it, naming the step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.approval_steps import ANY, chain_steps, limit_applies
from bizops.domain.money import format_amount
from bizops.i18n import _
from bizops.store.models import User


@dataclass(frozen=True)
class Uncovered:
    step: int
    label: str
    roles: tuple[str, ...]  # the roles of the step that no one can take

    def message(self, amount: Decimal) -> str:
        return _(
            "step {step} ({label}): no active user holding {roles} has an approval limit "
            "that covers {amount}"
        ).format(
            step=self.step,
            label=self.label,
            roles=_(" or ").join(self.roles),
            amount=format_amount(amount),
        )


def _covering_roles(users: Sequence[User], amount: Decimal, *, with_limit: bool) -> set[str]:
    out: set[str] = set()
    for user in users:
        limit = user.approval_limit
        if not with_limit or limit is None or limit >= amount:
            out.update(user.role_list)
    return out


def uncovered_steps(
    session: Session, *, chain: Sequence[str], amount: Decimal, limits: str
) -> list[Uncovered]:
    """The steps of ``chain`` that no active user can approve for ``amount``."""
    users = list(session.execute(select(User).where(col(User.active).is_(True))).scalars())
    steps = chain_steps(chain)
    out = []
    for seq, step in enumerate(steps, start=1):
        with_limit = limit_applies(limits, step=seq, last_step=len(steps))
        able = _covering_roles(users, amount, with_limit=with_limit)
        missing = tuple(r for r in step.roles if r not in able)
        blocked = len(missing) == len(step.roles) if step.mode == ANY else bool(missing)
        if blocked:
            out.append(Uncovered(seq, step.label, missing))
    return out
