"""Exercise figures drawn as SVG from ``data/poses.yaml``: key frames, and a short animation.

Plain strings, no plotting library: a figure is a few lines and circles. Every figure
carries alt text generated from its data (:func:`backcourse.core.figures.alt_text`).
"""

from __future__ import annotations

import base64
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from pathlib import Path

from backcourse.core import kinematics as geo
from backcourse.core.course import Course
from backcourse.core.kinematics import alt_text
from backcourse.core.poses import Figure
from backcourse.infra.files import folder

__all__ = ["alt_text", "animated_svg", "as_img", "contact_sheet", "figure_for", "figure_html",
           "key_frames_svg", "moves"]

SCALE = 90.0  # pixels per metre
PAD = 14.0
NEAR, FAR, WORK, WORK_FAR = "#333333", "#9a9a9a", "#D55E00", "#E9A27A"  # Okabe-Ito vermilion
PROP, BAND, ARROW, LABEL = "#6b6b6b", "#009E73", "#0072B2", "#222222"
LIMBS = {
    "arm": (("shoulder", "elbow", "upper_arm"), ("elbow", "hand", "forearm")),
    "leg": (("hip", "knee", "thigh"), ("knee", "ankle", "shank"), ("heel", "toe", "foot")),
}
Points = Mapping[str, geo.Point]
_serial = itertools.count(1)


def _bounds(frames: Sequence[Points], figure: Figure) -> tuple[float, float, float, float]:
    xs = [x for f in frames for x, _ in f.values()]
    ys = [y for f in frames for _, y in f.values()]
    x0, x1 = min(xs) - geo.HEAD_R - 0.1, max(xs) + geo.HEAD_R + 0.1
    if "wall" in figure.props:
        x1 = max(x1, _wall_x(frames[0]) + 0.1)
    return x0, -0.06, x1, max(ys) + geo.HEAD_R + 0.05  # a bar is drawn at the hands


def _wall_x(points: Points) -> float:
    return max(points["left_hand"][0], points["right_hand"][0]) + 0.12


class _Canvas:
    """Metres to pixels for one panel of a figure."""

    def __init__(self, bounds: tuple[float, float, float, float], left: float) -> None:
        self.x0, self.y0, self.x1, self.y1 = bounds
        self.left = left
        self.width = (self.x1 - self.x0) * SCALE
        self.height = (self.y1 - self.y0) * SCALE

    def xy(self, point: geo.Point) -> tuple[float, float]:
        x, y = point
        return (round(self.left + (x - self.x0) * SCALE, 1),
                round(PAD + (self.y1 - y) * SCALE, 1))


def _segments(figure: Figure, pose: geo.Pose) -> list[tuple[str, str, str, str, float]]:
    """(id, from point, to point, colour, width) in drawing order: far side first."""
    far, near = "left", "right"
    shade = (NEAR, WORK) if figure.view == "front" else (FAR, WORK_FAR)  # front: no depth
    out = []
    for side, colours in ((far, shade), (near, (NEAR, WORK))):
        for kind, parts in LIMBS.items():
            colour = colours[1] if f"{side}_{kind}" in figure.working else colours[0]
            for start, end, segment in parts:
                name = f"{side}_{segment}"
                if name not in pose.hidden:
                    out.append((name, start if start == "shoulder" else f"{side}_{start}",
                                f"{side}_{end}", colour, 6.0))
        if side == far:
            trunk = WORK if "trunk" in figure.working else NEAR
            out.append(("trunk", "hip", "neck", trunk, 10.0))
    return out


def _props(figure: Figure, points: Points, canvas: _Canvas) -> str:
    floor_y = canvas.xy((0, 0))[1]
    parts = [f'<line x1="{canvas.left:.1f}" y1="{floor_y}" x2="{canvas.left + canvas.width:.1f}" '
             f'y2="{floor_y}" stroke="{PROP}" stroke-width="3"/>']
    if "bar" in figure.props:
        hands = [points[f"{s}_hand"] for s in geo.SIDES]
        x, y = canvas.xy((sum(h[0] for h in hands) / 2, sum(h[1] for h in hands) / 2 + 0.02))
        parts.append(f'<line x1="{x - 26}" y1="{y}" x2="{x + 26}" y2="{y}" stroke="{PROP}" '
                     'stroke-width="5" stroke-linecap="round"/>')
    if "wall" in figure.props:  # beside the body, so behind it in a side view
        x0, _ = canvas.xy((min(x for x, _ in points.values()) - 0.08, 0))
        x1, _ = canvas.xy((_wall_x(points), 0))
        parts.append(f'<rect x="{x0}" y="{PAD}" width="{x1 - x0:.1f}" height="{floor_y - PAD}" '
                     f'fill="#ececec" stroke="#c8c8c8"/>')
    if "bench" in figure.props:
        xs = [points[n][0] for n in figure.rests_on]
        x0, top = canvas.xy((min(xs) - 0.08, geo.BENCH_HEIGHT))
        x1, _ = canvas.xy((max(xs) + 0.06, 0))
        parts.append(f'<rect x="{x0}" y="{top}" width="{x1 - x0:.1f}" height="{floor_y - top:.1f}" '
                     f'fill="#e6e6e6" stroke="{PROP}" stroke-width="2"/>')
    return "".join(parts)


def _band(figure: Figure, points: Points, canvas: _Canvas) -> tuple[float, ...] | None:
    if "band" not in figure.props:
        return None
    mid = [((points[f"{s}_ankle"][0] + points[f"{s}_toe"][0]) / 2,
            (points[f"{s}_ankle"][1] + points[f"{s}_toe"][1]) / 2) for s in geo.SIDES]
    (ax, ay), (bx, by) = canvas.xy(mid[0]), canvas.xy(mid[1])
    return ax, ay, bx, by


def _body(figure: Figure, pose: geo.Pose, points: Points, canvas: _Canvas) -> str:
    parts = []
    for _name, a, b, colour, width in _segments(figure, pose):
        (x1, y1), (x2, y2) = canvas.xy(points[a]), canvas.xy(points[b])
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" '
                     f'stroke-width="{width}" stroke-linecap="round"/>')
    band = _band(figure, points, canvas)
    if band:
        parts.append(f'<line x1="{band[0]}" y1="{band[1]}" x2="{band[2]}" y2="{band[3]}" '
                     f'stroke="{BAND}" stroke-width="3" stroke-dasharray="5 3"/>')
    hx, hy = canvas.xy(points["head"])
    parts.append(f'<circle cx="{hx}" cy="{hy}" r="{geo.HEAD_R * SCALE:.1f}" fill="#ffffff" '
                 f'stroke="{NEAR}" stroke-width="4"/>')
    if figure.eyes == "closed":
        parts.append(f'<line x1="{hx - 3}" y1="{hy - 2}" x2="{hx + 5}" y2="{hy - 2}" '
                     f'stroke="{NEAR}" stroke-width="2"/>')
    return "".join(parts)


def _arrow(start: geo.Point, end: geo.Point, canvas: _Canvas) -> str:
    (x1, y1), (x2, y2) = canvas.xy(start), canvas.xy(end)
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    bend = 0.25 * length  # a gentle curve, bulging away from the body's path
    cx, cy = mx + bend * (y2 - y1) / length, my - bend * (x2 - x1) / length
    return (f'<path d="M{x1},{y1} Q{cx:.1f},{cy:.1f} {x2},{y2}" fill="none" stroke="{ARROW}" '
            'stroke-width="3" marker-end="url(#bc-arrow)"/>')


_DEFS = (f'<defs><marker id="bc-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" '
         f'markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
         f'fill="{ARROW}"/></marker></defs>')


def _open(width: float, height: float, alt: str | None, extra: str = "") -> str:
    """The SVG's start: labelled as an image, or hidden from assistive technology when
    ``alt`` is None (an animation shown beside a labelled still)."""
    named = (f' role="img" aria-label="{escape(alt)}"' if alt is not None
             else ' aria-hidden="true" focusable="false"')
    title = f"<title>{escape(alt)}</title>" if alt is not None else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="{width:.0f}" height="{height:.0f}"{named}{extra}>{title}{_DEFS}'
            '<rect width="100%" height="100%" fill="#ffffff"/>')


def key_frames_svg(figure: Figure) -> str:
    """Every key frame side by side, labelled, with arrows on the last one for what moves."""
    frames = geo.placed(figure)
    bounds = _bounds(frames, figure)
    poses = geo.poses(figure)
    panels, left = [], PAD
    for i, (pose, points) in enumerate(zip(poses, frames, strict=True)):
        width = max((bounds[2] - bounds[0]) * SCALE, 7.5 * len(pose.name) + 8)  # fit the label
        canvas = _Canvas(bounds, left + (width - (bounds[2] - bounds[0]) * SCALE) / 2)
        body = _props(figure, points, canvas) + _body(figure, pose, points, canvas)
        if i == len(frames) - 1 and len(frames) > 1:
            body += "".join(_arrow(a, b, canvas) for _, a, b in geo.arrows(figure))
        label_y = PAD + canvas.height + 16
        body += (f'<text x="{left + width / 2:.1f}" y="{label_y:.1f}" fill="{LABEL}" '
                 f'font-family="sans-serif" font-size="13" text-anchor="middle">'
                 f"{escape(pose.name.capitalize())}</text>")
        panels.append(body)
        left += width + PAD
    height = PAD + (bounds[3] - bounds[1]) * SCALE + 26
    return _open(left, height, geo.alt_text(figure)) + "".join(panels) + "</svg>"


def moves(figure: Figure) -> bool:
    """Whether the figure has motion worth animating (more than one distinct key frame)."""
    return len(set(map(_signature, geo.poses(figure)))) > 1


def _signature(pose: geo.Pose) -> tuple[object, ...]:
    return (pose.trunk, pose.neck, pose.shrug, tuple(pose.arms.values()),
            tuple(pose.legs.values()))


def animated_svg(figure: Figure, seconds: float = 2.4, labelled: bool = True) -> str:
    """The key frames in motion: plays twice (under 5 s) and again on a click or tap.

    Each key frame is held briefly, then the body moves to the next and back to the start.
    ``labelled=False`` hides it from screen readers, for use beside the labelled still.
    """
    frames = geo.placed(figure)
    poses = geo.poses(figure)
    bounds = _bounds(frames, figure)
    canvas = _Canvas(bounds, PAD)
    order = [*range(len(frames)), 0]
    steps = len(order) - 1
    times = []
    for i in range(len(order)):  # hold each key frame for a third of its share
        t = i / steps
        times += [t] if i in (0, steps) else [t - 0.12 / steps, t + 0.12 / steps]
    seq = [order[0]] + [k for k in order[1:-1] for _ in (0, 1)] + [order[-1]]
    key_times = ";".join(f"{t:.3f}" for t in times)
    ident = f"bc-anim-{figure.id}-{next(_serial)}"  # unique, so each copy replays itself
    begin = f"0s;{ident}.click"

    def animate(attr: str, values: Iterable[float]) -> str:
        return (f'<animate attributeName="{attr}" values="{";".join(f"{v:g}" for v in values)}" '
                f'keyTimes="{key_times}" dur="{seconds}s" begin="{begin}" repeatCount="2" '
                'calcMode="spline" keySplines="' + ";".join(["0.4 0 0.6 1"] * (len(times) - 1))
                + '"/>')

    parts = [_props(figure, frames[0], canvas)]
    last = poses[-1]
    for name, a, b, colour, width in _segments(figure, last):
        if any(name in p.hidden for p in poses):
            continue
        ends = [(canvas.xy(frames[k][a]), canvas.xy(frames[k][b])) for k in seq]
        (x1, y1), (x2, y2) = ends[0]
        parts.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" '
            f'stroke-width="{width}" stroke-linecap="round">'
            + animate("x1", (e[0][0] for e in ends)) + animate("y1", (e[0][1] for e in ends))
            + animate("x2", (e[1][0] for e in ends)) + animate("y2", (e[1][1] for e in ends))
            + "</line>")
    band = [_band(figure, frames[k], canvas) for k in seq]
    if band[0]:
        parts.append(f'<line x1="{band[0][0]}" y1="{band[0][1]}" x2="{band[0][2]}" '
                     f'y2="{band[0][3]}" stroke="{BAND}" stroke-width="3" stroke-dasharray="5 3">'
                     + "".join(animate(attr, (b[i] for b in band if b))
                               for i, attr in enumerate(("x1", "y1", "x2", "y2")))
                     + "</line>")
    heads = [canvas.xy(frames[k]["head"]) for k in seq]
    parts.append(f'<circle cx="{heads[0][0]}" cy="{heads[0][1]}" r="{geo.HEAD_R * SCALE:.1f}" '
                 f'fill="#ffffff" stroke="{NEAR}" stroke-width="4">'
                 + animate("cx", (h[0] for h in heads)) + animate("cy", (h[1] for h in heads))
                 + "</circle>")
    width = canvas.width + 2 * PAD
    height = canvas.height + 2 * PAD
    alt = geo.alt_text(figure) + " Animation: plays twice; click or tap it to play again."
    return (_open(width, height, alt if labelled else None,
                  f' id="{ident}" style="cursor:pointer"') + "".join(parts) + "</svg>")


def as_img(svg: str, alt: str, css_class: str = "bc-figure") -> str:
    """An SVG as an <img> with alt text (works in notebooks, slides, handouts and reports)."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<img class="{css_class}" src="data:image/svg+xml;base64,{data}" '
            f'alt="{escape(alt)}">')


def figure_html(figure: Figure, animate: bool = True) -> str:
    """The key frames as an image, and the animation beside it where there is motion."""
    static = as_img(key_frames_svg(figure), geo.alt_text(figure))
    if not (animate and moves(figure)):
        return f'<div class="bc-figures">{static}</div>'
    return f'<div class="bc-figures">{static}{animated_svg(figure, labelled=False)}</div>'


def figure_for(course: Course, item_id: str) -> Figure:
    """The figure of a move or self-test, by id."""
    found = next((f for f in course.figures if f.id == item_id), None)
    if found is None:
        raise KeyError(f"no figure for {item_id!r} in data/poses.yaml")
    return found


def contact_sheet(course: Course, out: Path) -> list[Path]:
    """Every figure as SVG files (key frames, and the animation where there is motion) plus
    ``index.html``, a contact sheet to review them all at a glance."""
    folder(out)
    names = {m.id: f"{x.name}: {m.name}" for x in course.exercises for r in x.rungs
             for m in r.moves}
    names.update({t.id: f"Self-test: {t.name}" for t in course.battery})
    from backcourse.render.pages import page  # Jinja2 only when a sheet is written

    written, cards = [], []
    for figure in course.figures:
        path = out / f"{figure.id}.svg"
        path.write_text(key_frames_svg(figure), encoding="utf-8")
        written.append(path)
        animation = None
        if moves(figure):
            moving = out / f"{figure.id}-animated.svg"
            moving.write_text(animated_svg(figure), encoding="utf-8")
            written.append(moving)
            animation = moving.name
        cards.append({"src": path.name, "alt": geo.alt_text(figure), "animation": animation,
                      "name": names.get(figure.id, figure.id)})
    index = out / "index.html"
    index.write_text(page("contact_sheet.html.j2", title="backcourse: every exercise figure",
                          stylesheet=None, cards=cards), encoding="utf-8")
    return [index, *written]
