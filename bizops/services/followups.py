"""Follow-ups: every active customer has exactly one open follow-up (seed C6, C7).

The scheduling hooks at the top are what other services call when a customer is created,
changes grade or stage, or is archived.

The ORM models, lookups and the audit log are imported inside the functions that write:
`followups due` (the first command of every morning, and a listing of up to every customer)
reads through the light Core table views below and starts without building the models.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, column, literal, literal_column, null, select, table
from sqlalchemy.types import Boolean, Date, Integer, String, Text

from bizops.documents.ics import DayEvent, stable_uid, write_calendar
from bizops.domain import cadence
from bizops.domain.dates import parse_date, parse_datetime, parse_duration_days
from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.domain.policy import Policy
from bizops.domain.roles import ADMIN, MANAGER
from bizops.domain.validate import check_text
from bizops.domain.vocab import CHANNELS, GRADES, one_of

if TYPE_CHECKING:
    from sqlmodel import Session

    from bizops.store.models import Customer, FollowUp, User

OPEN = "open"
DONE = "done"
CANCELLED = "cancelled"
FIRST_CONTACT = "first_contact"
CADENCE = "cadence"
PLANNED = "planned"
_ONE_DAY = timedelta(days=1)

# Core views of the columns the listings read (a test checks them against the models).
FOLLOWUPS = table(
    "followups",
    column("id", Integer),
    column("customer_id", Integer),
    column("due", Date),
    column("status", String),
    column("kind", String),
    column("purpose", Text),
    column("closed_on", Date),
    column("on_time", Boolean),
    column("snoozed_from", Date),
)
CUSTOMERS = table(
    "customers",
    column("id", Integer),
    column("code", String),
    column("name", String),
    column("grade", String),
    column("stage", String),
    column("owner_id", Integer),
    column("last_contact_on", Date),
    column("archived_on", Date),
)
USERS = table("users", column("id", Integer), column("login", String))
INTERACTIONS = table(
    "interactions",
    column("id", Integer),
    column("customer_id", Integer),
    column("on", Date),
    column("via", String),
    column("summary", Text),
    column("contact", String),
    column("outcome", Text),
    column("actor_id", Integer),
)


def open_followup(session: Session, customer_id: int) -> FollowUp | None:
    from sqlmodel import col

    from bizops.store.models import FollowUp

    return session.execute(
        select(FollowUp).where(
            col(FollowUp.customer_id) == customer_id, col(FollowUp.status) == OPEN
        )
    ).scalar_one_or_none()


def open_first_followup(
    session: Session, *, customer: Customer, policy: Policy, today: date
) -> FollowUp | None:
    """A new customer's first follow-up (none for lost, dormant or archived ones).

    Never contacted: the first-contact rule (1/3/7 days by grade). A customer that arrives
    with a last contact (an import) is scheduled by its cadence instead. Calling it again
    returns the open follow-up rather than opening a second one.
    """
    from bizops.store.models import FollowUp

    assert customer.id is not None
    if not cadence.has_followups(customer.stage, customer.archived_on is not None):
        return None
    existing = open_followup(session, customer.id)
    if existing is not None:
        return existing
    if customer.last_contact_on is None:
        due = cadence.first_contact_due(policy, grade=customer.grade, created=today)
        kind, purpose = FIRST_CONTACT, "first contact"
    else:
        scheduled = cadence.rescheduled_due(
            policy,
            grade=customer.grade,
            stage=customer.stage,
            last_contact=customer.last_contact_on,
            created=customer.created_on,
            today=today,
            override=customer.cadence_days,
        )
        assert scheduled is not None
        due, kind, purpose = scheduled, CADENCE, None
    followup = FollowUp(
        customer_id=customer.id,
        due=due,
        status=OPEN,
        kind=kind,
        purpose=purpose,
        created_on=today,
    )
    session.add(followup)
    session.flush()
    return followup


def reschedule_open_followup(
    session: Session, *, customer: Customer, policy: Policy, today: date
) -> FollowUp | None:
    """After a grade, stage, cadence, archive or restore change: one open follow-up or none.

    Lost, dormant and archived customers lose their open follow-up (cancelled today). Others
    are rescheduled by ``cadence.rescheduled_due``: from the last contact (or the first-contact
    rule), never making a follow-up overdue that was not, never more overdue than it was.
    A follow-up planned by hand for a date (``followups plan``, ``log --next``) keeps it.
    """
    from bizops.store.models import FollowUp

    assert customer.id is not None
    current = open_followup(session, customer.id)
    if not cadence.has_followups(customer.stage, customer.archived_on is not None):
        if current is not None:
            current.status = CANCELLED
            current.closed_on = today
            session.add(current)
            session.flush()
        return None
    due = cadence.rescheduled_due(
        policy,
        grade=customer.grade,
        stage=customer.stage,
        last_contact=customer.last_contact_on,
        created=customer.created_on,
        today=today,
        current_due=current.due if current is not None else None,
        override=customer.cadence_days,
    )
    assert due is not None
    if current is not None and current.kind == PLANNED:
        return current
    kind = FIRST_CONTACT if customer.last_contact_on is None else CADENCE
    if current is None:
        current = FollowUp(
            customer_id=customer.id,
            due=due,
            status=OPEN,
            kind=kind,
            purpose="first contact" if kind == FIRST_CONTACT else None,
            created_on=today,
        )
    else:
        current.due = due
        current.kind = kind
    session.add(current)
    session.flush()
    return current


# Rows fetched from the database per round trip while streaming `followups due`.
STREAM_BATCH = 2000


def channel_hint(policy: Policy, grade: str) -> str:
    """The suggested channels for a grade, most preferred first: "visit/phone"."""
    return "/".join(policy.channels.get(grade, ("phone",)))


def list_due(
    session: Session,
    *,
    today: date,
    policy: Policy,
    owner_ids: list[int] | None,
    until: date | None = None,
    overdue_only: bool = False,
    grade: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Open follow-ups due on or before ``until`` (default today), most urgent first.

    Most days overdue first, then grade (A, B, C), then due date. ``owner_ids`` None means
    everyone. Reads the open-follow-up index joined to customers and users and streams the
    rows, so the caller must consume the iterator while the session is open. Each row:
    id, code, customer, grade, stage, owner, due (date), days_overdue (int), last_contact
    (date or None), channel, purpose. The filters are checked before this returns, so a bad
    one is an error before any output starts.
    """
    if grade is not None:
        grade = one_of(grade, GRADES, "--grade", upper=True)
    limit_day = today - _ONE_DAY if overdue_only else (until or today)
    ft, ct = FOLLOWUPS, CUSTOMERS
    f, c = ft.c, ct.c
    # days overdue, descending == min(due, today), ascending: one sortable expression.
    urgency = case((f.due < today, f.due), else_=literal(today, Date()))
    # Only planned and first-contact follow-ups carry a purpose; fetching it for those alone
    # keeps the read inside the covering index ix_followups_open_due.
    purposes = ft.alias("purposes")
    purpose = case(
        (
            f.kind != CADENCE,
            select(purposes.c.purpose).where(purposes.c.id == f.id).scalar_subquery(),
        ),
        else_=null(),
    )
    query = (
        select(
            f.id,
            c.code,
            c.name,
            c.grade,
            c.stage,
            c.owner_id,
            f.due,
            c.last_contact_on,
            purpose,
        )
        .select_from(ft.join(ct, c.id == f.customer_id))
        # A literal 'open' (not a bound parameter) lets SQLite use the partial index.
        .where(f.status == literal_column(f"'{OPEN}'"), f.due <= limit_day)
        .where(c.archived_on.is_(None))
        .order_by(urgency, c.grade, f.due, f.id)
    )
    if owner_ids is not None:
        if not owner_ids:
            return iter(())
        query = query.where(c.owner_id.in_(owner_ids))
    if grade is not None:
        query = query.where(c.grade == grade)
    return _stream_due(session, query, today=today, policy=policy)


def _stream_due(
    session: Session, query: Any, *, today: date, policy: Policy
) -> Iterator[dict[str, Any]]:
    u = USERS.c
    conn = session.connection()
    # A team has tens of users and a due list up to every customer: look logins up once.
    logins: dict[int, str] = {uid: login for uid, login in conn.execute(select(u.id, u.login))}
    channels = {g: channel_hint(policy, g) for g in GRADES}
    result = conn.execute(query.execution_options(yield_per=STREAM_BATCH))
    for fid, code, name, grd, stage, owner_id, due, last, why in result:
        yield {
            "id": fid,
            "code": code,
            "customer": name,
            "grade": grd,
            "stage": stage,
            "owner": logins.get(owner_id),
            "due": due,
            "days_overdue": (today - due).days if due < today else 0,
            "last_contact": last,
            "channel": channels.get(grd) or channel_hint(policy, grd),
            "purpose": why,
        }


# --- who may act, and whose follow-ups ---------------------------------------------------


def require_can_follow_up(actor: User, customer: Customer) -> None:
    """The customer's owner, a manager or an admin may log and plan its follow-ups."""
    if actor.id == customer.owner_id or actor.has_role(MANAGER) or actor.has_role(ADMIN):
        return
    raise NotPermitted(
        f"{actor.login} may not follow up {customer.code} {customer.name}: only its owner, "
        "a manager or an admin may"
    )


def owner_scope(session: Session, *, actor: User | None, owner: str | None) -> list[int] | None:
    """Whose follow-ups a listing shows: ``--owner USER``, ``all`` (None), else the default.

    The default is the acting user's own customers; a manager's default is everyone.
    """
    text = (owner or "").strip()
    if text.lower() == "all":
        return None
    if text:
        from bizops.services.users import find_user

        user = find_user(session, text, field="--owner")
        assert user.id is not None
        return [user.id]
    if actor is None:
        raise NotPermitted("who is acting? pass --as USER (or --owner USER, or --owner all)")
    if actor.has_role(MANAGER):
        return None
    assert actor.id is not None
    return [actor.id]


def window_until(
    today: date, *, within: str | None = None, until: str | date | None = None
) -> date:
    """The last due date a listing includes: today, ``--within 7d`` or ``--until DATE``."""
    if within is not None and until is not None:
        raise Invalid("--within and --until cannot be used together; give one of them")
    if within is not None:
        return today + timedelta(days=parse_duration_days(within, today, field="--within"))
    if until is not None:
        return parse_date(until, today, field="--until")
    return today


# --- logging an interaction ----------------------------------------------------------------


@dataclass(frozen=True)
class ClosedFollowUp:
    id: int
    due: date
    closed_on: date
    on_time: bool
    days_late: int

    def describe(self) -> str:
        when = "on time" if self.on_time else f"{self.days_late} day(s) late"
        return f"follow-up due {self.due.isoformat()} done {when}"


@dataclass(frozen=True)
class LogResult:
    interaction_id: int
    customer_code: str
    customer_name: str
    via: str
    on: date
    closed: ClosedFollowUp | None
    next_id: int | None
    next_due: date | None
    history_only: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "interaction": self.interaction_id,
            "code": self.customer_code,
            "customer": self.customer_name,
            "via": self.via,
            "on": self.on,
            "closed": None
            if self.closed is None
            else {
                "id": self.closed.id,
                "due": self.closed.due,
                "closed_on": self.closed.closed_on,
                "on_time": self.closed.on_time,
                "days_late": self.closed.days_late,
            },
            "next": None if self.next_id is None else {"id": self.next_id, "due": self.next_due},
        }


def _active_customer(session: Session, ref: str | int) -> Customer:
    from bizops.services.lookup import find_customer

    customer = find_customer(session, ref)
    if customer.archived_on is not None:
        raise Conflict(
            f"customer {customer.code} {customer.name} is archived "
            f"({customer.archived_on.isoformat()}); restore it first with "
            f"`bizops customer restore {customer.code}`"
        )
    return customer


def _interaction_moment(
    at: str | datetime | None, *, today: date, now: datetime | None
) -> datetime:
    """When the interaction happened, timezone-aware; refused if it lies in the future."""
    clock = now if now is not None else datetime.now().astimezone()
    if clock.date() != today:
        clock = clock.replace(year=today.year, month=today.month, day=today.day)
    if clock.tzinfo is None:
        clock = clock.astimezone()
    if at is None or (isinstance(at, str) and not at.strip()):
        return clock
    moment = parse_datetime(at, clock, field="--at")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock.tzinfo)
    if moment.date() > today or moment > clock + timedelta(minutes=1):
        raise Invalid(
            f"--at: {moment.strftime('%Y-%m-%d %H:%M')} is in the future; log what has "
            "happened, and plan what will with --next or `bizops followups plan`"
        )
    return moment


def _followup_snapshot(f: FollowUp | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        "id": f.id,
        "due": f.due,
        "status": f.status,
        "kind": f.kind,
        "purpose": f.purpose,
        "closed_on": f.closed_on,
        "on_time": f.on_time,
        "snoozed_from": f.snoozed_from,
    }


def log_followup(
    session: Session,
    *,
    actor: User,
    customer: str | int,
    via: str,
    summary: str,
    policy: Policy,
    today: date,
    contact: str | None = None,
    outcome: str | None = None,
    next_due: str | date | None = None,
    at: str | datetime | None = None,
    now: datetime | None = None,
) -> LogResult:
    """Record an interaction, close the open follow-up and schedule the next one.

    The open follow-up is done on the day of the interaction (on time when that day is on
    or before its due date). The next one is ``next_due`` if given (a date the user chose, kept
    as planned), else the customer's cadence counted from the day of the interaction, moved
    off the weekend. Lost and dormant customers get the interaction recorded and no follow-up.
    An interaction older than the customer's last contact is history: the schedule stays.
    """
    from bizops.store import audit
    from bizops.store.models import FollowUp, Interaction

    found = _active_customer(session, customer)
    require_can_follow_up(actor, found)
    channel = one_of(via, CHANNELS, "--via")
    text = check_text(summary, "--summary", required=True, max_length=4000)
    assert text is not None
    contact_name = check_text(contact, "--contact", max_length=200)
    outcome_text = check_text(outcome, "--outcome", max_length=4000)
    moment = _interaction_moment(at, today=today, now=now)
    day = moment.date()
    planned: date | None = None
    if next_due is not None and not (isinstance(next_due, str) and not next_due.strip()):
        planned = parse_date(next_due, today, field="--next")
        if planned < today:
            raise Invalid(
                f"--next: {planned.isoformat()} is in the past; give today ({today.isoformat()}) "
                "or a later date"
            )
    active = cadence.has_followups(found.stage)
    if planned is not None and not active:
        raise Conflict(
            f"--next: customer {found.code} is {found.stage} and has no follow-ups; move it "
            f"back into the pipeline first (`bizops customer stage {found.code} ... --reason`)"
        )
    history_only = found.last_contact_on is not None and day < found.last_contact_on
    if history_only and planned is not None:
        raise Invalid(
            f"--next: this interaction ({day.isoformat()}) is older than the last contact "
            f"({found.last_contact_on.isoformat() if found.last_contact_on else ''}); it is "
            "recorded as history and does not change the schedule; use `bizops followups plan`"
        )

    assert found.id is not None and actor.id is not None
    current = open_followup(session, found.id)
    before = {
        "last_contact_on": found.last_contact_on,
        "open": _followup_snapshot(current),
    }
    interaction = Interaction(
        customer_id=found.id,
        at=moment.astimezone(UTC),
        on=day,
        via=channel,
        summary=text,
        contact=contact_name,
        outcome=outcome_text,
        actor_id=actor.id,
    )
    session.add(interaction)
    session.flush()
    assert interaction.id is not None

    closed: ClosedFollowUp | None = None
    upcoming: FollowUp | None = None
    if not history_only:
        if current is not None:
            assert current.id is not None
            current.status = DONE
            current.closed_on = day
            current.on_time = cadence.is_on_time(day, current.due)
            current.interaction_id = interaction.id
            interaction.followup_id = current.id
            session.add(current)
            session.add(interaction)
            # The partial unique index allows one open follow-up: close before opening.
            session.flush()
            closed = ClosedFollowUp(
                id=current.id,
                due=current.due,
                closed_on=day,
                on_time=current.on_time,
                days_late=cadence.days_late(day, current.due),
            )
        found.last_contact_on = day
        session.add(found)
        if active:
            if planned is not None:
                due, kind = planned, PLANNED
            else:
                computed = cadence.next_due(
                    policy,
                    grade=found.grade,
                    stage=found.stage,
                    last=day,
                    override=found.cadence_days,
                )
                assert computed is not None
                due, kind = computed, CADENCE
            upcoming = FollowUp(
                customer_id=found.id,
                due=due,
                status=OPEN,
                kind=kind,
                purpose=None,
                created_on=today,
            )
            session.add(upcoming)
        session.flush()
    elif current is not None:
        upcoming = current

    result = LogResult(
        interaction_id=interaction.id,
        customer_code=found.code,
        customer_name=found.name,
        via=channel,
        on=day,
        closed=closed,
        next_id=upcoming.id if upcoming is not None else None,
        next_due=upcoming.due if upcoming is not None else None,
        history_only=history_only,
    )
    audit.record(
        session,
        actor=actor.login,
        action="followup.log",
        entity_type="customer",
        entity_id=found.code,
        before=before,
        after={
            "interaction": {
                "id": interaction.id,
                "on": day,
                "at": interaction.at,
                "via": channel,
                "summary": text,
                "contact": contact_name,
                "outcome": outcome_text,
            },
            "closed": _followup_snapshot(current) if closed is not None else None,
            "last_contact_on": found.last_contact_on,
            "next": _followup_snapshot(upcoming),
        },
    )
    return result


# --- planning and snoozing -----------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpView:
    id: int
    code: str
    customer: str
    due: date
    kind: str
    purpose: str | None
    snoozed_from: date | None
    previous_due: date | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "code": self.code,
            "customer": self.customer,
            "due": self.due,
            "kind": self.kind,
            "purpose": self.purpose,
            "snoozed_from": self.snoozed_from,
            "previous_due": self.previous_due,
        }


def _view(f: FollowUp, customer: Customer, previous: date | None) -> FollowUpView:
    assert f.id is not None
    return FollowUpView(
        id=f.id,
        code=customer.code,
        customer=customer.name,
        due=f.due,
        kind=f.kind,
        purpose=f.purpose,
        snoozed_from=f.snoozed_from,
        previous_due=previous,
    )


def _future_date(value: str | date, today: date, field: str) -> date:
    day = parse_date(value, today, field=field)
    if day < today:
        raise Invalid(
            f"{field}: {day.isoformat()} is in the past; give today ({today.isoformat()}) "
            "or a later date"
        )
    return day


def plan_followup(
    session: Session,
    *,
    actor: User,
    customer: str | int,
    due: str | date,
    purpose: str,
    today: date,
) -> FollowUpView:
    """Set the open follow-up's date and purpose by hand (kind ``planned``).

    A planned date is the user's decision: later grade or stage changes keep it.
    """
    from bizops.store import audit
    from bizops.store.models import FollowUp

    found = _active_customer(session, customer)
    require_can_follow_up(actor, found)
    day = _future_date(due, today, "--due")
    text = check_text(purpose, "--purpose", required=True, max_length=2000)
    if not cadence.has_followups(found.stage):
        raise Conflict(
            f"customer {found.code} is {found.stage} and has no follow-ups; move it back into "
            f"the pipeline first (`bizops customer stage {found.code} ... --reason`)"
        )
    assert found.id is not None
    current = open_followup(session, found.id)
    if (
        current is not None
        and current.kind == PLANNED
        and current.due == day
        and current.purpose == text
    ):
        raise Invalid(
            f"--due: follow-up {current.id} is already planned for {day.isoformat()} "
            "with that purpose; nothing to change"
        )
    before = _followup_snapshot(current)
    previous = current.due if current is not None else None
    if current is None:
        current = FollowUp(
            customer_id=found.id, due=day, status=OPEN, kind=PLANNED, created_on=today
        )
    current.due, current.kind, current.purpose = day, PLANNED, text
    session.add(current)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="followup.plan",
        entity_type="followup",
        entity_id=str(current.id),
        before=before,
        after=_followup_snapshot(current),
    )
    return _view(current, found, previous)


def _followup_id(value: str | int) -> int:
    from bizops.services.lookup import MAX_ID

    text = str(value).strip()
    if not (text.isascii() and text.isdigit()):
        raise Invalid(f"ID: {value!r} is not a follow-up id; use the id shown by `followups due`")
    if int(text) > MAX_ID:  # beyond the id column's range: the driver would fail on it
        raise NotFound(f"ID: no follow-up {text}; see `bizops followups due`")
    return int(text)


def snooze_followup(
    session: Session,
    *,
    actor: User,
    followup: str | int,
    to: str | date,
    reason: str | None,
    today: date,
) -> FollowUpView:
    """Move an open follow-up to a later date, with a reason.

    ``snoozed_from`` keeps the date it was first due, however often it is snoozed; the audit
    log keeps every move.
    """
    from bizops.store import audit
    from bizops.store.models import Customer, FollowUp

    fid = _followup_id(followup)
    found = session.get(FollowUp, fid)
    if found is None:
        raise NotFound(f"ID: no follow-up {fid}; see `bizops followups due`")
    customer = session.get(Customer, found.customer_id)
    assert customer is not None
    require_can_follow_up(actor, customer)
    if found.status != OPEN:
        closed = f" on {found.closed_on.isoformat()}" if found.closed_on else ""
        raise Conflict(
            f"follow-up {fid} is {found.status}{closed}; only an open follow-up can be snoozed"
        )
    text = check_text(reason, "--reason", max_length=2000)
    if text is None:
        raise Invalid("--reason: say why the follow-up is snoozed (it is kept in the history)")
    day = _future_date(to, today, "--to")
    if day == found.due:
        raise Invalid(f"--to: follow-up {fid} is already due on {day.isoformat()}")
    before = _followup_snapshot(found)
    previous = found.due
    found.snoozed_from = found.snoozed_from or found.due
    found.snooze_reason = text
    found.due = day
    session.add(found)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="followup.snooze",
        entity_type="followup",
        entity_id=str(fid),
        before=before,
        after={**(_followup_snapshot(found) or {}), "reason": text},
    )
    return _view(found, customer, previous)


# --- history -------------------------------------------------------------------------------

HISTORY_KEYS = (
    "date",
    "type",
    "id",
    "via",
    "summary",
    "contact",
    "outcome",
    "by",
    "due",
    "status",
    "on_time",
    "days_late",
    "purpose",
)


def history(session: Session, *, customer: str | int, today: date) -> list[dict[str, Any]]:
    """The open follow-up first, then interactions and closed follow-ups, newest first."""
    from bizops.services.lookup import find_customer

    found = find_customer(session, customer)
    i, f, u = INTERACTIONS.c, FOLLOWUPS.c, USERS.c
    blank = dict.fromkeys(HISTORY_KEYS)
    rows: list[tuple[tuple[date, int, int], dict[str, Any]]] = []
    conn = session.connection()
    query = (
        select(i.id, i.on, i.via, i.summary, i.contact, i.outcome, u.login)
        .select_from(INTERACTIONS.join(USERS, u.id == i.actor_id))
        .where(i.customer_id == found.id)
    )
    for iid, on, via, summary, contact, outcome, login in conn.execute(query):
        rows.append(
            (
                (on, 1, iid),
                {
                    **blank,
                    "date": on,
                    "type": "interaction",
                    "id": iid,
                    "via": via,
                    "summary": summary,
                    "contact": contact,
                    "outcome": outcome,
                    "by": login,
                },
            )
        )
    opened: list[dict[str, Any]] = []
    query2 = select(
        f.id, f.due, f.status, f.kind, f.purpose, f.closed_on, f.on_time, f.snoozed_from
    ).where(f.customer_id == found.id)
    for fid, due, status, kind, purpose, closed_on, on_time, snoozed_from in conn.execute(query2):
        row = {
            **blank,
            "type": "followup",
            "id": fid,
            "due": due,
            "status": status,
            "purpose": purpose or (kind if kind != CADENCE else None),
        }
        if snoozed_from is not None:
            row["purpose"] = ", ".join(
                x for x in (row["purpose"], f"snoozed from {snoozed_from.isoformat()}") if x
            )
        if status == OPEN:
            overdue = cadence.days_overdue(due, today)
            row["date"] = due
            row["days_late"] = overdue or None
            opened.append(row)
            continue
        row["date"] = closed_on
        if status == DONE:
            row["on_time"] = bool(on_time)
            row["days_late"] = cadence.days_late(closed_on, due)
        rows.append(((closed_on, 0, fid), row))
    rows.sort(key=lambda item: item[0], reverse=True)
    return opened + [row for _, row in rows]


# --- calendar ------------------------------------------------------------------------------


def due_calendar(
    session: Session,
    *,
    today: date,
    now: datetime,
    policy: Policy,
    owner_ids: list[int] | None,
    until: date,
) -> tuple[bytes, int]:
    """An RFC 5545 calendar of the follow-ups due up to ``until``: (the file, event count).

    One all-day event per follow-up on its due date; the UID ``followup-<id>@bizops`` stays
    the same when the date moves, so a calendar app updates the event instead of adding one.
    """
    events = []
    for row in list_due(session, today=today, policy=policy, owner_ids=owner_ids, until=until):
        last = row["last_contact"].isoformat() if row["last_contact"] else "never"
        lines = [
            f"Customer: {row['customer']} ({row['code']})",
            f"Owner: {row['owner']}",
            f"Suggested channel: {row['channel']}",
            f"Last contact: {last}",
            f"Purpose: {row['purpose'] or 'regular follow-up'}",
        ]
        if row["days_overdue"]:
            lines.append(f"Overdue: {row['days_overdue']} day(s)")
        lines.append(f"Log it: bizops followups log {row['code']} --via ... --summary ...")
        events.append(
            DayEvent(
                uid=stable_uid("followup", row["id"]),
                day=row["due"],
                summary=f"Follow up: {row['customer']} ({row['grade']}, {row['stage']})",
                description="\n".join(lines),
                categories=("bizops", f"grade {row['grade']}"),
            )
        )
    return write_calendar(events, now=now, name="bizops follow-ups"), len(events)
