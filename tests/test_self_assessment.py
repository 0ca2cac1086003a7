"""STarT Back scoring, the stopwatch, and the battery widget driven from Python."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ipywidgets as widgets
import pytest
from tree import shown

from backcourse.content.load import load_course
from backcourse.core.records import Assessment, Plan, Screening
from backcourse.core.startback import IncompleteStartBack, group_for, score
from backcourse.core.stopwatch import Stopwatch
from backcourse.journal.store import Journal
from backcourse.views.assess import BatteryView, StartBackView, TimerField

COURSE = load_course()
ITEMS = COURSE.start_back
TODAY = dt.date(2026, 3, 2)


def answers(agree: set[int], bother: int = 0) -> dict[int, int | None]:
    """Agree (1) to the item numbers given; item 9 takes an option index 0-4."""
    given: dict[int, int | None] = {n: int(n in agree) for n in range(1, 9)}
    given[9] = bother
    return given


@pytest.mark.parametrize("agree, bother, expected", [
    (set(), 0, (0, 0, "low")),
    ({1, 2, 3}, 0, (3, 0, "low")),            # top of low
    ({1, 2, 3, 4}, 0, (4, 0, "medium")),      # bottom of medium
    ({1, 2, 5, 6}, 3, (5, 3, "medium")),      # distress 3 stays medium
    ({5, 6, 7}, 4, (4, 4, "high")),           # distress 4 is high
    ({1, 2, 3, 4, 5, 6, 7, 8}, 4, (9, 5, "high")),
    ({5, 6, 7, 8}, 2, (4, 4, "high")),        # "moderately" bothered scores 0
])
def test_every_band_of_the_start_back_tool(agree: set[int], bother: int,
                                           expected: tuple[int, int, str]) -> None:
    result = score(ITEMS, answers(agree, bother))
    assert (result.total, result.distress, result.group) == expected


def test_only_very_much_or_extremely_bothered_scores_a_point() -> None:
    assert [score(ITEMS, answers(set(), b)).total for b in range(5)] == [0, 0, 0, 1, 1]


def test_group_rule_edges() -> None:
    assert [group_for(t, d) for t, d in ((3, 3), (4, 3), (4, 4), (9, 3))] == [
        "low", "medium", "high", "medium"]


def test_an_unanswered_item_is_named() -> None:
    partial = answers(set())
    partial[4] = partial[9] = None
    with pytest.raises(IncompleteStartBack) as caught:
        score(ITEMS, partial)
    assert caught.value.missing == (4, 9)


def test_items_are_paraphrased_and_credit_keele() -> None:
    """Nine items; the distress subscale is items 5 to 9; the bands cite the tool's sources."""
    assert [i.number for i in ITEMS] == list(range(1, 10))
    assert [i.number for i in ITEMS if i.distress] == [5, 6, 7, 8, 9]
    keys = {k for b in COURSE.start_back_bands for k in b.refs}
    assert {"hill2008", "keele2021"} <= keys


def test_start_back_widget_scores_saves_and_explains() -> None:
    journal = Journal(":memory:")
    view = StartBackView(COURSE, journal, TODAY)
    view.submit.click()
    assert "Still unanswered: 1, 2, 3, 4, 5, 6, 7, 8, 9." in view.result.value
    for number, toggle in view.answers.items():
        toggle.value = 1 if number in (5, 6, 7) else 0
    view.answers[9].value = 4
    view.submit.click()
    assert "high-risk group" in view.result.value and "not a diagnosis" in view.result.value
    saved = {a.test: a.value for a in journal.all(Assessment)}
    assert saved == {"start_back_total": 4, "start_back_distress": 4}


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_stopwatch_counts_only_running_time() -> None:
    clock = FakeClock()
    watch = Stopwatch(clock)
    watch.start()
    clock.now += 30
    assert watch.running and watch.elapsed == 30
    assert watch.stop() == 30 and watch.stop() == 30
    clock.now += 100
    watch.start()
    clock.now += 5
    assert watch.stop() == 35
    watch.reset()
    assert watch.elapsed == 0 and not watch.running


def test_timer_buttons_fill_the_seconds_box() -> None:
    clock = FakeClock()
    field = TimerField("Side bridge, left", clock)
    field.start.click()
    clock.now += 62.34
    field.stop.click()
    assert field.seconds.value == "62.3"
    field.reset.click()
    assert field.seconds.value == ""


def battery(journal: Journal | None = None) -> BatteryView:
    """The battery for a learner whose safety check was clear."""
    if journal is not None:
        journal.add(Screening(taken_on="2026-03-01", outcome="clear"))
    return BatteryView(COURSE, journal, TODAY, FakeClock())


def test_a_full_battery_is_saved_and_compared(tmp_path: Path) -> None:
    journal = Journal(":memory:")
    view = battery(journal)
    view.age.value, view.sex.value = "24", "female"
    values = {"trunk_flexion": "120", "trunk_extension": "150", "side_bridge_left": "60",
              "side_bridge_right": "66", "knee_lift_hold_left": "30",
              "knee_lift_hold_right": "25", "stance_eyes_open_left": "45",
              "stance_eyes_open_right": "41", "stance_eyes_closed_left": "9",
              "stance_eyes_closed_right": "12"}
    for key, text in values.items():
        view.timers[key].seconds.value = text
    view.categories["thomas_left"].value = "level"
    view.categories["thomas_right"].value = "above level"
    view.ratings["pain_now"].value, view.ratings["pain_worst_week"].value = 3, 6
    view.save.click()
    text = view.message.value
    assert "Saved your 14 test results on Mon 2 Mar 2026." in text
    assert "Side bridge, left: 60 s is" in text  # each line names its test
    assert "for women in McGill 1999. Who was tested: young healthy adults" in text
    assert "none of them is a diagnosis" in text
    assert "Young healthy women: about 0.79, worked out by us" in text
    assert "left side is 9% shorter" in text
    stored = {a.key: (a.value, a.unit) for a in journal.all(Assessment)}
    assert stored["side_bridge_left"] == (60, "s")
    assert stored["thomas_right"] == (2, "category") and stored["pain_worst_week"] == (6, "points")
    assert len(stored) == 14
    view = StartBackView(COURSE, journal, TODAY)
    for toggle in view.answers.values():
        toggle.value = 0
    view.check()
    journal.export_json(tmp_path / "all.json")  # every name it saved is one the course knows
    with Journal(":memory:") as again:  # the screening, the plan and every result
        assert again.import_json(tmp_path / "all.json", COURSE) == journal.count(Assessment) + 2


@pytest.mark.parametrize("began, goes_on", [
    ("2026-02-09", True),   # week 4 of 8: a retest must not reset the plan
    ("2026-01-05", False),  # 8 weeks ended on 1 Mar: the results start a new plan
])
def test_a_self_assessment_mid_plan_keeps_the_plan_unless_the_learner_starts_again(
        began: str, goes_on: bool) -> None:
    journal = Journal(":memory:")
    journal.add(Plan(created_on=began, start_on=began, weeks=8, sessions_per_week=3,
                     rungs=("dead-hang-3",)))
    view = battery(journal)
    view.timers["trunk_flexion"].seconds.value = "60"
    view.save.click()
    plans = journal.all(Plan)
    assert len(plans) == (1 if goes_on else 2)
    assert (view.restart.layout.display == "") is goes_on
    if not goes_on:
        assert "Saved as your plan" in view.message.value and plans[-1].start_on == "2026-03-02"
        return
    assert ("Your plan that began on Mon 9 Feb 2026 goes on: you are in week 4 of 8"
            in view.message.value)
    view.restart.click()
    plans = journal.all(Plan)
    assert len(plans) == 2 and plans[-1].start_on == "2026-03-02"
    assert "Saved as your new plan, starting Mon 2 Mar 2026" in view.message.value
    assert view.restart.layout.display == "none"


@pytest.mark.parametrize("field, text, message", [
    ("trunk_flexion", "-5", "cannot be negative"),
    ("trunk_flexion", "two minutes", "is not a number of seconds"),
    ("side_bridge_left", "900", "tick “I am sure of this time”"),
])
def test_bad_times_are_refused_and_nothing_is_saved(field: str, text: str, message: str) -> None:
    journal = Journal(":memory:")
    view = battery(journal)
    view.timers[field].seconds.value = text
    view.save.click()
    assert "Nothing saved yet" in view.message.value and message in view.message.value
    assert journal.all(Assessment) == []


def test_an_unlikely_time_is_saved_once_confirmed() -> None:
    journal = Journal(":memory:")
    view = battery(journal)
    view.timers["side_bridge_left"].seconds.value = "900"
    view.timers["side_bridge_left"].sure.value = True
    view.age.value, view.sex.value = "25", "male"
    view.save.click()
    assert "Saved your 1 test result on" in view.message.value


@pytest.mark.parametrize("age, message", [
    ("12", "Your age: This course is for adults"),
    ("forty", "Your age: Give your age in years"),
])
def test_an_impossible_age_is_refused(age: str, message: str) -> None:
    view = battery(Journal(":memory:"))
    view.timers["trunk_extension"].seconds.value = "100"
    view.age.value, view.sex.value = age, "male"
    view.save.click()
    assert message in view.message.value and "Nothing saved yet" in view.message.value


def test_without_a_sex_results_are_saved_but_not_compared() -> None:
    journal = Journal(":memory:")
    view = battery(journal)
    view.timers["trunk_extension"].seconds.value = "100"
    view.age.value, view.sex.value = "30", ""
    view.save.click()
    assert "Saved your 1 test result on" in view.message.value
    assert ("Back hold on a bench (Biering-Sørensen test): not compared with the "
            "averages.") in view.message.value
    assert "differ for women and men" in view.message.value
    assert [a.value for a in journal.all(Assessment)] == [100]


def test_unrated_pain_is_not_saved_as_zero_and_does_not_set_the_start() -> None:
    journal = Journal(":memory:")
    view = battery(journal)
    view.save.click()
    assert [a.test for a in journal.all(Assessment)] == []
    (plan,) = journal.all(Plan)
    assert plan.rungs == ("dead-hang-1", "psoas-march-1", "big-three-1")


def test_a_warning_sign_entered_meanwhile_stops_the_save() -> None:
    """Another tab may record a red flag after the form opened: nothing is saved then."""
    journal = Journal(":memory:")
    view = battery(journal)
    journal.add(Screening(taken_on="2026-03-02", outcome="emergency", flagged=("E1",)))
    view.timers["trunk_extension"].seconds.value = "100"
    view.save.click()
    assert "Your exercise plan is on hold" in view.message.value
    assert journal.all(Assessment) == [] and journal.all(Plan) == []


@pytest.mark.parametrize("age", ["", "60"])
def test_any_age_or_none_is_compared_with_a_note_on_who_was_tested(age: str) -> None:
    """McGill 1999 reports no age range: the comparison is shown with who was tested."""
    view = battery(Journal(":memory:"))
    view.timers["trunk_extension"].seconds.value = "100"
    view.age.value, view.sex.value = age, "male"
    view.save.click()
    assert ("100 s is a little below the average of 146 s, SD 51 s, for men in McGill 1999. "
            "Who was tested: young healthy adults, university laboratory, Canada; age range "
            "not reported.") in view.message.value


def test_only_the_floor_back_hold_gives_no_norm_and_no_back_ratios() -> None:
    """The floor hold is a different test: no comparison with the bench norms, and the
    McGill ratios that divide by the bench hold are left out."""
    journal = Journal(":memory:")
    view = battery(journal)
    view.age.value, view.sex.value = "50", "female"
    for key, text in (("trunk_flexion", "100"), ("back_extension_floor", "150"),
                      ("side_bridge_left", "80"), ("side_bridge_right", "90")):
        view.timers[key].seconds.value = text
    view.save.click()
    html = view.message.value
    assert "Saved your 4 test results" in html
    assert "÷ back extensor hold" not in html and "Right ÷ left (side bridge" in html
    assert "146 s" not in html and "189 s" not in html
    stored = {a.key: a.value for a in journal.all(Assessment)}
    assert stored["back_extension_floor"] == 150 and "trunk_extension" not in stored


def test_every_hold_kept_up_to_failure_asks_about_blood_pressure_first() -> None:
    view = battery(Journal(":memory:"))
    page = "".join(w.value for w in shown(view.widget) if isinstance(w, widgets.HTML))
    for test in ("Bend-forward hold (trunk flexors)", "Back hold on the floor (back extensors)",
                 "Side bridge"):
        section = page.split(f"<h4>{test}</h4>")[1].split("<h4>")[0]
        assert "Ask a clinician first if you have</strong> high blood pressure" in section
    bench = page.split("<h4>Back hold on a bench (Biering-Sørensen test)</h4>")[1]
    assert "sturdy exam bench and straps" in bench and "helper" not in bench.split("<h4>")[0]


def test_saved_results_come_with_charts_that_have_alt_text() -> None:
    view = battery(Journal(":memory:"))
    view.age.value, view.sex.value = "24", "male"
    for key, text in (("trunk_flexion", "100"), ("trunk_extension", "150"),
                      ("side_bridge_left", "80"), ("side_bridge_right", "90")):
        view.timers[key].seconds.value = text
    view.save.click()
    html = view.message.value
    assert html.count('<figure class="bc-chart"><svg ') == 3
    assert ('">Your holds beside healthy young men (McGill 1999). Bend-forward hold (trunk '
            'flexors): you 100 s' in html)
    assert '">Your endurance ratios.' in html and '">Left and right sides.' in html
