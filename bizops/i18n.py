"""The interface language: English by default, Chinese (zh_CN) from a catalog.

Messages are written in English in the code and pass through ``_`` (or ``ngettext``) when
they are shown; ``N_`` marks a text for the catalog without translating it yet (it is
translated where it is shown). Placeholders are named (``{code}``), so that a translation
may put them in another order. The catalog is ``bizops/locale/zh_CN/LC_MESSAGES/bizops.po``,
extracted and compiled with Babel (``scripts/i18n.py``); the compiled ``.mo`` ships in the
package.

What scripts read never changes with the language: JSON keys, CSV headers, codes, exit
codes, and the stage, grade and channel values in JSON.
"""

from __future__ import annotations

import gettext as _gettext
import os
from pathlib import Path

DOMAIN = "bizops"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("en", "zh")
# The catalog each language reads (English needs none: the code is written in it).
_CATALOGS = {"zh": "zh_CN"}

_current = "en"
_translations: _gettext.NullTranslations = _gettext.NullTranslations()


def normalise_language(value: str | None) -> str | None:
    """``zh``, ``zh_CN``, ``zh-CN.UTF-8``, ``中文`` -> ``zh``; ``en*`` -> ``en``; else None."""
    if not value:
        return None
    text = value.strip().lower().replace("-", "_")
    if text.startswith("zh") or text in ("中文", "汉语", "chinese", "cn"):
        return "zh"
    if text.startswith("en") or text in ("english", "c", "posix"):
        return "en"
    return None


def language_from_locale(environ: dict[str, str] | None = None) -> str | None:
    """The language of the locale: the first of LC_ALL, LC_MESSAGES, LANG that is set."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return None


def set_language(language: str) -> str:
    """Use ``language`` (``en`` or ``zh``) for every message from now on."""
    global _current, _translations
    code = normalise_language(language) or "en"
    catalog = _CATALOGS.get(code)
    if catalog is None:
        _translations = _gettext.NullTranslations()
    else:
        _translations = _gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[catalog], fallback=True
        )
    _current = code
    return code


def current_language() -> str:
    return _current


def is_chinese() -> bool:
    return _current == "zh"


def _(message: str) -> str:
    """The message in the interface language."""
    return _translations.gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a message for the catalog; it is translated where it is shown."""
    return message
