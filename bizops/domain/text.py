"""Text normalisation for search and duplicate detection, in Chinese and English."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Company-name noise that does not make two customers different.
_PUNCT = re.compile(r"[\s\.\,\-_·・()（）\[\]【】'\"“”‘’/\\&]+")


def fold(text: str) -> str:
    """Width- and case-insensitive form: NFKC turns full-width (全角) into half-width."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


@lru_cache(maxsize=64)  # a name is usually checked, then keyed: compute it once
def name_key(text: str) -> str:
    """The key under which two names count as the same (ignores case, width, punctuation)."""
    # Normalise again: removing spaces can bring combining marks together out of canonical
    # order, and the key must be the same however often it is computed.
    return unicodedata.normalize("NFKC", _PUNCT.sub("", fold(text)))


def clean_text(text: str | None) -> str | None:
    """Strip surrounding space; empty becomes None; control characters are refused by callers."""
    if text is None:
        return None
    text = text.strip()
    return text or None


# Unicode category Cc is exactly U+0000-U+001F and U+007F-U+009F; tab and newline are allowed.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def has_control_chars(text: str) -> bool:
    return _CONTROL.search(text) is not None


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    """Lone surrogates: how Python keeps bytes that were not valid UTF-8 (surrogateescape)."""
    return _SURROGATE.search(text) is not None


# A spreadsheet treats a cell that starts with one of these as a formula (OWASP, "CSV
# injection"): exports put a ' in front of such text, and imports take it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Text a spreadsheet shows as typed instead of running it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore_formula(text: str) -> str:
    """The text as typed, from a cell that an export guarded with a leading '."""
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_STARTS and text[1:] else text
