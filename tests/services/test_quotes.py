"""Products and quotations through the services, with their approval (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from bizops.domain.errors import Conflict, Invalid, NotPermitted
from bizops.services import approvals, contracts, quotes
from bizops.store.models import ApprovalRequest, Quote, QuoteLine
from tests.support.factories import add_customer, add_product, new_quote, quote_move
from tests.support.queries import count_rows


@pytest.fixture
def shop(db, team, policy, today):
    """Two products (one with a floor price) and a customer of alice's."""
    add_product(
        db,
        actor=team["mia"],
        code="P-1",
        price="100.00",
        floor_price="80.00",
        policy=policy,
        today=today,
    )
    add_product(db, actor=team["mia"], code="P-2", price="50.00", policy=policy, today=today)
    return add_customer(db, name="华东机电", owner=team["alice"], policy=policy, today=today)


def quote_with(db, team, policy, today, customer, *lines, **fields):
    return new_quote(
        db,
        actor=team["alice"],
        customer=customer,
        policy=policy,
        today=today,
        lines=lines,
        **fields,
    )


def status_of(db, number: str) -> str:
    with db.read() as s:
        return s.execute(select(Quote.status).where(Quote.number == number)).scalar_one()


def test_quote_numbers_and_totals(db, team, policy, today, shop) -> None:
    q = quote_with(
        db,
        team,
        policy,
        today,
        shop,
        {"product": "P-1", "qty": "3", "discount": "8%"},
        {"product": "P-2", "qty": "2"},
        {"name": "安装调试", "qty": "1", "price": "500", "tax_rate": "6"},
    )
    assert q["number"] == f"Q-{today.year}-0001"
    assert [line["unit_price"] for line in q["lines"]] == [
        Decimal("92.00"),
        Decimal("50.00"),
        Decimal("500.00"),
    ]
    assert q["amount"] == Decimal("876.00")
    assert q["tax"] == Decimal("35.88") + Decimal("13.00") + Decimal("30.00")
    assert q["gross"] == q["amount"] + q["tax"]
    assert q["discount_amount"] == Decimal("24.00")
    assert q["max_line_discount_pct"] == Decimal("8.00")
    assert q["rule"] == "discount" and q["needs_approval"] is True


def test_floor_prices_are_shown_to_managers_and_finance_only(db, team, shop) -> None:
    with db.read() as s:
        assert "floor_price" not in quotes.show_product(s, actor=team["alice"], ref="P-1")
        assert quotes.show_product(s, actor=team["fay"], ref="P-1")["floor_price"] == Decimal("80")
        assert "floor_price" not in quotes.list_products(s, actor=None)[0]
        assert "floor_price" in quotes.list_products(s, actor=team["mia"])[0]


def test_a_quote_within_5_percent_is_approved_on_submit(db, team, policy, today, shop) -> None:
    q = quote_with(db, team, policy, today, shop, {"product": "P-1", "qty": "1", "discount": "5"})
    done = quote_move(
        db, "submit", actor=team["alice"], number=q["number"], policy=policy, today=today
    )
    assert done["status"] == "approved"
    assert count_rows(db, ApprovalRequest) == 0


def test_below_floor_goes_to_manager_then_gm(db, team, policy, today, shop) -> None:
    q = quote_with(db, team, policy, today, shop, {"product": "P-1", "qty": "1", "price": "79"})
    quote_move(db, "submit", actor=team["alice"], number=q["number"], policy=policy, today=today)
    assert status_of(db, q["number"]) == "pending_approval"
    with db.read() as s:
        inbox = approvals.pending_rows(s, user=team["mia"], today=today)
    assert [(r["subject"], r["contract"]) for r in inbox] == [("quote", q["number"])]
    for login in ("mia", "gus"):
        with db.write() as s:
            view = contracts.approve_request(
                s, actor=team[login], ref=q["number"], policy=policy, today=today
            )
    assert view["subject"] == "quote" and view["status"] == "approved"
    assert view["chain"] == ["manager", "gm"]
    assert status_of(db, q["number"]) == "approved"


def test_a_rejected_approval_takes_the_quote_back_to_draft(db, team, policy, today, shop) -> None:
    q = quote_with(db, team, policy, today, shop, {"product": "P-1", "qty": "1", "discount": "10"})
    quote_move(db, "submit", actor=team["alice"], number=q["number"], policy=policy, today=today)
    with db.write() as s:
        contracts.reject_request(
            s, actor=team["mia"], ref=q["number"], reason="too deep", policy=policy, today=today
        )
    assert status_of(db, q["number"]) == "draft"


def test_send_accept_and_a_changed_quote_needs_approval_again(
    db, team, policy, today, shop
) -> None:
    q = quote_with(db, team, policy, today, shop, {"product": "P-2", "qty": "4"})
    number = q["number"]
    quote_move(db, "submit", actor=team["alice"], number=number, policy=policy, today=today)
    with pytest.raises(Conflict):
        quote_move(db, "accept", actor=team["alice"], number=number, policy=policy, today=today)
    with db.write() as s:
        changed = quotes.add_line(
            s,
            actor=team["alice"],
            ref=number,
            product="P-1",
            qty="1",
            discount="20",
            policy=policy,
            today=today,
        )
    assert changed["status"] == "draft"
    with pytest.raises(Conflict, match="send needs approved"):
        quote_move(db, "send", actor=team["alice"], number=number, policy=policy, today=today)
    with db.write() as s:
        quotes.remove_line(s, actor=team["alice"], ref=number, line=2, policy=policy, today=today)
    quote_move(db, "submit", actor=team["alice"], number=number, policy=policy, today=today)
    quote_move(db, "send", actor=team["alice"], number=number, policy=policy, today=today)
    with pytest.raises(Conflict), db.write() as s:
        quotes.update_quote(
            s, actor=team["alice"], ref=number, notes="x", policy=policy, today=today
        )
    done = quote_move(db, "accept", actor=team["alice"], number=number, policy=policy, today=today)
    assert done["status"] == "accepted"


def test_an_expired_quote_cannot_be_accepted(db, team, policy, today, shop) -> None:
    until = today + timedelta(days=10)
    q = quote_with(
        db, team, policy, today, shop, {"product": "P-2", "qty": "1"}, valid_until=until.isoformat()
    )
    for move in ("submit", "send"):
        quote_move(db, move, actor=team["alice"], number=q["number"], policy=policy, today=today)
    later = until + timedelta(days=1)
    with db.read() as s:
        assert quotes.show_quote(s, ref=q["number"], policy=policy, today=later)["status"] == (
            "expired"
        )
        assert [r["number"] for r in quotes.list_quotes(s, today=later, status="expired")] == [
            q["number"]
        ]
    with pytest.raises(Conflict, match="has expired"):
        quote_move(
            db, "accept", actor=team["alice"], number=q["number"], policy=policy, today=later
        )
    quote_move(db, "accept", actor=team["alice"], number=q["number"], policy=policy, today=until)


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ({"product": "P-1", "qty": "0"}, Invalid),
        ({"product": "P-1", "qty": "1", "discount": "100%"}, Invalid),
        ({"product": "P-1", "qty": "1", "price": "9.999"}, Invalid),
        ({"name": "x", "qty": "1", "price": "9", "currency": "USD"}, Invalid),
        ({"product": "P-9", "qty": "1"}, Exception),
    ],
)
def test_bad_lines_change_nothing(db, team, policy, today, shop, line, error) -> None:
    q = quote_with(db, team, policy, today, shop)
    with pytest.raises(error), db.write() as s:
        quotes.add_line(s, actor=team["alice"], ref=q["number"], policy=policy, today=today, **line)
    assert count_rows(db, QuoteLine) == 0


def test_archived_products_and_foreign_currencies_are_refused(
    db, team, policy, today, shop
) -> None:
    add_product(db, actor=team["mia"], code="P-USD", currency="USD", policy=policy, today=today)
    with db.write() as s:
        quotes.archive_product(s, actor=team["mia"], ref="P-2", today=today)
    q = quote_with(db, team, policy, today, shop)
    with pytest.raises(Conflict, match="archived"), db.write() as s:
        quotes.add_line(
            s,
            actor=team["alice"],
            ref=q["number"],
            product="P-2",
            qty="1",
            policy=policy,
            today=today,
        )
    with pytest.raises(Invalid, match="USD"), db.write() as s:
        quotes.add_line(
            s,
            actor=team["alice"],
            ref=q["number"],
            product="P-USD",
            qty="1",
            policy=policy,
            today=today,
        )


def test_sales_may_not_keep_the_price_list(db, team, policy, today) -> None:
    with pytest.raises(NotPermitted):
        add_product(db, actor=team["alice"], code="P-3", policy=policy, today=today)


def test_product_import_reads_chinese_headers(db, team, policy, today, tmp_path) -> None:
    path = tmp_path / "products.csv"
    path.write_text(
        "编码,名称,规格,单位,单价,最低限价,税率\nP-10,数控机床,CK6140,台,120000,100000,13%\n"
        "P-11,刀具,,把,35.5,,13\n",
        encoding="utf-8",
    )
    with db.write() as s:
        done = quotes.import_products(s, actor=team["mia"], path=path, policy=policy, today=today)
    assert (done.added, done.updated) == (2, 0)
    with db.read() as s:
        row = quotes.show_product(s, actor=team["mia"], ref="P-10")
    assert row["floor_price"] == Decimal("100000.00") and row["tax_rate"] == Decimal("13.00")


def accepted(db, team, policy, today, customer) -> str:
    q = quote_with(
        db,
        team,
        policy,
        today,
        customer,
        {"product": "P-1", "qty": "2"},
        {"product": "P-2", "qty": "3", "discount": "4%"},
    )
    for move in ("submit", "send", "accept"):
        quote_move(db, move, actor=team["alice"], number=q["number"], policy=policy, today=today)
    return q["number"]


def test_a_contract_from_an_accepted_quote_carries_its_lines(db, team, policy, today, shop) -> None:
    number = accepted(db, team, policy, today, shop)
    with db.write() as s:
        made = contracts.contract_from_quote(
            s, actor=team["alice"], quote=number, policy=policy, today=today
        )
    with db.read() as s:
        shown = contracts.show_contract(s, ref=made["number"], today=today)
        quote = quotes.show_quote(s, ref=number, policy=policy, today=today)
    assert shown["amount"] == quote["gross"] and shown["currency"] == "CNY"
    assert shown["customer_code"] == shop["code"] and shown["status"] == "draft"
    goods = shown["fields"]["goods"]
    # The contract's goods table states prices tax-inclusive, as contracts do.
    assert [
        (g["name"], g["quantity"], g["unit_price"], g["amount"], g["tax_rate"]) for g in goods
    ] == [
        (goods[0]["name"], "2", "113.00", "226.00", "13"),
        (goods[1]["name"], "3", "54.24", "162.72", "13"),
    ]
    assert sum(Decimal(g["amount"]) for g in goods) == shown["amount"]
    assert shown["fields"]["quote"] == number and quote["contract"] == made["number"]
    with pytest.raises(Conflict, match="already became"), db.write() as s:
        contracts.contract_from_quote(
            s, actor=team["alice"], quote=number, policy=policy, today=today
        )


def test_no_contract_from_a_quote_that_is_not_accepted(db, team, policy, today, shop) -> None:
    q = quote_with(db, team, policy, today, shop, {"product": "P-2", "qty": "1"})
    with pytest.raises(Conflict, match="accepted quote"), db.write() as s:
        contracts.contract_from_quote(
            s, actor=team["alice"], quote=q["number"], policy=policy, today=today
        )


def test_negotiation_starts_from_an_accepted_quote(db, team, policy, today, shop) -> None:
    from bizops.services import customers

    def step(**kw):
        with db.write() as s:
            return customers.move_stage(
                s, actor=team["alice"], ref=shop["code"], policy=policy, today=today, **kw
            )

    for stage in ("contacted", "needs", "proposal"):
        step(stage=stage)
    with pytest.raises(Conflict, match="accepted quote"):
        step(step_next=True)
    accepted(db, team, policy, today, shop)
    assert step(step_next=True)["stage"] == "negotiation"


def test_the_stage_rule_may_be_turned_off_or_overridden_with_a_reason(
    db, team, today, shop
) -> None:
    from dataclasses import replace

    from bizops.services import customers
    from bizops.services.policy import default_policy

    off = replace(default_policy(), quote_before_negotiation=False)
    with db.write() as s:
        customers.move_stage(
            s,
            actor=team["alice"],
            ref=shop["code"],
            stage="negotiation",
            reason="framework agreement",
            policy=default_policy(),
            today=today,
        )
        customers.move_stage(
            s,
            actor=team["alice"],
            ref=shop["code"],
            stage="proposal",
            reason="back",
            policy=off,
            today=today,
        )
        moved = customers.move_stage(
            s, actor=team["alice"], ref=shop["code"], step_next=True, policy=off, today=today
        )
    assert moved["stage"] == "negotiation"


def test_quote_report_win_rate_discount_and_days(db, team, policy, today, shop) -> None:
    won = accepted(db, team, policy, today, shop)
    lost = quote_with(db, team, policy, today, shop, {"product": "P-2", "qty": "1"})
    for move in ("submit", "send"):
        quote_move(db, move, actor=team["alice"], number=lost["number"], policy=policy, today=today)
    quote_move(
        db,
        "reject",
        actor=team["alice"],
        number=lost["number"],
        policy=policy,
        today=today,
        reason="price",
    )
    with db.read() as s:
        (row,) = quotes.quote_stats(s, today=today)
    assert won and (row["owner"], row["sent"], row["accepted"], row["rejected"]) == (
        "alice",
        2,
        1,
        1,
    )
    assert row["win_rate"] == Decimal("50.0") and row["average_days_to_accept"] == 0
