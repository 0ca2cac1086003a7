"""HTML fragments are escaped, complete and built from data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from backcourse import lesson
from backcourse.content.load import load_course
from backcourse.core.model import Dose
from backcourse.render import html as render


def test_dose_reads_as_plain_words() -> None:
    """Sets, reps, holds, sides and rest are all said."""
    assert Dose(sets=3, hold_s=20).describe() == "3 sets, hold 20 s; rest 60 s between sets"
    assert Dose(sets=1, reps=1).describe() == "1 set of 1 rep"
    assert (Dose(sets=3, reps=6, hold_s=10, per_side=True, rest_s=30).describe()
            == "3 sets of 6 reps, hold 10 s each, each side; rest 30 s between sets")


def test_text_from_data_is_escaped() -> None:
    """Markup in content cannot inject HTML."""
    course = load_course()
    ref = dataclasses.replace(course.references[0], title="<script>alert(1)</script>")
    html = render.reference_entry(ref)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_coverage_matrix_marks_exactly_the_habits_in_data() -> None:
    """One tick per (exercise, habit) pair listed in data, a dash elsewhere."""
    course = load_course()
    html = render.coverage_matrix(course)
    ticks = html.count("bc-yes")
    expected = sum(len(x.habits) for x in course.exercises)
    assert ticks == expected
    assert html.count("bc-no") == 6 * len(course.exercises) - expected


def test_exercise_card_shows_every_move_dose_and_safety_rule() -> None:
    """The card lists each rung's moves with dose, cues and mistakes, and the stop rules."""
    course = load_course()
    for x in course.exercises:
        html = render.exercise_card(x, course)
        for r in x.rungs:
            assert f"Level {r.level}: " in html
            for m in r.moves:
                assert m.dose.describe() in html
        for rule in course.stops([x]):
            assert html.count(rule.replace("'", "&#x27;")) == 1
        for r in x.rungs:  # each level says what it needs
            assert all(course.gear(g).name in html for g in r.equipment)
    hang = render.exercise_card(course.exercise("dead-hang"), course)
    assert "harder move, not a longer hold" in hang and "A level is mastered when" in hang


def test_what_you_need_lists_each_thing_once_with_its_levels_safety_and_a_no_bar_path() -> None:
    course = load_course()
    every = render.what_you_need(course)
    for gear in course.equipment:
        assert every.count(f"<strong>{gear.name[:1].upper()}{gear.name[1:]}</strong>") == 1
    assert "Dead hang, levels 2 to 4; the goal exercise (capstone), every level" in every
    assert "No safe bar?" in every and "Stop at once if a shoulder hurts." in every
    march = course.exercise("psoas-march")
    mat_only = render.what_you_need(course, march.rungs[:1])
    assert "exercise mat" in mat_only and "bar" not in mat_only
    assert render.what_you_need(course, ()) == ""


def test_every_stop_sign_is_said_once_and_used() -> None:
    course = load_course()
    says = [s.says for s in course.stop_signs]
    assert len(set(says)) == len(says)
    assert set(course.stops(course.exercises)) == set(says)


def test_evidence_table_states_strength_and_links_sources() -> None:
    """Every row says how sure we can be and links to its references' anchors."""
    course = load_course()
    html = render.evidence_table(course.evidence, course)
    assert html.count("<tr>") == len(course.evidence) + 1
    for s in course.evidence:
        for key in s.refs:
            assert f'href="#ref-{key}"' in html


def test_the_evidence_table_explains_very_low_certainty_only_when_a_row_has_it() -> None:
    """A physiotherapist asked why the slide explained "very low" under rows all "low"."""
    course = load_course()
    very_low = [s for s in course.evidence if s.strength == "very low"]
    others = [s for s in course.evidence if s.strength != "very low"]
    assert very_low and others
    note = "<strong>Very low certainty</strong> means"
    assert note in render.evidence_table([others[0], very_low[0]], course)
    assert note not in render.evidence_table(others, course)
    assert "balshem2011" not in render.evidence_table(others, course)


def test_lesson_references_list_what_the_unit_showed() -> None:
    """The reference list has an anchor for every source the unit's notebook and data cite."""
    lesson.evidence("04")
    html = lesson.references("04")
    anchors = set(re.findall(r'<li id="ref-([a-z0-9-]+)"', html))
    course = load_course()
    shown = {k for e in course.unit("04").evidence for k in course.statement(e).refs}
    quizzed = {k for q in course.quiz_for("04") for k in q.refs}
    assert shown | quizzed <= anchors
    assert {"wegner2013", "prasad2012", "nice2016", "who2023", "dodds2014"} <= anchors


def test_week_plan_says_when_the_plan_ends_and_marks_the_weeks_after_it() -> None:
    """An 8-week plan from Mon 2 Mar 2026 seen in its week 7: weeks 9 and 10 are after it,
    its end is named and a new plan is explained; within the plan, nothing is said."""
    from backcourse.core.schedule import weeks_ahead

    course, start = load_course(), dt.date(2026, 3, 2)
    ahead = weeks_ahead(course, plan_start=start, today=start + dt.timedelta(weeks=6),
                        weeks=4, sessions_per_week=2)
    html = render.week_plan(ahead, start=start, length=8, places=render.APP)
    marked = re.findall(r">Week (\d+) <small>\(after your plan\)</small></th>", html)
    assert marked == ["9", "10"] and ">Week 8</th>" in html
    assert "Your plan's 8 weeks end on Sun 26 Apr 2026." in html
    assert "do the tests again in the Self-assessment section" in html
    assert "after your plan" not in render.week_plan(ahead, start=start, length=10)
    assert "plan's" not in render.week_plan(ahead, start=start, length=10)
    later = weeks_ahead(course, plan_start=start, today=start + dt.timedelta(weeks=9),
                        weeks=2, sessions_per_week=2)
    assert "Your plan's 8 weeks ended on Sun 26 Apr 2026." in render.week_plan(
        later, start=start, length=8)


def test_week_plan_is_a_calendar_of_weeks_by_sessions_with_the_levels_said_once() -> None:
    """One row per week, one column per session, the next session marked; what a session
    holds is listed once, at the levels asked for."""
    html = lesson.week_plan(weeks=4, sessions_per_week=2, start="2026-03-02")
    assert html.count("<tr>") == 1 + 4
    assert html.count("<th scope='col'>Session ") == 2
    assert html.count("<th scope='row' data-label='Week'>Week") == 4
    assert "<table class='bc-calendar'>" in html  # a grid on a phone too, not cards
    assert ("<td class='bc-next' data-label='Session 1'>Mon 2 Mar<br><small>next</small></td>"
            in html)
    assert html.count("bc-next") == 1
    assert html.count("Feet-supported hang") == 1 and "Dead hang, level 1: Feet-supported" in html
    higher = lesson.week_plan(weeks=1, sessions_per_week=1, rungs={"dead-hang": "dead-hang-3"})
    assert "Dead hang, level 3: Full dead hang" in higher and "Feet-supported" not in higher


def test_week_plan_offers_its_sessions_as_a_calendar_file() -> None:
    import base64

    from backcourse.core.ical import plan_ics
    from backcourse.core.schedule import weekly_plan

    plan = weekly_plan(load_course(), start=dt.date(2026, 3, 2), weeks=2, sessions_per_week=3)
    text = plan_ics(plan, at=None, stamp=dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc),
                    advice="Stop if it hurts.")
    html = render.week_plan(plan, text)
    (data,) = re.findall(r'href="data:text/calendar;charset=utf-8;base64,([^"]+)"', html)
    assert base64.b64decode(data).decode("utf-8") == text
    assert 'download="back-exercise-plan.ics"' in html and text.count("BEGIN:VEVENT") == 6
    assert "text/calendar" not in render.week_plan(plan)


def test_prose_from_data_keeps_paragraphs_bold_and_citations_and_escapes_the_rest() -> None:
    html = render.prose("A <b>claim</b> with **weight**\nover two lines "
                        "[Hayden 2021a](#ref-hayden2021a)."
                        "\n\nSecond.")
    assert html == ('<p>A &lt;b&gt;claim&lt;/b&gt; with <strong>weight</strong> over two lines '
                    '<a href="#ref-hayden2021a">Hayden 2021a</a>.</p><p>Second.</p>')


def test_session_table_lists_newest_first_with_levels_work_and_pain() -> None:
    from backcourse.core.records import SessionLog

    course = load_course()
    older = SessionLog(id=1, done_on="2026-03-01", exercise="dead-hang", rung="dead-hang-1",
                       sets=3, seconds=20, pain_before=2, pain_after=3, pain_next_day=1)
    newer = SessionLog(id=2, done_on="2026-03-03", exercise="psoas-march", rung="psoas-march-2",
                       sets=2, reps=8, pain_before=1, pain_after=1, pain_peak=4)
    html = render.session_table([older, newer], course)
    rows = [re.findall(r"<td data-label='([^']*)'>(.*?)</td>", r)
            for r in re.findall(r"<tr><td.*?</tr>", html)]
    assert [dict(r)["Date"] for r in rows] == ["Tue 3 Mar 2026", "Sun 1 Mar 2026"]
    assert {h for h, _ in rows[0]} == set(render.SESSION_COLUMNS)  # each cell names its column
    assert dict(rows[0])["Done"] == "2 sets × 8 reps" and dict(rows[0])["Next day"] == (
        "not rated")
    assert dict(rows[0])["Pain before → worst → after"] == "1 → 4 → 1"
    assert dict(rows[1])["Done"] == "3 sets × 20 s"
    assert dict(rows[1])["Pain before → worst → after"] == "2 → not rated → 3"
    assert dict(rows[1])["Next day"] == "1"
    assert "class='bc-stack'" in html
    assert "Your logged exercises (2)" in html
    assert render.session_table([], course) == "<p>No sessions logged yet.</p>"


def test_session_table_keeps_a_level_the_course_no_longer_offers() -> None:
    from backcourse.core.records import SessionLog

    old = SessionLog(id=1, done_on="2026-03-01", exercise="dead-hang", rung="dead-hang-9",
                     sets=1, reps=5, pain_before=0, pain_after=0)
    assert "dead-hang-9 (no longer offered)" in render.session_table([old], load_course())


def test_a_warning_sign_the_course_does_not_list_still_shows_as_said_yes() -> None:
    """A journal from another version of the course may name a sign this one lacks; it must
    not vanish from what the learner answered yes to."""
    from html import escape as html_escape

    from backcourse.core.records import Screening

    course = load_course()
    known = course.red_flags[0]
    said = Screening(taken_on="2026-03-02", outcome="soon", flagged=(known.id, "<b>X99</b>"))
    html = render.safety_advice(said, course)
    assert f"“{html_escape(known.short)}”" in html
    yes = html[html.index("as an earlier version of this check asked"):]
    said_yes = yes.split("</p>")[1]  # the one sign: a paragraph, not a list of one
    assert said_yes.startswith("<p>") and "<li>" not in said_yes
    assert "(&lt;b&gt;X99&lt;/b&gt;)" in said_yes and "<b>X99" not in yes


def test_every_table_labels_each_cell_by_its_column_so_a_phone_can_show_rows_as_cards() -> None:
    html = render.table(("Week", "Session 1", "Session 2"),
                        "<tr><th scope='row'>Week 1</th><td class='x'>Mon</td><td>Wed</td></tr>"
                        "<tr><th scope='row'>Week 2</th><td>Mon</td><td></td></tr>")
    labelled = re.findall(r"<t[dh][^>]*data-label='([^']*)'[^>]*>([^<]*)<", html)
    assert labelled == [("Week", "Week 1"), ("Session 1", "Mon"), ("Session 2", "Wed"),
                        ("Week", "Week 2"), ("Session 1", "Mon"), ("Session 2", "")]
    assert "<td class='x' data-label='Session 1'>" in html and html.count("data-label") == 6
    assert "<table class='bc-stack'>" in html and "@media (max-width:480px)" in render.STYLE


def test_moving_up_to_a_level_with_a_note_says_why_its_numbers_look_smaller() -> None:
    """Level 4 of the dead hang holds 3 s where level 3 held 30 s: the plan says why."""
    from backcourse.core.progression import Step

    course = load_course()
    hang = course.exercise("dead-hang")
    up = Step(hang, hang.rung("dead-hang-3"), hang.rung("dead-hang-4"),
              course.rule_for("progress"), "target met")
    stay = Step(hang, hang.rung("dead-hang-4"), hang.rung("dead-hang-4"),
                course.rule_for("hold"), "not yet")
    note = str(hang.rung("dead-hang-4").note)
    assert "harder move, not a longer hold" in note
    assert note in render.steps_table([up], course)
    assert note not in render.steps_table([stay], course)
