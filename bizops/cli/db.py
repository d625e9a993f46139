"""bizops db: upgrade, setup-roles, backup, restore, check, info."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bizops.cli.context import state
from bizops.cli.output import FormatOption, Line, emit_object, say
from bizops.i18n import N_, _

app = typer.Typer(help="The database: schema upgrades, backups, checks.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Upgrade the database schema to this version of bizops (a SQLite file is copied first).

    Example: bizops --db team.db db upgrade
    """
    from bizops.store.migrate import upgrade as run_upgrade

    db = state().database(migrate=False)
    before, after = run_upgrade(db)
    if before == after:
        say(_("Schema is up to date ({revision}).").format(revision=after))
    else:
        say(
            _("Upgraded schema from {before} to {after}.").format(
                before=before or _("empty"), after=after
            )
        )


@app.command("setup-roles")
def setup_roles() -> None:
    """Team mode: create the roles bizops_owner and bizops_member, hand the tables to the
    owner, grant members what they need and apply the row-level policies (idempotent; run by
    the DBA or the owner role).

    Example: bizops --db postgresql://postgres@db/bizops db setup-roles
    """
    from bizops.services.dbops import setup_roles as run_setup

    result = run_setup(state().database())
    say(
        _("Roles {owner} and {member} ready; {tables} tables granted, {policies} policies.").format(
            owner=result["owner"],
            member=result["member"],
            tables=result["tables"],
            policies=result["policies"],
        )
    )


@app.command("backup")
def backup(
    file: Annotated[Path, typer.Argument(help="Backup file to write.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a consistent copy of the database, even while others write.

    Example: bizops db backup ~/backups/bizops-$(date +%F).db
    """
    from bizops.cli.output import check_output_path
    from bizops.services.dbops import backup as run_backup

    # Refused before the database is even opened: never the database itself, its side
    # files, a directory or a device (not even with --force).
    check_output_path(file, option=_("backup file"))
    result = run_backup(state().database(), file, force=force)
    say(
        _("Backed up to {file} ({size} bytes).").format(
            file=result["file"], size=f"{result['size_bytes']:,}"
        )
    )
    if result.get("attachments"):
        say(
            _("Copied {count} attachment file(s) to {folder}.").format(
                count=result["attachments"], folder=result["file"] + ".attachments"
            )
        )


@app.command("restore")
def restore(
    file: Annotated[Path, typer.Argument(help="Backup file made by `bizops db backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Replace the existing database.")] = False,
) -> None:
    """Replace the SQLite database with a backup (checked before anything is replaced).

    Only an admin may restore. The database replaced is kept as
    <db>.before-restore-<time>, the attachment copies saved beside the backup are put back,
    and the restore is recorded in the audit log of the restored database.

    Example: bizops --db bizops.db db restore backup.db --force
    """
    from bizops.services.dbops import restore as run_restore

    db = state().database(migrate=False)
    result = run_restore(db, file, force=force, as_user=state().as_user, now=state().now())
    say(
        _("Restored {file} from {backup} (schema {schema}).").format(
            file=result["file"], backup=result["from"], schema=result["schema"]
        )
    )
    if result["safety_copy"]:
        say(_("The database replaced is kept as {file}.").format(file=result["safety_copy"]))


@app.command("check")
def check() -> None:
    """Check integrity, foreign keys, the audit chain and the product's invariants.

    Example: bizops db check
    """
    from bizops.domain.errors import StorageError
    from bizops.services.dbops import check as run_check

    result = run_check(state().database())
    if not result.ok:
        raise StorageError(
            _("database check found {count} problem(s)").format(count=len(result.problems)),
            details=result.problems,
        )
    say(_("Database OK: {checked}.").format(checked=", ".join(result.checked)))


@app.command("info")
def info(fmt: FormatOption = None) -> None:
    """Show where the database is, its schema revision and row counts.

    Example: bizops db info --format json
    """
    from bizops.services.dbops import info as run_info

    data = run_info(state().database())
    emit_object(
        data,
        fmt=fmt,
        title=_("Database"),
        sections=(
            Line(
                "rows",
                N_("rows"),
                fmt=lambda rows: ", ".join(f"{k} {v}" for k, v in rows.items() if v),
            ),
        ),
    )
