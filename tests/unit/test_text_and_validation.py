"""Text folding for search and duplicates; emails, phones, logins, free text; roles; lists."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizops.domain.errors import Invalid
from bizops.domain.roles import ROLES, check_role, parse_roles
from bizops.domain.text import clean_text, fold, has_control_chars, name_key
from bizops.domain.validate import check_email, check_login, check_phone, check_text
from bizops.domain.vocab import GRADES, STAGES, one_of


def test_fold_is_case_and_width_insensitive() -> None:
    assert fold("ＡＢＣ　Ｃｏ") == fold("abc co")
    assert fold("  Acme   Ltd ") == "acme ltd"
    assert fold("上海某某　有限公司") == "上海某某 有限公司"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme Co., Ltd.", "ACME CO LTD"),
        ("华为技术（深圳）有限公司", "华为技术(深圳)有限公司"),
        ("ＡＣＭＥ", "acme"),
        ("O'Brien & Sons", "obrien sons"),
        ("上海·某某", "上海某某"),
    ],
)
def test_name_key_treats_noise_as_equal(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_keeps_real_differences() -> None:
    assert name_key("华为") != name_key("华硕")
    assert name_key("Acme A") != name_key("Acme B")


@given(st.text(max_size=40))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert name_key(name_key(text)) == name_key(text)


def test_clean_text_and_control_chars() -> None:
    assert clean_text("  x ") == "x"
    assert clean_text("   ") is None and clean_text(None) is None
    assert has_control_chars("a\x00b") and has_control_chars("a\x1bb")
    assert not has_control_chars("a\tb\nc") and not has_control_chars("中文")


@pytest.mark.parametrize(
    "email", ["alice@example.com", "张伟@例子.中国", "a.b+c@sub.example.co", " bob@example.com "]
)
def test_good_emails(email: str) -> None:
    assert check_email(email) == email.strip()


@pytest.mark.parametrize(
    "email",
    [
        "bad@",
        "@example.com",
        "alice",
        "a@b",
        "a@@b.com",
        "a b@c.com",
        "a@b..com",
        "a@b.c",
        "a,b@c.com",
    ],
)
def test_bad_emails(email: str) -> None:
    with pytest.raises(Invalid) as info:
        check_email(email, field="--email")
    assert info.value.message.startswith("--email: ") and "name@example.com" in info.value.message


def test_empty_email_is_none() -> None:
    assert check_email(None) is None and check_email("  ") is None


@pytest.mark.parametrize(
    "phone",
    ["13800138000", "+86 138 0013 8000", "021-5000 0000", "(021) 5000-0000", "010-1234567 转 88"],
)
def test_good_phones(phone: str) -> None:
    assert check_phone(phone) == phone


@pytest.mark.parametrize("phone", ["abc", "123", "1" * 25, "138-0013-800a", "+86 phone"])
def test_bad_phones(phone: str) -> None:
    with pytest.raises(Invalid, match="not a valid phone number"):
        check_phone(phone)


@pytest.mark.parametrize(
    ("raw", "login"), [("alice", "alice"), ("Bob.Li", "bob.li"), ("u_1-2", "u_1-2")]
)
def test_good_logins(raw: str, login: str) -> None:
    assert check_login(raw) == login


@pytest.mark.parametrize("raw", ["", "-x", "a b", "张伟", "a" * 65, "a@b", ".x"])
def test_bad_logins(raw: str) -> None:
    with pytest.raises(Invalid, match="not a valid login"):
        check_login(raw)


def test_check_text() -> None:
    assert check_text("  备注 note ", "note") == "备注 note"
    assert check_text("", "note") is None
    with pytest.raises(Invalid, match="summary: must not be empty"):
        check_text(" ", "summary", required=True)
    with pytest.raises(Invalid, match="control characters"):
        check_text("a\x07b", "note")
    with pytest.raises(Invalid, match="the limit is 10"):
        check_text("x" * 11, "name", max_length=10)


def test_roles() -> None:
    assert check_role(" Sales ") == "sales"
    assert parse_roles(["sales,manager", "sales", "GM"]) == ["sales", "manager", "gm"]
    with pytest.raises(Invalid) as info:
        parse_roles(["sales", "boss"])
    assert "'boss'" in info.value.message
    for role in ROLES:
        assert role in info.value.message


def test_one_of_names_the_accepted_values() -> None:
    assert one_of(" B ", GRADES, "--grade", upper=True) == "B"
    assert one_of("Proposal", STAGES, "--stage") == "proposal"
    with pytest.raises(Invalid) as info:
        one_of("won", STAGES, "--stage")
    assert info.value.message == f"--stage: unknown value 'won'; accepted: {', '.join(STAGES)}"
    with pytest.raises(Invalid, match=r"\(empty\)"):
        one_of("", GRADES, "--grade")
