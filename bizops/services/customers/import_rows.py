"""Checking the rows of an import file: each row by the same field rules as `customer add`
(``bizops.domain.customer_fields``), then against the database and the rest of the file.

- A row whose name matches an existing customer (by ``name_key``: case, width and punctuation
  ignored, archived customers included) is *already present*: it is skipped without error and
  never updates the existing customer. That makes importing the same file twice a no-op.
- A second row with the same name in the file, a contact email used twice in the file, or an
  email that already belongs to another customer is a bad row.
- Stages are taken as given (``pipeline.check_starting_stage``): an import migrates records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from sqlalchemy import select
from sqlmodel import Session

from bizops.domain.customer_fields import (
    COLUMNS,
    ContactIn,
    NewCustomer,
    check_contact,
    check_new_customer,
    email_key,
    parse_contact,
)
from bizops.domain.errors import Invalid
from bizops.domain.text import fold
from bizops.services.customers.import_files import RawRow, Table
from bizops.store.models import Contact, Customer, User

__all__ = ["Owners", "RowChecker", "check_row", "contacts_of_row"]

Progress = Callable[[str, int, int], None]


class Owners:
    """Owners by login or display name, read once."""

    def __init__(self, session: Session) -> None:
        u = User.__table__.c  # type: ignore[attr-defined]
        self.by_login: dict[str, tuple[int, bool, str]] = {}
        self.by_name: dict[str, list[tuple[int, bool, str]]] = {}
        for uid, login, uname, active in session.execute(select(u.id, u.login, u.name, u.active)):
            entry = (uid, bool(active), login)
            self.by_login[login.lower()] = entry
            self.by_name.setdefault(fold(uname), []).append(entry)

    def resolve(self, text: str) -> int:
        value = text.strip()
        if not value:
            raise Invalid("owner: empty; give a user's login")
        entry = self.by_login.get(value.lower())
        if entry is None:
            candidates = self.by_name.get(fold(value), [])
            if len(candidates) > 1:
                raise Invalid(
                    f"owner: {value!r} is ambiguous; it could be "
                    f"{', '.join(c[2] for c in candidates)}"
                )
            entry = candidates[0] if candidates else None
        if entry is None:
            raise Invalid(f"owner: no user {value!r}; see `bizops user list`")
        if not entry[1]:
            raise Invalid(f"owner: user {entry[2]} is deactivated")
        return entry[0]


def contacts_of_row(values: dict[str, str]) -> list[ContactIn]:
    """The contact columns (contact, title, phone, email) and ``more_contacts``."""
    out: list[ContactIn] = []
    cname = (values.get("contact") or "").strip()
    title = values.get("title", "").strip() or None
    phone = values.get("phone", "").strip() or None
    email = values.get("email", "").strip() or None
    if cname or title or phone or email:
        if not cname:
            check_contact(
                ContactIn(name="-", title=title, phone=phone, email=email), field="contact"
            )
            raise Invalid(
                "contact: a title, phone or email is given without the contact's name "
                "(column contact/联系人)"
            )
        out.append(
            check_contact(
                ContactIn(name=cname, title=title, phone=phone, email=email), field="contact"
            )
        )
    more = (values.get("more_contacts") or "").strip()
    if more:
        for part in more.split("|"):
            if part.strip():
                out.append(parse_contact(part, field="more_contacts"))
    return out


def check_row(raw: RawRow, owners: Owners) -> NewCustomer:
    """One row checked completely: every problem is collected, then raised together."""
    get = raw.values.get
    return check_new_customer(
        name=get("name"),
        grade=get("grade"),
        stage=get("stage"),
        owner=partial(owners.resolve, get("owner") or ""),
        contacts=partial(contacts_of_row, raw.values),
        industry=get("industry"),
        region=get("region"),
        source=get("source"),
        potential=get("potential"),
        intent=get("intent"),
        tags=[get("tags") or ""],
        note=get("note"),
        needs=get("needs"),
        imported=True,
        labels=COLUMNS,
        collect=True,
    )


class RowChecker:
    """The good rows of a table, in file order, as ``rows()`` yields them; the bad rows (with
    their reasons) and the rows already present are noted on the way."""

    def __init__(self, session: Session, table: Table) -> None:
        self.table = table
        self.owners = Owners(session)
        c = Customer.__table__.c  # type: ignore[attr-defined]
        k = Contact.__table__.c  # type: ignore[attr-defined]
        self.existing_names = {key for (key,) in session.execute(select(c.name_key))}
        self.existing_emails: dict[str, str] = {}
        for ekey, code, cname in session.execute(
            select(k.email_key, c.code, c.name)
            .select_from(Contact.__table__.join(Customer.__table__, c.id == k.customer_id))  # type: ignore[attr-defined]
            .where(k.email_key.is_not(None))
        ):
            self.existing_emails.setdefault(ekey, f"{code} {cname}")
        self.bad: list[tuple[RawRow, str]] = list(table.problems)
        self.present: list[str] = []
        self.names_in_file: dict[str, str] = {}
        self.emails_in_file: dict[str, str] = {}

    def rows(self, progress: Progress, *, all_or_nothing: bool) -> Iterator[NewCustomer]:
        """Every row is checked; with ``all_or_nothing``, once a row is bad (the import will
        be rolled back) the good rows that follow are no longer yielded."""
        total = len(self.table.rows)
        bad = self.bad
        for i, raw in enumerate(self.table.rows, start=1):
            if i % 2000 == 0:
                progress("importing", i, total)
            try:
                row = check_row(raw, self.owners)
            except Invalid as exc:
                self.bad.append((raw, exc.message))
                continue
            if row.name_key in self.existing_names:
                self.present.append(f"{raw.where}: {row.name} already present")
                continue
            emails = []
            for contact in row.contacts:
                key = email_key(contact.email)
                if key:
                    emails.append(key)
            problems = self._clashes(row, emails)
            if problems:
                self.bad.append((raw, "; ".join(problems)))
                continue
            self.names_in_file[row.name_key] = raw.where
            for ekey in emails:
                self.emails_in_file[ekey] = raw.where
            if not (all_or_nothing and bad):
                yield row

    def _clashes(self, row: NewCustomer, emails: list[str]) -> list[str]:
        """A name earlier in the file; emails of other customers or earlier rows, or twice."""
        problems = []
        if row.name_key in self.names_in_file:
            problems.append(
                f"name: {row.name!r} duplicates {self.names_in_file[row.name_key]} of this file"
            )
        for ekey in emails:
            if ekey in self.existing_emails:
                problems.append(
                    f"email: {ekey} is already a contact of customer {self.existing_emails[ekey]}"
                )
            elif ekey in self.emails_in_file:
                problems.append(
                    f"email: {ekey} is also on {self.emails_in_file[ekey]} of this file"
                )
        if len(set(emails)) != len(emails):
            problems.append("email: the same email is given twice in this row")
        return problems
