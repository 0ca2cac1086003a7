"""Widgets driven from Python: the safety screen, the session log, and the plan gate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from backcourse import lesson
from backcourse.content.load import load_course
from backcourse.core.records import Screening, SessionLog
from backcourse.journal.samples import write_persona
from backcourse.journal.store import Journal, journal_path
from backcourse.views.log import SessionLogView
from backcourse.views.screen import ScreenView

COURSE = load_course()
TODAY = dt.date(2026, 3, 2)


def answer_all(view: ScreenView, yes: tuple[str, ...] = ()) -> None:
    for flag_id, toggle in view.answers.items():
        toggle.value = "Yes" if flag_id in yes else "No"


def test_a_clear_screen_is_saved_and_says_so() -> None:
    journal = Journal(":memory:")
    view = ScreenView(COURSE, journal, TODAY)
    answer_all(view)
    view.submit.click()
    assert "No warning signs" in view.result.value
    assert journal.latest_screening() == Screening(id=1, taken_on="2026-03-02", outcome="clear")


def test_a_yes_gives_plain_advice_and_is_saved() -> None:
    journal = Journal(":memory:")
    view = ScreenView(COURSE, journal, TODAY)
    answer_all(view, yes=("E3",))
    view.submit.click()
    assert "Get emergency care now" in view.result.value
    assert "This is not a diagnosis" in view.result.value
    saved = journal.latest_screening()
    assert saved is not None and (saved.outcome, saved.flagged) == ("emergency", ("E3",))


def test_a_half_answered_screen_names_the_missing_questions_and_saves_nothing() -> None:
    journal = Journal(":memory:")
    view = ScreenView(COURSE, journal, TODAY)
    answer_all(view)
    view.answers["E2"].value = None
    view.answers["S1"].value = None
    view.submit.click()
    number = {f.id: n for n, f in enumerate(COURSE.red_flags, start=1)}
    assert f"Still unanswered: question {number['E2']}, {number['S1']}." in view.result.value
    assert journal.latest_screening() is None


def test_retaking_the_screen_replaces_the_outcome() -> None:
    journal = Journal(":memory:")
    view = ScreenView(COURSE, journal, TODAY)
    answer_all(view, yes=("S15",))
    view.submit.click()
    retake = ScreenView(COURSE, journal, TODAY + dt.timedelta(days=9))
    answer_all(retake)
    retake.submit.click()
    latest = journal.latest_screening()
    assert latest is not None and latest.outcome == "clear" and latest.taken_on == "2026-03-11"


def test_a_clinicians_clearance_is_recorded_only_when_ticked_and_opens_the_plan(
        tmp_path: Path) -> None:
    """Answers that never change (age, past cancer) must not lock a learner out for good."""
    with Journal(journal_path("older", tmp_path)) as journal:
        view = ScreenView(COURSE, journal, TODAY)
        answer_all(view, yes=("S1",))
        view.submit.click()
        assert "Your exercise plan is on hold" in view.result.value and "“cancer in the past”" in (
            view.result.value)
        assert view.clearance.layout.display is None
        view.save_clearance.click()
        assert "Tick the box first" in view.result.value
        assert journal.latest_screening() == Screening(
            id=1, taken_on="2026-03-02", outcome="soon", flagged=("S1",))
        view.cleared.value = True
        view.save_clearance.click()
        assert "Checked by a clinician" in view.result.value
        assert view.clearance.layout.display == "none"
        saved = journal.latest_screening()
        assert saved is not None and saved.cleared and saved.outcome == "soon"
    assert "Your exercise plan is on hold" not in lesson.my_program("older", str(tmp_path))


def test_an_emergency_offers_no_clearance_box(tmp_path: Path) -> None:
    journal = Journal(":memory:")
    view = ScreenView(COURSE, journal, TODAY)
    answer_all(view, yes=("E3", "S1"))
    view.submit.click()
    assert "Get emergency care now" in view.result.value
    assert view.clearance.layout.display == "none"
    view.cleared.value = True
    view.save_clearance.click()  # even if the hidden box were used, nothing is cleared
    saved = journal.latest_screening()
    assert saved is not None and not saved.cleared and journal.count(Screening) == 1


def test_an_advice_answer_lets_the_plan_go_ahead_with_a_safety_net(tmp_path: Path) -> None:
    with Journal(journal_path("sciatica", tmp_path)) as journal:
        view = ScreenView(COURSE, journal, TODAY)
        answer_all(view, yes=("S19",))
        view.submit.click()
        assert "You can go on with the course" in view.result.value
        assert view.clearance.layout.display == "none"
    assert "What to do next session" in lesson.my_program("sciatica", str(tmp_path))


def log_view(journal: Journal) -> SessionLogView:
    return SessionLogView(COURSE, journal, TODAY, {"psoas-march": "psoas-march-2"})


def test_the_session_log_saves_a_valid_entry_at_the_suggested_level() -> None:
    journal = Journal(":memory:")
    view = log_view(journal)
    view.exercise.value = "psoas-march"
    assert view.rung.value == "psoas-march-2"
    view.reps.value, view.pain_before.value, view.pain_after.value = 8, 2, 3
    view.save.click()
    assert "Saved: Banded psoas march, Level 2" in view.message.value
    (entry,) = journal.sessions()
    assert (entry.rung, entry.reps, entry.seconds, entry.pain_after) == ("psoas-march-2", 8,
                                                                        None, 3)


def test_the_session_log_refuses_an_entry_with_no_reps_or_time() -> None:
    journal = Journal(":memory:")
    view = log_view(journal)
    view.save.click()
    assert "Not saved: reps: give reps, seconds or both." in view.message.value
    assert journal.sessions() == []


def test_out_of_range_numbers_get_a_message_not_a_silent_clamp() -> None:
    journal = Journal(":memory:")
    view = log_view(journal)
    view.seconds.value = -5
    view.save.click()
    assert "Not saved: seconds: must be at least 0 (got -5)" in view.message.value
    view.seconds.value, view.sets.value = 20, 99
    view.save.click()
    assert "sets: must be at most 20 (got 99)" in view.message.value
    assert journal.sessions() == []


def test_morning_pain_goes_to_the_last_session_day() -> None:
    journal = Journal(":memory:")
    journal.add(SessionLog(done_on="2026-03-01", exercise="dead-hang", rung="dead-hang-1",
                           sets=3, seconds=20, pain_before=2, pain_after=3))
    view = log_view(journal)
    view.morning.value = 2
    view.save_morning.click()
    assert "for 2026-03-01" in view.message.value
    assert journal.sessions()[0].pain_next_day == 2
    view.save_morning.click()
    assert "No earlier session is waiting" in view.message.value


@pytest.fixture
def homes(tmp_path: Path) -> Path:
    for name in ("kim", "alex"):
        with Journal(journal_path(name, tmp_path)) as journal:
            write_persona(journal, name)
    return tmp_path


def test_a_red_flag_withholds_the_plan_on_every_surface(homes: Path) -> None:
    """No next steps, weeks, readiness, log form or charts: only what to do instead."""
    home = str(homes)
    outputs = [lesson.my_program("kim", home), lesson.progress_charts("kim", home),
               lesson.session_log("kim", home), lesson.battery("kim", home),
               lesson.my_readiness("kim", home)]
    for html in outputs:
        assert isinstance(html, str) and "Your exercise plan is on hold" in html
        assert "Level " not in html and "<img" not in html and "readiness" not in html
    assert isinstance(lesson.session_log("alex", home), SessionLogView)
    assert "What to do next session" in lesson.my_program("alex", home)
    assert "You meet every readiness goal" in lesson.my_readiness("alex", home)


def test_rising_pain_pauses_the_plan(tmp_path: Path) -> None:
    """The rescreen rule withholds the plan and the log form until the learner re-screens."""
    with Journal(journal_path("rising", tmp_path)) as journal:
        journal.add(Screening(taken_on="2026-03-01", outcome="clear"))
        for day, pain in (("2026-03-02", 2), ("2026-03-04", 3), ("2026-03-06", 3),
                          ("2026-03-09", 4)):
            journal.add(SessionLog(done_on=day, exercise="dead-hang", rung="dead-hang-1",
                                   sets=3, seconds=20, pain_before=pain, pain_after=pain))
    html = lesson.my_program("rising", str(tmp_path))
    assert "Your plan is paused" in html and "went 2, 3, 3, 4 out of 10" in html
    assert "What to do next session" not in html
    assert not isinstance(lesson.session_log("rising", str(tmp_path)), SessionLogView)
