"""The rows a new customer is written as: the one builder that `customer add` (through the ORM)
and `customer import` (through bulk statements) both take their rows from. Pure: no I/O.

A new customer is five kinds of row: the customer, its contacts (the first one marked primary,
else the first one, is the primary contact), its tags, its first stage-history entry, and its
first follow-up, due by the cadence rules (``domain.cadence``): the first-contact rule for a
customer never contacted, the grade x stage cadence from its last contact otherwise, and none
for a lost or dormant one. Each row type's fields are the columns of its table, in order;
the customer id and code come from the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from bizops.domain import cadence
from bizops.domain.customer_fields import ContactIn, NewCustomer, contact_search_key, email_key
from bizops.domain.policy import Policy

__all__ = [
    "CADENCE",
    "FIRST_CONTACT",
    "OPEN",
    "ContactRow",
    "CustomerRow",
    "CustomerRowBuilder",
    "CustomerRows",
    "FollowUpRow",
    "StageRow",
    "build_customer_rows",
    "contact_rows",
    "primary_index",
]

# Follow-up status and kinds, as stored (the follow-up service reads and writes the same).
OPEN = "open"
FIRST_CONTACT = "first_contact"
CADENCE = "cadence"


class CustomerRow(NamedTuple):
    code: str
    name: str
    name_key: str
    grade: str
    stage: str
    owner_id: int
    industry: str | None
    region: str | None
    source: str | None
    potential: Decimal | None
    intent: str | None
    needs: str | None
    note: str | None
    cadence_days: int | None
    stage_since: date
    last_contact_on: date | None
    created_on: date
    created_at: datetime


class ContactRow(NamedTuple):
    name: str
    title: str | None
    phone: str | None
    email: str | None
    email_key: str | None
    search_key: str
    is_primary: bool


class StageRow(NamedTuple):
    from_stage: str | None
    to_stage: str
    on: date
    at: datetime
    actor: str
    reason: str | None


class FollowUpRow(NamedTuple):
    due: date
    status: str
    kind: str
    purpose: str | None
    created_on: date


class CustomerRows(NamedTuple):
    """Everything one new customer writes; the child rows take the customer's id."""

    customer: CustomerRow
    contacts: tuple[ContactRow, ...]
    tags: tuple[str, ...]
    stage: StageRow
    followup: FollowUpRow | None


class CustomerRowBuilder:
    """Builds the rows of new customers created together: by one actor, on one day, for one
    reason ("created", "imported from FILE"). One builder serves a whole import."""

    __slots__ = ("_first_due", "actor", "now", "policy", "reason", "today")

    def __init__(
        self, *, policy: Policy, today: date, now: datetime, actor: str, reason: str
    ) -> None:
        self.policy = policy
        self.today = today
        self.now = now
        self.actor = actor
        self.reason = reason
        self._first_due: dict[str, date] = {}

    def build(self, new: NewCustomer, *, code: str) -> CustomerRows:
        today, now = self.today, self.now
        customer = CustomerRow(
            code,
            new.name,
            new.name_key,
            new.grade,
            new.stage,
            new.owner_id,
            new.industry,
            new.region,
            new.source,
            new.potential,
            new.intent,
            new.needs,
            new.note,
            new.cadence_days,
            today,
            new.last_contact_on,
            today,
            now,
        )
        return CustomerRows(
            customer,
            contact_rows(new.contacts, primary=primary_index(new.contacts)),
            tuple(new.tags),
            StageRow(None, new.stage, today, now, self.actor, self.reason),
            self.followup(new),
        )

    def followup(self, new: NewCustomer) -> FollowUpRow | None:
        if not cadence.has_followups(new.stage):
            return None
        if new.last_contact_on is None:
            return FollowUpRow(
                self.first_contact_due(new.grade), OPEN, FIRST_CONTACT, "first contact", self.today
            )
        due = cadence.rescheduled_due(
            self.policy,
            grade=new.grade,
            stage=new.stage,
            last_contact=new.last_contact_on,
            created=self.today,
            today=self.today,
            override=new.cadence_days,
        )
        assert due is not None
        return FollowUpRow(due, OPEN, CADENCE, None, self.today)

    def first_contact_due(self, grade: str) -> date:
        due = self._first_due.get(grade)
        if due is None:
            due = cadence.first_contact_due(self.policy, grade=grade, created=self.today)
            self._first_due[grade] = due
        return due


def primary_index(contacts: Sequence[ContactIn]) -> int | None:
    """Which contact is the primary one: the first marked primary, else the first."""
    for i, contact in enumerate(contacts):
        if contact.primary:
            return i
    return 0 if contacts else None


def contact_rows(contacts: Sequence[ContactIn], *, primary: int | None) -> tuple[ContactRow, ...]:
    """Contacts as rows; ``primary`` is the index of the primary contact (None: none)."""
    return tuple(
        ContactRow(
            c.name,
            c.title,
            c.phone,
            c.email,
            email_key(c.email),
            contact_search_key(c.name, c.email, c.phone),
            i == primary,
        )
        for i, c in enumerate(contacts)
    )


def build_customer_rows(
    new: NewCustomer,
    *,
    code: str,
    policy: Policy,
    today: date,
    now: datetime,
    actor: str,
    reason: str,
) -> CustomerRows:
    """The rows of one new customer (see the module's docstring)."""
    builder = CustomerRowBuilder(policy=policy, today=today, now=now, actor=actor, reason=reason)
    return builder.build(new, code=code)
