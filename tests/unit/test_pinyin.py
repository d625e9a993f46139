"""The pinyin keys of a name: full and initials, read word by word, in any width."""

from __future__ import annotations

import pytest

from bizops.domain.pinyin import pinyin_keys, search_term


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("鼎盛电子", "dingshengdianzi", "dsdz"),
        ("上海鼎盛电子有限公司", "shanghaidingshengdianziyouxiangongsi", "shdsdzyxgs"),
        # Words, not characters: 重庆 is chong-, 银行 -hang, 长城 chang-.
        ("重庆银行", "chongqingyinhang", "cqyh"),
        ("长城制造", "changchengzhizao", "cczz"),
        ("Acme 贸易有限公司", "acmemaoyiyouxiangongsi", "amyyxgs"),
        ("ＡＣＭＥ Trading Co., Ltd.", "acmetradingcoltd", "atcl"),
        ("西安3M分公司", "xian3mfengongsi", "xa3fgs"),
        ("", "", ""),
    ],
)
def test_keys(name: str, full: str, initials: str) -> None:
    assert pinyin_keys(name) == (full, initials)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("dingsheng", "dingsheng"),
        ("Ding Sheng", "dingsheng"),
        ("DSDZ", "dsdz"),
        ("xi'an", "xian"),
        ("ｄｓｄｚ", "dsdz"),
        ("鼎盛", None),
        ("d", None),
        ("a-b", None),
        ("138 0013", "1380013"),
    ],
)
def test_search_terms(text: str, term: str | None) -> None:
    assert search_term(text) == term


def test_the_two_character_words_are_those_of_pypinyins_dictionary() -> None:
    """The words are read from pypinyin's file without its package (which loads and copies
    every dictionary); the compact table must hold what the package would give."""
    from pypinyin.phrases_dict import phrases_dict

    from bizops.domain.pinyin import _words

    expected = {w: (r[0][0], r[1][0]) for w, r in phrases_dict.items() if len(w) == 2}
    assert _words() == expected
