"""`customer export`: customers in the columns `customer import` reads back unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from bizops.domain.customer_fields import format_contact
from bizops.services.customers.import_files import CONTACT_SEPARATOR, TAG_SEPARATOR
from bizops.services.customers.views import ExportRow
from bizops.store.models import Contact, Customer, CustomerTag, User
from bizops.store.scope import scope_of

__all__ = ["export_rows", "flatten_for_csv"]


def export_rows(session: Session, *, scope: str = "active") -> Iterator[ExportRow]:
    """Customers as import reads them: the primary contact in contact/title/phone/email, the
    others in ``more_contacts`` ("Name, title, phone, email" each), tags as a list; the
    company's own phone and email in company_phone/company_email; ``archived`` the day an
    archived customer was archived (import keeps it)."""
    c = Customer.__table__.c  # type: ignore[attr-defined]
    u = User.__table__.c  # type: ignore[attr-defined]
    where = [scope_of(session).owner_clause(c.owner_id)]
    if scope == "active":
        where.append(c.archived_on.is_(None))
    tag_map = _tags(session)
    contact_map = _contacts(session)
    query = (
        select(c.id, c.code, c.name, c.grade, c.stage, u.login, c.industry, c.region)
        .add_columns(c.source, c.potential, c.intent, c.note, c.needs)
        .add_columns(c.phone, c.email, c.website, c.address, c.credit_code, c.archived_on)
        .select_from(Customer.__table__.outerjoin(User.__table__, u.id == c.owner_id))  # type: ignore[attr-defined]
        .where(*where)
        .order_by(c.code)
    )
    for row in session.execute(query):
        cid, code, name, grade, stage, login, industry, region = row[:8]
        source, potential, intent, note, needs = row[8:13]
        phone, email, website, address, credit_code, archived_on = row[13:]
        contacts = contact_map.get(cid, [])
        primary = contacts[0] if contacts else {}
        yield {
            "code": code,
            "name": name,
            "grade": grade,
            "stage": stage,
            "owner": login,
            "industry": industry,
            "region": region,
            "source": source,
            "potential": potential,
            "intent": intent,
            "tags": tag_map.get(cid, []),
            "contact": primary.get("name"),
            "title": primary.get("title"),
            "phone": primary.get("phone"),
            "email": primary.get("email"),
            "more_contacts": [format_contact(x) for x in contacts[1:]],
            "note": note,
            "needs": needs,
            "company_phone": phone,
            "company_email": email,
            "website": website,
            "address": address,
            "credit_code": credit_code,
            "archived": archived_on,
        }


def _tags(session: Session) -> dict[int, list[str]]:
    t = CustomerTag.__table__.c  # type: ignore[attr-defined]
    tag_map: dict[int, list[str]] = {}
    for cid, tag in session.execute(select(t.customer_id, t.tag).order_by(t.customer_id, t.tag)):
        tag_map.setdefault(cid, []).append(tag)
    return tag_map


def _contacts(session: Session) -> dict[int, list[dict[str, Any]]]:
    """Every customer's contacts, the primary first."""
    k = Contact.__table__.c  # type: ignore[attr-defined]
    contact_map: dict[int, list[dict[str, Any]]] = {}
    for cid, cname, title, phone, email in session.execute(
        select(k.customer_id, k.name, k.title, k.phone, k.email).order_by(
            k.customer_id, k.is_primary.desc(), k.id
        )
    ):
        contact_map.setdefault(cid, []).append(
            {"name": cname, "title": title, "phone": phone, "email": email}
        )
    return contact_map


def flatten_for_csv(row: ExportRow) -> dict[str, Any]:
    """Lists as one cell: tags joined by ';', more contacts by ' | '."""
    out: dict[str, Any] = dict(row)
    out["tags"] = TAG_SEPARATOR.join(row["tags"])
    out["more_contacts"] = CONTACT_SEPARATOR.join(row["more_contacts"])
    return out
