"""First-contact material: an email or call script filled for one customer."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from bizops.documents.context import build_context
from bizops.documents.env import render
from bizops.domain.errors import Invalid
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.services.lookup import find_customer
from bizops.services.templates.rendering import (
    check_format,
    customer_dict,
    prepare_values,
    primary_contact,
    render_document,
    user_dict,
)
from bizops.services.templates.versions import resolve_template
from bizops.store.models import User


def render_material(
    session: Session,
    *,
    actor: User,
    template: str,
    customer: str | int,
    values: dict[str, str],
    policy: Policy,
    today: date,
) -> str:
    """A first-contact email or call script for one customer, as text."""
    found = resolve_template(session, template)
    if found.is_amendment:
        raise Invalid(
            _(
                "template: {name} is a supplementary agreement; draft it with "
                "`bizops contract draft CONTRACT --amendment N`"
            ).format(name=found.name)
        )
    if found.is_contract:
        raise Invalid(
            _(
                "template: {name} is a contract template; draft contracts with "
                "`bizops contract draft`"
            ).format(name=found.name)
        )
    row = find_customer(session, customer)
    assert row.id is not None
    prepared, unknown = prepare_values(found, values, fix="--set FIELD=VALUE", today=today)
    if unknown:
        raise Invalid(
            _("--set: {template} has no field(s) {unknown}; its fields: {fields}").format(
                template=found.ref,
                unknown=", ".join(sorted(unknown)),
                fields=", ".join(f.name for f in found.fields),
            )
        )
    context = build_context(
        template=found,
        contract=None,
        customer=customer_dict(row),
        contact=primary_contact(session, row.id),
        company=dict(policy.company),
        owner=user_dict(actor),
        today=today,
        values={k: v for k, v in prepared.items() if v is not None},
    )
    return render(found.body, context, name=found.ref)


def material_document(session: Session, *, template: str, text: str, fmt: str) -> bytes:
    """A rendered first-contact text as a file: Markdown, a printable HTML page or Word."""
    found = resolve_template(session, template)
    return render_document(text, fmt=check_format(fmt), title=found.title, language=found.language)
