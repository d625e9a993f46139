"""The contract state machine as data: moves, guards, and the words of a refusal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bizops.domain import contract_states as cs
from bizops.domain.errors import Conflict

LIFECYCLE = [
    ("submit", cs.DRAFT, cs.PENDING),
    ("approve", cs.PENDING, cs.APPROVED),
    ("sign", cs.APPROVED, cs.SIGNED),
    ("activate", cs.SIGNED, cs.ACTIVE),
    ("complete", cs.ACTIVE, cs.COMPLETED),
    ("archive", cs.COMPLETED, cs.ARCHIVED),
]


def test_the_main_path_reaches_every_state_but_terminated():
    state = cs.DRAFT
    seen = [state]
    for move, source, target in LIFECYCLE:
        assert state == source
        state = cs.check_move("HT-1", state, move, cs.Facts(has_signed_copy=True)).target
        assert state == target
        seen.append(state)
    assert set(cs.STATES) - set(seen) == {cs.TERMINATED}


def test_side_moves():
    assert cs.MOVES["reject"].target == cs.DRAFT
    assert cs.MOVES["withdraw"].target == cs.DRAFT
    assert cs.MOVES["reopen"].sources == (cs.APPROVED,)
    assert cs.MOVES["reopen"].target == cs.DRAFT
    assert set(cs.MOVES["terminate"].sources) == {cs.SIGNED, cs.ACTIVE}
    assert set(cs.MOVES["archive"].sources) == {cs.COMPLETED, cs.TERMINATED}


def test_every_move_is_well_formed():
    for move in cs.MOVES.values():
        assert move.target in cs.STATES
        assert move.sources and set(move.sources) <= set(cs.STATES)
        assert set(move.guards) <= set(cs.GUARDS)
    assert not cs.moves_from(cs.ARCHIVED)


def test_allowed_moves_per_state():
    facts = cs.Facts()
    assert cs.allowed_moves(cs.DRAFT, facts) == ["submit"]
    assert cs.allowed_moves(cs.PENDING, facts) == ["approve", "reject", "withdraw"]
    assert cs.allowed_moves(cs.APPROVED, facts) == ["sign", "reopen"]
    assert cs.allowed_moves(cs.SIGNED, facts) == ["activate", "terminate"]
    assert cs.allowed_moves(cs.ACTIVE, facts) == ["complete", "terminate"]
    # Archive needs a signed copy or --reason: a reason the command takes does not hide it.
    assert cs.allowed_moves(cs.COMPLETED, facts) == ["archive"]
    assert cs.allowed_moves(cs.ARCHIVED, facts) == []


def test_guards_block_and_say_why():
    busy = cs.Facts(open_milestones=(3, 4), open_disputes=(7,))
    assert cs.allowed_moves(cs.ACTIVE, busy) == ["terminate"]
    blocked = cs.blocked_moves(cs.ACTIVE, busy)
    assert "#3, #4" in blocked["complete"][0] and "#7" in blocked["complete"][1]
    with pytest.raises(Conflict, match="2 milestone"):
        cs.check_move("HT-1", cs.ACTIVE, "complete", busy)
    with pytest.raises(Conflict, match="open dispute"):
        cs.check_move("HT-1", cs.COMPLETED, "archive", cs.Facts(open_disputes=(1,), reason="x"))
    with pytest.raises(Conflict, match="no signed copy"):
        cs.check_move("HT-1", cs.TERMINATED, "archive", cs.Facts())
    cs.check_move("HT-1", cs.TERMINATED, "archive", cs.Facts(reason="paper copy in the safe"))
    with pytest.raises(Conflict, match="amendment HT-1-A1"):
        cs.check_move(
            "HT-1", cs.ACTIVE, "terminate", cs.Facts(reason="x", open_amendment="HT-1-A1")
        )
    with pytest.raises(Conflict, match="--reason"):
        cs.check_move("HT-1", cs.APPROVED, "reopen", cs.Facts(reason="  "))


def test_refusal_names_state_and_allowed_moves():
    with pytest.raises(Conflict) as err:
        cs.check_move("HT-2026-0001", cs.DRAFT, "sign")
    assert err.value.message == (
        "cannot sign contract HT-2026-0001: it is draft; allowed now: submit"
    )
    with pytest.raises(Conflict) as err:
        cs.check_move("HT-2026-0001", cs.PENDING, "sign")
    assert "approve, reject, withdraw (through `bizops approval`)" in err.value.message
    with pytest.raises(Conflict) as err:
        cs.check_move("HT-2026-0001", cs.ARCHIVED, "archive")
    assert err.value.message == (
        "contract HT-2026-0001 is already archived; no moves are allowed from it"
    )


@given(st.sampled_from(cs.STATES), st.sampled_from(sorted(cs.MOVES)))
def test_check_move_agrees_with_the_table(state, name):
    move = cs.MOVES[name]
    facts = cs.Facts(has_signed_copy=True, reason="r")
    if state in move.sources:
        assert cs.check_move("HT-1", state, name, facts) is move
        assert name in cs.allowed_moves(state, facts)
    else:
        with pytest.raises(Conflict, match=f"is {state}|already {state}"):
            cs.check_move("HT-1", state, name, facts)
        assert name not in cs.allowed_moves(state, facts)
