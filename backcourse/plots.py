"""Matplotlib figures for the notebooks, each returned with alt text (Okabe-Ito palette)."""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .core.model import Evidence, Norm

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BLUE, ORANGE, GREEN, GREY = "#0072B2", "#D55E00", "#009E73", "#595959"


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
