"""bizops customer: add, find, grade, move, archive, import and export customers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bizops.cli.context import state
from bizops.cli.output import (
    Col,
    Format,
    FormatOption,
    LimitOption,
    Line,
    OutputOption,
    Section,
    emit_object,
    emit_rows,
    note,
    say,
)

app = typer.Typer(
    help="Customers and the pipeline: add, find, grade, move and import customers.",
    no_args_is_help=True,
)
contact_app = typer.Typer(help="A customer's contacts: add, list, remove.", no_args_is_help=True)
app.add_typer(contact_app, name="contact")

COLUMNS = [
    Col("code", "Code"),
    Col("name", "Name"),
    Col("grade", "Grade"),
    Col("stage", "Stage"),
    Col("owner", "Owner"),
    Col("next_due", "Next due"),
    Col("last_contact", "Last contact"),
    Col("tags", "Tags"),
]
CONTACT_COLUMNS = [
    Col("id", "Id", justify="right"),
    Col("name", "Name"),
    Col("title", "Title"),
    Col("phone", "Phone"),
    Col("email", "Email"),
    Col("primary", "Primary"),
]
REGRADE_COLUMNS = [
    Col("code", "Code"),
    Col("name", "Name"),
    Col("from", "From"),
    Col("to", "To"),
    Col("why", "Why"),
]

CustomerArg = Annotated[str, typer.Argument(help="Customer id, code (C0042) or name.")]
ReasonOption = Annotated[str | None, typer.Option("--reason", help="Why (kept in the history).")]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Customer name, e.g. 华信科技有限公司.")],
    grade: Annotated[str, typer.Option("--grade", "-g", help="A, B or C.")],
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner", help="Login of the owning user (default: you).", show_default=False
        ),
    ] = None,
    stage: Annotated[str, typer.Option("--stage", help="Starting stage.")] = "prospect",
    industry: Annotated[str | None, typer.Option("--industry")] = None,
    region: Annotated[str | None, typer.Option("--region")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Where the lead came from.")
    ] = None,
    potential: Annotated[
        str | None, typer.Option("--potential", help="Purchasing potential, e.g. 120万.")
    ] = None,
    intent: Annotated[str | None, typer.Option("--intent", help="high, medium or low.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).")] = None,
    contact: Annotated[
        list[str] | None,
        typer.Option("--contact", "-c", help='"Name, title, phone, email" (repeatable).'),
    ] = None,
    note_text: Annotated[str | None, typer.Option("--note", help="Free note.")] = None,
    needs: Annotated[str | None, typer.Option("--needs", help="What the customer needs.")] = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Add even if the name or email exists.")
    ] = False,
) -> None:
    """Add a customer; prints its code. It starts at prospect with a first-contact follow-up.

    Example: bizops customer add "华信科技有限公司" --grade A --owner alice --potential 120万 --contact "张伟, 采购经理, 13800138000, zhang@huaxin.cn"
    """
    from bizops.services.customers import add_customer

    st = state()
    with st.write() as (session, actor):
        view = add_customer(
            session,
            actor=actor,
            name=name,
            grade=grade,
            owner=owner or actor,
            policy=st.policy(),
            today=st.today,
            stage=stage,
            industry=industry,
            region=region,
            source=source,
            potential=potential,
            intent=intent,
            tags=tag or [],
            contacts=contact or [],
            note=note_text,
            needs=needs,
            allow_duplicate=allow_duplicate,
        )
    say(view["code"])
    note(
        f"Added {view['code']} {view['name']} (grade {view['grade']}, {view['stage']}, "
        f"owner {view['owner']}); first contact due {view['next_due'] or '-'}"
    )


@app.command("list")
def list_(
    grade: Annotated[str | None, typer.Option("--grade", "-g", help="A, B or C.")] = None,
    stage: Annotated[str | None, typer.Option("--stage", help="Pipeline stage.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Owner's login.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only with this tag.")] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help="Text in the name or a contact's name, email, phone."),
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Follow-up overdue.")] = False,
    archived: Annotated[bool, typer.Option("--archived", help="Only archived customers.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Active and archived customers.")] = False,
    sort: Annotated[
        str, typer.Option("--sort", help="name, code, grade, stage, next-due or created.")
    ] = "code",
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List customers (archived ones only with --archived or --all).

    Example: bizops customer list --grade A --search 华信 --sort next-due
    """
    from bizops.domain.errors import Invalid
    from bizops.services.customers import list_customers

    if archived and all_:
        raise Invalid("--archived and --all cannot be used together")
    scope = "archived" if archived else "all" if all_ else "active"
    st = state()
    with st.read() as session:
        rows = list_customers(
            session,
            today=st.today,
            grade=grade,
            stage=stage,
            owner=owner,
            tag=tag,
            search=search,
            overdue=overdue,
            scope=scope,
            sort=sort,
        )
        emit_rows(
            rows,
            COLUMNS,
            fmt=fmt,
            output=output,
            limit=limit,
            title="Customers",
            empty="No customers match. Add one with: bizops customer add NAME --grade B",
        )


def _next_followup(nxt: Any) -> str:
    late = f", {nxt['days_overdue']} day(s) overdue" if nxt["days_overdue"] else ""
    return f"{nxt['due']} ({nxt['kind']}{late})"


def _cols(*keys: str) -> tuple[Col, ...]:
    return tuple(Col(k, k.replace("_", " ").capitalize()) for k in keys)


SHOW_SECTIONS = (
    Section("contacts", "Contacts", _cols("name", "title", "phone", "email", "primary")),
    Section("stage_history", "Stage history", _cols("stage", "on", "days", "actor", "reason")),
    Line("next_followup", "Next follow-up", fmt=_next_followup, always=True),
    Section(
        "followups", "Recent follow-ups", _cols("due", "status", "kind", "closed_on", "on_time")
    ),
    Section("interactions", "Recent interactions", _cols("on", "via", "summary", "contact", "by")),
    Section("contracts", "Contracts", _cols("number", "title", "status", "amount", "end")),
)


@app.command("show")
def show(customer: CustomerArg, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """Show a customer: profile, contacts, stage history, follow-ups, contracts.

    Example: bizops customer show C0001 --format json
    """
    from bizops.services.customers import show_customer

    st = state()
    with st.read() as session:
        obj = show_customer(session, ref=customer, today=st.today)
    emit_object(
        obj, fmt=fmt, output=output, title=f"{obj['code']} {obj['name']}", sections=SHOW_SECTIONS
    )


@app.command("update")
def update(
    customer: CustomerArg,
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    industry: Annotated[str | None, typer.Option("--industry")] = None,
    region: Annotated[str | None, typer.Option("--region")] = None,
    source: Annotated[str | None, typer.Option("--source")] = None,
    potential: Annotated[str | None, typer.Option("--potential", help="e.g. 50万.")] = None,
    intent: Annotated[str | None, typer.Option("--intent", help="high, medium or low.")] = None,
    note_text: Annotated[str | None, typer.Option("--note")] = None,
    needs: Annotated[str | None, typer.Option("--needs")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Reassign to this user.")] = None,
    cadence: Annotated[
        int | None, typer.Option("--cadence", help="Own follow-up cadence in days.")
    ] = None,
    no_cadence: Annotated[
        bool, typer.Option("--no-cadence", help="Back to the policy's cadence.")
    ] = False,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Add a tag.")] = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help="Remove a tag.")] = None,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Allow a name another customer has.")
    ] = False,
) -> None:
    """Change a customer's profile, owner, cadence or tags ("" clears a text field).

    Example: bizops customer update C0001 --potential 200万 --owner bob --tag 重点 --cadence 5
    """
    from bizops.services.customers import update_customer

    st = state()
    with st.write() as (session, actor):
        view = update_customer(
            session,
            actor=actor,
            ref=customer,
            policy=st.policy(),
            today=st.today,
            name=name,
            industry=industry,
            region=region,
            source=source,
            potential=potential,
            intent=intent,
            note=note_text,
            needs=needs,
            owner=owner,
            cadence=cadence,
            clear_cadence=no_cadence,
            add_tags=tag or [],
            remove_tags=untag or [],
            allow_duplicate=allow_duplicate,
        )
    say(f"Updated {view['code']} {view['name']}.")


@app.command("archive")
def archive(customer: CustomerArg) -> None:
    """Archive a customer: hidden from lists, no follow-ups; history and contracts stay.

    Example: bizops customer archive C0007
    """
    from bizops.services.customers import archive_customer

    st = state()
    with st.write() as (session, actor):
        view = archive_customer(
            session, actor=actor, ref=customer, policy=st.policy(), today=st.today
        )
    say(f"Archived {view['code']} {view['name']}.")


@app.command("restore")
def restore(customer: CustomerArg) -> None:
    """Restore an archived customer (its follow-up is scheduled again).

    Example: bizops customer restore C0007
    """
    from bizops.services.customers import restore_customer

    st = state()
    with st.write() as (session, actor):
        view = restore_customer(
            session, actor=actor, ref=customer, policy=st.policy(), today=st.today
        )
    say(f"Restored {view['code']} {view['name']}; next follow-up {view['next_due'] or '-'}.")


@app.command("stage")
def stage(
    customer: CustomerArg,
    to: Annotated[
        str | None,
        typer.Argument(
            help="prospect, contacted, needs, proposal, negotiation, signed, maintenance, "
            "lost or dormant.",
            show_default=False,
        ),
    ] = None,
    step_next: Annotated[bool, typer.Option("--next", help="One step forward.")] = False,
    reason: ReasonOption = None,
) -> None:
    """Move a customer in the pipeline: --next, or any other move with --reason.

    Example: bizops customer stage C0001 --next
    """
    from bizops.services.customers import move_stage

    st = state()
    with st.write() as (session, actor):
        view = move_stage(
            session,
            actor=actor,
            ref=customer,
            stage=to,
            step_next=step_next,
            reason=reason,
            policy=st.policy(),
            today=st.today,
        )
    say(
        f"{view['code']} {view['name']}: {view['from_stage']} -> {view['stage']}; "
        f"next follow-up {view['next_due'] or 'none'}."
    )


@app.command("grade")
def grade(
    customer: CustomerArg,
    to: Annotated[str | None, typer.Argument(help="A, B or C.", show_default=False)] = None,
    reason: ReasonOption = None,
    suggest: Annotated[
        bool, typer.Option("--suggest", help="Explain the grade the policy suggests.")
    ] = False,
    fmt: FormatOption = None,
) -> None:
    """Grade a customer (with --reason), or explain the suggested grade with --suggest.

    Example: bizops customer grade C0001 A --reason "budget confirmed: 200万"
    """
    from bizops.domain.errors import Invalid

    st = state()
    if suggest:
        if to:
            raise Invalid("grade: give either a GRADE or --suggest, not both")
        from bizops.services.customers import suggest_grade

        with st.read() as session:
            result = suggest_grade(session, ref=customer, policy=st.policy())
        if fmt is Format.json:
            emit_object(result, fmt=fmt)
            return
        change = (
            f"suggests {result['suggested']} (now {result['grade']})"
            if result["changes"]
            else f"keeps {result['grade']}"
        )
        say(f"{result['code']} {result['name']}: {result['why']} -> {change}")
        return
    if not to:
        raise Invalid("grade: give a GRADE (A, B or C) with --reason, or --suggest")
    from bizops.services.customers import set_grade

    with st.write() as (session, actor):
        view = set_grade(
            session,
            actor=actor,
            ref=customer,
            grade=to,
            reason=reason,
            policy=st.policy(),
            today=st.today,
        )
    say(
        f"{view['code']} {view['name']}: grade {view['from_grade']} -> {view['grade']}; "
        f"next follow-up {view['next_due'] or 'none'}."
    )


@app.command("regrade")
def regrade(
    all_: Annotated[bool, typer.Option("--all", help="Every active customer.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only list the suggested changes.")
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """Regrade every customer by the policy's rules; --dry-run lists the changes only.

    Example: bizops customer regrade --all --dry-run
    """
    from bizops.domain.errors import Invalid
    from bizops.services.customers import regrade as run_regrade

    if not all_:
        raise Invalid("regrade: give --all (every active customer); add --dry-run to preview")
    st = state()
    if dry_run:
        with st.read() as session:
            changes = run_regrade(
                session,
                actor=st.actor(session),
                policy=st.policy(),
                today=st.today,
                dry_run=True,
            )
    else:
        with st.write() as (session, actor):
            changes = run_regrade(
                session, actor=actor, policy=st.policy(), today=st.today, dry_run=False
            )
    rows = [{k: v for k, v in c.items() if k != "id"} for c in changes]
    emit_rows(
        rows,
        REGRADE_COLUMNS,
        fmt=fmt,
        output=output,
        limit=limit,
        title="Suggested grade changes" if dry_run else "Grade changes applied",
        empty="Every customer already has the grade the policy suggests.",
    )
    if not dry_run and changes:
        note(f"Regraded {len(changes)} customer(s).")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8 or GB18030), .xlsx or .json file.")],
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Load the good rows; report the bad ones.")
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option("--rejects", help="Write the bad rows, with a reason, to this CSV file."),
    ] = None,
    fmt: FormatOption = None,
) -> None:
    """Import customers: every bad row is reported; all or nothing unless --skip-invalid.

    Rows whose name already exists (case, width and punctuation ignored) are skipped as
    "already present", so importing the same file again adds nothing.

    Example: bizops customer import 客户名单.csv --skip-invalid --rejects rejects.csv
    """
    import sys

    from bizops.services.customer_import import import_customers

    st = state()
    progress_bar = _ProgressBar() if sys.stderr.isatty() else None
    try:
        with st.write() as (session, actor):
            result = import_customers(
                session,
                actor=actor,
                path=file,
                policy=st.policy(),
                today=st.today,
                skip_invalid=skip_invalid,
                rejects=rejects,
                progress=progress_bar.update if progress_bar else _quiet,
            )
    finally:
        if progress_bar:
            progress_bar.stop()
    if fmt is Format.json or fmt is Format.csv:
        emit_object(result.as_dict(), fmt=fmt)
        return
    say(
        f"Imported {result.imported} customer(s) from {result.file}"
        + (f" ({result.first_code}..{result.last_code})" if result.imported else "")
        + f"; {result.already_present} already present; {result.rejected} rejected."
    )
    for line in result.problems:
        note(f"  rejected {line}")
    if result.rejects_file:
        note(f"Wrote the rejected rows to {result.rejects_file}")


def _quiet(_phase: str, _done: int, _total: int) -> None:
    return None


class _ProgressBar:
    """A Rich progress bar on stderr, for people at a terminal."""

    def __init__(self) -> None:
        from rich.progress import Progress

        from bizops.cli.output import console

        self.bar = Progress(console=console(stderr=True), transient=True)
        self.task: Any = None
        self.started = False

    def update(self, phase: str, done: int, total: int) -> None:
        if not self.started:
            self.bar.start()
            self.started = True
        if self.task is None:
            self.task = self.bar.add_task(phase, total=max(total, 1))
        self.bar.update(self.task, completed=done, total=max(total, 1), description=phase)

    def stop(self) -> None:
        if self.started:
            self.bar.stop()


@app.command("export")
def export(
    fmt: FormatOption = None,
    output: OutputOption = None,
    all_: Annotated[bool, typer.Option("--all", help="Include archived customers.")] = False,
) -> None:
    """Export customers as CSV (default) or JSON, in the columns `customer import` reads.

    Example: bizops customer export -o customers.csv
    """
    from bizops.domain.errors import Invalid
    from bizops.services.customer_import import EXPORT_FIELDS, export_rows, flatten_for_csv

    chosen = fmt
    if chosen is None:
        suffix = output.suffix.lower() if output is not None else ""
        if suffix in (".xlsx", ".xlsm", ".xls"):
            # CSV text under a workbook's name: Excel and `customer import` would both reject it.
            raise Invalid(
                f"-o: export writes CSV or JSON, not a {suffix} workbook; "
                "name the file .csv or .json"
            )
        chosen = Format.json if suffix == ".json" else Format.csv
    if chosen is Format.table:
        raise Invalid("--format: export writes csv or json")
    columns = [Col(k, k) for k in EXPORT_FIELDS]
    with state().read() as session:
        rows = export_rows(session, scope="all" if all_ else "active")
        if chosen is Format.csv:
            rows = (flatten_for_csv(r) for r in rows)
        emit_rows(rows, columns, fmt=chosen, output=output)


@contact_app.command("add")
def contact_add(
    customer: CustomerArg,
    contact: Annotated[str, typer.Argument(help='"Name, title, phone, email".')],
    primary: Annotated[
        bool, typer.Option("--primary", help="Make it the primary contact.")
    ] = False,
    allow_duplicate: Annotated[
        bool, typer.Option("--allow-duplicate", help="Allow an email another customer has.")
    ] = False,
) -> None:
    """Add a contact (the first one is the primary contact).

    Example: bizops customer contact add C0001 "李娜, 财务总监, 021-6000 1234, lina@huaxin.cn" --primary
    """
    from bizops.services.customers import add_contact

    with state().write() as (session, actor):
        row = add_contact(
            session,
            actor=actor,
            ref=customer,
            contact=contact,
            primary=primary,
            allow_duplicate=allow_duplicate,
        )
    say(f"Added contact {row['id']} {row['name']}" + (" (primary)." if row["primary"] else "."))


@contact_app.command("list")
def contact_list(
    customer: CustomerArg,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List a customer's contacts, the primary first.

    Example: bizops customer contact list C0001 --format json
    """
    from bizops.services.customers import list_contacts

    with state().read() as session:
        rows = list_contacts(session, ref=customer)
    emit_rows(
        rows,
        CONTACT_COLUMNS,
        fmt=fmt,
        output=output,
        limit=limit,
        title="Contacts",
        empty='No contacts yet. Add one with: bizops customer contact add CUSTOMER "Name, title, phone, email"',
    )


@contact_app.command("remove")
def contact_remove(
    customer: CustomerArg,
    contact: Annotated[str, typer.Argument(help="Contact id, name or email.")],
) -> None:
    """Remove a contact; if it was primary, the oldest remaining contact becomes primary.

    Example: bizops customer contact remove C0001 李娜
    """
    from bizops.services.customers import remove_contact

    with state().write() as (session, actor):
        row = remove_contact(session, actor=actor, ref=customer, contact=contact)
    say(f"Removed contact {row['id']} {row['name']}.")
