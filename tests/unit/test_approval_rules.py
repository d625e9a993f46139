"""The authority matrix and the eligibility rules, as pure functions."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizops.domain.approval import (
    Decider,
    Terms,
    decision_refusal,
    explain_route,
    matrix_rows,
    route_terms,
)
from bizops.domain.errors import Invalid
from bizops.domain.policy import ApprovalRule
from bizops.domain.vocab import CONTRACT_TYPES, RISKS
from bizops.services.policy import default_policy

POLICY = default_policy()


def routed(amount: str, risk: str = "low", non_standard: bool = False, type: str = "sales"):
    return explain_route(
        POLICY, type=type, amount=Decimal(amount), risk=risk, non_standard=non_standard
    )


@pytest.mark.parametrize(
    ("amount", "risk", "non_standard", "rule", "chain"),
    [
        ("0", "low", False, "standard", ["manager"]),
        ("199999.99", "low", False, "standard", ["manager"]),
        ("200000", "low", False, "large", ["manager", "finance", "legal"]),
        ("999999.99", "medium", False, "large", ["manager", "finance", "legal"]),
        ("1000000", "low", False, "major", ["manager", "finance", "legal", "gm"]),
        ("1000000", "low", True, "major", ["manager", "finance", "legal", "gm"]),
        ("0.01", "high", False, "high-risk", ["manager", "legal", "finance", "gm"]),
        ("199999.99", "high", False, "high-risk", ["manager", "legal", "finance", "gm"]),
        ("5000000", "high", True, "high-risk", ["manager", "legal", "finance", "gm"]),
        ("199999.99", "low", True, "non-standard", ["manager", "legal"]),
        ("200000", "low", True, "large", ["manager", "finance", "legal"]),
    ],
)
def test_default_matrix_boundaries(amount, risk, non_standard, rule, chain):
    route = routed(amount, risk, non_standard)
    assert route.rule.name == rule
    assert list(route.chain) == chain
    assert route.as_dict() == {"rule": rule, "reason": route.reason, "chain": chain}


def test_reason_in_words():
    assert routed("250000").reason == (
        "rule 'large': amount 250,000 >= 200,000 (rules before it did not match: "
        "high-risk needs risk high; major needs amount >= 1,000,000)"
    )
    assert routed("10", "high").reason == "rule 'high-risk': risk high"
    assert routed("199999.99", non_standard=True).reason == (
        "rule 'non-standard': non-standard (rules before it did not match: high-risk needs risk "
        "high; major needs amount >= 1,000,000; large needs amount >= 200,000)"
    )
    assert routed("5").reason.startswith(
        "rule 'standard': no conditions, it applies to any contract (rules before it"
    )
    assert "non-standard needs a non-standard contract" in routed("5").reason


def test_reason_for_type_range_and_several_risks():
    rules = (
        ApprovalRule(
            name="mid-services",
            chain=("finance",),
            types=("service", "framework"),
            amount_min=Decimal("1000"),
            amount_max=Decimal("5000"),
            risks=("low", "medium"),
        ),
        ApprovalRule(name="rest", chain=("manager",)),
    )
    hit = route_terms(rules, Terms("service", Decimal("4999.99"), "medium", False))
    assert hit is not None
    assert hit.reason == (
        "rule 'mid-services': type service is service/framework and amount 4,999.99 >= 1,000 "
        "and amount 4,999.99 < 5,000 and risk medium is low/medium"
    )
    miss = route_terms(rules, Terms("sales", Decimal("5000"), "high", False))
    assert miss is not None and miss.rule.name == "rest"
    assert "mid-services needs type service/framework and amount < 5,000 and risk low/medium" in (
        miss.reason
    )


def test_no_rule_matches_is_invalid_naming_the_terms():
    policy = dataclasses.replace(
        POLICY, approval_rules=(ApprovalRule(name="sales", chain=("manager",), types=("sales",)),)
    )
    with pytest.raises(Invalid) as exc:
        explain_route(policy, type="nda", amount=Decimal("1200"), risk="medium", non_standard=True)
    message = exc.value.message
    assert "type nda, amount 1,200, risk medium, non-standard" in message
    assert "sales needs type sales" in message and "approval.rules" in message


def test_matrix_rows_in_order():
    rows = matrix_rows(POLICY)
    assert [(r["position"], r["rule"]) for r in rows] == [
        (1, "high-risk"),
        (2, "major"),
        (3, "large"),
        (4, "non-standard"),
        (5, "standard"),
    ]
    assert rows[2]["conditions"] == "amount >= 200,000"
    assert rows[2]["amount_min"] == Decimal("200000.00") and rows[2]["amount_max"] is None


@given(
    type=st.sampled_from(CONTRACT_TYPES),
    cents=st.integers(min_value=0, max_value=10**10),
    risk=st.sampled_from(RISKS),
    non_standard=st.booleans(),
)
def test_first_matching_rule_decides(type, cents, risk, non_standard):
    amount = Decimal(cents) / 100
    route = explain_route(POLICY, type=type, amount=amount, risk=risk, non_standard=non_standard)
    position = POLICY.approval_rules.index(route.rule)
    for earlier in POLICY.approval_rules[:position]:
        assert not earlier.matches(type=type, amount=amount, risk=risk, non_standard=non_standard)
    assert route.rule.matches(type=type, amount=amount, risk=risk, non_standard=non_standard)
    assert route.reason.startswith(f"rule {route.rule.name!r}: ")


# --- who may decide ------------------------------------------------------------------------------

CHAIN = ["manager", "finance", "legal"]


def refusal(
    login: str = "mia",
    roles: tuple[str, ...] = ("manager",),
    limit: str | None = None,
    *,
    current: int = 1,
    amount: str = "300000",
    submitted_by: str = "alice",
    owner: str | None = "alice",
    decided: dict[int, str] | None = None,
    verb: str = "approve",
) -> str | None:
    return decision_refusal(
        Decider(login=login, roles=roles, limit=Decimal(limit) if limit else None),
        request_id=7,
        chain=CHAIN,
        current_step=current,
        amount=Decimal(amount),
        submitted_by=submitted_by,
        owner=owner,
        contract="HT-2026-0001",
        decided=decided or {},
        verb=verb,
    )


def test_eligible_holder_may_decide():
    assert refusal() is None
    assert refusal("fay", ("finance",), current=2, decided={1: "mia"}) is None


def test_must_hold_the_current_role():
    assert refusal("fay", ("finance",)) == (
        "step 1 of request 7 waits for role manager; fay holds finance "
        "(their role finance comes at step 2, after manager approves)"
    )
    assert refusal("gus", ("gm",)) == "step 1 of request 7 waits for role manager; gus holds gm"
    assert refusal("root", ("admin",)).startswith("step 1 of request 7 waits for role manager")


def test_segregation_of_duties():
    assert refusal(submitted_by="mia").startswith("mia submitted request 7 and may not approve")
    assert refusal(submitted_by="mia", verb="reject").startswith(
        "mia submitted request 7 and may not reject"
    )
    assert refusal(owner="mia").startswith("mia owns contract HT-2026-0001")
    assert refusal("kim", ("manager", "finance"), current=2, decided={1: "kim"}) == (
        "kim already approved step 1 (manager) of request 7; "
        "one person approves at most one step of a request"
    )
    assert refusal("root", ("admin", "manager"), submitted_by="root") is not None


def test_approval_limit():
    assert refusal(limit="300000") is None
    assert refusal(limit="299999.99") == (
        "mia's approval limit 299,999.99 does not cover the amount 300,000 of request 7"
    )
