"""`quote draft`: the quotation as a document, from the library's ``quote-zh`` / ``quote-en``
(our company, the customer, the lines, totals in figures and in 大写, validity, payment and
delivery terms). Markdown is rendered in the template sandbox; HTML and Word are made from
it as contract drafts are; a workbook holds the lines and the totals."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.documents.env import render
from bizops.documents.filters import cn_upper
from bizops.documents.writers import docx_bytes, html_bytes, markdown_bytes
from bizops.domain.errors import Invalid
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.library import read_text
from bizops.services.quotes.records import find_quote, quote_view
from bizops.services.views.quotes import QuoteView
from bizops.store import audit
from bizops.store.models import Contact, Customer, User

FORMATS: tuple[str, ...] = ("md", "html", "docx", "xlsx")
TEMPLATES: tuple[str, ...] = ("quote-zh", "quote-en")


@dataclass(frozen=True)
class QuoteDraft:
    number: str
    template: str
    format: str
    content: bytes
    text: str  # the Markdown, for the terminal


def _context(session: Session, view: QuoteView, policy: Policy) -> dict[str, Any]:
    customer = session.execute(
        select(Customer).where(col(Customer.code) == view["customer"])
    ).scalar_one()
    contact = session.execute(
        select(col(Contact.name))
        .where(col(Contact.customer_id) == customer.id)
        .order_by(col(Contact.is_primary).desc(), col(Contact.id))
        .limit(1)
    ).scalar_one_or_none()
    owner = session.execute(select(User).where(col(User.login) == view["owner"])).scalar_one()
    return {
        "quote": view,
        "company": dict(policy.company),
        "customer": {"code": customer.code, "name": customer.name, "contact": contact},
        "owner": {"login": owner.login, "name": owner.name},
        "lines": view["lines"],
        "totals": {
            key: view[key]
            for key in ("amount", "tax", "gross", "list_amount", "discount_amount", "discount_pct")
        },
        "terms": {"payment": None, "delivery": None, "notes": None, **view["terms"]},
    }


def _workbook(view: QuoteView, title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = view["number"]
    sheet.append([title, view["number"], view["customer_name"], str(view["valid_until"])])
    heads: tuple[str, ...] = ("line", "code", "name", "spec", "unit", "quantity", "unit_price")
    heads += ("discount_pct", "amount", "tax_rate", "tax", "gross")
    sheet.append(list(heads))
    for line in view["lines"]:
        sheet.append([line[h] for h in heads])  # type: ignore[literal-required]
    for key in ("amount", "tax", "gross", "discount_amount"):
        sheet.append([key, view[key]])
    sheet.append(["gross_upper", cn_upper(view["gross"])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def draft_quote(
    session: Session,
    *,
    actor: User,
    ref: str,
    fmt: str,
    policy: Policy,
    today: date,
    template: str | None = None,
) -> QuoteDraft:
    """Render the quote in ``fmt``; the template is ``template``, else the quote's, else
    ``quote-zh``. Recorded in the audit log."""
    if fmt not in FORMATS:
        raise Invalid(
            _("--format: unknown format {format}; accepted: {accepted}").format(
                format=repr(fmt), accepted=", ".join(FORMATS)
            )
        )
    quote = find_quote(session, ref)
    # A draft shows every price: it follows the policy's visibility, as `quote show` does.
    from bizops.services.visibility import scope_for

    scope_for(session, actor, policy).require_quote(session, quote)
    name = template or quote.template_name or "quote-zh"
    if name not in TEMPLATES:
        raise Invalid(
            _("--template: {name!r}; quotation templates are quote-zh and quote-en").format(
                name=name
            )
        )
    view = quote_view(session, quote, policy=policy, today=today)
    if not view["lines"]:
        raise Invalid(
            _("quote {number} has no lines; add one with `bizops quote line add`").format(
                number=quote.number
            )
        )
    text = render(read_text("quotes", f"{name}.md.j2"), _context(session, view, policy), name=name)
    language = "zh" if name.endswith("-zh") else "en"
    title = "报价单" if language == "zh" else "Quotation"
    content = {
        "md": lambda: markdown_bytes(text),
        "html": lambda: html_bytes(text, title=f"{title} {quote.number}", language=language),
        "docx": lambda: docx_bytes(text, title=f"{title} {quote.number}", language=language),
        "xlsx": lambda: _workbook(view, title),
    }[fmt]()
    audit.record(
        session,
        actor=actor.login,
        action="quote.draft",
        entity_type="quote",
        entity_id=quote.number,
        after={"template": name, "format": fmt},
    )
    return QuoteDraft(number=quote.number, template=name, format=fmt, content=content, text=text)
