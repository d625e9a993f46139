"""The contract lifecycle as data: states, moves, and the guards on each move.

```
draft -> pending_approval -> approved -> signed -> active -> completed  -> archived
  ^            |                 |          |         |-----> terminated -> archived
  |<-----------+ reject/withdraw |          +---------------> terminated
  |<-----------------------------+ reopen
```

Services ask ``check_move`` before changing a contract's status; it raises ``Conflict``
naming the current state and the moves allowed from it. ``allowed_moves`` lists what a user
may do now (shown by ``contract show``); moves made by the approval flow are marked so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bizops.domain.errors import Conflict
from bizops.domain.vocab import label
from bizops.i18n import _

DRAFT = "draft"
PENDING = "pending_approval"
APPROVED = "approved"
SIGNED = "signed"
ACTIVE = "active"
COMPLETED = "completed"
TERMINATED = "terminated"
ARCHIVED = "archived"

STATES: tuple[str, ...] = (
    DRAFT,
    PENDING,
    APPROVED,
    SIGNED,
    ACTIVE,
    COMPLETED,
    TERMINATED,
    ARCHIVED,
)

# Terms (title, amount, dates, ...) change only in these states; afterwards only by amendment.
EDITABLE: tuple[str, ...] = (DRAFT,)
# An amendment changes a contract that is in force.
AMENDABLE: tuple[str, ...] = (SIGNED, ACTIVE)
# The contract is binding: disputes may be raised about it.
IN_FORCE: tuple[str, ...] = (SIGNED, ACTIVE, COMPLETED, TERMINATED)
# Performance is under way: milestones are reminded, renewal notices fall due.
PERFORMING: tuple[str, ...] = (SIGNED, ACTIVE)
# Milestones may still be planned.
PLANNABLE: tuple[str, ...] = (DRAFT, PENDING, APPROVED, SIGNED, ACTIVE)
CLOSED: tuple[str, ...] = (COMPLETED, TERMINATED, ARCHIVED)


@dataclass(frozen=True)
class Facts:
    """What the guards need to know about one contract, gathered by the service."""

    open_milestones: tuple[int, ...] = ()
    open_disputes: tuple[int, ...] = ()
    open_amendment: str | None = None
    has_signed_copy: bool = False
    reason: str | None = None
    # What is still to be received on a sales or service contract, in words.
    money_outstanding: str | None = None


Guard = Callable[[Facts], str | None]


def _milestones_done(f: Facts) -> str | None:
    if not f.open_milestones:
        return None
    ids = ", ".join(f"#{i}" for i in f.open_milestones)
    return _(
        "{count} milestone(s) not done ({ids}); mark them with `bizops contract milestone done ID`"
    ).format(count=len(f.open_milestones), ids=ids)


def _money_settled(f: Facts) -> str | None:
    if f.money_outstanding is None:
        return None
    return _(
        "{amount} is still outstanding; record the receipts with `bizops contract receipt add`, "
        "or write off the rest with `bizops contract writeoff`"
    ).format(amount=f.money_outstanding)


def _no_open_dispute(f: Facts) -> str | None:
    if not f.open_disputes:
        return None
    ids = ", ".join(f"#{i}" for i in f.open_disputes)
    return _(
        "open dispute(s) {ids}; resolve them with "
        "`bizops contract dispute resolve ID --resolution TEXT`"
    ).format(ids=ids)


def _no_open_amendment(f: Facts) -> str | None:
    if f.open_amendment is None:
        return None
    return _(
        "amendment {number} is waiting for approval; "
        "wait for its decision or withdraw it with `bizops approval withdraw ID`"
    ).format(number=f.open_amendment)


def _signed_copy_or_reason(f: Facts) -> str | None:
    if f.has_signed_copy or (f.reason and f.reason.strip()):
        return None
    return _(
        "no signed copy is attached; attach it with "
        "`bizops contract attach X FILE --kind signed`, or archive with --reason"
    )


def _reason_given(f: Facts) -> str | None:
    if f.reason and f.reason.strip():
        return None
    return _("a reason is required (--reason)")


GUARDS: dict[str, Guard] = {
    "milestones_done": _milestones_done,
    "no_open_dispute": _no_open_dispute,
    "money_settled": _money_settled,
    "no_open_amendment": _no_open_amendment,
    "signed_copy_or_reason": _signed_copy_or_reason,
    "reason_given": _reason_given,
}
# Guards a user can satisfy with an option on the command itself (--reason): a move held
# back only by one of these is still listed as allowed.
OPTION_GUARDS = frozenset({"signed_copy_or_reason", "reason_given"})


@dataclass(frozen=True)
class Move:
    name: str
    sources: tuple[str, ...]
    target: str
    guards: tuple[str, ...] = ()
    # Made by the approval flow (`bizops approval ...`), never by a `contract` command.
    by_approvals: bool = False
    help: str = ""


MOVES: dict[str, Move] = {
    m.name: m
    for m in (
        Move("submit", (DRAFT,), PENDING, help="open the approval request"),
        Move("approve", (PENDING,), APPROVED, by_approvals=True, help="last step approves"),
        Move("reject", (PENDING,), DRAFT, by_approvals=True, help="an approver rejects"),
        Move("withdraw", (PENDING,), DRAFT, by_approvals=True, help="the submitter withdraws"),
        Move("sign", (APPROVED,), SIGNED, help="both parties signed"),
        Move("activate", (SIGNED,), ACTIVE, help="performance starts"),
        Move(
            "complete",
            (ACTIVE,),
            COMPLETED,
            guards=("milestones_done", "no_open_dispute", "no_open_amendment", "money_settled"),
            help="every milestone done",
        ),
        Move(
            "terminate",
            (SIGNED, ACTIVE),
            TERMINATED,
            guards=("reason_given", "no_open_amendment"),
            help="ended early, with a reason",
        ),
        Move(
            "archive",
            (COMPLETED, TERMINATED),
            ARCHIVED,
            guards=("no_open_dispute", "signed_copy_or_reason"),
            help="filed for good",
        ),
        Move(
            "reopen",
            (APPROVED,),
            DRAFT,
            guards=("reason_given",),
            help="back to draft, voiding the approval",
        ),
    )
}


def moves_from(state: str) -> list[Move]:
    return [m for m in MOVES.values() if state in m.sources]


def blocked_by(move: Move, facts: Facts, *, ignore_option_guards: bool = False) -> list[str]:
    """The problems that stop ``move`` now (empty when it may go ahead)."""
    out = []
    for name in move.guards:
        if ignore_option_guards and name in OPTION_GUARDS:
            continue
        problem = GUARDS[name](facts)
        if problem:
            out.append(problem)
    return out


def allowed_moves(state: str, facts: Facts) -> list[str]:
    """Moves possible from ``state`` now; a reason the command itself takes does not block."""
    return [
        m.name for m in moves_from(state) if not blocked_by(m, facts, ignore_option_guards=True)
    ]


def blocked_moves(state: str, facts: Facts) -> dict[str, list[str]]:
    """Moves out of ``state`` that a guard holds back, with why."""
    out = {}
    for m in moves_from(state):
        problems = blocked_by(m, facts, ignore_option_guards=True)
        if problems:
            out[m.name] = problems
    return out


def describe_allowed(state: str, facts: Facts | None = None) -> str:
    names = allowed_moves(state, facts or Facts()) if facts else [m.name for m in moves_from(state)]
    if not names:
        if state == ARCHIVED:
            return _("no moves are allowed from it")
        return _("no move is possible now")
    by_approvals = [n for n in names if MOVES[n].by_approvals]
    own = [n for n in names if not MOVES[n].by_approvals]
    parts = []
    if own:
        parts.append(", ".join(own))
    if by_approvals:
        parts.append(_("{moves} (through `bizops approval`)").format(moves=", ".join(by_approvals)))
    return _("allowed now: {moves}").format(moves=_("; ").join(parts))


def check_move(number: str, state: str, move_name: str, facts: Facts | None = None) -> Move:
    """The move, if legal from ``state`` with these facts; else ``Conflict`` saying why."""
    move = MOVES[move_name]
    facts = facts or Facts()
    if state not in move.sources:
        if state == move.target and move_name in ("sign", "activate", "complete", "archive"):
            lead = _("contract {number} is already {state}").format(
                number=number, state=label("contract_state", state)
            )
        else:
            lead = _("cannot {move} contract {number}: it is {state}").format(
                move=move_name, number=number, state=label("contract_state", state)
            )
        raise Conflict(
            _("{refusal}; {allowed}").format(refusal=lead, allowed=describe_allowed(state, facts))
        )
    problems = blocked_by(move, facts)
    if problems:
        raise Conflict(
            _("cannot {move} contract {number}: {problems}").format(
                move=move_name, number=number, problems=_("; ").join(problems)
            )
        )
    return move
