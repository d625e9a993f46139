"""`customer import`: every row checked, every bad row reported, all or nothing by default.

- The file is read by ``import_files``, each row checked by ``import_rows`` (the same field
  rules as `customer add`), and the good rows written by ``import_writer`` from the rows of
  the same builder `customer add` uses.
- All or nothing: one bad row and nothing is imported (``Invalid``, exit 2), unless
  ``skip_invalid``, which loads the good rows and writes the bad ones to ``rejects``.
- Everything is inserted in one transaction with bulk statements, with one audit event.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import Session

from bizops.domain.customer_rows import CustomerRowBuilder
from bizops.domain.errors import Invalid
from bizops.domain.policy import Policy
from bizops.i18n import N_, _
from bizops.services.customers.import_files import Columns, Table, read_table, write_rejects
from bizops.services.customers.import_guards import bounded, problems_of, write_errors
from bizops.services.customers.import_rows import RowChecker
from bizops.services.customers.import_text import Scanned, scan_file
from bizops.services.customers.import_writer import Inserted, insert_customers, large_cache
from bizops.services.customers.permissions import require_writer
from bizops.services.customers.views import ImportSummary
from bizops.store import audit
from bizops.store.files import check_target, database_files
from bizops.store.models import User

__all__ = ["ImportResult", "Progress", "import_customers"]

Progress = Callable[[str, int, int], None]


@dataclass
class ImportResult:
    file: str
    sha256: str
    rows: int
    imported: int
    already_present: int
    rejected: int
    problems: list[str]
    present: list[str]
    first_code: str | None = None
    last_code: str | None = None
    rejects_file: str | None = None
    errors_file: str | None = None
    ignored_columns: list[str] = field(default_factory=list)

    def as_dict(self) -> ImportSummary:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "rows": self.rows,
            "imported": self.imported,
            "already_present": self.already_present,
            "rejected": self.rejected,
            "first_code": self.first_code,
            "last_code": self.last_code,
            "rejects_file": self.rejects_file,
            "problems": self.problems,
            "ignored_columns": self.ignored_columns,
        }


def _no_progress(_phase: str, _done: int, _total: int) -> None:
    return None


def import_customers(
    session: Session,
    *,
    actor: User,
    path: Path,
    policy: Policy,
    today: date,
    skip_invalid: bool = False,
    rejects: Path | None = None,
    errors: Path | None = None,
    progress: Progress = _no_progress,
    columns: Columns | None = None,
    encoding: str | None = None,
) -> ImportResult:
    """Import customers from ``path`` by the rules in this module's docstring; with
    ``errors``, every problem is written to that CSV file (line, column, value, problem).
    ``columns`` (``Columns.of(["客户级别=grade"], ignore_unknown=True)``) maps the file's
    columns; ``encoding`` names the text's codec (else UTF-8 or GB18030, see ``import_text``).
    """
    require_writer(actor, N_("import customers"))
    scanned = _read(
        path,
        rejects=rejects,
        errors=errors,
        skip_invalid=skip_invalid,
        own=database_files(session),
        encoding=encoding,
    )
    # The table reads what it needs (a UTF-8 CSV file again, as its rows are iterated).
    sha256, table = scanned.sha256, _table(path, scanned.data, scanned.lines, columns, encoding)
    del scanned
    checker = RowChecker(session, table, today)
    with large_cache(session), _long_lived():
        # Rows go to the database as they pass, in the same transaction: if the file turns
        # out to have bad rows, the whole import is rolled back below.
        inserted = insert_customers(
            session,
            checker.rows(progress, all_or_nothing=not skip_invalid),
            builder=_builder(policy, today, actor, path),
            code_pattern=policy.customer_code,
            rejected=lambda: not skip_invalid and bool(checker.bad),
            expected=table.expected,
        )
    progress("importing", table.count, table.count)
    bad = sorted(checker.bad, key=lambda item: _line(item[0].where))
    problem = _("{where}: {reason}")
    result = ImportResult(
        file=path.name,
        sha256=sha256,
        rows=table.count,
        imported=0,
        already_present=len(checker.present),
        rejected=len(bad),
        problems=[problem.format(where=raw.where, reason=reason) for raw, reason in bad],
        present=checker.present,
        ignored_columns=table.ignored,
    )
    if errors is not None:
        write_errors(
            errors,
            (p for raw, reason in bad for p in problems_of(raw.where, raw.values, reason)),
        )
        result.errors_file = str(errors)
    if bad and not skip_invalid:
        # Raising rolls back the rows already written in this transaction.
        raise Invalid(
            _(
                "{file}: {bad} bad row(s) of {rows}; nothing was imported "
                "(fix them, or load the good rows with --skip-invalid --rejects FILE)"
            ).format(file=path.name, bad=len(bad), rows=result.rows),
            details=bounded(result.problems, errors_option=errors is None),
        )
    if bad and rejects is not None:
        write_rejects(rejects, table.headers, bad)
        result.rejects_file = str(rejects)
    if inserted.written:
        _record(session, actor, result, inserted)
    return result


def _builder(policy: Policy, today: date, actor: User, path: Path) -> CustomerRowBuilder:
    """The rows of the imported customers are built now, by the actor, from the file."""
    return CustomerRowBuilder(
        policy=policy,
        today=today,
        now=datetime.now(UTC),
        actor=actor.login,
        reason=f"imported from {path.name}",
    )


@contextmanager
def _long_lived() -> Iterator[None]:
    """What exists now (the file's rows, the names and emails on record) lives until the import
    ends: the garbage collector need not walk it again at each full collection while the
    import allocates the rows it writes."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _table(
    path: Path, data: bytes | None, lines: int, columns: Columns | None, encoding: str | None
) -> Table:
    """The file's rows; a CSV file whose bytes the scan found to be UTF-8 is not read whole."""
    return read_table(
        path,
        data,
        columns=columns,
        encoding=encoding,
        utf8_lines=None if data is not None else lines,
    )


def _read(
    path: Path,
    *,
    rejects: Path | None,
    errors: Path | None,
    skip_invalid: bool,
    own: list[Path],
    encoding: str | None,
) -> Scanned:
    """The options checked, then the file read once (``import_text.scan_file``): a CSV file
    in UTF-8 is hashed and checked a chunk at a time, and read again as its rows are."""
    if rejects is not None and not skip_invalid:
        raise Invalid(_("--rejects goes with --skip-invalid (which loads the good rows)"))
    for option, target in (("--rejects", rejects), ("--errors", errors)):
        if target is None:
            continue
        if target.resolve() == path.resolve():
            # Writing over the file being imported would destroy the user's data.
            raise Invalid(
                _("{option}: {path} is the file being imported; name another file").format(
                    option=option, path=target
                )
            )
        check_target(target, protected=own, option=option)
    if rejects is not None and errors is not None and rejects.resolve() == errors.resolve():
        raise Invalid(_("--errors: {path} is also the --rejects file").format(path=errors))
    try:
        suffix = path.suffix.lower()
        workbook = suffix in (".xlsx", ".xlsm", ".xls")
        csv_text = not workbook and suffix != ".json" and encoding is None
        return scan_file(path, utf8=csv_text, keep=not workbook and not csv_text)
    except FileNotFoundError:
        raise Invalid(_("{path}: no such file").format(path=path)) from None
    except IsADirectoryError:
        raise Invalid(_("{path}: is a directory, not a file").format(path=path)) from None
    except OSError as exc:
        raise Invalid(
            _("{path}: cannot read: {error}").format(path=path, error=exc.strerror)
        ) from None


def _record(session: Session, actor: User, result: ImportResult, inserted: Inserted) -> None:
    """The import's one audit event, naming the file by its SHA-256."""
    result.imported = inserted.written
    result.first_code, result.last_code = inserted.first_code, inserted.last_code
    audit.record(
        session,
        actor=actor.login,
        action="customer.import",
        entity_type="customer_import",
        entity_id=result.sha256,
        after={
            "file": result.file,
            "sha256": result.sha256,
            "rows": result.rows,
            "imported": result.imported,
            "already_present": result.already_present,
            "rejected": result.rejected,
            "first_code": result.first_code,
            "last_code": result.last_code,
        },
    )


def _line(where: str) -> int:
    match = re.search(r"\d+", where)
    return int(match.group()) if match else 0
