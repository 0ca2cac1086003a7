"""A small SVG chart kit in pure Python (runs under CPython and Pyodide alike: no numpy, no
matplotlib): scales, nice ticks, date ticks, wrapped labels, legends and one ``<svg>`` root
that scales to the width it is given (viewBox) and carries the alt text as its ``<title>``.

Text is real ``<text>``, so screen readers, search, copy and print see it. Widths of text are
estimated from DejaVu Sans (wider than Arial or Helvetica), so a label that fits here fits
in any of them; :mod:`backcourse.render.charts` draws the charts with it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable, Sequence
from html import escape
from typing import NamedTuple

WIDTH = 420.0  # user units; at a 390 px phone (366 px of chart) 14-unit text reads at 12 px
MAX_WIDTH_PX = 480  # never wider: its text stays near the size of the page's (16-18 px)
PAD = 8.0
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
TITLE, LABEL, SMALL = 16.5, 15.0, 14.0  # font sizes: the title, labels, ticks/legends/notes
INK, MUTED, GRID = "#1a1a1a", "#4d4d4d", "#d9d9d9"  # text is dark enough on white (>= 8:1)
BLUE, ORANGE, GREEN, YELLOW = "#0072B2", "#D55E00", "#009E73", "#E69F00"  # Okabe-Ito,
GREY = "#595959"  # colour-blind safe
# One meaning per colour in every chart (each also told apart by shape, fill or hatching,
# so a chart printed in grey still reads):
YOU = BLUE  # the learner's own results: always blue, always a circle (filled = latest)
YOU_MARK = "circle"
REFERENCE = "#767676"  # published values for other people: grey ticks, hatched bars
REFERENCE_FILL = "#c4c4c4"  # a reference bar (light, so it differs from the learner's in grey)
REFERENCE_BAND = "#d6d6d6"  # where most of a reference group fell
RESEARCH = GREEN  # pooled results of trials
WARNING = ORANGE  # safety: a pain limit, a value over it, a warning sign
CAUTION = YELLOW  # something to check again soon (pain rising)
LIMIT_ZONE = "#fbe2d5"  # light vermilion: the zone above a safety limit
_serial = itertools.count(1)


class Chart(NamedTuple):
    """An SVG document (its ``<title>`` is the alt text) and that alt text."""

    svg: str
    alt: str


# text --------------------------------------------------------------------------------------

_NARROW, _WIDE = set("il.,:;'|!()[]{} ·ijltf/"), set("mwMW—%@")


def text_width(value: str, size: float, bold: bool = False) -> float:
    """Estimated width of ``value`` at ``size`` in DejaVu Sans (a little generous; bold is
    a tenth wider)."""
    em = 0.0
    for ch in value:
        if ch in _NARROW:
            em += 0.34
        elif ch in _WIDE:
            em += 0.95
        elif ch.isupper() or ch.isdigit():
            em += 0.70
        else:
            em += 0.60
    return em * size * (1.1 if bold else 1.0)


def wrap(value: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Words in lines no wider than ``width`` (a single over-long word gets a line alone)."""
    lines: list[str] = []
    for word in value.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def text(x: float, y: float, value: str, size: float = SMALL, anchor: str = "start",
         fill: str = INK, bold: bool = False, halo: bool = False) -> str:
    """One line of text, its baseline at ``y``; a white ``halo`` keeps a value readable
    where a grid or reference line runs behind it."""
    weight = ' font-weight="bold"' if bold else ""
    end = "" if anchor == "start" else f' text-anchor="{anchor}"'
    ring = (' stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'
            if halo else "")
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{fill}"{end}{weight}'
            f"{ring}>{escape(value)}</text>")


def lines_of_text(x: float, y: float, lines: Sequence[str], size: float = LABEL,
                  bold: bool = False) -> tuple[str, float]:
    """Lines from the top at ``y``; returns the SVG and the height used."""
    step = size * 1.25
    return ("".join(text(x, y + size + i * step, line, size, bold=bold)
                    for i, line in enumerate(lines)), len(lines) * step)


def heading(title: str, lines: Sequence[str] = ()) -> tuple[str, float]:
    """A chart's plain title (bold) and lines under it in smaller type (who, what, source),
    each wrapped to the width; returns the SVG and the height used from the top."""
    parts, y = [], PAD
    for words in wrap(title, WIDTH - 2 * PAD, TITLE, bold=True):
        y += TITLE * 1.2
        parts.append(text(PAD, y, words, TITLE, bold=True))
    for line_ in lines:
        for words in wrap(line_, WIDTH - 2 * PAD, SMALL):
            y += SMALL * 1.3
            parts.append(text(PAD, y, words, SMALL, fill=MUTED))
    return "".join(parts), y + 8


def footnotes(lines: Sequence[str], y: float) -> tuple[str, float]:
    """Notes under a chart from ``y``, each wrapped; returns the SVG and the y below them."""
    parts = []
    for line_ in lines:
        for words in wrap(line_, WIDTH - 2 * PAD, SMALL):
            y += SMALL * 1.3
            parts.append(text(PAD, y, words, SMALL, fill=MUTED))
        y += 3
    return "".join(parts), y + (4 if lines else 0)


# shapes ------------------------------------------------------------------------------------

def line(x1: float, y1: float, x2: float, y2: float, stroke: str = INK, width: float = 1.0,
         dash: str | None = None) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}" '
            f'stroke-width="{width:g}"{dashed}/>')


def rect(x: float, y: float, w: float, h: float, fill: str, stroke: str | None = None) -> str:
    edge = f' stroke="{stroke}" stroke-width="1"' if stroke else ""
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
            f'fill="{fill}"{edge}/>')


def polyline(points: Iterable[tuple[float, float]], stroke: str, width: float = 2.0,
             dash: str | None = None) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return (f'<polyline points="{coords}" fill="none" stroke="{stroke}" stroke-width="{width:g}"'
            f' stroke-linejoin="round"{dashed}/>')


def marker(shape: str, x: float, y: float, fill: str, r: float = 5.5,
           hollow: bool = False) -> str:
    """A data point: circle, square, triangle or diamond (shape as well as colour); a
    ``hollow`` one is white inside with a thick edge, so it also reads in grey print."""
    paint = (f'fill="#ffffff" stroke="{fill}" stroke-width="2.5"' if hollow
             else f'fill="{fill}" stroke="#ffffff" stroke-width="1.5"')
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:g}" {paint}/>'
    if shape == "square":
        return (f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:g}" height="{2 * r:g}" '
                f"{paint}/>")
    k = r * 1.3
    corners = ([(x, y - k), (x + k, y + k * 0.8), (x - k, y + k * 0.8)] if shape == "triangle"
               else [(x, y - k), (x + k, y), (x, y + k), (x - k, y)])
    coords = " ".join(f"{a:.1f},{b:.1f}" for a, b in corners)
    return f'<polygon points="{coords}" {paint}/>'


def hatch(ident: str, colour: str) -> str:
    """A pattern of white diagonal stripes on ``colour`` (tells series apart in grey print)."""
    return (f'<pattern id="{ident}" width="7" height="7" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="7" height="7" fill="{colour}"/>'
            '<line x1="0" y1="0" x2="0" y2="7" stroke="#ffffff" stroke-width="2.5"/></pattern>')


def covers(x1: float, x2: float, start: float, width: float) -> bool:
    """Whether a vertical line at any of ``x1``..``x2`` would run through text from ``start``
    of ``width`` (with a little air either side)."""
    return start - 3 <= max(x1, x2) and min(x1, x2) <= start + width + 3


# scales and ticks --------------------------------------------------------------------------

class Scale(NamedTuple):
    """A linear map from data (``lo``..``hi``) to user units (``start``..``end``)."""

    lo: float
    hi: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = self.hi - self.lo or 1.0
        return self.start + (value - self.lo) / span * (self.end - self.start)


def nice_ticks(lo: float, hi: float, most: int = 6, integer: bool = False) -> list[float]:
    """Round tick values from the last at or below ``lo`` to the first at or above ``hi``
    (about ``most`` steps)."""
    span = max(hi - lo, 1e-9)
    raw = span / max(most, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if integer:
        step = max(1.0, math.ceil(step))
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(k * step, 10) for k in range(first, last + 1)]


def number(value: float) -> str:
    return f"{value:g}" if abs(value) >= 1e-9 else "0"


def date_ticks(first: dt.date, last: dt.date, most: int = 5) -> list[dt.date]:
    """Dates for the axis: days, weeks or month starts, at most ``most`` of them."""
    span = (last - first).days
    for step in (1, 2, 7, 14, 21, 28):
        if span // step + 1 <= most:
            start = first + dt.timedelta(days=(-first.weekday()) % 7) if step >= 7 else first
            return [start + dt.timedelta(days=step * i) for i in range((last - start).days
                                                                       // step + 1)]
    months = []
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            months.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    every = math.ceil(len(months) / most) if months else 1
    return months[::every]


def short_date(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


# pieces of a chart -------------------------------------------------------------------------

class Key(NamedTuple):
    """One legend entry: its words and how the series is drawn (``swatch`` is bar, hatched,
    band, line, dashed, dotted, tick (dashed, upright), stroke (solid, upright), a marker
    shape, hollow-SHAPE, or with-SHAPE: a marker on a line)."""

    label: str
    colour: str
    swatch: str


def legend(keys: Sequence[Key], x: float, y: float, width: float, hatch_id: str = "") -> \
        tuple[str, float]:
    """Legend entries flowing in rows from ``(x, y)``; returns the SVG and the height used."""
    size, row = SMALL, SMALL * 1.6
    parts, cx, cy = [], x, y
    for key in keys:
        words = wrap(key.label, width - 30, size)
        need = 26 + max(text_width(w, size) for w in words)
        if cx > x and cx + need > x + width:
            cx, cy = x, cy + row
        mid = cy + row / 2
        parts.append(_swatch(key, cx, mid, hatch_id))
        for i, w in enumerate(words):
            parts.append(text(cx + 26, mid + size * 0.35 + i * size * 1.25, w, size))
        cy += (len(words) - 1) * size * 1.25
        cx = x + width if len(words) > 1 else cx + need + 16  # after two lines, a new row
    return "".join(parts), cy + row - y


def _swatch(key: Key, x: float, mid: float, hatch_id: str) -> str:
    if key.swatch in ("bar", "hatched", "band"):
        fill = f"url(#{hatch_id})" if key.swatch == "hatched" else key.colour
        return rect(x, mid - 6, 20, 12, fill)
    if key.swatch.startswith("hollow-"):
        return marker(key.swatch[7:], x + 10, mid, key.colour, hollow=True)
    if key.swatch in ("line", "dashed", "dotted"):
        dash = {"line": None, "dashed": "6 4", "dotted": "2 3"}[key.swatch]
        return line(x, mid, x + 20, mid, key.colour, 2.5, dash)
    if key.swatch == "tick":
        return line(x + 10, mid - 8, x + 10, mid + 8, key.colour, 3, "4 2")
    if key.swatch == "stroke":
        return line(x + 10, mid - 8, x + 10, mid + 8, key.colour, 3.5)
    if key.swatch.startswith("with-"):  # a marker on a line: with-circle
        return line(x, mid, x + 20, mid, key.colour, 2.5) + marker(key.swatch[5:], x + 10, mid,
                                                                   key.colour)
    return marker(key.swatch, x + 10, mid, key.colour)


def x_axis(scale: Scale, ticks: Sequence[float], top: float, bottom: float,
           labels: Sequence[str] | None = None, title: str = "") -> tuple[str, float]:
    """Vertical grid lines from ``top`` to ``bottom``, tick labels under them and a title;
    returns the SVG and the y below it."""
    parts = [line(scale(t), top, scale(t), bottom, GRID) for t in ticks]
    parts.append(line(scale.start, bottom, scale.end, bottom, MUTED))
    for t, label in zip(ticks, labels or [number(t) for t in ticks], strict=True):
        parts.append(text(scale(t), bottom + SMALL + 4, label, SMALL, "middle", MUTED))
    y = bottom + SMALL + 6
    if title:
        lines = wrap(title, WIDTH - 2 * PAD, SMALL)
        for i, words in enumerate(lines):
            parts.append(text(WIDTH / 2, y + SMALL * 1.3 * (i + 1), words, SMALL, "middle"))
        y += SMALL * 1.3 * len(lines)
    return "".join(parts), y + 6


def y_axis(scale: Scale, ticks: Sequence[float], left: float, right: float,
           labels: Sequence[str] | None = None) -> str:
    """Horizontal grid lines and tick labels right-aligned at ``left - 6``."""
    parts = [line(left, scale(t), right, scale(t), GRID) for t in ticks]
    for t, label in zip(ticks, labels or [number(t) for t in ticks], strict=True):
        parts.append(text(left - 6, scale(t) + SMALL * 0.35, label, SMALL, "end", MUTED))
    return "".join(parts)


def document(height: float, alt: str, body: str, defs: str = "") -> Chart:
    """The ``<svg>`` root: scales to its container up to :data:`MAX_WIDTH_PX`, named by its
    ``<title>`` (the alt text) for screen readers; the drawing itself is one image."""
    ident = f"bc-chart-{next(_serial)}"
    height = math.ceil(height)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {height}" '
            f'width="{WIDTH:g}" height="{height}" role="img" aria-labelledby="{ident}" '
            f'font-family="{FONT}" style="width:100%;max-width:{MAX_WIDTH_PX}px;height:auto;'
            f'display:block"><title id="{ident}">{escape(alt)}</title>')
    defs = f"<defs>{defs}</defs>" if defs else ""
    background = rect(0, 0, WIDTH, height, "#ffffff")
    return Chart(head + defs + background + body + "</svg>", alt)


def new_id() -> str:
    """A page-unique id for a pattern inside one chart."""
    return f"bc-hatch-{next(_serial)}"
