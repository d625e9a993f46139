"""The pinyin of a name, so that 鼎盛电子 is found by ``dingsheng`` and by ``dsdz``.

Two keys per name, stored beside it: the full pinyin without tones or spaces
(``dingshengdianzi``) and the initials (``dsdz``). Letters and digits of other scripts are kept,
folded (``Acme 贸易`` -> ``acmemaoyi`` / ``amy``). pypinyin reads words, not single characters,
so that 重庆银行 is ``chongqingyinhang``; the words of company names repeat (有限公司, 科技, city
names), and each word's pinyin is remembered, which keeps a 100,000-row import fast.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9a-z]+")
# What a search text must look like to be compared with the keys: letters and digits only,
# once spaces and apostrophes (xi'an) are taken out.
_SEARCHABLE = re.compile(r"[0-9a-z]{2,}")


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    from pypinyin.seg.mmseg import seg

    return seg


@lru_cache(maxsize=65536)
def _word(word: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(word, style=Style.NORMAL, errors="ignore"))


@lru_cache(maxsize=65536)
def _han(run: str) -> tuple[str, ...]:
    """The syllables of a run of Han characters, read word by word."""
    return tuple(syllable for word in _segmenter().cut(run) for syllable in _word(word))


def _syllables(text: str) -> list[str]:
    """The pinyin syllables of the Han characters, and the other words (folded), in order."""
    out: list[str] = []
    position = 0
    for run in _HAN.finditer(text):
        out.extend(_WORD.findall(text[position : run.start()]))
        out.extend(_han(run.group()))
        position = run.end()
    out.extend(_WORD.findall(text[position:]))
    return out


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower case, without tones, spaces or punctuation."""
    text = unicodedata.normalize("NFKC", name).casefold()
    syllables = [s for s in _syllables(text) if s]
    full = "".join(s for s in syllables if s.isascii())
    initials = "".join(s[0] for s in syllables if s.isascii())
    return full, initials


def search_term(text: str) -> str | None:
    """What to look for in the keys (``Ding Sheng`` -> ``dingsheng``); None for text that
    cannot be pinyin (Chinese characters, other symbols, one letter)."""
    folded = re.sub(r"[\s'’]+", "", unicodedata.normalize("NFKC", text)).casefold()
    return folded if _SEARCHABLE.fullmatch(folded) else None
