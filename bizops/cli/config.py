"""bizops config: show, path, init, check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bizops.cli.context import state
from bizops.cli.output import Format, FormatOption, emit_object, note, say
from bizops.i18n import _

app = typer.Typer(
    help="The policy file: cadence, grading, approval matrix, mail and more.", no_args_is_help=True
)


@app.command("path")
def path() -> None:
    """Print where the policy file is read from.

    Example: bizops config path
    """
    import os

    from bizops.services.policy import config_path

    file = config_path(state().config)
    say(str(file))
    if file.exists():
        return
    if state().config or os.environ.get("BIZOPS_CONFIG"):
        # A file named with --config / BIZOPS_CONFIG must exist: commands refuse to run without it.
        note(
            _(
                "(it does not exist, and commands will refuse to run until it does; "
                "`bizops config init` writes the defaults there)"
            )
        )
    else:
        note(
            _("(not created yet: the built-in defaults apply; `bizops config init` writes a copy)")
        )


@app.command("show")
def show(
    fmt: FormatOption = None,
    defaults: Annotated[
        bool, typer.Option("--defaults", help="Show the built-in defaults.")
    ] = False,
) -> None:
    """Show the policy in force (your file over the defaults), as TOML or JSON.

    Example: bizops config show --format json
    """
    from bizops.domain.policy import build_policy
    from bizops.services.policy import default_policy_data, policy_data

    data = default_policy_data() if defaults else policy_data(state().config)
    try:
        build_policy(data)
    except Exception:
        note(_("Warning: this policy has problems; see `bizops config check`."))
    if fmt is Format.json:
        emit_object(data, fmt=fmt)
        return
    if fmt is Format.csv:
        from bizops.domain.errors import Invalid

        raise Invalid(_("--format: config show prints toml (default) or json"))
    import tomli_w

    say(tomli_w.dumps(data).rstrip())


@app.command("init")
def init(
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    file: Annotated[
        Path | None, typer.Argument(help="Where to write (default: config path).")
    ] = None,
) -> None:
    """Write the default policy, with comments, to the policy file for you to edit.

    Example: bizops config init && $EDITOR "$(bizops config path)"
    """
    from bizops.domain.errors import Conflict, Invalid
    from bizops.services.policy import config_path, default_policy_text

    target = file or config_path(state().config)
    if target.expanduser().parent.is_dir():
        from bizops.cli.output import check_output_path

        # Never the database, a directory or a device, even with --force.
        check_output_path(target, option="FILE")
    if target.exists() and not force:
        raise Conflict(_("{file} exists; pass --force to overwrite it").format(file=target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(default_policy_text(), encoding="utf-8")
    except OSError as exc:
        raise Invalid(
            _("cannot write {file}: {reason}").format(file=target, reason=exc.strerror)
        ) from None
    say(
        _("Wrote the default policy to {file}. Edit it, then run: {command}").format(
            file=target, command="bizops config check"
        )
    )


@app.command("check")
def check(
    file: Annotated[
        Path | None, typer.Argument(help="Policy file to check (default: config path).")
    ] = None,
) -> None:
    """Check that a policy can work; list every problem (exit 2 if any).

    Example: bizops config check ./policy.toml
    """
    from bizops.domain.errors import Invalid
    from bizops.domain.policy import build_policy
    from bizops.services.policy import config_path, policy_data

    target = file or config_path(state().config)
    # Without FILE, read exactly what commands read: a missing default file means defaults.
    data = policy_data(file if file is not None else state().config, explicit=file is not None)
    try:
        policy = build_policy(data)
    except Invalid as exc:
        raise Invalid(
            _("policy {file} has {count} problem(s)").format(file=target, count=len(exc.details)),
            details=exc.details,
        ) from None
    where = str(target) if target.exists() else _("built-in defaults")
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

    for warning in advice(policy, today=state().today):
        note(_("Warning: {warning}").format(warning=warning))
