"""Dispute resolution in a contract: which arbitration institution, which court.

An arbitration agreement is valid only when it names one arbitration institution (Civil
Code and Arbitration Law art. 16 and 18); a court is agreed by a place connected with the
dispute (Civil Procedure Law art. 35): a party's domicile or the place of signing.
"""

from __future__ import annotations

# Words that every Chinese arbitration institution's name contains (and their English).
INSTITUTION_WORDS: tuple[str, ...] = (
    "仲裁委员会",
    "仲裁中心",
    "仲裁院",
    "Arbitration Commission",
    "Arbitration Center",
    "Arbitration Centre",
    "Court of Arbitration",
)
# Where a court is agreed: value -> (zh, en) words printed in the clause.
COURT_PLACES: dict[str, tuple[str, str]] = {
    "party_a": (
        "甲方住所地有管辖权的人民法院",
        "the competent people's court where Party A is domiciled",
    ),
    "party_b": (
        "乙方住所地有管辖权的人民法院",
        "the competent people's court where Party B is domiciled",
    ),
    "sign_place": (
        "合同签订地有管辖权的人民法院",
        "the competent people's court at the place of signing",
    ),
}


def is_arbitration_institution(name: str) -> bool:
    """Does ``name`` name an arbitration institution (not a court, not a place)?"""
    text = " ".join(str(name or "").split())
    if not text or "法院" in text or "court" in text.casefold().replace("court of arbitration", ""):
        return False
    return any(word.casefold() in text.casefold() for word in INSTITUTION_WORDS)


def court_words(place: str, language: str) -> str:
    """The court clause's words for an agreed place (``party_a``, ``party_b``, ``sign_place``)."""
    zh, en = COURT_PLACES[place]
    return en if language == "en" else zh
