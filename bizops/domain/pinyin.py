"""The pinyin of a name, so that 鼎盛电子 is found by ``dingsheng`` and by ``dsdz``.

Two keys per name, stored beside it: the full pinyin without tones or spaces
(``dingshengdianzi``) and the initials (``dsdz``). Letters and digits of other scripts are kept,
folded (``Acme 贸易`` -> ``acmemaoyi`` / ``amyy``).

The readings are pypinyin's (its character and word dictionaries). Most characters have one
reading (鼎 is ding); one with several (重, 行, 长...) takes its reading from the two-character
word it makes with the character after it, else with the one before it (重庆: chong, 银行: hang,
长城: chang), else its usual reading. Simple enough to be fast for a 100,000-row import, and
one rule for every way a name arrives (add, rename, import, the upgrade that fills in the
existing customers).
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from array import array
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

# What a search text must look like to be compared with the keys: letters and digits only,
# once spaces and apostrophes (xi'an) are taken out.
_SEARCHABLE = re.compile(r"[0-9a-z]{2,}")


def _toneless(reading: str) -> str:
    """``lǜ`` -> ``lv``, ``zhòng`` -> ``zhong`` (pypinyin's plain style)."""
    text = unicodedata.normalize("NFKD", reading).replace("u\u0308", "v")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _pypinyin_file(name: str) -> str:
    """The text of one of pypinyin's dictionary files, read without importing pypinyin: its
    package loads both dictionaries and copies them (about 54 MB) when imported."""
    spec = importlib.util.find_spec("pypinyin")
    assert spec is not None and spec.submodule_search_locations
    return (Path(spec.submodule_search_locations[0]) / name).read_text(encoding="utf-8")


class _Characters:
    """Each character's readings (鼎 -> ``"dǐng"``, 重 -> ``"zhòng,chóng"``), looked up by code
    point. Held as a sorted array of code points and one string of readings rather than the
    file's dict of 41,000 string pairs: under 1 MB instead of about 6 MB for an import."""

    def __init__(self, readings: dict[str, str]) -> None:
        pairs = sorted((int(point), text) for point, text in readings.items())
        self.points = array("L", (point for point, _text in pairs))
        self.text = "".join(text for _point, text in pairs)
        self.ends = array("L", accumulate(len(text) for _point, text in pairs))

    def get(self, point: int) -> str:
        i = bisect_left(self.points, point)
        if i == len(self.points) or self.points[i] != point:
            return ""
        return self.text[self.ends[i - 1] if i else 0 : self.ends[i]]


@lru_cache(maxsize=1)
def _characters() -> _Characters:
    return _Characters(json.loads(_pypinyin_file("pinyin_dict.json")))


# One entry of the words' file for a two-character word: its first reading of each character.
# The file writes every token on its own line; should that change, the JSON is parsed instead.
_TWO_CHARACTER_WORD = re.compile(
    r'^"(..)": \[\n\[\n"([^"]*)"[^\]]*\],\n\[\n"([^"]*)"[^\]]*\]\n\]', re.MULTILINE
)


@lru_cache(maxsize=1)
def _words() -> dict[str, tuple[str, str]]:
    """The two-character words and the first reading of each of their characters, the only
    words the rule reads (20,000 of the file's 400,000 phrases; a few MB instead of 40)."""
    text = _pypinyin_file("phrases_dict.json")
    words = {word: (first, second) for word, first, second in _TWO_CHARACTER_WORD.findall(text)}
    if not words:
        phrases: dict[str, list[list[str]]] = json.loads(text)
        words = {w: (r[0][0], r[1][0]) for w, r in phrases.items() if len(w) == 2}
    return words


class _Syllables(dict[str, tuple[str, bool]]):
    """Each character read so far (a few thousand): (its reading alone, whether it has others:
    重 is zhong, and chong). A dict rather than a cached function: an import looks up every
    character of 100,000 names."""

    def __missing__(self, char: str) -> tuple[str, bool]:
        readings = _characters().get(ord(char)).split(",")
        alone = _toneless(readings[0])
        entry = self[char] = (alone, any(_toneless(r) != alone for r in readings[1:]))
        return entry


class _InWord(dict[str, tuple[str, ...]]):
    """The readings of a two-character word's characters, toneless, as words are met."""

    def __missing__(self, word: str) -> tuple[str, ...]:
        entry = self[word] = tuple(_toneless(r) for r in _words()[word])
        return entry


_SYLLABLES = _Syllables()
_IN_WORD = _InWord()


# The runs of names repeat little (a 100,000-row import has about 43,000 different ones): at
# 65,536 entries the caches of runs held 24 MB by the end of such an import for no measurable
# CPU saved; 8,192 keep the common runs (a city, 有限公司) for a few MB.
@lru_cache(maxsize=8192)
def _han_keys(run: str) -> tuple[str, str]:
    """(full pinyin, initials) of a run of Han characters. A character with several readings
    reads as in the two-character word it makes with the character after it, else with the
    one before it, else as usual."""
    syllables, words, in_word = _SYLLABLES, _words(), _IN_WORD
    out: list[str] = []
    last = len(run) - 1
    for i, char in enumerate(run):
        reading, several = syllables[char]
        if several:
            if i < last and (after := run[i : i + 2]) in words:
                reading = in_word[after][0] or reading
            elif i and (before := run[i - 1 : i + 1]) in words:
                reading = in_word[before][1] or reading
        if reading:
            out.append(reading)
    return "".join(out), "".join([syllable[0] for syllable in out])


# A name's runs of Han characters and its words of letters and digits, in order.
_TOKENS = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([0-9a-z]+)")


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower case, without tones, spaces or punctuation."""
    text = name.casefold() if name.isascii() else unicodedata.normalize("NFKC", name).casefold()
    full: list[str] = []
    initials: list[str] = []
    for run, word in _TOKENS.findall(text):
        if run:
            run_full, run_initials = _han_keys(run)
            full.append(run_full)
            initials.append(run_initials)
        else:
            full.append(word)
            initials.append(word[0])
    return "".join(full), "".join(initials)


def search_term(text: str) -> str | None:
    """What to look for in the keys (``Ding Sheng`` -> ``dingsheng``); None for text that
    cannot be pinyin (Chinese characters, other symbols, one letter)."""
    folded = re.sub(r"[\s'’]+", "", unicodedata.normalize("NFKC", text)).casefold()
    return folded if _SEARCHABLE.fullmatch(folded) else None
