"""What is due: THE query of due follow-ups (`followups due`, `followups ics`, the daily
report), and the new customers never contacted.

One order everywhere, most urgent first: most days overdue, then grade (A, B, C), then due
date, then customer code.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from sqlalchemy import (
    Date,
    String,
    case,
    func,
    inspect,
    literal,
    literal_column,
    null,
    or_,
    select,
    type_coerce,
)
from sqlmodel import col

from bizops.domain.dates import parse_date, parse_duration_days
from bizops.domain.errors import Invalid
from bizops.domain.policy import Policy
from bizops.domain.vocab import GRADES, one_of
from bizops.i18n import _
from bizops.services.followups.rows import DueFollowUp, NeverContacted
from bizops.services.followups.status import CADENCE, OPEN
from bizops.services.paging import page
from bizops.store.models import Customer, FollowUp, Interaction, User
from bizops.store.scope import scope_of

if TYPE_CHECKING:
    from sqlmodel import Session

# Rows fetched from the database per round trip while streaming `followups due`.
STREAM_BATCH = 2000
_ONE_DAY = timedelta(days=1)


def channel_hint(policy: Policy, grade: str) -> str:
    """The suggested channels for a grade, most preferred first: "visit/phone"."""
    return "/".join(policy.channels.get(grade, ("phone",)))


def window_until(
    today: date, *, within: str | None = None, until: str | date | None = None
) -> date:
    """The last due date a listing includes: today, ``--within 7d`` or ``--until DATE``."""
    if within is not None and until is not None:
        raise Invalid(_("--within and --until cannot be used together; give one of them"))
    if within is not None:
        return today + timedelta(days=parse_duration_days(within, today, field="--within"))
    if until is not None:
        return parse_date(until, today, field="--until")
    return today


def _urgency(due: Any, today: date) -> Any:
    """Days overdue, descending, as one ascending sort key: min(due, today)."""
    return case((due < today, due), else_=literal(today, Date()))


def due_rows(
    session: Session,
    *,
    owner_ids: Sequence[int] | None,
    until: date,
    today: date,
    policy: Policy,
    overdue_only: bool = False,
    grade: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Iterator[DueFollowUp]:
    """Open follow-ups of active customers due on or before ``until``, most urgent first.

    ``owner_ids`` None means everyone (an empty list: no one). ``overdue_only`` keeps those
    due before today. It streams the rows (the caller consumes the iterator while the session
    is open); the filters are checked before it returns, so a bad one is an error before any
    output starts.
    """
    if grade is not None:
        grade = one_of(grade, GRADES, "--grade", upper=True)
    if owner_ids is not None and not owner_ids:
        return iter(())
    last_day = today - _ONE_DAY if overdue_only else until
    query = _due_query(session, owner_ids=owner_ids, last_day=last_day, today=today)
    if grade is not None:
        query = query.where(col(Customer.grade) == grade)
    query = page(query, limit=limit, offset=offset)
    return _stream_due(session, _batches(session, query), today=today, policy=policy)


def due_rows_with_details(
    session: Session,
    *,
    owner_ids: Sequence[int],
    until: date,
    today: date,
    policy: Policy,
) -> Iterator[tuple[DueFollowUp, ContactDetails | None]]:
    """``due_rows`` of ``owner_ids``' customers up to ``until``, owner by owner in the order
    given (each owner's most urgent first), each with its last contact's details (as
    ``last_contact_details`` finds them; None without any), read in the same query: the
    daily report, which shows them beside every follow-up, reads each customer once, and
    every recipient's follow-ups in one query (one per recipient took a third longer: each
    walked its owner's customers rather than the due follow-ups' index)."""
    if not owner_ids:
        return
    shown = inspect(Interaction).local_table.alias("shown")
    query = (
        _due_query(session, owner_ids=owner_ids, last_day=until, today=today, by_owner=True)
        .add_columns(shown.c.purpose, shown.c.place, shown.c.next_action)
        .outerjoin(shown, shown.c.id == _newest_of_its_day())
    )
    extra: deque[tuple[Any, ...]] = deque()

    def batches() -> Iterator[Sequence[Any]]:
        for batch in _batches(session, query):
            extra.extend(row[10:] for row in batch)
            yield [row[:10] for row in batch]

    for row in _stream_due(session, batches(), today=today, policy=policy):
        purpose, place, then = extra.popleft()
        if purpose is None and place is None and then is None:
            yield row, None
        else:
            yield row, {"purpose": purpose, "place": place, "next_action": then}


def _due_query(
    session: Session,
    *,
    owner_ids: Sequence[int] | None,
    last_day: date,
    today: date,
    by_owner: bool = False,
) -> Any:
    """THE due follow-ups' query, most urgent first (the columns ``_stream_due`` reads);
    ``by_owner``: owner by owner first, in the order of ``owner_ids``."""
    due, kind = col(FollowUp.due), col(FollowUp.kind)
    order = [_urgency(due, today), col(Customer.grade), due, col(Customer.code)]
    if by_owner and owner_ids is not None and len(owner_ids) > 1:
        ranks = {owner_id: rank for rank, owner_id in enumerate(owner_ids)}
        order.insert(0, case(ranks, value=col(Customer.owner_id)))
    # Only planned and first-contact follow-ups carry a purpose; fetching it for those alone
    # keeps the read inside the covering index ix_followups_open_due.
    purposes = inspect(FollowUp).local_table.alias("purposes").c
    purpose = case(
        (
            kind != CADENCE,
            select(purposes.purpose).where(purposes.id == col(FollowUp.id)).scalar_subquery(),
        ),
        else_=null(),
    )
    return _due(
        session,
        select(
            col(FollowUp.id),
            col(Customer.code),
            col(Customer.name),
            col(Customer.grade),
            col(Customer.stage),
            col(Customer.owner_id),
            # As stored (text on SQLite): _stream_due turns each distinct date into one `date`.
            type_coerce(due, String),
            type_coerce(col(Customer.last_contact_on), String),
            purpose,
            kind,
        ),
        owner_ids=owner_ids,
        last_day=last_day,
    ).order_by(*order)


def _due(session: Session, query: Any, *, owner_ids: Sequence[int] | None, last_day: date) -> Any:
    """``query`` over the open follow-ups of the active customers the reader may see, due on
    or before ``last_day`` (of ``owner_ids``' customers, None: everyone's)."""
    due = col(FollowUp.due)
    query = (
        query.select_from(FollowUp)
        .join(Customer, col(Customer.id) == col(FollowUp.customer_id))
        # A literal 'open' (not a bound parameter) lets SQLite use the partial index.
        .where(col(FollowUp.status) == literal_column(f"'{OPEN}'"), due <= last_day)
        .where(col(Customer.archived_on).is_(None))
    )
    if owner_ids is not None:
        query = query.where(col(Customer.owner_id).in_(owner_ids))
    return _visible(session, query)


def overdue_by_owner(session: Session, *, today: date) -> dict[int, tuple[int, date]]:
    """By owner id: how many of ``due_rows``' follow-ups are overdue (due before today) and
    the oldest due date among them, for every owner the reader may see; counted by the
    database, so that a team summary holds one line per owner, not every row."""
    due = col(FollowUp.due)
    query = _due(
        session,
        select(col(Customer.owner_id), func.count(), type_coerce(func.min(due), String)),
        owner_ids=None,
        last_day=today - _ONE_DAY,
    ).where(col(Customer.owner_id).is_not(None))
    days = _Days()
    rows = session.connection().execute(query.group_by(col(Customer.owner_id)))
    return {owner_id: (count, days[oldest]) for owner_id, count, oldest in rows}


def _visible(session: Session, query: Any) -> Any:
    """Only the customers the reader may see."""
    scope = scope_of(session)
    return query if scope.sees_all else query.where(scope.owner_clause(col(Customer.owner_id)))


def _logins(session: Session) -> dict[int | None, str]:
    # A team has tens of users and a due list up to every customer: look logins up once.
    rows = session.connection().execute(select(col(User.id), col(User.login)))
    return {uid: login for uid, login in rows}


class _Days(dict[Any, date]):
    """Due dates as read, to ``date``: the database hands the same few dozen dates out
    thousands of times (SQLite as text, PostgreSQL as dates), so each is parsed once."""

    def __missing__(self, value: Any) -> date:
        day = value if isinstance(value, date) else date.fromisoformat(value)
        self[value] = day
        return day


def _batches(session: Session, query: Any) -> Iterator[Sequence[Any]]:
    """The rows of ``query``, ``STREAM_BATCH`` at a time."""
    result = session.connection().execute(query.execution_options(yield_per=STREAM_BATCH))
    yield from result.partitions()


def _stream_due(
    session: Session, batches: Iterable[Sequence[Any]], *, today: date, policy: Policy
) -> Iterator[DueFollowUp]:
    logins = _logins(session)
    channels = {g: channel_hint(policy, g) for g in GRADES}
    days = _Days()
    overdue: dict[date, int] = {}
    for batch in batches:
        for fid, code, name, grd, stage, owner_id, due_at, last_at, why, kind in batch:
            due = days[due_at]
            late = overdue.get(due)
            if late is None:
                late = overdue[due] = (today - due).days if due < today else 0
            yield {
                "id": fid,
                "code": code,
                "customer": name,
                "grade": grd,
                "stage": stage,
                "owner": logins.get(owner_id),
                "due": due,
                "days_overdue": late,
                "last_contact": None if last_at is None else days[last_at],
                "channel": channels.get(grd) or channel_hint(policy, grd),
                "purpose": why,
                "kind": kind,
            }


def never_contacted_rows(
    session: Session, *, owner_ids: Sequence[int] | None, since: date, today: date
) -> list[NeverContacted]:
    """Active customers created from ``since`` to ``today`` and never contacted, most urgent
    first (the order of ``due_rows``, by their open follow-up: the first contact, whether the
    automatic one or planned by hand for a date)."""
    if owner_ids is not None and not owner_ids:
        return []
    # Read from the customers (a few recent ones pass), each with its open follow-up's due
    # date, rather than from every open follow-up to its customer: the same rows (one open
    # follow-up per customer at most), without a look-up per open follow-up.
    first_due = (
        select(col(FollowUp.due))
        .where(col(FollowUp.customer_id) == col(Customer.id), col(FollowUp.status) == OPEN)
        .scalar_subquery()
    )
    recent = select(
        col(Customer.id),
        col(Customer.code),
        col(Customer.name),
        col(Customer.grade),
        col(Customer.stage),
        col(Customer.owner_id),
        col(Customer.created_on),
        first_due.label("due"),
    ).where(
        col(Customer.last_contact_on).is_(None),
        # A customer with a contract has been contacted, whatever was logged.
        col(Customer.stage).not_in(("signed", "maintenance")),
        col(Customer.archived_on).is_(None),
        col(Customer.created_on) >= since,
        col(Customer.created_on) <= today,
    )
    if owner_ids is not None:
        recent = recent.where(col(Customer.owner_id).in_(owner_ids))
    found = _visible(session, recent).subquery("recent")
    due = found.c.due
    query = (
        select(found)
        .where(due.is_not(None))
        .order_by(_urgency(due, today), found.c.grade, due, found.c.code)
    )
    logins = _logins(session)
    return [
        {
            "id": cid,
            "code": code,
            "customer": name,
            "grade": grd,
            "stage": stage,
            "owner": logins.get(owner_id),
            "created": created,
            "due": first_due,
            "days_overdue": max((today - first_due).days, 0),
        }
        for cid, code, name, grd, stage, owner_id, created, first_due in session.connection().execute(
            query
        )
    ]


class ContactDetails(TypedDict):
    """The purpose, place and next action of a customer's last contact, where it has any."""

    purpose: str | None
    place: str | None
    next_action: str | None


def last_contact_details(session: Session, codes: Sequence[str]) -> dict[str, ContactDetails]:
    """By customer code: the details of its latest interaction on the day of its last contact,
    for the customers given that have any (the daily report shows them beside the last
    contact). One query per thousand customers; the database picks each customer's latest
    interaction of that day (newest first on its (customer, time) index, so it reads one or
    two of them, not the customer's whole history) and hands back only those with details."""
    newest = _newest_of_its_day()
    purpose, place, then = (
        col(Interaction.purpose),
        col(Interaction.place),
        col(Interaction.next_action),
    )
    query = (
        select(col(Customer.code), purpose, place, then)
        .select_from(Customer)
        .join(Interaction, col(Interaction.id) == newest)
        .where(or_(purpose.is_not(None), place.is_not(None), then.is_not(None)))
    )
    found: dict[str, ContactDetails] = {}
    unique = sorted(set(codes))
    connection = session.connection()
    for start in range(0, len(unique), 1000):
        chunk = query.where(col(Customer.code).in_(unique[start : start + 1000]))
        for code, why, where, next_step in connection.execute(chunk):
            found[code] = {"purpose": why, "place": where, "next_action": next_step}
    return found


def _newest_of_its_day() -> Any:
    """The id of a customer's latest interaction on the day of its last contact (newest
    first on its (customer, time) index, so the database reads one or two of them, not the
    customer's whole history); correlated with ``Customer``."""
    latest = inspect(Interaction).local_table.alias("latest").c
    return (
        select(latest.id)
        .where(
            latest.customer_id == col(Customer.id),
            latest.on == col(Customer.last_contact_on),
        )
        .order_by(latest.at.desc(), latest.id.desc())
        .limit(1)
        .scalar_subquery()
    )
