"""bizops config: the department's policy (stored in the database: show, history, check,
apply) and your personal preferences file (path, init)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
    note,
    say,
)
from bizops.i18n import N_, _
from bizops.services.views.policy import PolicyChangeRow, PolicyVersionRow

app = typer.Typer(
    help=(
        "The department's policy (cadence, grading, approval matrix, visibility, the pool, "
        "mail...), stored in the database; and your personal preferences file."
    ),
    no_args_is_help=True,
)


def _value(value: Any) -> str:
    return "—" if value is None else str(value)


HISTORY = Listing(
    name="config_history",
    fields=PolicyVersionRow,
    columns=(
        Col("version", N_("Version"), justify="right"),
        Col("applied_by", N_("Applied by")),
        Col("applied_at", N_("Applied at")),
        Col("source", N_("Source")),
        Col("in_force", N_("In force")),
    ),
)
CHANGES = Listing(
    name="config_apply",
    fields=PolicyChangeRow,
    columns=(
        Col("key", N_("Key")),
        Col("before", N_("Before"), fmt=_value),
        Col("after", N_("After"), fmt=_value),
    ),
)


@app.command("path")
def path() -> None:
    """Print where your personal preferences file is, and where the policy is stored.

    Example: bizops config path
    """
    from bizops.services.policy_versions import current_version
    from bizops.services.prefs import personal_config_path

    st = state()
    file = personal_config_path(st.config)
    say(_("personal: {file}").format(file=file))
    if not file.exists():
        note(_("(not created yet; `bizops config init` writes a template there)"))
    version = None
    if st.database_exists():
        with st.read() as session:
            version = current_version(session)
    where = st.display_url()
    if version is None:
        say(
            _("policy: the built-in defaults (none stored in {database} yet)").format(
                database=where
            )
        )
    else:
        say(
            _("policy: version {version}, stored in {database}").format(
                version=version, database=where
            )
        )


def _check_format(fmt: Format | None) -> None:
    if fmt not in (None, Format.table, Format.json):
        from bizops.domain.errors import Invalid

        raise Invalid(_("--format: config show prints toml (default) or json"))


def _print_policy(data: dict[str, Any], fmt: Format | None) -> None:
    if fmt is Format.json:
        emit_object(data, fmt=fmt)
        return
    import tomli_w

    say(tomli_w.dumps(data).rstrip())


@app.command("show")
def show(
    fmt: FormatOption = None,
    version: Annotated[
        int | None, typer.Option("--version", help="An older version (see `config history`).")
    ] = None,
    defaults: Annotated[
        bool, typer.Option("--defaults", help="Show the built-in defaults.")
    ] = False,
) -> None:
    """Show the policy in force (or an older version), as TOML or JSON.

    Example: bizops config show --version 2 --format json
    """
    from bizops.services.policy import default_policy_data
    from bizops.services.policy_versions import build_stored, stored_policy

    _check_format(fmt)
    if defaults:
        _print_policy(default_policy_data(), fmt)
        return
    with state().read() as session:
        stored = stored_policy(session, version=version)
    if build_stored(stored.data) is None:
        note(_("Warning: this policy has problems; see `bizops config check`."))
    if stored.version is not None and fmt is not Format.json:
        note(
            _("# policy version {version}, applied by {login} on {at}").format(
                version=stored.version,
                login=stored.applied_by,
                at=stored.applied_at.isoformat(timespec="seconds") if stored.applied_at else "",
            )
        )
    _print_policy(stored.data, fmt)


@app.command("history")
def history(
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List the stored versions of the policy, newest first: who applied each, and when.

    Example: bizops config history
    """
    from bizops.services.policy_versions import policy_history

    with state().read() as session:
        rows = policy_history(session)
    emit_rows(
        rows,
        HISTORY,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Policy versions"),
        headers=headers,
        empty=_("No policy stored yet: the built-in defaults apply."),
    )


@app.command("apply")
def apply(
    file: Annotated[Path, typer.Argument(help="The policy file (TOML), over the defaults.")],
    fmt: FormatOption = None,
) -> None:
    """Check a policy file and put it in force as a new version (admins only).

    The file is read over the shipped defaults, like `config check`; the new version and each
    key it changes are printed.

    Example: bizops --as root config apply ./policy.toml
    """
    from bizops.services.policy_versions import apply_policy_file

    with state().write() as (session, actor):
        applied = apply_policy_file(session, actor=actor, path=file)
    if fmt is Format.json:
        emit_object(applied.as_dict(), fmt=fmt)
        return
    say(
        _("Policy version {version} is in force (was {previous}).").format(
            version=applied.version,
            previous=applied.previous if applied.previous is not None else _("the defaults"),
        )
    )
    emit_rows(
        applied.rows(),
        CHANGES,
        fmt=fmt,
        title=_("Changes"),
        empty=_("No change from the previous version."),
    )


@app.command("init")
def init(
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    file: Annotated[
        Path | None, typer.Argument(help="Where to write (default: config path).")
    ] = None,
) -> None:
    """Write a personal preferences file (language and other personal choices) to edit.

    Example: bizops config init && $EDITOR "$(bizops config path | head -1 | cut -d' ' -f2)"
    """
    from bizops.domain.errors import Conflict, Invalid
    from bizops.services.prefs import personal_config_path, personal_template

    target = file or personal_config_path(state().config)
    if target.expanduser().parent.is_dir():
        from bizops.cli.output import check_output_path

        # Never the database, a directory or a device, even with --force.
        check_output_path(target, option="FILE")
    if target.exists() and not force:
        raise Conflict(_("{file} exists; pass --force to overwrite it").format(file=target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(personal_template(), encoding="utf-8")
    except OSError as exc:
        raise Invalid(
            _("cannot write {file}: {reason}").format(file=target, reason=exc.strerror)
        ) from None
    say(_("Wrote a personal preferences file to {file}.").format(file=target))


@app.command("check")
def check(
    file: Annotated[
        Path | None, typer.Argument(help="Policy file to check (default: the one in force).")
    ] = None,
) -> None:
    """Check that a policy can work; list every problem (exit 2 if any).

    Without FILE, checks the policy in force (stored in the database).

    Example: bizops config check ./policy.toml
    """
    from bizops.services.policy import check_policy_file
    from bizops.services.policy_versions import current_version

    st = state()
    if file is not None:
        policy = check_policy_file(file)
        where = str(file)
    else:
        policy = st.policy()
        version = None
        if st.database_exists():
            with st.read() as session:
                version = current_version(session)
        where = (
            _("built-in defaults")
            if version is None
            else _("stored version {version}").format(version=version)
        )
    say(
        _(
            "Policy OK ({where}): {rules} approval rules, currency {currency}, "
            "weekend rule {weekend_rule}."
        ).format(
            where=where,
            rules=len(policy.approval_rules),
            currency=policy.currency,
            weekend_rule=policy.weekend_rule,
        )
    )
    from bizops.domain.policy.advice import advice

    for warning in advice(policy, today=st.today):
        note(_("Warning: {warning}").format(warning=warning))
