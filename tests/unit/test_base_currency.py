"""The policy's base currency and rates: exact conversion, checked rates, routing in USD."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bizops.domain.approval import explain_route
from bizops.domain.currencies import to_base
from bizops.domain.errors import Invalid
from bizops.domain.policy import Policy, build_policy, merge_policy
from bizops.services.policy import default_policy_data


def _policy(currency: object) -> Policy:
    return build_policy(merge_policy(default_policy_data(), {"currency": currency}))


def test_conversion_is_exact_and_names_a_missing_rate() -> None:
    rates = {"USD": Decimal("7.1234")}
    assert to_base(Decimal("0.01"), "usd", base="CNY", rates=rates) == Decimal("0.071234")
    assert to_base(Decimal("5"), "CNY", base="CNY", rates=rates) == Decimal("5")
    with pytest.raises(Invalid, match="no exchange rate from EUR to the base currency CNY"):
        to_base(Decimal("1"), "EUR", base="CNY", rates=rates)


def test_rates_are_read_and_checked() -> None:
    policy = _policy({"base": "CNY", "rates": {"USD": 7.1, "EUR": "7.7"}})
    assert policy.currency == "CNY"
    assert policy.rates == {"USD": Decimal("7.1"), "EUR": Decimal("7.7")}
    assert _policy("USD").rates == {}  # the plain form still reads
    with pytest.raises(Invalid) as caught:
        _policy({"base": "CNY", "rates": {"USD": 0, "XXQ": 1, "CNY": 1, "EUR": True}, "x": 1})
    details = caught.value.details
    assert "currency: unknown keys x" in details
    assert (
        "currency.rates.USD: 0 is not a rate; expected a number greater than 0 (CNY per 1 USD)"
        in details
    )
    assert any(d.startswith("currency.rates.XXQ: 'XXQ' is not a three-letter") for d in details)
    assert "currency.rates.CNY: the base currency needs no rate" in details
    assert any(d.startswith("currency.rates.EUR: True is not a rate") for d in details)


def test_a_usd_amount_routes_at_the_threshold_in_cny() -> None:
    policy = _policy({"base": "CNY", "rates": {"USD": 8}})
    below = policy.to_base(Decimal("24999.99"), "USD")
    at = policy.to_base(Decimal("25000"), "USD")
    assert at == Decimal("200000")
    route = explain_route(policy, type="sales", amount=at, risk="low", non_standard=False)
    assert route.rule.name == "large"
    route = explain_route(policy, type="sales", amount=below, risk="low", non_standard=False)
    assert route.rule.name == "standard"
