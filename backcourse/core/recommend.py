"""From baseline results to a starting rung on each prerequisite (pure; rules from data)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from backcourse.core.course import Course
from backcourse.core.dates import parse_date
from backcourse.core.model import Exercise, Rung, StartRule
from backcourse.core.records import Plan


@dataclasses.dataclass(frozen=True)
class Start:
    exercise: Exercise
    rung: Rung
    rule: StartRule
    reason: str


def _unmet(rule: StartRule, results: Mapping[str, float], pain_now: int | None,
           names: Mapping[str, str]) -> list[str]:
    why = []
    for t in rule.at_least:
        done = {k: results[k] for k in t.tests if k in results}
        if not done:
            why.append(" or ".join(names.get(k, k) for k in t.tests) + " not done")
            continue
        best = max(done, key=lambda k: done[k])
        if done[best] < t.seconds:
            why.append(f"{names.get(best, best)} {done[best]:g} s is under {t.seconds:g} s")
    if rule.max_pain is not None and pain_now is not None and pain_now > rule.max_pain:
        why.append(f"pain now {pain_now} is above {rule.max_pain}")
    return why


def recommend(course: Course, results: Mapping[str, float], pain_now: int | None) -> list[Start]:
    """The first rule of each prerequisite whose conditions all hold."""
    names = course.result_names()
    starts = []
    for x in course.prerequisites:
        higher: list[str] = []
        for rule in (r for r in course.start_rules if r.exercise == x.id):
            unmet = _unmet(rule, results, pain_now, names)
            if not unmet:
                reason = rule.rationale + (f" Not higher because: {', '.join(higher)}."
                                           if higher else "")
                starts.append(Start(x, x.rung(rule.rung), rule, reason))
                break
            higher = higher or unmet  # say why the highest level was not chosen
    return starts


def baseline_plan(course: Course, starts: list[Start], today: str) -> Plan:
    """The mini-program, starting today at the recommended rungs."""
    (programme,) = course.programmes
    return Plan(created_on=today, start_on=today, weeks=programme.weeks,
                sessions_per_week=programme.sessions_per_week,
                rungs=tuple(s.rung.id for s in starts))


def week_under_way(plan: Plan | None, today: dt.date) -> int | None:
    """The week of ``plan`` that ``today`` falls in (1 = its first), or None if there is no
    plan, it has not begun or it has ended: a new self-assessment then starts a new plan,
    while one under way goes on unless the learner chooses to start again."""
    if plan is None:
        return None
    days = (today - parse_date(plan.start_on)).days
    return days // 7 + 1 if 0 <= days < plan.weeks * 7 else None
