"""The quotation lifecycle as data: states, moves, and expiry.

```
draft -> pending_approval -> approved -> sent -> accepted
  ^            |                 |          +--> rejected
  |<-----------+ reject/withdraw |          +--> expired (valid-until passed)
  |<-----------------------------+ changed (needs approval again)
```

``expired`` is never stored: an approved or sent quote whose valid-until date has passed
reads as expired (``effective_status``), and may be neither sent nor accepted.
"""

from __future__ import annotations

from datetime import date

from bizops.domain.errors import Conflict
from bizops.domain.vocab import label
from bizops.i18n import _

DRAFT = "draft"
PENDING = "pending_approval"
APPROVED = "approved"
SENT = "sent"
ACCEPTED = "accepted"
REJECTED = "rejected"
EXPIRED = "expired"

STATES: tuple[str, ...] = (DRAFT, PENDING, APPROVED, SENT, ACCEPTED, REJECTED, EXPIRED)
# Lines, terms and validity change only in these states; an approved quote that changes goes
# back to draft and needs approval again.
EDITABLE: tuple[str, ...] = (DRAFT, APPROVED)
# These lapse when their valid-until date has passed.
LAPSING: tuple[str, ...] = (APPROVED, SENT)

# move -> (the states it starts from, the state it leads to)
MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((DRAFT,), PENDING),
    "approve": ((PENDING,), APPROVED),
    "reject_approval": ((PENDING,), DRAFT),
    "withdraw": ((PENDING,), DRAFT),
    "send": ((APPROVED,), SENT),
    "accept": ((SENT,), ACCEPTED),
    "reject": ((SENT,), REJECTED),
}


def is_expired(status: str, valid_until: date, today: date) -> bool:
    """The valid-until day is the last day the quote holds."""
    return status in LAPSING and valid_until < today


def effective_status(status: str, valid_until: date, today: date) -> str:
    return EXPIRED if is_expired(status, valid_until, today) else status


def allowed_moves(status: str) -> list[str]:
    return [move for move, (sources, _target) in MOVES.items() if status in sources]


def check_move(number: str, status: str, move: str, *, valid_until: date, today: date) -> str:
    """The state ``move`` leads to; ``Conflict`` naming the current state otherwise."""
    sources, target = MOVES[move]
    if is_expired(status, valid_until, today):
        raise Conflict(
            _(
                "quote {number} has expired (valid until {date}), so {move} is not possible; "
                "extend it with `bizops quote update {number} --valid-until DATE` and have it "
                "approved again"
            ).format(number=number, date=valid_until.isoformat(), move=move)
        )
    if status not in sources:
        allowed = ", ".join(allowed_moves(status)) or _("none")
        raise Conflict(
            _("quote {number} is {status}; {move} needs {needed} (allowed now: {allowed})").format(
                number=number,
                status=label("quote_state", status),
                move=move,
                needed=" / ".join(label("quote_state", source) for source in sources),
                allowed=allowed,
            )
        )
    return target


def check_editable(number: str, status: str) -> None:
    if status not in EDITABLE:
        hint = (
            _("withdraw its approval request first (bizops approval withdraw {number})").format(
                number=number
            )
            if status == PENDING
            else _("it has gone to the customer; make a new quote")
        )
        raise Conflict(
            _("quote {number} is {status} and cannot be changed; {hint}").format(
                number=number, status=label("quote_state", status), hint=hint
            )
        )
