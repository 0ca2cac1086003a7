"""A measure over time as a small SVG chart, with the band of less-than-important change.

Kept apart from :mod:`backcourse.render.charts` on purpose: one function, no plotting
library, so it draws fast in a report's fresh kernel and can be swapped for a shared chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from backcourse.core.model import Measure
from backcourse.core.records import Score

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 560, 230, 46, 16, 18, 42
LINE, BAND, GRID, TEXT = "#0072B2", "#DCEBF5", "#BBBBBB", "#333333"


def over_time(measure: Measure, scores: Sequence[Score], threshold: float | None) -> str:
    """The measure at each date as a line of dots; a shaded band shows the baseline plus and
    minus the smallest change that matters. Returns an SVG element with its alt text."""
    mine = sorted((s for s in scores if s.measure == measure.id), key=lambda s: s.taken_on)
    if not mine:
        raise ValueError(f"no {measure.id} scores to draw")
    days = [dt.date.fromisoformat(s.taken_on) for s in mine]
    span = max(1, (days[-1] - days[0]).days)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return LEFT + (inner_w * (day - days[0]).days / span if len(days) > 1 else inner_w / 2)

    def y(v: float) -> float:
        return TOP + inner_h * (measure.high - v) / (measure.high - measure.low)

    parts = []
    base = mine[0].value
    if threshold is not None:
        top, bottom = min(measure.high, base + threshold), max(measure.low, base - threshold)
        parts.append(f'<rect x="{LEFT}" y="{y(top):.1f}" width="{inner_w}" '
                     f'height="{y(bottom) - y(top):.1f}" fill="{BAND}"/>')
    step = 1 if measure.high - measure.low <= 10 else 5 if measure.high <= 30 else 20
    tick = measure.low
    while tick <= measure.high:
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" '
                     f'y2="{y(tick):.1f}" stroke="{GRID}" stroke-width="0.5"/>'
                     f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" font-size="11" '
                     f'text-anchor="end" fill="{TEXT}">{tick:g}</text>')
        tick += step * (2 if measure.high - measure.low == 10 else 1)
    points = " ".join(f"{x(d):.1f},{y(s.value):.1f}" for d, s in zip(days, mine, strict=True))
    parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
    for d, s in zip(days, mine, strict=True):
        parts.append(f'<circle cx="{x(d):.1f}" cy="{y(s.value):.1f}" r="5" fill="{LINE}"/>'
                     f'<text x="{x(d):.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" '
                     f'text-anchor="middle" fill="{TEXT}">{d:%d %b}</text>')
    way = "lower is better" if measure.better == "lower" else "higher is better"
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 6}" font-size="11" fill="{TEXT}">'
                 f"{escape(measure.short)} ({measure.low:g} to {measure.high:g}, {way})"
                 + ("; shaded: less than the smallest change that matters" if threshold
                    else "") + "</text>")
    alt = (f"{measure.short} over time ({way}): "
           + ", ".join(f"{s.value:g} on {d:%d %b %Y}" for d, s in zip(days, mine, strict=True))
           + (f". The shaded band is {base:g} plus or minus {threshold:.2g}, the smallest change "
              "that matters." if threshold else "."))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(alt)}">'
            f"<title>{escape(alt)}</title>" + "".join(parts) + "</svg>")
