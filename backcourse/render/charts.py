"""Every chart of the course as SVG with its alt text, one route for the notebooks, the app,
slides, handouts and reports (pure Python: runs in Pyodide too; drawn with
:mod:`backcourse.render.plot`, Okabe-Ito colours, real text, legends only for what is drawn).

Each function returns a :class:`~backcourse.render.plot.Chart` ``(svg, alt)``; show it with
``render.html.figure(chart, caption)``. They raise ``ValueError`` when there is nothing to draw.

Results of one person, over time or against others:

- ``pain_trend(logs, max_pain)``: pain before and at its worst on each session day.
- ``levels(logs, exercises)``: the ladder level of each exercise, session by session.
- ``adherence(logs, start, weeks, sessions_per_week)``: sessions done per week, and planned.
- ``holds(tests, norms, test_names)``: timed holds at each test date, with averages.
- ``results_vs_norms(comparisons, names)``: each result on its norm's average ±1 SD.
- ``ratio_chart(results)``: endurance ratios beside young healthy adults' (when known).
- ``sides_chart(pairs)``: left against right for each two-sided test.
- ``measure_over_time(points, *, name, low, high, mic=None, better=None, unit="points")``:
  any outcome measure over dates (pain 0-10, PEG, PSFS, ...). ``points`` are
  ``(date or "YYYY-MM-DD", value)`` pairs in any order; the first by date is the baseline,
  drawn as a dashed line; ``mic`` (the minimal important change, in the measure's units)
  shades the band within ``mic`` of the baseline, so a point outside it has changed by at
  least that much; ``better`` ("higher" or "lower") is said on the axis and in the alt text;
  ``low`` and ``high`` are the ends of the scale.

The course and the group:

- ``effect_sizes(statements)``: pooled effects with 95% ranges and the important change.
- ``norm_means(rows, test_names)``: published average hold times by test and sex (±1 SD).
- ``group_states(counts)``: how many clients are in each state (the group summary).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Literal

from backcourse.core.assessment import Asymmetry, Comparison, RatioResult
from backcourse.core.dates import parse_date
from backcourse.core.model import Evidence, Exercise, Norm
from backcourse.core.records import Assessment, SessionLog
from backcourse.render.plot import (
    BLUE,
    GREEN,
    GREY,
    INK,
    LABEL,
    MARKERS,
    ORANGE,
    PAD,
    PALETTE,
    SMALL,
    WIDTH,
    Chart,
    Key,
    Scale,
    date_ticks,
    document,
    hatch,
    legend,
    line,
    lines_of_text,
    marker,
    new_id,
    nice_ticks,
    number,
    polyline,
    rect,
    short_date,
    text,
    text_width,
    wrap,
    x_axis,
    y_axis,
)

__all__ = ["Chart", "adherence", "effect_sizes", "group_states", "holds", "levels",
           "measure_over_time", "norm_means", "pain_trend", "ratio_chart", "results_vs_norms",
           "sides_chart"]

LANE, GAP = 18.0, 12.0  # a bar's height, and the space after each group of bars
BAND = "#c6dbef"  # the light band of a range (behind the data, no text on it)
CHANGE_BAND = "#cce8f8"  # sky blue, light: within the smallest important change


# charts of categories: a label above each group of horizontal bars ------------------------

class Row:
    """One group of a category chart: a label and how many lanes (bars) it draws."""

    def __init__(self, label: str, lanes: int) -> None:
        self.label, self.lanes = label, lanes


def _rows_chart(rows: Sequence[Row], draw: Callable[[int, Scale, list[float]], str],
                hi: float, notes: Sequence[str], axis_title: str, keys: Sequence[Key],
                alt: str, defs: str = "", hatch_id: str = "", integer: bool = False,
                behind: Callable[[Scale, float, float], str] | None = None) -> Chart:
    """Rows of lanes over a shared x axis from 0 to ``hi``; ``draw(row, x, lane_centres)``
    draws one row, ``notes`` are the value labels drawn right of the bars (their width is
    kept free), ``behind(x, top, bottom)`` draws a reference line behind each row's lanes."""
    y, body = PAD, []
    if keys:
        svg, used = legend(keys, PAD, y, WIDTH - 2 * PAD, hatch_id)
        body.append(svg)
        y += used + 6
    room = max((text_width(n, SMALL) for n in notes), default=0.0)
    ticks = nice_ticks(0.0, hi, 5, integer)
    x = Scale(0.0, ticks[-1], PAD + 4, WIDTH - PAD - room - (10 if room else 0))
    top = y
    for i, row in enumerate(rows):
        svg, used = lines_of_text(PAD, y, wrap(row.label, WIDTH - 2 * PAD, LABEL))
        body.append(svg)
        y += used + 4
        centres = [y + LANE * (k + 0.5) + 2 * k for k in range(row.lanes)]
        lanes = row.lanes * LANE + 2 * (row.lanes - 1)
        if behind:
            body.append(behind(x, y - 2, y + lanes + 2))
        body.append(draw(i, x, centres))
        y += lanes + GAP
    axis, bottom = x_axis(x, ticks, top, y, title=axis_title)
    return document(bottom + PAD, alt, axis + "".join(body), defs)


def _bar(x: Scale, centre: float, value: float, fill: str, note: str,
         spread: float | None = None) -> str:
    """A horizontal bar from 0, an optional ±spread line, and its value label after both."""
    end = x(value)
    parts = [rect(x(0), centre - LANE / 2, end - x(0), LANE, fill)]
    if spread:
        lo, hi = x(max(value - spread, 0)), x(value + spread)
        parts += [line(lo, centre, hi, centre, INK, 1.5), line(hi, centre - 5, hi, centre + 5,
                                                               INK, 1.5)]
        if value - spread > 0:
            parts.append(line(lo, centre - 5, lo, centre + 5, INK, 1.5))
        end = max(end, hi)
    parts.append(text(end + 5, centre + SMALL * 0.35, note, halo=True))
    return "".join(parts)


def effect_sizes(statements: Sequence[Evidence]) -> Chart:
    """Pooled effects with 95% intervals against the mark of an important change."""
    rows = [(s.effect, s) for s in statements if s.effect is not None]
    if not rows:
        raise ValueError("none of these evidence statements has an effect size")
    effects = [e for e, _ in rows]
    notes = [f"{e.points:g} (range {e.low:g} to {e.high:g})" for e in effects]

    def draw(i: int, x: Scale, lanes: list[float]) -> str:
        e, c = effects[i], lanes[0]
        return (line(x(e.important), c - 11, x(e.important), c + 11, ORANGE, 2.5, "4 2")
                + line(x(e.low), c, x(e.high), c, BLUE, 4)
                + marker("circle", x(e.points), c, BLUE, 6)
                + text(x(max(e.high, e.important)) + 8, c + SMALL * 0.35, notes[i], halo=True))

    keys = [Key("average and 95% range", BLUE, "with-circle"),
            Key("smallest change most people notice", ORANGE, "tick")]
    alt = "Chart of exercise versus no treatment. " + " ".join(
        f"{e.outcome}: {e.points:g} points better (95% range "
        f"{e.low:g} to {e.high:g}); an important change is {e.important:g}."
        for e in effects)
    hi = max(25.0, *(max(e.high, e.important) for e in effects))
    return _rows_chart([Row(e.outcome, 1) for e in effects], draw, hi, notes,
                       "points better on a 0–100 scale (dot = average, bar = 95% range)", keys,
                       alt)


SEX_STYLE = {"female": (ORANGE, True), "male": (BLUE, False), "any": (GREEN, False)}


def norm_means(rows: Sequence[Norm], test_names: dict[str, str]) -> Chart:
    """Mean hold times by test and sex, with ±1 SD bars where the source gives one."""
    if not rows:
        raise ValueError("no norm rows to plot")
    tests = list(dict.fromkeys(n.test for n in rows))
    sexes = [s for s in SEX_STYLE if any(n.sex == s for n in rows)]
    pattern = new_id()
    groups = [[n for s in sexes for n in rows if n.test == t and n.sex == s] for t in tests]
    notes = [f"{n.value:g} s" for n in rows]

    def draw(i: int, x: Scale, lanes: list[float]) -> str:
        out = []
        for n, c in zip(groups[i], lanes, strict=True):
            colour, hatched = SEX_STYLE[n.sex]
            out.append(_bar(x, c, n.value, f"url(#{pattern})" if hatched else colour,
                            f"{n.value:g} s", n.sd))
        return "".join(out)

    keys = [Key(s, SEX_STYLE[s][0], "hatched" if SEX_STYLE[s][1] else "bar") for s in sexes]
    if any(n.sd for n in rows):
        keys.append(Key("line: ±1 SD", INK, "line"))
    alt = "Bar chart of average hold times. " + " ".join(
        f"{test_names.get(n.test, n.test)}, {n.sex}: {n.value:g} s"
        + (f" (SD {n.sd:g})." if n.sd is not None else ".")
        for n in rows
    )
    hi = max(n.value + (n.sd or 0) for n in rows)
    labels = [Row(test_names.get(t, t), len(g)) for t, g in zip(tests, groups, strict=True)]
    return _rows_chart(labels, draw, hi, notes, "seconds held (average; line: ±1 SD)", keys, alt,
                       hatch(pattern, ORANGE), pattern)


def results_vs_norms(comparisons: Sequence[Comparison], names: dict[str, str]) -> Chart:
    """Each result as a dot on its norm: the band is the average ±1 SD, the tick the average."""
    rows = [(c, c.norm) for c in comparisons if c.norm is not None]
    if not rows:
        raise ValueError("no result has a norm that fits")
    notes = [f"you {c.value:g} s" for c, _ in rows]

    def draw(i: int, x: Scale, lanes: list[float]) -> str:
        (c, norm), y = rows[i], lanes[0]
        sd = norm.sd or 0.0
        right = max(c.value, norm.value + sd)
        return (rect(x(max(norm.value - sd, 0)), y - 8, x(norm.value + sd) - x(max(
                    norm.value - sd, 0)), 16, BAND)
                + line(x(norm.value), y - 10, x(norm.value), y + 10, GREY, 3)
                + marker("diamond", x(c.value), y, BLUE, 6)
                + text(x(right) + 10, y + SMALL * 0.35, notes[i], halo=True))

    keys = ([Key("average ±1 SD", BAND, "band")] if any(n.sd for _, n in rows) else []) + [
        Key("average", GREY, "line"), Key("you", BLUE, "diamond")]
    alt = "Your holds against the published averages. " + " ".join(
        f"{names.get(c.key, c.key)}: you {c.value:g} s, average {n.value:g} s"
        + (f" (SD {n.sd:g})" if n.sd is not None else "") + "."
        for c, n in rows)
    hi = max(max(c.value, n.value + (n.sd or 0)) for c, n in rows)
    return _rows_chart([Row(names.get(c.key, c.key), 1) for c, _ in rows], draw, hi, notes,
                       "seconds", keys, alt)


def ratio_chart(results: Sequence[RatioResult]) -> Chart:
    """Your ratios beside those of young healthy adults of the sex you chose; the adults'
    bar and its legend entry appear only where a reference is known."""
    rows = [r for r in results if r.value is not None]
    if not rows:
        raise ValueError("no ratio could be worked out")
    pattern = new_id()
    notes = [f"{v:.2f}" for r in rows for v in (r.value, r.reference) if v is not None]

    def draw(i: int, x: Scale, lanes: list[float]) -> str:
        r = rows[i]
        out = _bar(x, lanes[0], r.value or 0.0, BLUE, f"you {r.value:.2f}")
        if r.reference is not None:
            out += _bar(x, lanes[1], r.reference, f"url(#{pattern})", f"{r.reference:.2f}")
        return out

    def equal(x: Scale, top: float, bottom: float) -> str:
        return line(x(1.0), top, x(1.0), bottom, INK, 1.5, "3 3")

    keys = [Key("you", BLUE, "bar")]
    if any(r.reference is not None for r in rows):
        keys.append(Key("young healthy adults", ORANGE, "hatched"))
    alt = "Your endurance ratios. " + " ".join(
        f"{_ratio_label(r)}: you {r.value:.2f}"
        + (f", young healthy adults {r.reference:.2f}" if r.reference is not None else "") + "."
        for r in rows)
    hi = max(1.0, *(max(r.value or 0.0, r.reference or 0.0) for r in rows))
    return _rows_chart([Row(_ratio_label(r), 1 + (r.reference is not None)) for r in rows],
                       draw, hi, [f"you {n}" for n in notes],
                       "ratio (dotted line: 1.0 = equal)", keys, alt, hatch(pattern, ORANGE),
                       pattern, behind=equal)


def _ratio_label(result: RatioResult) -> str:
    derived = result.reference is not None and result.ratio.derived
    return result.ratio.name + (" (adults' value worked out from average times)" if derived else "")


def sides_chart(pairs: Sequence[Asymmetry]) -> Chart:
    """Left and right side by side for each two-sided test."""
    if not pairs:
        raise ValueError("no test has both sides")
    pattern = new_id()
    notes = [f"{v:g} s" for p in pairs for v in (p.left, p.right)]

    def draw(i: int, x: Scale, lanes: list[float]) -> str:
        p = pairs[i]
        return (_bar(x, lanes[0], p.left, BLUE, f"{p.left:g} s")
                + _bar(x, lanes[1], p.right, f"url(#{pattern})", f"{p.right:g} s"))

    keys = [Key("left", BLUE, "bar"), Key("right", ORANGE, "hatched")]
    hi = max(1.0, *(max(p.left, p.right) for p in pairs))
    return _rows_chart([Row(p.test.name, 2) for p in pairs], draw, hi, notes, "seconds", keys,
                       "Left and right sides. " + " ".join(p.message() for p in pairs),
                       hatch(pattern, ORANGE), pattern)


def group_states(counts: dict[str, int]) -> Chart:
    """How many clients are in each state (for the instructor's group summary)."""
    labels = list(counts)
    notes = [str(v) for v in counts.values()]

    def draw(i: int, x: Scale, lanes: list[float]) -> str:
        return _bar(x, lanes[0], counts[labels[i]], BLUE, notes[i])

    alt = "Clients by status: " + "; ".join(f"{k}: {v}" for k, v in counts.items()) + "."
    return _rows_chart([Row(k, 1) for k in labels], draw, max(1, *counts.values(), 1), notes,
                       "clients", [], alt, integer=True)


# charts over time: dates along the bottom, values up the side ------------------------------

class Frame:
    """The plotting area of a chart over time, below its legend and the y axis's title."""

    def __init__(self, keys: Sequence[Key], y_title: str, lo: float, hi: float,
                 ticks: Sequence[float], labels: Sequence[str] | None = None,
                 hatch_id: str = "", height: float = 190.0) -> None:
        self.parts: list[str] = []
        y = PAD
        if keys:
            svg, used = legend(keys, PAD, y, WIDTH - 2 * PAD, hatch_id)
            self.parts.append(svg)
            y += used + 4
        self.labels = labels or [number(t) for t in ticks]
        left = PAD + max(text_width(s, SMALL) for s in self.labels) + 8
        for words in wrap(y_title, WIDTH - 2 * PAD, SMALL):
            y += SMALL * 1.3
            self.parts.append(text(PAD, y, words, SMALL))
        self.top = y + 14
        self.left, self.right, self.bottom = left, WIDTH - PAD - 26, self.top + height
        self.y = Scale(lo, hi, self.bottom, self.top)
        self.ticks = ticks

    def chart(self, x: Scale, x_ticks: Sequence[float], x_labels: Sequence[str], x_title: str,
              drawing: str, alt: str, defs: str = "") -> Chart:
        grid = y_axis(self.y, self.ticks, self.left, self.right, self.labels)
        axis, below = x_axis(x, x_ticks, self.top, self.bottom, x_labels, x_title)
        return document(below + PAD, alt, "".join(self.parts) + grid + axis + drawing, defs)

    def dates(self, days: Sequence[dt.date]) -> tuple[Scale, list[float], list[str], str]:
        """A date scale over ``days`` (with a margin), its ticks, labels and title."""
        first, last = min(days), max(days)
        if first == last:
            first, last = first - dt.timedelta(days=3), last + dt.timedelta(days=3)
        margin = max(1, round((last - first).days * 0.04))
        lo, hi = first - dt.timedelta(days=margin), last + dt.timedelta(days=margin)
        x = Scale(float(lo.toordinal()), float(hi.toordinal()), self.left + 6, self.right)
        ticks = date_ticks(first, last)
        years = sorted({d.year for d in days})
        title = f"date ({years[0]})" if len(years) == 1 else f"date ({years[0]}–{years[-1]})"
        return x, [float(d.toordinal()) for d in ticks], [short_date(d) for d in ticks], title


def _day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else parse_date(value)


def pain_trend(logs: Sequence[SessionLog], max_pain: int) -> Chart:
    """Pain before and at its worst (during or after) each session day, with the pain rule's
    limit."""
    if not logs:
        raise ValueError("no sessions logged yet")
    by_day: dict[str, tuple[int, int]] = {}
    for s in logs:
        before, after = by_day.get(s.done_on, (0, 0))
        by_day[s.done_on] = (max(before, s.pain_before), max(after, s.highest_pain))
    ordered = sorted(by_day.items())
    days = [parse_date(d) for d, _ in ordered]
    keys = [Key("pain before", BLUE, "with-circle"),
            Key("worst pain during or after", ORANGE, "square"),
            Key(f"pain limit ({max_pain}): above it, step back a level", GREY, "dashed")]
    frame = Frame(keys, "pain (0 = none, 10 = worst)", 0, 10, [0, 2, 4, 6, 8, 10])
    x, ticks, labels, title = frame.dates(days)
    y = frame.y
    at = [(x(d.toordinal()), y(b), y(w)) for d, (_, (b, w)) in zip(days, ordered, strict=True)]
    r = 4.5 if len(days) <= 20 else 3.0
    drawing = (line(frame.left, y(max_pain), frame.right, y(max_pain), GREY, 1.5, "6 4")
               + polyline([(a, b) for a, b, _ in at], BLUE)
               + "".join(marker("circle", a, b, BLUE, r) for a, b, _ in at)
               + "".join(marker("square", a, w, ORANGE, r * 0.85) for a, _, w in at))
    first, last = ordered[0], ordered[-1]
    over = sum(a > max_pain for _, (_, a) in ordered)
    alt = (f"Pain over {len(days)} session days: before the session it went from {first[1][0]} "
           f"on {first[0]} to {last[1][0]} on {last[0]}. The worst pain during or after a session "
           f"went above {max_pain} on {over} day(s).")
    return frame.chart(x, ticks, labels, title, drawing, alt)


def adherence(logs: Sequence[SessionLog], start: dt.date, weeks: int,
              sessions_per_week: int) -> Chart:
    """Session days done in each week of the plan, against the number planned."""
    done = [0] * weeks
    for day in {parse_date(s.done_on) for s in logs}:
        week = (day - start).days // 7
        if 0 <= week < weeks:
            done[week] += 1
    hi = max(sessions_per_week, *done) + 1  # room for the numbers on the bars
    keys = [Key("sessions done", GREEN, "bar"), Key(f"planned ({sessions_per_week} a week)",
                                                   INK, "dashed")]
    frame = Frame(keys, "sessions in the week", 0, hi, nice_ticks(0, hi, 4, integer=True))
    x = Scale(0.5, weeks + 0.5, frame.left + 4, frame.right)
    step = x(2) - x(1)
    every = 1 if step >= 24 else 2 if step >= 12 else 4
    weeks_shown = [float(w) for w in range(1, weeks + 1) if (w - 1) % every == 0]
    y = frame.y
    bars = "".join(rect(x(w) - step * 0.35, y(n), step * 0.7, y(0) - y(n), GREEN)
                   + (text(x(w), y(n) - 6, str(n), SMALL, "middle", halo=True)
                      if step >= 16 else "")
                   for w, n in enumerate(done, start=1))
    drawing = line(frame.left, y(sessions_per_week), frame.right, y(sessions_per_week), INK,
                   1.5, "6 4") + bars
    alt = (f"Sessions done per week against {sessions_per_week} planned: "
           + ", ".join(f"week {i}: {n}" for i, n in enumerate(done, start=1)) + ".")
    return frame.chart(x, weeks_shown, [f"{w:g}" for w in weeks_shown], "week of the plan",
                       drawing, alt)


def levels(logs: Sequence[SessionLog], exercises: Sequence[Exercise]) -> Chart:
    """The ladder level trained in each exercise, session by session (lines a little apart
    where they share a level, so none hides another)."""
    if not logs:
        raise ValueError("no sessions logged yet")
    series = []
    for exercise in exercises:
        rung_level = {r.id: r.level for r in exercise.rungs}
        mine = sorted((s for s in logs if s.exercise == exercise.id and s.rung in rung_level),
                      key=lambda s: s.done_on)
        if mine:
            series.append((exercise.name,
                           [(parse_date(s.done_on), rung_level[s.rung]) for s in mine]))
    if not series:
        raise ValueError("no session is on a ladder of these exercises")
    keys = [Key(name, PALETTE[i % 7], f"with-{MARKERS[i % 4]}")
            for i, (name, _) in enumerate(series)]
    top = max(4, max(level for _, points in series for _, level in points))
    frame = Frame(keys, "ladder level (higher = harder)", 0.6, top + 0.4,
                  list(range(1, top + 1)), height=150.0)
    x, ticks, labels, title = frame.dates([d for _, points in series for d, _ in points])
    y, parts = frame.y, []
    for i, (_, points) in enumerate(series):
        shift = (i - (len(series) - 1) / 2) * 0.12
        colour, shape = PALETTE[i % 7], MARKERS[i % 4]
        steps: list[tuple[float, float]] = []
        for d, level in points:
            a, b = x(d.toordinal()), y(level + shift)
            if steps:
                steps.append((a, steps[-1][1]))
            steps.append((a, b))
        parts.append(polyline(steps, colour, 2.5))
        parts += [marker(shape, x(d.toordinal()), y(level + shift), colour, 4)
                  for d, level in points]
    alt = "Ladder level over time. " + "; ".join(
        f"{name}: level {points[0][1]} to level {points[-1][1]}" for name, points in series) + "."
    return frame.chart(x, ticks, labels, title, "".join(parts), alt)


def holds(tests: Sequence[Assessment], norms: Sequence[Norm],
          test_names: dict[str, str]) -> Chart:
    """Timed trunk holds at each test date (one mark per date), with the young-adult average
    from the norms as a dotted tick: a row per test reads well however many tests there are."""
    timed = [t for t in tests if t.unit == "s"]
    if not timed:
        raise ValueError("no timed tests saved yet")
    dates = sorted({t.taken_on for t in timed})
    style = {d: (PALETTE[i % 7], MARKERS[i % 4]) for i, d in enumerate(dates)}
    rows: list[tuple[str, dict[str, float], float | None]] = []
    for key in dict.fromkeys(t.key for t in timed):
        values = {t.taken_on: t.value for t in sorted(timed, key=lambda t: t.taken_on)
                  if t.key == key}
        means = [n.value for n in norms if n.test == key]
        rows.append((key, values, sum(means) / len(means) if means else None))
    notes = [_change(values) for _, values, _ in rows]

    def draw(i: int, x: Scale, lanes: list[float]) -> str:
        _, values, mean = rows[i]
        c, seen = lanes[0], list(values.items())
        out = []
        if mean is not None:
            out.append(line(x(mean), c - 11, x(mean), c + 11, INK, 2, "2 2"))
        if len(seen) > 1:
            out.append(line(x(min(values.values())), c, x(max(values.values())), c, GREY, 2))
        out += [marker(style[d][1], x(v), c, style[d][0], 5.5) for d, v in seen]
        right = max([*values.values(), mean or 0.0])
        return "".join(out) + text(x(right) + 10, c + SMALL * 0.35, notes[i], halo=True)

    keys = [Key(f"tested {short_date(parse_date(d))} {d[:4]}", *style[d]) for d in dates]
    if any(mean is not None for *_, mean in rows):
        keys.append(Key("young-adult average (men and women)", INK, "tick"))
    parts = [f"{test_names.get(k, k)}: {v[min(v)]:g} s to {v[max(v)]:g} s" for k, v, _ in rows]
    alt = ("Timed holds at each test; dotted lines are young-adult averages (men and women "
           "together). " + "; ".join(parts) + ".")
    hi = max(max([*v.values(), m or 0.0]) for _, v, m in rows)
    return _rows_chart([Row(test_names.get(k, k), 1) for k, _, _ in rows], draw, hi, notes,
                       "seconds held", keys, alt)


def _change(values: dict[str, float]) -> str:
    """``45 s`` for one test, ``45 → 60 s`` from the first to the latest."""
    first, last = values[min(values)], values[max(values)]
    return f"{first:g} s" if len(values) == 1 else f"{first:g} → {last:g} s"


def measure_over_time(points: Sequence[tuple[str | dt.date, float]], *, name: str,
                      low: float, high: float, mic: float | None = None,
                      better: Literal["higher", "lower"] | None = None,
                      unit: str = "points") -> Chart:
    """An outcome measure over dates, the first one the baseline (see the module docstring)."""
    if not points:
        raise ValueError(f"no {name} results to plot")
    if high <= low:
        raise ValueError(f"the scale of {name} must run from low to high")
    ordered = sorted(((_day(d), v) for d, v in points), key=lambda p: p[0])
    base_day, base = ordered[0]
    keys = [Key(name, BLUE, "with-circle"), Key(f"baseline ({base:g})", INK, "dashed")]
    if mic is not None:
        keys.append(Key(f"within {_amount(mic, unit)} of the baseline: less than the smallest "
                        "important change", CHANGE_BAND, "band"))
    direction = f", {better} is better" if better else ""
    ticks = nice_ticks(low, high, 5)
    frame = Frame(keys, f"{name} ({number(low)} to {number(high)}{direction})", low, high,
                  [t for t in ticks if low <= t <= high])
    x, x_ticks, labels, title = frame.dates([d for d, _ in ordered])
    y, parts = frame.y, []
    if mic is not None:
        a, b = max(base - mic, low), min(base + mic, high)
        parts.append(rect(frame.left, y(b), frame.right - frame.left, y(a) - y(b), CHANGE_BAND))
    parts.append(line(frame.left, y(base), frame.right, y(base), INK, 1.5, "6 4"))
    xy = [(x(d.toordinal()), y(v)) for d, v in ordered]
    parts.append(polyline(xy, BLUE, 2.5))
    parts += [marker("circle", a, b, BLUE, 5) for a, b in xy]
    (last_day, last) = ordered[-1]
    alt = (f"{name} over {len(ordered)} date(s){direction}: {base:g} on {base_day} "
           f"(baseline)" + (f" to {last:g} on {last_day}, a change of "
                            f"{'+' if last > base else ''}{_amount(last - base, unit)}"
                            if len(ordered) > 1 else "") + ".")
    if mic is not None and len(ordered) > 1:
        size = "at least" if abs(last - base) >= mic else "less than"
        alt += f" That is {size} the smallest important change ({_amount(mic, unit)})."
    return frame.chart(x, x_ticks, labels, title, "".join(parts), alt)


def _amount(value: float, unit: str) -> str:
    """``1 point``, ``2.5 points``: a plural unit loses its s for exactly one."""
    one = abs(value) == 1 and unit.endswith("s")
    return f"{value:g} {unit[:-1] if one else unit}".rstrip()
