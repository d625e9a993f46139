"""Which language a run speaks: --lang, BIZOPS_LANG, the personal config, the locale."""

from __future__ import annotations

from pathlib import Path

import pytest

from bizops.cli.lang import choose_language
from bizops.i18n import _, language_from_locale, normalise_language, set_language


@pytest.fixture(autouse=True)
def _no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BIZOPS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("zh", "zh"), ("zh_CN.UTF-8", "zh"), ("zh-Hans", "zh"), ("中文", "zh"), ("en_US", "en")],
)
def test_language_names_are_read_loosely(text: str, expected: str) -> None:
    assert normalise_language(text) == expected
    assert normalise_language("klingon") is None


def test_default_is_english() -> None:
    assert choose_language([]) == "en"


def test_the_locale_decides_when_nothing_else_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert choose_language(["followups", "due"]) == "zh"
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # LC_ALL comes first
    assert choose_language([]) == "en"
    assert language_from_locale({"LC_MESSAGES": "zh_TW"}) == "zh"


def test_personal_config_beats_the_locale(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[ui]\nlanguage = "zh"\n', encoding="utf-8")
    monkeypatch.setenv("BIZOPS_CONFIG", str(config))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert choose_language([]) == "zh"


def test_environment_beats_the_config_and_the_option_beats_both(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.setenv("BIZOPS_LANG", "en")
    assert choose_language([]) == "en"
    assert choose_language(["--lang", "zh", "followups", "due"]) == "zh"
    assert choose_language(["--lang=zh"]) == "zh"


def test_english_needs_no_catalog() -> None:
    set_language("en")
    assert _("Options") == "Options"
