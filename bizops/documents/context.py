"""What a template sees when it renders: one place builds it for drafts, trials and tests.

Every key listed here is always present (an unknown value is an empty string), so that a
template can test ``{% if contact.phone %}`` under StrictUndefined; a name that is not
here, or not a field of the template, is an error.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from bizops.documents.fields import typed, with_defaults
from bizops.documents.goods import GOODS_KEY
from bizops.documents.library import Template

CONTRACT_KEYS = (
    "number",
    "title",
    "type",
    "amount",
    "currency",
    "risk",
    "status",
    "start",
    "end",
    "signatory",
    "signed_on",
    "notice_days",
)
CUSTOMER_KEYS = ("code", "name", "grade", "stage", "industry", "region", "source")
CONTACT_KEYS = ("name", "title", "phone", "email")
OWNER_KEYS = ("login", "name", "email")
COMPANY_KEYS = (
    "name",
    "name_en",
    "address",
    "address_en",
    "legal_representative",
    "phone",
    "email",
    "bank",
    "bank_account",
    "tax_id",
)
AMENDMENT_KEYS = ("number", "seq", "reason", "created_on", "changes")
PARTY_KEYS = (
    "name",
    "address",
    "representative",
    "rep_title",
    "contact",
    "phone",
    "email",
    "bank",
    "bank_account",
    "tax_id",
    "invoice_name",
    "invoice_address",
    "invoice_phone",
)
# A customer's invoicing details (开票信息), as stored on the customer.
INVOICING_KEYS = ("name", "tax_id", "address", "phone", "bank", "bank_account")
# Which side is 甲方 (party A): the customer buys in sales, service and framework contracts;
# in a purchase the customer supplies and we buy; in an NDA we disclose first.
CUSTOMER_IS_PARTY_A = {"sales": True, "service": True, "framework": True, "purchase": False}


def _complete(data: dict[str, Any] | None, keys: tuple[str, ...]) -> dict[str, Any]:
    data = data or {}
    out = {k: ("" if data.get(k) is None else data.get(k)) for k in keys}
    out.update({k: v for k, v in data.items() if k not in out and v is not None})
    return out


def is_branch(name: str) -> bool:
    """A branch (分公司) is represented by its 负责人, not a 法定代表人."""
    text = str(name or "")
    return "分公司" in text or "branch" in text.casefold()


def representative_title(name: str, language: str) -> str:
    if language == "en":
        return "Person in charge" if is_branch(name) else "Legal representative"
    return "负责人" if is_branch(name) else "法定代表人"


def document_name(title: str, language: str) -> str:
    """How a document calls itself: 本协议 for an 协议 (or an Agreement), else 本合同."""
    if language == "en":
        return "this agreement" if "agreement" in title.casefold() else "this contract"
    return "本协议" if title.strip().endswith("协议") else "本合同"


def _ours(company: dict[str, Any], owner: dict[str, Any], en: bool) -> dict[str, Any]:
    name = (company.get("name_en") if en else None) or company.get("name", "")
    address = (company.get("address_en") if en else None) or company.get("address", "")
    return {
        "name": name,
        "address": address,
        "representative": company.get("legal_representative", ""),
        "contact": owner.get("name") or company.get("contact", ""),
        "phone": company.get("phone", ""),
        "email": owner.get("email") or company.get("email", ""),
        "bank": company.get("bank", ""),
        "bank_account": company.get("bank_account", ""),
        "tax_id": company.get("tax_id", ""),
        # Invoices carry the registered Chinese name and address whatever the language.
        "invoice_name": company.get("name", "") or name,
        "invoice_address": company.get("invoice_address") or company.get("address", ""),
        "invoice_phone": company.get("invoice_phone") or company.get("phone", ""),
    }


def _theirs(
    customer: dict[str, Any], contact: dict[str, Any], values: dict[str, Any]
) -> dict[str, Any]:
    """The counterparty: values typed on the contract first, then the customer's records."""
    billing = customer.get("invoicing") or {}

    def pick(value_name: str, billing_key: str) -> Any:
        return values.get(value_name) or billing.get(billing_key) or ""

    address = values.get("counterparty_address") or billing.get("address") or ""
    return {
        "name": customer.get("name", ""),
        "address": address,
        "representative": values.get("counterparty_representative") or "",
        "contact": contact.get("name", ""),
        "phone": contact.get("phone", ""),
        "email": contact.get("email", ""),
        "bank": pick("counterparty_bank", "bank"),
        "bank_account": pick("counterparty_bank_account", "bank_account"),
        "tax_id": pick("counterparty_tax_id", "tax_id"),
        "invoice_name": billing.get("name") or customer.get("name", ""),
        "invoice_address": billing.get("address") or address,
        "invoice_phone": billing.get("phone") or contact.get("phone", ""),
    }


def parties(
    *,
    contract_type: str,
    language: str,
    company: dict[str, Any],
    customer: dict[str, Any],
    contact: dict[str, Any],
    values: dict[str, Any],
    owner: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    ours = _ours(company, owner or {}, language == "en")
    theirs = _theirs(customer, contact, values)
    for party in (ours, theirs):
        party["rep_title"] = representative_title(str(party["name"]), language)
    if CUSTOMER_IS_PARTY_A.get(contract_type, False):
        return _complete(theirs, PARTY_KEYS), _complete(ours, PARTY_KEYS)
    return _complete(ours, PARTY_KEYS), _complete(theirs, PARTY_KEYS)


def build_context(
    *,
    template: Template,
    contract: dict[str, Any] | None,
    customer: dict[str, Any] | None,
    contact: dict[str, Any] | None,
    company: dict[str, Any],
    owner: dict[str, Any] | None,
    today: date,
    values: dict[str, Any],
    extra: dict[str, Any] | None = None,
    amendment: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The rendering context; ``values`` are normalised field values (defaults applied here).
    ``amendment`` (a supplementary agreement's) is ``number``, ``reason``, ``created_on`` and
    ``changes``: a list of ``{"term", "old", "new"}``."""
    full = with_defaults(list(template.fields), values)
    field_values = {
        spec.name: typed(spec, full[spec.name]) if full[spec.name] is not None else ""
        for spec in template.fields
    }
    contract_data = _complete(contract, CONTRACT_KEYS)
    if contract and contract.get("amount") is not None:
        contract_data["amount"] = Decimal(str(contract["amount"]))
    customer_data = _complete(customer, CUSTOMER_KEYS)
    contact_data = _complete(contact, CONTACT_KEYS)
    company_data = _complete(company, COMPANY_KEYS)
    party_a, party_b = parties(
        contract_type=str(contract_data.get("type") or template.type),
        language=template.language,
        company=company_data,
        customer=customer_data,
        contact=contact_data,
        values=field_values,
        owner=owner,
    )
    context: dict[str, Any] = {
        "contract": contract_data,
        "customer": customer_data,
        "contact": contact_data,
        "company": company_data,
        "owner": _complete(owner, OWNER_KEYS),
        "party_a": party_a,
        "party_b": party_b,
        "today": today,
        "language": template.language,
        "template": {
            "name": template.name,
            "version": template.version,
            "title": template.title,
            "this": document_name(template.title, template.language),
        },
        "fields": field_values,
        "goods": goods_table(values.get(GOODS_KEY), field_values, contract_data),
        "extra": dict(extra or {}),
        "amendment": _complete(amendment, AMENDMENT_KEYS),
    }
    if not context["amendment"]["changes"]:
        context["amendment"]["changes"] = []
    context.update(field_values)
    return context


def goods_table(
    lines: Any, fields: dict[str, Any], contract: dict[str, Any]
) -> list[dict[str, Any]]:
    """The goods table to print: the contract's lines, or one line from its goods fields."""
    if lines:
        return [
            {
                **line,
                "quantity": Decimal(str(line["quantity"])),
                "unit_price": Decimal(str(line["unit_price"])),
                "amount": Decimal(str(line["amount"])),
                "tax_rate": Decimal(str(line["tax_rate"])),
            }
            for line in lines
        ]
    if not fields.get("goods_name"):
        return []
    amount = contract.get("amount")
    quantity = fields.get("quantity") or 1
    price = (
        (Decimal(amount) / Decimal(quantity)).quantize(Decimal("0.01"))
        if isinstance(amount, Decimal)
        else ""
    )
    return [
        {
            "name": fields.get("goods_name", ""),
            "spec": fields.get("specification", ""),
            "unit": fields.get("unit", ""),
            "quantity": Decimal(quantity),
            "unit_price": price,
            "amount": amount if isinstance(amount, Decimal) else "",
            "tax_rate": fields.get("tax_rate", ""),
        }
    ]


def sample_values(template: Template, today: date) -> dict[str, Any]:
    """A plausible value for each required field without a default (for trial renders)."""
    from bizops.documents.checks import CHECKS
    from bizops.documents.fields import normalise

    out: dict[str, Any] = {}
    for spec in template.fields:
        if spec.check and spec.default is None:
            out[spec.name] = CHECKS[spec.check].example
            continue
        if spec.default is not None or not spec.required:
            continue
        if spec.type == "enum":
            raw: Any = spec.choices[0]
        elif spec.type == "bool":
            raw = True
        elif spec.type == "date":
            raw = spec.min or today.isoformat()
        elif spec.type in ("int", "decimal", "percent", "money"):
            raw = spec.min if spec.min is not None else (spec.max or 1)
        else:
            raw = spec.label[: int(spec.max)] if spec.max else spec.label
            if spec.min and len(raw) < int(spec.min):
                raw = raw.ljust(int(spec.min), "x")
        try:
            out[spec.name] = normalise(spec, raw)
        except Exception:
            out[spec.name] = raw
    return out


def sample_context(template: Template, *, company: dict[str, Any], today: date) -> dict[str, Any]:
    """A demo contract, customer and contact: what ``template validate`` renders with."""
    en = template.language == "en"
    return build_context(
        template=template,
        contract={
            "number": "HT-2026-0001",
            "title": "Sample contract" if en else "示例合同",
            "type": template.type if template.is_contract else "sales",
            "amount": Decimal("120000.00"),
            "currency": "CNY",
            "risk": "low",
            "status": "draft",
            "start": today,
            "end": date(today.year + 1, today.month, min(today.day, 28)),
            "notice_days": 30,
            "signed_on": today,
        },
        customer={"code": "C0001", "name": "Sample Customer Ltd." if en else "示例客户有限公司"},
        contact={"name": "Li Lei" if en else "李雷", "title": "Manager" if en else "经理"},
        company=company,
        owner={"login": "sales", "name": "Sales Rep" if en else "销售代表"},
        today=today,
        values=sample_values(template, today),
        amendment=sample_amendment(today) if template.is_amendment else None,
    )


def sample_amendment(today: date) -> dict[str, Any]:
    """A demo amendment of the demo contract: its amount and its end date change."""
    return {
        "number": "HT-2026-0001-A1",
        "seq": 1,
        "reason": "",
        "created_on": today,
        "changes": [
            {"term": "amount", "old": "120000.00", "new": "150000.00"},
            {
                "term": "end",
                "old": today.isoformat(),
                "new": date(today.year + 2, 1, 31).isoformat(),
            },
        ],
    }
