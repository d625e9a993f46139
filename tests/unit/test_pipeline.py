from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizops.domain import pipeline
from bizops.domain.errors import Conflict, Invalid
from bizops.domain.vocab import PIPELINE, SIDE_EXITS, STAGES


def test_next_moves_one_step_without_reason():
    move = pipeline.plan_move("prospect", None, step_next=True)
    assert (move.from_stage, move.to_stage, move.kind) == ("prospect", "contacted", "next")
    assert pipeline.plan_move("needs", "proposal").kind is pipeline.Move.NEXT


@pytest.mark.parametrize(
    ("current", "target", "kind"),
    [
        ("prospect", "proposal", "skip"),
        ("proposal", "contacted", "back"),
        ("needs", "lost", "exit"),
        ("negotiation", "dormant", "exit"),
        ("lost", "prospect", "reopen"),
        ("dormant", "needs", "reopen"),
        ("lost", "dormant", "exit"),
    ],
)
def test_every_other_move_needs_a_reason(current, target, kind):
    with pytest.raises(Invalid, match="needs --reason"):
        pipeline.plan_move(current, target)
    move = pipeline.plan_move(current, target, reason="customer asked")
    assert move.kind == kind and move.reason == "customer asked"


def test_blank_reason_is_no_reason():
    with pytest.raises(Invalid, match="--reason"):
        pipeline.plan_move("prospect", "needs", reason="   ")


def test_signed_needs_a_signed_contract_even_with_reason():
    with pytest.raises(Conflict, match="signed contract"):
        pipeline.plan_move("negotiation", None, step_next=True)
    with pytest.raises(Conflict, match="signed contract"):
        pipeline.plan_move("prospect", "signed", reason="big deal")
    assert (
        pipeline.plan_move("negotiation", "signed", has_signed_contract=True).to_stage == "signed"
    )


def test_no_next_from_side_exits_or_the_last_stage():
    with pytest.raises(Conflict, match="lost"):
        pipeline.plan_move("lost", None, step_next=True)
    with pytest.raises(Conflict, match="last pipeline stage"):
        pipeline.plan_move("maintenance", None, step_next=True)


def test_same_stage_unknown_stage_and_usage():
    with pytest.raises(Conflict, match="already at needs"):
        pipeline.plan_move("needs", "needs", reason="x")
    with pytest.raises(Invalid, match="accepted: prospect"):
        pipeline.plan_move("needs", "won", reason="x")
    with pytest.raises(Invalid, match="either"):
        pipeline.plan_move("needs", "proposal", step_next=True)
    with pytest.raises(Invalid, match="--next"):
        pipeline.plan_move("needs", None)


def test_contract_moves_only_forward_or_out_of_side_exits():
    assert pipeline.contract_moves_customer("negotiation", "signed")
    assert pipeline.contract_moves_customer("prospect", "maintenance")
    assert pipeline.contract_moves_customer("lost", "signed")
    assert pipeline.contract_moves_customer("dormant", "maintenance")
    assert not pipeline.contract_moves_customer("maintenance", "signed")
    assert not pipeline.contract_moves_customer("signed", "signed")


def test_stage_spans_count_days_in_stage():
    spans = pipeline.stage_spans(
        [
            (None, "prospect", date(2026, 11, 1), "alice", "created"),
            ("prospect", "contacted", date(2026, 11, 4), "alice", None),
            ("contacted", "lost", date(2026, 11, 20), "bob", "no budget"),
        ],
        today=date(2026, 11, 27),
    )
    assert [(s.stage, s.days) for s in spans] == [("prospect", 3), ("contacted", 16), ("lost", 7)]
    assert spans[-1].until is None and spans[0].until == date(2026, 11, 4)


@given(st.sampled_from(STAGES), st.sampled_from(STAGES))
def test_any_distinct_move_with_reason_is_allowed_except_signed(current, target):
    if current == target:
        return
    before_signed = pipeline.stage_index(current) < pipeline.stage_index("signed")
    if target == "signed" or (target == "maintenance" and before_signed):
        with pytest.raises(Conflict):
            pipeline.plan_move(current, target, reason="r")
        return
    move = pipeline.plan_move(current, target, reason="r")
    assert move.to_stage == target
    forward_one = (
        current in PIPELINE
        and target in PIPELINE
        and PIPELINE.index(target) == PIPELINE.index(current) + 1
    )
    assert (move.kind is pipeline.Move.NEXT) == forward_one
    if target in SIDE_EXITS:
        assert move.kind is pipeline.Move.EXIT


def test_skipping_to_maintenance_needs_a_signed_contract_too() -> None:
    import pytest

    from bizops.domain.errors import Conflict
    from bizops.domain.pipeline import plan_move

    with pytest.raises(Conflict, match="maintenance needs a signed contract"):
        plan_move("prospect", "maintenance", reason="long-standing account")
    with pytest.raises(Conflict, match="maintenance needs a signed contract"):
        plan_move("dormant", "maintenance", reason="back again")
    assert plan_move("prospect", "maintenance", reason="x", has_signed_contract=True)
    assert plan_move("signed", None, step_next=True).to_stage == "maintenance"
