"""Creating a draft contract, editing its terms while it is a draft, and noting on it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.documents.goods import GOODS_KEY
from bizops.domain import contract_states as cs
from bizops.domain.currencies import check_written_currency
from bizops.domain.dates import parse_date
from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.domain.policy import Policy
from bizops.domain.roles import FINANCE, GM, LEGAL
from bizops.domain.validate import check_text
from bizops.domain.vocab import CONTRACT_TYPES, RISKS, label, one_of
from bizops.i18n import N_, _
from bizops.services import templates  # the template stack loads when a draft is assessed
from bizops.services.approvals import void_approved
from bizops.services.contracts.access import is_manager, require_contract_role
from bizops.services.contracts.changes import apply_assessment, record, save, snapshot
from bizops.services.contracts.listing import contract_summary
from bizops.services.contracts.numbering import next_number
from bizops.services.contracts.terms import (
    as_text,
    check_amount,
    check_currency,
    check_notice_days,
    check_optional_amount,
    check_period,
    check_title,
    template_ref,
)
from bizops.services.lookup import find_contract, find_customer
from bizops.services.users import find_user
from bizops.services.views.contracts import AddedNote, ContractRow, CreatedContract, NoteRow
from bizops.store.models import Contract, ContractNote, Customer, User

# ---------------------------------------------------------------------------------------------
# Creating


@dataclass(frozen=True)
class _NewTerms:
    type: str
    risk: str
    title: str
    amount: Decimal | None
    currency: str
    start: date
    end: date
    notice_days: int


def _new_terms(
    *,
    type: str,
    title: str,
    amount: str | Decimal | None,
    risk: str,
    start: str | date,
    end: str | date,
    currency: str | None,
    notice_days: int | None,
    policy: Policy,
    today: date,
) -> _NewTerms:
    """The terms as typed, checked in the order the options are listed."""
    contract_type = one_of(type, CONTRACT_TYPES, "--type")
    risk_level = one_of(risk, RISKS, "--risk")
    clean_title = check_title(title)
    value = check_optional_amount(amount, contract_type)
    code = check_currency(currency, policy)
    check_written_currency(amount, code)
    start_on = parse_date(start, today, field="--start")
    end_on = parse_date(end, today, field="--end")
    check_period(start_on, end_on)
    notice = check_notice_days(notice_days, policy)
    return _NewTerms(contract_type, risk_level, clean_title, value, code, start_on, end_on, notice)


def _customer_and_owner(
    session: Session, *, actor: User, customer: str | int, owner: str | None
) -> tuple[Customer, User]:
    """The contract's customer (not archived) and owner; a salesperson creates contracts only
    for their own customers and owned by themselves, a manager or an admin for anyone."""
    cust = find_customer(session, customer, field="--customer")
    if cust.archived_on is not None:
        raise Conflict(
            _(
                "customer {code} ({name}) is archived; restore it with "
                "`bizops customer restore {code}` before adding a contract"
            ).format(code=cust.code, name=cust.name)
        )
    owner_user = find_user(session, owner, field="--owner") if owner else actor
    if not owner_user.active:
        raise Invalid(_("--owner: user {login} is deactivated").format(login=owner_user.login))
    if is_manager(actor):
        return cust, owner_user
    if cust.owner_id != actor.id:
        holder = session.execute(
            select(col(User.login)).where(col(User.id) == cust.owner_id)
        ).scalar()
        raise NotPermitted(
            _(
                "{login} may create contracts only for customers they own; "
                "{code} belongs to {holder} (a manager or an admin may create it)"
            ).format(login=actor.login, code=cust.code, holder=holder)
        )
    if owner_user.id != actor.id:
        raise NotPermitted(
            _("--owner: only a manager or an admin may create a contract owned by someone else")
        )
    return cust, owner_user


def create_contract(
    session: Session,
    *,
    actor: User,
    customer: str | int,
    type: str,
    title: str,
    amount: str | Decimal | None,
    risk: str,
    start: str | date,
    end: str | date,
    currency: str | None = None,
    template: str | None = None,
    values: dict[str, str] | None = None,
    notice_days: int | None = None,
    owner: str | None = None,
    policy: Policy,
    today: date,
) -> CreatedContract:
    """A new draft, numbered by the policy's pattern. Returns its summary."""
    terms = _new_terms(
        type=type,
        title=title,
        amount=amount,
        risk=risk,
        start=start,
        end=end,
        currency=currency,
        notice_days=notice_days,
        policy=policy,
        today=today,
    )
    cust, owner_user = _customer_and_owner(session, actor=actor, customer=customer, owner=owner)
    assessment = templates.assess_standard(
        session,
        contract_type=terms.type,
        template=template,
        values=dict(values or {}),
        today=today,
        amount=terms.amount,
    )
    assert cust.id is not None and owner_user.id is not None
    contract = Contract(
        number=next_number(session, policy=policy, today=today, contract_type=terms.type),
        title=terms.title,
        customer_id=cust.id,
        owner_id=owner_user.id,
        type=terms.type,
        amount=terms.amount,
        currency=terms.currency,
        risk=terms.risk,
        status=cs.DRAFT,
        start=terms.start,
        end=terms.end,
        notice_days=terms.notice_days,
        created_on=today,
        created_at=datetime.now(UTC),
    )
    apply_assessment(contract, assessment)
    save(session, contract)
    record(session, actor, "contract.create", "contract", contract.number, after=snapshot(contract))
    return {
        **contract_summary(session, contract),
        "non_standard_reasons": list(contract.non_standard_reasons),
    }


# ---------------------------------------------------------------------------------------------
# Editing


# Why a submitted contract's terms cannot be edited, and what to do instead, by its status.
_NOT_EDITABLE = {
    cs.PENDING: N_(
        "contract {number} is {status}: its terms cannot be edited after submission; "
        "withdraw the approval request (`bizops approval withdraw ID`) to edit the draft, or "
        "once signed change them with "
        "`bizops contract amend {number} --set FIELD=VALUE --reason TEXT`"
    ),
}
_NOT_EDITABLE_SIGNED = N_(
    "contract {number} is {status}: its terms cannot be edited after submission; "
    "once signed change them with `bizops contract amend {number} --set FIELD=VALUE --reason TEXT`"
)


def _require_editable(contract: Contract) -> None:
    # An approved contract may still change; the change sends it back to draft (see below).
    if contract.status in cs.EDITABLE or contract.status == cs.APPROVED:
        return
    message = _NOT_EDITABLE.get(contract.status, _NOT_EDITABLE_SIGNED)
    raise Conflict(
        _(message).format(number=contract.number, status=label("contract_state", contract.status))
    )


def _change_terms(
    contract: Contract,
    *,
    title: str | None,
    type: str | None,
    amount: str | Decimal | None,
    currency: str | None,
    risk: str | None,
    start: str | date | None,
    end: str | date | None,
    notice_days: int | None,
    policy: Policy,
    today: date,
) -> None:
    if title is not None:
        contract.title = check_title(title)
    if type is not None:
        contract.type = one_of(type, CONTRACT_TYPES, "--type")
    if amount is not None:
        contract.amount = check_amount(amount)
    if currency is not None:
        contract.currency = check_currency(currency, policy)
    if amount is not None:
        check_written_currency(amount, contract.currency)
    if risk is not None:
        contract.risk = one_of(risk, RISKS, "--risk")
    new_start = parse_date(start, today, field="--start") if start is not None else contract.start
    new_end = parse_date(end, today, field="--end") if end is not None else contract.end
    check_period(new_start, new_end)
    contract.start, contract.end = new_start, new_end
    if notice_days is not None:
        contract.notice_days = check_notice_days(notice_days, policy)


def _changed_fields(
    contract: Contract, values: dict[str, str] | None, unset: Iterable[str]
) -> dict[str, Any]:
    """The contract's template fields as text, with ``unset`` removed and ``values`` set."""
    # The goods table stays a list of lines; every other field is edited as text.
    fields: dict[str, Any] = {
        k: v if k == GOODS_KEY else as_text(v) for k, v in (contract.fields or {}).items()
    }
    for name in unset:
        if name not in fields:
            known = ", ".join(sorted(fields)) or _("none")
            raise Invalid(
                _("--unset: the contract has no field {name!r}; its fields: {known}").format(
                    name=name, known=known
                )
            )
        del fields[name]
    fields.update(values or {})
    return fields


def _chosen_template(contract: Contract, template: str | None, no_template: bool) -> str | None:
    if no_template:
        return None
    if template is not None:
        return template
    return template_ref(contract.template_name, contract.template_version)


def update_contract(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    title: str | None = None,
    type: str | None = None,
    amount: str | Decimal | None = None,
    currency: str | None = None,
    risk: str | None = None,
    start: str | date | None = None,
    end: str | date | None = None,
    template: str | None = None,
    no_template: bool = False,
    values: dict[str, str] | None = None,
    unset: Iterable[str] = (),
    notice_days: int | None = None,
    policy: Policy,
    today: date,
) -> ContractRow:
    """Change a draft's terms. After submission terms change only by amendment."""
    contract = find_contract(session, ref)
    require_contract_role(session, actor, contract, N_("update contract {number}"))
    _require_editable(contract)
    if template is not None and no_template:
        raise Invalid(_("--template and --no-template cannot be used together"))
    before = snapshot(contract)
    _change_terms(
        contract,
        title=title,
        type=type,
        amount=amount,
        currency=currency,
        risk=risk,
        start=start,
        end=end,
        notice_days=notice_days,
        policy=policy,
        today=today,
    )
    fields = _changed_fields(contract, values, unset)
    assessment = templates.assess_standard(
        session,
        contract_type=contract.type,
        template=_chosen_template(contract, template, no_template),
        values=fields,
        today=today,
        amount=contract.amount,
    )
    apply_assessment(contract, assessment)
    after = snapshot(contract)
    if after == before:
        raise Invalid(
            _(
                "nothing to change: give --title, --type, --amount, --currency, --risk, --start, "
                "--end, --template, --set, --unset or --notice-days"
            )
        )
    if contract.status == cs.APPROVED:
        _back_to_draft(session, actor, contract)
        after = snapshot(contract)
    save(session, contract)
    record(
        session, actor, "contract.update", "contract", contract.number, before=before, after=after
    )
    return contract_summary(session, contract)


def _back_to_draft(session: Session, actor: User, contract: Contract) -> None:
    """A change to an approved contract voids its approval: what was approved is no longer
    what would be signed. It goes back to draft and must be submitted again."""
    assert contract.id is not None
    voided = void_approved(session, contract_id=contract.id)
    before = {"status": contract.status, "approved_on": contract.approved_on}
    contract.status = cs.DRAFT
    contract.approved_on = None
    contract.submitted_on = None
    record(
        session,
        actor,
        "contract.back_to_draft",
        "contract",
        contract.number,
        before=before,
        after={"status": contract.status, "voided_requests": voided},
    )


# ---------------------------------------------------------------------------------------------
# Notes


def add_note(session: Session, *, actor: User, ref: str | int, text: str) -> AddedNote:
    """A negotiation or review note. Reviewers (legal, finance, gm) may note any contract."""
    contract = find_contract(session, ref)
    require_contract_role(
        session, actor, contract, N_("note contract {number}"), also=(LEGAL, FINANCE, GM)
    )
    body = check_text(text, "TEXT", required=True, max_length=5000)
    assert body is not None and contract.id is not None
    note = ContractNote(contract_id=contract.id, at=datetime.now(UTC), actor=actor.login, text=body)
    save(session, note)
    assert note.id is not None
    record(
        session,
        actor,
        "contract.note",
        "contract",
        contract.number,
        after={"note": note.id, "text": body},
    )
    return {"id": note.id, "contract": contract.number, "actor": actor.login, "text": body}


def notes_of(session: Session, *, contract_id: int) -> list[NoteRow]:
    """A contract's notes, oldest first."""
    return [
        {"id": n.id, "at": n.at, "actor": n.actor, "text": n.text}
        for n in session.execute(
            select(ContractNote)
            .where(col(ContractNote.contract_id) == contract_id)
            .order_by(col(ContractNote.id))
        ).scalars()
        if n.id is not None
    ]
