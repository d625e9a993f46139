"""The house stays easy to live in: modules you can read in one sitting, functions that fit
on a screen (complexity is ruff's C901, configured in pyproject.toml)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "bizops"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_no_module_is_longer_than_600_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_function_is_longer_than_80_lines() -> None:
    long: dict[str, int] = {}
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}"] = length
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


def test_the_project_speaks_of_itself_only() -> None:
    """Code, docs and shipped data refer to things inside the repository (docs/standard.md
    describes the workflow standard), not to the notes it was built from."""
    import re

    root = Path(__file__).resolve().parents[2]
    outside = re.compile(r"PRODUCT(\.md| section)|\bseed [CK]\d|[（(][CK]\d(-\d)?[)）]")
    found = []
    for folder in ("bizops", "docs", "bench", "scripts", "tests"):
        for path in (root / folder).rglob("*"):
            if path.suffix in {".py", ".md", ".toml", ".j2", ".html", ".txt"} and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                found += [f"{path.relative_to(root)}: {m[0]}" for m in outside.finditer(text)]
    assert not found, found
