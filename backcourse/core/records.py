"""What a learner's journal holds, as validated records (pure; no database here)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

from backcourse.core.dates import parse_date
from backcourse.core.parse import rule

LEARNER = r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"  # a learner id, also the journal's file name
Outcome = Literal["clear", "advice", "soon", "same day", "emergency"]
#: results saved besides the battery's own tests: STarT Back's scores
START_BACK_TOTAL, START_BACK_DISTRESS = "start_back_total", "start_back_distress"
OTHER_TESTS = (START_BACK_TOTAL, START_BACK_DISTRESS)
Side = Literal["left", "right", "both"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Screening:
    """One run of the red-flag screen: when, the outcome, and the questions answered yes."""

    id: int | None = rule(min=1, default=None)
    taken_on: str = rule(check=parse_date)  # YYYY-MM-DD
    outcome: Outcome = rule()
    flagged: tuple[str, ...] = ()
    cleared: bool = False  # the learner says a clinician checked these signs and allows exercise

    def problems(self) -> Iterator[tuple[str, str]]:
        if (self.outcome == "clear") != (not self.flagged):
            yield "flagged", "a clear screen has no flagged questions, any other outcome has some"
        if self.cleared and self.outcome not in ("soon", "same day"):
            yield "cleared", ("only a soon or same-day outcome can be cleared by a clinician; "
                              "an emergency needs a new check")

    @property
    def allows_exercise(self) -> bool:
        """No sign that needs a clinician first, or a clinician has checked the signs and said
        exercise is fine."""
        return self.outcome in ("clear", "advice") or self.cleared


@dataclasses.dataclass(frozen=True, kw_only=True)
class Assessment:
    """One test result on one day, e.g. a 95 s left side bridge."""

    id: int | None = rule(min=1, default=None)
    taken_on: str = rule(check=parse_date)  # YYYY-MM-DD
    test: str = rule(pattern=r"[a-z0-9_]+")
    side: Side = "both"
    value: float = rule(min=0, max=10_000)
    unit: Literal["s", "points", "category"] = rule()
    note: str | None = None

    @property
    def key(self) -> str:
        """The result key used by norms and ratios, e.g. ``side_bridge_left``."""
        return self.test if self.side == "both" else f"{self.test}_{self.side}"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Plan:
    """A saved weekly plan: its length, rhythm, start and the rung of each prerequisite."""

    id: int | None = rule(min=1, default=None)
    created_on: str = rule(check=parse_date)  # YYYY-MM-DD
    start_on: str = rule(check=parse_date)  # YYYY-MM-DD
    weeks: int = rule(min=1, max=52)
    sessions_per_week: int = rule(min=1, max=5)
    rungs: tuple[str, ...] = ()

    def last_day(self) -> dt.date:
        """The plan's last day: the end of its last week."""
        return parse_date(self.start_on) + dt.timedelta(weeks=self.weeks, days=-1)



@dataclasses.dataclass(frozen=True, kw_only=True)
class SessionLog:
    """One exercise done in one session, with the pain before, at its worst during, after and
    next morning."""

    id: int | None = rule(min=1, default=None)
    done_on: str = rule(check=parse_date)  # YYYY-MM-DD
    exercise: str = rule(pattern=r"[a-z0-9-]+")
    rung: str = rule(pattern=r"[a-z0-9-]+")
    sets: int = rule(min=0, max=20)
    reps: int | None = rule(min=0, max=200, default=None)
    seconds: int | None = rule(min=0, max=3600, default=None)
    pain_before: int = rule(min=0, max=10)
    pain_after: int = rule(min=0, max=10)
    pain_peak: int | None = rule(min=0, max=10, default=None)  # the highest during the exercise
    pain_next_day: int | None = rule(min=0, max=10, default=None)
    effort: int | None = rule(min=0, max=10, default=None)
    note: str | None = None

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.reps is None and self.seconds is None:
            yield "reps", "give reps, seconds or both"

    @property
    def highest_pain(self) -> int:
        """The worst pain during or right after the exercise (after, if no peak was rated)."""
        return max(self.pain_after, self.pain_peak or 0)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Score:
    """One outcome measure taken on one day: its score, and for a measure of several parts
    the score of each (``items``) with what each part was (``labels``, e.g. PSFS tasks)."""

    id: int | None = rule(min=1, default=None)
    taken_on: str = rule(check=parse_date)  # YYYY-MM-DD
    measure: str = rule(pattern=r"[a-z0-9-]+")
    value: float = rule(min=-10, max=100)
    items: tuple[float, ...] = ()
    labels: tuple[str, ...] = ()
    note: str | None = None

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.labels and len(self.labels) != len(self.items):
            yield "labels", "give one label per item"


RECORDS: dict[str, type[Any]] = {
    "screenings": Screening,
    "assessments": Assessment,
    "plans": Plan,
    "sessions": SessionLog,
    "measures": Score,
}
