"""The progression engine: from the session log to the next step on each ladder (pure).

Rules and their parameters come from ``data/progression.yaml``; the first rule that
applies decides. Nothing here reads files or a database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from backcourse.core.course import Course, FlareLimit, Mastery
from backcourse.core.dates import parse_date, spoken
from backcourse.core.model import Exercise, ProgressionRule, Rung
from backcourse.core.records import Screening, SessionLog


@dataclasses.dataclass(frozen=True)
class Step:
    """What to do next for one exercise, the rule that decided it and why."""

    exercise: Exercise
    current: Rung
    next: Rung
    rule: ProgressionRule
    reason: str

    @property
    def decision(self) -> str:
        return self.rule.decision


@dataclasses.dataclass(frozen=True)
class Criterion:
    exercise: Exercise
    rung: Rung
    met: bool
    why: str


@dataclasses.dataclass(frozen=True)
class Readiness:
    """Whether every capstone readiness criterion is met and no recent session flared up
    (``calm`` says the rule; ``flare`` says the latest flare-up it found, if any)."""

    criteria: tuple[Criterion, ...]
    calm: str = ""
    flare: str | None = None

    @property
    def ready(self) -> bool:
        return all(c.met for c in self.criteria) and self.flare is None


def _ordered(logs: Sequence[SessionLog]) -> list[SessionLog]:
    return sorted(logs, key=lambda s: (s.done_on, s.id or 0))


def _known(x: Exercise, logs: Sequence[SessionLog]) -> list[SessionLog]:
    """This exercise's sessions, oldest first, leaving out any naming a rung it lacks."""
    rungs = {r.id for r in x.rungs}
    return [s for s in _ordered(logs) if s.exercise == x.id and s.rung in rungs]


def current_rung(x: Exercise, logs: Sequence[SessionLog], start: str | None = None) -> Rung:
    """The rung last trained (from the log), else the planned start, else level 1."""
    mine = _known(x, logs)
    if mine:
        return x.rung(mine[-1].rung)
    return x.rung(start) if start in {r.id for r in x.rungs} else x.rungs[0]


def _latest_run(x: Exercise, rung: Rung, logs: Sequence[SessionLog]) -> list[SessionLog]:
    """The unbroken run of sessions at ``rung`` that ends with the latest session."""
    run: list[SessionLog] = []
    for s in reversed(_known(x, logs)):
        if s.rung != rung.id:
            break
        run.insert(0, s)
    return run


def _step(x: Exercise, rung: Rung, by: int) -> Rung:
    return x.rungs[min(max(rung.level - 1 + by, 0), len(x.rungs) - 1)]


def settled(s: SessionLog) -> bool:
    """Pain next morning is known and back to (or below) where the session started."""
    return s.pain_next_day is not None and s.pain_next_day <= s.pain_before


def mastered(rung: Rung, here: Sequence[SessionLog], rule: Mastery) -> list[SessionLog]:
    """The latest run of ``rule.sessions`` sessions at ``rung`` that met its target within the
    pain rule (empty if there is none)."""
    n, max_pain = rule.sessions, rule.max_pain
    for end in range(len(here), n - 1, -1):
        window = here[end - n:end]
        if all(rung.target.met_by(s.sets, s.reps, s.seconds) and s.highest_pain <= max_pain
               and settled(s) for s in window):
            return list(window)
    return []


def rising_pain(logs: Sequence[SessionLog], sessions: int, points: float) -> str | None:
    """A reason string when pain before sessions is trending up by ``points`` or more.

    The trend is the least-squares line through the last ``sessions`` session days (the
    highest pain-before rating of each day), so a rise with dips (3, 5, 4, 6) counts and one
    good or bad day does not decide alone.
    """
    by_day: dict[str, int] = {}
    for s in _ordered(logs):
        by_day[s.done_on] = max(by_day.get(s.done_on, 0), s.pain_before)
    recent = list(by_day.items())[-sessions:]
    if sessions < 2 or len(recent) < sessions:
        return None
    values = [p for _, p in recent]
    rise = trend_rise(values)
    if rise >= points:
        return (f"pain before sessions went {', '.join(map(str, values))} out of 10 "
                f"between {recent[0][0]} and {recent[-1][0]}, a rise of about "
                f"{rise:.1f} points")
    return None


def trend_rise(values: Sequence[float]) -> float:
    """How much a least-squares straight line through ``values`` climbs from first to last."""
    n = len(values)
    middle = (n - 1) / 2
    mean = sum(values) / n
    spread = sum((i - middle) ** 2 for i in range(n))
    slope = sum((i - middle) * (v - mean) for i, v in enumerate(values)) / spread
    return slope * (n - 1)


def next_step(
    course: Course,
    exercise_id: str,
    logs: Sequence[SessionLog],
    screening: Screening | None,
    start: str | None = None,
) -> Step:
    """Apply the rules, in order, to one prerequisite."""
    x = course.exercise(exercise_id)
    rung = current_rung(x, logs, start)
    rule, limits = course.rule_for, course.thresholds
    if screening is not None and not screening.allows_exercise:
        return Step(x, rung, rung, rule("stop"),
                    f"your safety check on {screening.taken_on} found a warning sign")
    reason = rising_pain(logs, limits.rescreen.sessions, limits.rescreen.points)
    if reason:
        return Step(x, rung, rung, rule("rescreen"), reason)
    here = _latest_run(x, rung, logs)
    flared = flare_up(here[-1], limits.regress) if here else None
    if flared:
        return Step(x, rung, _step(x, rung, -1), rule("regress"), flared)
    recent = mastered(rung, here, limits.progress)
    if recent and recent[-1] is here[-1]:
        top = rung.level == len(x.rungs)
        why = (f"target met on {', '.join(_day(s.done_on) for s in recent)} with pain that "
               "settled"
               + ("; this is the top level, keep it up" if top else ""))
        return Step(x, rung, _step(x, rung, +1), rule("progress"), why)
    done = len([s for s in here if rung.target.met_by(s.sets, s.reps, s.seconds)])
    sessions = f"{len(here)} session{'s' * (len(here) != 1)}"
    if here and here[-1].pain_next_day is None:
        return Step(x, rung, rung, rule("hold"),
                    f"target met in {done} of {sessions} at this level; rate your "
                    f"pain the morning after {_day(here[-1].done_on)} to confirm the pain settled")
    return Step(x, rung, rung, rule("hold"),
                f"{sessions} at this level so far, target met in {done}"
                if here else "no sessions logged at this level yet")


def flare_up(s: SessionLog, limit: FlareLimit) -> str | None:
    """Why a session counts as a flare-up (the step-back rule's pain limits), else None."""
    if s.highest_pain > limit.max_pain:
        return f"pain reached {s.highest_pain} out of 10 on {_day(s.done_on)}"
    if s.pain_next_day is not None and s.pain_next_day - s.pain_before >= limit.points:
        return (f"pain the morning after {_day(s.done_on)} was {s.pain_next_day} out of 10, "
                f"up from {s.pain_before}")
    return None


def latest_flare(logs: Sequence[SessionLog], limit: FlareLimit,
                 sessions: int | None = None) -> tuple[SessionLog, str] | None:
    """The latest flare-up among the last ``sessions`` sessions (all of them if None)."""
    recent = _ordered(logs)[-sessions:] if sessions else _ordered(logs)
    for s in reversed(recent):
        why = flare_up(s, limit)
        if why:
            return s, why
    return None


def _day(iso: str) -> str:
    """A logged day as a learner reads it: "Sat 28 Nov"."""
    return spoken(parse_date(iso), year=False)


def plan_steps(
    course: Course,
    logs: Sequence[SessionLog],
    screening: Screening | None,
    starts: Mapping[str, str] | None = None,
) -> list[Step]:
    """The next step for each prerequisite, in course order."""
    starts = starts or {}
    return [next_step(course, x.id, logs, screening, starts.get(x.id))
            for x in course.prerequisites]


def readiness(
    course: Course, logs: Sequence[SessionLog], starts: Mapping[str, str] | None = None
) -> Readiness:
    """Each capstone criterion is met once its rung is mastered (or passed); and no session
    among the last few (``course.calm``) may have flared up."""
    starts = starts or {}
    criteria = []
    for c in course.capstone.readiness:
        x = course.exercise(c.exercise)
        goal = x.rung(c.rung)
        level = current_rung(x, logs, starts.get(x.id)).level
        mine = _known(x, logs)
        best = max((r.level for r in x.rungs[goal.level - 1:]
                    if mastered(r, [s for s in mine if s.rung == r.id],
                                course.thresholds.progress)), default=None)
        done = best is not None
        if done:
            why = f"Met: you mastered level {best}. You are now at level {level}."
        elif level >= goal.level:
            why = f"You are at level {level}. Master it to meet this goal."
        else:
            why = f"You are at level {level}. Work up to level {goal.level} and master it."
        criteria.append(Criterion(x, goal, done, why))
    calm = course.calm
    flare = latest_flare(logs, course.thresholds.regress, calm.sessions)
    return Readiness(tuple(criteria), calm.says, flare[1] if flare else None)
