"""`bizops config ...` and --config: path, init, show, check, and a broken policy."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.cli import one_error_line

BAD_POLICY = """
[cadence.A]
negotiation = -3

[calendar]
weekend_rule = "sometimes"

[[approval.rules]]
name = "everything"
chain = ["manager"]

[[approval.rules]]
name = "big"
amount_min = 100000
chain = ["manager", "boss"]
"""


def test_config_path_init_show_check(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = Path(os.environ["BIZOPS_HOME"])
    r = cli("config", "path")
    assert r.exit_code == 0 and r.stdout.strip() == str(home / "policy.toml")
    assert "not created yet" in r.stderr
    r = cli("config", "check")
    assert r.exit_code == 0 and "Policy OK (built-in defaults)" in r.stdout
    r = cli("config", "init")
    assert r.exit_code == 0 and (home / "policy.toml").exists()
    assert "already" not in r.stderr
    assert "exists; pass --force" in one_error_line(cli("config", "init"), 5)
    assert cli("config", "init", "--force").exit_code == 0
    r = cli("config", "check")
    assert r.exit_code == 0 and str(home / "policy.toml") in r.stdout
    r = cli("config", "show")
    assert r.exit_code == 0 and 'currency = "CNY"' in r.stdout
    data = json.loads(cli("config", "show", "--format", "json").stdout)
    assert data["cadence"]["A"]["negotiation"] == 3
    assert "toml" in one_error_line(cli("config", "show", "--format", "csv"), 2)
    other = tmp_path / "elsewhere" / "p.toml"
    assert cli("config", "init", str(other)).exit_code == 0 and other.exists()


def test_config_check_lists_every_problem(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_POLICY, encoding="utf-8")
    for args, env in (
        (["config", "check", str(bad)], None),
        (["--config", str(bad), "config", "check"], None),
        (["config", "check"], {"BIZOPS_CONFIG": str(bad)}),
    ):
        r = cli(*args, env=env)
        assert r.exit_code == 2, r.stderr
        lines = r.stderr.splitlines()
        assert lines[0] == f"Error: policy {bad} has 4 problem(s)"
        details = "\n".join(lines[1:])
        assert "cadence.A.negotiation: -3 is negative" in details
        assert "calendar.weekend_rule: 'sometimes'" in details
        assert "unknown value 'boss'" in details
        assert "'everything' matches everything" in details
        assert all(line.startswith("  - ") for line in lines[1:])
    r = cli("--config", str(bad), "config", "show")
    assert r.exit_code == 0 and "Warning: this policy has problems" in r.stderr


def test_a_broken_policy_stops_commands_that_need_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from bizops.cli.context import state

    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_POLICY, encoding="utf-8")
    cli("--config", str(bad), "--version")
    state().config = str(bad)
    from bizops.domain.errors import Invalid

    with pytest.raises(Invalid) as info:
        state().policy()
    assert "bizops config check" in info.value.message and len(info.value.details) == 4


def test_config_toml_error_names_the_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "syntax.toml"
    bad.write_text('currency = "CNY"\n[cadence.A\nnegotiation = 3\n', encoding="utf-8")
    line = one_error_line(cli("config", "check", str(bad)), 2)
    assert "TOML error" in line and "line 2" in line
    line = one_error_line(cli("--config", str(bad), "config", "show"), 2)
    assert "line 2" in line
    missing = tmp_path / "missing.toml"
    assert "does not exist" in one_error_line(cli("--config", str(missing), "config", "check"), 2)


def test_config_override_key_by_key(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[cadence.A]\nnegotiation = 2\n[company]\nname = "我的公司"\n', encoding="utf-8"
    )
    data = json.loads(cli("--config", str(mine), "config", "show", "-f", "json").stdout)
    assert data["cadence"]["A"] == {"default": 7, "negotiation": 2, "maintenance": 14}
    assert data["company"]["name"] == "我的公司" and data["company"]["name_en"]
    assert len(data["approval"]["rules"]) == 5
    defaults = json.loads(
        cli("--config", str(mine), "config", "show", "--defaults", "-f", "json").stdout
    )
    assert defaults["cadence"]["A"]["negotiation"] == 3
    assert cli("--config", str(mine), "config", "check").exit_code == 0


def test_config_path_warns_when_a_named_file_is_missing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nonexistent.toml"
    r = cli("--config", str(missing), "config", "path")
    assert r.exit_code == 0 and r.stdout.strip() == str(missing)
    assert "refuse to run until it does" in r.stderr
    assert "defaults apply" not in r.stderr
    refused = cli("--config", str(missing), "approval", "matrix")
    assert refused.exit_code == 2 and "does not exist" in refused.stderr
