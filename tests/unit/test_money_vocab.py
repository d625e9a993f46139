"""Invoice types and states, receipt methods, payment and quote states have Chinese names:
typed in Chinese, shown in Chinese, stored as codes."""

from __future__ import annotations

import pytest

from bizops.domain import money_rules as mr
from bizops.domain import quote_states
from bizops.domain.vocab import label, one_of
from bizops.i18n import set_language


@pytest.mark.parametrize(
    ("typed", "allowed", "code"),
    [
        ("专票", mr.INVOICE_TYPES, "special"),
        ("增值税普通发票", mr.INVOICE_TYPES, "normal"),
        ("电子发票", mr.INVOICE_TYPES, "electronic"),
        ("承兑汇票", mr.RECEIPT_METHODS, "acceptance_bill"),
        ("银行转账", mr.RECEIPT_METHODS, "transfer"),
        ("现金", mr.RECEIPT_METHODS, "cash"),
        ("已过期", quote_states.STATES, "expired"),
    ],
)
def test_chinese_words_give_the_code(typed: str, allowed: tuple[str, ...], code: str) -> None:
    assert one_of(typed, allowed, "--type") == code


def test_values_are_shown_in_chinese_and_kept_as_codes_in_english() -> None:
    set_language("zh")
    try:
        assert label("invoice_type", "special") == "增值税专用发票"
        assert label("invoice_status", "requested") == "待开票"
        assert label("receipt_method", "acceptance_bill") == "承兑汇票"
        assert label("payment_status", "paid") == "已付款"
        assert label("quote_state", "sent") == "已发送"
    finally:
        set_language("en")
    assert label("invoice_status", "requested") == "requested"
