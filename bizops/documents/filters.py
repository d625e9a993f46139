"""Filters for templates: money, Chinese upper-case amounts (大写金额), dates, percentages.

The upper-case amount follows the financial writing rules (会计基础工作规范, 支付结算办法):
digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, ``元`` for the integer part, ``角`` and ``分``
for the fraction; one ``零`` stands for any run of zeros in the middle of the number (also
across the 万 and 亿 sections); an amount that ends at 元 ends with ``整``; ``零`` sits
between 元 and 分 when 角 is zero (``壹元零伍分``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from bizops.i18n import _

CENT = Decimal("0.01")
MAX_UPPER = Decimal("9999999999999.99")

DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_CURRENCY_SYMBOLS = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "GBP": "£"}
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def to_decimal(value: Any) -> Decimal:
    """A Decimal from a Decimal, int or numeric string; floats go through ``repr``."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise ValueError(_("{value} is not an amount").format(value=repr(value)))
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    else:
        try:
            result = Decimal(str(value).replace(",", "").strip())
        except InvalidOperation:
            raise ValueError(_("{value} is not a number").format(value=repr(value))) from None
    if not result.is_finite():
        raise ValueError(_("{value} is not a finite number").format(value=repr(value)))
    return result


def money(value: Any, currency: str = "CNY") -> str:
    """``¥120,000.00`` (a symbol for CNY, USD, EUR, GBP; the code otherwise)."""
    amount = to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    code = (currency or "CNY").upper()
    symbol = _CURRENCY_SYMBOLS.get(code)
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,.2f}"
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{code} {text}"


def money_code(value: Any, currency: str = "CNY") -> str:
    """``CNY 120,000.00``: the ISO code first, as contracts in English write it."""
    amount = to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{(currency or 'CNY').upper()} {amount:,.2f}"


def number(value: Any, places: int = 2) -> str:
    """``120,000.00`` with grouping."""
    amount = to_decimal(value)
    return f"{amount:,.{places}f}"


def percent(value: Any) -> str:
    """``30%``, ``0.05%``: the number as given, without trailing zeros."""
    amount = to_decimal(value)
    text = format(amount.normalize(), "f")
    return f"{text}%"


def _four(n: int) -> str:
    """Read 0 < n < 10000; a run of inner zeros becomes one 零, trailing zeros vanish."""
    out: list[str] = []
    pending_zero = False
    started = False
    for power in (3, 2, 1, 0):
        digit = (n // 10**power) % 10
        if digit == 0:
            if started:
                pending_zero = True
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(DIGITS[digit] + _SMALL_UNITS[power])
        started = True
    return "".join(out)


def _integer(n: int) -> str:
    """Read n > 0 with 万 and 亿 sections (万亿 for the thirteenth digit)."""
    if n >= 10**8:
        high, low = divmod(n, 10**8)
        text = _integer(high) + "亿"
        if low:
            text += ("零" if low < 10**7 else "") + _integer(low)
        return text
    if n >= 10**4:
        high, low = divmod(n, 10**4)
        text = _four(high) + "万"
        if low:
            text += ("零" if low < 10**3 else "") + _four(low)
        return text
    return _four(n)


def cn_upper(value: Any) -> str:
    """``120000`` -> ``壹拾贰万元整``; ``1000050.5`` -> ``壹佰万零伍拾元伍角``."""
    amount = to_decimal(value)
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValueError(_("{value} has more than two decimal places").format(value=repr(value)))
    amount = amount.quantize(CENT)
    if abs(amount) > MAX_UPPER:
        raise ValueError(
            _("{value} is larger than {maximum}").format(
                value=repr(value), maximum="9,999,999,999,999.99"
            )
        )
    sign = "负" if amount < 0 else ""
    cents = int((abs(amount) * 100).to_integral_value())
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    if cents == 0:
        return "零元整"
    text = _integer(yuan) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return sign + text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return sign + text


def parse_cn_upper(text: str) -> Decimal:
    """Read an upper-case amount back into a Decimal (the inverse of ``cn_upper``)."""
    raw = text.strip().removesuffix("整").removesuffix("正")
    negative = raw.startswith("负")
    raw = raw.removeprefix("负")
    if "元" in raw:
        integer_part, fraction_part = raw.split("元", 1)
    elif "圆" in raw:
        integer_part, fraction_part = raw.split("圆", 1)
    else:
        integer_part, fraction_part = "", raw
    total = section = digit = 0
    units = {"拾": 10, "佰": 100, "仟": 1000}
    for ch in integer_part:
        if ch in DIGITS:
            digit = DIGITS.index(ch)
        elif ch in units:
            section += (digit or (1 if ch == "拾" and not section else 0)) * units[ch]
            digit = 0
        elif ch == "万":
            section = (section + digit) * 10**4
            digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
        else:
            raise ValueError(
                _("unexpected {char} in {text}").format(char=repr(ch), text=repr(text))
            )
    cents = (total + section + digit) * 100
    digit = 0
    for ch in fraction_part:
        if ch in DIGITS:
            digit = DIGITS.index(ch)
        elif ch == "角":
            cents += digit * 10
            digit = 0
        elif ch == "分":
            cents += digit
            digit = 0
        else:
            raise ValueError(
                _("unexpected {char} in {text}").format(char=repr(ch), text=repr(text))
            )
    value = (Decimal(cents) / 100).quantize(CENT)
    return -value if negative else value


def to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(
            _("{value} is not a date (YYYY-MM-DD)").format(value=repr(value))
        ) from None


def cn_date(value: Any) -> str:
    """``2026年12月1日``."""
    day = to_date(value)
    return f"{day.year}年{day.month}月{day.day}日"


def en_date(value: Any) -> str:
    """``1 December 2026``."""
    day = to_date(value)
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def iso_date(value: Any) -> str:
    return to_date(value).isoformat()


def blank(value: Any, width: int = 12) -> str:
    """The value, or a line to fill in by hand when it is empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "_" * width
    return str(value)


def yes_no(value: Any, language: str = "zh") -> str:
    if language == "en":
        return "yes" if value else "no"
    return "是" if value else "否"


# Two-character surnames; any other Chinese name starts with a one-character surname.
_COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "端木",
        "南宫",
        "西门",
        "独孤",
    ]
)
# A title's word -> how Chinese business writing addresses its holder after the surname.
_ADDRESS_BY_TITLE: tuple[tuple[str, str], ...] = (
    ("董事长", "董"),
    ("总经理", "总"),
    ("总裁", "总"),
    ("总监", "总监"),
    ("经理", "经理"),
    ("主任", "主任"),
    ("主管", "主管"),
    ("部长", "部长"),
    ("工程师", "工"),
    ("教授", "教授"),
    ("老师", "老师"),
    ("律师", "律师"),
)


def salutation(name: Any, title: Any = "") -> str:
    """``王伟`` the ``采购经理`` -> ``王经理``: surname and title, as Chinese letters address people.

    A name that is not Chinese, or a title without a known word, gives the name unchanged.
    """
    text = str(name or "").strip()
    if not text or not all("\u4e00" <= ch <= "\u9fff" for ch in text) or len(text) > 4:
        return text
    surname = text[:2] if text[:2] in _COMPOUND_SURNAMES and len(text) > 2 else text[:1]
    role = str(title or "")
    for word, address in _ADDRESS_BY_TITLE:
        if word in role:
            return surname + address
    return text


FILTERS = {
    "money": money,
    "money_code": money_code,
    "number": number,
    "percent": percent,
    "cn_upper": cn_upper,
    "rmb_upper": cn_upper,
    "cn_date": cn_date,
    "en_date": en_date,
    "iso_date": iso_date,
    "blank": blank,
    "yes_no": yes_no,
    "salutation": salutation,
}
