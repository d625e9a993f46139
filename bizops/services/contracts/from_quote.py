"""`contract new --from-quote`: a draft contract carrying an accepted quote's customer,
amount (tax-inclusive), currency and lines.

The lines go into the contract's fields as ``goods``: a list of rows a template can render
as the goods table, each with ``line``, ``code``, ``name``, ``spec``, ``unit``,
``quantity``, ``unit_price`` (excluding tax), ``tax_rate`` (percent), ``amount`` (excluding
tax), ``tax`` and ``gross`` (including tax), figures as two-decimal strings. The quote's
number is kept in the field ``quote``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session

from bizops.domain import quote_states as qs
from bizops.domain.dates import parse_date
from bizops.domain.errors import Conflict
from bizops.domain.money import money_str
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.services import quotes
from bizops.services.contracts.changes import record, save
from bizops.services.contracts.drafts import create_contract
from bizops.services.lookup import find_contract
from bizops.services.views.contracts import CreatedContract
from bizops.store.models import User


def goods_rows(view: quotes.QuoteView) -> list[dict[str, Any]]:
    """A quote's lines as the contract's goods table."""
    return [
        {
            "line": line["line"],
            "code": line["code"],
            "name": line["name"],
            "spec": line["spec"],
            "unit": line["unit"],
            "quantity": money_str(line["quantity"]),
            "unit_price": money_str(line["unit_price"]),
            "tax_rate": money_str(line["tax_rate"]),
            "amount": money_str(line["amount"]),
            "tax": money_str(line["tax"]),
            "gross": money_str(line["gross"]),
        }
        for line in view["lines"]
    ]


def contract_from_quote(
    session: Session,
    *,
    actor: User,
    quote: str,
    policy: Policy,
    today: date,
    type: str | None = None,
    title: str | None = None,
    risk: str | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    template: str | None = None,
    values: dict[str, str] | None = None,
    notice_days: int | None = None,
    owner: str | None = None,
) -> CreatedContract:
    """A draft from an accepted quote (one contract per quote). Defaults: a sales contract,
    low risk, from today for one year, titled after the quote."""
    found = quotes.find_quote(session, quote, field="--from-quote")
    view = quotes.show_quote(session, ref=found.number, policy=policy, today=today)
    if found.status != qs.ACCEPTED:
        raise Conflict(
            _(
                "--from-quote: quote {number} is {status}; a contract is made from an "
                "accepted quote (bizops quote accept {number})"
            ).format(number=found.number, status=view["status"])
        )
    if found.contract_number:
        raise Conflict(
            _("--from-quote: quote {number} already became contract {contract}").format(
                number=found.number, contract=found.contract_number
            )
        )
    begins = parse_date(start, today, field="--start") if start is not None else today
    created = create_contract(
        session,
        actor=actor,
        customer=view["customer"],
        type=type or "sales",
        title=title
        or _("{customer}: goods as quoted in {number}").format(
            customer=view["customer_name"], number=found.number
        ),
        amount=view["gross"],
        currency=found.currency,
        risk=risk or "low",
        start=begins,
        end=end if end is not None else begins.replace(year=begins.year + 1) - timedelta(days=1),
        template=template,
        values=values,
        notice_days=notice_days,
        owner=owner,
        policy=policy,
        today=today,
    )
    contract = find_contract(session, created["number"])
    contract.fields = {**(contract.fields or {}), "quote": found.number, "goods": goods_rows(view)}
    save(session, contract)
    quotes.mark_contracted(session, actor=actor, quote=found, contract=contract.number)
    record(
        session,
        actor,
        "contract.from_quote",
        "contract",
        contract.number,
        after={"quote": found.number, "lines": len(view["lines"])},
    )
    return created
