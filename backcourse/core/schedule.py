"""A weekly training schedule for the three prerequisites (pure, no I/O)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping

from backcourse.core.course import Course
from backcourse.core.model import Move, Rung

MAX_SESSIONS_PER_WEEK = 5
MAX_WEEKS = 52
#: our own estimates for how long a session takes (no source times these moves)
REP_S = 3  # one rep without a hold, at an easy pace
PAUSE_S = 3  # between the reps of a held move (as the session player counts)
SETUP_S = 60  # getting into place for each move


@dataclasses.dataclass(frozen=True)
class Session:
    """One planned training day: which rung of each prerequisite to do."""

    week: int
    day: dt.date
    work: tuple[tuple[str, Rung], ...]  # (exercise name, rung)

    @property
    def minutes(self) -> int:
        """About how long the session takes, rounded up to 5 minutes."""
        return session_minutes(rung for _, rung in self.work)


def describe_work(name: str, rung: Rung) -> str:
    """One prerequisite's part of a session in words: its level, each move and its dose (the
    level's own name only where it holds several moves)."""
    label = f" ({rung.name})" if len(rung.moves) > 1 else ""
    return (f"{name}, level {rung.level}{label}: "
            + "; ".join(f"{m.name}, {m.dose.describe()}" for m in rung.moves))


def move_seconds(move: Move) -> int:
    """One move's work on every side, its rests between sets and setting up, in seconds (our
    estimate)."""
    dose = move.dose
    if dose.reps is None:
        one_set = dose.hold_s or 0
    else:
        one_set = dose.reps * (dose.hold_s + PAUSE_S if dose.hold_s else REP_S)
    sides = 2 if dose.per_side else 1  # one side straight after the other, as the player runs
    return dose.sets * sides * one_set + (dose.sets - 1) * dose.rest_s + SETUP_S


def session_minutes(rungs: Iterable[Rung]) -> int:
    """About how long a session at these levels takes, rounded up to 5 minutes."""
    seconds = sum(move_seconds(m) for rung in rungs for m in rung.moves)
    return max(5, 5 * math.ceil(seconds / 300))


def session_days(sessions_per_week: int) -> list[int]:
    """Day offsets within a week, spread out so rest days fall between sessions."""
    if not 1 <= sessions_per_week <= MAX_SESSIONS_PER_WEEK:
        raise ValueError(f"sessions_per_week must be 1 to {MAX_SESSIONS_PER_WEEK} "
                         f"(got {sessions_per_week}); two or three suit most people")
    return [round(i * 7 / sessions_per_week) for i in range(sessions_per_week)]


def weekly_plan(
    course: Course,
    *,
    start: dt.date,
    weeks: int,
    sessions_per_week: int,
    rungs: Mapping[str, str] | None = None,
) -> list[Session]:
    """Sessions for ``weeks`` weeks from ``start``, each doing every prerequisite once.

    ``rungs`` maps a prerequisite id to the rung to train (default: level 1 of each).
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be 1 to {MAX_WEEKS} (got {weeks})")
    chosen = dict(rungs or {})
    unknown = set(chosen) - {x.id for x in course.prerequisites}
    if unknown:
        raise ValueError(f"not prerequisites: {', '.join(sorted(unknown))}")
    work = tuple(
        (x.name, x.rung(chosen[x.id]) if x.id in chosen else x.rungs[0])
        for x in course.prerequisites
    )
    offsets = session_days(sessions_per_week)
    return [
        Session(week=w + 1, day=start + dt.timedelta(days=7 * w + d), work=work)
        for w in range(weeks)
        for d in offsets
    ]


def weeks_ahead(
    course: Course,
    *,
    plan_start: dt.date,
    today: dt.date,
    weeks: int,
    sessions_per_week: int,
    rungs: Mapping[str, str] | None = None,
) -> list[Session]:
    """The sessions of the next ``weeks`` weeks from ``today`` on, on the plan's days and
    numbered as the plan counts its weeks (week 1 starts on ``plan_start``), so a learner six
    weeks in sees week 7 next, beside the retests counted from the same day."""
    if not 1 <= weeks < MAX_WEEKS:
        raise ValueError(f"weeks must be 1 to {MAX_WEEKS - 1} (got {weeks})")
    done = max((today - plan_start).days // 7, 0)
    sessions = weekly_plan(course, start=plan_start + dt.timedelta(weeks=done), weeks=weeks + 1,
                           sessions_per_week=sessions_per_week, rungs=rungs)
    ahead = [dataclasses.replace(s, week=s.week + done) for s in sessions if s.day >= today]
    return [s for s in ahead if s.week < ahead[0].week + weeks]
