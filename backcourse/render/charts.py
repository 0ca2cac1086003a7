"""Matplotlib figures for the notebooks, each returned with alt text (Okabe-Ito palette)."""

from __future__ import annotations

import base64
import datetime as dt
import io
import itertools
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from backcourse.core.assessment import Asymmetry, Comparison, RatioResult
from backcourse.core.dates import parse_date
from backcourse.core.model import Evidence, Exercise, Norm
from backcourse.core.records import Assessment, SessionLog

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BLUE, ORANGE, GREEN, GREY = "#0072B2", "#D55E00", "#009E73", "#595959"
PALETTE = (BLUE, ORANGE, GREEN, "#CC79A7", "#E69F00", "#56B4E9", GREY)  # Okabe-Ito


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def to_png_base64(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def effect_sizes(statements: Sequence[Evidence]) -> tuple[Figure, str]:
    """Pooled effects with 95% intervals against the mark of an important change."""
    rows = [s for s in statements if s.effect is not None]
    if not rows:
        raise ValueError("none of these evidence statements has an effect size")
    fig = _figure(6.4, 1.1 + 0.8 * len(rows))
    ax = fig.add_subplot()
    for y, s in enumerate(rows):
        e = s.effect
        assert e is not None
        ax.plot([e.low, e.high], [y, y], color=BLUE, linewidth=3)
        ax.plot(e.points, y, "o", color=BLUE, markersize=9)
        ax.plot([e.important] * 2, [y - 0.3, y + 0.3], "--", color=ORANGE, linewidth=2)
    ax.set_yticks(range(len(rows)), [s.effect.outcome for s in rows if s.effect])
    ax.set_xlim(0, 25)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.invert_yaxis()
    ax.set_xlabel("Points better on a 0–100 scale (dot = average, bar = 95% range)")
    ax.plot([], [], "--", color=ORANGE, label="smallest change most people notice")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    alt = "Chart of exercise versus no treatment. " + " ".join(
        f"{s.effect.outcome}: {s.effect.points:g} points better (95% range "
        f"{s.effect.low:g} to {s.effect.high:g}); an important change is {s.effect.important:g}."
        for s in rows if s.effect
    )
    return fig, alt


def norm_means(rows: Sequence[Norm], test_names: dict[str, str]) -> tuple[Figure, str]:
    """Mean hold times by test and sex, with ±1 SD bars where the source gives one."""
    if not rows:
        raise ValueError("no norm rows to plot")
    tests = list(dict.fromkeys(n.test for n in rows))
    sexes = list(dict.fromkeys(n.sex for n in rows))
    colours = {"female": ORANGE, "male": BLUE, "any": GREEN}
    fig = _figure(6.4, 3.2)
    ax = fig.add_subplot()
    width = 0.8 / len(sexes)
    for i, sex in enumerate(sexes):
        xs, values, errors = [], [], []
        for t, test in enumerate(tests):
            match = [n for n in rows if n.test == test and n.sex == sex]
            if match:
                xs.append(t + (i - (len(sexes) - 1) / 2) * width)
                values.append(match[0].value)
                errors.append(match[0].sd or 0.0)
        ax.bar(xs, values, width * 0.9, yerr=errors, capsize=3, color=colours[sex],
               label=sex, hatch="//" if sex == "female" else None, edgecolor="white")
    labels = [textwrap.fill(test_names.get(t, t), 16) for t in tests]
    ax.set_xticks(range(len(tests)), labels, fontsize=8)
    ax.set_ylabel("seconds held (line: ±1 SD)")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    alt = "Bar chart of average hold times. " + " ".join(
        f"{test_names.get(n.test, n.test)}, {n.sex}: {n.value:g} s"
        + (f" (SD {n.sd:g})." if n.sd is not None else ".")
        for n in rows
    )
    return fig, alt


def _days(values: Sequence[str]) -> list[Any]:
    """ISO dates as date objects (typed loosely: matplotlib plots dates on its axes)."""
    return [parse_date(v) for v in values]


def pain_trend(logs: Sequence[SessionLog], max_pain: int) -> tuple[Figure, str]:
    """Pain before and at its worst (during or after) each session day, with the pain rule's
    limit."""
    if not logs:
        raise ValueError("no sessions logged yet")
    by_day: dict[str, tuple[int, int]] = {}
    for s in logs:
        before, after = by_day.get(s.done_on, (0, 0))
        by_day[s.done_on] = (max(before, s.pain_before), max(after, s.highest_pain))
    days = _days(list(by_day))
    fig = _figure(6.4, 2.8)
    ax = fig.add_subplot()
    ax.plot(days, [b for b, _ in by_day.values()], "-o", color=BLUE, markersize=3,
            label="pain before")
    ax.plot(days, [a for _, a in by_day.values()], "s", color=ORANGE, markersize=3,
            label="worst pain during or after")
    ax.axhline(max_pain, color=GREY, linestyle="--", linewidth=1, label="pain rule limit")
    ax.set_ylim(0, 10)
    ax.set_ylabel("pain (0–10)")
    ax.legend(frameon=False, fontsize=8, ncols=3, loc="upper center")
    ax.spines[["top", "right"]].set_visible(False)
    fig.autofmt_xdate()
    first, last = list(by_day.items())[0], list(by_day.items())[-1]
    over = sum(a > max_pain for _, a in by_day.values())
    alt = (f"Pain over {len(days)} session days: before the session it went from {first[1][0]} "
           f"on {first[0]} to {last[1][0]} on {last[0]}. The worst pain during or after a session "
           f"went above {max_pain} on {over} day(s).")
    return fig, alt


def adherence(logs: Sequence[SessionLog], start: dt.date, weeks: int,
              sessions_per_week: int) -> tuple[Figure, str]:
    """Session days done in each week of the plan, against the number planned."""
    done = [0] * weeks
    for day in set(_days([s.done_on for s in logs])):
        week = (day - start).days // 7
        if 0 <= week < weeks:
            done[week] += 1
    fig = _figure(6.4, 2.4)
    ax = fig.add_subplot()
    ax.bar(range(1, weeks + 1), done, color=GREEN, label="sessions done")
    ax.axhline(sessions_per_week, color=GREY, linestyle="--", linewidth=1, label="planned")
    ax.set_xlabel("week of the plan")
    ax.set_ylabel("sessions")
    ax.set_xticks(range(1, weeks + 1))
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    alt = (f"Sessions done per week against {sessions_per_week} planned: "
           + ", ".join(f"week {i}: {n}" for i, n in enumerate(done, start=1)) + ".")
    return fig, alt


def levels(logs: Sequence[SessionLog], exercises: Sequence[Exercise]) -> tuple[Figure, str]:
    """The ladder level trained in each exercise, session by session."""
    if not logs:
        raise ValueError("no sessions logged yet")
    fig = _figure(6.4, 2.6)
    ax = fig.add_subplot()
    parts = []
    for x, colour, mark in zip(exercises, itertools.cycle(PALETTE), itertools.cycle("os^Dv")):
        rung_level = {r.id: r.level for r in x.rungs}
        mine = [s for s in logs if s.exercise == x.id and s.rung in rung_level]
        if not mine:
            continue
        name = x.name
        level = [rung_level[s.rung] for s in mine]
        ax.step(_days([s.done_on for s in mine]), level, where="post", color=colour,
                marker=mark, markersize=3, label=name)
        parts.append(f"{name}: level {level[0]} to level {level[-1]}")
    ax.set_ylabel("ladder level")
    ax.set_yticks(range(1, 5))
    ax.legend(frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.autofmt_xdate()
    return fig, "Ladder level over time. " + "; ".join(parts) + "."


def holds(tests: Sequence[Assessment], norms: Sequence[Norm],
          test_names: dict[str, str]) -> tuple[Figure, str]:
    """Timed trunk holds at each re-test, with the young-adult average from the norms."""
    timed = [t for t in tests if t.unit == "s"]
    if not timed:
        raise ValueError("no timed tests saved yet")
    fig = _figure(6.4, 3.0)
    ax = fig.add_subplot()
    parts = []
    for test, colour in zip(dict.fromkeys(t.key for t in timed), itertools.cycle(PALETTE)):
        mine = [t for t in timed if t.key == test]
        name = test_names.get(test, test)
        ax.plot(_days([t.taken_on for t in mine]), [t.value for t in mine], "-o",
                color=colour, label=name)
        means = [n.value for n in norms if n.test == test]
        if means:
            ax.axhline(sum(means) / len(means), color=colour, linestyle=":", linewidth=1)
        parts.append(f"{name}: {mine[0].value:g} s to {mine[-1].value:g} s")
    ax.set_ylabel("seconds held")
    ax.legend(frameon=False, fontsize=7, loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.autofmt_xdate()
    alt = ("Timed holds at each test; dotted lines are young-adult averages (men and women "
           "together). " + "; ".join(parts) + ".")
    return fig, alt


def results_vs_norms(comparisons: Sequence[Comparison],
                     names: dict[str, str]) -> tuple[Figure, str]:
    """Each result as a dot on its norm: the band is the average ±1 SD, the tick the average."""
    rows = [c for c in comparisons if c.norm is not None]
    if not rows:
        raise ValueError("no result has a norm that fits")
    fig = _figure(6.4, 0.9 + 0.6 * len(rows))
    ax = fig.add_subplot()
    for y, c in enumerate(rows):
        norm = c.norm
        assert norm is not None
        sd = norm.sd or 0.0
        ax.barh(y, 2 * sd, left=norm.value - sd, height=0.5, color="#BBBBBB",
                label="average ±1 SD" if y == 0 else None)
        ax.plot([norm.value] * 2, [y - 0.25, y + 0.25], color=GREY, linewidth=2,
                label="average" if y == 0 else None)
        ax.plot(c.value, y, "D", color=BLUE, markersize=8, label="you" if y == 0 else None)
    ax.set_yticks(range(len(rows)), [names.get(c.key, c.key) for c in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("seconds")
    ax.set_xlim(left=0)
    fig.legend(frameon=False, fontsize=8, loc="outside lower center", ncols=3)
    ax.spines[["top", "right"]].set_visible(False)
    alt = "Your holds against the published averages. " + " ".join(
        f"{names.get(c.key, c.key)}: you {c.value:g} s, average {c.norm.value:g} s"
        + (f" (SD {c.norm.sd:g})" if c.norm.sd is not None else "") + "."
        for c in rows if c.norm)
    return fig, alt


def ratio_chart(results: Sequence[RatioResult]) -> tuple[Figure, str]:
    """Your ratios beside those of young healthy adults of the sex you chose."""
    rows = [r for r in results if r.value is not None]
    if not rows:
        raise ValueError("no ratio could be worked out")
    fig = _figure(6.4, 0.9 + 0.6 * len(rows))
    ax = fig.add_subplot()
    ys = range(len(rows))
    ax.barh([y - 0.18 for y in ys], [r.value or 0 for r in rows], height=0.35, color=BLUE,
            label="you")
    ax.barh([y + 0.18 for y in ys], [r.reference or 0 for r in rows], height=0.35,
            color=ORANGE, hatch="//", edgecolor="white", label="young healthy adults")
    ax.axvline(1.0, color=GREY, linestyle=":", linewidth=1)
    ax.set_yticks(list(ys), [textwrap.fill(_ratio_label(r), 28) for r in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("ratio (1.0 = equal)")
    fig.legend(frameon=False, fontsize=8, loc="outside lower center", ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    alt = "Your endurance ratios. " + " ".join(
        f"{_ratio_label(r)}: you {r.value:.2f}"
        + (f", young healthy adults {r.reference:.2f}" if r.reference is not None else "") + "."
        for r in rows)
    return fig, alt


def _ratio_label(result: RatioResult) -> str:
    derived = result.reference is not None and result.ratio.derived
    return result.ratio.name + (" (adults' value worked out from average times)" if derived else "")


def sides_chart(pairs: Sequence[Asymmetry]) -> tuple[Figure, str]:
    """Left and right side by side for each two-sided test."""
    if not pairs:
        raise ValueError("no test has both sides")
    fig = _figure(6.4, 0.9 + 0.6 * len(pairs))
    ax = fig.add_subplot()
    ys = range(len(pairs))
    ax.barh([y - 0.18 for y in ys], [p.left for p in pairs], height=0.35, color=BLUE,
            label="left")
    ax.barh([y + 0.18 for y in ys], [p.right for p in pairs], height=0.35, color=ORANGE,
            hatch="//", edgecolor="white", label="right")
    ax.set_yticks(list(ys), [textwrap.fill(p.test.name, 28) for p in pairs], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("seconds")
    fig.legend(frameon=False, fontsize=8, loc="outside lower center", ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, "Left and right sides. " + " ".join(p.message() for p in pairs)


def group_states(counts: dict[str, int]) -> tuple[Figure, str]:
    """How many clients are in each state (for the instructor's group summary)."""
    fig = _figure(6.4, 0.9 + 0.5 * max(1, len(counts)))
    ax = fig.add_subplot()
    labels = list(counts)
    ax.barh(range(len(labels)), list(counts.values()), color=list(itertools.islice(
        itertools.cycle(PALETTE), len(labels))))
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("clients")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    return fig, "Clients by status: " + "; ".join(f"{k}: {v}" for k, v in counts.items()) + "."
