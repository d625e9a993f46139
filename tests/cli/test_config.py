"""`bizops config ...`: the policy stored in the database (show, history, check, apply) and the
personal preferences file (path, init), which may not set any part of the policy."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.cli import one_error_line
from tests.support.policies import cli_database

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


def _versions(cli) -> list[dict]:  # type: ignore[no-untyped-def]
    r = cli("config", "history", "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_config_path_init_show_check(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = Path(os.environ["BIZOPS_HOME"])
    r = cli("config", "path")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == f"personal: {home / 'config.toml'}"
    assert "policy: the built-in defaults" in r.stdout
    assert "not created yet" in r.stderr
    r = cli("config", "check")
    assert r.exit_code == 0 and "Policy OK (built-in defaults)" in r.stdout
    r = cli("config", "init")
    assert r.exit_code == 0 and (home / "config.toml").exists()
    assert "[ui]" in (home / "config.toml").read_text(encoding="utf-8")
    assert "exists; pass --force" in one_error_line(cli("config", "init"), 5)
    assert cli("config", "init", "--force").exit_code == 0
    assert cli("init", "--admin", "root").exit_code == 0
    r = cli("config", "path")
    assert "policy: version 1, stored in" in r.stdout and r.stderr == ""
    r = cli("config", "check")
    assert r.exit_code == 0 and "Policy OK (stored version 1)" in r.stdout
    r = cli("config", "show")
    assert r.exit_code == 0 and 'base = "CNY"' in r.stdout
    assert "policy version 1, applied by root" in r.stderr
    data = json.loads(cli("config", "show", "--format", "json").stdout)
    assert data["cadence"]["A"]["negotiation"] == 3
    assert data["visibility"]["sales"] == "own"
    assert "toml" in one_error_line(cli("config", "show", "--format", "csv"), 2)
    other = tmp_path / "elsewhere" / "mine.toml"
    assert cli("config", "init", str(other)).exit_code == 0 and other.exists()
    [first] = _versions(cli)
    assert first["version"] == 1 and first["applied_by"] == "root"
    assert first["source"] == "defaults" and first["in_force"] is True


def test_config_check_and_apply_list_every_problem(cli_admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = cli_admin
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_POLICY, encoding="utf-8")
    for args in (["config", "check", str(bad)], ["--as", "root", "config", "apply", str(bad)]):
        r = cli(*args)
        assert r.exit_code == 2, r.stderr
        lines = r.stderr.splitlines()
        assert lines[0] == f"Error: policy {bad} has 4 problem(s)"
        details = "\n".join(lines[1:])
        assert "cadence.A.negotiation: -3 is negative" in details
        assert "calendar.weekend_rule: 'sometimes'" in details
        assert "unknown value 'boss'" in details
        assert "'everything' matches everything" in details
        assert all(line.startswith("  - ") for line in lines[1:])
    assert [v["version"] for v in _versions(cli)] == [1]


@pytest.mark.parametrize("how", ["option", "environment", "default place"])
def test_a_personal_file_that_sets_policy_is_refused(cli_admin, tmp_path: Path, how: str) -> None:  # type: ignore[no-untyped-def]
    cli = cli_admin
    mine = tmp_path / "mine.toml"
    if how == "default place":
        mine = Path(os.environ["BIZOPS_HOME"]) / "config.toml"
    mine.write_text(
        '[ui]\nlanguage = "en"\n\n[[approval.rules]]\nname = "me"\nchain = ["manager"]\n',
        encoding="utf-8",
    )
    args: tuple[str, ...] = ("--config", str(mine)) if how == "option" else ()
    env = {"BIZOPS_CONFIG": str(mine)} if how == "environment" else None
    before = cli_database().engine.connect().exec_driver_sql("SELECT COUNT(*) FROM audit_events")
    line = one_error_line(cli(*args, "approval", "matrix", env=env), 2)
    assert f"config file {mine} sets [approval]" in line
    assert "bizops config apply FILE" in line
    assert one_error_line(cli(*args, "--as", "root", "user", "list", env=env), 2) == line
    after = cli_database().engine.connect().exec_driver_sql("SELECT COUNT(*) FROM audit_events")
    assert before.scalar() == after.scalar()


def test_a_personal_file_with_preferences_only_is_fine(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    mine = tmp_path / "mine.toml"
    mine.write_text('[ui]\nlanguage = "en"\n', encoding="utf-8")
    r = cli("--config", str(mine), "approval", "matrix", "--format", "json")
    assert r.exit_code == 0 and len(json.loads(r.stdout)) == 5
    missing = tmp_path / "nonexistent.toml"
    r = cli("--config", str(missing), "config", "path")
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == f"personal: {missing}"
    assert "not created yet" in r.stderr


def test_config_toml_error_names_the_line(cli_admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = cli_admin
    bad = tmp_path / "syntax.toml"
    bad.write_text('currency = "CNY"\n[cadence.A\nnegotiation = 3\n', encoding="utf-8")
    line = one_error_line(cli("config", "check", str(bad)), 2)
    assert "TOML error" in line and "line 2" in line
    assert "line 2" in one_error_line(cli("--as", "root", "config", "apply", str(bad)), 2)
    assert "line 2" in one_error_line(cli("--config", str(bad), "config", "path"), 2)
    missing = tmp_path / "missing.toml"
    assert "does not exist" in one_error_line(cli("config", "check", str(missing)), 2)
    assert "does not exist" in one_error_line(
        cli("--as", "root", "config", "apply", str(missing)), 2
    )
    assert [v["version"] for v in _versions(cli)] == [1]


def test_apply_stores_a_version_and_prints_the_changes(cli_admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = cli_admin
    mine = tmp_path / "dept.toml"
    mine.write_text(
        '[cadence.A]\nnegotiation = 2\n[company]\nname = "我的公司"\n', encoding="utf-8"
    )
    r = cli("--as", "root", "config", "apply", str(mine))
    assert r.exit_code == 0, r.output
    assert "Policy version 2 is in force (was 1)." in r.stdout
    assert "cadence.A.negotiation" in r.stdout and "company.name" in r.stdout
    data = json.loads(cli("config", "show", "-f", "json").stdout)
    assert data["cadence"]["A"] == {"default": 7, "negotiation": 2, "maintenance": 14}
    assert data["company"]["name"] == "我的公司" and data["company"]["name_en"]
    assert len(data["approval"]["rules"]) == 5
    old = json.loads(cli("config", "show", "--version", "1", "-f", "json").stdout)
    assert old["cadence"]["A"]["negotiation"] == 3
    defaults = json.loads(cli("config", "show", "--defaults", "-f", "json").stdout)
    assert defaults == old
    assert "no policy version 9" in one_error_line(cli("config", "show", "--version", "9"), 3)
    again = cli("--as", "root", "config", "apply", str(mine), "--format", "json")
    assert json.loads(again.stdout) == {"version": 3, "previous": 2, "changes": []}
    mine.write_text("[approval]\nsla_days = 5\n", encoding="utf-8")
    changed = json.loads(cli("--as", "root", "config", "apply", str(mine), "-f", "json").stdout)
    assert changed["version"] == 4
    assert {"key": "approval.sla_days", "before": 2, "after": 5} in changed["changes"]
    assert {"key": "cadence.A.negotiation", "before": 2, "after": 3} in changed["changes"]
    versions = _versions(cli)
    assert [v["version"] for v in versions] == [4, 3, 2, 1]
    assert [v["in_force"] for v in versions] == [True, False, False, False]
    assert versions[0]["source"] == str(mine) and versions[0]["applied_by"] == "root"
    events = json.loads(cli("audit", "log", "--format", "json").stdout)
    assert sum(e["action"] == "policy.apply" for e in events) == 3


def test_only_an_admin_applies_a_policy(cli_admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = cli_admin
    assert cli("--as", "root", "user", "add", "alice", "--role", "sales").exit_code == 0
    mine = tmp_path / "mine.toml"
    mine.write_text('[[approval.rules]]\nname = "me"\nchain = ["manager"]\n', encoding="utf-8")
    line = one_error_line(cli("--as", "alice", "config", "apply", str(mine)), 4)
    assert "only an admin may apply a policy; alice is sales" in line
    assert [v["version"] for v in _versions(cli)] == [1]
    route = cli(
        "approval", "route", "--type", "sales", "--amount", "5亿", "--risk", "high", "-f", "json"
    )
    assert json.loads(route.stdout)["rule"] == "high-risk"


def test_apply_in_chinese(cli_admin, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = cli_admin
    mine = tmp_path / "mine.toml"
    mine.write_text("[approval]\nsla_days = 3\n", encoding="utf-8")
    r = cli("--lang", "zh", "--as", "root", "config", "apply", str(mine))
    assert r.exit_code == 0, r.output
    assert "制度版本 2 已生效" in r.stdout
    mine.write_text('[[approval.rules]]\nname = "me"\nchain = ["manager"]\n', encoding="utf-8")
    r = cli("--lang", "zh", "--config", str(mine), "approval", "matrix")
    assert r.exit_code == 2 and "config apply" in r.stderr and "个人配置文件" in r.stderr


def test_a_new_personal_database_is_readable_by_its_owner_only(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import stat

    home = tmp_path / "fresh-home"
    env = {"BIZOPS_HOME": str(home), "BIZOPS_DB": ""}
    assert cli("init", "--admin", "root", env=env).exit_code == 0
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "bizops.db").stat().st_mode) == 0o600
