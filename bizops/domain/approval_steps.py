"""The shape of a step in an approval chain: one role, or a group of roles.

A chain is a tuple of step labels, one per step, so that a request snapshots it as a plain
list of text (``["manager", "legal+finance", "gm"]``):

- ``legal``: one role; any holder of it decides.
- ``legal+finance``: 会签 (countersign), every role of the group approves, in any order.
- ``legal|gm``: 或签 (any-sign), one approval from any role of the group completes the step.

The policy writes a group as ``{all = ["legal", "finance"]}`` or ``{any = ["legal", "gm"]}``.
Roles are lowercase words, so ``+`` and ``|`` cannot be part of a role.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bizops.i18n import _

ONE = "one"
ALL = "all"
ANY = "any"
MODES: tuple[str, ...] = (ONE, ALL, ANY)
_SEPARATOR = {ALL: "+", ANY: "|"}

# Per rule: whether approval limits apply at every step or only at the last one.
LIMITS_EVERY = "every"
LIMITS_LAST = "last"
LIMIT_MODES: tuple[str, ...] = (LIMITS_EVERY, LIMITS_LAST)


@dataclass(frozen=True)
class ChainStep:
    mode: str  # one | all | any
    roles: tuple[str, ...]

    @property
    def label(self) -> str:
        if self.mode == ONE:
            return self.roles[0]
        return _SEPARATOR[self.mode].join(self.roles)

    @property
    def is_group(self) -> bool:
        return self.mode != ONE

    def describe(self) -> str:
        """In words, for people: ``legal``, ``all of legal, finance`` (会签)."""
        if self.mode == ONE:
            return self.roles[0]
        names = _(", ").join(self.roles)
        if self.mode == ALL:
            return _("all of {roles}").format(roles=names)
        return _("any of {roles}").format(roles=names)


def parse_step(label: str) -> ChainStep:
    """A step from its label (``legal``, ``legal+finance``, ``legal|gm``)."""
    for mode, sep in _SEPARATOR.items():
        if sep in label:
            return ChainStep(mode, tuple(r for r in label.split(sep) if r))
    return ChainStep(ONE, (label,))


def chain_steps(chain: Sequence[str]) -> list[ChainStep]:
    return [parse_step(label) for label in chain]


def chain_roles(chain: Sequence[str]) -> list[str]:
    """Every role named anywhere in the chain, in order."""
    return [role for step in chain_steps(chain) for role in step.roles]


def group_label(mode: str, roles: Sequence[str]) -> str:
    return ChainStep(mode, tuple(roles)).label


def limit_applies(limits: str | None, *, step: int, last_step: int) -> bool:
    """Whether an approver's limit must cover the amount at ``step``."""
    return limits != LIMITS_LAST or step >= last_step


def step_complete(mode: str | None, statuses: Sequence[str]) -> bool:
    """Whether a step is done once its rows have ``statuses``: all approved for one role or
    会签, one approved for 或签."""
    if (mode or ONE) == ANY:
        return "approved" in statuses
    return all(s == "approved" for s in statuses)
