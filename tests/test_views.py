"""Widgets driven from Python: the safety screen, the session log, and the plan gate."""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from pathlib import Path

import pytest

from backcourse import lesson
from backcourse.content.load import load_course
from backcourse.core.dates import recent_days, spoken
from backcourse.core.records import Screening, SessionLog
from backcourse.journal.samples import write_persona
from backcourse.journal.store import Journal, journal_path
from backcourse.render import html as render
from backcourse.views import look
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
        assert view.clearance.layout.display == ""
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


def fill(view: SessionLogView, **values: object) -> None:
    """Choose every required number of the log (sets 2, pains 0), then ``values``."""
    chosen: dict[str, object] = {"sets": 2, "pain_before": 0, "pain_peak": 0, "pain_after": 0}
    for name, value in {**chosen, **values}.items():
        getattr(view, name).value = value


def test_the_session_log_saves_a_valid_entry_at_the_suggested_level() -> None:
    journal = Journal(":memory:")
    view = log_view(journal)
    view.exercise.value = "psoas-march"
    assert view.rung.value == "psoas-march-2"
    fill(view, reps="8", pain_before=2, pain_after=3)
    view.save.click()
    assert "Saved: Knee-lift march, Level 2" in view.message.value
    (entry,) = journal.sessions()
    assert (entry.rung, entry.reps, entry.seconds, entry.pain_after) == ("psoas-march-2", 8,
                                                                        None, 3)


def test_the_log_starts_with_nothing_chosen_and_saves_nothing_until_each_number_is() -> None:
    """A forgotten rating is never saved as 0 ("no pain"); one line names what is missing."""
    journal = Journal(":memory:")
    view = log_view(journal)
    for menu in (view.sets, view.pain_before, view.pain_peak, view.pain_after, view.effort,
                 view.morning):
        assert menu.value == "" and menu.label == "choose a number"
    assert (view.reps.value, view.seconds.value) == ("", "")
    view.reps.value = "8"
    view.save.click()
    assert view.message.value == ('<p role="alert">Not saved yet: choose a number for sets, '
                                  "pain before, worst pain during and pain after.</p>")
    fill(view, reps="8", pain_after=look.CHOOSE)
    view.save.click()
    assert "Not saved yet: choose a number for pain after." in view.message.value
    assert journal.sessions() == []


def test_a_chosen_0_is_saved_as_0() -> None:
    journal = Journal(":memory:")
    view = log_view(journal)
    fill(view, seconds="20", effort=0)
    view.save.click()
    (entry,) = journal.sessions()
    assert (entry.pain_before, entry.pain_peak, entry.pain_after, entry.effort,
            entry.reps, entry.seconds) == (0, 0, 0, 0, None, 20)
    # the next exercise starts blank again, so nothing carries over unchosen
    assert (view.pain_after.value, view.effort.value, view.seconds.value) == ("", "", "")


def test_the_session_log_refuses_an_entry_with_no_reps_or_time() -> None:
    journal = Journal(":memory:")
    view = log_view(journal)
    fill(view)
    view.save.click()
    assert "Not saved yet: give the reps, the hold in seconds, or both." in view.message.value
    view.reps.value = "eight"
    view.save.click()
    assert "write reps (eight) as a whole number" in view.message.value
    assert journal.sessions() == []


def test_out_of_range_numbers_get_a_message_not_a_silent_clamp() -> None:
    journal = Journal(":memory:")
    view = log_view(journal)
    fill(view, seconds="4000")
    view.save.click()
    assert "Not saved: seconds: must be at most 3600 (got 4000)" in view.message.value
    assert journal.sessions() == []


def test_the_log_offers_the_last_two_weeks_in_the_learners_date_style() -> None:
    view = log_view(Journal(":memory:"))
    labels = [label for label, _ in view.day.options]
    assert view.day.value == TODAY and len(labels) == 14
    assert labels[:2] == [f"Today, {spoken(TODAY, year=False)}",
                          f"Yesterday, {spoken(TODAY - dt.timedelta(days=1), year=False)}"]
    fill(view, reps="5")
    view.day.value = TODAY - dt.timedelta(days=3)
    view.save.click()
    assert journal_day(view) == (TODAY - dt.timedelta(days=3)).isoformat()


def journal_day(view: SessionLogView) -> str:
    (entry,) = view.journal.sessions()
    return entry.done_on


def test_morning_pain_names_its_session_and_goes_to_it() -> None:
    journal = Journal(":memory:")
    journal.add(SessionLog(done_on="2026-03-01", exercise="dead-hang", rung="dead-hang-1",
                           sets=3, seconds=20, pain_before=2, pain_after=3))
    view = log_view(journal)
    assert "after your session on Sun 1 Mar 2026?" in view.morning_text.value
    assert view.morning_parts.layout.display == ""  # shown as the browser's kernel can say
    view.save_morning.click()
    assert "choose a number for your pain this morning" in view.morning_message.value
    assert journal.sessions()[0].pain_next_day is None
    view.morning.value = 0
    view.save_morning.click()
    said = view.morning_message.value
    assert "Saved this morning's pain for your session on Sun 1 Mar 2026." in said
    assert journal.sessions()[0].pain_next_day == 0
    assert "come back the next morning" in view.morning_text.value
    assert view.morning_parts.layout.display == "none"


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


def test_six_weeks_in_the_calendar_and_the_retests_count_weeks_from_the_plans_start(
        tmp_path: Path) -> None:
    """The plan began six weeks ago: the calendar goes on with week 7, and the week-8 check
    falls among week 8's sessions, not in some other row."""
    from browser import six_weeks_in

    six_weeks_in(tmp_path)
    today = dt.date.today()
    start = today - dt.timedelta(weeks=6)
    html = lesson.my_program("me", str(tmp_path), today=today)
    rows = re.findall(r"<th scope='row'[^>]*>Week (\d+)(?: <small>\(after your plan\)"
                      r"</small>)?</th>(.*?)</tr>", html)
    weeks = {int(n): sorted(d for _, d in recent_days(today + dt.timedelta(weeks=9), 80)
                            if f">{spoken(d, year=False)}<" in cells) for n, cells in rows}
    assert [int(n) for n, _ in rows] == list(range(7, 15))
    for week, days in weeks.items():
        assert days and all((d - start).days // 7 + 1 == week for d in days), week
    assert f"Week 1 of your plan began on {spoken(start)}." in html
    # the sample plan is 6 weeks long: it has ended, and every week shown comes after it
    assert html.count("(after your plan)") == 8
    assert (f"Your plan's 6 weeks ended on {spoken(start + dt.timedelta(days=41))}."
            in html)
    assert "do the tests again in notebook 02" in html
    retests = dict(re.findall(r"<li>(?:<strong>)?(Week \d+): (\w+ \d+ \w+ \d+)", html))
    assert retests["Week 8"] == spoken(start + dt.timedelta(days=55))
    assert weeks[8][0] <= start + dt.timedelta(days=55) < weeks[9][0]
    assert "counted from the start of your plan on " + spoken(start) in html


def test_the_programme_says_when_to_stop_and_where_to_get_help(tmp_path: Path) -> None:
    """On the page (and so on its printout), before the calendar: the stop signs of the
    exercises in the plan, when to step back, and the emergency safety net."""
    from browser import six_weeks_in

    from backcourse.render.html import SAFETY_NET

    six_weeks_in(tmp_path)
    html = lesson.my_program("me", str(tmp_path))
    box = html.index("When to stop and get help")
    assert html.index("What to do next session") < box < html.index("Your next 8 weeks")
    assert escape(SAFETY_NET) in html and "see a doctor or physio" in html
    assert escape(COURSE.rule_for("regress").says) in html[box:]


def test_the_apps_sources_are_folded_behind_one_line() -> None:
    folded = render.reference_list(COURSE.references[:3], folded=True)
    assert folded.startswith('<details class="bc-refs"><summary>Sources (3)')
    assert folded.count("<li id=") == 3 and "<h3>" not in folded


def test_the_safety_check_says_what_happens_after_check_my_answers() -> None:
    view = ScreenView(COURSE, Journal(":memory:"), TODAY)
    row = view.widget.children.index(view.next)
    assert view.widget.children[row - 1].children == (view.submit,)
    assert "your result shows just below the button" in view.next.value
    assert "kept on this computer only" in view.next.value
    assert "kept" not in ScreenView(COURSE, None, TODAY).next.value
