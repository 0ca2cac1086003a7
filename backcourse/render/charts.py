"""Every chart of the course as SVG with its alt text, one route for the notebooks, the app,
slides, handouts and reports (pure Python: runs in Pyodide too; drawn with
:mod:`backcourse.render.plot`, real text, legends only for what is drawn).

Each function returns a :class:`~backcourse.render.plot.Chart` ``(svg, alt)``; show it with
``render.html.figure(chart, caption)``, where the caption says in one line what the chart
means. Every chart has a plain title inside it (``title=`` replaces it) and names who any
reference values come from. They raise ``ValueError`` when there is nothing to draw.

One meaning per colour everywhere (see :mod:`~backcourse.render.plot`): the learner is blue
circles (filled = latest), published values for other people are grey (a band where about
two in three of them fell, a dark tick at their average), pooled trial results are green,
safety limits and warning signs are vermilion.

Results of one person, over time or against others:

- ``pain_trend(logs, max_pain, *, names=None)``: pain before and at its worst on each session
  day, against the step-back limit; a day over it is named with its exercise (``names``
  maps exercise ids to names).
- ``levels(logs, exercises)``: one small panel per exercise: its ladder level, session by
  session, with the level names and the step-backs.
- ``adherence(logs, start, weeks, sessions_per_week)``: sessions logged per week, and planned.
- ``holds(tests, norms, test_names, *, sex=None)``: timed holds at each test date beside the
  reference group of the learner's sex (both sexes when it is not known).
- ``results_vs_norms(comparisons, names)``: each result beside the norm it was compared with.
- ``ratio_chart(results, *, sex=None)``: endurance ratios beside the reference group's.
- ``sides_chart(pairs)``: left against right for each two-sided test.
- ``measure_over_time(points, *, name, low, high, mic=None, better=None, unit="points",
  about=None)``: any outcome measure over dates (pain 0-10, PEG, PSFS, ...). ``points`` are
  ``(date or "YYYY-MM-DD", value)`` pairs in any order; the first by date is the start,
  drawn as a dashed line; ``mic`` (in the measure's units) shades the band within ``mic`` of
  the start, where a change could be day-to-day variation; ``better`` ("higher" or
  "lower") is said on the axis and in the alt text; ``low`` and ``high`` are the ends of the
  scale; ``about`` spells out what the measure is.

The course and the group:

- ``effect_sizes(statements)``: pooled differences with their 95% confidence intervals and
  the review authors' worthwhile difference.
- ``norm_means(rows, test_names)``: published average hold times by test and sex.
- ``group_states(counts, *, as_of=None)``: how many clients are in each state, most urgent
  first (labels starting with a :data:`STATE_STYLES` prefix get its colour and place).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from backcourse.content.load import load_course
from backcourse.core.assessment import Asymmetry, Comparison, RatioResult, Sex
from backcourse.core.dates import parse_date, spoken
from backcourse.core.model import Evidence, Exercise, Norm, Ratio
from backcourse.core.outcomes import amount, verdict_sentence
from backcourse.core.records import Assessment, SessionLog
from backcourse.render.plot import (
    CAUTION,
    GREY,
    GRID,
    INK,
    LABEL,
    LIMIT_ZONE,
    MUTED,
    PAD,
    REFERENCE,
    REFERENCE_BAND,
    REFERENCE_FILL,
    RESEARCH,
    SMALL,
    WARNING,
    WIDTH,
    YOU,
    YOU_MARK,
    Chart,
    Key,
    Scale,
    covers,
    date_ticks,
    document,
    footnotes,
    hatch,
    heading,
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

__all__ = ["STATE_STYLES", "Chart", "adherence", "effect_sizes", "group_states", "holds",
           "levels", "measure_over_time", "norm_means", "pain_trend", "ratio_chart",
           "results_vs_norms", "sides_chart"]

LANE, GAP = 20.0, 14.0  # a lane's height, and the space after each group of lanes
ROUGH_GUIDE = "A rough guide, not a target: not matched for age or back pain."
BENCH_ONLY = ("Only the back extensor hold on a bench matches the test in this study; a "
              "floor hold is not compared.")
SPREAD = "grey band: where about two in three of these people fell (average ± 1 SD)"
DAY_TO_DAY = ("There is no published value to compare sides with, and one person's time can "
              "change a fair amount from one test day to the next.")
WHO: dict[str, str] = {"female": "women", "male": "men", "any": "adults"}


# who the reference values come from ------------------------------------------------------

def _cite(key: str) -> str:
    """How a source is cited, e.g. ``McGill 1999``."""
    return load_course().reference(key).label


def _group(sexes: Sequence[str]) -> str:
    """``healthy young women``, or ``... women and men`` when both are shown."""
    return "healthy young " + " and ".join(WHO[s] for s in sexes)


def _reference_lines(rows: Sequence[Norm], sexes: Sequence[str], unknown: bool) -> list[str]:
    """Who the reference group is, how many, from which source; and what it is not."""
    first = rows[0]
    counts = {n.sex: n.n for n in load_course().norms_for(first.table) or rows if n.n}
    tally = ", ".join(f"{counts[s]} {WHO[s]}" for s in ("male", "female", "any") if s in counts)
    shown = _group(sexes) + (" (your sex is not known, so both are shown)" if unknown else "")
    return [f"Compared with {shown}. Who was tested: {first.population} "
            f"({_cite(first.source)}{': ' + tally if tally else ''}).", ROUGH_GUIDE]


def _sexes_for(rows: Sequence[Norm], sex: Sex | None) -> list[str]:
    """The reference groups to show: the learner's sex, else every sex the source gives."""
    have = [s for s in ("female", "male", "any") if any(n.sex == s for n in rows)]
    if "any" in have:
        return ["any"]
    return [sex] if sex in have else have


def _side_order(keys: Sequence[str]) -> list[str]:
    """Keys in their first order, but the right side always just before the left one."""
    out: list[str] = []
    for key in dict.fromkeys(keys):
        twin = key.removesuffix("_left") + "_right"
        if key.endswith("_left") and twin in keys and twin not in out:
            out.append(twin)
        if key not in out:
            out.append(key)
    return out


# charts of categories: a label above each group of horizontal lanes ----------------------

class Row:
    """One group of a category chart: a label, how many lanes it draws, and extra room above
    and below the lanes for labels that belong to the marks."""

    def __init__(self, label: str, lanes: int, above: float = 0.0, below: float = 0.0,
                 bold: bool = False) -> None:
        self.label, self.lanes, self.above, self.below, self.bold = label, lanes, above, below, \
            bold


def _reserve(labels: Sequence[tuple[float, str]], top: float) -> float:
    """The width to keep free right of an axis running to ``top`` so that each label, drawn
    just after its value (see :func:`_after`), ends inside the chart."""
    start, end = PAD + 4, WIDTH - PAD
    need = 0.0
    for value, label in labels:
        f, w = min(max(value / top, 0.0), 1.0), text_width(label, SMALL) + 9
        need = max(need, w if f >= 1 else (w - (end - start) * (1 - f)) / f if f else 0.0)
    return max(need, 0.0)


def _rows_chart(title: str, lines: Sequence[str], keys: Sequence[Key], rows: Sequence[Row],
                draw: Callable[[int, Scale, list[float]], str], hi: float,
                labels: Sequence[tuple[float, str]], axis_title: str, alt: str,
                notes: Sequence[str] = (), defs: str = "", hatch_id: str = "",
                integer: bool = False) -> Chart:
    """Rows of lanes over a shared x axis from 0 to ``hi``, under a title and a legend;
    ``draw(row, x, lane_centres)`` draws one row and its labels; ``labels`` are the
    (value, text) pairs drawn after their values, for which room is kept on the right;
    ``notes`` go under the axis."""
    body, y = heading(title, lines)
    parts = [body]
    if keys:
        svg, used = legend(keys, PAD, y, WIDTH - 2 * PAD, hatch_id)
        parts.append(svg)
        y += used + 6
    ticks = nice_ticks(0.0, hi, 5, integer)
    last = text_width(number(ticks[-1]), SMALL) / 2 - PAD + 2  # the last tick's label fits
    x = Scale(0.0, ticks[-1], PAD + 4, WIDTH - PAD - max(_reserve(labels, ticks[-1]), last))
    top = y
    for i, row in enumerate(rows):
        svg, used = lines_of_text(PAD, y, wrap(row.label, WIDTH - 2 * PAD, LABEL, row.bold),
                                  bold=row.bold)
        parts.append(svg)
        y += used + 4 + row.above
        centres = [y + LANE * (k + 0.5) + 4 * k for k in range(row.lanes)]
        parts.append(draw(i, x, centres))
        y += row.lanes * LANE + 4 * (row.lanes - 1) + row.below + GAP
    axis, bottom = x_axis(x, ticks, top, y - GAP / 2, title=axis_title)
    below, end = footnotes(notes, bottom)
    return document(end + PAD, alt, parts[0] + axis + "".join(parts[1:]) + below, defs)


def _after(x: float, y: float, value: str, avoid: Sequence[float] = (), size: float = SMALL,
           bold: bool = False) -> str:
    """A value label starting just right of ``x``, moved right of any vertical line at an
    ``avoid`` position that would run through it."""
    start, width = x + 7, text_width(value, size, bold)
    for a in sorted(avoid):
        if covers(a, a, start, width):
            start = a + 7
    return text(start, y + size * 0.35, value, size, bold=bold, halo=True)


def _reference(x: Scale, c: float, norm: Norm, label: str) -> str:
    """A reference group in one lane: a grey band where about two in three fell (±1 SD),
    a dark tick at their average and its value right beside the tick."""
    parts = []
    if norm.sd:
        lo = x(max(norm.value - norm.sd, 0))
        parts.append(rect(lo, c - 7, x(norm.value + norm.sd) - lo, 14, REFERENCE_BAND))
    parts.append(line(x(norm.value), c - 10, x(norm.value), c + 10, REFERENCE, 3.5))
    return "".join(parts) + text(x(norm.value) + 6, c + SMALL * 0.35, label)


def _reference_keys(any_sd: bool) -> list[Key]:
    keys = [Key("dark tick: their average", REFERENCE, "stroke")]
    return ([Key(SPREAD, REFERENCE_BAND, "band")] if any_sd else []) + keys


def effect_sizes(statements: Sequence[Evidence], *, title: str | None = None) -> Chart:
    """Pooled differences with 95% confidence intervals against the review authors'
    worthwhile difference (a dashed line drawn over the dot, so it never hides)."""
    rows = [(s.effect, s) for s in statements if s.effect is not None]
    if not rows:
        raise ValueError("none of these evidence statements has an effect size")
    effects = [e for e, _ in rows]
    first, source = effects[0], _cite(rows[0][1].refs[0])
    notes = [f"{e.points:g} (likely {e.low:g} to {e.high:g})" for e in effects]
    marks = [f"worthwhile: {e.important:g}" for e in effects]

    def draw(i: int, x: Scale, lanes: list[float]) -> str:
        e, c = effects[i], lanes[0]
        cap = [line(x(v), c - 6, x(v), c + 6, RESEARCH, 2.5) for v in (e.low, e.high)]
        middle = min(max(x(e.points), PAD + text_width(notes[i], SMALL) / 2),
                     WIDTH - PAD - text_width(notes[i], SMALL) / 2)
        return (line(x(e.low), c, x(e.high), c, RESEARCH, 5) + "".join(cap)
                + marker("circle", x(e.points), c, RESEARCH, 7)
                + line(x(e.important), c - LANE / 2 - 1, x(e.important), c + LANE / 2 + 1,
                       INK, 2.5, "5 3")
                + text(x(e.important), c - LANE / 2 - 7, marks[i], SMALL, "middle",
                       halo=True)
                + text(middle, c + LANE / 2 + SMALL + 4, notes[i], SMALL, "middle",
                       halo=True))

    thresholds = ", ".join(f"{e.outcome.lower()} {e.important:g}" for e in effects)
    keys = [Key("dot: the average difference", RESEARCH, "circle"),
            Key("bar: 95% confidence interval, the likely range of that average", RESEARCH,
                "line"),
            Key(f"dashed line: a worthwhile difference, set by the review authors "
                f"({thresholds} on 0–100)", INK, "tick")]
    lines = [f"Average difference compared with {first.comparison}"
             + (f"; {first.who}" if first.who else "")
             + (f"; {first.followup}" if first.followup else "") + ".",
             f"Source: {source}. Not a promise for one person: people vary far more than "
             "this."]
    labels = [Row(f"{e.outcome} (" + (f"{e.trials} trials, " if e.trials else "")
                  + f"{s.strength} certainty)", 1, above=SMALL + 8, below=SMALL + 8)
              for e, s in rows]
    alt = (f"Chart of exercise compared with {first.comparison} ({source}). " + " ".join(
        f"{e.outcome}: on average {e.points:g} points better on a 0 to 100 scale than the "
        f"comparison groups (95% confidence interval {e.low:g} to {e.high:g}); the review "
        f"authors set {e.important:g} as a worthwhile difference."
        for e in effects))
    hi = max(25.0, *(max(e.high, e.important) for e in effects))
    scale_note = ("15 points on a 0–100 scale is about 1.5 on a 0–10 scale."
                  if any(e.important == 15 for e in effects) else "")
    return _rows_chart(title or "What exercise did in trials, on average", lines, keys, labels,
                       draw, hi, [], "how many points more the exercise groups improved than "
                       "the comparison groups (0–100 scale)", alt,
                       [scale_note] if scale_note else [])


def norm_means(rows: Sequence[Norm], test_names: dict[str, str], *,
               title: str | None = None) -> Chart:
    """Average hold times by test and sex, each with the band where about two in three of
    the people tested fell (±1 SD) where the source gives it."""
    if not rows:
        raise ValueError("no norm rows to plot")
    tests = _side_order([n.test for n in rows])
    sexes = [s for s in ("female", "male", "any") if any(n.sex == s for n in rows)]
    groups = [[n for s in sexes for n in rows if n.test == t and n.sex == s] for t in tests]
    labels = {n: f"{WHO[n.sex]} {n.value:g} s" for n in rows}

    def draw(i: int, x: Scale, lanes: list[float]) -> str:
        return "".join(_reference(x, c, n, labels[n])
                       for n, c in zip(groups[i], lanes, strict=True))

    hi = max(n.value + (n.sd or 0) for n in rows)
    alt = (f"Average hold times of {_group(sexes)} ({_cite(rows[0].source)}). " + " ".join(
        f"{test_names.get(n.test, n.test)}, {WHO[n.sex]}: {n.value:g} s"
        + (f" (SD {n.sd:g})." if n.sd is not None else ".") for g in groups for n in g))
    notes = [BENCH_ONLY] if any(n.test == "trunk_extension" for n in rows) else []
    return _rows_chart(title or f"Hold times of {_group(sexes)}",
                       _reference_lines(rows, sexes, False), _reference_keys(
                           any(n.sd for n in rows)),
                       [Row(test_names.get(t, t), len(g)) for t, g in zip(tests, groups,
                                                                           strict=True)],
                       draw, hi, [(n.value, labels[n]) for n in rows], "seconds held", alt,
                       notes)


def _you_and_references(title: str, rows: list[tuple[str, list[tuple[str, float]], list[Norm]]],
                        names: dict[str, str], sexes: Sequence[str], unknown: bool,
                        alt: str, dated: bool) -> Chart:
    """Rows of: the learner's marks in the first lane (hollow first, filled latest, the
    change beside them), then one lane per reference group, on one seconds axis."""
    notes = [_you_label(values) for _, values, _ in rows]
    norms = [n for _, _, ns in rows for n in ns]

    def draw(i: int, x: Scale, lanes: list[float]) -> str:
        _, values, refs = rows[i]
        c, out = lanes[0], []
        xs = [x(v) for _, v in values]
        if len(values) > 1:
            out.append(line(xs[0], c, xs[-1], c, YOU, 2.5))
        out += [marker(YOU_MARK, a, c, YOU, 6.5, hollow=k < len(xs) - 1)
                for k, a in enumerate(xs)]
        out.append(_after(max(xs) + 1, c, notes[i]))
        out += [_reference(x, lane, n, f"{WHO[n.sex]} {n.value:g} s")
                for n, lane in zip(refs, lanes[1:], strict=True)]
        return "".join(out)

    mine = ([Key("you, first test", YOU, f"hollow-{YOU_MARK}"),
             Key("you, latest test", YOU, YOU_MARK)]
            if dated and any(len(v) > 1 for _, v, _ in rows) else [Key("you", YOU, YOU_MARK)])
    keys = mine + (_reference_keys(any(n.sd for n in norms)) if norms else [])
    hi = max(max([v for _, v in values] + [n.value + (n.sd or 0) for n in refs])
             for _, values, refs in rows)
    at = ([(max(v for _, v in values) + 0.5, label)
           for label, (_, values, _) in zip(notes, rows, strict=True)]
          + [(n.value, f"{WHO[n.sex]} {n.value:g} s") for n in norms])
    lines = (_reference_lines(norms, sexes, unknown) if norms
             else ["No published values to compare with: compare with your own results."])
    notes_under = [BENCH_ONLY] if any(k == "trunk_extension" for k, _, ns in rows if ns) else []
    return _rows_chart(title, lines, keys,
                       [Row(names.get(k, k), 1 + len(ns)) for k, _, ns in rows], draw, hi, at,
                       "seconds held", alt, notes_under)


def _you_label(values: list[tuple[str, float]]) -> str:
    """``you 45 s`` for one test, ``you 45 → 60 s`` from the first to the latest."""
    first, last = values[0][1], values[-1][1]
    return f"you {first:g} s" if len(values) == 1 else f"you {first:g} → {last:g} s"


def results_vs_norms(comparisons: Sequence[Comparison], names: dict[str, str], *,
                     title: str | None = None) -> Chart:
    """Each result beside the norm it was compared with (the learner's sex, as chosen)."""
    found = {c.key: (c.value, n) for c in comparisons if (n := c.norm) is not None}
    if not found:
        raise ValueError("no result has a norm that fits")
    rows = [(k, [("", found[k][0])], [found[k][1]]) for k in _side_order(list(found))]
    norms = [n for _, n in found.values()]
    sexes = list(dict.fromkeys(n.sex for n in norms))
    alt = (f"Your holds beside {_group(sexes)} ({_cite(norms[0].source)}). " + " ".join(
        f"{names.get(k, k)}: you {v:g} s, their average {n.value:g} s"
        + (f" (SD {n.sd:g})" if n.sd is not None else "") + "."
        for k, (v, n) in ((k, found[k]) for k, _, _ in rows)) + " " + ROUGH_GUIDE)
    return _you_and_references(title or f"Your holds beside {_group(sexes)}", rows, names,
                               sexes, False, alt, dated=False)


def holds(tests: Sequence[Assessment], norms: Sequence[Norm], test_names: dict[str, str], *,
          sex: Sex | None = None, title: str | None = None) -> Chart:
    """Timed holds at each test date (hollow circle first, filled latest, the change beside
    them) and, for the tests in the norms, the reference group of the learner's ``sex``
    (both sexes, named, when it is not known; never a pooled average)."""
    timed = sorted((t for t in tests if t.unit == "s"), key=lambda t: t.taken_on)
    if not timed:
        raise ValueError("no timed tests saved yet")
    rows = []
    for key in _side_order([t.key for t in timed]):
        values = list({t.taken_on: t.value for t in timed if t.key == key}.items())
        mine = [n for n in norms if n.test == key]
        keep = _sexes_for(mine, sex) if mine else []
        rows.append((key, values, [n for s in keep for n in mine if n.sex == s]))
    shown = [n for _, _, ns in rows for n in ns]
    sexes = list(dict.fromkeys(n.sex for n in shown))
    dates = sorted({t.taken_on for t in timed})
    when = (f"tested {_day_text(dates[0])}" if len(dates) == 1
            else f"first test {_day_text(dates[0])}, latest {_day_text(dates[-1])}")
    parts = [f"{test_names.get(k, k)}: {v[0][1]:g} s"
             + (f" to {v[-1][1]:g} s" if len(v) > 1 else "")
             + "".join(f"; {WHO[n.sex]}'s average {n.value:g} s" for n in ns)
             for k, v, ns in rows]
    alt = (f"Your timed holds ({when}). " + ". ".join(parts) + "."
           + (f" Reference: {_group(sexes)}, {_cite(shown[0].source)}. {ROUGH_GUIDE}"
              if shown else ""))
    return _you_and_references(title or "Your hold times", rows, test_names, sexes,
                               sex is None and len(sexes) > 1, alt, dated=True)


def _day_text(iso: str) -> str:
    day = parse_date(iso)
    return f"{short_date(day)} {day.year}"


def ratio_chart(results: Sequence[RatioResult], *, sex: Sex | None = None,
                title: str | None = None) -> Chart:
    """Your ratios beside the reference group's: the learner's sex (given, or read from the
    results' references), both sexes when unknown; a dashed "equal" line only on a right ÷
    left row, where 1.00 means both sides the same (no reference value there)."""
    rows = [r for r in results if r.value is not None]
    if not rows:
        raise ValueError("no ratio could be worked out")
    sex = sex or _sex_of(rows)
    pattern = new_id()

    def refs(r: RatioResult) -> list[tuple[str, float]]:
        given = {"female": r.ratio.women, "male": r.ratio.men}
        wanted = [sex] if sex else ["female", "male"]
        return [(s, v) for s in wanted if (v := given[s]) is not None]

    def tag(r: RatioResult) -> str:
        return " *" if r.ratio.derived else ""

    labels = [[f"you {r.value:.2f}"] + [f"{WHO[s]} {v:.2f}{tag(r)}" for s, v in refs(r)]
              for r in rows if r.value is not None]

    def draw(i: int, x: Scale, lanes: list[float]) -> str:
        r = rows[i]
        avoid = [x(1.0)] if _even(r.ratio) else []
        out = []
        if avoid:
            out.append(line(avoid[0], lanes[0] - LANE / 2 - 4, avoid[0], lanes[-1] + LANE / 2
                            + 4, INK, 2, "5 3"))
        values = [r.value or 0.0] + [v for _, v in refs(r)]
        fills = [YOU] + [f"url(#{pattern})" if s == "female" else REFERENCE_FILL
                         for s, _ in refs(r)]
        for k, (value, fill, label, c) in enumerate(zip(values, fills, labels[i], lanes,
                                                        strict=True)):
            out.append(rect(x(0), c - LANE / 2, x(value) - x(0), LANE, fill,
                            REFERENCE if k else None))
            out.append(_after(x(value), c, label, avoid))
        return "".join(out)

    drawn = {s for r in rows for s, _ in refs(r)}
    keys = [Key("you", YOU, "bar")] + [
        Key(f"{_group([s])}", REFERENCE_FILL, "hatched" if s == "female" else "bar")
        for s in ("female", "male") if s in drawn]
    if any(_even(r.ratio) for r in rows):
        keys.append(Key("dashed line: right and left the same (1.00)", INK, "tick"))
    source = rows[0].ratio.refs[0]
    known = load_course().norms_for(source)
    shown = sorted(drawn, key=("female", "male").index)
    if not drawn:
        lines = ["No published values to compare with."]
    elif known:
        lines = _reference_lines(known, shown, sex is None)
    else:
        lines = [f"Compared with {_group(shown)} ({_cite(source)}).", ROUGH_GUIDE]
    notes = ["No ratio here is a target: higher or lower is not better in itself."]
    if any(r.ratio.derived and refs(r) for r in rows):
        notes.append("* Worked out by us from the study's average times; the study does not "
                     "state this ratio.")
    hi = max(1.0, *(max([r.value or 0.0] + [v for _, v in refs(r)]) for r in rows))
    at = [(max(v, 1.0) if _even(r.ratio) else v, label)
          for r, group in zip(rows, labels, strict=True)
          for v, label in zip([r.value or 0.0] + [v for _, v in refs(r)], group, strict=True)]
    alt = "Your endurance ratios. " + " ".join(
        f"{r.ratio.name}: you {r.value:.2f}"
        + "".join(f", {_group([s])} {v:.2f}" for s, v in refs(r))
        + (" (worked out from the study's average times)" if r.ratio.derived and refs(r)
           else "") + "." for r in rows) + (f" {ROUGH_GUIDE}" if drawn else "")
    return _rows_chart(title or "Your endurance ratios", lines, keys,
                       [Row(r.ratio.name, 1 + len(refs(r))) for r in rows], draw, hi,
                       at, "ratio", alt, notes, hatch(pattern, REFERENCE), pattern)


def _even(ratio: Ratio) -> bool:
    """A right ÷ left ratio: one test's two sides, where 1.00 means the same."""
    top, bottom = ratio.numerator, ratio.denominator
    if not len(top) == len(bottom) == 1:
        return False
    base = top[0].rsplit("_", 1)[0]
    return {top[0], bottom[0]} == {f"{base}_right", f"{base}_left"}


def _sex_of(rows: Sequence[RatioResult]) -> Sex | None:
    """The sex whose values the results were set beside, when they say so unambiguously."""
    for r in rows:
        if r.reference is not None and r.ratio.men != r.ratio.women:
            if r.reference == r.ratio.men:
                return "male"
            if r.reference == r.ratio.women:
                return "female"
    return None


def sides_chart(pairs: Sequence[Asymmetry], *, title: str | None = None) -> Chart:
    """Right and left side by side for each two-sided test, each bar named at its end."""
    if not pairs:
        raise ValueError("no test has both sides")
    labels = [(f"right side down {p.right:g} s", f"left side down {p.left:g} s")
              for p in pairs]

    def draw(i: int, x: Scale, lanes: list[float]) -> str:
        p, out = pairs[i], []
        for value, label, c in zip((p.right, p.left), labels[i], lanes, strict=True):
            out += [rect(x(0), c - LANE / 2, x(value) - x(0), LANE, YOU),
                    _after(x(value), c, label)]
        return "".join(out)

    hi = max(1.0, *(max(p.left, p.right) for p in pairs))
    at = [(v, lab) for p, pair in zip(pairs, labels, strict=True)
          for v, lab in zip((p.right, p.left), pair, strict=True)]
    return _rows_chart(title or "Your right and left sides", [], [],
                       [Row(p.test.name, 2) for p in pairs], draw, hi, at, "seconds held",
                       "Left and right sides. " + " ".join(p.message() for p in pairs),
                       [DAY_TO_DAY])


#: group states by how their label starts, most urgent first: (prefix, colour, hatched)
STATE_STYLES: tuple[tuple[str, str, bool], ...] = (
    ("warning sign", WARNING, True),
    ("pain rising", CAUTION, False),
    ("home plan; call", YOU, False),  # a home plan, and a reason to call them this week
    ("no safety check", REFERENCE_BAND, False),
    ("home plan", YOU, False),
)


def group_states(counts: Mapping[str, int], *, as_of: str | dt.date | None = None,
                 title: str | None = None) -> Chart:
    """How many clients are in each state, the most urgent first: a warning sign in hatched
    vermilion, rising pain in yellow (both named in bold), then the rest; with the total."""
    def rank(label: str) -> int:
        return next((i for i, (p, _, _) in enumerate(STATE_STYLES) if label.startswith(p)),
                    len(STATE_STYLES))

    labels = sorted(counts, key=rank)
    pattern = new_id()
    total = sum(counts.values())

    def draw(i: int, x: Scale, lanes: list[float]) -> str:
        label, c = labels[i], lanes[0]
        k = rank(label)
        colour, hatched = (STATE_STYLES[k][1:] if k < len(STATE_STYLES) else (GREY, False))
        fill = f"url(#{pattern})" if hatched else colour
        edge = INK if colour in (REFERENCE_BAND, CAUTION) else None
        return (rect(x(0), c - LANE / 2, x(counts[label]) - x(0), LANE, fill, edge)
                + _after(x(counts[label]), c, str(counts[label]), bold=k < 2))

    day = (_day(as_of) if as_of else None)
    heading_ = (f"Where the group stands: {total} client{'s' if total != 1 else ''}"
                + (f" on {short_date(day)} {day.year}" if day else ""))
    alt = (f"{heading_}. " + "; ".join(f"{k}: {counts[k]}" for k in labels) + ".")
    return _rows_chart(title or heading_, ["Most urgent first. Each client is counted once."],
                       [], [Row(k, 1, bold=rank(k) < 2) for k in labels], draw,
                       max(1, *counts.values(), 1),
                       [(v, str(v)) for v in counts.values()], "clients", alt,
                       defs=hatch(pattern, WARNING), hatch_id=pattern, integer=True)


# charts over time: dates along the bottom, values up the side ------------------------------

class Frame:
    """The plotting area of a chart over time, below its title, legend and the y axis's
    title."""

    def __init__(self, title: str, lines: Sequence[str], keys: Sequence[Key], y_title: str,
                 lo: float, hi: float, ticks: Sequence[float],
                 labels: Sequence[str] | None = None, hatch_id: str = "",
                 height: float = 190.0, right: float = 30.0) -> None:
        head, y = heading(title, lines)
        self.parts = [head]
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
        self.left, self.right, self.bottom = left, WIDTH - PAD - right, self.top + height
        self.y = Scale(lo, hi, self.bottom, self.top)
        self.ticks = ticks

    def chart(self, x: Scale, x_ticks: Sequence[float], x_labels: Sequence[str], x_title: str,
              drawing: str, alt: str, defs: str = "", notes: Sequence[str] = ()) -> Chart:
        grid = y_axis(self.y, self.ticks, self.left, self.right, self.labels)
        axis, below = x_axis(x, x_ticks, self.top, self.bottom, x_labels, x_title)
        under, end = footnotes(notes, below)
        return document(end + PAD, alt, "".join(self.parts) + grid + axis + drawing + under,
                        defs)


def _dates(days: Sequence[dt.date], left: float, right: float) -> \
        tuple[Scale, list[float], list[str], str]:
    """A date scale over ``days`` (with a margin), its ticks, labels and title."""
    first, last = min(days), max(days)
    if first == last:
        first, last = first - dt.timedelta(days=3), last + dt.timedelta(days=3)
    margin = max(1, round((last - first).days * 0.04))
    lo, hi = first - dt.timedelta(days=margin), last + dt.timedelta(days=margin)
    x = Scale(float(lo.toordinal()), float(hi.toordinal()), left + 6, right)
    ticks = date_ticks(first, last)
    years = sorted({d.year for d in days})
    title = f"date ({years[0]})" if len(years) == 1 else f"date ({years[0]}–{years[-1]})"
    return x, [float(d.toordinal()) for d in ticks], [short_date(d) for d in ticks], title


def _day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else parse_date(value)


def pain_trend(logs: Sequence[SessionLog], max_pain: int, *,
               names: Mapping[str, str] | None = None, title: str | None = None) -> Chart:
    """Pain before each session day and at its worst during an exercise, against the
    step-back limit ``max_pain`` (the course's regress rule): the zone above it shaded, the
    worst pain drawn hollow over the limit line so a value on it stays visible, and a day
    over it marked and named with the exercise that caused it."""
    if not logs:
        raise ValueError("no sessions logged yet")
    by_day: dict[str, tuple[int, SessionLog]] = {}
    for s in logs:
        before, worst = by_day.get(s.done_on, (0, s))
        by_day[s.done_on] = (max(before, s.pain_before),
                             s if s.highest_pain > worst.highest_pain else worst)
    ordered = sorted(by_day.items())
    days = [parse_date(d) for d, _ in ordered]
    over = [(parse_date(d), w) for d, (_, w) in ordered if w.highest_pain > max_pain]
    keys = [Key("pain before the session", YOU, f"with-{YOU_MARK}"),
            Key("worst pain during an exercise", YOU, "hollow-square"),
            Key(f"pain limit: {max_pain}", WARNING, "dashed")]
    if over:
        keys.append(Key(f"above {max_pain}: step back", WARNING, "square"))
    rule = (f"Up to {max_pain} is fine; above {max_pain} during an exercise, step back a level "
            "in the exercise that caused it.")
    frame = Frame(title or "Your pain in each session", [rule], keys,
                  "pain (0 = none, 10 = worst)", 0, 10, [0, 2, 4, 6, 8, 10])
    x, ticks, labels, x_title = _dates(days, frame.left, frame.right)
    y = frame.y
    at = [(x(d.toordinal()), y(b), y(w.highest_pain))
          for d, (_, (b, w)) in zip(days, ordered, strict=True)]
    r = 5.0 if len(days) <= 20 else 4.0
    drawing = [rect(frame.left, y(10), frame.right - frame.left, y(max_pain) - y(10),
                    LIMIT_ZONE),
               line(frame.left, y(max_pain), frame.right, y(max_pain), WARNING, 2, "7 4"),
               polyline([(a, b) for a, b, _ in at], YOU, 2.5)]
    drawing += [marker(YOU_MARK, a, b, YOU, r) for a, b, _ in at]
    drawing += [marker("square", a, w, YOU, r, hollow=True) if w >= y(max_pain)
                else marker("square", a, w, WARNING, r + 1.5) for a, _, w in at]
    for day, log in over:
        name = (names or {}).get(log.exercise, log.exercise.replace("-", " "))
        drawing.append(_flare_label(x(day.toordinal()), y(log.highest_pain),
                                    f"{log.highest_pain} on {short_date(day)}, in {name}"))
    first, last = ordered[0], ordered[-1]
    alt = (f"Pain over {len(days)} session days: before the session it went from {first[1][0]} "
           f"on {spoken(days[0])} to {last[1][0]} on {spoken(days[-1])}. The limit is "
           f"{max_pain}: up to {max_pain} is fine, above it step back a level in that "
           f"exercise. The worst pain during an exercise went above {max_pain} on "
           f"{len(over)} day(s)"
           + "".join(f"; {w.highest_pain} on {spoken(d)} in "
                     f"{(names or {}).get(w.exercise, w.exercise)}" for d, w in over) + ".")
    return frame.chart(x, ticks, labels, x_title, "".join(drawing), alt)


def _flare_label(a: float, b: float, label: str) -> str:
    """Bold lines naming a point over the limit, beside it on the side with more room
    (wrapped to fit there), never on top of it."""
    right, left = WIDTH - PAD - (a + 10), a - 10 - PAD
    lines = wrap(label, max(right, left), SMALL, bold=True)
    width = max(text_width(w, SMALL, bold=True) for w in lines)
    start = a + 10 if right >= left else a - 10 - width
    return "".join(text(start, b - 3 + k * SMALL * 1.2, w, SMALL, bold=True, halo=True)
                   for k, w in enumerate(lines))


def adherence(logs: Sequence[SessionLog], start: dt.date, weeks: int,
              sessions_per_week: int, *, title: str | None = None) -> Chart:
    """Session days logged in each week of the plan (the number in the bar), against the
    number planned (a dashed line drawn over the bars); weeks named by their first day."""
    done = [0] * weeks
    for day in {parse_date(s.done_on) for s in logs}:
        week = (day - start).days // 7
        if 0 <= week < weeks:
            done[week] += 1
    hi = max(sessions_per_week, *done)
    keys = [Key("sessions you logged", YOU, "bar"),
            Key(f"planned: {sessions_per_week} a week", INK, "dashed")]
    frame = Frame(title or "Sessions you logged each week", [], keys, "sessions in the week",
                  0, hi, nice_ticks(0, hi, 4, integer=True), height=170.0, right=8.0)
    x = Scale(0.5, weeks + 0.5, frame.left + 4, frame.right)
    step = x(2) - x(1)
    every = max(1, int(-(-(text_width("30 Mar", SMALL) + 8) // step)))
    weeks_shown = [float(w) for w in range(1, weeks + 1) if (w - 1) % every == 0]
    y = frame.y
    bars = []
    for w, n in enumerate(done, start=1):
        bars.append(rect(x(w) - step * 0.35, y(n), step * 0.7, y(0) - y(n), YOU))
        if step >= 16:
            inside = y(0) - y(n) >= SMALL + 8
            bars.append(text(x(w), y(n) + SMALL + 3 if inside else y(n) - 5, str(n), SMALL,
                             "middle", "#ffffff" if inside else INK, bold=inside,
                             halo=not inside))
    drawing = "".join(bars) + line(frame.left, y(sessions_per_week), frame.right,
                                   y(sessions_per_week), INK, 2.5, "7 4")
    starts = [start + dt.timedelta(days=7 * (int(w) - 1)) for w in weeks_shown]
    years = sorted({start.year, (start + dt.timedelta(days=7 * weeks - 1)).year})
    alt = (f"Sessions logged per week against {sessions_per_week} planned: "
           + ", ".join(f"week {i} (from {short_date(start + dt.timedelta(days=7 * (i - 1)))}): "
                       f"{n}" for i, n in enumerate(done, start=1)) + ".")
    return frame.chart(x, weeks_shown, [short_date(d) for d in starts],
                       f"week starting ({'–'.join(str(y_) for y_ in years)})", drawing, alt)


def levels(logs: Sequence[SessionLog], exercises: Sequence[Exercise], *,
           title: str | None = None) -> Chart:
    """One small panel per exercise trained: its ladder level session by session (1 =
    easiest, up to the ladder's top), the level names under it and each step back."""
    if not logs:
        raise ValueError("no sessions logged yet")
    series = []
    for exercise in exercises:
        rung_level = {r.id: r.level for r in exercise.rungs}
        mine = sorted((s for s in logs if s.exercise == exercise.id and s.rung in rung_level),
                      key=lambda s: s.done_on)
        if mine:
            series.append((exercise, [(parse_date(s.done_on), rung_level[s.rung])
                                      for s in mine]))
    if not series:
        raise ValueError("no session is on a ladder of these exercises")
    head, y = heading(title or "Your level on each exercise's ladder",
                      ["Each exercise has its own ladder, from 1 (easiest). Stepping back a "
                       "level is part of the plan."])
    parts = [head]
    left = PAD + text_width("4", SMALL) + 10
    right = WIDTH - PAD - 10
    days = [d for _, points in series for d, _ in points]
    x, ticks, labels, x_title = _dates(days, left, right)
    step = 24.0
    for exercise, points in series:
        svg, used = lines_of_text(PAD, y, wrap(exercise.name, WIDTH - 2 * PAD, LABEL, True),
                                  bold=True)
        parts.append(svg)
        top = max(r.level for r in exercise.rungs)
        panel_top = y + used + 10
        level_y = Scale(1, top, panel_top + (top - 1) * step, panel_top) if top > 1 else \
            Scale(0, 2, panel_top + step, panel_top - step)
        bottom = level_y(1)
        parts.append(y_axis(level_y, list(range(1, top + 1)), left, right))
        parts += [line(x(t), panel_top - 6, x(t), bottom + 6, GRID) for t in ticks]
        steps: list[tuple[float, float]] = []
        backs = []
        for k, (d, level) in enumerate(points):
            a, b = x(d.toordinal()), level_y(level)
            if steps:
                steps.append((a, steps[-1][1]))
            steps.append((a, b))
            if k and level < points[k - 1][1]:
                backs.append(d)
        parts.append(polyline(steps, YOU, 2.5))
        parts += [marker(YOU_MARK, x(d.toordinal()), level_y(level), YOU, 4.5)
                  for d, level in points]
        names = "; ".join(f"{r.level} {r.name}" for r in sorted(exercise.rungs,
                                                                 key=lambda r: r.level))
        notes = [f"Levels: {names}."] + [f"Stepped back a level on {short_date(d)}."
                                          for d in backs]
        under, y = footnotes(notes, bottom + 8)
        parts.append(under)
        y += 6
    axis, below = _date_labels(x, ticks, labels, x_title, y)
    alt = "Ladder level over time. " + "; ".join(
        f"{e.name}: level {p[0][1]} to level {p[-1][1]} of {max(r.level for r in e.rungs)}"
        + (f", stepped back {n} time(s)" if (n := sum(b < a for (_, a), (_, b) in zip(
            p, p[1:], strict=False))) else "")
        for e, p in series) + "."
    return document(below + PAD, alt, "".join(parts) + axis)


def _date_labels(x: Scale, ticks: Sequence[float], labels: Sequence[str], title: str,
                 y: float) -> tuple[str, float]:
    """Date labels and the axis title from ``y`` down (for charts of stacked panels)."""
    parts = [text(x(t), y + SMALL, label, SMALL, "middle", MUTED)
             for t, label in zip(ticks, labels, strict=True)]
    parts.append(text(WIDTH / 2, y + SMALL * 2.5, title, SMALL, "middle"))
    return "".join(parts), y + SMALL * 2.5 + 6


def measure_over_time(points: Sequence[tuple[str | dt.date, float]], *, name: str,
                      low: float, high: float, mic: float | None = None,
                      better: Literal["higher", "lower"] | None = None,
                      unit: str = "points", about: str | None = None,
                      title: str | None = None) -> Chart:
    """An outcome measure over dates, the first one the start (see the module docstring)."""
    if not points:
        raise ValueError(f"no {name} results to plot")
    if high <= low:
        raise ValueError(f"the scale of {name} must run from low to high")
    ordered = sorted(((_day(d), v) for d, v in points), key=lambda p: p[0])
    base_day, base = ordered[0]
    keys = [Key(f"your {name}", YOU, f"with-{YOU_MARK}"),
            Key(f"where you started ({base:g})", INK, "dashed")]
    if mic is not None:
        keys.append(Key(f"less than {amount(mic, unit)} from where you started: no clear "
                        "change", REFERENCE_BAND, "band"))
    direction = f", {better} is better" if better else ""
    ticks = nice_ticks(low, high, 5)
    frame = Frame(title or f"Your {name} over time", [about] if about else [], keys,
                  f"{name} ({number(low)} to {number(high)}{direction})", low, high,
                  [t for t in ticks if low <= t <= high], right=40.0)
    x, x_ticks, labels, x_title = _dates([d for d, _ in ordered], frame.left, frame.right)
    y, parts = frame.y, []
    if mic is not None:
        a, b = max(base - mic, low), min(base + mic, high)
        parts.append(rect(frame.left, y(b), frame.right - frame.left, y(a) - y(b),
                          REFERENCE_BAND))
    parts.append(line(frame.left, y(base), frame.right, y(base), INK, 2, "7 4"))
    xy = [(x(d.toordinal()), y(v)) for d, v in ordered]
    parts.append(polyline(xy, YOU, 2.5))
    parts += [marker(YOU_MARK, a, b, YOU, 6) for a, b in xy]
    last_day, last = ordered[-1]
    if len(ordered) > 1:
        parts.append(text(xy[-1][0] + 9, xy[-1][1] + SMALL * 0.35, f"{last:g}", SMALL,
                          bold=True, halo=True))
    sign = "+" if last > base else "-" if last < base else ""
    alt = (f"{name} over {len(ordered)} date(s){direction}: {base:g} on {spoken(base_day)} "
           f"(start)" + (f" to {last:g} on {spoken(last_day)}, a change of "
                         f"{sign}{amount(last - base, unit)}" if len(ordered) > 1 else "") + ".")
    if mic is not None and better is not None and len(ordered) > 1:
        alt += " " + verdict_sentence(last - base if better == "higher" else base - last, mic,
                                      unit)
    return frame.chart(x, x_ticks, labels, x_title, "".join(parts), alt)

