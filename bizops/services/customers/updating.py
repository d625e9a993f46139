"""`customer update`: a customer's profile, owner, cadence and tags."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from bizops.domain.customer_fields import (
    Company,
    check_company,
    check_name,
    parse_cadence,
    parse_intent,
    parse_potential,
    parse_tags,
)
from bizops.domain.errors import Invalid
from bizops.domain.pinyin import pinyin_keys
from bizops.domain.policy import Policy
from bizops.domain.text import name_key
from bizops.domain.validate import check_text
from bizops.i18n import _
from bizops.services.customers.duplicates import check_name_free
from bizops.services.customers.permissions import active_owner, require_active, require_may_change
from bizops.services.customers.profile import customer_view, record, snapshot
from bizops.services.customers.views import CustomerView
from bizops.services.followups import reschedule_open_followup
from bizops.services.lookup import find_customer
from bizops.store.models import Customer, CustomerTag, User

__all__ = ["update_customer"]

# Free-text fields and their length limits.
_TEXTS: tuple[tuple[str, int], ...] = (
    ("industry", 100),
    ("region", 100),
    ("source", 100),
    ("note", 5000),
    ("needs", 5000),
)


def update_customer(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    policy: Policy,
    today: date,
    name: str | None = None,
    industry: str | None = None,
    region: str | None = None,
    source: str | None = None,
    potential: str | Decimal | None = None,
    intent: str | None = None,
    note: str | None = None,
    needs: str | None = None,
    owner: str | None = None,
    cadence: int | None = None,
    clear_cadence: bool = False,
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    phone: str | None = None,
    email: str | None = None,
    website: str | None = None,
    address: str | None = None,
    credit_code: str | None = None,
    allow_duplicate: bool = False,
) -> CustomerView:
    """Change a customer's profile; an empty text ("") clears an optional field. ``phone``,
    ``email``, ``website``, ``address`` and ``credit_code`` are the company's own."""
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    require_active(customer)
    assert customer.id is not None
    before = snapshot(session, customer)
    if name is not None:
        _rename(session, customer, name, allow_duplicate=allow_duplicate)
    _set_texts(
        customer,
        {"industry": industry, "region": region, "source": source, "note": note, "needs": needs},
    )
    _set_company(customer, Company(phone, email, website, address, credit_code))
    if potential is not None:
        customer.potential = parse_potential(potential)
    if intent is not None:
        customer.intent = parse_intent(intent)
    if owner is not None:
        customer.owner_id = active_owner(session, owner).id
    cadence_before = customer.cadence_days
    _set_cadence(customer, cadence, clear=clear_cadence)
    _retag(session, customer, set(before["tags"]), add_tags, remove_tags)
    session.add(customer)
    session.flush()
    after = snapshot(session, customer)
    if after == before:
        raise Invalid(
            _(
                "nothing to change: give --name, --industry, --region, --source, --potential, "
                "--intent, --note, --needs, --owner, --cadence, --no-cadence, --tag, --untag, "
                "--phone, --email, --website, --address or --credit-code"
            )
        )
    if customer.cadence_days != cadence_before:
        reschedule_open_followup(session, customer=customer, policy=policy, today=today)
    changed_before = {k: v for k, v in before.items() if after.get(k) != v}
    changed_after = {k: after[k] for k in changed_before}
    record(session, actor, "customer.update", customer, before=changed_before, after=changed_after)
    return customer_view(session, customer)


def _rename(session: Session, customer: Customer, name: str, *, allow_duplicate: bool) -> None:
    new_name = check_name(name)
    if name_key(new_name) != customer.name_key and not allow_duplicate:
        check_name_free(session, new_name, exclude_id=customer.id)
    customer.name = new_name
    customer.name_key = name_key(new_name)
    customer.name_pinyin, customer.name_initials = pinyin_keys(new_name)


def _set_texts(customer: Customer, values: dict[str, str | None]) -> None:
    for attr, limit in _TEXTS:
        value = values[attr]
        if value is not None:
            setattr(customer, attr, check_text(value, f"--{attr}", max_length=limit))


def _set_company(customer: Customer, given: Company) -> None:
    """The company details given (checked all first: a bad one changes nothing); "" clears."""
    checked = check_company(given)
    for key, value, clean in zip(Company._fields[:5], given, checked, strict=False):
        if value is not None:
            setattr(customer, key, clean)


def _set_cadence(customer: Customer, cadence: int | None, *, clear: bool) -> None:
    if cadence is not None and clear:
        raise Invalid(_("--cadence and --no-cadence cannot be used together"))
    if cadence is not None:
        customer.cadence_days = parse_cadence(cadence)
    elif clear:
        customer.cadence_days = None


def _retag(
    session: Session,
    customer: Customer,
    current: set[str],
    add_tags: Sequence[str],
    remove_tags: Sequence[str],
) -> None:
    to_add = [t for t in parse_tags(add_tags) if t not in current]
    to_remove = parse_tags(remove_tags, field="--untag")
    missing = [t for t in to_remove if t not in current]
    if missing:
        raise Invalid(
            _("--untag: {missing} not on {code}; its tags: {tags}").format(
                missing=", ".join(missing),
                code=customer.code,
                tags=", ".join(sorted(current)) or _("(none)"),
            )
        )
    assert customer.id is not None
    for tag in to_add:
        session.add(CustomerTag(customer_id=customer.id, tag=tag))
    for tag in to_remove:
        row = session.get(CustomerTag, (customer.id, tag))
        if row is not None:
            session.delete(row)
