"""Currency codes (ISO 4217, the active codes) and the currency an amount is written in."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal

from bizops.domain.errors import Invalid
from bizops.i18n import _

# ISO 4217 active codes (list one, 2024), without the fund and metal codes.
ISO_4217 = frozenset(
    [
        "AED",
        "AFN",
        "ALL",
        "AMD",
        "ANG",
        "AOA",
        "ARS",
        "AUD",
        "AWG",
        "AZN",
        "BAM",
        "BBD",
        "BDT",
        "BGN",
        "BHD",
        "BIF",
        "BMD",
        "BND",
        "BOB",
        "BRL",
        "BSD",
        "BTN",
        "BWP",
        "BYN",
        "BZD",
        "CAD",
        "CDF",
        "CHF",
        "CLP",
        "CNY",
        "COP",
        "CRC",
        "CUP",
        "CVE",
        "CZK",
        "DJF",
        "DKK",
        "DOP",
        "DZD",
        "EGP",
        "ERN",
        "ETB",
        "EUR",
        "FJD",
        "FKP",
        "GBP",
        "GEL",
        "GHS",
        "GIP",
        "GMD",
        "GNF",
        "GTQ",
        "GYD",
        "HKD",
        "HNL",
        "HTG",
        "HUF",
        "IDR",
        "ILS",
        "INR",
        "IQD",
        "IRR",
        "ISK",
        "JMD",
        "JOD",
        "JPY",
        "KES",
        "KGS",
        "KHR",
        "KMF",
        "KPW",
        "KRW",
        "KWD",
        "KYD",
        "KZT",
        "LAK",
        "LBP",
        "LKR",
        "LRD",
        "LSL",
        "LYD",
        "MAD",
        "MDL",
        "MGA",
        "MKD",
        "MMK",
        "MNT",
        "MOP",
        "MRU",
        "MUR",
        "MVR",
        "MWK",
        "MXN",
        "MYR",
        "MZN",
        "NAD",
        "NGN",
        "NIO",
        "NOK",
        "NPR",
        "NZD",
        "OMR",
        "PAB",
        "PEN",
        "PGK",
        "PHP",
        "PKR",
        "PLN",
        "PYG",
        "QAR",
        "RON",
        "RSD",
        "RUB",
        "RWF",
        "SAR",
        "SBD",
        "SCR",
        "SDG",
        "SEK",
        "SGD",
        "SHP",
        "SLE",
        "SOS",
        "SRD",
        "SSP",
        "STN",
        "SVC",
        "SYP",
        "SZL",
        "THB",
        "TJS",
        "TMT",
        "TND",
        "TOP",
        "TRY",
        "TTD",
        "TWD",
        "TZS",
        "UAH",
        "UGX",
        "USD",
        "UYU",
        "UZS",
        "VES",
        "VND",
        "VUV",
        "WST",
        "XAF",
        "XCD",
        "XCG",
        "XOF",
        "XPF",
        "YER",
        "ZAR",
        "ZMW",
        "ZWG",
    ]
)

# What a written amount may carry, and the codes each mark can mean.
_MARKS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (re.compile(r"^[+-]?¥|元|块|圆|^(?:cny|rmb)|(?:cny|rmb)$", re.IGNORECASE), frozenset({"CNY"})),
    (re.compile(r"^[+-]?\$|^usd|usd$", re.IGNORECASE), frozenset({"USD"})),
    (re.compile(r"^[+-]?€|^eur|eur$", re.IGNORECASE), frozenset({"EUR"})),
    (re.compile(r"^[+-]?£|^gbp|gbp$", re.IGNORECASE), frozenset({"GBP"})),
)
# ¥ is also the yen's sign.
_YEN_TOO = frozenset({"CNY", "JPY"})


def check_currency_code(value: str, field: str = "--currency") -> str:
    """An ISO 4217 code, upper-cased; an unknown code is ``Invalid`` with the close ones."""
    text = unicodedata.normalize("NFKC", str(value)).strip().upper()
    if text in ISO_4217:
        return text
    close = difflib.get_close_matches(text, sorted(ISO_4217), n=4, cutoff=0.5)
    if close:
        raise Invalid(
            _("{field}: {value} is not an ISO 4217 currency code; did you mean {close}?").format(
                field=field, value=repr(value), close=", ".join(close)
            )
        )
    raise Invalid(
        _("{field}: {value} is not an ISO 4217 currency code such as CNY, USD or EUR").format(
            field=field, value=repr(value)
        )
    )


def written_currencies(text: str) -> frozenset[str] | None:
    """The currencies an amount's sign or code can mean (``$100`` -> USD), None without one."""
    raw = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    for pattern, codes in _MARKS:
        if pattern.search(raw):
            return _YEN_TOO if codes == {"CNY"} and "¥" in raw else codes
    return None


def check_written_currency(text: object, currency: str, field: str = "--amount") -> None:
    """Refuse an amount whose sign or code disagrees with the contract's currency."""
    if not isinstance(text, str):
        return
    meant = written_currencies(text)
    if meant is not None and currency not in meant:
        raise Invalid(
            _(
                "{field}: {value} is written in {written}, but the currency is {currency}; "
                "write the amount without a sign, or give --currency {written}"
            ).format(
                field=field, value=repr(text), written="/".join(sorted(meant)), currency=currency
            )
        )


def to_base(amount: Decimal, currency: str, *, base: str, rates: Mapping[str, Decimal]) -> Decimal:
    """``amount`` in ``currency`` converted to the ``base`` currency, exactly (no rounding):
    ``rates`` gives the base-currency units one unit of each other currency is worth.
    ``Invalid`` naming the missing rate and how to add it when ``currency`` has none."""
    code = currency.upper()
    if code == base:
        return amount
    rate = rates.get(code)
    if rate is None:
        raise Invalid(
            _(
                "no exchange rate from {currency} to the base currency {base}: an admin adds "
                "{currency} = <{base} per 1 {currency}> to rates in the [currency] section of "
                "the policy and applies it (`bizops config apply FILE`)"
            ).format(currency=code, base=base)
        )
    return amount * rate
