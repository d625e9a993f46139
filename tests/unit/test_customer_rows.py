"""One way to create a customer: the checked input and the rows it is written as."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from bizops.domain import pipeline
from bizops.domain.customer_fields import (
    COLUMNS,
    ContactIn,
    NewCustomer,
    check_new_customer,
    parse_contacts,
)
from bizops.domain.customer_rows import (
    ContactRow,
    CustomerRow,
    CustomerRowBuilder,
    FollowUpRow,
    StageRow,
    build_customer_rows,
)
from bizops.domain.errors import Conflict, Invalid, NotFound
from bizops.domain.vocab import STAGES
from bizops.services.policy import default_policy

FRIDAY = date(2026, 11, 27)
NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def new(**kw):
    values = {"name": "华信科技", "name_key": "华信科技", "grade": "B", "stage": "prospect"}
    return NewCustomer(**{**values, "owner_id": 7, **kw})


def build(customer, **kw):
    kw = {"code": "C0042", "policy": default_policy(), "today": FRIDAY, "now": NOW, **kw}
    return build_customer_rows(customer, actor=kw.pop("actor", "alice"), reason="created", **kw)


@pytest.mark.parametrize("stage", STAGES)
def test_a_new_customer_starts_anywhere_but_where_a_signed_contract_is_needed(stage):
    if stage in ("signed", "maintenance"):
        with pytest.raises(Conflict, match=f"--stage: {stage} needs a signed contract"):
            pipeline.check_starting_stage(stage)
    else:
        assert pipeline.check_starting_stage(stage) == stage
    # An import migrates records: every stage is taken as given.
    assert pipeline.check_starting_stage(stage, imported=True) == stage


def test_rows_of_a_new_customer():
    contacts = [ContactIn("张伟", "经理", "138-0013-8000", "Zhang@HuaXin.cn"), ContactIn("李娜")]
    customer, contact_rows, tags, stage, followup = build(
        new(potential=Decimal("1200000.00"), tags=["vip"], contacts=contacts)
    )
    assert customer == CustomerRow(
        "C0042", "华信科技", "华信科技", "huaxinkeji", "hxkj", "B", "prospect", 7, None, None, None,
        Decimal("1200000.00"), None, None, None, None, FRIDAY, None, FRIDAY, NOW,
    )  # fmt: skip
    assert contact_rows == (
        ContactRow(
            "张伟", "经理", "138-0013-8000", "Zhang@HuaXin.cn", "zhang@huaxin.cn",
            "张伟 | zhang@huaxin.cn | 13800138000", True,
        ),
        ContactRow("李娜", None, None, None, None, "李娜 |  | ", False),
    )  # fmt: skip
    assert tags == ("vip",)
    assert stage == StageRow(None, "prospect", FRIDAY, NOW, "alice", "created")
    # B: first contact 3 days after Friday 27th is Monday 30th.
    assert followup == FollowUpRow(
        date(2026, 11, 30), "open", "first_contact", "first contact", FRIDAY
    )


def test_the_first_contact_marked_primary_is_the_only_primary():
    contacts = [ContactIn("A"), ContactIn("B", primary=True), ContactIn("C", primary=True)]
    _, contact_rows, *_ = build(new(contacts=contacts))
    assert [c.is_primary for c in contact_rows] == [False, True, False]
    _, [only], *_ = build(new(contacts=[ContactIn("A")]))
    assert only.is_primary


@pytest.mark.parametrize(
    ("grade", "stage", "due"),
    [
        ("A", "prospect", date(2026, 11, 30)),  # +1 is Saturday: moved to Monday
        ("C", "needs", date(2026, 12, 4)),
        ("B", "lost", None),
        ("A", "dormant", None),
    ],
)
def test_first_followup_follows_the_cadence_rules(grade, stage, due):
    followup = build(new(grade=grade, stage=stage))[4]
    assert (followup.due if followup else None) == due


def test_a_customer_with_a_last_contact_is_due_by_its_cadence():
    rows = build(new(grade="A", stage="negotiation", last_contact_on=date(2026, 11, 26)))
    assert rows[4] == FollowUpRow(date(2026, 11, 30), "open", "cadence", None, FRIDAY)
    own = build(new(last_contact_on=date(2026, 11, 20), cadence_days=30))
    assert own[4].due == date(2026, 12, 21)  # the 20th + 30 days is a Saturday


def test_one_builder_serves_many_customers():
    builder = CustomerRowBuilder(
        policy=default_policy(), today=FRIDAY, now=NOW, actor="root", reason="imported from x.csv"
    )
    first, *_ = builder.build(new(), code="C0001")
    second, _, _, stage, followup = builder.build(
        new(name="Acme", name_key="acme", grade="C"), code="C0002"
    )
    assert (first.code, second.code) == ("C0001", "C0002")
    assert stage.reason == "imported from x.csv" and followup.due == date(2026, 12, 4)


def test_row_fields_are_the_columns_of_their_tables():
    from bizops.store.models import Contact, Customer, FollowUp, StageChange

    for row, model in (
        (CustomerRow, Customer),
        (ContactRow, Contact),
        (StageRow, StageChange),
        (FollowUpRow, FollowUp),
    ):
        columns = set(model.__table__.c.keys())
        assert set(row._fields) <= columns, (row.__name__, set(row._fields) - columns)


def owner_found():
    return 7


def test_check_stops_at_the_first_problem_or_collects_them_all():
    bad = {"name": "X", "grade": "Z", "stage": "won", "intent": "maybe"}
    with pytest.raises(Invalid, match="^--grade: unknown value 'Z'; accepted: A, B, C$"):
        check_new_customer(**bad, owner=owner_found, contacts=list)
    with pytest.raises(Invalid) as err:
        check_new_customer(**bad, owner=owner_found, contacts=list, labels=COLUMNS, collect=True)
    assert err.value.message.split("; accepted")[0] == "grade: unknown value 'Z'"
    assert "stage: unknown value 'won'" in err.value.message
    assert "intent: unknown value 'maybe'" in err.value.message


def test_check_keeps_the_error_of_a_failed_lookup_when_it_stops_first():
    def no_owner():
        raise NotFound("--owner: no user 'ghost'")

    with pytest.raises(NotFound):
        check_new_customer(name="X", grade="A", stage=None, owner=no_owner, contacts=list)


def test_check_gives_the_checked_customer():
    checked = check_new_customer(
        name=" ＡＣＭＥ Ltd. ",
        grade="b",
        stage=None,
        owner=owner_found,
        contacts=lambda: parse_contacts(["Li Lei, Buyer, li@acme.com"]),
        potential="12万",
        intent="HIGH",
        tags=["VIP, 重点", "vip"],
        region="  ",
    )
    assert checked == NewCustomer(
        name="ＡＣＭＥ Ltd.",
        name_key="acmeltd",
        grade="B",
        stage="prospect",
        owner_id=7,
        potential=Decimal("120000.00"),
        intent="high",
        tags=["vip", "重点"],
        contacts=[ContactIn("Li Lei", "Buyer", None, "li@acme.com")],
    )
