"""Finding customers: `customer list` (filtered and sorted in SQL) and `customer show`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, case, exists, or_, select
from sqlmodel import Session, col

from bizops.domain import pipeline
from bizops.domain.customer_fields import parse_grade, parse_stage, parse_tags
from bizops.domain.errors import Invalid
from bizops.domain.pinyin import search_term
from bizops.domain.text import fold, name_key
from bizops.domain.validate import check_search
from bizops.domain.vocab import STAGES, one_of
from bizops.i18n import _
from bizops.services.customers.contacts import contact_view, contacts_of
from bizops.services.customers.profile import customer_view, login_of
from bizops.services.customers.views import (
    ContractItem,
    CustomerListRow,
    CustomerShow,
    FollowUpItem,
    InteractionItem,
    NextFollowUp,
    StageHistoryItem,
)
from bizops.services.followups import open_followup
from bizops.services.lookup import find_customer
from bizops.services.users import find_user
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
from bizops.store.scope import scope_of

__all__ = ["RECENT", "SCOPES", "SORTS", "list_customers", "show_customer"]

SORTS: tuple[str, ...] = ("name", "code", "grade", "stage", "next-due", "created")
SCOPES: tuple[str, ...] = ("active", "archived", "all")
RECENT = 10
_DIGITS = re.compile(r"\D")

# The tables as Core, for the listing's one statement.
_C = Customer.__table__  # type: ignore[attr-defined]
_U = User.__table__  # type: ignore[attr-defined]
_F = FollowUp.__table__  # type: ignore[attr-defined]
_T = CustomerTag.__table__  # type: ignore[attr-defined]
_K = Contact.__table__  # type: ignore[attr-defined]


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
    offset: int = 0,
    pool: bool = False,
) -> Iterator[CustomerListRow]:
    """Customers as rows, filtered and sorted in SQL; tags come from one extra query.
    ``limit`` (0 or None: all) and ``offset`` page the query itself. ``pool``: only the
    customers of the shared pool (no owner).

    The filters are checked and the query runs before this returns, so a bad filter is an
    error before any output starts. The caller consumes the iterator while the session is open.
    """
    c, u, f, t = _C.c, _U.c, _F.c, _T.c
    conditions = _conditions(
        session,
        today=today,
        grade=grade,
        stage=stage,
        owner=owner,
        tag=tag,
        search=search,
        overdue=overdue,
        scope=one_of(scope, SCOPES, "scope"),
        pool=pool,
    )
    order = _order(one_of(sort, SORTS, "--sort"))
    base = _C.outerjoin(_U, u.id == c.owner_id).outerjoin(
        _F, and_(f.customer_id == c.id, f.status == "open")
    )
    columns = (c.id, c.code, c.name, c.grade, c.stage, u.login, c.industry, c.region)
    more = (c.potential, c.intent, f.due, c.last_contact_on, c.created_on, c.archived_on)
    query = select(*columns, *more).select_from(base).where(*conditions).order_by(*order)
    if limit:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    rows = session.execute(query).all()
    tag_map: dict[int, list[str]] = {}
    if rows:
        if limit or offset:
            ids: Any = [r[0] for r in rows]
        else:
            ids = select(c.id).select_from(base).where(*conditions)
        tag_query = select(t.customer_id, t.tag).where(t.customer_id.in_(ids))
        for cid, tag_value in session.execute(tag_query.order_by(t.customer_id, t.tag)):
            tag_map.setdefault(cid, []).append(tag_value)
    return _customer_rows(rows, tag_map)


def _conditions(
    session: Session,
    *,
    today: date,
    grade: str | None,
    stage: str | None,
    owner: str | None,
    tag: str | None,
    search: str | None,
    overdue: bool,
    scope: str,
    pool: bool = False,
) -> list[Any]:
    c, t, f = _C.c, _T.c, _F.c
    conditions: list[Any] = [scope_of(session).owner_clause(c.owner_id)]
    if pool:
        if owner:
            raise Invalid(
                _("--pool and --owner cannot be used together: pool customers have no owner")
            )
        conditions.append(c.owner_id.is_(None))
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
    tags = parse_tags([tag]) if tag else []
    if tags:
        conditions.append(exists().where(t.customer_id == c.id, t.tag.in_(tags)))
    if search and search.strip():
        conditions.append(_search_condition(check_search(search)))
    if overdue:
        conditions.append(f.due < today)
    return conditions


def _order(sort: str) -> list[Any]:
    c, f = _C.c, _F.c
    if sort == "stage":
        position = {s: i for i, s in enumerate(STAGES)}
        return [case(position, value=c.stage, else_=len(STAGES)), c.code]
    return {
        "name": [c.name_key, c.id],
        "code": [c.code],
        "grade": [c.grade, c.code],
        "next-due": [f.due.is_(None), f.due, c.code],
        "created": [c.created_at, c.id],
    }[sort]


def _customer_rows(rows: Sequence[Any], tag_map: dict[int, list[str]]) -> Iterator[CustomerListRow]:
    for row in rows:
        cid, code, name, grd, stg, login, industry, region = row[:8]
        potential, intent, due, last, created, archived = row[8:]
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


def _search_condition(text: str) -> Any:
    """Names by their folded key or their pinyin (full or initials); contacts by folded name
    and email, and phone digits."""
    c, k = _C.c, _K.c
    key = name_key(text)
    parts = []
    if key:
        parts.append(c.name_key.contains(key, autoescape=True))
    spoken = search_term(text)
    if spoken:
        parts.append(c.id.in_(_pinyin_matches(spoken)))
    contact_terms = [fold(text)]
    digits = _DIGITS.sub("", text)
    if len(digits) >= 3 and re.fullmatch(r"[+\d\s\-()./]+", text.strip()):
        contact_terms.append(digits)
    parts.append(
        exists().where(
            k.customer_id == c.id,
            or_(*[k.search_key.contains(term, autoescape=True) for term in contact_terms]),
        )
    )
    return or_(*parts)


def _pinyin_matches(term: str) -> Any:
    """The ids of customers whose pinyin or initials hold ``term``: read once from the
    pinyin index (it holds both keys), not from every customer row."""
    keys = _C.alias("pinyin")
    return select(keys.c.id).where(
        or_(
            keys.c.name_initials.contains(term, autoescape=True),
            keys.c.name_pinyin.contains(term, autoescape=True),
        )
    )


# --------------------------------------------------------------------------- show


def show_customer(session: Session, *, ref: str | int, today: date) -> CustomerShow:
    """Profile, contacts, tags, stage history with days in stage, recent follow-ups and
    interactions, the next follow-up and contracts, as one object."""
    customer = find_customer(session, ref)
    assert customer.id is not None
    return {
        **customer_view(session, customer),
        "needs": customer.needs,
        "note": customer.note,
        "days_in_stage": (today - customer.stage_since).days,
        "contacts": [contact_view(c) for c in contacts_of(session, customer.id)],
        "stage_history": _stage_history(session, customer.id, today),
        "next_followup": _next_followup(session, customer.id, today),
        "followups": _recent_followups(session, customer.id),
        "interactions": _recent_interactions(session, customer.id),
        "contracts": _contracts(session, customer.id),
        "invoicing": dict(customer.invoicing or {}),
    }


def _stage_history(session: Session, customer_id: int, today: date) -> list[StageHistoryItem]:
    changes = session.execute(
        select(
            col(StageChange.from_stage),
            col(StageChange.to_stage),
            col(StageChange.on),
            col(StageChange.actor),
            col(StageChange.reason),
            col(StageChange.cause),
        )
        .where(col(StageChange.customer_id) == customer_id)
        .order_by(col(StageChange.at), col(StageChange.id))
    ).all()
    spans = pipeline.stage_spans(
        [(a, b, c, d, e) for a, b, c, d, e, _f in changes],
        today,
        causes=[f for *_x, f in changes],
    )
    return [
        {
            "from": s.from_stage,
            "stage": s.stage,
            "on": s.on,
            "until": s.until,
            "days": s.days,
            "actor": s.actor,
            "reason": s.reason,
            "cause": s.cause,
        }
        for s in spans
    ]


def _next_followup(session: Session, customer_id: int, today: date) -> NextFollowUp | None:
    followup = open_followup(session, customer_id)
    if followup is None:
        return None
    assert followup.id is not None
    return {
        "id": followup.id,
        "due": followup.due,
        "kind": followup.kind,
        "purpose": followup.purpose,
        "days_overdue": max((today - followup.due).days, 0),
    }


def _recent_followups(session: Session, customer_id: int) -> list[FollowUpItem]:
    query = (
        select(FollowUp)
        .where(col(FollowUp.customer_id) == customer_id)
        .order_by(col(FollowUp.due).desc(), col(FollowUp.id).desc())
        .limit(RECENT)
    )
    return [
        {
            "id": fu.id,
            "due": fu.due,
            "status": fu.status,
            "kind": fu.kind,
            "closed_on": fu.closed_on,
            "on_time": fu.on_time,
            "purpose": fu.purpose,
        }
        for fu in session.execute(query).scalars()
    ]


def _recent_interactions(session: Session, customer_id: int) -> list[InteractionItem]:
    query = (
        select(Interaction)
        .where(col(Interaction.customer_id) == customer_id)
        .order_by(col(Interaction.at).desc(), col(Interaction.id).desc())
        .limit(RECENT)
    )
    return [
        {
            "id": i.id,
            "at": i.at,
            "on": i.on,
            "via": i.via,
            "summary": i.summary,
            "contact": i.contact,
            "outcome": i.outcome,
            "purpose": i.purpose,
            "place": i.place,
            "next_action": i.next_action,
            "by": login_of(session, i.actor_id) or "",
        }
        for i in session.execute(query).scalars()
    ]


def _contracts(session: Session, customer_id: int) -> list[ContractItem]:
    query = (
        select(Contract).where(col(Contract.customer_id) == customer_id).order_by(col(Contract.id))
    )
    return [
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
        for ct in session.execute(query).scalars()
    ]
