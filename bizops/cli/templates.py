"""bizops template: list, show, fields, validate, add, render."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bizops.cli.context import state
from bizops.cli.output import (
    Col,
    ColumnsOption,
    Format,
    FormatOption,
    HeadersOption,
    LimitOption,
    Listing,
    OffsetOption,
    OutputOption,
    WideOption,
    emit_object,
    emit_rows,
    field_label,
    note,
    render_text,
    say,
)
from bizops.i18n import N_, _
from bizops.services.views.templates import FieldRow, TemplateRow

app = typer.Typer(
    help="The template library: contract and first-contact templates and their fields.",
    no_args_is_help=True,
)

TEMPLATES = Listing(
    name="template_list",
    priority=("name", "title", "type", "language"),
    fields=TemplateRow,
    columns=(
        Col("name", N_("Name"), meaning=N_("Template name")),
        Col("version", N_("Version"), justify="right"),
        Col("type", N_("Type"), kind="contract_type"),
        Col("language", N_("Lang")),
        Col("title", N_("Title")),
        Col("source", N_("Source")),
    ),
    labels={"name": N_("Template name")},
)
FIELDS = Listing(
    name="template_fields",
    fields=FieldRow,
    columns=(
        Col("name", N_("Field")),
        Col("type", N_("Type")),
        Col("required", N_("Required")),
        Col("default", N_("Default"), fmt=lambda v: "" if v is None else str(v)),
        Col("choices", N_("Choices")),
        Col("label", N_("Label")),
        Col("help", N_("Meaning and how to fill it in")),
    ),
    labels={"name": N_("Field")},
)

# Labels of a template's own fields, on `template show`.
TEMPLATE_LABELS = {"name": N_("Template name")}

TemplateArg = Annotated[
    str, typer.Argument(help="Template name, optionally with @VERSION (sales-zh, sales-zh@2).")
]


@app.command("list")
def list_(
    type_: Annotated[
        str | None,
        typer.Option("--type", help="sales, purchase, service, nda, framework, email or script."),
    ] = None,
    language: Annotated[str | None, typer.Option("--language", help="zh or en.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="contract, material (emails and call scripts) or needs (needs frameworks).",
        ),
    ] = None,
    all_versions: Annotated[
        bool, typer.Option("--all-versions", help="Every version, not only the newest.")
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List the templates (the newest version of each); --kind needs lists the needs
    frameworks.

    Example: bizops template list --type sales --format json
    """
    from bizops.services.templates import list_template_rows

    with state().read() as session:
        rows = list_template_rows(
            session, type=type_, language=language, all_versions=all_versions, kind=kind
        )
    emit_rows(
        rows,
        TEMPLATES,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Templates"),
        headers=headers,
    )


@app.command("show")
def show(template: TemplateArg, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """Show a template: its metadata, fields and body.

    Example: bizops template show sales-zh@1
    """
    from bizops.cli.output import resolve_format
    from bizops.services.templates import show_template

    with state().read() as session:
        data = show_template(session, ref=template)
    if resolve_format(fmt, output) is not Format.table:
        emit_object(dict(data), fmt=fmt, output=output)
        return
    shown = {
        **{key: data[key] for key in ("name", "version", "type", "language", "title")},
        "description": data["description"],
        "source": data["source"],
        "versions": ", ".join(str(v) for v in data["versions"]),
        "sha256": data["sha256"],
        "fields": ", ".join(f["name"] for f in data["fields"]),
    }
    lines = [
        _("{label}: {value}").format(label=field_label(key, TEMPLATE_LABELS), value=value)
        for key, value in shown.items()
    ]
    lines.append(
        _("(see `{command}`)").format(
            command=f"bizops template fields {data['name']}@{data['version']}"
        )
    )
    render_text("\n".join(lines) + "\n\n" + data["body"], output)


@app.command("fields")
def fields(
    template: TemplateArg,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List a template's fields: type, whether required, default, choices, and what each means.

    Example: bizops template fields sales-zh --format json
    """
    from bizops.services.templates import field_rows, needs_field_rows, resolve_template

    if template.strip().lower().startswith("needs-"):
        # A needs framework: its questions, as fields.
        ref, title, rows = needs_field_rows(template.partition("@")[0])
    else:
        with state().read() as session:
            found = resolve_template(session, template)
        ref, title, rows = found.ref, found.title, field_rows(found)
    emit_rows(
        rows,
        FIELDS,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Fields of {template} ({title})").format(template=ref, title=title),
        headers=headers,
    )


@app.command("validate")
def validate(
    file: Annotated[
        Path,
        typer.Argument(help="The template's TOML file, or its .md.j2 body (the TOML beside it)."),
    ],
    fmt: FormatOption = None,
) -> None:
    """Check a template file: syntax (with line numbers), undeclared variables, sandbox rules.

    Exit 2 lists every problem. Nothing is stored.

    Example: bizops template validate my-sales.toml
    """
    from bizops.domain.errors import Invalid
    from bizops.services.templates import validate_template_file

    report = validate_template_file(file, policy=state().policy(), today=state().today)
    if fmt is Format.json:
        emit_object(report.as_dict(), fmt=fmt)
    if report.problems:
        raise Invalid(
            _("{file}: {count} problem(s)").format(file=file, count=len(report.problems)),
            details=report.problems,
        )
    if fmt is not Format.json:
        template = report.template
        assert template is not None
        for finding in report.findings:
            where = (
                _("line {line} of the sample draft").format(line=finding.line)
                if finding.line
                else _("the sample draft")
            )
            note(_("{where}: {finding}").format(where=where, finding=finding.text()))
        say(
            _("OK: {name} ({type}, {language}) with {count} field(s); includes: {includes}").format(
                name=template.name,
                type=template.type,
                language=template.language,
                count=len(template.fields),
                includes=", ".join(report.includes) or _("none"),
            )
        )


@app.command("add")
def add(
    file: Annotated[
        Path, typer.Argument(help="The template's TOML file (its .md.j2 body beside it).")
    ],
) -> None:
    """Store a new version of a template (admin only); existing contracts keep their version.

    Example: bizops --as root template add ./sales-zh.toml
    """
    from bizops.services.templates import add_template

    with state().write() as (session, actor):
        template = add_template(
            session, actor=actor, path=file, policy=state().policy(), today=state().today
        )
    say(
        _("Added {template} ({title}). Use it with --template {template}.").format(
            template=template.ref, title=template.title
        )
    )


@app.command("render")
def render(
    template: TemplateArg,
    customer: Annotated[str, typer.Option("--customer", "-c", help="Customer code or name.")],
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="FIELD=VALUE (repeatable); see `bizops template fields`."),
    ] = None,
    output: OutputOption = None,
) -> None:
    """Fill a first-contact email or call script for one customer (prints Markdown).

    With -o, FILE.html is a printable page and FILE.docx a Word document; any other
    name gets the Markdown.

    Example: bizops --as alice template render email-manufacturing-zh --customer C0001
    """
    from bizops.cli.output import write_bytes
    from bizops.documents.fields import parse_assignments
    from bizops.services.templates import material_document, render_material

    suffix = output.suffix.lower() if output is not None else ""
    fmt = {".html": "html", ".htm": "html", ".docx": "docx"}.get(suffix, "md")
    if output is not None and str(output) != "-":
        from bizops.cli.output import check_output_path

        check_output_path(output)  # before anything is read or rendered
    values = parse_assignments(set_ or [])
    with state().read() as session:
        actor = state().actor(session, required=True)
        assert actor is not None
        text = render_material(
            session,
            actor=actor,
            template=template,
            customer=customer,
            values=values,
            policy=state().policy(),
            today=state().today,
        )
        if output is not None and fmt != "md":
            data = material_document(session, template=template, text=text, fmt=fmt)
            write_bytes(data, output)
            return
    render_text(text, output)
