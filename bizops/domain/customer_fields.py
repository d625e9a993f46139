"""A customer's fields as people type them, checked: one set of rules for `customer add`,
`customer update`, contacts and `customer import`. Pure: no I/O.

``check_new_customer`` runs the checks of one new customer in one order for both ways in:
`customer add` stops at the first problem, an import row collects every problem of the row.
Only the names in messages differ: options (``--grade``) for the one, columns for the other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache, partial
from operator import call
from typing import Any, NamedTuple

from bizops.domain.credit_code import credit_code_problem, normalise_credit_code
from bizops.domain.dates import parse_date
from bizops.domain.errors import BizopsError, Invalid
from bizops.domain.invoicing import CREDIT_CODE_REASONS
from bizops.domain.money import parse_money
from bizops.domain.pipeline import check_starting_stage
from bizops.domain.text import fold, name_key
from bizops.domain.validate import check_email, check_line, check_phone, check_text, check_url
from bizops.domain.vocab import GRADES, INTENTS, STAGES, one_of
from bizops.i18n import _, current_language

__all__ = [
    "COLUMNS",
    "MAX_CADENCE_DAYS",
    "OPTIONS",
    "NO_COMPANY",
    "Company",
    "ContactIn",
    "Labels",
    "NewCustomer",
    "check_contact",
    "check_contact_parts",
    "check_company",
    "check_credit_code",
    "check_name",
    "check_new_customer",
    "contact_search_key",
    "email_key",
    "format_contact",
    "parse_archived",
    "parse_cadence",
    "parse_contact",
    "parse_contacts",
    "parse_grade",
    "parse_intent",
    "parse_potential",
    "parse_stage",
    "parse_starting_stage",
    "parse_tags",
    "repeated_email",
    "text_field",
]

MAX_CADENCE_DAYS = 365
_TAG_SPLIT = re.compile(r"[,;，；、]")
_CONTACT_SPLIT = re.compile(r"[,，]")
_DIGITS = re.compile(r"\D")
_PHONE_LIKE = re.compile(r"\+?[\d\s\-()./]*\d[\d\s\-()./]*((ext\.?|x|转)\s*\d+)?", re.IGNORECASE)

# Free text in customer records: the shared rule (trimmed, no control characters, bounded).
text_field = check_text


@dataclass(frozen=True)
class ContactIn:
    name: str
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    primary: bool = False


def _looks_like_phone(text: str) -> bool:
    """Phone characters only (digits, +, spaces, dashes, brackets, an extension); whether it is
    a well-formed number is for ``check_phone`` to say."""
    return bool(_PHONE_LIKE.fullmatch(text))


def parse_contact(text: str, *, field: str = "--contact") -> ContactIn:
    """ "Name, title, phone, email": the name comes first; an email or phone is recognised
    wherever it stands, so "张伟, 13800138000" and "Li Lei, Buyer, li@x.com" both work."""
    parts = [p.strip() for p in _CONTACT_SPLIT.split(text)]
    parts = [p for p in parts if p]
    if not parts:
        raise Invalid(_('{field}: empty; write "Name, title, phone, email"').format(field=field))
    name, rest = parts[0], parts[1:]
    title = phone = email = None
    for part in rest:
        if "@" in part:
            if email:
                raise Invalid(
                    _("{field}: two email addresses in {text}").format(field=field, text=repr(text))
                )
            email = part
        elif _looks_like_phone(part):
            if phone:
                raise Invalid(
                    _("{field}: two phone numbers in {text}").format(field=field, text=repr(text))
                )
            phone = part
        elif title is None:
            title = part
        else:
            raise Invalid(
                _(
                    '{field}: cannot read {text}; write "Name, title, phone, email" '
                    "(title, phone and email are optional)"
                ).format(field=field, text=repr(text))
            )
    return check_contact(ContactIn(name=name, title=title, phone=phone, email=email), field=field)


def parse_contacts(
    contacts: Iterable[str | ContactIn], *, field: str = "--contact"
) -> list[ContactIn]:
    """Contacts given as text ("Name, title, phone, email") or as ``ContactIn``, checked."""
    return [
        parse_contact(c, field=field) if isinstance(c, str) else check_contact(c, field=field)
        for c in contacts
    ]


def format_contact(c: dict[str, Any] | ContactIn) -> str:
    """The inverse of ``parse_contact``: "Name, title, phone, email" without empty parts."""
    get = c.get if isinstance(c, dict) else lambda k: getattr(c, k)
    return ", ".join(str(get(k)) for k in ("name", "title", "phone", "email") if get(k))


@lru_cache(maxsize=16)
def _contact_labels(field: str, language: str) -> tuple[str, str, str, str]:
    """How messages name a contact's parts, in ``language``: worked out once, not per contact
    (an import checks every contact of 100,000 rows)."""
    return (
        _("{field} name").format(field=field),
        _("{field} title").format(field=field),
        _("{field} phone").format(field=field),
        _("{field} email").format(field=field),
    )


def check_contact(contact: ContactIn, *, field: str = "contact") -> ContactIn:
    return check_contact_parts(
        contact.name,
        contact.title,
        contact.phone,
        contact.email,
        primary=contact.primary,
        field=field,
    )


def check_contact_parts(
    name: str,
    title: str | None,
    phone: str | None,
    email: str | None,
    *,
    primary: bool = False,
    field: str = "contact",
) -> ContactIn:
    """A contact's parts as typed, checked (``check_contact`` without building the contact
    twice: an import checks the contact of every row)."""
    name_label, title_label, phone_label, email_label = _contact_labels(field, current_language())
    checked = check_line(name, name_label, required=True, max_length=200)
    assert checked is not None
    if "@" in checked and email is None:
        raise Invalid(
            _('{field}: the first part is the name; write "Name, title, phone, email"').format(
                field=field
            )
        )
    return ContactIn(
        checked,
        check_line(title, title_label, max_length=100),
        check_phone(phone, phone_label),
        check_email(email, email_label),
        primary,
    )


# Emails, tags and contacts' names repeat: an import folds each email for its checks and again
# for its row, and most customers share a few tags. Folding (NFKC) is the dearest step of checking a row.
_fold_again = lru_cache(maxsize=1024)(fold)


def contact_search_key(name: str, email: str | None, phone: str | None) -> str:
    """What search looks in for a contact: folded name and email, and the phone's digits."""
    parts = [_fold_again(name), _fold_again(email or ""), _DIGITS.sub("", phone or "")]
    return " | ".join(parts)


def email_key(email: str | None) -> str | None:
    return _fold_again(email) if email else None


def repeated_email(contacts: Iterable[ContactIn]) -> str | None:
    """The first email given for two of these contacts (case and width ignored), if any."""
    seen: set[str] = set()
    for contact in contacts:
        key = email_key(contact.email)
        if key is None:
            continue
        if key in seen:
            return contact.email
        seen.add(key)
    return None


def parse_tags(values: Iterable[str], *, field: str = "--tag") -> list[str]:
    """Tags, repeated or separated by , ; 、: folded (width, case), without repeats."""
    out: list[str] = []
    for value in values:
        for part in _TAG_SPLIT.split(value or ""):
            tag = _fold_again(part)
            if not tag:
                continue
            if len(tag) > 64:
                raise Invalid(
                    _("{field}: {value} is longer than 64 characters").format(
                        field=field, value=repr(part)
                    )
                )
            if tag not in out:
                out.append(tag)
    return out


def check_name(name: str | None, field: str = "name") -> str:
    text = check_line(name, field, required=True, max_length=300)
    assert text is not None
    if not name_key(text):
        raise Invalid(
            _("{field}: {value} has no letters or digits").format(field=field, value=repr(name))
        )
    return text


def parse_potential(
    value: str | Decimal | int | None, field: str = "--potential"
) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    amount = parse_money(value, field=field)
    if amount < 0:
        raise Invalid(_("{field}: a purchasing potential cannot be negative").format(field=field))
    return amount


def parse_intent(value: str | None, field: str = "--intent") -> str | None:
    if value is None or not value.strip():
        return None
    return one_of(value, INTENTS, field)


def parse_grade(value: str | None, field: str = "--grade") -> str:
    return one_of(value, GRADES, field, upper=True)


def parse_stage(value: str | None, field: str = "--stage") -> str:
    return one_of(value, STAGES, field)


def parse_starting_stage(value: str | None, *, imported: bool, field: str = "--stage") -> str:
    """A new customer's stage: prospect when not given, else one of the stages, by the
    starting-stage rule (``pipeline.check_starting_stage``)."""
    stage = parse_stage(value or "prospect", field)
    return check_starting_stage(stage, imported=imported, field=field)


def parse_cadence(value: int | None, field: str = "--cadence") -> int | None:
    if value is None:
        return None
    if not 1 <= value <= MAX_CADENCE_DAYS:
        raise Invalid(
            _("{field}: {value} days; a cadence is 1 to {maximum} days").format(
                field=field, value=value, maximum=MAX_CADENCE_DAYS
            )
        )
    return value


def check_credit_code(value: str | None, field: str = "--credit-code") -> str | None:
    """A unified social credit code (GB 32100 check digit), normalised; empty is None."""
    if value is None or not value.strip():
        return None
    reason = credit_code_problem(value)
    if reason is not None:
        raise Invalid(
            _("{field}: {value}: {reason}").format(
                field=field, value=repr(value), reason=_(CREDIT_CODE_REASONS[reason])
            )
        )
    return normalise_credit_code(value)


_YES = frozenset({"true", "yes", "y", "1", "是", "已归档", "归档"})
_NO = frozenset({"", "false", "no", "n", "0", "否", "未归档"})


def parse_archived(value: str | None, *, today: date, field: str = "archived") -> date | None:
    """An import's ``archived`` cell: the day it was archived (as `customer export` writes
    it), or yes/true/是 (archived today); empty, no, false or 否 is not archived."""
    text = (value or "").strip().casefold()
    if text in _NO:
        return None
    if text in _YES:
        return today
    try:
        return parse_date(text, today=today)
    except BizopsError:
        raise Invalid(
            _("{field}: {value} is neither a date nor yes/no").format(
                field=field, value=repr(value)
            )
        ) from None


# --------------------------------------------------------------------------- one new customer


class NewCustomer(NamedTuple):
    """One new customer, checked: what the row builder (``customer_rows``) writes."""

    name: str
    name_key: str
    grade: str
    stage: str
    owner_id: int
    industry: str | None = None
    region: str | None = None
    source: str | None = None
    potential: Decimal | None = None
    intent: str | None = None
    tags: Sequence[str] = ()
    contacts: Sequence[ContactIn] = ()
    note: str | None = None
    needs: str | None = None
    cadence_days: int | None = None
    last_contact_on: date | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    address: str | None = None
    credit_code: str | None = None
    archived_on: date | None = None


@dataclass(frozen=True)
class Labels:
    """How messages name each field: the options of `customer add`, or the columns of an
    import file (the name is "name" in both)."""

    grade: str
    stage: str
    industry: str
    region: str
    source: str
    potential: str
    intent: str
    tags: str
    note: str
    needs: str
    cadence: str
    phone: str
    email: str
    website: str
    address: str
    credit_code: str


OPTIONS = Labels(
    grade="--grade",
    stage="--stage",
    industry="--industry",
    region="--region",
    source="--source",
    potential="--potential",
    intent="--intent",
    tags="--tag",
    note="--note",
    needs="--needs",
    cadence="--cadence",
    phone="--phone",
    email="--email",
    website="--website",
    address="--address",
    credit_code="--credit-code",
)
COLUMNS = Labels(
    grade="grade",
    stage="stage",
    industry="industry",
    region="region",
    source="source",
    potential="potential",
    intent="intent",
    tags="tags",
    note="note",
    needs="needs",
    cadence="cadence",
    phone="company_phone",
    email="company_email",
    website="website",
    address="address",
    credit_code="credit_code",
)


def check_new_customer(
    *,
    name: str | None,
    grade: str | None,
    stage: str | None,
    owner: Callable[[], int],
    contacts: Callable[[], Sequence[ContactIn]],
    industry: str | None = None,
    region: str | None = None,
    source: str | None = None,
    potential: str | Decimal | int | None = None,
    intent: str | None = None,
    tags: Sequence[str] = (),
    note: str | None = None,
    needs: str | None = None,
    cadence: int | None = None,
    last_contact: date | None = None,
    company: Company | None = None,
    imported: bool = False,
    labels: Labels = OPTIONS,
    collect: bool = False,
) -> NewCustomer:
    """Check every field of one new customer, in one order, and return it checked.

    ``owner`` and ``contacts`` are read by the caller's own rules (a user lookup, columns)
    and run here in their turn. The first problem raises, unless ``collect``: then every
    problem is gathered and raised together as one ``Invalid`` ("grade: ...; owner: ...").
    The starting stage follows ``pipeline.check_starting_stage``.
    """
    fields = (name, grade, stage, owner, contacts, industry, region, source, potential, intent,
              tags, note, needs, cadence, last_contact, company or NO_COMPANY)  # fmt: skip
    try:
        # Each check runs directly: most rows are good, and an import checks 100,000 of them.
        return _check(fields, imported, labels, call)
    except BizopsError as first:
        if not collect:
            raise
        # A bad row: check it again, noting every problem rather than stopping at the first.
        problems: list[str] = []
        _check(fields, imported, labels, partial(_noting, problems))
        raise Invalid(_("; ").join(problems) or first.message) from None


def _noting(problems: list[str], check: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run one check; its problem is noted, and the value is None."""
    try:
        return check(*args, **kwargs)
    except BizopsError as exc:
        problems.append(exc.message)
        return None


def _check(
    fields: tuple[Any, ...], imported: bool, labels: Labels, take: Callable[..., Any]
) -> NewCustomer:
    """The checks of ``check_new_customer`` in their order; ``take(check, *args)`` runs one."""
    (name, grade, stage, owner, contacts, industry, region, source, potential, intent,
     tags, note, needs, cadence, last_contact, company) = fields  # fmt: skip
    checked_name = take(check_name, name, "name")
    # Positional, in the order of NewCustomer's fields.
    return NewCustomer(
        checked_name,
        name_key(checked_name) if checked_name else "",
        take(parse_grade, grade, labels.grade),
        take(parse_starting_stage, stage, imported=imported, field=labels.stage),
        take(owner),
        take(text_field, industry, labels.industry, max_length=100),
        take(text_field, region, labels.region, max_length=100),
        take(text_field, source, labels.source, max_length=100),
        take(parse_potential, potential, labels.potential),
        take(parse_intent, intent, labels.intent),
        take(parse_tags, tags, field=labels.tags) or (),
        take(contacts) or (),
        take(text_field, note, labels.note, max_length=5000),
        take(text_field, needs, labels.needs, max_length=5000),
        None if cadence is None else take(parse_cadence, cadence, labels.cadence),
        last_contact,
        *(_company_fields(company, labels, take) if company is not NO_COMPANY else ()),
    )


class Company(NamedTuple):
    """The company's own details as typed: phone, email, website, address, credit code, and
    (for an import) the day it was archived."""

    phone: str | None = None
    email: str | None = None
    website: str | None = None
    address: str | None = None
    credit_code: str | None = None
    archived_on: date | None = None


NO_COMPANY = Company()


def _company_fields(company: Company, labels: Labels, take: Callable[..., Any]) -> tuple[Any, ...]:
    """The company's details checked, in the order of NewCustomer's fields."""
    return (
        take(check_phone, company.phone, labels.phone),
        take(check_email, company.email, labels.email),
        take(check_url, company.website, labels.website),
        take(text_field, company.address, labels.address, max_length=300),
        take(check_credit_code, company.credit_code, labels.credit_code),
        company.archived_on,
    )


def check_company(company: Company, labels: Labels = OPTIONS) -> Company:
    """The company's details checked (`customer update`): the first problem raises."""
    return Company(*_company_fields(company, labels, call))
