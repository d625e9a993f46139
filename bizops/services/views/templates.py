"""What the templates service returns: templates, their fields and versions, and drafts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TypedDict


class TemplateRow(TypedDict):
    """A row of `template list`."""

    name: str
    version: int
    type: str
    language: str
    title: str
    description: str
    source: str


class FieldRow(TypedDict):
    """A row of `template fields`: one field of a template's schema."""

    name: str
    type: str
    required: bool
    default: Any
    choices: list[str]
    help: str
    label: str
    min: Any
    max: Any
    pattern: str | None
    check: str | None
    required_if: str | None


class VersionRow(TypedDict):
    version: int
    source: str
    created_by: str | None
    created_at: datetime | None


class TemplateShow(TemplateRow):
    """`template show`: the template's metadata, versions, fields and body."""

    sha256: str
    versions: list[int]
    fields: list[FieldRow]
    body: str


class DraftRow(TypedDict):
    """A recorded draft of a contract (under `contract show`)."""

    id: int
    template: str
    format: str
    sha256: str
    created_on: date
    created_by: str
