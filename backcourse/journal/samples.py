"""Synthetic learners for tests, demos and instructor reports. No real person's data.

Each persona follows the programme for up to 12 weeks: the progression engine picks the
rung, and a simple model of growing capacity decides what the learner manages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from backcourse.content.load import load_course
from backcourse.core.progression import next_step
from backcourse.core.records import Assessment, Plan, Score, Screening, SessionLog, Side
from backcourse.core.schedule import session_days
from backcourse.journal.store import Journal


@dataclasses.dataclass(frozen=True)
class Persona:
    """How a synthetic learner behaves."""

    name: str
    summary: str
    adherence: float  # chance of doing each planned session
    start_pain: int
    flare_week: int | None = None  # a session that hurts too much, in this week
    red_flag_week: int | None = None  # a warning sign appears in this week


#: neutral first names as ids (a file name, a roster row or a report shows them); what each
#: one does is in its summary
PERSONAS = {
    p.name: p for p in (
        Persona("alex", "does nearly every session; pain eases slowly", 0.95, 4),
        Persona("sam", "a flare-up in week 5, then back on track", 0.9, 4, flare_week=5),
        Persona("kim", "a warning sign appears in week 6", 0.95, 3, red_flag_week=6),
        Persona("jamie", "does fewer than half of the sessions", 0.3, 4),
    )
}
START = dt.date(2026, 1, 5)


def write_persona(
    journal: Journal, persona: str, *, start: dt.date = START, weeks: int = 12, seed: int = 0
) -> None:
    """Fill an empty journal with ``weeks`` of a persona's screening, tests, plan and log."""
    p = PERSONAS[persona]
    course = load_course()
    rng = random.Random(f"{persona}-{seed}")
    journal.add(Screening(taken_on=start.isoformat(), outcome="clear"))
    journal.add(Plan(created_on=start.isoformat(), start_on=start.isoformat(), weeks=weeks,
                     sessions_per_week=3, rungs=tuple(x.rungs[0].id for x in course.prerequisites)))
    _assess(journal, start, p, 0, rng)
    logs: list[SessionLog] = []
    at_rung: dict[str, int] = {}
    for week in range(weeks):
        if week and week % 6 == 0:
            _assess(journal, start + dt.timedelta(weeks=week), p, week, rng)
        if week in MEASURED:
            _measures(journal, start + dt.timedelta(weeks=week), p, week, rng)
        if p.red_flag_week is not None and week + 1 == p.red_flag_week:
            flagged_on = start + dt.timedelta(weeks=week)
            journal.add(Screening(taken_on=flagged_on.isoformat(), outcome="same day",
                                  flagged=("E10",)))
            break
        for offset in session_days(3):
            day = start + dt.timedelta(weeks=week, days=offset)
            if rng.random() > p.adherence:
                continue
            pain = max(1, p.start_pain - week // 3)
            for x in course.prerequisites:
                step = next_step(course, x.id, logs, None)
                rung = step.next
                n = at_rung.get(rung.id, 0)
                at_rung[rung.id] = n + 1
                share = min(1.0, 0.6 + 0.15 * n)
                target = rung.target
                flare = p.flare_week == week + 1 and offset == 0 and x.id == "big-three"
                log = SessionLog(
                    done_on=day.isoformat(), exercise=x.id, rung=rung.id, sets=target.sets,
                    reps=round(target.reps * share) if target.reps else None,
                    seconds=round(target.hold_s * share) if target.hold_s else None,
                    pain_before=pain, pain_after=7 if flare else pain + rng.choice((0, 0, 1)),
                    pain_peak=8 if flare else pain + rng.choice((0, 1, 1)),
                    pain_next_day=pain + 3 if flare else pain,
                    effort=rng.randint(4, 7), note="flare-up" if flare else None)
                logs.append(log)
    last_day = max((s.done_on for s in logs), default=None)
    for log in logs:
        journal.add(dataclasses.replace(log, pain_next_day=None) if log.done_on == last_day
                    else log)


MEASURED = (0, 4, 8)  # the baseline and the retests at weeks 4 and 8
TASKS = ("putting on socks", "lifting the shopping", "sitting through a film")


def _measures(journal: Journal, day: dt.date, p: Persona, week: int,
              rng: random.Random) -> None:
    """Outcome measures at the baseline and each retest: pain, PEG, daily tasks, and from the
    first retest the overall change; better with each retest as far as the learner trains."""
    eased = week / 4 * p.adherence * rng.uniform(0.6, 1.2)
    pain = max(0, round(p.start_pain + 1 - eased))
    peg = (pain, max(0, pain - 1), max(0, round(pain + 1 - eased / 2)))
    tasks = tuple(min(10, round(3 + n + eased * 1.4)) for n in range(3))
    on = day.isoformat()
    journal.add(Score(taken_on=on, measure="pain", value=pain))
    journal.add(Score(taken_on=on, measure="peg", value=round(sum(peg) / 3, 2),
                      items=tuple(map(float, peg))))
    journal.add(Score(taken_on=on, measure="psfs", value=round(sum(tasks) / 3, 2),
                      items=tuple(map(float, tasks)), labels=TASKS))
    if week:
        journal.add(Score(taken_on=on, measure="groc", value=min(3, round(eased))))


def _assess(journal: Journal, day: dt.date, p: Persona, week: int, rng: random.Random) -> None:
    gain = 1 + 0.04 * week * p.adherence
    base: dict[tuple[str, Side], int] = {
        ("trunk_flexion", "both"): 60, ("trunk_extension", "both"): 70,
        ("side_bridge", "right"): 35, ("side_bridge", "left"): 30}
    for (test, side), seconds in base.items():
        journal.add(Assessment(taken_on=day.isoformat(), test=test, side=side,
                               value=round(seconds * gain + rng.uniform(-3, 3)), unit="s"))
    journal.add(Assessment(taken_on=day.isoformat(), test="pain_now", unit="points",
                           value=max(1, p.start_pain - week // 3)))
