"""A learner's programme, read from their journal: gate, next steps, readiness."""

from __future__ import annotations

import dataclasses
from typing import Literal

from .core.model import Course
from .core.progression import Readiness, Step, plan_steps, readiness
from .core.records import Assessment, Plan, Screening, SessionLog
from .journal import Journal

State = Literal["no-screening", "withheld", "rescreen", "active"]


@dataclasses.dataclass(frozen=True)
class ProgramStatus:
    """Everything notebook 08 shows; ``steps`` and ``readiness`` only when the plan may show."""

    state: State
    screening: Screening | None
    plan: Plan | None
    logs: tuple[SessionLog, ...]
    assessments: tuple[Assessment, ...]
    steps: tuple[Step, ...] = ()
    readiness: Readiness | None = None

    @property
    def starts(self) -> dict[str, str]:
        return {s.exercise.id: s.next.id for s in self.steps}


def start_rungs(course: Course, plan: Plan | None) -> dict[str, str]:
    """The plan's starting rung per prerequisite (rung ids are unique across exercises)."""
    owner = {r.id: x.id for x in course.exercises for r in x.rungs}
    return {owner[r]: r for r in (plan.rungs if plan else ()) if r in owner}


def program_status(course: Course, journal: Journal) -> ProgramStatus:
    """Read the journal and decide what the learner may see."""
    screening = journal.latest_screening()
    plans = journal.all(Plan)
    plan = plans[-1] if plans else None
    logs = tuple(journal.sessions())
    tests = tuple(journal.all(Assessment))
    if screening is None:
        return ProgramStatus("no-screening", None, plan, logs, tests)
    if not screening.allows_exercise:
        return ProgramStatus("withheld", screening, plan, logs, tests)
    starts = start_rungs(course, plan)
    steps = tuple(plan_steps(course, logs, screening, starts))
    if any(s.decision == "rescreen" for s in steps):
        return ProgramStatus("rescreen", screening, plan, logs, tests, steps)
    return ProgramStatus("active", screening, plan, logs, tests, steps,
                         readiness(course, logs, starts))
