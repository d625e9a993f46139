"""The unified social credit code (统一社会信用代码, GB 32100-2015) and its check digit.

Eighteen characters from a 31-character alphabet (digits and upper-case letters without
I, O, S, V, Z): registering authority, entity kind, administrative division, organisation
code, and a check character computed from the first seventeen with fixed weights.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(first17: str) -> str:
    """The check character for the first seventeen characters of a code."""
    if len(first17) != LENGTH - 1 or any(ch not in ALPHABET for ch in first17):
        raise ValueError(first17)
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(text: str) -> str:
    """The code as written on a licence: upper case, without spaces."""
    return "".join(str(text).split()).upper()


def credit_code_problem(text: str) -> str | None:
    """None when ``text`` is a valid code, else the reason in English words (a msgid).

    The reasons are marked for translation by the caller's catalog: "length", "characters",
    "check digit".
    """
    code = normalise_credit_code(text)
    if len(code) != LENGTH:
        return "length"
    if any(ch not in ALPHABET for ch in code):
        return "characters"
    if check_character(code[:17]) != code[17]:
        return "check digit"
    return None


def is_credit_code(text: str) -> bool:
    return credit_code_problem(text) is None
