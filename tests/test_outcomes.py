"""Outcome measures: change from the baseline against the smallest change that matters, the
retest schedule, who needs attention, and the form that saves them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re

import pytest

from backcourse.content.load import load_course
from backcourse.core.outcomes import (
    add_months,
    attention,
    changes,
    missed_retest,
    next_retest,
    retest_days,
)
from backcourse.core.records import Score, SessionLog
from backcourse.journal.program import program_status
from backcourse.journal.samples import write_persona
from backcourse.journal.store import Journal
from backcourse.render.outcomes import outcome_table, over_time, retest_list
from backcourse.render.report import first
from backcourse.views.measures import MeasuresView

COURSE = load_course()
DAY = dt.date(2026, 3, 2)


def score(measure: str, value: float, on: str = "2026-01-05") -> Score:
    return Score(taken_on=on, measure=measure, value=value)


@pytest.mark.parametrize("start, latest, verdict", [
    (6, 4, "better"),  # 2 points; 30% of 6 is 1.8
    (8, 6, "same"),  # 2 points, but 30% of 8 is 2.4: whichever is more
    (8, 5.5, "better"),
    (3, 5, "worse"),
    (5, 5, "same"),
])
def test_pain_change_counts_when_it_reaches_2_points_or_30_percent_whichever_is_more(
        start: float, latest: float, verdict: str) -> None:
    (change,) = changes(COURSE.measures, [score("pain", start), score("pain", latest,
                                                                     "2026-02-02")])
    assert change.verdict == verdict


def test_higher_is_better_for_daily_tasks_and_the_first_score_is_the_baseline() -> None:
    scores = [score("psfs", 4), score("psfs", 5, "2026-02-02"), score("psfs", 6.5, "2026-03-02")]
    (change,) = changes(COURSE.measures, scores)
    assert (change.baseline.value, change.latest and change.latest.value) == (4, 6.5)
    assert change.gain == 2.5 and change.verdict == "better"


def test_before_a_retest_there_is_no_verdict_and_the_table_says_so() -> None:
    (change,) = changes(COURSE.measures, [score("odi", 40)])
    assert change.latest is None and change.verdict == "unknown"
    assert "No retest yet." in outcome_table([change], COURSE)


def test_retests_fall_at_the_end_of_weeks_4_and_8_then_3_6_and_12_months() -> None:
    """Week 1 starts on the first day, so week 4's check is on its last day, day 28."""
    days = [d for _, d in retest_days(COURSE.retests, dt.date(2026, 1, 31))]
    assert days == [dt.date(2026, 2, 27), dt.date(2026, 3, 27), dt.date(2026, 4, 30),
                    dt.date(2026, 7, 31), dt.date(2027, 1, 31)]
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    coming = next_retest(COURSE.retests, dt.date(2026, 1, 31), dt.date(2026, 3, 1))
    assert coming is not None and coming[0].id == "week-8"


def test_a_retest_is_missed_once_its_day_has_passed_until_the_measures_are_taken() -> None:
    start = dt.date(2026, 1, 31)  # week 4 ends Fri 27 Feb, week 8 Fri 27 Mar
    baseline = [score("pain", 6, "2026-01-31")]
    assert missed_retest(COURSE.retests, start, baseline, dt.date(2026, 2, 27), 7) is None
    missed = missed_retest(COURSE.retests, start, baseline, dt.date(2026, 2, 28), 7)
    assert missed is not None and (missed[0].id, missed[1]) == ("week-4", dt.date(2026, 2, 27))
    early = [*baseline, score("pain", 4, "2026-02-20")]  # a week early still counts
    assert missed_retest(COURSE.retests, start, early, dt.date(2026, 3, 7), 7) is None
    too_early = [*baseline, score("pain", 4, "2026-02-19")]
    assert missed_retest(COURSE.retests, start, too_early, dt.date(2026, 3, 7), 7) is not None
    missed = missed_retest(COURSE.retests, start, early, dt.date(2026, 4, 4), 7)
    assert missed is not None and missed[0].id == "week-8"  # week 4 was taken; week 8 was not
    late_baseline = [score("pain", 6, "2026-02-24")]  # the first time is never a retest
    assert missed_retest(COURSE.retests, start, late_baseline, dt.date(2026, 3, 7), 7) is not None


def test_the_retest_list_marks_a_missed_retest_as_due_now_until_it_is_taken() -> None:
    start, today = dt.date(2026, 1, 31), dt.date(2026, 3, 2)  # week 4 was Fri 27 Feb

    def marked(scores: list[Score]) -> list[str]:
        page = retest_list(COURSE.retests, start, today, COURSE, plan=True, scores=scores)
        return re.findall(r"<strong>(.*?)</strong>", page)

    baseline = [score("pain", 6, "2026-01-31")]
    assert marked(baseline) == ["Week 4: Fri 27 Feb 2026 (due now)"]
    assert marked([*baseline, score("pain", 4, "2026-03-01")]) == [
        "Week 8: Fri 27 Mar 2026 (next)"]


def test_attention_says_a_plan_ended_rather_than_that_the_client_stopped() -> None:
    """A physiotherapist read "no session logged for 14 days" for a client whose plan had
    simply run out: the summary says so, and what to offer."""
    log = SessionLog(done_on="2026-03-27", exercise="dead-hang", rung="dead-hang-1", sets=1,
                     seconds=10, pain_before=2, pain_after=2)
    ended = dt.date(2026, 3, 29)
    assert attention("active", [log], dt.date(2026, 4, 10), None, COURSE.attention,
                     ended=ended) == [
        "their plan ended on Sun 29 Mar 2026, with no session logged since (last: 14 days "
        "ago); offer them the next plan in their report"]
    assert attention("active", [log], dt.date(2026, 4, 10), None, COURSE.attention,
                     ended=dt.date(2026, 5, 1)) == [
        "no session logged for 14 days or more (last: 14 days ago)"]  # still in the plan


def test_attention_asks_for_an_overdue_retest_once_there_is_a_baseline() -> None:
    rules, start = COURSE.attention, dt.date(2026, 1, 31)
    log = SessionLog(done_on="2026-03-06", exercise="dead-hang", rung="dead-hang-1", sets=1,
                     seconds=10, pain_before=2, pain_after=2)
    baseline = [score("pain", 6, "2026-01-31")]
    assert attention("active", [log], dt.date(2026, 3, 6), start, rules, scores=baseline,
                     retests=COURSE.retests) == []  # a week's grace after its day
    assert attention("active", [log], dt.date(2026, 3, 7), start, rules, scores=baseline,
                     retests=COURSE.retests) == [
        "retest overdue: the retest at week 4 was due on Fri 27 Feb 2026 (8 days ago); book them "
        "in to retake the outcome measures they took at the start"]
    assert attention("active", [log], dt.date(2026, 3, 7), start, rules,
                     retests=COURSE.retests) == []  # no baseline: nothing to retest against
    (said,) = attention("withheld", [log], dt.date(2026, 3, 7), start, rules, scores=baseline,
                        retests=COURSE.retests)
    assert said.startswith("warning sign")  # the warning sign is what matters then


def test_attention_names_a_warning_sign_rising_pain_and_a_quiet_fortnight() -> None:
    log = SessionLog(done_on="2026-02-10", exercise="dead-hang", rung="dead-hang-1", sets=1,
                     seconds=10, pain_before=2, pain_after=2)
    rules = COURSE.attention
    assert attention("active", [log], dt.date(2026, 2, 23), None, rules) == []
    assert attention("active", [log], dt.date(2026, 2, 24), None, rules) == [
        "no session logged for 14 days or more (last: 14 days ago)"]
    assert "warning sign" in attention("withheld", [log], DAY, None, rules)[0]
    assert "pain rising" in attention("rescreen", [], DAY, None, rules)[0]
    assert "since the plan began 20 days ago" in attention(
        "active", [], DAY, dt.date(2026, 2, 10), rules)[0]


def test_the_form_saves_pain_peg_and_tasks_then_asks_for_the_overall_change_later() -> None:
    journal = Journal(":memory:")
    first = MeasuresView(COURSE, journal, dt.date(2026, 1, 5))
    assert not first.retest
    for answer, value in zip(first.peg, (6, 5, 7), strict=True):
        answer.value = value
    first.tasks[0][0].value, first.tasks[0][1].value = "putting on socks", 3
    first.save.click()
    assert "Saved 3 score(s)" in first.message.value
    saved = {s.measure: s for s in journal.all(Score)}
    assert saved["pain"].value == 6 and saved["peg"].value == 6 and saved["peg"].items == (6, 5, 7)
    assert saved["psfs"].labels == ("putting on socks",)
    again = MeasuresView(COURSE, journal, dt.date(2026, 2, 2))
    assert again.retest and again.tasks[0][0].value == "putting on socks"
    again.tasks[0][1].value = 6
    again.groc.value = 2
    again.save.click()
    assert ("Improved: 3 points better, and 2 points or more counts as a real change."
            in again.message.value)
    assert "you chose “Better” on Mon 2 Feb 2026. That counts as improved." in again.message.value


@pytest.mark.parametrize("fill, problem", [
    (lambda v: setattr(v.peg[0], "value", 4), "answer all three questions, or none"),
    (lambda v: setattr(v.totals["odi"], "value", "140"), "ODI: 140 is outside 0 to 100"),
    (lambda v: setattr(v.totals["rmdq"], "value", "lots"), "RMDQ: lots is not a number"),
    (lambda v: setattr(v.tasks[1][1], "value", 5), "give each task a name and a score"),
    (lambda v: None, "Nothing to save yet"),
])
def test_the_form_saves_nothing_when_something_is_wrong(fill: object, problem: str) -> None:
    journal = Journal(":memory:")
    view = MeasuresView(COURSE, journal, DAY)
    fill(view)  # type: ignore[operator]
    view.save.click()
    assert problem in view.message.value and journal.all(Score) == []


def test_the_copyrighted_questionnaires_are_linked_never_shown() -> None:
    """RMDQ and ODI: a total from the official form, a link, and why; no items in the course."""
    view = MeasuresView(COURSE, Journal(":memory:"), DAY)
    def texts(w: object) -> str:  # every HTML and text the form shows, cards included
        value = getattr(w, "value", "")
        return (value if isinstance(value, str) else "") + "".join(
            texts(c) for c in getattr(w, "children", ()))

    shown = texts(view.widget)
    for m in (COURSE.measure("rmdq"), COURSE.measure("odi")):
        assert m.terms == "link" and not m.items and m.link and m.link in shown
        assert "we do not show the questions" in (m.why or "")


@pytest.mark.parametrize("today, said", [
    ("2026-02-16", "You are in week 7 of your 12-week plan."),
    ("2026-04-06", "Your 12-week plan ended on Sun 29 Mar 2026."),
    ("2026-04-06", "Your next 8 weeks: Active dead hang"),  # the new plan, not "Next"
    ("2026-02-16", ". Next: Active dead hang"),
])
def test_where_you_stand_says_the_week_or_that_the_plan_ended(today: str, said: str) -> None:
    from backcourse.journal.program import program_status
    from backcourse.journal.samples import write_persona
    from backcourse.render.report import first

    with Journal(":memory:") as journal:
        write_persona(journal, "alex")
        status = program_status(COURSE, journal)
        logs = journal.all(SessionLog)
    text = first(status, COURSE, [], logs, dt.date.fromisoformat(today), "", 8)
    assert said in text and "week 14" not in text


@pytest.mark.parametrize("better_by, sentence", [
    (0, "No clear change: the same as at the start, and it takes 2 points to count as a real "
        "change."),
    (1, "No clear change: 1 point better, and it takes 2 points to count as a real change."),
    (2, "Improved: 2 points better, and 2 points or more counts as a real change."),
    (3, "Improved: 3 points better, and 2 points or more counts as a real change."),
])
def test_the_table_the_chart_and_the_summary_say_one_verdict(better_by: int,
                                                            sentence: str) -> None:
    """Pain 6 at the start: the MIC is 2 points (30% of 6 is less; Ostelo 2008), and a change
    of at least the MIC counts. Every surface says the core's one sentence, and none says
    anything else about whether it counts."""
    scores = [score("pain", 6), score("pain", 6 - better_by, "2026-02-02")]
    (change,) = changes(COURSE.measures, scores)
    assert change.sentence == sentence
    table = outcome_table([change], COURSE)
    chart = over_time([change], scores)
    with Journal(":memory:") as journal:
        write_persona(journal, "alex", start=dt.date(2026, 1, 5))
        status = program_status(COURSE, journal)
    report = first(status, COURSE, [change], [], dt.date(2026, 2, 3), "", 8)
    for said in (table, chart, report):
        assert sentence in html.unescape(said), said
        assert "important change" not in said and "day-to-day" not in said
    # a point exactly the change that counts away sits on the band's edge: "Improved" there
    # read as a contradiction to a physiotherapist until the caption said so
    assert "on its edge or beyond it, a real one" in chart
    # a learner read 'Improved: 1 point' (PEG) beside 'No clear change: 1 point' (pain) as a
    # contradiction: the table says each score has its own smallest change
    assert "Each score has its own smallest change that matters" in table
    assert chart.count(sentence) == 2  # the caption, and the chart's own alt text
    drawn = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", chart))
    assert "less than 2 points from where you started: no clear change" in drawn


def test_a_recent_flare_up_needs_attention_and_an_old_one_does_not() -> None:
    calm = SessionLog(done_on="2026-02-10", exercise="big-three", rung="big-three-1", sets=1,
                      seconds=10, pain_before=3, pain_after=3, pain_next_day=3)
    flared = dataclasses.replace(calm, done_on="2026-02-12", pain_peak=8, pain_next_day=6)
    rules, limit = COURSE.attention, COURSE.thresholds.regress
    (said,) = attention("active", [calm, flared], dt.date(2026, 2, 20), None, rules,
                        limit=limit)
    assert said == ("flare-up: pain reached 8 out of 10 on Thu 12 Feb (8 days ago); ask how "
                    "they are and check they stepped back a level")
    assert "flare-up" in attention("rescreen", [flared], dt.date(2026, 2, 12), None, rules,
                                   limit=limit)[0]
    later = dataclasses.replace(calm, done_on="2026-02-26")
    assert attention("active", [calm, flared, later], dt.date(2026, 2, 27), None, rules,
                     limit=limit) == []  # 15 days on: older than the rule's 14 days
    next_morning = dataclasses.replace(calm, pain_next_day=5)  # 2 points up overnight
    assert "morning after" in attention("active", [next_morning], dt.date(2026, 2, 11), None,
                                        rules, limit=limit)[0]
