"""Standard or not: a contract is *non-standard* when it has no template, or when it carries
fields outside the template's schema (terms the standard does not cover).

A value that does not fit its field (wrong type, out of bounds, not one of the choices, not
matching the pattern) is not a deviation but an input mistake: it is refused with ``Invalid``,
listing every such field with its help text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from bizops.documents.fields import check_values
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
    values: dict[str, str],
    today: date | None = None,
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
        values={**checked.values, **checked.unknown},
    )
