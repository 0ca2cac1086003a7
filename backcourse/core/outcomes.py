"""Outcome measures over time (pure): change from the baseline against the smallest change
that matters, when to retest, and who in a group needs attention."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from backcourse.core.course import FlareLimit
from backcourse.core.dates import parse_date, spoken
from backcourse.core.model import AttentionRule, Measure, Retest
from backcourse.core.progression import latest_flare
from backcourse.core.records import Score, SessionLog


@dataclasses.dataclass(frozen=True)
class Change:
    """A measure at the baseline and at the latest retest, and what the change means."""

    measure: Measure
    baseline: Score
    latest: Score | None  # None until the first retest

    @property
    def gain(self) -> float | None:
        """How much better (positive) or worse (negative), in the measure's points."""
        if self.latest is None:
            return None
        sign = -1 if self.measure.better == "lower" else 1
        return sign * (self.latest.value - self.baseline.value)

    @property
    def percent(self) -> float | None:
        """The gain as a share of the baseline score's distance from the best score."""
        room = (self.baseline.value - self.measure.low if self.measure.better == "lower"
                else self.measure.high - self.baseline.value)
        gain = self.gain
        return None if gain is None or room <= 0 else 100 * gain / room

    @property
    def threshold(self) -> float | None:
        """The smallest change that matters for this baseline: the MIC in points or as a
        share of the baseline, whichever is more (our cautious reading of Ostelo 2008)."""
        m = self.measure
        if m.mic_points is None and m.mic_percent is None:
            return None
        room = (self.baseline.value - m.low if m.better == "lower"
                else m.high - self.baseline.value)
        share = None if m.mic_percent is None else m.mic_percent / 100 * room
        return max(v for v in (m.mic_points, share) if v is not None)

    @property
    def verdict(self) -> str:
        """``better``, ``worse`` (each by at least the threshold), ``same``, or ``unknown``
        (no retest yet, or a measure without a minimal important change)."""
        gain, limit = self.gain, self.threshold
        if gain is None or limit is None:
            return "unknown"
        return judge(gain, limit)

    @property
    def sentence(self) -> str:
        """What the change means, in the one plain sentence every surface shows."""
        if self.gain is None:
            return "No retest yet."
        return verdict_sentence(self.gain, self.threshold, self.measure.unit)


VERDICT_NAMES = {"better": "Improved", "same": "No clear change", "worse": "Worse"}


def judge(gain: float, threshold: float) -> str:
    """``better`` or ``worse`` when the change (positive is better) is at least the minimal
    important change, ``same`` when it is less: Ostelo 2008 takes an improvement of at least
    the MIC as one that matters."""
    if gain >= threshold - 1e-9:
        return "better"
    if -gain >= threshold - 1e-9:
        return "worse"
    return "same"


def amount(value: float, unit: str = "points") -> str:
    """A change as people write it, to one decimal place: '1 point', '2.5 points'."""
    said = f"{round(abs(value), 1):g}"
    one = said == "1" and unit.endswith("s")
    return f"{said} {unit[:-1] if one else unit}".rstrip()


def verdict_sentence(gain: float, threshold: float | None, unit: str = "points") -> str:
    """The one plain sentence on a change (``gain`` positive when better) against the
    smallest change that matters: improved, no clear change, or worse."""
    how = ("the same as at the start" if round(gain, 1) == 0 else
           f"{amount(gain, unit)} {'better' if gain > 0 else 'worse'}")
    if threshold is None:
        return (f"{how[:1].upper()}{how[1:]}; no one has published how big a change matters "
                "on this measure.")
    verdict = judge(gain, threshold)
    rule = (f"and {amount(threshold, unit)} or more counts as a real change" if verdict != "same"
            else f"and it takes {amount(threshold, unit)} to count as a real change")
    return f"{VERDICT_NAMES[verdict]}: {how}, {rule}."


def changes(measures: Sequence[Measure], scores: Sequence[Score]) -> list[Change]:
    """For each measure taken, its first score (the baseline) and its latest later score."""
    found = []
    for m in measures:
        mine = sorted((s for s in scores if s.measure == m.id), key=lambda s: (s.taken_on,
                                                                               s.id or 0))
        if not mine:
            continue
        later = [s for s in mine if s.taken_on > mine[0].taken_on]
        found.append(Change(m, mine[0], later[-1] if later else None))
    return found


def improved(measure: Measure, score: Score) -> bool | None:
    """For a rating scale of change (levels): whether the rating counts as improved."""
    if measure.improved_from is None:
        return None
    return score.value >= measure.improved_from


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def retest_days(retests: Sequence[Retest], start: dt.date) -> list[tuple[Retest, dt.date]]:
    """Each retest and its day, counted from ``start``: "week 8" is the last day of week 8
    (week 1 starts on ``start``, as the plan's calendar counts), "3 months" the same date
    3 months on."""
    return [(r, start + dt.timedelta(days=7 * r.weeks - 1) if r.weeks else
             add_months(start, r.months or 0)) for r in retests]


def retest_start(plan_start: str | None, scores: Sequence[Score]) -> dt.date | None:
    """The day the retests count from: the plan's start, so the retests and the plan's
    weeks agree; before a plan, the first score's day; None with neither."""
    if plan_start is not None:
        return parse_date(plan_start)
    return parse_date(min(s.taken_on for s in scores)) if scores else None


def next_retest(retests: Sequence[Retest], baseline: dt.date,
                today: dt.date) -> tuple[Retest, dt.date] | None:
    """The first retest due today or later, or None when the schedule is over."""
    return next(((r, d) for r, d in retest_days(retests, baseline) if d >= today), None)


def retest_grace(rules: Sequence[AttentionRule]) -> int:
    """The days a retest counts before its day, and may wait after it before the group
    summary calls it overdue (the ``retest`` attention rule)."""
    return next((r.days for r in rules if r.id == "retest"), 0)


def missed_retest(retests: Sequence[Retest], start: dt.date, scores: Sequence[Score],
                  today: dt.date, window: int) -> tuple[Retest, dt.date] | None:
    """The latest retest whose day has passed, if no measure was taken for it (none after
    the baseline's day and from ``window`` days before its day on); else None."""
    past = [(r, d) for r, d in retest_days(retests, start) if d < today]
    if not past:
        return None
    retest, due = past[-1]
    opened = (due - dt.timedelta(days=window)).isoformat()
    first = min((s.taken_on for s in scores), default="")
    taken = any(s.taken_on > first and s.taken_on >= opened for s in scores)
    return None if taken else (retest, due)


def retest_to_take(retests: Sequence[Retest], start: dt.date, scores: Sequence[Score],
                   today: dt.date, grace: int) -> tuple[Retest, dt.date, bool] | None:
    """The retest to point to, and whether it was missed: the latest past one not taken
    (:func:`missed_retest`), else the next one to come; None when the schedule is over."""
    missed = missed_retest(retests, start, scores, today, grace)
    if missed is not None:
        return (*missed, True)
    coming = next_retest(retests, start, today)
    return None if coming is None else (*coming, False)


def quiet_for(logs: Sequence[SessionLog], today: dt.date) -> int | None:
    """Days since the last logged session (None when nothing is logged)."""
    if not logs:
        return None
    return (today - parse_date(max(s.done_on for s in logs))).days


def attention(state: str, logs: Sequence[SessionLog], today: dt.date, since: dt.date | None,
              rules: Sequence[AttentionRule], warning: str = "",
              limit: FlareLimit | None = None, scores: Sequence[Score] = (),
              retests: Sequence[Retest] = (), ended: dt.date | None = None) -> list[str]:
    """Why an instructor should look at this client now: a warning sign (``warning`` names
    it, its date and what the client was told to do), rising pain, a flare-up in the last
    days (past the step-back rule's ``limit``), no session logged for a while (counted
    from ``since``, the plan's start, when none is; a plan past its last day, ``ended``, is
    said to have ended), or, once a baseline is in ``scores``, a retest overdue (its days
    counted as :func:`retest_start` does)."""
    reasons = []
    flare_rule = next((r for r in rules if r.id == "flare"), None)
    if limit is not None and flare_rule is not None and state in ("active", "rescreen"):
        window = [s for s in logs
                  if 0 <= (today - parse_date(s.done_on)).days <= flare_rule.days]
        found = latest_flare(window, limit)
        if found:
            ago = (today - parse_date(found[0].done_on)).days
            reasons.append(f"flare-up: {found[1]} "
                           f"({'today' if not ago else f'{ago} days ago'}); ask how they "
                           "are and check they stepped back a level")
    if state == "withheld":
        reasons.append(f"warning sign: {warning}; plan on hold until a clinician has seen them"
                       if warning else "warning sign: plan on hold until a clinician has seen "
                       "them; call them to check they have been seen")
    if state == "rescreen":
        reasons.append("pain rising: the plan is paused until they redo the safety check")
    if state == "active":
        quiet = next(r for r in rules if r.id == "quiet")
        days = quiet_for(logs, today)
        if days is None and since is not None:
            days = (today - since).days
        last = max((parse_date(s.done_on) for s in logs), default=None)
        if days is not None and days >= quiet.days:
            if last is not None and ended is not None and last <= ended < today:
                reasons.append(f"their plan ended on {spoken(ended)}, with no session logged "
                               f"since (last: {days} days ago); offer them the next plan in "
                               "their report")
            else:
                reasons.append(f"{quiet.says} (last: {days} days ago)" if logs
                               else f"no session logged since the plan began {days} days ago")
    late = next((r for r in rules if r.id == "retest"), None)
    start = retest_start(since.isoformat() if since else None, scores)
    if late is not None and scores and start is not None and state in ("active", "rescreen"):
        missed = missed_retest(retests, start, scores, today, late.days)
        if missed and (today - missed[1]).days > late.days:
            retest, due = missed
            reasons.append(f"{late.says}: the retest at {retest.label} was due on {spoken(due)} "
                           f"({(today - due).days} days ago); book them in to retake the "
                           "outcome measures they took at the start")
    return reasons
