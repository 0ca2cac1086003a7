"""A learner's programme: one of four states, each carrying only what can be shown in it
(no safety check yet; withheld; paused to re-screen; active), decided from their records."""

from __future__ import annotations

import dataclasses
from typing import ClassVar, Literal

from backcourse.core.course import Course
from backcourse.core.progression import Readiness, Step, plan_steps, readiness
from backcourse.core.records import Assessment, Plan, Screening, SessionLog

State = Literal["no-screening", "withheld", "rescreen", "active"]


@dataclasses.dataclass(frozen=True)
class Record:
    """What the journal holds, whatever the state."""

    plan: Plan | None
    logs: tuple[SessionLog, ...]
    assessments: tuple[Assessment, ...]


@dataclasses.dataclass(frozen=True)
class NoScreening:
    """No safety check on record: nothing of the plan may show."""

    record: Record
    state: ClassVar[State] = "no-screening"


@dataclasses.dataclass(frozen=True)
class Withheld:
    """The latest safety check found a sign that needs a clinician first."""

    record: Record
    screening: Screening
    state: ClassVar[State] = "withheld"


@dataclasses.dataclass(frozen=True)
class Rescreen:
    """Pain is rising: the plan pauses until the safety check is taken again."""

    record: Record
    screening: Screening
    steps: tuple[Step, ...]
    state: ClassVar[State] = "rescreen"


@dataclasses.dataclass(frozen=True)
class Active:
    """The plan may show: next steps and capstone readiness."""

    record: Record
    screening: Screening
    steps: tuple[Step, ...]
    readiness: Readiness
    state: ClassVar[State] = "active"

    @property
    def starts(self) -> dict[str, str]:
        """The rung each prerequisite is at next, by exercise id."""
        return {s.exercise.id: s.next.id for s in self.steps}


ProgramStatus = NoScreening | Withheld | Rescreen | Active


def start_rungs(course: Course, plan: Plan | None) -> dict[str, str]:
    """The plan's starting rung per prerequisite (rung ids are unique across exercises)."""
    owner = {r.id: x.id for x in course.exercises for r in x.rungs}
    return {owner[r]: r for r in (plan.rungs if plan else ()) if r in owner}


def decide(course: Course, screening: Screening | None, record: Record) -> ProgramStatus:
    """What the learner may see, given their latest safety check and their records."""
    if screening is None:
        return NoScreening(record)
    if not screening.allows_exercise:
        return Withheld(record, screening)
    starts = start_rungs(course, record.plan)
    steps = tuple(plan_steps(course, record.logs, screening, starts))
    if any(s.decision == "rescreen" for s in steps):
        return Rescreen(record, screening, steps)
    return Active(record, screening, steps, readiness(course, record.logs, starts))
