"""A refused save (a full disk, another tab's save) shows in one line by the button that was
pressed: nothing is claimed as saved, nothing is half-saved, and what the learner entered is
still there to press again."""

from __future__ import annotations

import datetime as dt
import errno
from collections.abc import Callable, Iterator
from pathlib import Path

import ipywidgets as widgets
import pytest

from backcourse.content.load import load_course
from backcourse.core.errors import BackcourseError
from backcourse.core.records import Assessment, Plan, Score, Screening, SessionLog
from backcourse.journal.store import Journal, JournalError
from backcourse.views import look
from backcourse.views.assess import BatteryView, StartBackView
from backcourse.views.log import SessionLogView
from backcourse.views.measures import MeasuresView
from backcourse.views.player import SessionPlayerView
from backcourse.views.screen import ScreenView

COURSE = load_course()
TODAY = dt.date(2026, 3, 2)
FULL = "Cannot save the journal at"
OTHER_TAB = "Another tab or window saved your journal"


def no_space() -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def other_tab() -> None:
    raise JournalError("another tab or window saved your journal (journal.sqlite) at the same "
                       "moment, so this was not saved; please do it again")


class Broken:
    """A journal kept in memory and saved whole to its file (as in the browser), whose saves
    fail while ``failing`` is set."""

    def __init__(self, path: Path, failure: Callable[[], None]) -> None:
        self.journal = Journal(path, in_memory=True)
        self.failure = failure
        self.failing = False
        save = self.journal._save

        def maybe_save() -> None:
            if self.failing:
                self.failure()
            save()

        self.journal._save = maybe_save  # type: ignore[method-assign]


@pytest.fixture(params=[no_space, other_tab], ids=["disk full", "another tab"])
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Broken]:
    b = Broken(tmp_path / "journal.sqlite", request.param)
    yield b
    b.journal.close()


def refused(message: widgets.HTML, broken: Broken) -> None:
    """The one line of a refusal, and no claim that anything was saved."""
    said = message.value
    assert 'role="alert"' in said and "bc-warn" in said and "Not saved." in said
    assert (FULL if broken.failure is no_space else OTHER_TAB) in said
    assert "No space left on device" in said or broken.failure is other_tab
    assert "Saved" not in said and "Traceback" not in said


def test_the_safety_check_keeps_its_answers_when_the_save_is_refused(broken: Broken) -> None:
    view = ScreenView(COURSE, broken.journal, TODAY)
    for toggle in view.answers.values():
        toggle.value = "No"
    broken.failing = True
    view.submit.click()
    refused(view.result, broken)
    assert {t.value for t in view.answers.values()} == {"No"}
    assert broken.journal.latest_screening() is None
    broken.failing = False
    view.submit.click()  # pressed again, it saves
    assert "Saved to your journal" in view.result.value
    assert broken.journal.latest_screening() is not None


def test_a_refused_clearance_keeps_the_tick(broken: Broken) -> None:
    view = ScreenView(COURSE, broken.journal, TODAY)
    for flag_id, toggle in view.answers.items():
        toggle.value = "Yes" if flag_id == "S1" else "No"
    view.submit.click()
    view.cleared.value = True
    broken.failing = True
    view.save_clearance.click()
    refused(view.result, broken)
    assert view.cleared.value and view.clearance.layout.display == ""
    saved = broken.journal.latest_screening()
    assert saved is not None and not saved.cleared


def test_start_back_keeps_its_answers_and_saves_neither_score(broken: Broken) -> None:
    view = StartBackView(COURSE, broken.journal, TODAY)
    for toggle in view.answers.values():
        toggle.value = 1
    broken.failing = True
    view.submit.click()
    refused(view.result, broken)
    assert {t.value for t in view.answers.values()} == {1}
    assert broken.journal.all(Assessment) == []


def test_the_battery_keeps_its_times_and_saves_no_result_and_no_plan(broken: Broken) -> None:
    broken.journal.add(Screening(taken_on="2026-03-01", outcome="clear"))
    view = BatteryView(COURSE, broken.journal, TODAY)
    view.timers["side_bridge_left"].seconds.value = "60"
    view.ratings["pain_now"].value = 3
    broken.failing = True
    view.save.click()
    refused(view.message, broken)
    assert view.timers["side_bridge_left"].seconds.value == "60"
    assert view.ratings["pain_now"].value == 3
    assert broken.journal.all(Assessment) == [] and broken.journal.all(Plan) == []


def test_the_measures_keep_their_answers_and_save_no_score(broken: Broken) -> None:
    view = MeasuresView(COURSE, broken.journal, TODAY)
    for answer, value in zip(view.peg, (6, 5, 7), strict=True):
        answer.value = value
    view.tasks[0][0].value, view.tasks[0][1].value = "putting on socks", 3
    broken.failing = True
    view.save.click()
    refused(view.message, broken)
    assert [a.value for a in view.peg] == [6, 5, 7]
    assert (view.tasks[0][0].value, view.tasks[0][1].value) == ("putting on socks", 3)
    assert broken.journal.all(Score) == []


def test_the_session_log_keeps_the_entry_when_the_save_is_refused(broken: Broken) -> None:
    view = SessionLogView(COURSE, broken.journal, TODAY, {})
    view.sets.value, view.pain_before.value, view.pain_peak.value = 2, 1, 3
    view.pain_after.value, view.reps.value, view.note.value = 2, "8", "felt fine"
    broken.failing = True
    view.save.click()
    refused(view.message, broken)
    assert (view.sets.value, view.pain_before.value, view.pain_peak.value, view.pain_after.value,
            view.reps.value, view.note.value) == (2, 1, 3, 2, "8", "felt fine")
    assert broken.journal.sessions() == []


def test_the_morning_rating_stays_chosen_when_its_save_is_refused(broken: Broken) -> None:
    broken.journal.add(SessionLog(done_on="2026-03-01", exercise="dead-hang", rung="dead-hang-1",
                                  sets=3, seconds=20, pain_before=2, pain_after=3))
    view = SessionLogView(COURSE, broken.journal, TODAY, {})
    view.morning.value = 4
    broken.failing = True
    view.save_morning.click()
    refused(view.morning_message, broken)
    assert view.message.value == ""  # said by the button that was pressed
    assert view.morning.value == 4 and view.morning_parts.layout.display != "none"
    assert broken.journal.sessions()[0].pain_next_day is None


def test_the_player_keeps_the_ratings_and_offers_finish_and_save_again(broken: Broken) -> None:
    session = [(x, r) for x in COURSE.exercises for r in x.rungs if r.id == "psoas-march-1"]
    view = SessionPlayerView(COURSE, broken.journal, TODAY, session, clock=lambda: 0.0,
                             ticker=False)
    view.pain.value = 1
    view.start.click()
    view.stop.click()
    view.pain.value, view.peak.value = 2, 5
    broken.failing = True
    view.save.click()
    refused(view.status, broken)
    assert "Saved to your journal" not in view.heading.value
    assert view.save.layout.display == "" and (view.pain.value, view.peak.value) == (2, 5)
    assert view.player.phase == "pain after"
    broken.failing = False
    view.save.click()
    assert "Saved to your journal" in view.heading.value


def test_a_refusal_is_escaped_and_other_errors_stay_loud() -> None:
    message, button = widgets.HTML(""), widgets.Button()

    def refuse() -> None:
        raise BackcourseError("cannot save <b>here</b> & now")

    look.on_click(button, refuse, message)
    button.click()
    assert "Cannot save &lt;b&gt;here&lt;/b&gt; &amp; now." in message.value
    assert message.value.count("<p>") == 1  # one line

    def bug() -> None:
        raise KeyError("a bug")

    loud = widgets.Button()
    look.on_click(loud, bug, message)
    (clicked,) = loud._click_handlers.callbacks
    with pytest.raises(KeyError):
        clicked(loud)
