"""Outcome measures as HTML fragments: the change since the baseline against the smallest
change that matters, the retest schedule, and why some questionnaires are only linked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from backcourse.core.course import Course
from backcourse.core.model import Measure, Retest
from backcourse.core.outcomes import (
    Change,
    amount,
    changes,
    improved,
    retest_days,
    retest_grace,
    retest_to_take,
)
from backcourse.core.records import Score
from backcourse.render.html import cites, day, table


def number(value: float) -> str:
    """A score as people write it: whole, or to one decimal place (2.67 reads 2.7)."""
    return f"{round(value, 1):g}"


def points(value: float) -> str:
    return amount(value)


def plain_name(measure: Measure) -> str:
    """The measure's name without its bracketed note of where it comes from (the report's
    last section names the source): 'Daily tasks you chose'."""
    return measure.name.split(" (")[0]


def value(measure: Measure, score: Score) -> str:
    """A score as a reader says it: '6 of 10', 'Better', or with its tasks for the PSFS."""
    if measure.levels:
        return measure.level(score.value)
    said = f"{number(score.value)} out of {measure.high:g}"
    if score.labels:
        said += " (" + "; ".join(f"{label}: {item:g}" for label, item in
                                 zip(score.labels, score.items, strict=True)) + ")"
    return said


def smallest(change: Change, course: Course, cite: bool = True) -> str:
    """The smallest change that matters for this measure and baseline, with its source
    (``cite`` False: without, for a client's page)."""
    m = change.measure
    limit = change.threshold
    if limit is None:
        return "none published"
    parts = [points(m.mic_points) if m.mic_points is not None else "",
             f"{m.mic_percent:g}% of the start" if m.mic_percent is not None else ""]
    both = all(parts)
    rule = (f"{parts[0]} or {parts[1]}, whichever is more: {points(limit)} here" if both
            else points(limit))
    note = f" ({escape(m.mic_note)})" if m.mic_note else ""
    return f"{escape(rule)}{note}" + (f" <small>({cites(m.mic_refs, course)})</small>"
                                      if cite else "")


def change_words(change: Change) -> str:
    """What the change means: the rating chosen for a scale of change, else the one plain
    sentence (improved, no clear change or worse) that the chart and the report also say."""
    if change.latest is not None and change.measure.levels:
        return escape(change.measure.level(change.latest.value))
    return escape(change.sentence, quote=False)


def outcome_table(changes: Sequence[Change], course: Course, cite: bool = True) -> str:
    """Each measure at the baseline and the latest retest, the change, and the smallest
    change that matters (with its source; ``cite`` False: a client's page, plain names and
    no sources)."""
    if not changes:
        return "<p>No pain or daily-task scores saved yet.</p>"
    rows = "".join(
        f"<tr><th scope='row'>{escape(c.measure.short)}<br><small>"
        f"{escape(c.measure.name if cite else plain_name(c.measure))}</small></th>"
        f"<td>{escape(value(c.measure, c.baseline))}<br><small>{day(c.baseline.taken_on)}"
        f"</small></td><td>"
        + (f"{escape(value(c.measure, c.latest))}<br><small>{day(c.latest.taken_on)}</small>"
           if c.latest else "not yet")
        + f"</td><td>{change_words(c)}</td><td>{smallest(c, course, cite)}</td></tr>"
        for c in changes)
    return table(("Measure", "At the start", "Latest", "Change", "Smallest change that matters"),
                 rows, caption="Your start compared with your latest retest. Lower pain is "
                 "better; higher daily-task scores are better. Each score has its own smallest "
                 "change that matters, so 1 point can count on one score and not on another.")


def overall(measure: Measure, score: Score) -> str:
    """The overall-change rating, and whether a rating like it counts as improved."""
    counts = [f"“{measure.level(v)}”" for v in range(round(measure.improved_from or 0),
                                                     round(measure.high) + 1)]
    said = ("That counts as improved" if improved(measure, score) else
            "That is not a clear improvement: only " + " or ".join(counts)
            + (" count" if len(counts) > 1 else " counts") + " as improved")
    return (f"<p><strong>{escape(measure.name)}:</strong> you chose "
            f"“{escape(measure.level(score.value))}” on {day(score.taken_on)}. {escape(said)}. "
            "A rating like this leans on how you feel today, so read it beside the scores "
            "above.</p>")


def retest_list(retests: Sequence[Retest], start: dt.date, today: dt.date,
                course: Course, *, plan: bool, scores: Sequence[Score]) -> str:
    """When to take the measures again, counted from ``start`` (the plan's first day when
    ``plan``, else the first time), with the next one marked: a past one not yet taken for
    (none of ``scores`` is from then), else the first one to come."""
    coming = retest_to_take(retests, start, scores, today, retest_grace(course.attention))
    mark = " (due now)" if coming and coming[2] else " (next)"
    lis = "".join(
        f"<li>{'<strong>' if coming and r is coming[0] else ''}{escape(r.label.capitalize())}:"
        f" {day(d)}{mark + '</strong>' if coming and r is coming[0] else ''}"
        + (f" <small>({cites(r.refs, course)})</small>" if r.refs
           else f" <small>({escape(r.why or '')})</small>") + "</li>"
        for r, d in retest_days(retests, start))
    since = "the start of your plan" if plan else "your first time"
    return (f"<p>Take the measures again on these days, counted from {since} on "
            f"{day(start)}. Always compare with the first time.</p><ul>{lis}</ul>")


def linked_only(measures: Sequence[Measure], course: Course) -> str:
    """Why the course does not show some questionnaires, and where the official form is."""
    return "".join(
        f'<div class="bc-box"><p><strong>{escape(m.name)}</strong>: {escape(m.why or "")} '
        f'<a href="{escape(m.link or "")}">The official source</a>. '
        f"<small>({cites(m.refs, course)})</small></p></div>"
        for m in measures if m.terms == "link")


def over_time(changes_: Sequence[Change], scores: Sequence[Score]) -> str:
    """A chart of each measure taken more than once, with its band of less-than-important
    change around the start."""
    from backcourse.render.charts import measure_over_time
    from backcourse.render.html import figure

    drawn = []
    for c in changes_:
        m = c.measure
        if c.latest is None or m.levels:
            continue
        name = m.short if m.short[1:2].isupper() else m.short[:1].lower() + m.short[1:]
        chart = measure_over_time([(s.taken_on, s.value) for s in scores if s.measure == m.id],
                                  name=name, low=m.low, high=m.high, mic=c.threshold,
                                  better=m.better)
        drawn.append(figure(chart, f"{plain_name(m)}. {c.sentence} Inside the shaded band is "
                                   "no clear change; on its edge or beyond it, a real one."))
    return "".join(drawn)


def summary(course: Course, scores: Sequence[Score], where: str) -> str:
    """Everything about the measures: start against latest, the overall change and charts
    over time (when to retest is the programme's); ``where`` names the place to take them
    the first time."""
    if not scores:
        return (f"<p>No outcome measures saved yet. Answer them in {escape(where)}: they are "
                "your starting point to compare with later.</p>")
    found = changes(course.measures, scores)
    plain = [c for c in found if not c.measure.levels]
    groc = course.measure("groc")
    rating = next((s for s in sorted(scores, key=lambda s: s.taken_on, reverse=True)
                   if s.measure == groc.id), None)
    return (outcome_table(plain, course) + (overall(groc, rating) if rating else "")
            + over_time(plain, scores))
