"""The typed field schema of a template, and checking values against it.

A field has a name, a type (text, int, decimal, money, percent, date, bool, enum), whether
it is required, a default, choices (enum), bounds (min/max: length for text, value
otherwise), a pattern (text), a label and help that says what the clause means and how to
fill it in. Values arrive as text (``--set payment_days=30``) or as stored JSON; they are
normalised into JSON-safe values (money and decimals as strings, dates ISO) and typed into
Python values (Decimal, date, bool) for rendering.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from bizops.documents.checks import CHECKS
from bizops.domain.dates import parse_date
from bizops.domain.errors import Invalid
from bizops.domain.money import money_str, parse_money
from bizops.domain.text import has_control_chars
from bizops.domain.validate import check_line
from bizops.i18n import N_, _

FIELD_TYPES: tuple[str, ...] = (
    "text",
    "int",
    "decimal",
    "money",
    "percent",
    "date",
    "bool",
    "enum",
)
FIELD_KEYS: tuple[str, ...] = (
    "name",
    "type",
    "required",
    "default",
    "choices",
    "min",
    "max",
    "pattern",
    "check",
    "required_if",
    "label",
    "help",
)
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_TRUE = {"true", "yes", "y", "1", "on", "是", "对"}
_FALSE = {"false", "no", "n", "0", "off", "否", "不"}
MAX_TEXT = 4000


# What each type of field accepts, in words for error messages.
_ACCEPTED: dict[str, str] = {
    "text": N_("text"),
    "int": N_("a whole number"),
    "decimal": N_("a number"),
    "money": N_("an amount such as 120000, 120,000.50 or 12万"),
    "percent": N_("a percentage such as 30 or 12.5 (without %)"),
    "date": N_("a date YYYY-MM-DD"),
    "bool": N_("yes or no"),
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    label: str
    help: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    min: Any = None
    max: Any = None
    pattern: str | None = None
    check: str | None = None  # a named rule of CHECKS, e.g. credit_code
    required_if: str | None = None  # "other_field=value": required when that holds
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``bizops template fields``."""
        return {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "default": self.default,
            "choices": list(self.choices),
            "help": self.help,
            "label": self.label,
            "min": self.min,
            "max": self.max,
            "pattern": self.pattern,
            "check": self.check,
            "required_if": self.required_if,
        }

    def accepted(self) -> str:
        """Words for what this field accepts, for error messages."""
        if self.type == "enum":
            return _("one of {choices}").format(choices=", ".join(self.choices))
        text = self.type == "text"
        bounds = []
        if self.min is not None:
            least = _("at least {n} characters") if text else _("at least {n}")
            bounds.append(least.format(n=self.min))
        if self.max is not None:
            most = _("at most {n} characters") if text else _("at most {n}")
            bounds.append(most.format(n=self.max))
        if self.pattern:
            bounds.append(_("matching {pattern}").format(pattern=self.pattern))
        kind = _(_ACCEPTED[self.type])
        if not bounds:
            return kind
        return _("{kind} ({bounds})").format(kind=kind, bounds=_(", ").join(bounds))


def _number(value: Any, *, integer: bool) -> Decimal | int:
    if isinstance(value, bool):
        raise ValueError
    if integer:
        if isinstance(value, int):
            return value
        text = str(value).strip().replace(",", "")
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError
        return int(text)
    if isinstance(value, int | Decimal):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    else:
        text = str(value).strip().replace(",", "").removesuffix("%").strip()
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError from None
    if not result.is_finite():
        raise ValueError
    return result


def _bound(spec_type: str, value: Any, where: str, problems: list[str]) -> Any:
    """A min/max as given in a schema, checked for the field's type."""
    if value is None:
        return None
    try:
        if spec_type in ("text", "int"):
            return _number(value, integer=True)
        if spec_type == "date":
            return date.fromisoformat(str(value)).isoformat()
        if spec_type in ("decimal", "percent", "money"):
            return str(_number(value, integer=False))
    except ValueError:
        pass
    problems.append(
        _("{where}: {value} is not a valid bound for a {type} field").format(
            where=where, value=repr(value), type=spec_type
        )
    )
    return None


def parse_schema(
    raw: Any, *, where: str = "fields", reserved: frozenset[str] = frozenset()
) -> list[FieldSpec]:
    """Check a schema as written in TOML (a list of tables); ``Invalid`` lists every problem."""
    problems: list[str] = []
    specs: list[FieldSpec] = []
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise Invalid(_("{where}: expected a list of [[fields]] tables").format(where=where))
    seen: set[str] = set()
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(
                _("{where}: expected a table with name, type, label and help").format(
                    where=f"{where}[{i}]"
                )
            )
            continue
        spec = _parse_field(item, f"{where}[{i}]", where, seen, reserved, problems)
        if spec is not None:
            specs.append(spec)
    if problems:
        raise Invalid(
            _("the field schema has {count} problem(s)").format(count=len(problems)),
            details=problems,
        )
    return specs


def _field_name(
    item: dict[str, Any], at: str, seen: set[str], reserved: frozenset[str], problems: list[str]
) -> str:
    name = str(item.get("name", "")).strip()
    if not _NAME.match(name):
        problems.append(
            _(
                "{where}: name {name} must be lower-case letters, digits and _ "
                "(starting with a letter)"
            ).format(where=at, name=repr(name))
        )
    elif name in seen:
        problems.append(_("{where}: the field is declared twice").format(where=at))
    elif name in reserved:
        problems.append(
            _("{where}: {name} is a context variable ({names}); choose another name").format(
                where=at, name=repr(name), names=", ".join(sorted(reserved))
            )
        )
    seen.add(name)
    return name


def _field_texts(item: dict[str, Any], at: str, problems: list[str]) -> tuple[str, str, bool]:
    """The label and help people read, and whether the field is required."""
    label = str(item.get("label") or "").strip()
    help_text = str(item.get("help") or "").strip()
    if not label:
        problems.append(
            _("{where}: missing; a label names the field for people").format(where=f"{at}.label")
        )
    if not help_text:
        problems.append(
            _("{where}: missing; help says what the clause means and how to fill it in").format(
                where=f"{at}.help"
            )
        )
    required = item.get("required", False)
    if not isinstance(required, bool):
        problems.append(_("{where}: expected true or false").format(where=f"{at}.required"))
        required = False
    return label, help_text, required


def _field_limits(
    item: dict[str, Any], ftype: str, at: str, problems: list[str]
) -> tuple[tuple[str, ...], str | None]:
    """The choices (enum) and the pattern (text), each only where its type takes it."""
    choices_raw = item.get("choices") or []
    if not isinstance(choices_raw, list) or not all(isinstance(c, str) for c in choices_raw):
        problems.append(_("{where}: expected a list of texts").format(where=f"{at}.choices"))
        choices_raw = []
    choices = tuple(c.strip() for c in choices_raw)
    if ftype == "enum" and not choices:
        problems.append(
            _("{where}: an enum field needs at least one choice").format(where=f"{at}.choices")
        )
    if ftype != "enum" and choices:
        problems.append(_("{where}: only enum fields take choices").format(where=f"{at}.choices"))
    pattern = item.get("pattern")
    if pattern is not None:
        if ftype != "text":
            problems.append(
                _("{where}: only text fields take a pattern").format(where=f"{at}.pattern")
            )
        try:
            re.compile(str(pattern))
        except re.error as exc:
            problems.append(
                _("{where}: not a regular expression ({error})").format(
                    where=f"{at}.pattern", error=exc
                )
            )
    if ftype in ("bool", "enum") and (item.get("min") is not None or item.get("max") is not None):
        problems.append(_("{where}: {type} fields take no min/max").format(where=at, type=ftype))
    return choices, str(pattern) if pattern is not None else None


def _field_rules(
    item: dict[str, Any], ftype: str, at: str, problems: list[str]
) -> tuple[str | None, str | None]:
    """A named check (text fields) and the condition that makes the field required."""
    check = item.get("check")
    if check is not None and (ftype != "text" or str(check) not in CHECKS):
        problems.append(
            _("{where}: a text field's check is one of {checks}").format(
                where=f"{at}.check", checks=", ".join(CHECKS)
            )
        )
        check = None
    condition = item.get("required_if")
    if condition is not None and not re.fullmatch(r"[a-z][a-z0-9_]*=\S*", str(condition)):
        problems.append(
            _("{where}: expected FIELD=VALUE, e.g. dispute_resolution=arbitration").format(
                where=f"{at}.required_if"
            )
        )
        condition = None
    return (
        str(check) if check is not None else None,
        str(condition) if condition is not None else None,
    )


def _parse_field(
    item: dict[str, Any],
    at: str,
    where: str,
    seen: set[str],
    reserved: frozenset[str],
    problems: list[str],
) -> FieldSpec | None:
    unknown = set(item) - set(FIELD_KEYS)
    if unknown:
        problems.append(
            _("{where}: unknown key(s) {keys}; keys are {known}").format(
                where=at, keys=", ".join(sorted(unknown)), known=", ".join(FIELD_KEYS)
            )
        )
    name = _field_name(item, at, seen, reserved, problems)
    at = f"{where}.{name}" if name else at
    ftype = str(item.get("type", "text")).strip()
    if ftype not in FIELD_TYPES:
        problems.append(
            _("{where}: unknown type {type}; types are {types}").format(
                where=f"{at}.type", type=repr(ftype), types=", ".join(FIELD_TYPES)
            )
        )
        return None
    label, help_text, required = _field_texts(item, at, problems)
    choices, pattern = _field_limits(item, ftype, at, problems)
    check, required_if = _field_rules(item, ftype, at, problems)
    spec = FieldSpec(
        name=name,
        type=ftype,
        label=label,
        help=help_text,
        required=required,
        choices=choices,
        min=_bound(ftype, item.get("min"), f"{at}.min", problems),
        max=_bound(ftype, item.get("max"), f"{at}.max", problems),
        pattern=pattern,
        check=check,
        required_if=required_if,
    )
    default = item.get("default")
    if default is not None:
        try:
            default = normalise(spec, default)
        except Invalid as exc:
            problems.append(
                _("{where}: {problem}").format(where=f"{at}.default", problem=exc.message)
            )
            default = None
    return replace(spec, default=default)


Bad = Callable[..., Invalid]


def normalise(spec: FieldSpec, value: Any, today: date | None = None) -> Any:
    """The JSON-safe value of ``value`` for this field, or ``Invalid`` saying what is accepted.

    With ``today``, a date field also reads relative dates (``eom``, ``+1m``, ``fri``).
    """
    shown = value if not isinstance(value, str) else value.strip()

    def bad(reason: str | None = None) -> Invalid:
        return Invalid(
            _("{field}: {reason}; expected {accepted}").format(
                field=spec.name,
                reason=reason or _("cannot read {value}").format(value=repr(shown)),
                accepted=spec.accepted(),
            )
        )

    return _NORMALISERS.get(spec.type, _normalise_number)(spec, value, today, bad)


def _normalise_text(spec: FieldSpec, value: Any, today: date | None, bad: Bad) -> Any:
    text = str(value).strip()
    if has_control_chars(text):
        raise bad(_("contains control characters"))
    length = len(text)
    if spec.min is not None and length < int(spec.min):
        raise bad(_("{n} characters is too short").format(n=length))
    if length > (int(spec.max) if spec.max is not None else MAX_TEXT):
        raise bad(_("{n} characters is too long").format(n=length))
    if spec.pattern and text and not re.fullmatch(spec.pattern, text):
        raise bad(_("{value} does not match the pattern").format(value=repr(text)))
    if spec.check and text:
        rule = CHECKS[spec.check]
        problem = rule.problem(text)
        if problem:
            raise bad(_(problem))
        text = rule.clean(text)
    return text


def _normalise_enum(spec: FieldSpec, value: Any, today: date | None, bad: Bad) -> Any:
    text = str(value).strip()
    if text in spec.choices:
        return text
    folded = {c.casefold(): c for c in spec.choices}
    if text.casefold() not in folded:
        raise bad(_("unknown value {value}").format(value=repr(text)))
    return folded[text.casefold()]


def _normalise_bool(spec: FieldSpec, value: Any, today: date | None, bad: Bad) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise bad()


def _normalise_date(spec: FieldSpec, value: Any, today: date | None, bad: Bad) -> Any:
    if isinstance(value, date):
        day = value
    else:
        try:
            if today is not None:
                day = parse_date(str(value), today, field=spec.name)
            else:
                day = date.fromisoformat(str(value).strip())
        except (ValueError, Invalid):
            raise bad() from None
    _check_bounds(spec, day, date.fromisoformat, bad)
    return day.isoformat()


def _normalise_money(spec: FieldSpec, value: Any, today: date | None, bad: Bad) -> Any:
    try:
        amount = parse_money(
            value if not isinstance(value, float) else repr(value), field=spec.name
        )
    except Invalid:
        raise bad() from None
    _check_bounds(spec, amount, Decimal, bad)
    return money_str(amount)


def _normalise_number(spec: FieldSpec, value: Any, today: date | None, bad: Bad) -> Any:
    try:
        number = _number(value, integer=spec.type == "int")
    except ValueError:
        raise bad() from None
    if spec.type == "int":
        _check_bounds(spec, number, int, bad)
        return number
    _check_bounds(spec, number, Decimal, bad)
    return format(Decimal(number).normalize(), "f")


_NORMALISERS: dict[str, Callable[[FieldSpec, Any, date | None, Bad], Any]] = {
    "text": _normalise_text,
    "enum": _normalise_enum,
    "bool": _normalise_bool,
    "date": _normalise_date,
    "money": _normalise_money,
}


def _check_bounds(spec: FieldSpec, value: Any, convert: Any, bad: Any) -> None:
    if spec.min is not None and value < convert(spec.min):
        raise bad(_("{value} is below the minimum {minimum}").format(value=value, minimum=spec.min))
    if spec.max is not None and value > convert(spec.max):
        raise bad(_("{value} is above the maximum {maximum}").format(value=value, maximum=spec.max))


def typed(spec: FieldSpec, value: Any) -> Any:
    """The Python value of a normalised value, for rendering."""
    if value is None:
        return None
    if spec.type in ("money", "decimal", "percent"):
        return Decimal(str(value))
    if spec.type == "date":
        return date.fromisoformat(str(value))
    return value


@dataclass(frozen=True)
class Checked:
    """Values checked against a schema: every problem at once, not the first one."""

    values: dict[str, Any]  # normalised values of the schema's fields that were given
    unknown: dict[str, Any]  # names outside the schema, with the values as given
    problems: list[str]  # "field: what is wrong; expected ... -- help"
    missing: list[str]  # required fields without a value or default


def describe(spec: FieldSpec, message: str) -> str:
    return _("{problem} ({label}: {help})").format(
        problem=message, label=spec.label, help=spec.help
    )


def check_values(
    specs: list[FieldSpec], values: dict[str, Any], today: date | None = None
) -> Checked:
    by_name = {s.name: s for s in specs}
    out: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    problems: list[str] = []
    refused: set[str] = set()  # fields given a value that was refused: a problem, not missing
    for key, raw in values.items():
        name = str(key).strip()
        spec = by_name.get(name)
        if spec is None:
            try:
                unknown[name] = check_unlisted(name, raw)
            except Invalid as exc:
                problems.append(exc.message)
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            out[name] = normalise(spec, raw, today)
        except Invalid as exc:
            problems.append(describe(spec, exc.message))
            refused.add(name)
    full = {s.name: out.get(s.name, s.default) for s in specs}
    missing = [
        s.name
        for s in specs
        if (s.required or _condition_holds(s.required_if, full))
        and s.name not in out
        and s.default is None
        and s.name not in refused
    ]
    return Checked(values=out, unknown=unknown, problems=problems, missing=missing)


def _condition_holds(condition: str | None, values: dict[str, Any]) -> bool:
    if not condition:
        return False
    name, _sep, wanted = condition.partition("=")
    value = values.get(name)
    if isinstance(value, bool):
        return wanted.casefold() in _TRUE if value else wanted.casefold() in _FALSE
    return str("" if value is None else value) == wanted


def check_unlisted(name: str, value: Any) -> Any:
    """A value for a field outside the schema (``--set note=...``): it reaches the template
    and the documents like any field, so it gets the checks of a one-line text field: at most
    MAX_TEXT characters, no control characters, line breaks or bidi overrides."""
    check_line(name, _("--set field name"), max_length=64)
    if not isinstance(value, str):
        return value
    return check_line(value, name, max_length=MAX_TEXT) or ""


def with_defaults(specs: list[FieldSpec], values: dict[str, Any]) -> dict[str, Any]:
    """Every field of the schema: the given value, else the default, else None."""
    return {s.name: values.get(s.name, s.default) for s in specs}


def parse_assignments(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["payment_days=30", "place=上海"]`` -> a dict; a malformed item is ``Invalid``."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise Invalid(
                _("--set: {item} is not FIELD=VALUE, e.g. --set payment_days=30").format(
                    item=repr(item)
                )
            )
        key, value = item.split("=", 1)
        key = key.strip()
        if not key:
            raise Invalid(_("--set: {item} has no field name before '='").format(item=repr(item)))
        out[key] = value
    return out
