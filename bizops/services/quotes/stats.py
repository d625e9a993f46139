"""`report quotes`: per owner, the quotes sent in a period and how they ended: the win rate,
the average discount and the days from sending to acceptance."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import quote_states as qs
from bizops.domain.errors import Invalid
from bizops.i18n import _
from bizops.services.views.quotes import QuoteStatsRow
from bizops.store.models import Quote, User

TENTH = Decimal("0.1")


def _average(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(TENTH, rounding=ROUND_HALF_UP)


def quote_stats(
    session: Session, *, today: date, start: date | None = None, end: date | None = None
) -> list[QuoteStatsRow]:
    """Quotes sent from ``start`` (default: 90 days ago) to ``end`` (default: today), per
    owner. The win rate is accepted / (accepted + rejected + expired), in percent; quotes
    still open are not counted in it."""
    last = end or today
    first = start or last - timedelta(days=90)
    if first > last:
        raise Invalid(_("--from: {start} is after --to {end}").format(start=first, end=last))
    rows = session.execute(
        select(
            col(User.login),
            col(Quote.status),
            col(Quote.valid_until),
            col(Quote.discount_pct),
            col(Quote.sent_on),
            col(Quote.decided_on),
        )
        .join(User, col(User.id) == col(Quote.owner_id))
        .where(col(Quote.sent_on) >= first, col(Quote.sent_on) <= last)
    ).all()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    discounts: dict[str, list[Decimal]] = defaultdict(list)
    days: dict[str, list[Decimal]] = defaultdict(list)
    for login, status, valid_until, discount, sent_on, decided_on in rows:
        shown = qs.effective_status(status, valid_until, today)
        counts[login]["sent"] += 1
        counts[login][shown if shown != qs.SENT else "open"] += 1
        discounts[login].append(Decimal(discount))
        if shown == qs.ACCEPTED and decided_on is not None:
            days[login].append(Decimal((decided_on - sent_on).days))
    out: list[QuoteStatsRow] = []
    for login in sorted(counts):
        c = counts[login]
        closed = c[qs.ACCEPTED] + c[qs.REJECTED] + c[qs.EXPIRED]
        out.append(
            {
                "owner": login,
                "sent": c["sent"],
                "accepted": c[qs.ACCEPTED],
                "rejected": c[qs.REJECTED],
                "expired": c[qs.EXPIRED],
                "open": c["open"],
                "win_rate": (Decimal(c[qs.ACCEPTED] * 100) / closed).quantize(TENTH)
                if closed
                else None,
                "average_discount": _average(discounts[login]),
                "average_days_to_accept": _average(days[login]),
            }
        )
    return out
