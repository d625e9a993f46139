"""The policy: defaults, key-by-key overrides, and every problem listed at once."""

from __future__ import annotations

import copy
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bizops.domain.errors import Invalid
from bizops.domain.policy import build_policy, merge_policy
from bizops.services.policy import (
    config_path,
    default_policy,
    default_policy_data,
    load_policy,
    policy_data,
    read_policy_file,
)


def defaults() -> dict[str, Any]:
    return copy.deepcopy(default_policy_data())


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(Invalid) as info:
        build_policy(data)
    assert info.value.exit_code == 2
    assert info.value.message == f"the policy has {len(info.value.details)} problem(s)"
    return info.value.details


def test_defaults_match_the_product() -> None:
    p = default_policy()
    assert p.currency == "CNY"
    assert p.cadence_days("A", "prospect") == 7
    assert p.cadence_days("A", "negotiation") == 3
    assert p.cadence_days("A", "maintenance") == 14
    assert p.cadence_days("B", "proposal") == 14
    assert p.cadence_days("B", "negotiation") == 7
    assert p.cadence_days("B", "maintenance") == 30
    assert p.cadence_days("C", "needs") == 30
    assert p.cadence_days("C", "negotiation") == 14
    assert p.cadence_days("C", "maintenance") == 60
    for grade in "ABC":
        assert p.cadence_days(grade, "lost") is None
        assert p.cadence_days(grade, "dormant") is None
    assert p.first_contact == {"A": 1, "B": 3, "C": 7}
    assert [r.name for r in p.approval_rules] == [
        "high-risk",
        "major",
        "large",
        "non-standard",
        "standard",
    ]
    assert p.approval_rules[-1].is_catch_all
    assert p.approval_sla_days == 2
    assert p.contract_number == "HT-{year}-{seq:04d}"
    assert p.notice_days == 30 and p.reminder_days == (30, 7, 0)
    assert p.weekend_rule == "next" and p.weekend_days == frozenset({5, 6})


@pytest.mark.parametrize(
    ("type_", "amount", "risk", "non_standard", "rule", "chain"),
    [
        ("sales", "50000", "high", False, "high-risk", ("manager", "legal", "finance", "gm")),
        ("sales", "1000000", "low", False, "major", ("manager", "finance", "legal", "gm")),
        ("sales", "999999.99", "low", False, "large", ("manager", "finance", "legal")),
        ("sales", "200000", "medium", True, "large", ("manager", "finance", "legal")),
        ("nda", "0", "low", True, "non-standard", ("manager", "legal")),
        ("service", "199999.99", "medium", False, "standard", ("manager",)),
    ],
)
def test_default_matrix_routes(
    type_: str, amount: str, risk: str, non_standard: bool, rule: str, chain: tuple[str, ...]
) -> None:
    found = default_policy().route(
        type=type_, amount=Decimal(amount), risk=risk, non_standard=non_standard
    )
    assert found is not None and found.name == rule and found.chain == chain


def test_grading_suggestions_explain_themselves() -> None:
    p = default_policy()
    assert p.suggest_grade(Decimal("1200000"), None)[0] == "A"
    grade, why = p.suggest_grade(Decimal("600000"), "high")
    assert grade == "A" and "600,000" in why and "high" in why
    assert p.suggest_grade(Decimal("600000"), "low")[0] == "B"
    assert p.suggest_grade(None, "high")[0] == "B"
    grade, why = p.suggest_grade(Decimal("1000"), "low")
    assert grade == "C" and "no rule matches" in why


def test_override_key_by_key() -> None:
    merged = merge_policy(
        defaults(),
        {"cadence": {"A": {"negotiation": 2}}, "calendar": {"weekend_rule": "previous"}},
    )
    p = build_policy(merged)
    assert p.cadence_days("A", "negotiation") == 2
    assert p.cadence_days("A", "prospect") == 7  # the rest of [cadence.A] stays
    assert p.cadence_days("B", "negotiation") == 7
    assert p.weekend_rule == "previous" and p.weekend_days == frozenset({5, 6})
    assert p.company["name"] == "示例商贸有限公司"


def test_a_list_replaces_the_default_list_whole() -> None:
    merged = merge_policy(
        defaults(), {"approval": {"rules": [{"name": "all", "chain": ["manager", "gm"]}]}}
    )
    p = build_policy(merged)
    assert [r.name for r in p.approval_rules] == ["all"]
    assert p.approval_sla_days == 2


def test_every_problem_is_listed_at_once() -> None:
    data = defaults()
    data["approval"]["rules"] = [
        {"name": "everything", "chain": ["manager"]},
        {"name": "big", "amount_min": 100000, "chain": ["manager", "boss"]},
        {"name": "sales-only", "chain": ["sales"], "types": ["sales"]},
    ]
    data["cadence"]["A"]["negotiation"] = -3
    data["cadence"]["B"]["closing"] = 5
    data["cadence"]["D"] = {"default": 5}
    data["calendar"]["weekend_rule"] = "sometimes"
    data["grading"]["rules"][0]["grade"] = "Z"
    found = problems_of(data)
    text = "\n".join(found)
    assert "'everything' matches everything" in text and "big, sales-only" in text
    assert "unknown value 'boss'" in text
    assert "role 'sales' cannot approve" in text
    assert "cadence.A.negotiation: -3 is negative" in text
    assert "cadence.B.closing: unknown stage" in text
    assert "cadence.D: unknown grade" in text
    assert "calendar.weekend_rule: 'sometimes'" in text and "next, previous, keep" in text
    assert "grading.rules[1].grade: 'Z'" in text
    assert len(found) == 8


def test_a_matrix_without_catch_all_is_refused() -> None:
    data = defaults()
    data["approval"]["rules"] = [{"name": "big", "amount_min": 100000, "chain": ["manager"]}]
    (only,) = problems_of(data)
    assert "no catch-all rule" in only


def test_an_empty_matrix_is_refused() -> None:
    data = defaults()
    data["approval"]["rules"] = []
    assert any("the matrix is empty" in p for p in problems_of(data))


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ({"name": "x", "chain": []}, "needs a chain"),
        ({"name": "x", "chain": ["manager", "manager"]}, "a role appears twice"),
        ({"name": "x", "chain": ["admin"]}, "cannot approve"),
        ({"name": "x", "chain": ["manager"], "risk": ["extreme"]}, "unknown value 'extreme'"),
        ({"name": "x", "chain": ["manager"], "types": ["loan"]}, "unknown value 'loan'"),
        (
            {"name": "x", "chain": ["manager"], "amount_min": 10, "amount_max": 5},
            "amount_max must be greater",
        ),
        ({"name": "x", "chain": ["manager"], "amount_min": "lots"}, "cannot read 'lots'"),
        ({"name": "x", "chain": ["manager"], "non_standard": "yes"}, "expected true or false"),
        ({"name": "x", "chain": ["manager"], "colour": "red"}, "unknown keys colour"),
    ],
)
def test_bad_approval_rules(rule: dict[str, Any], words: str) -> None:
    data = defaults()
    data["approval"]["rules"] = [rule, {"name": "rest", "chain": ["manager"]}]
    assert any(words in p for p in problems_of(data))


@pytest.mark.parametrize(
    ("path", "value", "words"),
    [
        (("currency",), "yuan", "three-letter currency code"),
        (("cadence", "A", "default"), "weekly", "not a whole number of days"),
        (("cadence", "A", "lost"), 7, "lost and dormant customers have no follow-up"),
        (("cadence", "first_contact", "Q"), 1, "cadence.first_contact.Q: unknown grade"),
        (("cadence", "first_contact", "A"), -1, "negative"),
        (("channels", "A"), ["pigeon"], "unknown value 'pigeon'"),
        (("grading", "default"), "E", "grading.default"),
        (("approval", "sla_days"), 0, "approval.sla_days"),
        (("numbering", "contract"), "HT-{year}", "must be a text containing {seq}"),
        (("numbering", "contract"), "HT-{yr}-{seq}", "cannot be filled"),
        (("contracts", "notice_days"), -1, "contracts.notice_days"),
        (("contracts", "reminder_days"), [30, -7], "contracts.reminder_days"),
        (("calendar", "weekend_rule"), "nearest", "calendar.weekend_rule"),
        (("calendar", "weekend_days"), ["caturday"], "unknown value 'caturday'"),
        (
            ("calendar", "weekend_days"),
            ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "every day is a weekend day",
        ),
        (("mail", "port"), 99999, "mail.port"),
        (("mail", "timeout"), "soon", "mail.timeout"),
        (("cadence",), 5, "cadence: expected a table"),
        (("approval",), "x", "approval: expected a table"),
        (("approval", "rules"), 3, "approval.rules: expected a list of rules"),
        (("company",), ["x"], "company: expected a table"),
    ],
)
def test_bad_values(path: tuple[str, ...], value: Any, words: str) -> None:
    data = defaults()
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert any(words in p for p in problems_of(data)), problems_of(data)


def test_weekend_rule_and_days_are_read() -> None:
    data = defaults()
    data["calendar"] = {"weekend_rule": "keep", "weekend_days": ["fri", "sat"]}
    p = build_policy(data)
    assert p.weekend_rule == "keep" and p.weekend_days == frozenset({4, 5})


def test_missing_file_is_fine_unless_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert policy_data() == default_policy_data()
    missing = tmp_path / "nope.toml"
    with pytest.raises(Invalid, match="does not exist"):
        policy_data(missing)
    monkeypatch.setenv("BIZOPS_CONFIG", str(missing))
    assert config_path() == missing
    with pytest.raises(Invalid, match="does not exist"):
        policy_data()


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "policy.toml"
    bad.write_text('currency = "CNY"\n\n[cadence.A]\nnegotiation = = 3\n', encoding="utf-8")
    with pytest.raises(Invalid) as info:
        read_policy_file(bad)
    assert "line 4" in info.value.message and str(bad) in info.value.message


def test_policy_file_with_bom_and_chinese(tmp_path: Path) -> None:
    good = tmp_path / "policy.toml"
    good.write_text('[company]\nname = "上海某某有限公司"\n', encoding="utf-8-sig")
    p = load_policy(good)
    assert p.company["name"] == "上海某某有限公司"
    assert p.company["name_en"] == "Example Trading Co., Ltd."


def test_not_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "policy.toml"
    bad.write_bytes('[company]\nname = "上海"\n'.encode("gb18030"))
    with pytest.raises(Invalid, match="not UTF-8"):
        read_policy_file(bad)


def test_load_policy_points_at_config_check(tmp_path: Path) -> None:
    bad = tmp_path / "policy.toml"
    bad.write_text("[cadence.A]\nnegotiation = -1\n", encoding="utf-8")
    with pytest.raises(Invalid) as info:
        load_policy(bad)
    assert "bizops config check" in info.value.message
    assert info.value.details == [
        "cadence.A.negotiation: -1 is negative; cadence days must be 0 or more"
    ]


def test_shipped_file_is_valid_toml_and_complete() -> None:
    from bizops.library import read_text

    data = tomllib.loads(read_text("policy.toml"))
    assert set(data) >= {
        "currency",
        "company",
        "cadence",
        "channels",
        "grading",
        "approval",
        "numbering",
        "contracts",
        "calendar",
        "mail",
    }
    build_policy(data)


def test_chain_groups_and_limits_in_the_policy():
    from bizops.domain.policy import build_policy, merge_policy
    from bizops.services.policy import default_policy_data

    rules = [
        {
            "name": "groups",
            "risk": ["high"],
            "chain": ["manager", {"all": ["legal", "finance"]}, {"any": ["gm", "manager2"]}],
        },
        {"name": "rest", "chain": ["manager"], "limits": "sometimes"},
    ]
    data = merge_policy(default_policy_data(), {"approval": {"rules": rules}})
    with pytest.raises(Invalid) as caught:
        build_policy(data)
    details = "\n".join(caught.value.details)
    assert "approval.rules[1].chain[3].any: unknown value 'manager2'" in details
    assert "approval.rules[2].limits: 'sometimes'; accepted: every, last" in details
    rules[0]["chain"] = ["manager", {"all": ["legal", "finance"]}, {"any": ["gm"]}]
    rules[1]["limits"] = "last"
    with pytest.raises(Invalid) as caught:
        build_policy(data)
    assert "a group needs at least two roles" in "\n".join(caught.value.details)
    rules[0]["chain"] = ["manager", {"all": ["legal", "finance"]}, {"any": ["gm", "legal"]}]
    with pytest.raises(Invalid, match="problem"):
        build_policy(data)  # legal twice
    rules[0]["chain"] = ["manager", {"all": ["legal", "finance"]}, "gm"]
    policy = build_policy(data)
    assert policy.approval_rules[0].chain == ("manager", "legal+finance", "gm")
    assert policy.approval_rules[1].limits == "last"
