"""The red-flag screen: rules over the answers, vignettes from the sources, monotone
outcomes, incomplete screens, and why the outcome is what it is."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from backcourse.content.load import load_course
from backcourse.core.records import Screening
from backcourse.core.screening import SEVERITY, IncompleteScreen, can_clear, judge, screen
from backcourse.render import html as render

COURSE = load_course()
IDS = [f.id for f in COURSE.red_flags]
VIGNETTES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "red_flag_vignettes.yaml").read_text(encoding="utf-8"))


def answers(*yes: str) -> dict[str, bool | None]:
    return {i: i in yes for i in IDS}


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["case"] for v in VIGNETTES])
def test_each_vignette_gets_the_outcome_its_source_sets(vignette: dict[str, Any]) -> None:
    result = screen(COURSE, answers(*vignette["said_yes"]))
    assert result.outcome == vignette["outcome"], vignette["source"]
    assert {f.id for f in result.flagged} == set(vignette["said_yes"])


def test_the_vignettes_cover_every_combination_and_every_outcome() -> None:
    fired = {f.combination.id for v in VIGNETTES
             for f in judge(COURSE, v["said_yes"]).findings if f.combination}
    assert fired == {c.id for c in COURSE.flag_combinations}
    assert {v["outcome"] for v in VIGNETTES} == set(SEVERITY)


def test_a_combination_lists_the_answers_that_made_it_apply_first() -> None:
    first = judge(COURSE, ["S1", "S19", "S12"]).findings[0]
    assert first.combination is not None and first.combination.id == "cancer-and-nerves"
    assert [f.id for f in first.answers] == ["S1", "S19"]
    assert first.action == "emergency"


@given(st.sets(st.sampled_from(IDS)), st.sampled_from(IDS))
def test_adding_a_yes_never_lowers_the_outcome(yes: set[str], more: str) -> None:
    before = judge(COURSE, yes).outcome
    after = judge(COURSE, yes | {more}).outcome
    assert SEVERITY.index(after) >= SEVERITY.index(before)


@given(st.sets(st.sampled_from(IDS)))
def test_the_outcome_is_the_most_urgent_finding_and_no_single_yes_is_ignored(
        yes: set[str]) -> None:
    result = judge(COURSE, yes)
    assert result.clear == (not yes)
    worst = max((SEVERITY.index(f.action) for f in COURSE.red_flags if f.id in yes), default=0)
    assert SEVERITY.index(result.outcome) >= worst
    assert all(SEVERITY.index(result.outcome) >= SEVERITY.index(f.action)
               for f in result.findings)


def test_a_half_answered_screen_lists_what_is_missing() -> None:
    partial = answers()
    partial["E2"] = partial["S5"] = None
    with pytest.raises(IncompleteScreen, match="2 question") as caught:
        screen(COURSE, partial)
    assert caught.value.missing == ("E2", "S5")


def test_answers_to_questions_the_course_does_not_ask_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown questions: X1"):
        screen(COURSE, {**answers(), "X1": True})


def test_the_advice_says_which_answers_together_led_to_it_and_cites_the_source() -> None:
    saved = Screening(taken_on="2026-03-02", outcome="emergency", flagged=("S1", "S19"))
    html = render.safety_advice(saved, COURSE)
    assert html.index("Get emergency care now") < html.index("Why:")  # the action comes first
    assert ("You said yes to “cancer in the past” and “pain, tingling or numbness down one "
            "leg”. Together, these can point to this:") in html
    assert "also call their 24-hour number" in html
    assert 'href="#ref-nice2008"' in html
    assert "Also:" not in html  # both answers are explained by the combination
    assert "tick the box" not in html  # an emergency is never cleared here


def test_advice_lets_the_plan_go_ahead_and_says_what_to_watch() -> None:
    saved = Screening(taken_on="2026-03-02", outcome="advice", flagged=("S19",))
    html = render.safety_advice(saved, COURSE)
    assert saved.allows_exercise
    assert "You can go on with the course" in html and "on hold" not in html
    assert "See a GP if it is not better in a few weeks" in html
    assert "Get emergency care at once if you ever notice new trouble peeing" in html


def test_a_saved_outcome_is_judged_again_and_the_more_urgent_one_is_shown() -> None:
    """A journal from before the combinations existed said 'soon' for this pair."""
    saved = Screening(taken_on="2026-03-02", outcome="soon", flagged=("S1", "S15"))
    assert judge(COURSE, saved.flagged).outcome == "emergency"
    assert "Get emergency care now" in render.safety_advice(saved, COURSE)


def test_a_retired_question_still_reads_right() -> None:
    saved = Screening(taken_on="2025-11-02", outcome="same day", flagged=("E8",))
    html = render.safety_advice(saved, COURSE)
    assert "Contact a doctor today" in html
    assert "as an earlier version of this check asked" in html
    assert "Do you have a fever or shivers, or feel very unwell, along with the back pain?" in html


def test_answers_a_more_urgent_rule_does_not_explain_are_listed_as_also() -> None:
    saved = Screening(taken_on="2026-03-02", outcome="emergency", flagged=("E1", "S9"))
    html = render.safety_advice(saved, COURSE)
    why, also = html.split("<p>Also: ")
    assert "“new trouble peeing”" in why and "“steroid tablets for 3 months or more”" in also
    assert "On its own this would mean: a GP or physio within days" in also


def test_one_reason_reads_as_a_sentence_and_several_as_a_list_to_take_along() -> None:
    one = render.safety_advice(Screening(taken_on="2026-03-02", outcome="same day",
                                         flagged=("E10",)), COURSE)
    assert "<p>Why: You said yes to “a fever or shivers”." in one and "<li>" not in one
    assert "this list" not in one
    two = render.safety_advice(Screening(taken_on="2026-03-02", outcome="same day",
                                         flagged=("S2", "S3")), COURSE)
    assert two.count("<li>") == 2 and "Take this list with you." in two


def test_an_old_check_in_a_report_is_dated_aged_and_has_the_emergency_line() -> None:
    saved = Screening(taken_on="2026-02-09", outcome="same day", flagged=("E10",))
    html = render.safety_advice(saved, COURSE, report_day=dt.date(2026, 4, 6), cite=False,
                                contact="Jo Okafor (020 7946 0000)")
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert text.startswith("Your safety check on Mon 9 Feb 2026 (8 weeks before this report) "
                           "found a warning sign. If you have not yet done what it says, do "
                           "it now: Contact a doctor today")
    assert "call 999 (or your local emergency number) or go to an emergency department (A&amp;E)" \
        in html and "leaking pee or poo" in html
    assert "tell Jo Okafor (020 7946 0000) what the clinician said" in text
    assert "source" not in text and "NHS 2026a" not in text
    same = render.safety_advice(saved, COURSE, report_day=dt.date(2026, 2, 9))
    assert "before this report" not in same and same.index("Contact a doctor today") < 60


def test_a_clearance_by_a_clinician_lets_the_plan_go_ahead_and_keeps_the_signs() -> None:
    saved = Screening(taken_on="2026-03-02", outcome="soon", flagged=("S1",), cleared=True)
    html = render.safety_advice(saved, COURSE)
    assert saved.allows_exercise
    assert "Checked by a clinician" in html and "“cancer in the past”" in html
    assert "What to do" not in html  # the advice it replaced is not repeated


@pytest.mark.parametrize("said_yes, clearable", [
    (("S1",), True), (("S1", "S3"), True), (("S9", "S10"), True),
    (("E10",), False),          # a fever is an acute state: check again once well
    (("S1", "E7"), False), (("E13",), False), (("E1",), False),  # never an emergency
    (("S19",), False), ((), False),  # nothing to clear
])
def test_only_soon_or_same_day_outcomes_without_an_acute_answer_can_be_cleared(
        said_yes: tuple[str, ...], clearable: bool) -> None:
    assert can_clear(COURSE, judge(COURSE, said_yes).outcome, said_yes) == clearable


def test_every_rule_names_a_source_that_exists_or_says_it_is_a_course_rule() -> None:
    keys = {r.key for r in COURSE.references}
    for flag in COURSE.red_flags:
        assert flag.course_rule or flag.refs, flag.id
        assert set(flag.refs) <= keys, flag.id
    for combination in COURSE.flag_combinations:
        assert combination.refs and set(combination.refs) <= keys, combination.id


def test_the_questions_and_what_they_mean_read_at_grade_eight_or_below() -> None:
    import textstat

    questions = " ".join(f.question for f in COURSE.red_flags)
    meanings = " ".join(f"{c.means[:1].upper()}{c.means[1:]}." for c in COURSE.flag_combinations)
    assert textstat.flesch_kincaid_grade(questions) <= 8
    assert textstat.flesch_kincaid_grade(meanings) <= 8
