"""`bizops receipts import`: a bank statement's credits recorded as receipts.

Each credit line is matched to a contract by a contract number in its memo, else by the
payer's name (a customer's) together with an amount that is open on exactly one of that
customer's contracts (a payment milestone's open part, or the whole outstanding). A line that
matches no contract, or more than one, is listed for finance and never guessed. A bank
reference already recorded is skipped, so importing the same file twice records nothing new.
Matched lines go through ``add_receipt``, the same rules as `contract receipt add`.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain import money_rules as mr
from bizops.domain.dates import parse_date
from bizops.domain.errors import BizopsError, Conflict, Invalid
from bizops.domain.money import parse_money
from bizops.domain.text import fold, name_key
from bizops.i18n import _
from bizops.services.customers.import_files import decode_text
from bizops.services.customers.import_text import parse_map
from bizops.services.money.common import MONEY_STATES, open_items, require_finance, totals
from bizops.services.money.receipts import add_receipt
from bizops.services.views.money import BankLine
from bizops.store.models import Contract, Customer, Receipt, User

# Column headers banks use, by field (compared case- and width-insensitively).
BANK_HEADERS: dict[str, tuple[str, ...]] = {
    "date": ("date", "日期", "交易日期", "记账日期", "入账日期"),
    "amount": ("amount", "credit", "金额", "贷方金额", "收入金额", "入账金额"),
    "payer": ("payer", "付款人", "对方户名", "对方账户名称", "付款人名称"),
    "memo": ("memo", "摘要", "附言", "用途", "备注"),
    "bank_ref": ("reference", "ref", "bank_ref", "流水号", "交易流水号", "银行流水号"),
}
_TOKENS = re.compile(r"[A-Za-z0-9][A-Za-z0-9_/-]*")


def parse_bank_map(specs: list[str]) -> dict[str, str]:
    """``--map COLUMN=FIELD`` options as {folded column: field}; an unknown field, or a column
    mapped twice, is ``Invalid``."""
    return parse_map(specs, {fold(f): f for f in BANK_HEADERS}, example="收款金额=amount")


def _field_of(header: str, mapping: dict[str, str]) -> str | None:
    key = fold(header.strip())
    if key in mapping:
        return mapping[key]
    for target, aliases in BANK_HEADERS.items():
        if key in {fold(a) for a in aliases}:
            return target
    return None


def _fields(file: str, headers: list[str], mapping: dict[str, str]) -> list[str | None]:
    """The field each column gives. A field mapped with --map is taken from that column only;
    two columns a bank's names both give the same field is ``Invalid`` (say which with --map)."""
    fields = [_field_of(h, mapping) for h in headers]
    mapped = set(mapping.values())
    for i, header in enumerate(headers):
        if fields[i] in mapped and fold(header.strip()) not in mapping:
            fields[i] = None
    for target in BANK_HEADERS:
        columns = [h for h, f in zip(headers, fields, strict=True) if f == target]
        if len(columns) > 1:
            raise Invalid(
                _(
                    "{file}: columns {columns} all read as {field}; say which one with "
                    "--map COLUMN={field}"
                ).format(file=file, columns=", ".join(columns), field=target)
            )
    return fields


def _cells(path: Path, encoding: str | None) -> list[list[str]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        if encoding is not None:
            raise Invalid(
                _("--encoding: {file} is a workbook, which carries its own encoding").format(
                    file=path.name
                )
            )

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            return [
                ["" if v is None else (v.isoformat()[:10] if isinstance(v, date) else str(v))
                 for v in row]
                for row in book.worksheets[0].iter_rows(values_only=True)
            ]  # fmt: skip
        finally:
            book.close()
    text = decode_text(path.read_bytes(), path.name, encoding)
    delimiter = max((",", "\t", ";"), key=text.split("\n", 1)[0].count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def read_bank_file(
    path: Path, mapping: dict[str, str] | None = None, encoding: str | None = None
) -> list[dict[str, str]]:
    """The statement's lines as {field: text}, with ``line`` (its line in the file); a CSV
    file's text in ``encoding`` if given (else UTF-8, else GB18030, as `customer import`)."""
    rows = _cells(path, encoding)
    if not rows:
        raise Invalid(_("{file}: the file is empty").format(file=path.name))
    fields = _fields(path.name, rows[0], mapping or {})
    # The bank's reference is what makes a second import of the file record nothing twice.
    missing = [f for f in ("date", "amount", "bank_ref") if f not in fields]
    if missing:
        raise Invalid(
            _(
                "{file}: no column for {fields}; name them as a bank does ({known}) or map them "
                "with --map COLUMN=FIELD"
            ).format(
                file=path.name,
                fields=", ".join(missing),
                known=", ".join(f"{k}: {'/'.join(v)}" for k, v in BANK_HEADERS.items()),
            )
        )
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        if not "".join(cells).strip():
            continue
        line = {f: (cells[i].strip() if i < len(cells) else "") for i, f in enumerate(fields) if f}
        line["line"] = str(number)
        out.append(line)
    return out


@dataclass
class _Book:
    """The open contracts, by number and by customer, read once per import."""

    by_number: dict[str, Contract] = field(default_factory=dict)
    by_payer: dict[str, list[Contract]] = field(default_factory=lambda: defaultdict(list))


def _book(session: Session) -> _Book:
    book = _Book()
    for contract, customer in session.execute(
        select(Contract, Customer)
        .join(Customer, col(Customer.id) == col(Contract.customer_id))
        .where(col(Contract.type).in_(mr.INCOMING_TYPES), col(Contract.status).in_(MONEY_STATES))
    ).all():
        book.by_number[contract.number.upper()] = contract
        book.by_payer[name_key(customer.name)].append(contract)
    return book


def _open_amounts(session: Session, contract: Contract) -> set[Decimal]:
    assert contract.id is not None
    amounts = {i.open for i in open_items(session, contract.id)}
    amounts.add(totals(session, contract).outstanding)
    return amounts


def _candidates(session: Session, book: _Book, line: dict[str, str], value: Decimal) -> list[str]:
    named = sorted({t.upper() for t in _TOKENS.findall(line.get("memo", ""))} & set(book.by_number))
    if named:
        return named
    payer = name_key(line.get("payer", ""))
    if not payer:
        return []
    return sorted(
        c.number for c in book.by_payer.get(payer, []) if value in _open_amounts(session, c)
    )


def _line(raw: dict[str, str], status: str, **kw: Any) -> BankLine:
    base: BankLine = {
        "line": int(raw["line"]),
        "date": None,
        "amount": None,
        "payer": raw.get("payer") or None,
        "memo": raw.get("memo") or None,
        "bank_ref": raw.get("bank_ref") or None,
        "status": status,
        "contract": None,
        "candidates": [],
        "receipt": None,
        "message": None,
    }
    base.update(kw)  # type: ignore[typeddict-item]
    return base


def _one(
    session: Session, book: _Book, raw: dict[str, str], actor: User, seen: set[str], today: date
) -> BankLine:
    """What becomes of one line: recorded through ``add_receipt`` (in its own savepoint), or
    why not."""
    try:
        day = parse_date(raw.get("date", ""), today, field=_("date"))
        value = parse_money(raw.get("amount", ""), field=_("amount"))
    except Invalid as exc:
        return _line(raw, "invalid", message=str(exc))
    if value <= 0:
        return _line(raw, "not_credit", date=day, amount=value)
    ref = raw.get("bank_ref") or ""
    if not ref:
        return _line(
            raw,
            "invalid",
            date=day,
            amount=value,
            message=_(
                "no bank reference: a line without one could be recorded twice; record it with "
                "`bizops contract receipt add --ref`"
            ),
        )
    if (
        ref in seen
        or session.execute(select(col(Receipt.id)).where(col(Receipt.bank_ref) == ref)).first()
    ):
        return _line(raw, "duplicate", date=day, amount=value)
    seen.add(ref)
    found = _candidates(session, book, raw, value)
    if len(found) != 1:
        return _line(
            raw, "ambiguous" if found else "unmatched", date=day, amount=value, candidates=found
        )
    try:
        with session.begin_nested():
            row = add_receipt(
                session,
                actor=actor,
                ref=found[0],
                amount=value,
                on=day,
                bank_ref=ref,
                payer=raw.get("payer") or None,
                today=today,
            )
    except BizopsError as exc:
        return _line(raw, "invalid", date=day, amount=value, contract=found[0], message=str(exc))
    return _line(raw, "recorded", date=day, amount=value, contract=found[0], receipt=row["id"])


def _ambiguous(session: Session, book: _Book, lines: list[dict[str, str]]) -> dict[str, list[str]]:
    """The credits that could belong to two contracts as the books stand before the import,
    by line: finance's call, so nothing is recorded until the file says which (a contract
    number in the memo)."""
    out = {}
    for raw in lines:
        try:
            value = parse_money(raw.get("amount", ""), field=_("amount"))
        except Invalid:
            continue
        found = _candidates(session, book, raw, value) if value > 0 else []
        if len(found) > 1:
            out[raw["line"]] = found
    return out


def _listed_ambiguous(raw: dict[str, str], found: list[str], today: date) -> BankLine:
    try:
        day: date | None = parse_date(raw.get("date", ""), today, field=_("date"))
    except Invalid:
        day = None
    value = parse_money(raw.get("amount", ""), field=_("amount"))
    return _line(raw, "ambiguous", date=day, amount=value, candidates=found)


def _refuse(file: str, ambiguous: dict[str, list[str]]) -> Conflict:
    return Conflict(
        _(
            "{file}: {count} line(s) match more than one contract; nothing was recorded: "
            "{lines}; put the contract number in their memo (or record them with "
            "`bizops contract receipt add`) and import again"
        ).format(
            file=file,
            count=len(ambiguous),
            lines="; ".join(
                _("line {line}: {contracts}").format(line=line, contracts=", ".join(found))
                for line, found in ambiguous.items()
            ),
        )
    )


def import_receipts(
    session: Session,
    *,
    actor: User,
    path: Path,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    today: date,
    encoding: str | None = None,
) -> list[BankLine]:
    """Match and (unless ``dry_run``) record a bank statement's credits; every line with
    what became of it. The dry run records every line as the real run would, in a savepoint
    it then rolls back, so that what it lists is what the import will do (a line beyond
    what is open, a reference repeated in the file, a date in the future)."""
    require_finance(actor, _("import receipts"))
    book = _book(session)
    lines = read_bank_file(path, mapping, encoding)
    ambiguous = _ambiguous(session, book, lines)
    if ambiguous and not dry_run:
        raise _refuse(path.name, ambiguous)
    seen: set[str] = set()
    trial = session.begin_nested()
    out = [
        _listed_ambiguous(raw, ambiguous[raw["line"]], today)
        if raw["line"] in ambiguous
        else _one(session, book, raw, actor, seen, today)
        for raw in lines
    ]
    if not dry_run:
        trial.commit()
        return out
    trial.rollback()
    for line in out:
        if line["status"] == "recorded":
            line["status"], line["receipt"] = "matched", None
    return out
