"""Importing and exporting customers: CSV (UTF-8, UTF-8 with BOM, GB18030), .xlsx and JSON.

The rules, in the order they apply:

- Headers are English or Chinese (``HEADER_ALIASES``); ``name``, ``grade`` and ``owner`` are
  required; an unknown column is an error that lists the accepted ones, except the
  ``source_line`` and ``reason`` columns of a rejects file, which are ignored.
- Every row is checked and every bad row is reported with its line number and reason.
- A row whose name matches an existing customer (by ``name_key``: case, width and punctuation
  ignored, archived customers included) is *already present*: it is skipped without error and
  never updates the existing customer. That makes importing the same file twice a no-op.
- A second row with the same name in the file, a contact email used twice in the file, or an
  email that already belongs to another customer is a bad row.
- All or nothing: one bad row and nothing is imported (``Invalid``, exit 2), unless
  ``skip_invalid``, which loads the good rows and writes the bad ones to ``rejects``.
- Everything is inserted in one transaction with bulk statements, with one audit event.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from bizops.domain import cadence
from bizops.domain.errors import BizopsError, Invalid
from bizops.domain.policy import Policy
from bizops.domain.text import fold, name_key
from bizops.services.customers import (
    ContactIn,
    check_contact,
    check_name,
    contact_search_key,
    email_key,
    format_contact,
    parse_contact,
    parse_grade,
    parse_intent,
    parse_potential,
    parse_stage,
    parse_tags,
    require_writer,
    text_field,
)
from bizops.store import audit
from bizops.store.counters import current_value, set_value
from bizops.store.models import Contact, Customer, CustomerTag, FollowUp, StageChange, User

# Canonical field -> the headers accepted for it (compared after folding case and width).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "编号", "客户编号"),
    "name": ("name", "名称", "客户名称", "公司名称"),
    "grade": ("grade", "等级", "客户等级"),
    "stage": ("stage", "阶段"),
    "owner": ("owner", "负责人", "销售"),
    "industry": ("industry", "行业"),
    "region": ("region", "地区", "区域"),
    "source": ("source", "来源"),
    "potential": ("potential", "潜力", "采购潜力", "预计金额"),
    "intent": ("intent", "意向", "合作意向"),
    "tags": ("tags", "tag", "标签"),
    "contact": ("contact", "联系人"),
    "title": ("title", "职务", "职位"),
    "phone": ("phone", "电话", "手机"),
    "email": ("email", "邮箱", "电子邮件"),
    "more_contacts": ("more_contacts", "其他联系人"),
    "note": ("note", "备注"),
    "needs": ("needs", "需求"),
}
REQUIRED: tuple[str, ...] = ("name", "grade", "owner")
# What `customer export` writes, in this order; import reads every one of them back.
EXPORT_FIELDS: tuple[str, ...] = tuple(HEADER_ALIASES)
TAG_SEPARATOR = ";"
CONTACT_SEPARATOR = " | "
BATCH = 5000

_LOOKUP = {
    fold(alias): fieldname for fieldname, aliases in HEADER_ALIASES.items() for alias in aliases
}


def _header_key(header: str) -> str:
    return fold(header).replace(" ", "_").replace("-", "_")


def accepted_headers() -> str:
    return ", ".join(a for aliases in HEADER_ALIASES.values() for a in aliases)


# --------------------------------------------------------------------------- reading files


@dataclass
class RawRow:
    where: str  # "line 17", "row 17" or "record 17"
    values: dict[str, str]
    cells: list[str]


@dataclass
class Table:
    headers: list[str]
    fields: list[str | None]  # canonical field per column, None for an empty ignored column
    rows: list[RawRow]
    problems: list[tuple[RawRow, str]] = field(default_factory=list)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030; anything else is an error naming the problem."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Invalid(
            f"{name}: the file is UTF-16 text; save it as 'CSV UTF-8' (or GB18030) and import again"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            bad = data[utf8_error.start : utf8_error.start + 1].hex()
            raise Invalid(
                f"{name}: cannot read the text: it is neither UTF-8 nor GB18030 (byte 0x{bad} at "
                f"offset {utf8_error.start}); save it as 'CSV UTF-8' and import again"
            ) from None
    if "\x00" in text:
        raise Invalid(f"{name}: the file holds NUL bytes; it is not a CSV text file")
    return text


# The columns ``write_rejects`` adds: a rejects file, once fixed, imports as it is.
REJECT_COLUMNS = ("source_line", "reason")


def _map_headers(
    headers: list[str], name: str, has_values: Callable[[int], bool]
) -> list[str | None]:
    fields: list[str | None] = []
    seen: dict[str, str] = {}
    for i, header in enumerate(headers):
        text = (header or "").strip()
        if text in REJECT_COLUMNS:
            fields.append(None)
            continue
        if not text:
            if has_values(i):
                raise Invalid(f"{name}: column {i + 1} has no header but holds values")
            fields.append(None)
            continue
        key = _LOOKUP.get(_header_key(text)) or _LOOKUP.get(fold(text))
        if key is None:
            raise Invalid(
                f"{name}: unknown column {text!r}; accepted columns: {accepted_headers()}"
            )
        if key in seen:
            raise Invalid(f"{name}: columns {seen[key]!r} and {text!r} both mean {key}")
        seen[key] = text
        fields.append(key)
    missing = [f for f in REQUIRED if f not in seen]
    if missing:
        raise Invalid(
            f"{name}: required column(s) missing: {', '.join(missing)} "
            f"(e.g. {', '.join(HEADER_ALIASES[m][0] + '/' + HEADER_ALIASES[m][1] for m in missing)})"
        )
    return fields


def _table(headers: list[str], records: Iterator[tuple[str, list[str]]], name: str) -> Table:
    records_list = list(records)
    fields = _map_headers(
        headers,
        name,
        lambda i: any(i < len(cells) and cells[i].strip() for _, cells in records_list),
    )
    table = Table(headers=headers, fields=fields, rows=[])
    width = len(headers)
    pairs = [(i, key) for i, key in enumerate(fields) if key is not None]
    append = table.rows.append
    for where, cells in records_list:
        if not "".join(cells).strip():
            continue
        count = len(cells)
        if count > width and "".join(cells[width:]).strip():
            table.problems.append(
                (
                    RawRow(where=where, values={}, cells=cells),
                    f"has {count} cells but the header has {width} columns",
                )
            )
            continue
        append(
            RawRow(where=where, values={k: cells[i] for i, k in pairs if i < count}, cells=cells)
        )
    return table


def read_csv_text(text: str, name: str) -> Table:
    first_line = text.split("\n", 1)[0]
    # Comma, else tab or semicolon (what Excel writes where the decimal mark is a comma),
    # whichever the header line holds most of; a tie goes to the comma.
    delimiter = max((",", "\t", ";"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise Invalid(f"{name}: the file is empty; the first line must name the columns") from None
    except csv.Error as exc:
        raise Invalid(f"{name}: line 1: {exc}") from None

    def records() -> Iterator[tuple[str, list[str]]]:
        previous = reader.line_num
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise Invalid(f"{name}: line {previous + 1}: {exc}") from None
            yield f"line {previous + 1}", cells
            previous = reader.line_num

    return _table(headers, records(), name)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_xlsx(path: Path, name: str) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise Invalid(f"{name}: cannot read the workbook: {exc}") from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        try:
            headers = [_cell(v) for v in next(rows)]
        except StopIteration:
            raise Invalid(f"{name}: the first sheet is empty") from None
        while headers and not headers[-1].strip():
            headers.pop()
        records = [
            (f"row {i}", [_cell(v) for v in values]) for i, values in enumerate(rows, start=2)
        ]
    finally:
        book.close()
    return _table(headers, iter(records), name)


def read_json_text(text: str, name: str) -> Table:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Invalid(f"{name}: not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise Invalid(
            f"{name}: expected a JSON array of customer objects (as `customer export` writes)"
        )
    headers: list[str] = []
    for item in data:
        for key in item:
            if key not in headers:
                headers.append(key)
    records = []
    for i, item in enumerate(data, start=1):
        cells = []
        for key in headers:
            value = item.get(key)
            if isinstance(value, list):
                sep = (
                    CONTACT_SEPARATOR
                    if _LOOKUP.get(_header_key(key)) == "more_contacts"
                    else TAG_SEPARATOR
                )
                value = sep.join(_cell(v) for v in value)
            cells.append(_cell(value))
        records.append((f"record {i}", cells))
    return _table(headers, iter(records), name)


def read_table(path: Path, data: bytes | None = None) -> Table:
    name = path.name
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, name)
    if suffix == ".xls":
        raise Invalid(f"{name}: old .xls workbooks are not read; save it as .xlsx or CSV")
    raw = data if data is not None else path.read_bytes()
    text = decode_text(raw, name)
    if suffix == ".json":
        return read_json_text(text, name)
    return read_csv_text(text, name)


# --------------------------------------------------------------------------- validating rows


@dataclass
class GoodRow:
    raw: RawRow
    name: str
    key: str
    grade: str
    stage: str
    owner_id: int
    industry: str | None
    region: str | None
    source: str | None
    potential: Decimal | None
    intent: str | None
    tags: list[str]
    contacts: list[ContactIn]
    note: str | None
    needs: str | None


class _Owners:
    """Owners by login or display name, read once."""

    def __init__(self, session: Session) -> None:
        u = User.__table__.c  # type: ignore[attr-defined]
        self.by_login: dict[str, tuple[int, bool, str]] = {}
        self.by_name: dict[str, list[tuple[int, bool, str]]] = {}
        for uid, login, uname, active in session.execute(select(u.id, u.login, u.name, u.active)):
            entry = (uid, bool(active), login)
            self.by_login[login.lower()] = entry
            self.by_name.setdefault(fold(uname), []).append(entry)

    def resolve(self, text: str) -> int:
        value = text.strip()
        if not value:
            raise Invalid("owner: empty; give a user's login")
        entry = self.by_login.get(value.lower())
        if entry is None:
            candidates = self.by_name.get(fold(value), [])
            if len(candidates) > 1:
                raise Invalid(
                    f"owner: {value!r} is ambiguous; it could be "
                    f"{', '.join(c[2] for c in candidates)}"
                )
            entry = candidates[0] if candidates else None
        if entry is None:
            raise Invalid(f"owner: no user {value!r}; see `bizops user list`")
        if not entry[1]:
            raise Invalid(f"owner: user {entry[2]} is deactivated")
        return entry[0]


def _contacts_of(values: dict[str, str]) -> list[ContactIn]:
    out: list[ContactIn] = []
    cname = (values.get("contact") or "").strip()
    title = values.get("title", "").strip() or None
    phone = values.get("phone", "").strip() or None
    email = values.get("email", "").strip() or None
    if cname or title or phone or email:
        if not cname:
            check_contact(
                ContactIn(name="-", title=title, phone=phone, email=email), field="contact"
            )
            raise Invalid(
                "contact: a title, phone or email is given without the contact's name "
                "(column contact/联系人)"
            )
        out.append(
            check_contact(
                ContactIn(name=cname, title=title, phone=phone, email=email), field="contact"
            )
        )
    more = (values.get("more_contacts") or "").strip()
    if more:
        for part in more.split("|"):
            if part.strip():
                out.append(parse_contact(part, field="more_contacts"))
    return out


def _validate(raw: RawRow, owners: _Owners) -> GoodRow:
    """One row checked completely: every problem is collected, then raised together."""
    v = raw.values
    problems: list[str] = []

    def take(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BizopsError as exc:
            problems.append(exc.message)
            return None

    get = v.get
    name = take(check_name, get("name"), "name")
    grade = take(parse_grade, get("grade"), "grade")
    stage = take(parse_stage, get("stage") or "prospect", "stage")
    owner_id = take(owners.resolve, get("owner") or "")
    industry = take(text_field, get("industry"), "industry", max_length=100)
    region = take(text_field, get("region"), "region", max_length=100)
    source = take(text_field, get("source"), "source", max_length=100)
    potential = take(parse_potential, get("potential"), "potential")
    intent = take(parse_intent, get("intent"), "intent")
    tags = take(parse_tags, [get("tags") or ""], field="tags")
    contacts = take(_contacts_of, v)
    note = take(text_field, get("note"), "note", max_length=5000)
    needs = take(text_field, get("needs"), "needs", max_length=5000)
    if problems:
        raise Invalid("; ".join(problems))
    return GoodRow(
        raw=raw,
        name=name,
        key=name_key(name),
        grade=grade,
        stage=stage,
        owner_id=owner_id,
        industry=industry,
        region=region,
        source=source,
        potential=potential,
        intent=intent,
        tags=tags or [],
        contacts=contacts or [],
        note=note,
        needs=needs,
    )


# --------------------------------------------------------------------------- import


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

    def as_dict(self) -> dict[str, Any]:
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
        }


Progress = Callable[[str, int, int], None]


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
    progress: Progress = _no_progress,
) -> ImportResult:
    """Import customers from ``path`` by the rules in this module's docstring."""
    require_writer(actor, "import customers")
    if rejects is not None and not skip_invalid:
        raise Invalid("--rejects goes with --skip-invalid (which loads the good rows)")
    if rejects is not None and rejects.resolve() == path.resolve():
        # Writing the rejects over the file being imported would destroy the user's data.
        raise Invalid(f"--rejects: {rejects} is the file being imported; name another file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise Invalid(f"{path}: no such file") from None
    except IsADirectoryError:
        raise Invalid(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise Invalid(f"{path}: cannot read: {exc.strerror}") from None
    sha256 = hashlib.sha256(data).hexdigest()
    table = read_table(path, data)
    total = len(table.rows)
    owners = _Owners(session)
    c = Customer.__table__.c  # type: ignore[attr-defined]
    k = Contact.__table__.c  # type: ignore[attr-defined]
    existing_names = {key for (key,) in session.execute(select(c.name_key))}
    existing_emails: dict[str, str] = {}
    for ekey, code, cname in session.execute(
        select(k.email_key, c.code, c.name)
        .select_from(Contact.__table__.join(Customer.__table__, c.id == k.customer_id))  # type: ignore[attr-defined]
        .where(k.email_key.is_not(None))
    ):
        existing_emails.setdefault(ekey, f"{code} {cname}")

    bad: list[tuple[RawRow, str]] = list(table.problems)
    present: list[str] = []

    def checked() -> Iterator[GoodRow]:
        """The good rows, in file order; bad and already-present rows are noted on the way."""
        names_in_file: dict[str, str] = {}
        emails_in_file: dict[str, str] = {}
        for i, raw in enumerate(table.rows, start=1):
            if i % 2000 == 0:
                progress("importing", i, total)
            try:
                row = _validate(raw, owners)
            except Invalid as exc:
                bad.append((raw, exc.message))
                continue
            if row.key in existing_names:
                present.append(f"{raw.where}: {row.name} already present")
                continue
            problems = []
            if row.key in names_in_file:
                problems.append(
                    f"name: {row.name!r} duplicates {names_in_file[row.key]} of this file"
                )
            row_emails = [e for e in (email_key(ct.email) for ct in row.contacts) if e]
            for ekey in row_emails:
                if ekey in existing_emails:
                    problems.append(
                        f"email: {ekey} is already a contact of customer {existing_emails[ekey]}"
                    )
                elif ekey in emails_in_file:
                    problems.append(f"email: {ekey} is also on {emails_in_file[ekey]} of this file")
            if len(set(row_emails)) != len(row_emails):
                problems.append("email: the same email is given twice in this row")
            if problems:
                bad.append((raw, "; ".join(problems)))
                continue
            names_in_file[row.key] = raw.where
            for ekey in row_emails:
                emails_in_file[ekey] = raw.where
            # Rows go to the database as they pass, in the same transaction: if the file
            # turns out to have bad rows, the whole import is rolled back below.
            yield row

    with _large_cache(session):
        imported, first, last = _insert(
            session,
            actor=actor,
            rows=checked(),
            policy=policy,
            today=today,
            file=path.name,
            collecting=not skip_invalid,
            bad=bad,
        )
    progress("importing", total, total)
    bad.sort(key=lambda item: _order(item[0].where))
    problem_lines = [f"{raw.where}: {reason}" for raw, reason in bad]
    result = ImportResult(
        file=path.name,
        sha256=sha256,
        rows=total + len(table.problems),
        imported=0,
        already_present=len(present),
        rejected=len(bad),
        problems=problem_lines,
        present=present,
    )
    if bad and not skip_invalid:
        # Raising rolls back the rows already written in this transaction.
        raise Invalid(
            f"{path.name}: {len(bad)} bad row(s) of {result.rows}; nothing was imported "
            "(fix them, or load the good rows with --skip-invalid --rejects FILE)",
            details=problem_lines,
        )
    if bad and rejects is not None:
        write_rejects(rejects, table.headers, bad)
        result.rejects_file = str(rejects)
    if imported:
        result.imported = imported
        result.first_code, result.last_code = first, last
        audit.record(
            session,
            actor=actor.login,
            action="customer.import",
            entity_type="customer_import",
            entity_id=sha256,
            after={
                "file": path.name,
                "sha256": sha256,
                "rows": result.rows,
                "imported": result.imported,
                "already_present": result.already_present,
                "rejected": result.rejected,
                "first_code": first,
                "last_code": last,
            },
        )
    return result


def _order(where: str) -> int:
    match = re.search(r"\d+", where)
    return int(match.group()) if match else 0


def write_rejects(path: Path, headers: Sequence[str], bad: list[tuple[RawRow, str]]) -> None:
    """The bad rows as they were, plus the line they came from and the reason."""
    if path.is_dir():
        raise Invalid(f"--rejects: {path} is a directory")
    if not path.parent.exists():
        raise Invalid(f"--rejects: directory {path.parent} does not exist")
    width = len(headers)
    try:
        with open(path, "w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow([*headers, "source_line", "reason"])
            for raw, reason in bad:
                cells = (raw.cells + [""] * width)[:width]
                writer.writerow([*cells, raw.where, reason])
    except OSError as exc:
        raise Invalid(f"--rejects: cannot write {path}: {exc.strerror}") from None


_CUSTOMER_KEYS = (
    "id",
    "code",
    "name",
    "name_key",
    "grade",
    "stage",
    "owner_id",
    "industry",
    "region",
    "source",
    "potential",
    "intent",
    "needs",
    "note",
    "stage_since",
    "created_on",
    "created_at",
)
_CONTACT_KEYS = (
    "customer_id",
    "name",
    "title",
    "phone",
    "email",
    "email_key",
    "search_key",
    "is_primary",
)
_TAG_KEYS = ("customer_id", "tag")
_STAGE_KEYS = ("customer_id", "from_stage", "to_stage", "on", "at", "actor", "reason")
_FOLLOWUP_KEYS = ("customer_id", "due", "status", "kind", "purpose", "created_on")


def _insert(
    session: Session,
    *,
    actor: User,
    rows: Iterator[GoodRow],
    policy: Policy,
    today: date,
    file: str,
    collecting: bool,
    bad: list[tuple[RawRow, str]],
) -> tuple[int, str | None, str | None]:
    """Bulk inserts in the caller's transaction, as the rows arrive; returns (count, first code,
    last code). Writes are serialised, so the next codes and ids are ours: they are read once
    and the counter set at the end. Chunk by chunk, the customers, contacts, tags, stage
    history and first-contact follow-ups go to a writer thread that runs executemany while
    this thread checks and prepares the next chunk. Once a file is known to be rejected whole
    (``collecting`` and a bad row), rows are only checked, no longer written."""
    ct = Customer.__table__  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    first_seq = current_value(session, "customer") + 1
    first_id = int(session.execute(select(func.coalesce(func.max(ct.c.id), 0))).scalar_one()) + 1
    first_due = {
        g: cadence.first_contact_due(policy, grade=g, created=today) for g in policy.first_contact
    }
    reason = f"imported from {file}"
    conn = session.connection()
    statements = [
        _Statement(conn, table, keys)
        for table, keys in (
            (ct, _CUSTOMER_KEYS),
            (Contact.__table__, _CONTACT_KEYS),  # type: ignore[attr-defined]
            (CustomerTag.__table__, _TAG_KEYS),  # type: ignore[attr-defined]
            (StageChange.__table__, _STAGE_KEYS),  # type: ignore[attr-defined]
            (FollowUp.__table__, _FOLLOWUP_KEYS),  # type: ignore[attr-defined]
        )
    ]
    # Values in the driver's form, converted once: the writer thread then only executes.
    customer_s, _, _, stage_s, followup_s = statements
    c_today = customer_s.convert("created_on", today)
    c_now = customer_s.convert("created_at", now)
    to_cents = customer_s.processors["potential"] or (lambda value: value)
    s_today, s_now = stage_s.convert("on", today), stage_s.convert("at", now)
    f_today = followup_s.convert("created_on", today)
    f_due = {g: followup_s.convert("due", d) for g, d in first_due.items()}
    count = 0
    with _Writer(conn) as writer:
        payloads: tuple[list[tuple[Any, ...]], ...] = ([], [], [], [], [])
        for r in rows:
            if collecting and bad:
                continue
            cid, code = first_id + count, policy.customer_code.format(seq=first_seq + count)
            count += 1
            customers, contacts, tags, stages, followups = payloads
            customers.append(
                (cid, code, r.name, r.key, r.grade, r.stage, r.owner_id, r.industry, r.region,
                 r.source, None if r.potential is None else to_cents(r.potential), r.intent,
                 r.needs, r.note, c_today, c_today, c_now)
            )  # fmt: skip
            for n, c in enumerate(r.contacts):
                contacts.append(
                    (cid, c.name, c.title, c.phone, c.email, email_key(c.email),
                     contact_search_key(c.name, c.email, c.phone), n == 0)
                )  # fmt: skip
            tags.extend((cid, tag) for tag in r.tags)
            stages.append((cid, None, r.stage, s_today, s_now, actor.login, reason))
            if cadence.has_followups(r.stage):
                followups.append(
                    (cid, f_due[r.grade], "open", "first_contact", "first contact", f_today)
                )
            if len(customers) >= BATCH:
                for statement, payload in zip(statements, payloads, strict=True):
                    writer.put(statement, payload)
                payloads = ([], [], [], [], [])
        if not (collecting and bad):
            for statement, payload in zip(statements, payloads, strict=True):
                writer.put(statement, payload)
    if not count or (collecting and bad):
        return 0, None, None
    set_value(session, "customer", first_seq + count - 1)
    if conn.dialect.name == "postgresql":
        # The ids were given explicitly: move the sequence past them.
        conn.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('customers', 'id'), "
            "(SELECT max(id) FROM customers))"
        )
    return (
        count,
        policy.customer_code.format(seq=first_seq),
        policy.customer_code.format(seq=first_seq + count - 1),
    )


@contextmanager
def _large_cache(session: Session) -> Iterator[None]:
    """SQLite's page cache is 2 MB by default; the index inserts of a big import (name keys
    arrive in random order) churn it. 256 MB for the import, then back."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


class _Statement:
    """An INSERT for the driver's executemany, without SQLAlchemy's per-row statement work.
    Values must already be in the driver's form: ``convert`` applies a column's own bind
    processing (money to cents, dates for SQLite) to one value."""

    def __init__(self, conn: Any, table: Any, keys: Sequence[str]) -> None:
        dialect = conn.dialect
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        quote = dialect.identifier_preparer.quote
        self.sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(k) for k in keys)}) "
            f"VALUES ({', '.join([mark] * len(keys))})"
        )
        self.processors = {
            k: table.c[k].type.dialect_impl(dialect).bind_processor(dialect) for k in keys
        }

    def convert(self, key: str, value: Any) -> Any:
        process = self.processors[key]
        return value if process is None or value is None else process(value)


class _Writer:
    """One thread that runs the import's executemany calls in order while the caller prepares
    the next chunk: sqlite3 and psycopg let other Python threads run while the database works.
    The queue is unbounded: the writer shares the GIL with the checking thread and catches up
    once checking is done; a bounded queue made the checker wait on it (100,000 rows: the
    chunks held at once cost ~70 MB). The caller must not use the connection until the block
    ends."""

    def __init__(self, conn: Any) -> None:
        import queue
        import threading

        self.raw = conn.connection.dbapi_connection
        self.queue: queue.Queue[tuple[_Statement, list[tuple[Any, ...]]] | None] = queue.Queue()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="bizops-import-writer", daemon=True)

    def __enter__(self) -> _Writer:
        self.thread.start()
        return self

    def _run(self) -> None:
        cursor = self.raw.cursor()
        try:
            while (item := self.queue.get()) is not None:
                if self.error is None:
                    statement, rows = item
                    try:
                        cursor.executemany(statement.sql, rows)
                    except BaseException as exc:  # handed to the caller in __exit__
                        self.error = exc
        finally:
            cursor.close()

    def put(self, statement: _Statement, rows: list[tuple[Any, ...]]) -> None:
        if self.error is not None:
            raise self._failure()
        if rows:
            self.queue.put((statement, rows))

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.queue.put(None)
        self.thread.join()
        if exc is None and self.error is not None:
            raise self._failure()

    def _failure(self) -> BaseException:
        from bizops.domain.errors import StorageError

        error = self.error
        assert error is not None
        if isinstance(error, BizopsError | KeyboardInterrupt):
            return error
        return StorageError(f"the import could not be written: {error}")


# --------------------------------------------------------------------------- export


def export_rows(session: Session, *, scope: str = "active") -> Iterator[dict[str, Any]]:
    """Customers as import reads them: the primary contact in contact/title/phone/email, the
    others in ``more_contacts`` ("Name, title, phone, email" each), tags as a list."""
    c = Customer.__table__.c  # type: ignore[attr-defined]
    u = User.__table__.c  # type: ignore[attr-defined]
    k = Contact.__table__.c  # type: ignore[attr-defined]
    t = CustomerTag.__table__.c  # type: ignore[attr-defined]
    where = [c.archived_on.is_(None)] if scope == "active" else []
    tag_map: dict[int, list[str]] = {}
    for cid, tag in session.execute(select(t.customer_id, t.tag).order_by(t.customer_id, t.tag)):
        tag_map.setdefault(cid, []).append(tag)
    contact_map: dict[int, list[dict[str, Any]]] = {}
    for cid, cname, title, phone, email in session.execute(
        select(k.customer_id, k.name, k.title, k.phone, k.email).order_by(
            k.customer_id, k.is_primary.desc(), k.id
        )
    ):
        contact_map.setdefault(cid, []).append(
            {"name": cname, "title": title, "phone": phone, "email": email}
        )
    query = (
        select(
            c.id,
            c.code,
            c.name,
            c.grade,
            c.stage,
            u.login,
            c.industry,
            c.region,
            c.source,
            c.potential,
            c.intent,
            c.note,
            c.needs,
        )
        .select_from(Customer.__table__.join(User.__table__, u.id == c.owner_id))  # type: ignore[attr-defined]
        .where(*where)
        .order_by(c.code)
    )
    for (
        cid,
        code,
        name,
        grade,
        stage,
        login,
        industry,
        region,
        source,
        potential,
        intent,
        note,
        needs,
    ) in session.execute(query):
        contacts = contact_map.get(cid, [])
        primary = contacts[0] if contacts else {}
        yield {
            "code": code,
            "name": name,
            "grade": grade,
            "stage": stage,
            "owner": login,
            "industry": industry,
            "region": region,
            "source": source,
            "potential": potential,
            "intent": intent,
            "tags": tag_map.get(cid, []),
            "contact": primary.get("name"),
            "title": primary.get("title"),
            "phone": primary.get("phone"),
            "email": primary.get("email"),
            "more_contacts": [format_contact(x) for x in contacts[1:]],
            "note": note,
            "needs": needs,
        }


def flatten_for_csv(row: dict[str, Any]) -> dict[str, Any]:
    """Lists as one cell: tags joined by ';', more contacts by ' | '."""
    out = dict(row)
    out["tags"] = TAG_SEPARATOR.join(row["tags"])
    out["more_contacts"] = CONTACT_SEPARATOR.join(row["more_contacts"])
    return out
