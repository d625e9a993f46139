"""The default quote matrix at each boundary, and the quotation lifecycle with expiry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bizops.domain import quote_states as qs
from bizops.domain.errors import Conflict, Invalid
from bizops.domain.policy import build_policy
from bizops.domain.policy.quotes import QuoteTerms, route_quote
from bizops.services.policy import default_policy, default_policy_data

D = Decimal


def terms(line: str, total: str | None = None, *, floor: bool = False) -> QuoteTerms:
    return QuoteTerms(
        line_discount=D(line), total_discount=D(total or line), amount=D("1000"), below_floor=floor
    )


@pytest.mark.parametrize(
    ("line", "rule", "chain"),
    [
        ("0", "list-price", ()),
        ("5", "list-price", ()),
        ("5.01", "discount", ("manager",)),
        ("15", "discount", ("manager",)),
        ("15.01", "deep-discount", ("manager", "gm")),
        ("40", "deep-discount", ("manager", "gm")),
    ],
)
def test_default_quote_matrix_boundaries(line: str, rule: str, chain: tuple[str, ...]) -> None:
    found = route_quote(default_policy().quote_rules, terms(line))
    assert found is not None
    assert (found.rule.name, found.chain) == (rule, chain)


def test_a_line_below_its_floor_needs_the_gm_whatever_the_discount() -> None:
    found = route_quote(default_policy().quote_rules, terms("0", floor=True))
    assert found is not None and found.chain == ("manager", "gm")
    assert "below its floor price" in found.reason


def test_the_route_explains_the_rules_it_passed() -> None:
    found = route_quote(default_policy().quote_rules, terms("8"))
    assert found is not None
    assert found.reason == (
        "rule 'discount': largest line discount 8% > 5% (rules before it did not match: "
        "below-floor needs a line below its floor price; deep-discount needs largest line "
        "discount > 15%)"
    )


def test_a_quote_matrix_without_a_catch_all_is_refused() -> None:
    data = default_policy_data()
    data["approval"]["quote_rules"] = [{"name": "x", "line_discount_above": 5, "chain": ["gm"]}]
    with pytest.raises(Invalid) as caught:
        build_policy(data)
    assert any("quote_rules" in d for d in caught.value.details)


def test_expiry_on_fixed_dates() -> None:
    until = date(2026, 12, 31)
    assert qs.effective_status(qs.SENT, until, date(2026, 12, 31)) == qs.SENT
    assert qs.effective_status(qs.SENT, until, date(2027, 1, 1)) == qs.EXPIRED
    assert qs.effective_status(qs.APPROVED, until, date(2027, 1, 1)) == qs.EXPIRED
    assert qs.effective_status(qs.ACCEPTED, until, date(2027, 1, 1)) == qs.ACCEPTED
    assert qs.effective_status(qs.DRAFT, until, date(2027, 1, 1)) == qs.DRAFT


def test_the_state_machine() -> None:
    day, until = date(2026, 12, 1), date(2026, 12, 31)
    assert qs.check_move("Q-1", qs.DRAFT, "submit", valid_until=until, today=day) == qs.PENDING
    assert qs.check_move("Q-1", qs.APPROVED, "send", valid_until=until, today=day) == qs.SENT
    assert qs.check_move("Q-1", qs.SENT, "accept", valid_until=until, today=day) == qs.ACCEPTED
    assert qs.check_move("Q-1", qs.SENT, "reject", valid_until=until, today=day) == qs.REJECTED
    with pytest.raises(Conflict, match="send needs approved"):
        qs.check_move("Q-1", qs.DRAFT, "send", valid_until=until, today=day)
    with pytest.raises(Conflict, match="has expired"):
        qs.check_move("Q-1", qs.SENT, "accept", valid_until=until, today=date(2027, 1, 1))
    with pytest.raises(Conflict):
        qs.check_editable("Q-1", qs.SENT)


def test_quote_rules_take_groups_and_limits_like_the_contract_rules() -> None:
    data = default_policy_data()
    data["approval"]["quote_rules"] = [
        {
            "name": "deep",
            "line_discount_above": 15,
            "chain": [{"all": ["manager", "finance"]}, {"any": ["legal", "gm"]}],
            "limits": "last",
        },
        {"name": "list-price", "chain": []},
    ]
    rules = build_policy(data).quote_rules
    assert rules[0].chain == ("manager+finance", "legal|gm")
    assert (rules[0].limits, rules[1].limits) == ("last", "every")


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ({"chain": [{"all": ["manager"]}]}, "at least two roles"),
        ({"chain": [{"some": ["manager", "gm"]}]}, "a group step is"),
        ({"chain": ["manager", {"any": ["manager", "gm"]}]}, "a role appears twice"),
        ({"chain": ["sales"]}, "cannot approve"),
        ({"chain": ["gm"], "limits": "first"}, "limits"),
    ],
)
def test_bad_quote_chains_are_refused_as_in_the_contract_matrix(
    rule: dict[str, object], words: str
) -> None:
    data = default_policy_data()
    data["approval"]["quote_rules"] = [
        {"name": "x", "line_discount_above": 5, **rule},
        {"name": "list-price", "chain": []},
    ]
    with pytest.raises(Invalid) as caught:
        build_policy(data)
    assert any(words in d and "approval.quote_rules[1]" in d for d in caught.value.details)


def test_a_cc_rule_may_name_a_quote_rule_but_not_an_unknown_one() -> None:
    data = default_policy_data()
    data["approval"]["cc"] = [{"rules": ["deep-discount", "major"], "roles": ["finance"]}]
    cc = build_policy(data).approval_cc
    assert cc[0].applies("deep-discount") and not cc[0].applies("discount")
    data["approval"]["cc"] = [{"rules": ["no-such-rule"], "roles": ["finance"]}]
    with pytest.raises(Invalid) as caught:
        build_policy(data)
    assert any("approval.cc[1].rules" in d for d in caught.value.details)
