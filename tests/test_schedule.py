"""The weekly planner spreads sessions out and trains each prerequisite every time."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcourse.content.load import load_course
from backcourse.core.schedule import session_days, weekly_plan

START = dt.date(2026, 1, 5)


@given(st.integers(min_value=1, max_value=5))
def test_sessions_fall_on_distinct_days_within_the_week(n: int) -> None:
    """Offsets are distinct, increasing and inside one week."""
    days = session_days(n)
    assert len(days) == n and days == sorted(set(days)) and 0 <= days[0] and days[-1] <= 6


@pytest.mark.parametrize("n", [1, 2, 3])
def test_up_to_three_sessions_leave_a_rest_day_between(n: int) -> None:
    """With three or fewer sessions a week, no two sessions are on consecutive days."""
    days = session_days(n) + [7]
    assert all(b - a >= 2 for a, b in zip(days, days[1:], strict=False))


def test_plan_covers_all_weeks_and_every_prerequisite() -> None:
    """8 weeks x 3 sessions, each doing level 1 of all three prerequisites."""
    course = load_course()
    plan = weekly_plan(course, start=START, weeks=8, sessions_per_week=3)
    assert len(plan) == 24
    assert plan[0].day == START and plan[-1].week == 8
    assert [r.level for _, r in plan[0].work] == [1, 1, 1]
    assert [name for name, _ in plan[0].work] == [x.name for x in course.prerequisites]


def test_chosen_rungs_are_used() -> None:
    plan = weekly_plan(load_course(), start=START, weeks=1, sessions_per_week=2,
                       rungs={"dead-hang": "dead-hang-3"})
    assert plan[0].work[0][1].id == "dead-hang-3"


@pytest.mark.parametrize("kwargs, message", [
    ({"weeks": 0, "sessions_per_week": 3}, "weeks must be 1 to 52"),
    ({"weeks": 8, "sessions_per_week": 7}, "sessions_per_week must be 1 to 5"),
    ({"weeks": 8, "sessions_per_week": 3, "rungs": {"capstone": "x"}}, "not prerequisites"),
])
def test_bad_settings_get_a_clear_message(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        weekly_plan(load_course(), start=START, **kwargs)
