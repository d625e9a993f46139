"""bizops contract draft: a contract rendered from its template version (md, html, docx).

Registered on the contract group by ``bizops.cli.contracts``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bizops.cli.context import state
from bizops.cli.output import note, values
from bizops.domain.errors import Invalid
from bizops.i18n import _

if TYPE_CHECKING:
    from bizops.services.templates import DraftCheck, DraftResult

FORMATS = ("md", "html", "docx")
_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx"}


def _choose_format(fmt: str | None, output: Path | None) -> str:
    suffix = output.suffix.lower() if output is not None else ""
    if fmt is not None:
        value = fmt.strip().lower()
        if value not in FORMATS:
            raise Invalid(
                _("--format: unknown format {format}; accepted: {accepted}").format(
                    format=repr(fmt), accepted=", ".join(FORMATS)
                )
            )
        if suffix in _SUFFIXES and _SUFFIXES[suffix] != value:
            raise Invalid(
                _(
                    "{option}: {file} is a {implied} file name but --format is {chosen}; "
                    "make them agree"
                ).format(option="-o", file=output, implied=_SUFFIXES[suffix], chosen=value)
            )
    elif suffix in _SUFFIXES:
        value = _SUFFIXES[suffix]
    elif suffix in ("", ".txt"):
        value = "md"
    else:
        # A draft written as Markdown into contract.pdf would look like a broken PDF.
        raise Invalid(
            _(
                "-o: cannot tell the format from {file}; name it .md, .html or .docx, "
                "or give --format md|html|docx"
            ).format(file=output)
        )
    if value == "docx" and output is None and values.stdout_is_terminal():
        # A pipe or a redirection (`> draft.docx`) takes the bytes; a terminal cannot.
        raise Invalid(
            _("--format docx: a Word document cannot go to the terminal; give -o FILE.docx")
        )
    return value


def _check_output(output: Path) -> Path:
    """Refuse, before anything is recorded, a target that cannot or must not be written (the
    database or its side files, a directory, a device)."""
    from bizops.cli.output import check_output_path

    return check_output_path(output)


def draft(
    contract: Annotated[str, typer.Argument(help="Contract number or id, e.g. HT-2026-0007.")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="md, html (printable A4 page) or docx (Word; needs -o). Default: from -o, else "
            "md. With --amendment also json: the draft's record, its text and whether it is the "
            "agreement submitted or approved.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to FILE.", dir_okay=False, show_default=False),
    ] = None,
    amendment: Annotated[
        str | None,
        typer.Option(
            "--amendment",
            help="Draft this amendment's supplementary agreement (补充协议) instead: "
            "its number (1, A1 or HT-2026-0007-A1).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Draft a contract from its template: check every field, render, record the draft.

    All missing or invalid fields are listed at once with their help; fix them with
    `bizops contract update X --set FIELD=VALUE`. The draft (template name@version, format,
    SHA-256 and values) is recorded with the contract.

    With --amendment N, the supplementary agreement of the contract's amendment N, from
    amendment-zh or amendment-en (the contract's language): the original contract cited, each
    change as 原约定 / 现变更为, the rest kept in force. It is recorded the same way, and the
    last line says whether it is the agreement submitted (or approved) in its request.

    Example: bizops --as alice contract draft HT-2026-0007 --format docx -o HT-2026-0007.docx
    """
    from bizops.documents.writers import write_file
    from bizops.services.templates import draft_contract

    if amendment is not None:
        _draft_amendment(contract, amendment, fmt, output)
        return

    chosen = _choose_format(fmt, output)
    if output is not None:
        output = _check_output(output)
    with state().write() as (session, actor):
        result = draft_contract(
            session,
            actor=actor,
            contract=contract,
            fmt=chosen,
            policy=state().policy(),
            today=state().today,
        )
        if output is not None:
            # Inside the transaction: a file that cannot be written records nothing.
            write_file(output, result.content)
    _emit(result, chosen, output)


def _emit(result: DraftResult, chosen: str, output: Path | None) -> None:
    """The draft on standard output (unless written to ``output``) and what was recorded."""
    if output is None:
        if chosen == "docx":
            sys.stdout.flush()
            sys.stdout.buffer.write(result.content)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(result.text)
            sys.stdout.flush()
        note(
            _("Drafted {contract} from {template} ({format}, sha256 {sha256}).").format(
                contract=result.contract,
                template=result.template,
                format=result.format,
                sha256=result.sha256[:12],
            )
        )
    else:
        note(
            _("Drafted {contract} from {template} into {file} ({format}, sha256 {sha256}).").format(
                contract=result.contract,
                template=result.template,
                file=output,
                format=result.format,
                sha256=result.sha256[:12],
            )
        )


def _draft_amendment(contract: str, amendment: str, fmt: str | None, output: Path | None) -> None:
    import json

    from bizops.cli.output import DRAFT, OutputKind, jsonable, resolve_output, write_document
    from bizops.services.contracts import draft_supplementary

    # Besides the document, the draft's record as JSON: its hash and how it compares with
    # the agreement its approval request recorded.
    kind = OutputKind({**DRAFT.formats, "json": (".json",)}, default="md", binary=DRAFT.binary)
    target = resolve_output(fmt, output, kind=kind)
    as_json = target.format == "json"
    with state().write() as (session, actor):
        result = draft_supplementary(
            session,
            actor=actor,
            contract=contract,
            amendment=amendment,
            fmt="md" if as_json else target.format,
            policy=state().policy(),
            today=state().today,
        )
        # Inside the transaction: a file that cannot be written records nothing.
        if as_json:
            text = json.dumps(jsonable(result.as_dict()), ensure_ascii=False, indent=2)
            write_document(target, text)
        else:
            write_document(target, result.content if target.format == "docx" else result.text)
    note(
        _("Drafted {contract} from {template} ({format}, sha256 {sha256}).").format(
            contract=result.contract,
            template=result.template,
            format=result.format,
            sha256=result.sha256[:12],
        )
    )
    if result.check is not None:
        note(_check_line(result.check))


def _check_line(check: DraftCheck) -> str:
    """Whether the agreement is still the one its approval request recorded."""
    if check.matches:
        line = (
            _("It is the agreement approved in request {request} (draft sha256 {sha256}).")
            if check.request_status == "approved"
            else _("It is the agreement submitted in request {request} (draft sha256 {sha256}).")
        )
        return line.format(request=check.request, sha256=check.draft_sha256[:12])
    line = (
        _("It differs from the agreement approved in request {request} (changed: {changed}).")
        if check.request_status == "approved"
        else _("It differs from the agreement submitted in request {request} (changed: {changed}).")
    )
    return line.format(request=check.request, changed=", ".join(check.changed))
