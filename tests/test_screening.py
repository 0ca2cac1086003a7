"""The red-flag screen: every outcome, incomplete screens, and the widget that runs it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcourse.content import load_course
from backcourse.core.screening import IncompleteScreen, screen

FLAGS = load_course().red_flags


def answers(*yes: str) -> dict[str, bool | None]:
    return {f.id: f.id in yes for f in FLAGS}


@pytest.mark.parametrize("yes, outcome", [
    ((), "clear"),
    (("S7",), "soon"),
    (("E8",), "same day"),
    (("E1",), "emergency"),
    (("S1", "E8", "E3"), "emergency"),
    (("S1", "E8"), "same day"),
])
def test_the_most_urgent_yes_decides(yes: tuple[str, ...], outcome: str) -> None:
    result = screen(FLAGS, answers(*yes))
    assert result.outcome == outcome
    assert {f.id for f in result.flagged} == set(yes)
    assert result.clear == (outcome == "clear")


def test_a_half_answered_screen_lists_what_is_missing() -> None:
    partial = answers()
    partial["E2"] = partial["S5"] = None
    with pytest.raises(IncompleteScreen, match="2 question") as caught:
        screen(FLAGS, partial)
    assert caught.value.missing == ("E2", "S5")


@given(st.dictionaries(st.sampled_from([f.id for f in FLAGS]), st.booleans(),
                       min_size=len(FLAGS)))
def test_any_yes_means_not_clear(given_answers: dict[str, bool]) -> None:
    assert screen(FLAGS, given_answers).clear == (not any(given_answers.values()))
