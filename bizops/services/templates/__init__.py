"""The template library: versions, standard assessment, drafting.

- ``versions``: built-in and added versions, finding and listing templates.
- ``authoring``: checking a template source and adding it as a new version.
- ``standard``: whether a contract is standard, its values normalised to the schema.
- ``drafting``: a contract rendered from its template version, and the drafts recorded.
- ``material``: first-contact emails and call scripts for a customer.
"""

from __future__ import annotations

from bizops.services.templates.amendment_drafts import (
    amendment_snapshot,
    draft_amendment,
    find_amendment,
)
from bizops.services.templates.authoring import Validation, add_template, validate_template_file
from bizops.services.templates.drafting import DraftCheck, DraftResult, draft_contract, drafts_of
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
