"""From baseline results to a starting level on each ladder, and on into the plan."""

from __future__ import annotations

import datetime as dt

import pytest

from backcourse.content.load import load_course
from backcourse.core.recommend import recommend, week_under_way
from backcourse.core.records import Plan, Screening
from backcourse.journal.program import program_status
from backcourse.journal.store import Journal
from backcourse.views.assess import BatteryView

COURSE = load_course()
STRONG = {"knee_lift_hold_left": 40, "knee_lift_hold_right": 35, "trunk_flexion": 60,
          "trunk_extension": 90, "side_bridge_left": 45, "side_bridge_right": 50}


def levels(results: dict, pain: int | None = 2) -> dict[str, str]:
    return {s.exercise.id: s.rung.id for s in recommend(COURSE, results, pain)}


def test_strong_results_start_higher_except_the_hang() -> None:
    assert levels(STRONG) == {"dead-hang": "dead-hang-1", "psoas-march": "psoas-march-3",
                              "big-three": "big-three-2"}


@pytest.mark.parametrize("change, march, big_three", [
    ({"knee_lift_hold_right": 20}, "psoas-march-2", "big-three-2"),
    ({"knee_lift_hold_left": 5}, "psoas-march-1", "big-three-2"),
    ({"side_bridge_left": 29.9}, "psoas-march-3", "big-three-1"),
])
def test_each_threshold_decides_its_own_ladder(change: dict, march: str, big_three: str) -> None:
    found = levels({**STRONG, **change})
    assert (found["psoas-march"], found["big-three"]) == (march, big_three)


def test_high_pain_or_missing_tests_start_at_level_one() -> None:
    assert set(levels(STRONG, pain=7).values()) == {"dead-hang-1", "psoas-march-1", "big-three-1"}
    assert set(levels({}).values()) == {"dead-hang-1", "psoas-march-1", "big-three-1"}


def test_the_reason_says_why_not_higher() -> None:
    (_, march, _) = recommend(COURSE, {**STRONG, "knee_lift_hold_right": 20}, 2)
    assert "Not higher because: Standing knee-lift hold, right 20 s is under 30 s." in march.reason


def test_the_floor_back_hold_can_stand_in_for_the_bench_one() -> None:
    """A learner who did only the floor hold is judged on it; the longer time counts."""
    floor = {k: v for k, v in STRONG.items() if k != "trunk_extension"}
    assert levels({**floor, "back_extension_floor": 40})["big-three"] == "big-three-2"
    assert levels({**STRONG, "trunk_extension": 10, "back_extension_floor": 40})["big-three"] \
        == "big-three-2"
    (_, _, short) = recommend(COURSE, {**floor, "back_extension_floor": 20}, 2)
    assert short.rung.id == "big-three-1"
    assert "Back hold on the floor (back extensors) 20 s is under 30 s" in short.reason
    (_, _, none) = recommend(COURSE, floor, 2)
    assert ("Back hold on a bench (Biering-Sørensen test) or Back hold on the floor (back "
            "extensors) not done") in none.reason


def test_saving_the_battery_saves_a_plan_that_notebook_08_starts_from() -> None:
    journal = Journal(":memory:")
    journal.add(Screening(taken_on="2026-03-01", outcome="clear"))
    view = BatteryView(COURSE, journal, dt.date(2026, 3, 2))
    for key, seconds in STRONG.items():
        view.timers[key].seconds.value = str(seconds)
    view.age.value, view.sex.value = "25", "male"
    view.save.click()
    assert "Where to start" in view.message.value
    (plan,) = journal.all(Plan)
    assert plan.rungs == ("dead-hang-1", "psoas-march-3", "big-three-2")
    status = program_status(COURSE, journal)
    assert [s.current.id for s in status.steps] == list(plan.rungs)


@pytest.mark.parametrize("today, week", [
    (dt.date(2026, 1, 4), None),   # the day before it begins
    (dt.date(2026, 1, 5), 1),
    (dt.date(2026, 3, 1), 8),      # its last day
    (dt.date(2026, 3, 2), None),   # ended
])
def test_the_week_a_plan_is_in(today: dt.date, week: int | None) -> None:
    plan = Plan(created_on="2026-01-05", start_on="2026-01-05", weeks=8, sessions_per_week=3)
    assert week_under_way(plan, today) == week
    assert week_under_way(None, today) is None
