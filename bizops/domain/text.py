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
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub(" ", text).strip().casefold()


class _FormatCharacters(dict[int, str | None]):
    """A ``str.translate`` table that drops format characters and keeps every other
    character, filled in as characters are met (a few thousand in a large import)."""

    def __missing__(self, point: int) -> str | None:
        char = chr(point)
        kept = None if unicodedata.category(char) == "Cf" else char
        if len(self) < _MEMO_LIMIT:  # text made of every character cannot grow it for good
            self[point] = kept
        return kept


_MEMO_LIMIT = 20_000


_WITHOUT_FORMAT = _FormatCharacters()


def without_invisible(text: str) -> str:
    """``text`` without format characters (Unicode category Cf): zero-width spaces and
    joiners (U+200B-U+200D), the word joiner U+2060, the BOM U+FEFF, soft hyphens and bidi
    marks. They show nothing, so two names that differ only by them are the same name."""
    if text.isascii():
        return text
    return text.translate(_WITHOUT_FORMAT)


@lru_cache(maxsize=64)  # a name is usually checked, then keyed: compute it once
def name_key(text: str) -> str:
    """The key under which two names count as the same (ignores case, width, punctuation and
    invisible characters)."""
    # ``fold`` without its spaces step: the punctuation taken out includes every space.
    if text.isascii():
        return _PUNCT.sub("", text.casefold())
    folded = unicodedata.normalize("NFKC", without_invisible(text)).casefold()
    # Normalise again: removing spaces can bring combining marks together out of canonical
    # order, and the key must be the same however often it is computed.
    return unicodedata.normalize("NFKC", _PUNCT.sub("", folded))


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


# What may not appear in text that is shown on one line (a name, a mail header, a table
# cell): every control character (tab and line feed too), the Unicode line and paragraph
# separators, and the bidirectional overrides and isolates that make text display in an
# order other than the one stored ("Trojan Source").
_NOT_ON_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Characters that show nothing although they are not format characters (fillers, blanks).
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def line_problem(text: str) -> str | None:
    """Which kind of forbidden character ``text`` holds, if any: "control", "line break" or
    "bidi" (for the message)."""
    found = _NOT_ON_ONE_LINE.search(text)
    if found is None:
        return None
    ch = found.group()
    if ch in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
        return "line break"
    if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
        return "bidi"
    return "control"


# Control characters other than tab and line feed, and the bidi overrides and isolates: what a
# terminal would obey (ESC starts a control sequence, CR rewrites the line) instead of show.
_OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` for a terminal: control characters and bidi overrides written out as escapes
    (ESC as ``\\x1b``), so that stored text can never move the cursor, recolour or clear the
    screen, or reorder what is shown. Tab and line feed stay."""
    return _OBEYED.sub(_escaped, text)


def is_invisible(text: str) -> bool:
    """True when nothing of ``text`` would show: only spaces, format characters (zero-width
    space, joiners, BOM...) and blank glyphs."""
    # A loop rather than all(...): most text shows at its first character, and a name,
    # title and contact of each of 100,000 imported rows are asked.
    for ch in text:
        if not (ch.isspace() or ch in _BLANK_GLYPHS or unicodedata.category(ch) in _UNSEEN):
            return False
    return True


_UNSEEN = ("Cf", "Zs", "Cc")


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
