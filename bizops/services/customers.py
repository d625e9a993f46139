"""Customers and the pipeline (PRODUCT section 4; seed C1-C3).

Who may write: an active user with the role sales, manager or admin. A sales rep changes only
the customers they own; managers and admins change any. Reading is open to every user.
Every write records one audit event (``customer.*``) in the caller's transaction, and every
change that affects scheduling (stage, grade, cadence, archive, restore) reschedules the
customer's open follow-up so that each active customer has exactly one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, exists, func, or_, select
from sqlmodel import Session, col

from bizops.domain import pipeline
from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.domain.money import money_str, parse_money
from bizops.domain.policy import Policy
from bizops.domain.roles import ADMIN, MANAGER, SALES
from bizops.domain.text import fold, name_key
from bizops.domain.validate import check_email, check_phone, check_text
from bizops.domain.vocab import GRADES, INTENTS, STAGES, one_of
from bizops.services.followups import open_first_followup, open_followup, reschedule_open_followup
from bizops.services.lookup import find_customer
from bizops.services.users import find_user
from bizops.store import audit
from bizops.store.counters import next_value
from bizops.store.models import (
    Contact,
    Contract,
    Customer,
    CustomerTag,
    FollowUp,
    Interaction,
    StageChange,
    User,
)

WRITER_ROLES: tuple[str, ...] = (SALES, MANAGER, ADMIN)
SORTS: tuple[str, ...] = ("name", "code", "grade", "stage", "next-due", "created")
SCOPES: tuple[str, ...] = ("active", "archived", "all")
MAX_CADENCE_DAYS = 365
_TAG_SPLIT = re.compile(r"[,;，；、]")
_CONTACT_SPLIT = re.compile(r"[,，]")
_DIGITS = re.compile(r"\D")


# --------------------------------------------------------------------------- permissions


def require_writer(actor: User, what: str = "change customers") -> None:
    if not actor.active:
        raise NotPermitted(f"user {actor.login} is deactivated")
    if not any(actor.has_role(r) for r in WRITER_ROLES):
        raise NotPermitted(
            f"only sales, manager or admin users may {what}; "
            f"{actor.login} is {', '.join(actor.role_list)}"
        )


def require_may_change(session: Session, actor: User, customer: Customer) -> None:
    """Sales reps change their own customers; managers and admins change any."""
    require_writer(actor)
    if actor.has_role(MANAGER) or actor.has_role(ADMIN):
        return
    if customer.owner_id != actor.id:
        owner = session.get(User, customer.owner_id)
        raise NotPermitted(
            f"{customer.code} belongs to {owner.login if owner else customer.owner_id}; "
            f"a sales rep changes only their own customers (ask a manager)"
        )


def _require_active(customer: Customer) -> None:
    if customer.archived_on is not None:
        raise Conflict(
            f"customer {customer.code} {customer.name} is archived; restore it first with "
            f"`bizops customer restore {customer.code}`"
        )


def _active_owner(session: Session, ref: str | User, field: str = "--owner") -> User:
    user = ref if isinstance(ref, User) else find_user(session, ref, field=field)
    if not user.active:
        raise Invalid(f"{field}: user {user.login} is deactivated; choose an active user")
    return user


# --------------------------------------------------------------------------- input checks


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
    return bool(
        re.fullmatch(r"\+?[\d\s\-()./]*\d[\d\s\-()./]*((ext\.?|x|转)\s*\d+)?", text, re.IGNORECASE)
    )


def parse_contact(text: str, *, field: str = "--contact") -> ContactIn:
    """ "Name, title, phone, email": the name comes first; an email or phone is recognised
    wherever it stands, so "张伟, 13800138000" and "Li Lei, Buyer, li@x.com" both work."""
    parts = [p.strip() for p in _CONTACT_SPLIT.split(text)]
    parts = [p for p in parts if p]
    if not parts:
        raise Invalid(f'{field}: empty; write "Name, title, phone, email"')
    name, rest = parts[0], parts[1:]
    title = phone = email = None
    for part in rest:
        if "@" in part:
            if email:
                raise Invalid(f"{field}: two email addresses in {text!r}")
            email = part
        elif _looks_like_phone(part):
            if phone:
                raise Invalid(f"{field}: two phone numbers in {text!r}")
            phone = part
        elif title is None:
            title = part
        else:
            raise Invalid(
                f'{field}: cannot read {text!r}; write "Name, title, phone, email" '
                "(title, phone and email are optional)"
            )
    return check_contact(ContactIn(name=name, title=title, phone=phone, email=email), field=field)


def format_contact(c: dict[str, Any] | ContactIn) -> str:
    """The inverse of ``parse_contact``: "Name, title, phone, email" without empty parts."""
    get = c.get if isinstance(c, dict) else lambda k: getattr(c, k)
    return ", ".join(str(get(k)) for k in ("name", "title", "phone", "email") if get(k))


def check_contact(contact: ContactIn, *, field: str = "contact") -> ContactIn:
    name = text_field(contact.name, f"{field} name", required=True, max_length=200)
    assert name is not None
    if "@" in name and contact.email is None:
        raise Invalid(f'{field}: the first part is the name; write "Name, title, phone, email"')
    return ContactIn(
        name=name,
        title=text_field(contact.title, f"{field} title", max_length=100),
        phone=check_phone(contact.phone, f"{field} phone"),
        email=check_email(contact.email, f"{field} email"),
        primary=contact.primary,
    )


# Free text in customer records: the shared rule (trimmed, no control characters, bounded).
text_field = check_text


def contact_search_key(name: str, email: str | None, phone: str | None) -> str:
    """What search looks in for a contact: folded name and email, and the phone's digits."""
    parts = [fold(name), fold(email or ""), _DIGITS.sub("", phone or "")]
    return " | ".join(parts)


def email_key(email: str | None) -> str | None:
    return fold(email) if email else None


def parse_tags(values: Iterable[str], *, field: str = "--tag") -> list[str]:
    """Tags, repeated or separated by , ; 、: folded (width, case), without repeats."""
    out: list[str] = []
    for value in values:
        for part in _TAG_SPLIT.split(value or ""):
            tag = fold(part)
            if not tag:
                continue
            if len(tag) > 64:
                raise Invalid(f"{field}: {part!r} is longer than 64 characters")
            if tag not in out:
                out.append(tag)
    return out


def check_name(name: str | None, field: str = "name") -> str:
    text = text_field(name, field, required=True, max_length=300)
    assert text is not None
    if not name_key(text):
        raise Invalid(f"{field}: {name!r} has no letters or digits")
    return text


def parse_potential(
    value: str | Decimal | int | None, field: str = "--potential"
) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    amount = parse_money(value, field=field)
    if amount < 0:
        raise Invalid(f"{field}: a purchasing potential cannot be negative")
    return amount


def parse_intent(value: str | None, field: str = "--intent") -> str | None:
    if value is None or not value.strip():
        return None
    return one_of(value, INTENTS, field)


def parse_grade(value: str | None, field: str = "--grade") -> str:
    return one_of(value, GRADES, field, upper=True)


def parse_stage(value: str | None, field: str = "--stage") -> str:
    return one_of(value, STAGES, field)


def parse_cadence(value: int | None, field: str = "--cadence") -> int | None:
    if value is None:
        return None
    if not 1 <= value <= MAX_CADENCE_DAYS:
        raise Invalid(f"{field}: {value} days; a cadence is 1 to {MAX_CADENCE_DAYS} days")
    return value


# --------------------------------------------------------------------------- duplicates


def _name_duplicate(
    session: Session, key: str, *, exclude_id: int | None = None
) -> Customer | None:
    query = select(Customer).where(col(Customer.name_key) == key).order_by(col(Customer.id))
    if exclude_id is not None:
        query = query.where(col(Customer.id) != exclude_id)
    return session.execute(query.limit(1)).scalars().first()


def _email_duplicate(
    session: Session, key: str, *, exclude_customer: int | None = None
) -> Customer | None:
    query = (
        select(Customer)
        .join(Contact, col(Contact.customer_id) == col(Customer.id))
        .where(col(Contact.email_key) == key)
        .order_by(col(Customer.id))
    )
    if exclude_customer is not None:
        query = query.where(col(Customer.id) != exclude_customer)
    return session.execute(query.limit(1)).scalars().first()


def _describe(customer: Customer) -> str:
    archived = " (archived)" if customer.archived_on else ""
    return f"{customer.code} {customer.name}{archived}"


def check_name_free(session: Session, name: str, *, exclude_id: int | None = None) -> None:
    found = _name_duplicate(session, name_key(name), exclude_id=exclude_id)
    if found is not None:
        raise Conflict(
            f"name: {name!r} duplicates existing customer {_describe(found)}; "
            "pass --allow-duplicate to keep both"
        )


def check_email_free(session: Session, email: str, *, exclude_customer: int | None = None) -> None:
    key = email_key(email)
    assert key is not None
    found = _email_duplicate(session, key, exclude_customer=exclude_customer)
    if found is not None:
        raise Conflict(
            f"email: {email} is already a contact of customer {_describe(found)}; "
            "pass --allow-duplicate to keep both"
        )


# --------------------------------------------------------------------------- views


def _tags(session: Session, customer_id: int) -> list[str]:
    return list(
        session.execute(
            select(col(CustomerTag.tag))
            .where(col(CustomerTag.customer_id) == customer_id)
            .order_by(col(CustomerTag.tag))
        ).scalars()
    )


def _login(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.login if user else str(user_id)


def customer_view(session: Session, customer: Customer) -> dict[str, Any]:
    """The customer as a plain dict: PRODUCT's keys id, code, name, grade, stage, owner, and more."""
    assert customer.id is not None
    followup = open_followup(session, customer.id)
    return {
        "id": customer.id,
        "code": customer.code,
        "name": customer.name,
        "grade": customer.grade,
        "stage": customer.stage,
        "owner": _login(session, customer.owner_id),
        "industry": customer.industry,
        "region": customer.region,
        "source": customer.source,
        "potential": customer.potential,
        "intent": customer.intent,
        "tags": _tags(session, customer.id),
        "next_due": followup.due if followup else None,
        "last_contact": customer.last_contact_on,
        "cadence": customer.cadence_days,
        "stage_since": customer.stage_since,
        "created": customer.created_on,
        "archived": customer.archived_on,
    }


def _snapshot(session: Session, customer: Customer) -> dict[str, Any]:
    """What the audit log keeps of a customer."""
    assert customer.id is not None
    return {
        "code": customer.code,
        "name": customer.name,
        "grade": customer.grade,
        "stage": customer.stage,
        "owner": _login(session, customer.owner_id),
        "industry": customer.industry,
        "region": customer.region,
        "source": customer.source,
        "potential": money_str(customer.potential),
        "intent": customer.intent,
        "needs": customer.needs,
        "note": customer.note,
        "cadence": customer.cadence_days,
        "tags": _tags(session, customer.id),
        "archived": customer.archived_on,
    }


def _record(
    session: Session,
    actor: User,
    action: str,
    customer: Customer,
    *,
    before: Any = None,
    after: Any = None,
) -> None:
    audit.record(
        session,
        actor=actor.login,
        action=action,
        entity_type="customer",
        entity_id=customer.code,
        before=before,
        after=after,
    )


def _now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- add


def add_customer(
    session: Session,
    *,
    actor: User,
    name: str,
    grade: str,
    owner: str | User,
    policy: Policy,
    today: date,
    stage: str = "prospect",
    industry: str | None = None,
    region: str | None = None,
    source: str | None = None,
    potential: str | Decimal | int | None = None,
    intent: str | None = None,
    tags: Sequence[str] = (),
    contacts: Sequence[str | ContactIn] = (),
    note: str | None = None,
    needs: str | None = None,
    allow_duplicate: bool = False,
) -> dict[str, Any]:
    """Add a customer at ``stage`` (prospect by default) with its first-contact follow-up."""
    require_writer(actor, "add customers")
    name = check_name(name)
    grade = parse_grade(grade)
    stage = parse_stage(stage)
    if stage == pipeline.SIGNED:
        raise Conflict(
            "--stage: signed needs a signed contract, which a new customer cannot have; add "
            "the customer at negotiation and sign the contract (that moves it to signed)"
        )
    owner_user = _active_owner(session, owner)
    parsed_contacts = [c if isinstance(c, ContactIn) else parse_contact(c) for c in contacts]
    parsed_contacts = [check_contact(c, field="--contact") for c in parsed_contacts]
    emails = [c.email for c in parsed_contacts if c.email]
    seen: set[str] = set()
    for email in emails:
        key = email_key(email)
        assert key is not None
        if key in seen:
            raise Conflict(f"email: {email} is given for two contacts")
        seen.add(key)
    if not allow_duplicate:
        check_name_free(session, name)
        for email in emails:
            check_email_free(session, email)
    now = _now()
    seq = next_value(session, "customer")
    customer = Customer(
        code=policy.customer_code.format(seq=seq),
        name=name,
        name_key=name_key(name),
        grade=grade,
        stage=stage,
        owner_id=owner_user.id,  # type: ignore[arg-type]
        industry=check_text(industry, "--industry", max_length=100),
        region=check_text(region, "--region", max_length=100),
        source=check_text(source, "--source", max_length=100),
        potential=parse_potential(potential),
        intent=parse_intent(intent),
        needs=check_text(needs, "--needs", max_length=5000),
        note=check_text(note, "--note", max_length=5000),
        stage_since=today,
        created_on=today,
        created_at=now,
    )
    session.add(customer)
    session.flush()
    assert customer.id is not None
    has_primary = any(c.primary for c in parsed_contacts)
    for i, contact in enumerate(parsed_contacts):
        session.add(
            _contact_row(
                customer.id, contact, primary=contact.primary or (i == 0 and not has_primary)
            )
        )
    for tag in parse_tags(tags):
        session.add(CustomerTag(customer_id=customer.id, tag=tag))
    session.add(
        StageChange(
            customer_id=customer.id,
            from_stage=None,
            to_stage=stage,
            on=today,
            at=now,
            actor=actor.login,
            reason="created",
        )
    )
    session.flush()
    open_first_followup(session, customer=customer, policy=policy, today=today)
    after = _snapshot(session, customer)
    after["contacts"] = [format_contact(c) for c in parsed_contacts]
    _record(session, actor, "customer.add", customer, after=after)
    return customer_view(session, customer)


def _contact_row(customer_id: int, c: ContactIn, *, primary: bool) -> Contact:
    return Contact(
        customer_id=customer_id,
        name=c.name,
        title=c.title,
        phone=c.phone,
        email=c.email,
        email_key=email_key(c.email),
        search_key=contact_search_key(c.name, c.email, c.phone),
        is_primary=primary,
    )


# --------------------------------------------------------------------------- stages


def has_signed_contract(session: Session, customer_id: int) -> bool:
    return (
        session.execute(
            select(col(Contract.id))
            .where(
                col(Contract.customer_id) == customer_id,
                col(Contract.signed_on).is_not(None),
                col(Contract.status).in_(pipeline.SIGNED_CONTRACT_STATUSES),
            )
            .limit(1)
        ).first()
        is not None
    )


def _apply_stage(
    session: Session,
    *,
    actor: User,
    customer: Customer,
    to_stage: str,
    reason: str | None,
    policy: Policy,
    today: date,
) -> None:
    before = {"stage": customer.stage, "stage_since": customer.stage_since}
    from_stage = customer.stage
    customer.stage = to_stage
    customer.stage_since = today
    session.add(customer)
    session.add(
        StageChange(
            customer_id=customer.id,  # type: ignore[arg-type]
            from_stage=from_stage,
            to_stage=to_stage,
            on=today,
            at=_now(),
            actor=actor.login,
            reason=reason,
        )
    )
    session.flush()
    reschedule_open_followup(session, customer=customer, policy=policy, today=today)
    _record(
        session,
        actor,
        "customer.stage",
        customer,
        before=before,
        after={"stage": to_stage, "stage_since": today, "reason": reason},
    )


def move_stage(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    stage: str | None = None,
    step_next: bool = False,
    reason: str | None = None,
    policy: Policy,
    today: date,
) -> dict[str, Any]:
    """Move a customer along the pipeline by the rules of ``bizops.domain.pipeline``."""
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    _require_active(customer)
    assert customer.id is not None
    target = stage.strip().lower() if stage else None
    needs_contract_check = target in (pipeline.SIGNED, "maintenance") or (
        step_next and customer.stage == "negotiation"
    )
    reason = check_text(reason, "--reason", max_length=2000)
    move = pipeline.plan_move(
        customer.stage,
        target,
        step_next=step_next,
        reason=reason,
        has_signed_contract=needs_contract_check and has_signed_contract(session, customer.id),
    )
    _apply_stage(
        session,
        actor=actor,
        customer=customer,
        to_stage=move.to_stage,
        reason=move.reason,
        policy=policy,
        today=today,
    )
    view = customer_view(session, customer)
    view["from_stage"] = move.from_stage
    return view


def apply_contract_stage(
    session: Session,
    *,
    actor: User,
    customer_id: int,
    stage: str,
    reason: str,
    policy: Policy,
    today: date,
) -> None:
    """Called by the contracts area: signing moves the customer to ``signed``, activation to
    ``maintenance`` — only forward, or out of lost/dormant; a customer already further along
    stays where it is (and nothing is recorded)."""
    if stage not in (pipeline.SIGNED, "maintenance"):
        raise Invalid(f"stage: a contract moves a customer to signed or maintenance, not {stage!r}")
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"customer: no customer with id {customer_id}")
    if not pipeline.contract_moves_customer(customer.stage, stage):
        return
    _apply_stage(
        session,
        actor=actor,
        customer=customer,
        to_stage=stage,
        reason=reason,
        policy=policy,
        today=today,
    )


# --------------------------------------------------------------------------- grading


def set_grade(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    grade: str,
    reason: str | None,
    policy: Policy,
    today: date,
) -> dict[str, Any]:
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    _require_active(customer)
    grade = parse_grade(grade, "grade")
    reason = check_text(reason, "--reason", max_length=2000)
    if grade == customer.grade:
        raise Conflict(f"grade: {customer.code} is already grade {grade}")
    if reason is None:
        raise Invalid(
            f"grade: changing {customer.code} from {customer.grade} to {grade} needs --reason"
        )
    before = customer.grade
    customer.grade = grade
    session.add(customer)
    session.flush()
    reschedule_open_followup(session, customer=customer, policy=policy, today=today)
    _record(
        session,
        actor,
        "customer.grade",
        customer,
        before={"grade": before},
        after={"grade": grade, "reason": reason},
    )
    view = customer_view(session, customer)
    view["from_grade"] = before
    return view


def suggest_grade(session: Session, *, ref: str | int, policy: Policy) -> dict[str, Any]:
    """The grade the policy's rules suggest, and why: "potential 1,200,000 >= 1,000,000: A"."""
    customer = find_customer(session, ref)
    suggested, why = policy.suggest_grade(customer.potential, customer.intent)
    return {
        "code": customer.code,
        "name": customer.name,
        "grade": customer.grade,
        "suggested": suggested,
        "why": why,
        "potential": customer.potential,
        "intent": customer.intent,
        "changes": suggested != customer.grade,
    }


def regrade(
    session: Session,
    *,
    actor: User | None,
    policy: Policy,
    today: date,
    dry_run: bool = True,
) -> list[dict[str, Any]]:
    """Every active customer whose grade differs from the policy's suggestion.

    With ``dry_run`` nothing changes. Otherwise (managers and admins only) each listed
    customer gets the suggested grade, one ``customer.grade`` audit event per customer (so
    each customer's own history shows it), and a rescheduled follow-up.
    """
    c = Customer.__table__.c  # type: ignore[attr-defined]
    rows = session.execute(
        select(c.id, c.code, c.name, c.grade, c.potential, c.intent)
        .where(c.archived_on.is_(None))
        .order_by(c.code)
    ).all()
    changes: list[dict[str, Any]] = []
    for cid, code, name, grade, potential, intent in rows:
        suggested, why = policy.suggest_grade(potential, intent)
        if suggested != grade:
            changes.append(
                {"id": cid, "code": code, "name": name, "from": grade, "to": suggested, "why": why}
            )
    if dry_run:
        return changes
    if actor is None or not (actor.has_role(MANAGER) or actor.has_role(ADMIN)):
        who = f"{actor.login} is {', '.join(actor.role_list)}" if actor else "nobody is acting"
        raise NotPermitted(f"only a manager or admin may regrade all customers; {who}")
    for change in changes:
        customer = session.get(Customer, change["id"])
        assert customer is not None
        customer.grade = change["to"]
        session.add(customer)
        session.flush()
        reschedule_open_followup(session, customer=customer, policy=policy, today=today)
        _record(
            session,
            actor,
            "customer.grade",
            customer,
            before={"grade": change["from"]},
            after={"grade": change["to"], "reason": f"regrade: {change['why']}"},
        )
    return changes


# --------------------------------------------------------------------------- update


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
    allow_duplicate: bool = False,
) -> dict[str, Any]:
    """Change a customer's profile; an empty text ("") clears an optional field."""
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    _require_active(customer)
    assert customer.id is not None
    before = _snapshot(session, customer)
    if name is not None:
        new_name = check_name(name)
        if name_key(new_name) != customer.name_key and not allow_duplicate:
            check_name_free(session, new_name, exclude_id=customer.id)
        customer.name = new_name
        customer.name_key = name_key(new_name)
    for attr, value, limit in (
        ("industry", industry, 100),
        ("region", region, 100),
        ("source", source, 100),
        ("note", note, 5000),
        ("needs", needs, 5000),
    ):
        if value is not None:
            setattr(customer, attr, check_text(value, f"--{attr}", max_length=limit))
    if potential is not None:
        customer.potential = parse_potential(potential)
    if intent is not None:
        customer.intent = parse_intent(intent)
    if owner is not None:
        customer.owner_id = _active_owner(session, owner).id  # type: ignore[assignment]
    if cadence is not None and clear_cadence:
        raise Invalid("--cadence and --no-cadence cannot be used together")
    cadence_before = customer.cadence_days
    if cadence is not None:
        customer.cadence_days = parse_cadence(cadence)
    elif clear_cadence:
        customer.cadence_days = None
    current_tags = set(before["tags"])
    to_add = [t for t in parse_tags(add_tags) if t not in current_tags]
    to_remove = parse_tags(remove_tags, field="--untag")
    missing = [t for t in to_remove if t not in current_tags]
    if missing:
        raise Invalid(
            f"--untag: {', '.join(missing)} not on {customer.code}; its tags: "
            f"{', '.join(sorted(current_tags)) or '(none)'}"
        )
    for tag in to_add:
        session.add(CustomerTag(customer_id=customer.id, tag=tag))
    for tag in to_remove:
        row = session.get(CustomerTag, (customer.id, tag))
        if row is not None:
            session.delete(row)
    session.add(customer)
    session.flush()
    after = _snapshot(session, customer)
    if after == before:
        raise Invalid(
            "nothing to change: give --name, --industry, --region, --source, --potential, "
            "--intent, --note, --needs, --owner, --cadence, --no-cadence, --tag or --untag"
        )
    if customer.cadence_days != cadence_before:
        reschedule_open_followup(session, customer=customer, policy=policy, today=today)
    changed_before = {k: v for k, v in before.items() if after.get(k) != v}
    changed_after = {k: after[k] for k in changed_before}
    _record(session, actor, "customer.update", customer, before=changed_before, after=changed_after)
    return customer_view(session, customer)


# --------------------------------------------------------------------------- contacts


def _contact_dict(c: Contact) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "title": c.title,
        "phone": c.phone,
        "email": c.email,
        "primary": c.is_primary,
    }


def _contacts(session: Session, customer_id: int) -> list[Contact]:
    return list(
        session.execute(
            select(Contact)
            .where(col(Contact.customer_id) == customer_id)
            .order_by(col(Contact.is_primary).desc(), col(Contact.id))
        ).scalars()
    )


def list_contacts(session: Session, *, ref: str | int) -> list[dict[str, Any]]:
    customer = find_customer(session, ref)
    assert customer.id is not None
    return [_contact_dict(c) for c in _contacts(session, customer.id)]


def add_contact(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    contact: str | ContactIn,
    primary: bool = False,
    allow_duplicate: bool = False,
) -> dict[str, Any]:
    """Add a contact; the first one (or one added with ``primary``) is the primary contact."""
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    _require_active(customer)
    assert customer.id is not None
    parsed = parse_contact(contact) if isinstance(contact, str) else check_contact(contact)
    existing = _contacts(session, customer.id)
    if parsed.email:
        key = email_key(parsed.email)
        same = [c for c in existing if c.email_key == key]
        if same:
            raise Conflict(
                f"email: {parsed.email} is already contact {same[0].name} of {customer.code}"
            )
        if not allow_duplicate:
            check_email_free(session, parsed.email, exclude_customer=customer.id)
    make_primary = primary or parsed.primary or not existing
    if make_primary:
        for c in existing:
            if c.is_primary:
                c.is_primary = False
                session.add(c)
    row = _contact_row(customer.id, parsed, primary=make_primary)
    session.add(row)
    session.flush()
    _record(session, actor, "customer.contact.add", customer, after=_contact_dict(row))
    return _contact_dict(row)


def _find_contact(session: Session, customer: Customer, ref: str) -> Contact:
    assert customer.id is not None
    contacts = _contacts(session, customer.id)
    text = ref.strip()
    if text.isdigit():
        for c in contacts:
            if c.id == int(text):
                return c
    key = fold(text)
    matches = [c for c in contacts if fold(c.name) == key or (c.email_key and c.email_key == key)]
    if len(matches) == 1:
        return matches[0]
    shown = ", ".join(f"{c.id} {c.name}" for c in (matches or contacts)) or "(none)"
    if matches:
        raise Invalid(f"contact: {ref!r} is ambiguous; it could be {shown}; give the id")
    raise NotFound(f"contact: {customer.code} has no contact {ref!r}; its contacts: {shown}")


def remove_contact(
    session: Session, *, actor: User, ref: str | int, contact: str
) -> dict[str, Any]:
    """Remove a contact; if it was the primary, the oldest remaining one becomes primary."""
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    _require_active(customer)
    row = _find_contact(session, customer, contact)
    gone = _contact_dict(row)
    session.delete(row)
    session.flush()
    if row.is_primary:
        rest = _contacts(session, customer.id)  # type: ignore[arg-type]
        if rest:
            oldest = min(rest, key=lambda c: c.id or 0)
            oldest.is_primary = True
            session.add(oldest)
            session.flush()
    _record(session, actor, "customer.contact.remove", customer, before=gone)
    return gone


# --------------------------------------------------------------------------- archive


def archive_customer(
    session: Session, *, actor: User, ref: str | int, policy: Policy, today: date
) -> dict[str, Any]:
    """Hide a customer from lists and cancel its follow-up. Customers are never deleted."""
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    if customer.archived_on is not None:
        raise Conflict(f"customer {customer.code} was already archived on {customer.archived_on}")
    customer.archived_on = today
    session.add(customer)
    session.flush()
    reschedule_open_followup(session, customer=customer, policy=policy, today=today)
    _record(
        session,
        actor,
        "customer.archive",
        customer,
        before={"archived": None},
        after={"archived": today},
    )
    return customer_view(session, customer)


def restore_customer(
    session: Session, *, actor: User, ref: str | int, policy: Policy, today: date
) -> dict[str, Any]:
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    if customer.archived_on is None:
        raise Conflict(f"customer {customer.code} is not archived")
    before = customer.archived_on
    customer.archived_on = None
    session.add(customer)
    session.flush()
    reschedule_open_followup(session, customer=customer, policy=policy, today=today)
    _record(
        session,
        actor,
        "customer.restore",
        customer,
        before={"archived": before},
        after={"archived": None},
    )
    return customer_view(session, customer)


# --------------------------------------------------------------------------- list


def list_customers(
    session: Session,
    *,
    today: date,
    grade: str | None = None,
    stage: str | None = None,
    owner: str | None = None,
    tag: str | None = None,
    search: str | None = None,
    overdue: bool = False,
    scope: str = "active",
    sort: str = "code",
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Customers as rows, filtered and sorted in SQL; tags come from one extra query.

    The filters are checked and the query runs before this returns, so a bad filter is an
    error before any output starts. The caller consumes the iterator while the session is open.
    """
    c = Customer.__table__.c  # type: ignore[attr-defined]
    u = User.__table__.c  # type: ignore[attr-defined]
    f = FollowUp.__table__.c  # type: ignore[attr-defined]
    t = CustomerTag.__table__.c  # type: ignore[attr-defined]
    k = Contact.__table__.c  # type: ignore[attr-defined]
    scope = one_of(scope, SCOPES, "scope")
    sort = one_of(sort, SORTS, "--sort")
    conditions: list[Any] = []
    if scope == "active":
        conditions.append(c.archived_on.is_(None))
    elif scope == "archived":
        conditions.append(c.archived_on.is_not(None))
    if grade:
        conditions.append(c.grade == parse_grade(grade))
    if stage:
        conditions.append(c.stage == parse_stage(stage))
    if owner:
        conditions.append(c.owner_id == find_user(session, owner, field="--owner").id)
    if tag:
        tags = parse_tags([tag])
        if tags:
            conditions.append(exists().where(t.customer_id == c.id, t.tag.in_(tags)))
    if search and search.strip():
        conditions.append(_search_condition(search, c, k))
    if overdue:
        conditions.append(f.due < today)
    order = {
        "name": [c.name_key, c.id],
        "code": [c.code],
        "grade": [c.grade, c.code],
        "stage": [
            case({s: i for i, s in enumerate(STAGES)}, value=c.stage, else_=len(STAGES)),
            c.code,
        ],
        "next-due": [f.due.is_(None), f.due, c.code],
        "created": [c.created_at, c.id],
    }[sort]
    ct, ut, ft = (
        Customer.__table__,  # type: ignore[attr-defined]
        User.__table__,  # type: ignore[attr-defined]
        FollowUp.__table__,  # type: ignore[attr-defined]
    )
    base = ct.join(ut, u.id == c.owner_id).outerjoin(
        ft, and_(f.customer_id == c.id, f.status == "open")
    )
    query = (
        select(
            c.id,
            c.code,
            c.name,
            c.grade,
            c.stage,
            u.login,
            c.industry,
            c.region,
            c.potential,
            c.intent,
            f.due,
            c.last_contact_on,
            c.created_on,
            c.archived_on,
        )
        .select_from(base)
        .where(*conditions)
        .order_by(*order)
    )
    if limit:
        query = query.limit(limit)
    rows = session.execute(query).all()
    tag_map: dict[int, list[str]] = {}
    if rows:
        ids_query = select(c.id).select_from(base).where(*conditions)
        if limit:
            ids = [r[0] for r in rows]
            tag_query = select(t.customer_id, t.tag).where(t.customer_id.in_(ids))
        else:
            tag_query = select(t.customer_id, t.tag).where(t.customer_id.in_(ids_query))
        for cid, tag_value in session.execute(tag_query.order_by(t.customer_id, t.tag)):
            tag_map.setdefault(cid, []).append(tag_value)
    return _customer_rows(rows, tag_map)


def _customer_rows(rows: Sequence[Any], tag_map: dict[int, list[str]]) -> Iterator[dict[str, Any]]:
    for row in rows:
        (
            cid,
            code,
            name,
            grd,
            stg,
            login,
            industry,
            region,
            potential,
            intent,
            due,
            last,
            created,
            archived,
        ) = row
        yield {
            "id": cid,
            "code": code,
            "name": name,
            "grade": grd,
            "stage": stg,
            "owner": login,
            "industry": industry,
            "region": region,
            "potential": potential,
            "intent": intent,
            "tags": tag_map.get(cid, []),
            "next_due": due,
            "last_contact": last,
            "created": created,
            "archived": archived,
        }


def _search_condition(text: str, c: Any, k: Any) -> Any:
    """Names by their folded key; contacts by folded name and email, and phone digits."""
    key = name_key(text)
    folded = fold(text)
    parts = []
    if key:
        parts.append(c.name_key.contains(key, autoescape=True))
    contact_terms = [folded]
    digits = _DIGITS.sub("", text)
    if len(digits) >= 3 and _looks_like_phone_fragment(text):
        contact_terms.append(digits)
    parts.append(
        exists().where(
            k.customer_id == c.id,
            or_(*[k.search_key.contains(term, autoescape=True) for term in contact_terms]),
        )
    )
    return or_(*parts)


def _looks_like_phone_fragment(text: str) -> bool:
    return bool(re.fullmatch(r"[+\d\s\-()./]+", text.strip()))


def count_customers(session: Session, *, scope: str = "active") -> int:
    c = Customer.__table__.c  # type: ignore[attr-defined]
    query = select(func.count()).select_from(Customer.__table__)  # type: ignore[attr-defined]
    if scope == "active":
        query = query.where(c.archived_on.is_(None))
    return int(session.execute(query).scalar_one())


# --------------------------------------------------------------------------- show


RECENT = 10


def show_customer(session: Session, *, ref: str | int, today: date) -> dict[str, Any]:
    """Profile, contacts, tags, stage history with days in stage, recent follow-ups and
    interactions, the next follow-up and contracts, as one object."""
    customer = find_customer(session, ref)
    assert customer.id is not None
    out = customer_view(session, customer)
    out["needs"] = customer.needs
    out["note"] = customer.note
    out["days_in_stage"] = (today - customer.stage_since).days
    out["contacts"] = [_contact_dict(c) for c in _contacts(session, customer.id)]
    changes = session.execute(
        select(
            col(StageChange.from_stage),
            col(StageChange.to_stage),
            col(StageChange.on),
            col(StageChange.actor),
            col(StageChange.reason),
        )
        .where(col(StageChange.customer_id) == customer.id)
        .order_by(col(StageChange.at), col(StageChange.id))
    ).all()
    spans = pipeline.stage_spans([(a, b, c, d, e) for a, b, c, d, e in changes], today)
    out["stage_history"] = [
        {
            "from": s.from_stage,
            "stage": s.stage,
            "on": s.on,
            "until": s.until,
            "days": s.days,
            "actor": s.actor,
            "reason": s.reason,
        }
        for s in spans
    ]
    followup = open_followup(session, customer.id)
    out["next_followup"] = (
        {
            "id": followup.id,
            "due": followup.due,
            "kind": followup.kind,
            "purpose": followup.purpose,
            "days_overdue": max((today - followup.due).days, 0),
        }
        if followup
        else None
    )
    out["followups"] = [
        {
            "id": fu.id,
            "due": fu.due,
            "status": fu.status,
            "kind": fu.kind,
            "closed_on": fu.closed_on,
            "on_time": fu.on_time,
            "purpose": fu.purpose,
        }
        for fu in session.execute(
            select(FollowUp)
            .where(col(FollowUp.customer_id) == customer.id)
            .order_by(col(FollowUp.due).desc(), col(FollowUp.id).desc())
            .limit(RECENT)
        ).scalars()
    ]
    out["interactions"] = [
        {
            "id": i.id,
            "at": i.at,
            "on": i.on,
            "via": i.via,
            "summary": i.summary,
            "contact": i.contact,
            "outcome": i.outcome,
            "by": _login(session, i.actor_id),
        }
        for i in session.execute(
            select(Interaction)
            .where(col(Interaction.customer_id) == customer.id)
            .order_by(col(Interaction.at).desc(), col(Interaction.id).desc())
            .limit(RECENT)
        ).scalars()
    ]
    out["contracts"] = [
        {
            "id": ct.id,
            "number": ct.number,
            "title": ct.title,
            "status": ct.status,
            "amount": ct.amount,
            "currency": ct.currency,
            "start": ct.start,
            "end": ct.end,
            "signed_on": ct.signed_on,
        }
        for ct in session.execute(
            select(Contract)
            .where(col(Contract.customer_id) == customer.id)
            .order_by(col(Contract.id))
        ).scalars()
    ]
    return out
