"""`customer needs record|show` and `template list --kind needs`, in English and Chinese."""

from __future__ import annotations

import json
import os

import pytest

from bizops.services.policy import default_policy
from bizops.store.engine import Database
from tests.support import TODAY
from tests.support.factories import add_customer


@pytest.fixture
def run(cli_admin):
    assert cli_admin("--as", "root", "user", "add", "alice", "--role", "sales").exit_code == 0
    db = Database(os.environ["BIZOPS_DB"])
    add_customer(
        db,
        name="杭州恒通电子",
        owner="alice",
        policy=default_policy(),
        today=TODAY,
        stage="contacted",
    )
    db.dispose()

    def call(*args: str, lang: str = "en"):
        return cli_admin("--lang", lang, "--as", "alice", "--today", TODAY.isoformat(), *args)

    return call


def test_the_frameworks_are_listed_as_templates_of_kind_needs(run) -> None:
    rows = json.loads(run("template", "list", "--kind", "needs", "--format", "json").stdout)
    assert {r["name"] for r in rows} == {"needs-general-zh", "needs-general-en"}
    assert {r["type"] for r in rows} == {"needs"}
    fields = json.loads(run("template", "fields", "needs-general-en", "--format", "json").stdout)
    assert fields[0]["name"] == "budget" and fields[0]["required"] is True
    contracts = json.loads(run("template", "list", "--kind", "contract", "--format", "json").stdout)
    assert contracts and all(r["type"] not in ("email", "script", "needs") for r in contracts)


def test_answers_from_options_and_a_file_move_the_customer(run, tmp_path) -> None:
    first = run(
        "customer",
        "needs",
        "record",
        "C0001",
        "--set",
        "budget=50万",
        "--set",
        "budget_status=approved",
        "--set",
        "decision_maker=王总",
    )
    assert first.exit_code == 0, first.output
    assert "3 of 12 answered" in first.stdout and "decision_date, pain_points" in first.stderr
    answers = tmp_path / "needs.toml"
    answers.write_text(
        '[timeline]\ndecision_date = 2027-01-15\n\n[situation]\npain_points = "交货延误"\n',
        encoding="utf-8",
    )
    done = run("customer", "needs", "record", "C0001", "--from", str(answers))
    assert done.exit_code == 0, done.output
    assert "moved to stage needs" in done.stderr
    shown = json.loads(
        run("customer", "needs", "show", "C0001", "--history", "--format", "json").stdout
    )
    assert shown["stage"] == "needs" and shown["latest"]["complete"] is True
    assert shown["latest"]["answers"]["decision_date"] == "2027-01-15"
    assert len(shown["history"]) == 1


def test_bad_answers_exit_2_with_every_problem(run) -> None:
    bad = run(
        "customer", "needs", "record", "C0001", "--set", "budget_status=maybe", "--set", "x=1"
    )
    assert bad.exit_code == 2
    assert "maybe" in bad.output and "x: not a question" in bad.output


def test_in_chinese(run) -> None:
    done = run("customer", "needs", "record", "C0001", "--set", "budget=50万", lang="zh")
    assert done.exit_code == 0, done.output
    assert "已记录 C0001 的需求分析（needs-general-zh）：已回答 1/12 项。" in done.stdout
    assert "仍需了解（必填）" in done.stderr
    bad = run("customer", "needs", "record", "C0001", "--set", "colour=red", lang="zh")
    assert bad.exit_code == 2 and "不是框架 needs-general-zh 中的问题" in bad.output
    shown = run("customer", "needs", "show", "C0001", lang="zh")
    assert "预算\tbudget\t预算金额\t是\t500000.00" in shown.stdout
