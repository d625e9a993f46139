"""The translation catalog: extract, update, compile and check it (with Babel).

Messages come from three places:
- ``_()``, ``N_()`` and ``ngettext()`` calls in bizops/ (Python);
- ``_()`` calls in the report templates (Jinja2, bizops/reports/templates/);
- every command's help and every option's help, read from the built command tree
  (docstrings and ``help=`` texts are written in English in the code).

Usage:
    .venv/bin/python scripts/i18n.py update    # extract, merge into zh_CN's .po, compile .mo
    .venv/bin/python scripts/i18n.py compile   # .po -> .mo only
    .venv/bin/python scripts/i18n.py check     # exit 1 if anything is missing or stale
    .venv/bin/python scripts/i18n.py missing   # list untranslated message ids
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bizops"
LOCALE = PACKAGE / "locale"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "bizops.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sd]|%[sd]")


def _python_messages() -> Iterator[tuple[str | tuple[str, str], str]]:
    method_map = [("**.py", "python"), ("**/templates/**.j2", "jinja2")]
    options = {"**/templates/**.j2": {"extensions": "jinja2.ext.i18n"}}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=method_map, options_map=options, keywords=KEYWORDS
    ):
        yield message, f"bizops/{filename}:{lineno}"


def _source(obj: Any, attr: str) -> Any:
    """The English text as written in the code (what is shown may be rewrapped)."""
    return obj.__dict__.get("_bizops_source", {}).get(attr, getattr(obj, attr, None))


def _walk(command: Any, path: str) -> Iterator[tuple[str, str]]:
    for attr in ("help", "epilog"):
        text = _source(command, attr)
        if isinstance(text, str) and text.strip():
            yield text, f"cli:{path}"
    for param in getattr(command, "params", ()):
        text = _source(param, "help")
        if isinstance(text, str) and text.strip():
            yield (
                text,
                f"cli:{path} {param.opts[0] if getattr(param, 'opts', None) else param.name}",
            )


def _help_messages() -> Iterator[tuple[str, str]]:
    """Every help text of the command tree, built in English."""
    import click
    import typer.main

    from bizops.cli.app import app
    from bizops.cli.group import LAZY_COMMANDS, LAZY_GROUPS
    from bizops.i18n import set_language

    set_language("en")
    root = typer.main.get_command(app)
    ctx = click.Context(root)
    yield from _walk(root, "bizops")
    lazy = [*LAZY_COMMANDS, *LAZY_GROUPS]
    names = list(root.commands) + [n for n in lazy if n not in root.commands]  # type: ignore[attr-defined]
    for name in names:
        group = root.get_command(ctx, name)  # type: ignore[attr-defined]
        yield from _walk(group, f"bizops {name}")
        for sub_name, sub in getattr(group, "commands", {}).items():
            yield from _walk(sub, f"bizops {name} {sub_name}")
            for leaf_name, leaf in getattr(sub, "commands", {}).items():
                yield from _walk(leaf, f"bizops {name} {sub_name} {leaf_name}")


def extract() -> Catalog:
    catalog = Catalog(project="bizops", domain="bizops", fuzzy=False)
    for message, where in _python_messages():
        catalog.add(message, locations=[(where.split(":")[0], int(where.split(":")[1]))])
    for message, where in _help_messages():
        catalog.add(message, locations=[(where, 0)])
    return catalog


def read_catalog(path: Path = PO) -> Catalog:
    if not path.exists():
        return Catalog(locale="zh_CN", domain="bizops")
    with path.open("rb") as handle:
        return read_po(handle, locale="zh_CN", domain="bizops")


def _mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update() -> None:
    template = extract()
    catalog = read_catalog()
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, omit_header=False)
    compile_mo()


def compile_mo() -> None:
    MO.write_bytes(_mo_bytes(read_catalog()))


def _ids(message: Any) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def _strings(message: Any) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def problems() -> list[str]:
    """Everything that keeps the catalog from being complete and current."""
    found: list[str] = []
    template = extract()
    catalog = read_catalog()
    wanted = {m.id for m in template if m.id}
    have = {m.id for m in catalog if m.id}
    for msgid in sorted(wanted - have, key=str):
        found.append(f"not in the catalog (run scripts/i18n.py update): {msgid!r}")
    for msgid in sorted(have - wanted, key=str):
        found.append(f"in the catalog but no longer used (run scripts/i18n.py update): {msgid!r}")
    for message in catalog:
        if not message.id:
            continue
        strings = _strings(message)
        if message.fuzzy or not all(s.strip() for s in strings):
            found.append(f"no Chinese translation: {message.id!r}")
            continue
        source = sorted(PLACEHOLDER.findall(_ids(message)[0]))
        for text in strings:
            if sorted(PLACEHOLDER.findall(text)) != source:
                found.append(
                    f"placeholders differ: {message.id!r} has {source}, "
                    f"the translation {sorted(PLACEHOLDER.findall(text))}"
                )
    if not MO.exists() or MO.read_bytes() != _mo_bytes(catalog):
        found.append("the compiled catalog is stale (run scripts/i18n.py compile)")
    return found


def missing() -> list[str]:
    return [str(m.id) for m in read_catalog() if m.id and (m.fuzzy or not all(_strings(m)))]


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
        print(f"updated {PO.relative_to(ROOT)} and {MO.relative_to(ROOT)}")
        return 0
    if command == "compile":
        compile_mo()
        return 0
    if command == "missing":
        for msgid in missing():
            print(msgid)
        return 0
    if command == "check":
        found = problems()
        for problem in found:
            print(problem)
        if found:
            print(f"{len(found)} problem(s) in the translation catalog", file=sys.stderr)
            return 1
        print("the translation catalog is complete and current")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
