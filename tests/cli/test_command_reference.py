"""The command reference (docs/reference.md) is current, and every command is documented."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Every command the product specification names, copied here so that the tests do not
# depend on where the specification lives.
DOCUMENTED_COMMANDS = [
    "init",
    "demo",
    "user add",
    "user list",
    "user show",
    "user update",
    "user deactivate",
    "customer add",
    "customer list",
    "customer show",
    "customer update",
    "customer contact add",
    "customer contact list",
    "customer contact remove",
    "customer archive",
    "customer restore",
    "customer stage",
    "customer grade",
    "customer regrade",
    "customer import",
    "customer export",
    "followups log",
    "followups due",
    "followups plan",
    "followups snooze",
    "followups list",
    "followups ics",
    "contract new",
    "contract submit",
    "contract sign",
    "contract activate",
    "contract complete",
    "contract terminate",
    "contract archive",
    "contract reopen",
    "contract amend",
    "contract milestone add",
    "contract milestone done",
    "contract dispute open",
    "contract dispute resolve",
    "contract attach",
    "contract verify",
    "contract note",
    "contract update",
    "contract list",
    "contract show",
    "contract draft",
    "template list",
    "template show",
    "template fields",
    "template validate",
    "template add",
    "approval route",
    "approval matrix",
    "approval pending",
    "approval approve",
    "approval reject",
    "approval withdraw",
    "approval show",
    "approval list",
    "report daily",
    "report funnel",
    "report compliance",
    "report contracts",
    "db upgrade",
    "db backup",
    "db check",
    "db info",
    "audit log",
    "audit verify",
    "config show",
    "config path",
    "config init",
    "config check",
]


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    path = ROOT / "scripts" / "gen_reference.py"
    spec = importlib.util.spec_from_file_location("gen_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_reference", module)
    spec.loader.exec_module(module)
    return module


def test_reference_is_up_to_date(gen: ModuleType) -> None:
    current = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert current == gen.generate(), (
        "docs/reference.md is out of date: run `.venv/bin/python scripts/gen_reference.py`"
    )


def test_every_command_has_help_and_an_example(gen: ModuleType) -> None:
    missing_help, missing_example = [], []
    for node in gen.walk():
        if not node.help:
            missing_help.append(node.name)
        elif not node.is_group and not re.search(r"^Example: bizops ", node.help, re.M):
            missing_example.append(node.name)
    assert missing_help == [], f"commands without help text: {missing_help}"
    assert missing_example == [], (
        f"commands without an 'Example: bizops ...' line: {missing_example}"
    )


def test_every_product_command_is_in_the_reference(gen: ModuleType) -> None:
    names = {node.name for node in gen.walk()}
    reference = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    missing = [c for c in DOCUMENTED_COMMANDS if f"bizops {c}" not in names]
    assert missing == [], f"specified commands missing from the command tree: {missing}"
    headings = set(re.findall(r"^#+ (bizops .+)$", reference, re.M))
    undocumented = [c for c in DOCUMENTED_COMMANDS if f"bizops {c}" not in headings]
    assert undocumented == [], f"specified commands missing from docs/reference.md: {undocumented}"


def test_check_mode_reports_a_stale_file(
    gen: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "reference.md"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(gen, "TARGET", stale)
    monkeypatch.setattr(gen, "ROOT", tmp_path)
    assert gen.main(["--check"]) == 1
    assert gen.main([]) == 0
    assert gen.main(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == gen.generate()
