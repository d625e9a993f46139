"""The `[approval]` section: the authority matrix, its chains (roles and groups of roles),
the limits option per rule, the quote matrix (its chains and limits read the same way), and
the copy-to (抄送) rules, which may name a rule of either matrix."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from bizops.domain.approval_steps import ALL, ANY, LIMIT_MODES, LIMITS_EVERY, group_label
from bizops.domain.policy import check
from bizops.domain.policy.check import Problems
from bizops.domain.policy.model import ApprovalRule, CcRule
from bizops.domain.policy.quotes import QuoteRule
from bizops.domain.roles import APPROVER_ROLES, ROLES
from bizops.domain.vocab import CONTRACT_TYPES, RISKS
from bizops.i18n import N_, _

Fields = dict[str, Any]

APPROVAL_RULE_KEYS = {
    "name",
    "chain",
    "types",
    "amount_min",
    "amount_max",
    "risk",
    "non_standard",
    "limits",
}
QUOTE_RULE_KEYS = {
    "name",
    "chain",
    "line_discount_above",
    "total_discount_above",
    "amount_min",
    "amount_max",
    "below_floor",
    "limits",
}
CC_KEYS = {"rules", "roles", "users"}


def _approver(role: str, where: str, problems: Problems) -> None:
    if role not in APPROVER_ROLES:
        problems.add(
            _("{where}: role {role} cannot approve; approver roles are {roles}").format(
                where=where, role=repr(role), roles=", ".join(APPROVER_ROLES)
            )
        )


def _group(item: dict[str, Any], where: str, problems: Problems) -> str | None:
    """``{all = [...]}`` (会签) or ``{any = [...]}`` (或签) as a step label."""
    if len(item) != 1 or next(iter(item)) not in (ALL, ANY):
        problems.add(
            _(
                "{where}: a group step is {{all = [ROLES]}} or {{any = [ROLES]}}, not {value}"
            ).format(where=where, value=repr(item))
        )
        return None
    mode, members = next(iter(item.items()))
    roles = check.string_list(members, f"{where}.{mode}", ROLES, problems)
    if not isinstance(members, list) or len(members) < 2:
        problems.add(_("{where}: a group needs at least two roles").format(where=f"{where}.{mode}"))
        return None
    for role in roles:
        _approver(role, f"{where}.{mode}", problems)
    if len(roles) != len(members):
        return None
    return group_label(mode, roles)


def _chain(
    value: Any, where: str, problems: Problems, *, empty_ok: bool = False
) -> tuple[str, ...]:
    """Step labels from roles and groups; ``empty_ok``: an empty chain (no approval) is fine."""
    if not value:
        if not empty_ok:
            problems.add(
                _("{where}: a rule needs a chain of at least one role").format(where=where)
            )
        return ()
    if not isinstance(value, list):
        value = [value]
    labels: list[str] = []
    roles: list[str] = []
    for i, item in enumerate(value, start=1):
        if isinstance(item, dict):
            label = _group(item, f"{where}[{i}]", problems)
            if label is None:
                continue
            labels.append(label)
            roles.extend(item[next(iter(item))])
            continue
        found = check.string_list(item, where, ROLES, problems)
        for role in found:
            _approver(role, where, problems)
        labels.extend(found)
        roles.extend(found)
    if len(set(roles)) != len(roles):
        problems.add(
            _("{where}: a role appears twice; one person approves one step").format(where=where)
        )
    return tuple(labels)


def _limits(value: Any, where: str, problems: Problems) -> str:
    if value is None:
        return LIMITS_EVERY
    if value not in LIMIT_MODES:
        problems.add(
            _("{where}: {value}; accepted: {accepted}").format(
                where=where, value=repr(value), accepted=", ".join(LIMIT_MODES)
            )
        )
        return LIMITS_EVERY
    return str(value)


def _approval_rule(
    i: int, rule: Any, names: set[str], problems: Problems, table: str = "approval.rules"
) -> ApprovalRule | None:
    where = f"{table}[{i}]"
    if not isinstance(rule, dict):
        problems.add(_("{where}: expected a table").format(where=where))
        return None
    check.unknown_keys(rule, APPROVAL_RULE_KEYS, where, problems)
    name = str(rule.get("name") or f"rule-{i}")
    if name in names:
        problems.add(
            _("{where}: {name} is used twice").format(where=f"{where}.name", name=repr(name))
        )
    names.add(name)
    amount_min = check.amount(rule.get("amount_min"), f"{where}.amount_min", problems)
    amount_max = check.amount(rule.get("amount_max"), f"{where}.amount_max", problems)
    if amount_min is not None and amount_max is not None and amount_max <= amount_min:
        problems.add(_("{where}: amount_max must be greater than amount_min").format(where=where))
    non_standard = rule.get("non_standard")
    if non_standard is not None and not isinstance(non_standard, bool):
        problems.add(_("{where}: expected true or false").format(where=f"{where}.non_standard"))
        non_standard = None
    return ApprovalRule(
        name=name,
        chain=_chain(rule.get("chain"), f"{where}.chain", problems),
        types=check.string_list(rule.get("types"), f"{where}.types", CONTRACT_TYPES, problems),
        amount_min=amount_min,
        amount_max=amount_max,
        risks=check.string_list(rule.get("risk"), f"{where}.risk", RISKS, problems),
        non_standard=non_standard,
        limits=_limits(rule.get("limits"), f"{where}.limits", problems),
    )


def _check_matrix(
    matrix: list[ApprovalRule], problems: Problems, table: str = "approval.rules"
) -> None:
    """Every contract must be routable, and no rule may hide behind the catch-all."""
    if not matrix:
        problems.add(
            _("{table}: the matrix is empty; every contract must be routable").format(table=table)
        )
        return
    catch_alls = [i for i, r in enumerate(matrix) if r.is_catch_all]
    if not catch_alls:
        problems.add(
            _(
                "{table}: no catch-all rule (one without conditions); some contracts "
                "would match no rule and could never be submitted"
            ).format(table=table)
        )
    elif catch_alls[0] != len(matrix) - 1:
        later = ", ".join(r.name for r in matrix[catch_alls[0] + 1 :])
        problems.add(
            _(
                "{table}: rule {rule} matches everything, so "
                "the rules after it ({later}) can never apply"
            ).format(table=table, rule=repr(matrix[catch_alls[0]].name), later=later)
        )


def _logins(value: Any, where: str, problems: Problems) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(_("{where}: expected a list of logins").format(where=where))
        return ()
    return tuple(v.strip() for v in value)


def _cc_rule(i: int, raw: Any, names: set[str], problems: Problems) -> CcRule | None:
    where = f"approval.cc[{i}]"
    if not isinstance(raw, dict):
        problems.add(_("{where}: expected a table").format(where=where))
        return None
    check.unknown_keys(raw, CC_KEYS, where, problems)
    rules = check.string_list(raw.get("rules"), f"{where}.rules", tuple(sorted(names)), problems)
    roles = check.string_list(raw.get("roles"), f"{where}.roles", ROLES, problems)
    users = _logins(raw.get("users"), f"{where}.users", problems)
    if not roles and not users:
        problems.add(_("{where}: copy to whom? give roles or users").format(where=where))
        return None
    return CcRule(rules=rules, roles=roles, users=users)


def approval(data: dict[str, Any], problems: Problems) -> Fields:
    raw = check.table(data, "approval", "approval", problems)
    names: set[str] = set()
    found = [
        _approval_rule(i, rule, names, problems)
        for i, rule in enumerate(check.rules(raw, "rules", "approval.rules", problems), start=1)
    ]
    matrix = [r for r in found if r is not None]
    _check_matrix(matrix, problems)
    sla = check.whole(
        check.required(raw, "sla_days", "approval.sla_days", problems),
        "approval.sla_days",
        problems,
        minimum=1,
        expected=N_("a whole number of working days"),
    )
    quote_rules = _quote_matrix(raw, problems)
    cc_names = names | {r.name for r in quote_rules}
    cc = [
        _cc_rule(i, item, cc_names, problems)
        for i, item in enumerate(check.rules(raw, "cc", "approval.cc", problems), start=1)
    ]
    return {
        "approval_rules": tuple(matrix),
        "approval_sla_days": sla or 2,
        "approval_cc": tuple(c for c in cc if c is not None),
        "quote_rules": quote_rules,
        "payment_rules": _money_matrix(raw, "payment_rules", problems),
        "writeoff_rules": _money_matrix(raw, "writeoff_rules", problems),
    }


def _money_matrix(raw: dict[str, Any], key: str, problems: Problems) -> tuple[ApprovalRule, ...]:
    """approval.payment_rules and approval.writeoff_rules: the same language as the contract
    matrix, routing a payment or a write-off on its amount and its contract's type and risk."""
    table = f"approval.{key}"
    if key not in raw:
        # Left out: nothing routes; a payment or write-off request says so when made.
        return ()
    names: set[str] = set()
    found = [
        _approval_rule(i, rule, names, problems, table)
        for i, rule in enumerate(check.rules(raw, key, table, problems), start=1)
    ]
    matrix = [r for r in found if r is not None]
    _check_matrix(matrix, problems, table)
    return tuple(matrix)


# ---------------------------------------------------------------------------------------------
# The quote matrix: its own conditions, the same chains and limits


def _percent(value: Any, where: str, problems: Problems) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal(-1)
    if isinstance(value, bool) or not number.is_finite() or not 0 <= number < 100:
        problems.add(
            _("{where}: {value}; expected a percentage from 0 up to 100").format(
                where=where, value=repr(value)
            )
        )
        return None
    return number


def _quote_rule(i: int, rule: Any, names: set[str], problems: Problems) -> QuoteRule | None:
    where = f"approval.quote_rules[{i}]"
    if not isinstance(rule, dict):
        problems.add(_("{where}: expected a table").format(where=where))
        return None
    check.unknown_keys(rule, QUOTE_RULE_KEYS, where, problems)
    name = str(rule.get("name") or f"quote-rule-{i}")
    if name in names:
        problems.add(
            _("{where}: {name} is used twice").format(where=f"{where}.name", name=repr(name))
        )
    names.add(name)
    below_floor = rule.get("below_floor")
    if below_floor is not None and not isinstance(below_floor, bool):
        problems.add(_("{where}: expected true or false").format(where=f"{where}.below_floor"))
        below_floor = None
    return QuoteRule(
        name=name,
        chain=_chain(rule.get("chain"), f"{where}.chain", problems, empty_ok=True),
        line_discount_above=_percent(
            rule.get("line_discount_above"), f"{where}.line_discount_above", problems
        ),
        total_discount_above=_percent(
            rule.get("total_discount_above"), f"{where}.total_discount_above", problems
        ),
        amount_min=check.amount(rule.get("amount_min"), f"{where}.amount_min", problems),
        amount_max=check.amount(rule.get("amount_max"), f"{where}.amount_max", problems),
        below_floor=below_floor,
        limits=_limits(rule.get("limits"), f"{where}.limits", problems),
    )


def _quote_matrix(raw: dict[str, Any], problems: Problems) -> tuple[QuoteRule, ...]:
    """``[[approval.quote_rules]]``. Left out entirely (an [approval] table written whole,
    without quotes in mind): no quote can be routed, and `quote submit` says so. Given, it
    must route every quote."""
    names: set[str] = set()
    found = [
        _quote_rule(i, rule, names, problems)
        for i, rule in enumerate(
            check.rules(raw, "quote_rules", "approval.quote_rules", problems), start=1
        )
    ]
    matrix = tuple(r for r in found if r is not None)
    if "quote_rules" in raw and (not matrix or not matrix[-1].is_catch_all):
        problems.add(
            _(
                "approval.quote_rules: the last rule must have no conditions (the catch-all), "
                "so that every quote is routable"
            )
        )
    return matrix
