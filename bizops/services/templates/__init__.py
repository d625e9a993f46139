"""The template library: versions, standard assessment, drafting.

- ``versions``: built-in and added versions, finding and listing templates.
- ``authoring``: checking a template source and adding it as a new version.
- ``standard``: whether a contract is standard, its values normalised to the schema.
- ``drafting``: a contract rendered from its template version, and the drafts recorded.
- ``material``: first-contact emails and call scripts for a customer.

Each name below is imported from its module on first use, so that a command loads only the
modules it calls.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bizops.services.templates.amendment_drafts import (
        amendment_snapshot,
        draft_amendment,
        find_amendment,
    )
    from bizops.services.templates.authoring import Validation, add_template, validate_template_file
    from bizops.services.templates.drafting import (
        DraftCheck,
        DraftResult,
        draft_contract,
        drafts_of,
    )
    from bizops.services.templates.material import material_document, render_material
    from bizops.services.templates.rendering import (
        DRAFT_FORMATS,
        prepare_values,
        primary_contact,
        render_document,
    )
    from bizops.services.templates.standard import StandardAssessment, assess_standard
    from bizops.services.templates.versions import (
        field_rows,
        get_template,
        known_names,
        list_template_rows,
        list_templates,
        needs_field_rows,
        resolve_template,
        show_template,
        template_row,
        template_versions,
    )
    from bizops.services.views.templates import (
        DraftRow,
        FieldRow,
        TemplateRow,
        TemplateShow,
        VersionRow,
    )

# Name -> the module it is defined in.
_HOMES: dict[str, str] = {
    "amendment_snapshot": "bizops.services.templates.amendment_drafts",
    "draft_amendment": "bizops.services.templates.amendment_drafts",
    "find_amendment": "bizops.services.templates.amendment_drafts",
    "Validation": "bizops.services.templates.authoring",
    "add_template": "bizops.services.templates.authoring",
    "validate_template_file": "bizops.services.templates.authoring",
    "DraftCheck": "bizops.services.templates.drafting",
    "DraftResult": "bizops.services.templates.drafting",
    "draft_contract": "bizops.services.templates.drafting",
    "drafts_of": "bizops.services.templates.drafting",
    "material_document": "bizops.services.templates.material",
    "render_material": "bizops.services.templates.material",
    "DRAFT_FORMATS": "bizops.services.templates.rendering",
    "prepare_values": "bizops.services.templates.rendering",
    "primary_contact": "bizops.services.templates.rendering",
    "render_document": "bizops.services.templates.rendering",
    "StandardAssessment": "bizops.services.templates.standard",
    "assess_standard": "bizops.services.templates.standard",
    "field_rows": "bizops.services.templates.versions",
    "get_template": "bizops.services.templates.versions",
    "known_names": "bizops.services.templates.versions",
    "list_template_rows": "bizops.services.templates.versions",
    "list_templates": "bizops.services.templates.versions",
    "needs_field_rows": "bizops.services.templates.versions",
    "resolve_template": "bizops.services.templates.versions",
    "show_template": "bizops.services.templates.versions",
    "template_row": "bizops.services.templates.versions",
    "template_versions": "bizops.services.templates.versions",
    "DraftRow": "bizops.services.views.templates",
    "FieldRow": "bizops.services.views.templates",
    "TemplateRow": "bizops.services.views.templates",
    "TemplateShow": "bizops.services.views.templates",
    "VersionRow": "bizops.services.views.templates",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "DRAFT_FORMATS",
    "DraftCheck",
    "DraftResult",
    "amendment_snapshot",
    "draft_amendment",
    "find_amendment",
    "DraftRow",
    "FieldRow",
    "StandardAssessment",
    "TemplateRow",
    "TemplateShow",
    "Validation",
    "VersionRow",
    "add_template",
    "assess_standard",
    "draft_contract",
    "drafts_of",
    "field_rows",
    "get_template",
    "known_names",
    "list_template_rows",
    "needs_field_rows",
    "list_templates",
    "material_document",
    "prepare_values",
    "primary_contact",
    "render_document",
    "render_material",
    "resolve_template",
    "show_template",
    "template_row",
    "template_versions",
    "validate_template_file",
]
