"""The policy: cadence, grading, the approval matrix and the rest, validated as a whole.

The policy arrives as a plain dict (read from TOML by the service layer); ``build_policy``
checks every key and returns a frozen ``Policy`` or raises ``Invalid`` listing every problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bizops.domain.errors import Invalid
from bizops.domain.money import format_amount, parse_money
from bizops.domain.roles import APPROVER_ROLES, ROLES
from bizops.domain.vocab import CHANNELS, CONTRACT_TYPES, GRADES, INTENTS, RISKS, STAGES

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKEND_RULES = ("next", "previous", "keep")


@dataclass(frozen=True)
class GradingRule:
    grade: str
    potential_min: Decimal | None = None
    intents: tuple[str, ...] = ()

    def matches(self, potential: Decimal | None, intent: str | None) -> bool:
        if self.potential_min is not None and (potential is None or potential < self.potential_min):
            return False
        return not (self.intents and intent not in self.intents)

    def explain(self, potential: Decimal | None, intent: str | None) -> str:
        parts = []
        if self.potential_min is not None:
            parts.append(
                f"potential {format_amount(potential)} >= {format_amount(self.potential_min)}"
            )
        if self.intents:
            parts.append(f"intent {intent} in {'/'.join(self.intents)}")
        return f"{' and '.join(parts) or 'no condition'}: {self.grade}"


@dataclass(frozen=True)
class ApprovalRule:
    """One row of the authority matrix. Empty conditions match anything."""

    name: str
    chain: tuple[str, ...]
    types: tuple[str, ...] = ()
    amount_min: Decimal | None = None  # inclusive
    amount_max: Decimal | None = None  # exclusive
    risks: tuple[str, ...] = ()
    non_standard: bool | None = None

    @property
    def is_catch_all(self) -> bool:
        return (
            not self.types
            and self.amount_min is None
            and self.amount_max is None
            and not self.risks
            and self.non_standard is None
        )

    def matches(self, *, type: str, amount: Decimal, risk: str, non_standard: bool) -> bool:
        if self.types and type not in self.types:
            return False
        if self.amount_min is not None and amount < self.amount_min:
            return False
        if self.amount_max is not None and amount >= self.amount_max:
            return False
        if self.risks and risk not in self.risks:
            return False
        return self.non_standard is None or self.non_standard == non_standard

    def conditions(self) -> list[str]:
        out = []
        if self.types:
            out.append(f"type in {'/'.join(self.types)}")
        if self.amount_min is not None:
            out.append(f"amount >= {format_amount(self.amount_min)}")
        if self.amount_max is not None:
            out.append(f"amount < {format_amount(self.amount_max)}")
        if self.risks:
            out.append(f"risk in {'/'.join(self.risks)}")
        if self.non_standard is not None:
            out.append("non-standard" if self.non_standard else "standard")
        return out

    def describe(self) -> str:
        return " and ".join(self.conditions()) or "any contract"


@dataclass(frozen=True)
class MailSettings:
    host: str | None = None
    port: int = 587
    sender: str | None = None
    starttls: bool = True
    ssl: bool = False
    user: str | None = None
    password_env: str = "BIZOPS_SMTP_PASSWORD"
    subject: str = "bizops: what is due on {date}"
    timeout: float = 20.0

    def missing(self) -> list[str]:
        out = []
        if not self.host:
            out.append("mail.host")
        if not self.sender:
            out.append("mail.from")
        return out


@dataclass(frozen=True)
class Policy:
    currency: str
    company: dict[str, str]
    cadence: dict[str, dict[str, int | None]]  # grade -> stage -> days (None: no follow-up)
    first_contact: dict[str, int]
    channels: dict[str, tuple[str, ...]]
    grading_rules: tuple[GradingRule, ...]
    grading_default: str
    approval_rules: tuple[ApprovalRule, ...]
    approval_sla_days: int
    contract_number: str
    customer_code: str
    notice_days: int
    reminder_days: tuple[int, ...]
    weekend_rule: str
    weekend_days: frozenset[int]
    mail: MailSettings
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def cadence_days(self, grade: str, stage: str) -> int | None:
        return self.cadence.get(grade, {}).get(stage)

    def suggest_grade(self, potential: Decimal | None, intent: str | None) -> tuple[str, str]:
        """The suggested grade and the words that explain it."""
        for rule in self.grading_rules:
            if rule.matches(potential, intent):
                return rule.grade, rule.explain(potential, intent)
        shown = format_amount(potential) if potential is not None else "unknown"
        return (
            self.grading_default,
            f"no rule matches (potential {shown}, intent {intent or 'unknown'}): "
            f"{self.grading_default}",
        )

    def route(
        self, *, type: str, amount: Decimal, risk: str, non_standard: bool
    ) -> ApprovalRule | None:
        for rule in self.approval_rules:
            if rule.matches(type=type, amount=amount, risk=risk, non_standard=non_standard):
                return rule
        return None


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def merge_policy(defaults: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """A user file overrides the defaults key by key; a list (e.g. the matrix) replaces whole."""
    return _deep_merge(defaults, override)


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)


def _table(parent: dict[str, Any], key: str, where: str, problems: _Problems) -> dict[str, Any]:
    """A TOML table (section); anything else is a problem and counts as empty."""
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(f"{where}: expected a table ([{where}]), not {value!r}")
        return {}
    return value


def _rules(parent: dict[str, Any], where: str, problems: _Problems) -> list[Any]:
    """An array of tables ([[{where}]]); anything else is a problem and counts as empty."""
    value = parent.get("rules")
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(f"{where}: expected a list of rules ([[{where}]]), not {value!r}")
        return []
    return value


def _as_days(
    value: Any, where: str, problems: _Problems, *, allow_none: bool = False
) -> int | None:
    if value is None or (allow_none and value in ("none", "")):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(f"{where}: {value!r} is not a whole number of days")
        return None
    if value < 0:
        problems.add(f"{where}: {value} is negative; cadence days must be 0 or more")
        return None
    return value


def _amount(value: Any, where: str, problems: _Problems) -> Decimal | None:
    if value is None:
        return None
    try:
        return parse_money(value if not isinstance(value, float) else repr(value), field=where)
    except Invalid as exc:
        problems.add(exc.message)
        return None


def _string_list(
    value: Any, where: str, allowed: tuple[str, ...], problems: _Problems
) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.add(f"{where}: expected a list")
        return ()
    out = []
    for item in value:
        text = str(item).strip()
        if text not in allowed:
            problems.add(f"{where}: unknown value {item!r}; accepted: {', '.join(allowed)}")
        else:
            out.append(text)
    return tuple(out)


def _check_pattern(pattern: Any, where: str, keys: dict[str, Any], problems: _Problems) -> str:
    if not isinstance(pattern, str) or "{seq" not in pattern:
        problems.add(
            f"{where}: {pattern!r} must be a text containing {{seq}}, e.g. HT-{{year}}-{{seq:04d}}"
        )
        return str(pattern)
    try:
        pattern.format(**keys)
    except (KeyError, ValueError, IndexError) as exc:
        problems.add(
            f"{where}: {pattern!r} cannot be filled ({exc}); placeholders: {', '.join(keys)}"
        )
    return pattern


def build_policy(data: dict[str, Any]) -> Policy:
    """Check the whole policy; raise ``Invalid`` with every problem listed."""
    problems = _Problems()

    currency = str(data.get("currency", "CNY")).upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        problems.add(f"currency: {currency!r} is not a three-letter currency code")

    company = {str(k): str(v) for k, v in _table(data, "company", "company", problems).items()}

    cadence_raw = _table(data, "cadence", "cadence", problems)
    cadence: dict[str, dict[str, int | None]] = {}
    first_contact: dict[str, int] = {}
    first_raw = _table(cadence_raw, "first_contact", "cadence.first_contact", problems)
    for key in cadence_raw:
        if key not in GRADES and key != "first_contact":
            problems.add(f"cadence.{key}: unknown grade; grades are {', '.join(GRADES)}")
    for key in first_raw:
        if key not in GRADES:
            problems.add(
                f"cadence.first_contact.{key}: unknown grade; grades are {', '.join(GRADES)}"
            )
    for grade in GRADES:
        table = cadence_raw.get(grade)
        if not isinstance(table, dict):
            problems.add(f"cadence.{grade}: missing; give at least cadence.{grade}.default")
            continue
        default = _as_days(table.get("default"), f"cadence.{grade}.default", problems)
        if default is None and "default" not in table:
            problems.add(f"cadence.{grade}.default: missing")
        per_stage: dict[str, int | None] = {}
        for stage_key in table:
            if stage_key != "default" and stage_key not in STAGES:
                problems.add(
                    f"cadence.{grade}.{stage_key}: unknown stage; stages are {', '.join(STAGES)}"
                )
        for stage in STAGES:
            if stage in ("lost", "dormant"):
                if table.get(stage) not in (None, 0, "none"):
                    problems.add(
                        f"cadence.{grade}.{stage}: lost and dormant customers have no follow-up"
                    )
                per_stage[stage] = None
                continue
            value = table.get(stage, default)
            per_stage[stage] = _as_days(value, f"cadence.{grade}.{stage}", problems)
        cadence[grade] = per_stage
        first = _as_days(first_raw.get(grade, 1), f"cadence.first_contact.{grade}", problems)
        first_contact[grade] = first if first is not None else 1

    channels: dict[str, tuple[str, ...]] = {}
    channels_raw = _table(data, "channels", "channels", problems)
    for grade in GRADES:
        channels[grade] = _string_list(
            channels_raw.get(grade, ["phone"]), f"channels.{grade}", CHANNELS, problems
        ) or ("phone",)

    grading = _table(data, "grading", "grading", problems)
    rules: list[GradingRule] = []
    for i, rule in enumerate(_rules(grading, "grading.rules", problems), start=1):
        where = f"grading.rules[{i}]"
        if not isinstance(rule, dict):
            problems.add(f"{where}: expected a table")
            continue
        unknown = set(rule) - {"grade", "potential_min", "intent"}
        if unknown:
            problems.add(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        grade = str(rule.get("grade", "")).upper()
        if grade not in GRADES:
            problems.add(f"{where}.grade: {rule.get('grade')!r}; grades are {', '.join(GRADES)}")
        rules.append(
            GradingRule(
                grade=grade,
                potential_min=_amount(
                    rule.get("potential_min"), f"{where}.potential_min", problems
                ),
                intents=_string_list(rule.get("intent"), f"{where}.intent", INTENTS, problems),
            )
        )
    grading_default = str(grading.get("default", "C")).upper()
    if grading_default not in GRADES:
        problems.add(f"grading.default: {grading_default!r}; grades are {', '.join(GRADES)}")

    approval = _table(data, "approval", "approval", problems)
    matrix: list[ApprovalRule] = []
    names: set[str] = set()
    for i, rule in enumerate(_rules(approval, "approval.rules", problems), start=1):
        where = f"approval.rules[{i}]"
        if not isinstance(rule, dict):
            problems.add(f"{where}: expected a table")
            continue
        unknown = set(rule) - {
            "name",
            "chain",
            "types",
            "amount_min",
            "amount_max",
            "risk",
            "non_standard",
        }
        if unknown:
            problems.add(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        name = str(rule.get("name") or f"rule-{i}")
        if name in names:
            problems.add(f"{where}.name: {name!r} is used twice")
        names.add(name)
        chain_raw = rule.get("chain")
        chain: tuple[str, ...] = ()
        if not chain_raw:
            problems.add(f"{where}.chain: a rule needs a chain of at least one role")
        else:
            chain = _string_list(chain_raw, f"{where}.chain", ROLES, problems)
            for role in chain:
                if role not in APPROVER_ROLES:
                    problems.add(
                        f"{where}.chain: role {role!r} cannot approve; approver roles are "
                        f"{', '.join(APPROVER_ROLES)}"
                    )
            if len(set(chain)) != len(chain):
                problems.add(f"{where}.chain: a role appears twice; one person approves one step")
        amount_min = _amount(rule.get("amount_min"), f"{where}.amount_min", problems)
        amount_max = _amount(rule.get("amount_max"), f"{where}.amount_max", problems)
        if amount_min is not None and amount_max is not None and amount_max <= amount_min:
            problems.add(f"{where}: amount_max must be greater than amount_min")
        non_standard = rule.get("non_standard")
        if non_standard is not None and not isinstance(non_standard, bool):
            problems.add(f"{where}.non_standard: expected true or false")
            non_standard = None
        matrix.append(
            ApprovalRule(
                name=name,
                chain=chain,
                types=_string_list(rule.get("types"), f"{where}.types", CONTRACT_TYPES, problems),
                amount_min=amount_min,
                amount_max=amount_max,
                risks=_string_list(rule.get("risk"), f"{where}.risk", RISKS, problems),
                non_standard=non_standard,
            )
        )
    if not matrix:
        problems.add("approval.rules: the matrix is empty; every contract must be routable")
    elif not any(rule.is_catch_all for rule in matrix):
        problems.add(
            "approval.rules: no catch-all rule (one without conditions); some contracts "
            "would match no rule and could never be submitted"
        )
    else:
        first_catch_all = next(i for i, r in enumerate(matrix) if r.is_catch_all)
        if first_catch_all != len(matrix) - 1:
            later = ", ".join(r.name for r in matrix[first_catch_all + 1 :])
            problems.add(
                f"approval.rules: rule {matrix[first_catch_all].name!r} matches everything, so "
                f"the rules after it ({later}) can never apply"
            )
    sla = approval.get("sla_days", 2)
    if isinstance(sla, bool) or not isinstance(sla, int) or sla < 1:
        problems.add(f"approval.sla_days: {sla!r}; expected a whole number of working days >= 1")
        sla = 2

    numbering = _table(data, "numbering", "numbering", problems)
    contract_number = _check_pattern(
        numbering.get("contract", "HT-{year}-{seq:04d}"),
        "numbering.contract",
        {"year": 2026, "month": 1, "seq": 1, "type": "sales"},
        problems,
    )
    customer_code = _check_pattern(
        numbering.get("customer", "C{seq:04d}"), "numbering.customer", {"seq": 1}, problems
    )

    contracts = _table(data, "contracts", "contracts", problems)
    notice_days = contracts.get("notice_days", 30)
    if isinstance(notice_days, bool) or not isinstance(notice_days, int) or notice_days < 0:
        problems.add(f"contracts.notice_days: {notice_days!r}; expected days >= 0")
        notice_days = 30
    reminders = contracts.get("reminder_days", [30, 7, 0])
    if not isinstance(reminders, list) or not all(
        isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in reminders
    ):
        problems.add(f"contracts.reminder_days: {reminders!r}; expected a list of days >= 0")
        reminders = [30, 7, 0]

    cal = _table(data, "calendar", "calendar", problems)
    weekend_rule = str(cal.get("weekend_rule", "next"))
    if weekend_rule not in WEEKEND_RULES:
        problems.add(
            f"calendar.weekend_rule: {weekend_rule!r}; accepted: {', '.join(WEEKEND_RULES)}"
        )
        weekend_rule = "next"
    weekend_names = _string_list(
        cal.get("weekend_days", ["sat", "sun"]), "calendar.weekend_days", WEEKDAY_NAMES, problems
    )
    weekend_days = frozenset(WEEKDAY_NAMES.index(n) for n in weekend_names)
    if len(weekend_days) >= 7:
        problems.add("calendar.weekend_days: every day is a weekend day; nothing could fall due")

    mail_raw = _table(data, "mail", "mail", problems)
    port = mail_raw.get("port", 587)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        problems.add(f"mail.port: {port!r} is not a port number")
        port = 587
    timeout = mail_raw.get("timeout", 20.0)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        problems.add(f"mail.timeout: {timeout!r}; expected seconds > 0")
        timeout = 20.0
    mail = MailSettings(
        host=mail_raw.get("host") or None,
        port=port,
        sender=mail_raw.get("from") or None,
        starttls=bool(mail_raw.get("starttls", True)),
        ssl=bool(mail_raw.get("ssl", False)),
        user=mail_raw.get("user") or None,
        password_env=str(mail_raw.get("password_env", "BIZOPS_SMTP_PASSWORD")),
        subject=str(mail_raw.get("subject", "bizops: what is due on {date}")),
        timeout=float(timeout),
    )

    if problems.items:
        raise Invalid(f"the policy has {len(problems.items)} problem(s)", details=problems.items)
    return Policy(
        currency=currency,
        company=company,
        cadence=cadence,
        first_contact=first_contact,
        channels=channels,
        grading_rules=tuple(rules),
        grading_default=grading_default,
        approval_rules=tuple(matrix),
        approval_sla_days=int(sla),
        contract_number=contract_number,
        customer_code=customer_code,
        notice_days=int(notice_days),
        reminder_days=tuple(sorted(set(reminders), reverse=True)),
        weekend_rule=weekend_rule,
        weekend_days=weekend_days,
        mail=mail,
        raw=data,
    )
