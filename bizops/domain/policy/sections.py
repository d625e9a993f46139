"""One reader per section of the policy. Each takes the merged policy (the shipped defaults
with the department's changes over them) and returns the ``Policy`` fields it owns."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from bizops.domain import workdays
from bizops.domain.currencies import ISO_4217
from bizops.domain.invoicing import INVOICING_KEYS, clean_invoicing_value, invoicing_problem
from bizops.domain.policy import check
from bizops.domain.policy.approval_section import approval
from bizops.domain.policy.check import Problems
from bizops.domain.policy.model import (
    DELIVERY_CHANNELS,
    ROBOT_CHANNELS,
    GradingRule,
    MailSettings,
    RobotSettings,
)
from bizops.domain.policy.quotes import quotes
from bizops.domain.vocab import CHANNELS, GRADES, INTENTS, STAGES
from bizops.i18n import N_, _

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKEND_RULES = ("next", "previous", "keep")
NO_FOLLOWUP_STAGES = ("lost", "dormant")

Fields = dict[str, Any]


def _code(value: Any, where: str, problems: Problems) -> str:
    code = str(value).upper()
    if code not in ISO_4217:
        problems.add(
            _("{where}: {code} is not a three-letter currency code of ISO 4217").format(
                where=where, code=repr(code)
            )
        )
    return code


def _rates(raw: Any, base: str, problems: Problems) -> dict[str, Decimal]:
    """``rates = {USD = 7.1, ...}``: base-currency units per unit, each a number above 0."""
    if not isinstance(raw, dict):
        problems.add(
            _("currency.rates: expected a table such as {example}, not {value}").format(
                example="{USD = 7.1, EUR = 7.7}", value=repr(raw)
            )
        )
        return {}
    out: dict[str, Decimal] = {}
    for key, value in raw.items():
        where = f"currency.rates.{key}"
        code = _code(key, where, problems)
        if code == base:
            problems.add(_("{where}: the base currency needs no rate").format(where=where))
            continue
        rate = _rate(value)
        if rate is None:
            problems.add(
                _(
                    "{where}: {value} is not a rate; expected a number greater than 0 "
                    "({base} per 1 {code})"
                ).format(where=where, value=repr(value), base=base, code=code)
            )
            continue
        out[code] = rate
    return out


def _rate(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        rate = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        return None
    return rate if rate.is_finite() and rate > 0 else None


def currency(data: dict[str, Any], problems: Problems) -> Fields:
    """``currency = "CNY"``, or the table ``[currency]`` with ``base`` and ``rates``."""
    raw = check.required(data, "currency", "currency", problems)
    if not isinstance(raw, dict):
        return {"currency": _code(raw, "currency", problems), "rates": {}}
    check.unknown_keys(raw, {"base", "rates"}, "currency", problems)
    given = check.required(raw, "base", "currency.base", problems)
    base = "CNY" if given is check.MISSING else _code(given, "currency.base", problems)
    return {"currency": base, "rates": _rates(raw.get("rates", {}), base, problems)}


def company(data: dict[str, Any], problems: Problems) -> Fields:
    raw = check.table(data, "company", "company", problems)
    out = {str(k): str(v) for k, v in raw.items()}
    # Our invoicing details (开票信息) are printed on every contract: checked as a customer's.
    for key in INVOICING_KEYS:
        value = out.get(key)
        problem = invoicing_problem(key, value) if value else None
        if problem:
            problems.add(_("company.{key}: {problem}").format(key=key, problem=_(problem)))
        elif value:
            out[key] = clean_invoicing_value(key, value)
    return {"company": out}


def _days(value: Any, where: str, problems: Problems) -> int | None:
    if value is None or value is check.MISSING:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        problems.add(
            _("{where}: {value} is negative; cadence days must be 0 or more").format(
                where=where, value=value
            )
        )
        return None
    return check.whole(value, where, problems, expected=N_("a whole number of days"))


def _grade_cadence(grade: str, table: dict[str, Any], problems: Problems) -> dict[str, int | None]:
    for stage_key in table:
        if stage_key != "default" and stage_key not in STAGES:
            problems.add(
                _("{where}: unknown stage; stages are {stages}").format(
                    where=f"cadence.{grade}.{stage_key}", stages=", ".join(STAGES)
                )
            )
    default = check.required(table, "default", f"cadence.{grade}.default", problems)
    per_stage: dict[str, int | None] = {}
    for stage in STAGES:
        if stage in NO_FOLLOWUP_STAGES:
            if table.get(stage) not in (None, 0, "none"):
                problems.add(
                    _("{where}: lost and dormant customers have no follow-up").format(
                        where=f"cadence.{grade}.{stage}"
                    )
                )
            per_stage[stage] = None
        else:
            per_stage[stage] = _days(
                table.get(stage, default), f"cadence.{grade}.{stage}", problems
            )
    return per_stage


def cadence(data: dict[str, Any], problems: Problems) -> Fields:
    raw = check.table(data, "cadence", "cadence", problems)
    first_raw = check.table(raw, "first_contact", "cadence.first_contact", problems)
    for key in raw:
        if key not in GRADES and key != "first_contact":
            problems.add(
                _("{where}: unknown grade; grades are {grades}").format(
                    where=f"cadence.{key}", grades=", ".join(GRADES)
                )
            )
    for key in first_raw:
        if key not in GRADES:
            problems.add(
                _("{where}: unknown grade; grades are {grades}").format(
                    where=f"cadence.first_contact.{key}", grades=", ".join(GRADES)
                )
            )
    per_grade: dict[str, dict[str, int | None]] = {}
    first_contact: dict[str, int] = {}
    for grade in GRADES:
        table = raw.get(grade)
        if not isinstance(table, dict):
            problems.add(
                _("{where}: missing; give at least {where}.default").format(
                    where=f"cadence.{grade}"
                )
            )
            continue
        per_grade[grade] = _grade_cadence(grade, table, problems)
        where = f"cadence.first_contact.{grade}"
        first = _days(check.required(first_raw, grade, where, problems), where, problems)
        first_contact[grade] = first if first is not None else 1
    return {"cadence": per_grade, "first_contact": first_contact}


def followups(data: dict[str, Any], problems: Problems) -> Fields:
    raw = check.table(data, "followups", "followups", problems)
    check.unknown_keys(raw, {"backdate_days"}, "followups", problems)
    where = "followups.backdate_days"
    days = check.whole(
        raw.get("backdate_days", 3),
        where,
        problems,
        maximum=365,
        expected=N_("a whole number of days"),
    )
    return {"backdate_days": days if days is not None else 3}


def channels(data: dict[str, Any], problems: Problems) -> Fields:
    raw = check.table(data, "channels", "channels", problems)
    out: dict[str, tuple[str, ...]] = {}
    for grade in GRADES:
        where = f"channels.{grade}"
        value = check.required(raw, grade, where, problems)
        out[grade] = check.string_list(value, where, CHANNELS, problems) or ("phone",)
    return {"channels": out}


def _grading_rule(i: int, rule: Any, problems: Problems) -> GradingRule | None:
    where = f"grading.rules[{i}]"
    if not isinstance(rule, dict):
        problems.add(_("{where}: expected a table").format(where=where))
        return None
    check.unknown_keys(rule, {"grade", "potential_min", "intent"}, where, problems)
    grade = str(rule.get("grade", "")).upper()
    if grade not in GRADES:
        problems.add(
            _("{where}: {value}; grades are {grades}").format(
                where=f"{where}.grade", value=repr(rule.get("grade")), grades=", ".join(GRADES)
            )
        )
    return GradingRule(
        grade=grade,
        potential_min=check.amount(rule.get("potential_min"), f"{where}.potential_min", problems),
        intents=check.string_list(rule.get("intent"), f"{where}.intent", INTENTS, problems),
    )


def grading(data: dict[str, Any], problems: Problems) -> Fields:
    raw = check.table(data, "grading", "grading", problems)
    found = [
        _grading_rule(i, rule, problems)
        for i, rule in enumerate(check.rules(raw, "rules", "grading.rules", problems), start=1)
    ]
    default = str(check.required(raw, "default", "grading.default", problems)).upper()
    if default not in GRADES:
        problems.add(
            _("{where}: {value}; grades are {grades}").format(
                where="grading.default", value=repr(default), grades=", ".join(GRADES)
            )
        )
    return {"grading_rules": tuple(r for r in found if r), "grading_default": default}


def numbering(data: dict[str, Any], problems: Problems) -> Fields:
    raw = check.table(data, "numbering", "numbering", problems)
    contract_keys = {"year": 2026, "month": 1, "seq": 1, "type": "sales"}
    return {
        "contract_number": check.pattern(
            check.required(raw, "contract", "numbering.contract", problems),
            "numbering.contract",
            contract_keys,
            problems,
        ),
        "customer_code": check.pattern(
            check.required(raw, "customer", "numbering.customer", problems),
            "numbering.customer",
            {"seq": 1},
            problems,
        ),
    }


def contracts(data: dict[str, Any], problems: Problems) -> Fields:
    raw = check.table(data, "contracts", "contracts", problems)
    notice = check.whole(
        check.required(raw, "notice_days", "contracts.notice_days", problems),
        "contracts.notice_days",
        problems,
        expected=N_("days"),
    )
    reminders = check.required(raw, "reminder_days", "contracts.reminder_days", problems)
    if not isinstance(reminders, list) or not all(
        isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in reminders
    ):
        if reminders is not check.MISSING:
            problems.add(
                _("contracts.reminder_days: {value}; expected a list of days >= 0").format(
                    value=repr(reminders)
                )
            )
        reminders = [30, 7, 0]
    seal = raw.get("seal_required", False)
    if not isinstance(seal, bool):
        problems.add(_("{where}: expected true or false").format(where="contracts.seal_required"))
        seal = False
    return {
        "notice_days": 30 if notice is None else notice,
        "reminder_days": tuple(sorted(set(reminders), reverse=True)),
        "seal_required": seal,
    }


def _day_range(item: Any) -> list[date] | None:
    """A date (TOML or ``"2027-01-01"``), or the days of ``"2027-02-06..2027-02-14"``."""
    if isinstance(item, date) and not isinstance(item, datetime):
        return [item]
    first, _sep, last = str(item).partition("..")
    try:
        start = date.fromisoformat(first.strip())
        end = date.fromisoformat(last.strip()) if last else start
    except ValueError:
        return None
    if end < start or (end - start).days > 366:
        return None
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _day_list(value: Any, where: str, problems: Problems) -> frozenset[date]:
    if value is None or value is check.MISSING:
        return frozenset()
    if not isinstance(value, list):
        problems.add(_("{where}: expected a list of dates").format(where=where))
        return frozenset()
    days: set[date] = set()
    for item in value:
        found = _day_range(item)
        if found is None:
            problems.add(
                _("{where}: {value} is not a date (YYYY-MM-DD) or a range (FROM..TO)").format(
                    where=where, value=repr(item)
                )
            )
        else:
            days.update(found)
    return frozenset(days)


def calendar(data: dict[str, Any], problems: Problems) -> Fields:
    raw = check.table(data, "calendar", "calendar", problems)
    rule = str(check.required(raw, "weekend_rule", "calendar.weekend_rule", problems))
    if rule not in WEEKEND_RULES:
        problems.add(
            _("calendar.weekend_rule: {rule}; accepted: {accepted}").format(
                rule=repr(rule), accepted=", ".join(WEEKEND_RULES)
            )
        )
        rule = "next"
    names = check.string_list(
        check.required(raw, "weekend_days", "calendar.weekend_days", problems),
        "calendar.weekend_days",
        WEEKDAY_NAMES,
        problems,
    )
    days = frozenset(WEEKDAY_NAMES.index(n) for n in names)
    if len(days) >= 7:
        problems.add(_("calendar.weekend_days: every day is a weekend day; nothing could fall due"))
    kind = str(raw.get("calendar", workdays.PRC))
    if kind not in workdays.KINDS:
        problems.add(
            _("calendar.calendar: {kind}; accepted: {accepted}").format(
                kind=repr(kind), accepted=", ".join(workdays.KINDS)
            )
        )
        kind = workdays.PRC
    off = _day_list(raw.get("holidays"), "calendar.holidays", problems)
    on = _day_list(raw.get("workdays"), "calendar.workdays", problems)
    for day in sorted(off & on):
        problems.add(
            _("calendar: {day} is both a holiday and a working day").format(day=day.isoformat())
        )
    work = workdays.WorkCalendar(kind, days, off - on, on - off)
    return {"weekend_rule": rule, "weekend_days": days, "calendar": work}


ROBOT_KEYS = {"name", "via", "url", "secret", "secret_env", "users"}


def _text(value: Any, where: str, problems: Problems) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        problems.add(
            _("{where}: expected a text, not {value}").format(where=where, value=repr(value))
        )
        return None
    return value.strip() or None


def _robot(i: int, raw: Any, problems: Problems) -> RobotSettings | None:
    where = f"mail.robots[{i}]"
    if not isinstance(raw, dict):
        problems.add(_("{where}: expected a table").format(where=where))
        return None
    check.unknown_keys(raw, ROBOT_KEYS, where, problems)
    via = str(raw.get("via", ""))
    if via not in ROBOT_CHANNELS:
        problems.add(
            _("{where}.via: {value}; accepted: {accepted}").format(
                where=where, value=repr(via), accepted=", ".join(ROBOT_CHANNELS)
            )
        )
        return None
    url = _text(raw.get("url"), f"{where}.url", problems)
    if url is not None and not url.startswith(("https://", "http://")):
        problems.add(
            _("{where}.url: the robot's webhook must be an http(s) address").format(where=where)
        )
        url = None
    users = raw.get("users") or []
    if not isinstance(users, list) or not all(isinstance(u, str) and u.strip() for u in users):
        problems.add(_("{where}.users: expected a list of logins").format(where=where))
        users = []
    return RobotSettings(
        name=_text(raw.get("name"), f"{where}.name", problems) or f"{via}-{i}",
        via=via,
        url=url,
        secret=_text(raw.get("secret"), f"{where}.secret", problems),
        secret_env=_text(raw.get("secret_env"), f"{where}.secret_env", problems),
        users=tuple(u.strip() for u in users),
    )


def _check_robots(robots: list[RobotSettings], problems: Problems) -> None:
    """Names are unique; each user has at most one robot, and each channel one default."""
    names: set[str] = set()
    taken: dict[tuple[str, str], str] = {}
    for robot in robots:
        if robot.name in names:
            problems.add(
                _("mail.robots: the name {name} is used twice").format(name=repr(robot.name))
            )
        names.add(robot.name)
        for login in robot.users or ("",):
            other = taken.setdefault((robot.via, login), robot.name)
            if other == robot.name:
                continue
            if login:
                problems.add(
                    _("mail.robots: {login} is in two {via} robots ({first}, {second})").format(
                        login=login, via=robot.via, first=other, second=robot.name
                    )
                )
            else:
                problems.add(
                    _(
                        "mail.robots: two {via} robots name no users ({first}, {second}); "
                        "only one may take everyone else's reports"
                    ).format(via=robot.via, first=other, second=robot.name)
                )


def _robots(raw: dict[str, Any], problems: Problems) -> tuple[RobotSettings, ...]:
    found = [
        _robot(i, item, problems)
        for i, item in enumerate(check.rules(raw, "robots", "mail.robots", problems), start=1)
    ]
    robots = [r for r in found if r is not None]
    _check_robots(robots, problems)
    return tuple(robots)


def mail(data: dict[str, Any], problems: Problems) -> Fields:
    raw = check.table(data, "mail", "mail", problems)
    port = check.whole(
        check.required(raw, "port", "mail.port", problems),
        "mail.port",
        problems,
        minimum=1,
        maximum=65535,
        expected="a port number",
    )
    timeout = raw.get("timeout", 20.0)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        problems.add(_("mail.timeout: {value}; expected seconds > 0").format(value=repr(timeout)))
        timeout = 20.0
    via = str(raw.get("via", "email"))
    if via not in DELIVERY_CHANNELS:
        problems.add(
            _("mail.via: {value}; accepted: {accepted}").format(
                value=repr(via), accepted=", ".join(DELIVERY_CHANNELS)
            )
        )
        via = "email"
    settings = MailSettings(
        host=raw.get("host") or None,
        port=port or 587,
        sender=raw.get("from") or None,
        starttls=bool(raw.get("starttls", True)),
        ssl=bool(raw.get("ssl", False)),
        user=raw.get("user") or None,
        password_env=str(check.required(raw, "password_env", "mail.password_env", problems)),
        subject=str(check.required(raw, "subject", "mail.subject", problems)),
        timeout=float(timeout),
        via=via,
        robots=_robots(raw, problems),
    )
    return {"mail": settings}


# In the order `config check` reports their problems.
ALL = (
    currency,
    company,
    cadence,
    followups,
    channels,
    grading,
    approval,
    numbering,
    contracts,
    calendar,
    mail,
    quotes,
)
