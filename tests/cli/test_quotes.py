"""The product and quote commands: wiring, JSON, exit codes, and the Chinese interface."""

from __future__ import annotations

import json
import os

import pytest

from bizops.services.policy import default_policy
from bizops.store.engine import Database
from tests.support import TODAY
from tests.support.cli import one_error_line
from tests.support.factories import add_customer


@pytest.fixture
def run(cli_admin):
    for login, role in [("alice", "sales"), ("mia", "manager"), ("gus", "gm")]:
        assert cli_admin("--as", "root", "user", "add", login, "--role", role).exit_code == 0
    db = Database(os.environ["BIZOPS_DB"])
    add_customer(
        db, name="上海华东机电有限公司", owner="alice", policy=default_policy(), today=TODAY
    )
    db.dispose()

    def call(user: str, *args: str, lang: str = "en"):
        return cli_admin("--lang", lang, "--as", user, "--today", TODAY.isoformat(), *args)

    product = ("product", "add", "P-100", "--name", "数控机床", "--unit", "台")
    assert (
        call(
            "mia", *product, "--price", "1000", "--floor-price", "900", "--tax-rate", "13%"
        ).exit_code
        == 0
    )
    return call


def test_a_quote_from_new_to_accepted_and_a_contract(run) -> None:
    number = run("alice", "quote", "new", "--customer", "C0001").stdout.strip()
    assert number == "Q-2026-0001"
    added = run(
        "alice",
        "quote",
        "line",
        "add",
        number,
        "--product",
        "P-100",
        "--qty",
        "2",
        "--discount",
        "8%",
    )
    assert added.exit_code == 0, added.output
    assert "2,079.20 CNY incl. tax (1 line)" in added.stdout
    route = json.loads(run("alice", "quote", "route", number, "--format", "json").stdout)
    assert (route["rule"], route["chain"]) == ("discount", ["manager"])
    assert run("alice", "quote", "submit", number).exit_code == 0
    assert "pending_approval" in one_error_line(run("alice", "quote", "send", number), 5)
    assert run("mia", "approval", "approve", number).exit_code == 0
    for move in ("send", "accept"):
        assert run("alice", "quote", move, number).exit_code == 0
    made = run("alice", "contract", "new", "--from-quote", number)
    assert made.exit_code == 0, made.output
    shown = json.loads(run("alice", "quote", "show", number, "--format", "json").stdout)
    assert shown["status"] == "accepted" and shown["contract"] == made.stdout.strip()
    assert shown["gross"] == "2079.20" and shown["discount_pct"] == "8.00"


def test_sending_an_unapproved_quote_is_refused(run) -> None:
    number = run("alice", "quote", "new", "--customer", "C0001").stdout.strip()
    line = one_error_line(run("alice", "quote", "send", number), 5)
    assert "send needs approved" in line


def test_floor_prices_stay_hidden_from_sales(run) -> None:
    sales = json.loads(run("alice", "product", "list", "--format", "json").stdout)
    manager = json.loads(run("mia", "product", "list", "--format", "json").stdout)
    assert "floor_price" not in sales[0] and manager[0]["floor_price"] == "900.00"


def test_quotes_speak_chinese_and_json_stays_the_same(run) -> None:
    number = run("alice", "quote", "new", "--customer", "C0001").stdout.strip()
    added = run(
        "alice", "quote", "line", "add", number, "--product", "P-100", "--qty", "1", lang="zh"
    )
    assert added.stdout.strip() == f"{number}：草稿，含税 1,130.00 CNY（1 行）"
    refused = run(
        "alice", "quote", "line", "add", number, "--product", "P-100", "--qty", "0", lang="zh"
    )
    assert "数量必须大于零" in one_error_line(refused, 2)
    en = run("alice", "quote", "show", number, "--format", "json").stdout
    zh = run("alice", "quote", "show", number, "--format", "json", lang="zh").stdout
    # The keys, codes and figures stay; only the route's explanation is in words.
    assert json.loads(en) | {"route": ""} == json.loads(zh) | {"route": ""}


def test_the_quotation_document_in_each_format(run, tmp_path) -> None:
    number = run("alice", "quote", "new", "--customer", "C0001", "--payment", "预付30%").stdout
    number = number.strip()
    run("alice", "quote", "line", "add", number, "--product", "P-100", "--qty", "3")
    md = run("alice", "quote", "draft", number)
    assert md.exit_code == 0, md.output
    assert "上海华东机电有限公司" in md.stdout and "预付30%" in md.stdout
    assert "叁仟叁佰玖拾元整" in md.stdout  # 3 x 1,000.00 + 13% VAT = 3,390.00
    english = run("alice", "quote", "draft", number, "--template", "quote-en")
    assert "Total including tax:** CNY 3,390.00" in english.stdout
    for suffix in ("html", "docx", "xlsx"):
        path = tmp_path / f"q.{suffix}"
        done = run("alice", "quote", "draft", number, "-o", str(path))
        assert done.exit_code == 0, done.output
        assert path.stat().st_size > 0
    assert "<html" in (tmp_path / "q.html").read_text(encoding="utf-8")
