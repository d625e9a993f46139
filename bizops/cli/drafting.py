"""bizops contract draft: a contract rendered from its template version (md, html, docx).

Registered on the contract group by ``bizops.cli.contracts``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bizops.cli.context import state
from bizops.cli.output import note
from bizops.domain.errors import Invalid
from bizops.i18n import _

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
    if value == "docx" and output is None:
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
            help="md, html (printable A4 page) or docx (Word; needs -o). Default: from -o, else md.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to FILE.", dir_okay=False, show_default=False),
    ] = None,
) -> None:
    """Draft a contract from its template: check every field, render, record the draft.

    All missing or invalid fields are listed at once with their help; fix them with
    `bizops contract update X --set FIELD=VALUE`. The draft (template name@version, format,
    SHA-256 and values) is recorded with the contract.

    Example: bizops --as alice contract draft HT-2026-0007 --format docx -o HT-2026-0007.docx
    """
    from bizops.documents.writers import write_file
    from bizops.services.templates import draft_contract

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
    if output is None:
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
