"""Checking the rows of an import file: each row by the same field rules as `customer add`
(``bizops.domain.customer_fields``), then against the database and the rest of the file.

- A row whose name matches an existing customer (by ``name_key``: case, width and punctuation
  ignored, archived customers included) is *already present*: it is skipped without error and
  never updates the existing customer. That makes importing the same file twice a no-op.
- A second row with the same name in the file, a contact email used twice in the file, or an
  email that already belongs to another customer is a bad row.
- Stages are taken as given (``pipeline.check_starting_stage``): an import migrates records.
- A phone or email without a contact name (a lead list's switchboard and mailbox) is the
  company's own, unless the row also gives company_phone/company_email: then it is a
  contact's without a name, a bad row. An ``archived`` row imports archived.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from datetime import date
from functools import partial

from sqlalchemy import select
from sqlmodel import Session

from bizops.domain.customer_fields import (
    COLUMNS,
    Company,
    ContactIn,
    NewCustomer,
    check_contact_parts,
    check_new_customer,
    email_key,
    parse_archived,
    parse_contact,
)
from bizops.domain.errors import Invalid
from bizops.domain.text import fold
from bizops.domain.validate import check_email, check_phone
from bizops.i18n import _
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
            raise Invalid(_("owner: empty; give a user's login"))
        entry = self.by_login.get(value.lower())
        if entry is None:
            candidates = self.by_name.get(fold(value), [])
            if len(candidates) > 1:
                raise Invalid(
                    _("owner: {value!r} is ambiguous; it could be {logins}").format(
                        value=value, logins=", ".join(c[2] for c in candidates)
                    )
                )
            entry = candidates[0] if candidates else None
        if entry is None:
            raise Invalid(_("owner: no user {value!r}; see `bizops user list`").format(value=value))
        if not entry[1]:
            raise Invalid(_("owner: user {login} is deactivated").format(login=entry[2]))
        return entry[0]


def company_fallback(values: dict[str, str]) -> dict[str, str]:
    """The row with a nameless contact's phone and email moved to the company's own (when
    the row gives no title and not the company's own already). A malformed value stays
    where it is, to be reported as the contact's."""
    get = values.get
    if (get("contact") or "").strip() or (get("title") or "").strip():
        return values
    moved = values
    for own, company, check in _FALLBACK:
        value = (get(own) or "").strip()
        if not value or (get(company) or "").strip():
            continue
        try:
            check(value)
        except Invalid:
            continue
        if moved is values:
            moved = dict(values)
        moved[company] = moved.pop(own)
    return moved


_FALLBACK = (("phone", "company_phone", check_phone), ("email", "company_email", check_email))


def contacts_of_row(values: dict[str, str]) -> list[ContactIn]:
    """The contact columns (contact, title, phone, email) and ``more_contacts``."""
    out: list[ContactIn] = []
    cname = (values.get("contact") or "").strip()
    title = values.get("title", "").strip() or None
    phone = values.get("phone", "").strip() or None
    email = values.get("email", "").strip() or None
    if cname or title or phone or email:
        if not cname:
            check_contact_parts("-", title, phone, email)
            raise Invalid(
                _(
                    "contact: a title, phone or email is given without the contact's name "
                    "(column contact/联系人)"
                )
            )
        out.append(check_contact_parts(cname, title, phone, email))
    more = (values.get("more_contacts") or "").strip()
    if more:
        for part in more.split("|"):
            if part.strip():
                out.append(parse_contact(part, field="more_contacts"))
    return out


def check_row(raw: RawRow, owners: Owners, today: date) -> NewCustomer:
    """One row checked completely: every problem is collected, then raised together."""
    values = company_fallback(raw.values)
    get = values.get
    company = None
    if not _COMPANY_KEYS.isdisjoint(values):
        company = Company(
            get("company_phone"),
            get("company_email"),
            get("website"),
            get("address"),
            get("credit_code"),
            parse_archived(get("archived"), today=today),
        )
    return check_new_customer(
        name=get("name"),
        grade=get("grade"),
        stage=get("stage"),
        owner=partial(owners.resolve, get("owner") or ""),
        contacts=partial(contacts_of_row, values),
        industry=get("industry"),
        region=get("region"),
        source=get("source"),
        potential=get("potential"),
        intent=get("intent"),
        tags=[get("tags") or ""],
        note=get("note"),
        needs=get("needs"),
        company=company,
        imported=True,
        labels=COLUMNS,
        collect=True,
    )


# A row without these (most files) is checked without company details.
_COMPANY_KEYS = frozenset(
    ("company_phone", "company_email", "website", "address", "credit_code", "archived")
)


class Seen:
    """Keys met so far in the file (names, emails), each with the number of the row that had
    it (``RawRow.number``), for a file of a million rows: an open-addressed table of 64-bit
    hashes and row numbers in two arrays, 12 bytes a slot and at most four fifths full, where
    a dict of digests and "line N" texts took about 130 bytes a key (a million rows' names
    and emails: 30 MB instead of 260). A key is known by Python's hash of it (the same
    throughout the import); two keys sharing one (one chance in 10^7 for a million keys)
    would report a duplicate that is not, as the digests kept before would have."""

    __slots__ = ("count", "expected", "hashes", "numbers", "size")

    def __init__(self, expected: int) -> None:
        self.expected = max(expected, 1000)
        self.count = self.size = 0
        self.hashes = array("Q")
        self.numbers = array("I")

    def get(self, key: str) -> int | None:
        """The number of the row that had ``key``, None if none has."""
        if not self.count:
            return None
        h = hash(key) & _MASK or 1
        hashes, size = self.hashes, self.size
        slot = h % size
        while found := hashes[slot]:
            if found == h:
                return self.numbers[slot]
            slot = slot + 1 if slot + 1 < size else 0
        return None

    def add(self, key: str, number: int) -> None:
        if 5 * self.count >= 4 * self.size:
            self._grow()
        self._put(hash(key) & _MASK or 1, number)

    def _put(self, h: int, number: int) -> None:
        hashes, size = self.hashes, self.size
        slot = h % size
        while found := hashes[slot]:
            if found == h:
                break
            slot = slot + 1 if slot + 1 < size else 0
        else:
            self.count += 1
        hashes[slot] = h
        self.numbers[slot] = number

    def _grow(self) -> None:
        """Room for the file's rows (``expected``) at first, then twice as many slots."""
        old = zip(self.hashes, self.numbers, strict=True) if self.size else ()
        self.size = max(self.size * 2, self.expected * 5 // 4 + 1)
        self.hashes = array("Q", (0,)) * self.size
        self.numbers = array("I", (0,)) * self.size
        self.count = 0
        for h, number in old:
            if h:
                self._put(h, number)


_MASK = (1 << 64) - 1


class RowChecker:
    """The good rows of a table, in file order, as ``rows()`` yields them; the bad rows (with
    their reasons) and the rows already present are noted on the way."""

    def __init__(self, session: Session, table: Table, today: date) -> None:
        self.table = table
        self.today = today
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
        # The table's own problems (rows wider than the header) join these as it is read.
        self.bad: list[tuple[RawRow, str]] = table.problems
        self.present: list[str] = []
        # The keys met in the file so far, with the row that had them.
        self.names_in_file = Seen(table.expected)
        self.emails_in_file = Seen(table.expected)

    def rows(self, progress: Progress, *, all_or_nothing: bool) -> Iterator[NewCustomer]:
        """Every row is checked; with ``all_or_nothing``, once a row is bad (the import will
        be rolled back) the good rows that follow are no longer yielded."""
        total = self.table.expected
        bad = self.bad
        already_present = _("{where}: {name} already present")
        for i, raw in enumerate(self.table.rows, start=1):
            if i % 2000 == 0:
                progress("importing", i, total)
            try:
                row = check_row(raw, self.owners, self.today)
            except Invalid as exc:
                self.bad.append((raw, exc.message))
                continue
            if row.name_key in self.existing_names:
                self.present.append(already_present.format(where=raw.where, name=row.name))
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
            self.names_in_file.add(row.name_key, raw.number)
            for ekey in emails:
                self.emails_in_file.add(ekey, raw.number)
            if not (all_or_nothing and bad):
                yield row

    def _clashes(self, row: NewCustomer, emails: list[str]) -> list[str]:
        """A name earlier in the file; emails of other customers or earlier rows, or twice."""
        problems = []
        earlier = self.names_in_file.get(row.name_key)
        if earlier is not None:
            problems.append(
                _("name: {name!r} duplicates {where} of this file").format(
                    name=row.name, where=self.table.where(earlier)
                )
            )
        for ekey in emails:
            if ekey in self.existing_emails:
                problems.append(
                    _("email: {email} is already a contact of customer {customer}").format(
                        email=ekey, customer=self.existing_emails[ekey]
                    )
                )
            elif (on := self.emails_in_file.get(ekey)) is not None:
                problems.append(
                    _("email: {email} is also on {where} of this file").format(
                        email=ekey, where=self.table.where(on)
                    )
                )
        if len(set(emails)) != len(emails):
            problems.append(_("email: the same email is given twice in this row"))
        return problems
