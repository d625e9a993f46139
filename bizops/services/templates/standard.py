"""Standard or not: a contract is *non-standard* when it has no template, or when it carries
fields outside the template's schema (terms the standard does not cover).

A value that does not fit its field (wrong type, out of bounds, not one of the choices, not
matching the pattern) is not a deviation but an input mistake: it is refused with ``Invalid``,
listing every such field with its help text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from bizops.documents.fields import check_values
from bizops.documents.goods import (
    GOODS_KEY,
    GOODS_TYPES,
    GoodsLine,
    check_total,
    normalise_lines,
    split_goods,
)
from bizops.documents.library import Template
from bizops.domain.errors import Invalid
from bizops.domain.vocab import CONTRACT_TYPES
from bizops.i18n import _
from bizops.services.templates.versions import resolve_template


@dataclass(frozen=True)
class StandardAssessment:
    template_name: str | None
    template_version: int | None
    non_standard: bool
    reasons: list[str]
    values: dict[str, Any] = field(default_factory=dict)


def assess_standard(
    session: Session,
    *,
    contract_type: str,
    template: str | None,
    values: dict[str, Any],
    today: date | None = None,
    amount: Decimal | None = None,
) -> StandardAssessment:
    """Is a contract standard? Normalises its field values against the template's schema.

    Raises ``NotFound`` for an unknown template or version, ``Invalid`` for a template of
    another type or for values that do not fit their fields (all listed at once).
    """
    if template is None or not str(template).strip():
        # Without a schema every value is outside one: the same one-line checks apply.
        unlisted = check_values([], values, today)
        if unlisted.problems:
            raise Invalid(
                _("--set: {count} value(s) refused").format(count=len(unlisted.problems)),
                details=unlisted.problems,
            )
        return StandardAssessment(
            template_name=None,
            template_version=None,
            non_standard=True,
            reasons=["no template: the contract is not drafted from the standard library"],
            values=unlisted.unknown,
        )
    found = resolve_template(session, str(template))
    if found.type not in CONTRACT_TYPES:
        raise Invalid(
            _(
                "--template: {name} is {kind!r} material, not a contract template; "
                "see `bizops template list --type {type}`"
            ).format(name=found.name, kind=found.type, type=contract_type)
        )
    if found.type != contract_type:
        raise Invalid(
            _(
                "--template: {name} is a {kind} template; a {type} contract needs one of "
                "type {type} (see `bizops template list --type {type}`)"
            ).format(name=found.name, kind=found.type, type=contract_type)
        )
    values, raw_lines = split_goods(values)
    lines = None
    if raw_lines is not None:
        lines = goods_lines(found, values, raw_lines)
        check_total(lines, amount)
    checked = check_values(list(found.fields), values, today)
    if checked.problems:
        raise Invalid(
            _("--set: {count} field(s) do not fit template {template}").format(
                count=len(checked.problems), template=found.ref
            ),
            details=checked.problems,
        )
    reasons = [
        f"field {name!r} is outside the schema of {found.ref} (a term the standard does not cover)"
        for name in checked.unknown
    ]
    return StandardAssessment(
        template_name=found.name,
        template_version=found.version,
        non_standard=bool(reasons),
        reasons=reasons,
        values={**checked.values, **checked.unknown, **({GOODS_KEY: lines} if lines else {})},
    )


def goods_lines(
    template: Template, values: dict[str, Any], raw: list[dict[str, Any]]
) -> list[GoodsLine]:
    """The goods table's lines checked against a template that has one (sales, purchase)."""
    if template.type not in GOODS_TYPES:
        raise Invalid(
            _("goods: a {type} contract has no goods table; only {types} contracts do").format(
                type=template.type, types=", ".join(sorted(GOODS_TYPES))
            )
        )
    tax = template.field("tax_rate")
    default = values.get("tax_rate") or (tax.default if tax else None)
    return normalise_lines(raw, default)
