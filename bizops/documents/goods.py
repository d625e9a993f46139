"""The goods table of a sales or purchase contract: lines, their amounts and their total.

A line has 品名 (name), 规格型号 (spec), 单位 (unit), 数量 (quantity), 单价 (unit price,
tax included), 金额 (amount = quantity x unit price) and 税率 (tax rate, %). Lines are typed
as ``--set goods.1.name=... --set goods.1.quantity=2 ...`` or come from a quotation as a
list of dicts (``normalise_lines``); they are stored on the contract as ``goods``. The
table's total must equal the contract amount.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypedDict

from bizops.domain.errors import Invalid
from bizops.domain.money import CENT, format_money, money_str, parse_money
from bizops.i18n import _

GOODS_KEY = "goods"
GOODS_TYPES = frozenset({"sales", "purchase"})
LINE_KEYS: tuple[str, ...] = ("name", "spec", "unit", "quantity", "unit_price", "tax_rate")
_ASSIGNMENT = re.compile(r"^goods\.(\d{1,3})\.([a-z_]+)$")
MAX_LINES = 200


class GoodsLine(TypedDict):
    """One line of the goods table, JSON-safe (money and numbers as text)."""

    name: str
    spec: str
    unit: str
    quantity: str
    unit_price: str
    amount: str
    tax_rate: str


def split_goods(values: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """``goods.N.key`` assignments (or a stored ``goods`` list) apart from the other values.

    Returns the other values and the lines as given (None when there are none), in line order.
    """
    rest: dict[str, Any] = {}
    numbered: dict[int, dict[str, Any]] = {}
    lines: list[dict[str, Any]] | None = None
    for key, value in values.items():
        name = str(key).strip()
        if name == GOODS_KEY and not value:
            continue
        match = _ASSIGNMENT.match(name)
        if name == GOODS_KEY:
            if not isinstance(value, list):
                raise Invalid(_("goods: expected a list of lines"))
            lines = [dict(v) for v in value if isinstance(v, dict)]
        elif match:
            numbered.setdefault(int(match.group(1)), {})[match.group(2)] = value
        else:
            rest[name] = value
    if numbered:
        # ``goods.2.quantity=5`` changes line 2 of a stored table; a new number adds a line.
        merged = {i: line for i, line in enumerate(lines or [], start=1)}
        for n in sorted(numbered):
            merged[n] = {**merged.get(n, {}), **numbered[n]}
        lines = [merged[n] for n in sorted(merged)]
    return rest, lines


def _decimal(value: Any, where: str, what: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "").removesuffix("%"))
    except InvalidOperation:
        raise Invalid(
            _("{where}: cannot read {value}; expected {what}").format(
                where=where, value=repr(value), what=what
            )
        ) from None
    if not number.is_finite() or number < 0:
        raise Invalid(
            _("{where}: {value} must be zero or more").format(where=where, value=repr(value))
        )
    return number


def normalise_line(raw: dict[str, Any], number: int, default_tax_rate: Any = None) -> GoodsLine:
    """One line checked: name, quantity and unit price required; the amount is computed."""
    where = f"goods.{number}"
    unknown = sorted(set(raw) - set(LINE_KEYS) - {"amount"})
    if unknown:
        raise Invalid(
            _("{where}: unknown column(s) {names}; columns are {known}").format(
                where=where, names=", ".join(unknown), known=", ".join(LINE_KEYS)
            )
        )
    name = str(raw.get("name") or "").strip()
    if not name:
        raise Invalid(_("{where}.name: every line needs a name (品名)").format(where=where))
    quantity = _decimal(raw.get("quantity", ""), f"{where}.quantity", _("a number"))
    price = parse_money(str(raw.get("unit_price", "")), field=f"{where}.unit_price")
    amount = (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP)
    rate_raw = raw.get("tax_rate")
    if rate_raw in (None, "") and default_tax_rate not in (None, ""):
        rate_raw = default_tax_rate
    rate = _decimal(rate_raw if rate_raw not in (None, "") else 0, f"{where}.tax_rate", "%")
    return {
        "name": name,
        "spec": str(raw.get("spec") or "").strip(),
        "unit": str(raw.get("unit") or "").strip(),
        "quantity": format(quantity.normalize(), "f"),
        "unit_price": money_str(price) or "0.00",
        "amount": money_str(amount) or "0.00",
        "tax_rate": format(rate.normalize(), "f"),
    }


def normalise_lines(lines: list[dict[str, Any]], default_tax_rate: Any = None) -> list[GoodsLine]:
    """Lines from ``--set goods.N.*`` or a quotation, checked and with their amounts."""
    if len(lines) > MAX_LINES:
        raise Invalid(_("goods: at most {n} lines").format(n=MAX_LINES))
    return [normalise_line(raw, i, default_tax_rate) for i, raw in enumerate(lines, start=1)]


def lines_total(lines: list[GoodsLine]) -> Decimal:
    return sum((Decimal(line["amount"]) for line in lines), Decimal("0.00"))


def check_total(lines: list[GoodsLine], amount: Decimal | None) -> None:
    """The table's total equals the contract amount, or ``Invalid`` says by how much not."""
    if not lines or amount is None:
        return
    total = lines_total(lines)
    if total != Decimal(amount):
        raise Invalid(
            _(
                "goods: the lines total {total} but the contract amount is {amount}; "
                "correct the quantities or prices, or the amount"
            ).format(total=format_money(total), amount=format_money(Decimal(amount)))
        )
