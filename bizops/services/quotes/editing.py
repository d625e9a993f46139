"""Making a quote: `quote new`, `quote line add|remove`, `quote update`.

A change to an approved quote takes it back to draft and voids its approval: the customer
must never receive terms nobody approved.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import quote_states as qs
from bizops.domain.dates import parse_date
from bizops.domain.errors import Conflict, Invalid
from bizops.domain.policy import Policy
from bizops.domain.quotes import (
    discounted_price,
    parse_percent,
    parse_price,
    parse_quantity,
    parse_tax_rate,
)
from bizops.domain.validate import check_text
from bizops.i18n import _
from bizops.services import approvals
from bizops.services.customers.permissions import require_active, require_may_change
from bizops.services.lookup import find_customer
from bizops.services.quotes.products import find_product
from bizops.services.quotes.records import (
    find_quote,
    lines_of,
    quote_view,
    refresh,
    require_quote_writer,
)
from bizops.services.views.quotes import QuoteView
from bizops.store import audit
from bizops.store.counters import next_value
from bizops.store.models import Quote, QuoteLine, User

TERM_KEYS = ("payment", "delivery", "notes")
DEFAULT_TAX_RATE = Decimal("13.00")


def _number(session: Session, policy: Policy, today: date) -> str:
    seq = next_value(session, f"quote-{today.year}")
    number = policy.quote_number.format(year=today.year, month=today.month, seq=seq).upper()
    if session.execute(select(col(Quote.id)).where(col(Quote.number) == number)).first():
        raise Conflict(
            _("quote number {number} is already taken; check quotes.number in the policy").format(
                number=number
            )
        )
    return number


def _valid_until(text: str | None, today: date, policy: Policy) -> date:
    if not text:
        return today + timedelta(days=policy.quote_valid_days)
    day = parse_date(text, today, field="--valid-until")
    if day < today:
        raise Invalid(
            _("--valid-until: {day} is in the past; a quote holds from today").format(day=day)
        )
    return day


def _terms(values: dict[str, str | None]) -> dict[str, str]:
    out = {}
    for key, value in values.items():
        text = check_text(value, f"--{key}")
        if text:
            out[key] = text
    return out


def _record(
    session: Session, actor: User, action: str, quote: Quote, before: Any, **extra: Any
) -> None:
    audit.record(
        session,
        actor=actor.login,
        action=action,
        entity_type="quote",
        entity_id=quote.number,
        before=before,
        after={"status": quote.status, "amount": quote.amount, **extra},
    )


def new_quote(
    session: Session,
    *,
    actor: User,
    customer: str,
    policy: Policy,
    today: date,
    valid_until: str | None = None,
    template: str | None = None,
    currency: str | None = None,
    payment: str | None = None,
    delivery: str | None = None,
    notes: str | None = None,
) -> QuoteView:
    """`quote new`: an empty draft for a customer, numbered ``Q-{year}-{seq:04d}``."""
    found = find_customer(session, customer, field="--customer")
    require_may_change(session, actor, found)
    require_active(found)
    code = (currency or policy.currency).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise Invalid(
            _("--currency: {code!r} is not a three-letter currency code").format(code=code)
        )
    if template is not None and template not in ("quote-zh", "quote-en"):
        raise Invalid(
            _("--template: {name!r}; quotation templates are quote-zh and quote-en").format(
                name=template
            )
        )
    assert found.id is not None and actor.id is not None
    quote = Quote(
        number=_number(session, policy, today),
        customer_id=found.id,
        owner_id=actor.id,
        currency=code,
        status=qs.DRAFT,
        valid_until=_valid_until(valid_until, today, policy),
        template_name=template,
        terms=_terms({"payment": payment, "delivery": delivery, "notes": notes}),
        amount=Decimal("0.00"),
        discount_pct=Decimal("0.00"),
        created_on=today,
        created_at=datetime.now(UTC),
    )
    session.add(quote)
    session.flush()
    _record(session, actor, "quote.new", quote, None, customer=found.code)
    return quote_view(session, quote, policy=policy, today=today)


def _changing(session: Session, actor: User, quote: Quote) -> dict[str, Any]:
    """Check the quote may change now; returns its state before."""
    require_quote_writer(session, actor, quote)
    qs.check_editable(quote.number, quote.status)
    return {"status": quote.status, "amount": quote.amount}


def _changed(session: Session, quote: Quote) -> list[int]:
    """An approved quote that changes goes back to draft; its approval is void."""
    voided: list[int] = []
    if quote.status == qs.APPROVED:
        assert quote.id is not None
        voided = approvals.void_approved(session, quote_id=quote.id)
        quote.status = qs.DRAFT
    refresh(session, quote)
    session.flush()
    return voided


def _product_line(
    session: Session,
    quote: Quote,
    *,
    product: str,
    price: str | None,
    discount: str | None,
) -> dict[str, Any]:
    item = find_product(session, product, field="--product")
    if item.archived_on is not None:
        raise Conflict(
            _("product {code} is archived (since {day}); it cannot be quoted").format(
                code=item.code, day=item.archived_on
            )
        )
    if item.currency != quote.currency:
        raise Invalid(
            _("product {code} is priced in {currency}; quote {number} is in {quoted}").format(
                code=item.code, currency=item.currency, number=quote.number, quoted=quote.currency
            )
        )
    if price is not None and discount is not None:
        raise Invalid(_("--price and --discount: give one of them, not both"))
    unit_price = item.price
    if price is not None:
        unit_price = parse_price(price)
    elif discount is not None:
        unit_price = discounted_price(item.price, parse_percent(discount, field="--discount"))
    return {
        "product_id": item.id,
        "code": item.code,
        "name": item.name,
        "spec": item.spec,
        "unit": item.unit,
        "unit_price": unit_price,
        "list_price": item.price,
        "floor_price": item.floor_price,
        "tax_rate": item.tax_rate,
    }


def _free_line(
    quote: Quote,
    *,
    name: str | None,
    spec: str | None,
    unit: str | None,
    price: str | None,
    tax_rate: str | None,
    currency: str | None,
) -> dict[str, Any]:
    if currency and currency.strip().upper() != quote.currency:
        raise Invalid(
            _("--currency: the line is in {currency}; quote {number} is in {quoted}").format(
                currency=currency.strip().upper(), number=quote.number, quoted=quote.currency
            )
        )
    if price is None:
        raise Invalid(_("--price: a line without --product needs its unit price"))
    return {
        "name": check_text(name, "--name", required=True, max_length=200),
        "spec": check_text(spec, "--spec", max_length=300),
        "unit": check_text(unit, "--unit", max_length=20) or _("unit"),
        "unit_price": parse_price(price),
        "tax_rate": parse_tax_rate(tax_rate) if tax_rate is not None else DEFAULT_TAX_RATE,
    }


def add_line(
    session: Session,
    *,
    actor: User,
    ref: str,
    qty: str,
    policy: Policy,
    today: date,
    product: str | None = None,
    price: str | None = None,
    discount: str | None = None,
    name: str | None = None,
    spec: str | None = None,
    unit: str | None = None,
    tax_rate: str | None = None,
    currency: str | None = None,
) -> QuoteView:
    """`quote line add`: a product at its list price, at ``price`` or ``discount`` off; or a
    free line (``name``, ``price``...) when no product is given."""
    quote = find_quote(session, ref)
    before = _changing(session, actor, quote)
    quantity = parse_quantity(qty)
    if product:
        values = _product_line(session, quote, product=product, price=price, discount=discount)
        if currency and currency.strip().upper() != quote.currency:
            raise Invalid(
                _("--currency: the line is in {currency}; quote {number} is in {quoted}").format(
                    currency=currency.strip().upper(), number=quote.number, quoted=quote.currency
                )
            )
    else:
        if discount is not None:
            raise Invalid(_("--discount: a free line has no list price; give --price"))
        values = _free_line(
            quote,
            name=name,
            spec=spec,
            unit=unit,
            price=price,
            tax_rate=tax_rate,
            currency=currency,
        )
    assert quote.id is not None
    seq = len(lines_of(session, quote)) + 1
    session.add(QuoteLine(quote_id=quote.id, seq=seq, quantity=quantity, **values))
    session.flush()
    voided = _changed(session, quote)
    _record(
        session,
        actor,
        "quote.line_add",
        quote,
        before,
        line=seq,
        name=values["name"],
        quantity=quantity,
        unit_price=values["unit_price"],
        voided=voided,
    )
    return quote_view(session, quote, policy=policy, today=today)


def remove_line(
    session: Session, *, actor: User, ref: str, line: int, policy: Policy, today: date
) -> QuoteView:
    """`quote line remove`: the lines after it move up one."""
    quote = find_quote(session, ref)
    before = _changing(session, actor, quote)
    lines = lines_of(session, quote)
    if not 1 <= line <= len(lines):
        raise Invalid(
            _("line: quote {number} has lines 1 to {last}").format(
                number=quote.number, last=len(lines)
            )
            if lines
            else _("line: quote {number} has no lines").format(number=quote.number)
        )
    gone = lines[line - 1]
    session.delete(gone)
    session.flush()
    for later in lines[line:]:
        later.seq -= 1
        session.add(later)
    session.flush()
    voided = _changed(session, quote)
    _record(
        session, actor, "quote.line_remove", quote, before, line=line, name=gone.name, voided=voided
    )
    return quote_view(session, quote, policy=policy, today=today)


def update_quote(
    session: Session,
    *,
    actor: User,
    ref: str,
    policy: Policy,
    today: date,
    valid_until: str | None = None,
    template: str | None = None,
    payment: str | None = None,
    delivery: str | None = None,
    notes: str | None = None,
) -> QuoteView:
    """`quote update`: validity, template and terms (payment, delivery, notes)."""
    quote = find_quote(session, ref)
    before = _changing(session, actor, quote) | {
        "valid_until": quote.valid_until,
        "terms": dict(quote.terms or {}),
    }
    if valid_until is not None:
        quote.valid_until = _valid_until(valid_until, today, policy)
    if template is not None:
        if template not in ("quote-zh", "quote-en"):
            raise Invalid(
                _("--template: {name!r}; quotation templates are quote-zh and quote-en").format(
                    name=template
                )
            )
        quote.template_name = template
    given = {"payment": payment, "delivery": delivery, "notes": notes}
    terms = dict(quote.terms or {})
    for key, value in given.items():
        if value is not None:
            text = check_text(value, f"--{key}")
            if text:
                terms[key] = text
            else:
                terms.pop(key, None)
    quote.terms = terms
    voided = _changed(session, quote)
    _record(
        session,
        actor,
        "quote.update",
        quote,
        before,
        valid_until=quote.valid_until,
        terms=terms,
        voided=voided,
    )
    return quote_view(session, quote, policy=policy, today=today)
