"""`contract new --from-quote`: a draft contract carrying an accepted quote's customer,
amount (tax-inclusive), currency and lines.

The lines become the contract's goods table (``goods`` in its fields, the form of
bizops/documents/goods.py): ``name``, ``spec``, ``unit``, ``quantity``, ``unit_price`` and
``amount`` tax-inclusive, ``tax_rate`` in percent, as text. A line's amount is the quote
line's exact tax-inclusive amount, so the table adds up to the contract amount; its unit
price is that amount per unit to the cent. The quote's number is kept in the field
``quote``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session

from bizops.documents.goods import GoodsLine
from bizops.domain import quote_states as qs
from bizops.domain.dates import parse_date
from bizops.domain.errors import Conflict
from bizops.domain.money import money_str
from bizops.domain.policy import Policy
from bizops.domain.quotes import cents
from bizops.domain.vocab import label
from bizops.i18n import _
from bizops.services import quotes
from bizops.services.contracts.changes import record, save
from bizops.services.contracts.drafts import create_contract
from bizops.services.lookup import find_contract
from bizops.services.views.contracts import CreatedContract
from bizops.store.models import User


def goods_rows(view: quotes.QuoteView) -> list[GoodsLine]:
    """A quote's lines as the contract's goods table (tax-inclusive, as contracts state it)."""
    rows: list[GoodsLine] = []
    for line in view["lines"]:
        quantity = Decimal(line["quantity"])
        gross = Decimal(line["gross"])
        rows.append(
            {
                "name": line["name"],
                "spec": line["spec"] or "",
                "unit": line["unit"],
                "quantity": format(quantity.normalize(), "f"),
                "unit_price": money_str(cents(gross / quantity)) or "0.00",
                "amount": money_str(gross) or "0.00",
                "tax_rate": format(Decimal(line["tax_rate"]).normalize(), "f"),
            }
        )
    return rows


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
            ).format(number=found.number, status=label("quote_state", view["status"]))
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
