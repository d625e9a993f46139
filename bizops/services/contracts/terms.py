"""Reading and checking a contract's terms as the user typed them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bizops.domain.currencies import check_currency_code
from bizops.domain.errors import Invalid
from bizops.domain.money import parse_money
from bizops.domain.policy import Policy
from bizops.domain.validate import check_text
from bizops.i18n import _

MAX_NOTICE_DAYS = 3650


def check_title(value: str | None, field: str = "--title") -> str:
    text = check_text(value, field, required=True, max_length=300)
    assert text is not None
    return text


def check_amount(value: str | Decimal, field: str = "--amount") -> Decimal:
    amount = parse_money(value, field=field)
    if amount <= 0:
        raise Invalid(
            _("{field}: {value} is not a contract amount; it must be greater than zero").format(
                field=field, value=value
            )
        )
    return amount


# Contract types that may have no amount: an NDA has no price.
AMOUNT_OPTIONAL: frozenset[str] = frozenset({"nda"})


def check_optional_amount(value: str | Decimal | None, contract_type: str) -> Decimal | None:
    """The amount, which only a contract type in AMOUNT_OPTIONAL may leave out."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if contract_type in AMOUNT_OPTIONAL:
            return None
        raise Invalid(
            _("--amount: a {type} contract needs an amount (only an NDA may have none)").format(
                type=contract_type
            )
        )
    return check_amount(value)


def check_currency(value: str | None, policy: Policy) -> str:
    """An ISO 4217 code (the policy's currency when none is given)."""
    return check_currency_code(value or policy.currency, "--currency")


def check_notice_days(value: int | None, policy: Policy) -> int:
    if value is None:
        return policy.notice_days
    if value < 0 or value > MAX_NOTICE_DAYS:
        raise Invalid(
            _("--notice-days: {value}; expected 0 to {most} days").format(
                value=value, most=MAX_NOTICE_DAYS
            )
        )
    return value


def check_period(
    start: date, end: date, *, end_field: str = "--end", start_field: str = "--start"
) -> None:
    if end < start:
        raise Invalid(
            _("{end_field}: {end} is before {start_field} {start}").format(
                end_field=end_field,
                end=end.isoformat(),
                start_field=start_field,
                start=start.isoformat(),
            )
        )


def check_reason(
    value: str | None, field: str = "--reason", *, required: bool = True
) -> str | None:
    return check_text(value, field, required=required, max_length=2000)


def not_future(day: date, today: date, field: str) -> date:
    if day > today:
        raise Invalid(
            _("{field}: {day} is in the future (today is {today})").format(
                field=field, day=day.isoformat(), today=today.isoformat()
            )
        )
    return day


def parse_assignments(items: Iterable[str] | None, *, option: str = "--set") -> dict[str, str]:
    """``["amount=12万", "end=2027-06-30"]`` as a dict; a field given twice is an error."""
    out: dict[str, str] = {}
    for item in items or ():
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise Invalid(
                _("{option}: {item!r} is not FIELD=VALUE (e.g. {option} payment_days=30)").format(
                    option=option, item=item
                )
            )
        if name in out:
            raise Invalid(
                _("{option}: field {name!r} is given twice").format(option=option, name=name)
            )
        out[name] = value.strip()
    return out


def json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def template_ref(name: str | None, version: int | None) -> str | None:
    if not name:
        return None
    return f"{name}@{version}" if version is not None else name
