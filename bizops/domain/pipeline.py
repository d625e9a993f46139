"""Stage moves along the pipeline, as pure rules.

The pipeline runs prospect -> contacted -> needs -> proposal -> negotiation -> signed ->
maintenance; ``lost`` and ``dormant`` are side exits. One step forward (``--next``) needs no
reason; every other move (a skip, a move back, leaving to lost or dormant, reopening from
lost or dormant) needs one. ``signed`` needs a signed contract, and so does ``maintenance``
from before signed. A new customer starts anywhere but at those two (``check_starting_stage``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bizops.domain.errors import Conflict, Invalid
from bizops.domain.vocab import PIPELINE, SIDE_EXITS, STAGES, one_of
from bizops.i18n import N_, _

NEGOTIATION = "negotiation"
SIGNED = "signed"
MAINTENANCE = "maintenance"
# The stages that come after signing: reaching one needs a signed contract.
NEEDS_SIGNED_CONTRACT: tuple[str, ...] = (SIGNED, MAINTENANCE)
# Contract statuses that mean "this customer has signed": with a signing date.
SIGNED_CONTRACT_STATUSES: tuple[str, ...] = ("signed", "active", "completed", "archived")


class Move(StrEnum):
    NEXT = "next"
    SKIP = "skip"
    BACK = "back"
    EXIT = "exit"  # to lost or dormant
    REOPEN = "reopen"  # from lost or dormant back into the pipeline


def stage_index(stage: str) -> int:
    """Position in the pipeline; side exits have none (-1)."""
    return PIPELINE.index(stage) if stage in PIPELINE else -1


def next_stage(current: str) -> str:
    """The one step forward from ``current``; a side exit or the last stage has none."""
    if current in SIDE_EXITS:
        raise Conflict(
            _(
                "stage: the customer is {stage}; --next moves along the pipeline only. "
                "Reopen with `customer stage X STAGE --reason ...` (stages: {stages})"
            ).format(stage=current, stages=", ".join(PIPELINE))
        )
    i = stage_index(current)
    if i == len(PIPELINE) - 1:
        raise Conflict(
            _(
                "stage: {stage} is the last pipeline stage; there is no next stage "
                "(side exits: {exits}, with --reason)"
            ).format(stage=current, exits=", ".join(SIDE_EXITS))
        )
    return PIPELINE[i + 1]


def classify(current: str, target: str) -> Move:
    """What kind of move ``current -> target`` is (they must differ)."""
    if target in SIDE_EXITS:
        return Move.EXIT
    if current in SIDE_EXITS:
        return Move.REOPEN
    step = stage_index(target) - stage_index(current)
    if step == 1:
        return Move.NEXT
    return Move.SKIP if step > 1 else Move.BACK


def is_forward(current: str, target: str) -> bool:
    """True when ``target`` lies further along the pipeline than ``current``."""
    if target in SIDE_EXITS or current in SIDE_EXITS:
        return False
    return stage_index(target) > stage_index(current)


@dataclass(frozen=True)
class PlannedMove:
    from_stage: str
    to_stage: str
    kind: Move
    reason: str | None


def plan_move(
    current: str,
    target: str | None,
    *,
    step_next: bool = False,
    reason: str | None = None,
    has_signed_contract: bool = False,
) -> PlannedMove:
    """Check one stage move and return it; ``Invalid`` or ``Conflict`` says why not.

    - no target and no ``step_next``, or both: usage error (exit 2);
    - a move to the current stage: conflict (exit 5);
    - any move other than one step forward without a reason: usage error naming --reason;
    - ``signed``, or ``maintenance`` from before signed, without a signed contract: conflict
      (exit 5), with or without a reason.
    """
    reason = (reason or "").strip() or None
    if step_next and target:
        raise Invalid(_("stage: give either a STAGE or --next, not both"))
    if step_next:
        target = next_stage(current)
    if not target:
        raise Invalid(
            _("stage: give a STAGE ({stages}) or --next").format(stages=", ".join(STAGES))
        )
    target = one_of(target, STAGES, "stage")
    if target == current:
        raise Conflict(_("stage: the customer is already at {stage}").format(stage=current))
    kind = classify(current, target)
    if kind is not Move.NEXT and reason is None:
        words = {
            Move.SKIP: _("skipping from {current} to {target}"),
            Move.BACK: _("moving back from {current} to {target}"),
            Move.EXIT: _("moving to {target}"),
            Move.REOPEN: _("reopening from {current} to {target}"),
        }[kind].format(current=current, target=target)
        raise Invalid(
            _(
                "stage: {move} needs --reason; only one step forward "
                "({current} -> {next}) goes without one"
            ).format(move=words, current=current, next=_next_or_none(current))
        )
    skips_signing = target == MAINTENANCE and stage_index(current) < stage_index(SIGNED)
    if (target == SIGNED or skips_signing) and not has_signed_contract:
        # Maintenance comes after signing: skipping to it must not get round the contract.
        raise Conflict(
            _(
                "stage: {stage} needs a signed contract for this customer; sign one with "
                "`bizops contract sign`, which moves the customer to signed"
            ).format(stage=target)
        )
    return PlannedMove(from_stage=current, to_stage=target, kind=kind, reason=reason)


def enters_negotiation(current: str, target: str) -> bool:
    """A move into ``negotiation`` from before it (or from lost or dormant): the step that
    ``pipeline.quote_before_negotiation`` guards."""
    return target == NEGOTIATION and stage_index(current) < stage_index(NEGOTIATION)


def check_starting_stage(stage: str, *, imported: bool = False, field: str = "--stage") -> str:
    """The stage a new customer starts at (``stage`` is one of ``STAGES``).

    A customer added in bizops may start anywhere but ``signed`` and ``maintenance``: both
    need a signed contract, which a new customer cannot have yet, exactly as ``plan_move``
    refuses a move to them without one (``Conflict``, exit 5). An import migrates records kept
    elsewhere, so it takes every stage as given: what ``customer export`` writes, ``customer
    import`` reads back unchanged.
    """
    if imported or stage not in NEEDS_SIGNED_CONTRACT:
        return stage
    then = (
        _("sign the contract (that moves it to signed)")
        if stage == SIGNED
        else _("sign and activate the contract (activating moves it to maintenance)")
    )
    raise Conflict(
        _(
            "{field}: {stage} needs a signed contract, which a new customer cannot have; "
            "add the customer at negotiation and {then}"
        ).format(field=field, stage=stage, then=then)
    )


def _next_or_none(current: str) -> str:
    i = stage_index(current)
    if i < 0 or i == len(PIPELINE) - 1:
        return _("none")
    return PIPELINE[i + 1]


def contract_moves_customer(current: str, target: str) -> bool:
    """Signing or activating a contract moves the customer only forward, or out of a side exit."""
    if target == current:
        return False
    return current in SIDE_EXITS or is_forward(current, target)


# What moves a customer along the pipeline by itself (stored as the stage change's cause):
# the code, and its words for the stage history.
FIRST_CONTACT_LOGGED = "first_contact"
NEEDS_RECORDED = "needs_recorded"
CONTRACT_SIGNED = "contract_signed"
CONTRACT_ACTIVE = "contract_active"
CAUSES: dict[str, str] = {
    FIRST_CONTACT_LOGGED: N_("first contact logged"),
    NEEDS_RECORDED: N_("needs recorded"),
    CONTRACT_SIGNED: N_("contract signed"),
    CONTRACT_ACTIVE: N_("contract active"),
}
# The causes that come from a contract: they may take a customer out of lost or dormant.
CONTRACT_CAUSES: frozenset[str] = frozenset({CONTRACT_SIGNED, CONTRACT_ACTIVE})


def auto_move_applies(current: str, target: str, cause: str) -> bool:
    """Whether an automatic move (``cause``, one of ``CAUSES``) takes a customer from
    ``current`` to ``target``: only forward, never back; a contract also reopens a lost or
    dormant customer, anything else leaves it where it is. A customer already at or past
    ``target`` stays (nothing to record)."""
    if cause not in CAUSES:
        raise Invalid(
            _("cause: {cause!r} is not an automatic move; causes: {causes}").format(
                cause=cause, causes=", ".join(CAUSES)
            )
        )
    if cause in CONTRACT_CAUSES:
        return contract_moves_customer(current, target)
    return is_forward(current, target)


def cause_label(cause: str | None) -> str | None:
    """The cause of a stage change in words (translated); None for a move made by hand."""
    if cause is None:
        return None
    return _(CAUSES[cause]) if cause in CAUSES else cause


@dataclass(frozen=True)
class StageSpan:
    from_stage: str | None
    stage: str
    on: date
    until: date | None
    days: int
    actor: str
    reason: str | None
    cause: str | None = None


def stage_spans(
    changes: list[tuple[str | None, str, date, str, str | None]],
    today: date,
    causes: list[str | None] | None = None,
) -> list[StageSpan]:
    """Stage history with the days spent in each stage, oldest first.

    ``changes`` are (from_stage, to_stage, on, actor, reason) in the order they happened; the
    last stage runs until ``today``. ``causes``: each change's cause (None: by hand).
    """
    out: list[StageSpan] = []
    for i, (from_stage, to_stage, on, actor, reason) in enumerate(changes):
        cause = causes[i] if causes is not None else None
        until = changes[i + 1][2] if i + 1 < len(changes) else None
        end = until if until is not None else today
        out.append(
            StageSpan(
                from_stage=from_stage,
                stage=to_stage,
                on=on,
                until=until,
                days=max((end - on).days, 0),
                actor=actor,
                reason=reason,
                cause=cause,
            )
        )
    return out
