"""The rows a new customer is written as: the one builder that `customer add` (through the ORM)
and `customer import` (through bulk statements) both take their rows from. Pure: no I/O.

A new customer is five kinds of row: the customer, its contacts (the first one marked primary,
else the first one, is the primary contact), its tags, its first stage-history entry, and its
first follow-up, due by the cadence rules (``domain.cadence``): the first-contact rule for a
customer never contacted, the grade x stage cadence from its last contact otherwise, and none
for a lost or dormant one, or an archived one (an import keeps the archived flag). Each row type's fields are columns of its table, by name; the
customer's id and code come from the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from bizops.domain import cadence
from bizops.domain.customer_fields import ContactIn, NewCustomer, contact_search_key, email_key
from bizops.domain.pinyin import pinyin_keys
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
    name_pinyin: str  # for search by pinyin (bizops.domain.pinyin)
    name_initials: str
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
    phone: str | None = None  # the company's own
    email: str | None = None
    website: str | None = None
    address: str | None = None
    credit_code: str | None = None
    archived_on: date | None = None


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


# Everything one new customer writes: (customer, contacts, tags, first stage entry, first
# follow-up or None). A plain tuple: an import builds 100,000 of them; the child rows take
# the customer's id.
CustomerRows = tuple[
    CustomerRow, tuple[ContactRow, ...], tuple[str, ...], StageRow, FollowUpRow | None
]


class CustomerRowBuilder:
    """Builds the rows of new customers created together: by one actor, on one day, for one
    reason ("created", "imported from FILE"). One builder serves a whole import."""

    __slots__ = ("_first_followups", "_stages", "actor", "now", "policy", "reason", "today")

    def __init__(
        self, *, policy: Policy, today: date, now: datetime, actor: str, reason: str
    ) -> None:
        self.policy = policy
        self.today = today
        self.now = now
        self.actor = actor
        self.reason = reason
        # Rows that only depend on the grade or the stage, built once (rows are immutable).
        self._first_followups: dict[str, FollowUpRow] = {}
        self._stages: dict[str, tuple[StageRow, bool]] = {}

    def build(self, new: NewCustomer, *, code: str) -> CustomerRows:
        """The rows of one checked customer, numbered ``code``."""
        # One unpacking rather than a field lookup each: an import builds 100,000 of these.
        (name, key, grade, stage, owner_id, industry, region, source, potential, intent,
         tags, contacts, note, needs, cadence_days, last_contact_on,
         phone, email, website, address, credit_code, archived_on) = new  # fmt: skip
        today = self.today
        stage_row, followed = self._stages.get(stage) or self._stage(stage)
        if not followed or archived_on is not None:  # an archived customer is not followed up
            followup = None
        elif last_contact_on is None:
            followup = self._first_followups.get(grade) or self._first_followup(grade)
        else:
            followup = self.cadence_followup(grade, stage, last_contact_on, cadence_days)
        full, initials = pinyin_keys(name)
        customer = CustomerRow(
            code, name, key, full, initials, grade, stage, owner_id, industry, region, source,
            potential, intent, needs, note, cadence_days, today, last_contact_on, today, self.now,
            phone, email, website, address, credit_code, archived_on,
        )  # fmt: skip
        # A lone contact is the primary one, marked or not.
        primary = primary_index(contacts) if len(contacts) > 1 else 0
        contact_part = contact_rows(contacts, primary=primary) if contacts else ()
        return customer, contact_part, tuple(tags), stage_row, followup

    def cadence_followup(
        self, grade: str, stage: str, last_contact_on: date, cadence_days: int | None
    ) -> FollowUpRow:
        """The first follow-up of a customer contacted before: its cadence from that contact."""
        due = cadence.rescheduled_due(
            self.policy,
            grade=grade,
            stage=stage,
            last_contact=last_contact_on,
            created=self.today,
            today=self.today,
            override=cadence_days,
        )
        assert due is not None
        return FollowUpRow(due, OPEN, CADENCE, None, self.today)

    def _first_followup(self, grade: str) -> FollowUpRow:
        due = cadence.first_contact_due(self.policy, grade=grade, created=self.today)
        row = FollowUpRow(due, OPEN, FIRST_CONTACT, "first contact", self.today)
        self._first_followups[grade] = row
        return row

    def _stage(self, stage: str) -> tuple[StageRow, bool]:
        """The first stage entry at ``stage``, and whether a customer there is followed up."""
        row = StageRow(None, stage, self.today, self.now, self.actor, self.reason)
        self._stages[stage] = (row, cadence.has_followups(stage))
        return self._stages[stage]


def primary_index(contacts: Sequence[ContactIn]) -> int | None:
    """Which contact is the primary one: the first marked primary, else the first."""
    for i, contact in enumerate(contacts):
        if contact.primary:
            return i
    return 0 if contacts else None


def contact_rows(contacts: Sequence[ContactIn], *, primary: int | None) -> tuple[ContactRow, ...]:
    """Contacts as rows; ``primary`` is the index of the primary contact (None: none)."""
    rows = []
    for i, c in enumerate(contacts):
        search_key = contact_search_key(c.name, c.email, c.phone)
        rows.append(
            ContactRow(
                c.name, c.title, c.phone, c.email, email_key(c.email), search_key, i == primary
            )
        )
    return tuple(rows)


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
    """The rows of one new customer: (customer, contacts, tags, stage entry, follow-up)."""
    builder = CustomerRowBuilder(policy=policy, today=today, now=now, actor=actor, reason=reason)
    return builder.build(new, code=code)
