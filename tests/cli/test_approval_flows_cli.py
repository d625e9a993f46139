"""The approval flow commands: delegate, add-signer, user away, seal and the seal log, with
the Chinese interface and exit codes."""

from __future__ import annotations

import json
from typing import Any

from bizops.services.policy import default_policy
from tests.cli.test_approvals import cli_db, open_for, run  # noqa: F401
from tests.support.cli import one_error_line
from tests.support.factories import add_user


def test_delegate_and_add_signer_commands(cli: Any, cli_db: Any) -> None:  # noqa: F811
    add_user(cli_db, "ned", "manager")
    rid, _number = open_for(cli_db, default_policy(), amount="50000")
    result = run(cli, "--as", "mia", "approval", "delegate", str(rid), "--to", "ned", "-m", "休假")
    assert result.exit_code == 0, result.stderr
    assert f"Request {rid}" in result.stdout and "handed to ned" in result.stdout
    refused = run(cli, "--lang", "zh", "--as", "mia", "approval", "approve", str(rid))
    assert "已转交给 ned；只有其本人可以审批" in one_error_line(refused, 4)
    added = run(
        cli, "--lang", "zh", "--as", "ned", "approval", "add-signer", str(rid), "--role", "legal"
    )
    assert added.exit_code == 0, added.stderr
    assert "审批链现为 manager → legal" in added.stdout
    shown = run(cli, "approval", "show", str(rid), "--format", "json")
    steps = json.loads(shown.stdout)["steps"]
    assert [(s["role"], s["assignee"]) for s in steps] == [("manager", "ned"), ("legal", None)]


def test_user_away_refuses_a_period_ending_before_it_starts(cli: Any, cli_db: Any) -> None:  # noqa: F811
    add_user(cli_db, "ned", "manager")
    args = ("user", "away", "mia", "--from", "2026-12-10", "--delegate", "ned")
    bad = run(cli, "--as", "mia", *args, "--until", "2026-12-09")
    assert "--until: 2026-12-09 is before --from 2026-12-10" in one_error_line(bad, 2)
    good = run(cli, "--lang", "zh", "--as", "mia", *args, "--until", "2026-12-11")
    assert good.exit_code == 0, good.stderr
    assert "mia 自 2026-12-10 至 2026-12-11 不在办公室；由 ned 代理。" in good.stdout


def test_seal_before_approval_is_a_conflict_and_the_log_is_empty(cli: Any, cli_db: Any) -> None:  # noqa: F811
    add_user(cli_db, "sam", "seal_keeper")
    _rid, number = open_for(cli_db, default_policy(), amount="50000")
    result = run(cli, "--lang", "zh", "--as", "sam", "contract", "seal", number)
    assert "只有已审批的合同才能用印" in one_error_line(result, 5)
    log = run(cli, "seal", "log", "--format", "json")
    assert log.exit_code == 0 and json.loads(log.stdout) == []
