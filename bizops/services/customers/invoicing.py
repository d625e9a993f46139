"""`customer invoicing`: the customer's invoicing details (开票信息) that contracts print."""

from __future__ import annotations

from sqlmodel import Session

from bizops.domain.errors import Invalid
from bizops.domain.invoicing import INVOICING_KEYS, merge_invoicing
from bizops.i18n import _
from bizops.services.customers.permissions import require_active, require_may_change
from bizops.services.customers.profile import record
from bizops.services.customers.views import InvoicingView
from bizops.services.lookup import find_customer
from bizops.store.models import User

__all__ = ["set_invoicing"]


def set_invoicing(
    session: Session, *, actor: User, ref: str | int, values: dict[str, str]
) -> InvoicingView:
    """Set (or with an empty value clear) invoicing details; the owner or a manager may."""
    customer = find_customer(session, ref)
    require_may_change(session, actor, customer)
    require_active(customer)
    if not values:
        raise Invalid(
            _("nothing to change: give --set KEY=VALUE; keys: {keys}").format(
                keys=", ".join(INVOICING_KEYS)
            )
        )
    before = dict(customer.invoicing or {})
    after, problems = merge_invoicing(before, values)
    if problems:
        raise Invalid(
            _("{count} invoicing detail(s) refused; keys: {keys}").format(
                count=len(problems), keys=", ".join(INVOICING_KEYS)
            ),
            details=[
                _("{key}: {problem}").format(key=key, problem=_(problem))
                for key, problem in problems
            ],
        )
    customer.invoicing = after or None
    session.add(customer)
    session.flush()
    if after != before:
        record(session, actor, "customer.invoicing", customer, before=before, after=after)
    return {"code": customer.code, "name": customer.name, "invoicing": after}
