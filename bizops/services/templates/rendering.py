"""What drafting a contract and filling first-contact material share: the values checked
against the template's fields, the people in the context, and the document formats."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.documents.fields import check_values, describe, with_defaults
from bizops.documents.goods import GOODS_KEY, split_goods
from bizops.documents.library import Template
from bizops.documents.writers import docx_bytes, html_bytes, markdown_bytes
from bizops.domain.errors import Invalid
from bizops.i18n import _
from bizops.store.models import Contact, Customer, User

DRAFT_FORMATS: tuple[str, ...] = ("md", "html", "docx")


def check_format(fmt: str) -> str:
    value = (fmt or "md").strip().lower()
    if value not in DRAFT_FORMATS:
        raise Invalid(
            _("--format: unknown format {value!r}; accepted: {accepted}").format(
                value=fmt, accepted=", ".join(DRAFT_FORMATS)
            )
        )
    return value


def customer_dict(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.id,
        "code": customer.code,
        "name": customer.name,
        "grade": customer.grade,
        "stage": customer.stage,
        "industry": customer.industry,
        "region": customer.region,
        "source": customer.source,
        "invoicing": dict(customer.invoicing or {}),
    }


def user_dict(user: User | None) -> dict[str, Any]:
    if user is None:
        return {}
    return {"login": user.login, "name": user.name, "email": user.email}


def primary_contact(session: Session, customer_id: int) -> dict[str, Any]:
    contact = session.execute(
        select(Contact)
        .where(col(Contact.customer_id) == customer_id)
        .order_by(col(Contact.is_primary).desc(), col(Contact.id))
        .limit(1)
    ).scalar_one_or_none()
    if contact is None:
        return {}
    return {
        "name": contact.name,
        "title": contact.title,
        "phone": contact.phone,
        "email": contact.email,
    }


def prepare_values(
    template: Template,
    stored: dict[str, Any],
    *,
    fix: str = "bizops contract update X --set FIELD=VALUE",
    today: date | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check a contract's stored values for drafting; ``Invalid`` lists every problem."""
    stored, lines = split_goods(stored)
    checked = check_values(list(template.fields), stored, today)
    problems = list(checked.problems)
    for name in checked.missing:
        spec = template.field(name)
        assert spec is not None
        problems.append(
            describe(
                spec,
                _("{name}: required but missing; set it with --set {name}=...").format(name=name),
            )
        )
    if problems:
        # Each problem starts with the field's name and a colon (a full-width one in Chinese).
        names = ", ".join(re.split("[:：]", p, maxsplit=1)[0] for p in problems)
        raise Invalid(
            _(
                "{count} field(s) of template {template} are missing or invalid: {names}; "
                "fix them with `{fix}`"
            ).format(count=len(problems), template=template.ref, names=names, fix=fix),
            details=problems,
        )
    values = with_defaults(list(template.fields), checked.values)
    if lines:
        values[GOODS_KEY] = lines
    return values, checked.unknown


def render_document(text: str, *, fmt: str, title: str, language: str, author: str = "") -> bytes:
    if fmt == "md":
        return markdown_bytes(text)
    if fmt == "html":
        return html_bytes(text, title=title, language=language)
    return docx_bytes(text, title=title, language=language, author=author)
