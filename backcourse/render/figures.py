"""Exercise figures drawn as SVG from ``data/poses.yaml``: key frames, and a short animation.

Plain strings, no plotting library. The body is drawn the way printed home-exercise sheets
draw it: outlined, tapering limbs around the joints that :mod:`backcourse.core.kinematics`
poses (a trunk in three parts, shoulders, a neck, a head with hair and a face, hands that
grip or rest flat, feet), the far side shaded grey behind the near side, the working limbs
in colour, and props in scale. Every frame of a figure shares one scale and one floor and
has a caption; a later frame shows the frame before it as a pale ghost and an arrow along
the real path of what moves. Every figure carries alt text generated from its data.
"""

from __future__ import annotations

import base64
import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from backcourse.core import kinematics as geo
from backcourse.core.course import Course
from backcourse.core.kinematics import alt_text
from backcourse.core.poses import SIDES, Figure
from backcourse.infra.files import folder

__all__ = ["FRAME_PX", "MAX_WIDTH", "THUMB_PX", "alt_text", "animated_svg", "as_img",
           "contact_sheet", "figure_for", "figure_html", "key_frames_svg", "moves",
           "framed_figure_html", "thumbnail_html"]

SCALE = 90.0  # pixels per metre, at least
FRAME_PX = 160.0  # the least height of one frame's drawing, in pixels
THUMB_PX = 120.0  # the least height of a thumbnail in a list (a click opens the figure)
MAX_WIDTH = 640.0  # frames wrap into rows to stay this narrow (fits a printed page)
PAD, CAPTION = 12.0, 30.0
CAPTION_FONT = 20  # a frame's caption, in the figure's pixels: still readable when a slide
#                    shows two rows of frames at about half size
INK, FAR_INK, GHOST_INK = "#222222", "#4d4d4d", "#a8a8a8"
SKIN, FAR_SKIN, GHOST = "#ffffff", "#bdbdbd", "#f7f7f7"
WORK, FAR_WORK = "#F4A77A", "#C46A35"  # Okabe-Ito vermilion, light near and dark far
HAIR, ARROW, LABEL = "#4a4a4a", "#0072B2", "#222222"
PROP, PROP_FILL, BAND, STRAP, FLOOR = "#6b6b6b", "#d9d9d9", "#009E73", "#3d5a80", "#8c8c8c"
MAT = (0.2, -0.2)  # a front view's mat, its near and far edge (m): shallow, so that a hang's
#                   feet, 12 cm up, are drawn clear of its far edge, not standing on it
OUTLINE = 1.4  # pixels of outline outside each shape
GRIP_R = 0.04  # half the height of a fist around a bar, metres
Pt = tuple[float, float]
_serial = itertools.count(1)


# --- canvas -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Canvas:
    """Metres to pixels for one frame: the same scale and floor for every frame."""

    view: str
    x0: float
    y1: float
    scale: float
    left: float = 0.0
    top: float = 0.0

    def xy(self, point: geo.Point | Pt) -> Pt:
        x, y = geo.project(point, self.view) if len(point) == 3 else point
        return (round(self.left + (x - self.x0) * self.scale, 1),
                round(self.top + (self.y1 - y) * self.scale, 1))

    def px(self, metres: float) -> float:
        return metres * self.scale

    def at(self, left: float, top: float) -> Canvas:
        return Canvas(self.view, self.x0, self.y1, self.scale, left, top)


@dataclass(frozen=True)
class Layout:
    canvas: Canvas
    width: float  # one frame's drawing, pixels
    height: float


def _layout(figure: Figure, frames: Sequence[geo.Points], least: float) -> Layout:
    """One scale for every frame: at least ``least`` pixels tall, and at least :data:`SCALE`
    unless ``least`` is a thumbnail's height."""
    xs, ys = [], []
    r = geo.radii(figure.view)
    for points in frames:
        for name, point in points.items():
            x, y = geo.project(point, figure.view)
            reach = r.get(name, 0.0) + 0.02
            xs += [x - reach, x + reach]
            ys += [y + reach]
    for way in geo.paths(figure):  # the arrows beside the body (and the loops' squares)
        reach = 0.1 if figure.loop else _clearance(way.point) + 0.04
        xs += [geo.project(p, figure.view)[0] + k * reach for p in way.points for k in (-1, 1)]
        ys += [geo.project(p, figure.view)[1] + reach for p in way.points]
    x0, x1 = min(xs) - 0.03, max(xs) + 0.03
    if figure.view == "front":  # the mat, drawn in depth
        x0, x1 = min(x0, x0 - geo.OBLIQUE[0] * 0.2), x1 + geo.OBLIQUE[0] * 0.35
    if figure.zoom_face:
        x, y = _inset_centre(figure, frames[0])
        x1, ys = max(x1, x + INSET_R + 0.03), [*ys, y + INSET_R + 0.03]
    for prop, (a, b) in _prop_extent(figure, frames[0]).items():
        x0, x1 = (min(x0, a), max(x1, b)) if prop else (x0, x1)
    y0 = -0.1 if figure.view == "front" else -0.04
    y1 = max(ys) + 0.06
    if "bar" in figure.props:
        y1 = max(y1, _bar_y(frames[0]) + 0.12)
    height = y1 - y0
    scale = max(SCALE if least >= FRAME_PX else 0.0, least / height)
    scale = min(scale, (MAX_WIDTH - 2 * PAD) / (x1 - x0))
    if height * scale < least:  # a long, low figure held to the page's width: room above
        y1 += least / scale - height
        height = y1 - y0
    canvas = Canvas(figure.view, x0, y1, scale)
    return Layout(canvas, (x1 - x0) * scale, height * scale)


def _prop_extent(figure: Figure, points: geo.Points) -> dict[str, tuple[float, float]]:
    """How far props reach along the picture, in metres."""
    out = {}
    if "wall" in figure.props:
        x = _wall_x(points)
        out["wall"] = (x, x + 0.14)
    if "bar" in figure.props:
        x = (points["left_hand"][0] + points["right_hand"][0]) / 2
        out["bar"] = (x - 0.42, x + 0.42)
    if "bench" in figure.props:
        out["bench"] = _bench_x(figure, points)
    return out


# --- shapes -----------------------------------------------------------------------------

def _capsule(a: Pt, b: Pt, ra: float, rb: float) -> str:
    """A tapered limb: two circles and the lines that touch both (the same path commands
    for every pose, so a limb can be animated from one pose to the next)."""
    d = math.dist(a, b)
    if d < abs(ra - rb) + 0.5:  # seen end-on: a round blob
        r = max(ra, rb)
        a = b = (a[0] if ra >= rb else b[0], a[1] if ra >= rb else b[1])
        ra = rb = r
        d = 0.0
    ux, uy = ((b[0] - a[0]) / d, (b[1] - a[1]) / d) if d else (1.0, 0.0)
    s = (ra - rb) / d if d else 0.0
    c = math.sqrt(max(0.0, 1 - s * s))
    nx, ny = -uy * c + ux * s, ux * c + uy * s  # normal of one touching line
    mx, my = uy * c + ux * s, -ux * c + uy * s  # and of the other
    if not d:
        nx, ny, mx, my = 0.0, 1.0, 0.0, -1.0
    p1, p2 = (a[0] + ra * nx, a[1] + ra * ny), (b[0] + rb * nx, b[1] + rb * ny)
    p3, p4 = (b[0] + rb * mx, b[1] + rb * my), (a[0] + ra * mx, a[1] + ra * my)
    big_b = 0 if ra >= rb else 1
    return (f"M{p1[0]:.1f},{p1[1]:.1f}L{p2[0]:.1f},{p2[1]:.1f}"
            f"A{rb:.1f},{rb:.1f} 0 {big_b} 0 {p3[0]:.1f},{p3[1]:.1f}"
            f"L{p4[0]:.1f},{p4[1]:.1f}A{ra:.1f},{ra:.1f} 0 {1 - big_b} 0 {p1[0]:.1f},{p1[1]:.1f}Z")


def _circle(c: Pt, r: float) -> str:
    return _capsule(c, c, r, r)


@dataclass(frozen=True)
class Part:
    """One piece of the body drawn as a unit (an arm, a leg, the trunk with the head):
    outlined as one shape, filled, then its details drawn on top."""

    name: str
    depth: float
    shapes: tuple[str, ...]
    fills: tuple[str, ...]  # one per shape: a segment behind the body is shaded
    ink: str
    details: tuple[tuple[str, str, str], ...] = ()  # (path, fill, stroke)


def _hand_style(figure: Figure, first: geo.Points, side: str) -> str:
    """How a hand is drawn: gripping a bar, flat on the floor or a wall, or relaxed."""
    hand = first.get(f"{side}_hand")
    if hand is None:
        return "none"
    if "bar" in figure.props and abs(hand[1] - _bar_y(first)) < 0.05:
        return "grip"
    if "wall" in figure.props and abs(hand[0] - _wall_x(first)) < 0.12:
        return "wall"
    if figure.view == "side" and hand[1] < 0.08:
        return "floor"
    return "relaxed"


def _hand(style: str, points: geo.Points, side: str, canvas: Canvas) -> tuple[str, ...]:
    wrist, hand = points[f"{side}_wrist"], points[f"{side}_hand"]
    w, h = canvas.xy(wrist), canvas.xy(hand)
    if style == "grip":  # a fist closed around the bar, wider and taller than it
        r = canvas.px(GRIP_R)
        return (_capsule(w, h, canvas.px(0.03), r),
                _capsule((h[0] - canvas.px(0.035), h[1]), (h[0] + canvas.px(0.035), h[1]), r, r))
    if style == "floor":  # flat, fingers forward along the floor (on from a forearm that lies
        if hand[1] < 0.08:  # along it, as by the sides); in line when lifted
            dx, dy = hand[0] - wrist[0], hand[1] - wrist[1]
            ahead = -1.0 if dx < 0 and abs(dx) > abs(dy) else 1.0
            heel = canvas.xy((hand[0] - 0.04 * ahead, 0.018))
            tip = canvas.xy((hand[0] + 0.07 * ahead, 0.015))
        else:
            heel, tip = h, canvas.xy(geo.mix(wrist, hand, 1.8))
        return (_capsule(w, heel, canvas.px(0.03), canvas.px(0.022)),
                _capsule(heel, tip, canvas.px(0.022), canvas.px(0.016)))
    if style == "wall":  # flat on the wall, fingers up
        x = _wall_x(points) - 0.02
        return (_capsule(canvas.xy((x, hand[1] - 0.03)), canvas.xy((x, hand[1] + 0.1)),
                         canvas.px(0.024), canvas.px(0.018)),)
    return (_capsule(w, h, canvas.px(0.03), canvas.px(0.036)),)


def _limb_shapes(points: geo.Points, segs: Sequence[geo.Segment], canvas: Canvas) -> list[str]:
    return [_capsule(canvas.xy(points[s.start]), canvas.xy(points[s.end]),
                     canvas.px(s.r_start), canvas.px(s.r_end))
            for s in segs if s.start in points and s.end in points]


def _head(figure: Figure, points: geo.Points, canvas: Canvas, ink: str,
          ) -> tuple[str, tuple[tuple[str, str, str], ...]]:
    """The head's outline, and its hair, eyes and nose, from where the face points."""
    c = canvas.xy(points["head"])
    r = canvas.px(geo.HEAD_R) * 0.95
    base, face = canvas.xy(points["head_base"]), canvas.xy(points["face"])
    u = _unit(c, base, (0.0, -1.0))  # up the head, in pixels
    side = figure.view == "side"
    f = _unit(face, c, (1.0, 0.0)) if side else (-u[1], u[0])  # ahead, or across the face

    def at(phi: float, reach: float = 1.0) -> Pt:
        """A point on (or within) the head: phi 0 = the crown, 90 = the face (side view)."""
        a = math.radians(phi)
        return (round(c[0] + r * reach * (math.cos(a) * u[0] + math.sin(a) * f[0]), 1),
                round(c[1] + r * reach * (math.cos(a) * u[1] + math.sin(a) * f[1]), 1))

    arc = range(25, -150, -15) if side else range(-85, 86, 17)
    hair = [at(phi) for phi in arc] + ([at(-150), at(-60, 0.35), at(25, 0.55)] if side
                                       else [at(85), at(0, 0.62)])
    details = [("M" + "L".join(f"{x},{y}" for x, y in hair) + "Z", HAIR, "none")]
    if side:
        tip = at(106)
        tip = (round(tip[0] + 0.28 * r * f[0], 1), round(tip[1] + 0.28 * r * f[1], 1))
        nose = (at(95), tip, at(118))
        details.append(("M" + "L".join(f"{x},{y}" for x, y in nose) + "Z", SKIN, ink))
        eyes = [at(62, 0.62)]
    else:
        eyes = [at(-68, 0.41), at(68, 0.41)]
    for e in eyes:
        if figure.eyes == "closed":  # a shut lid: a curve bowed down, with lashes below
            w = r * 0.34
            dn = (-u[0] * w, -u[1] * w)
            a, b = (e[0] - f[0] * w, e[1] - f[1] * w), (e[0] + f[0] * w, e[1] + f[1] * w)
            lid = (f"M{a[0]:.1f},{a[1]:.1f}Q{e[0] + dn[0]:.1f},{e[1] + dn[1]:.1f} "
                   f"{b[0]:.1f},{b[1]:.1f}")
            roots = [(e[0] + f[0] * w * k + dn[0] * 0.45, e[1] + f[1] * w * k + dn[1] * 0.45)
                     for k in (-0.5, 0.0, 0.5)]
            lashes = "".join(f"M{x:.1f},{y:.1f}l{dn[0] * 0.55:.1f},{dn[1] * 0.55:.1f}"
                             for x, y in roots)
            details.append((lid + lashes, "none", ink))
        else:
            details.append((_circle(e, max(1.4, r * 0.17)), ink, "none"))
    return _circle(c, r), tuple(details)


def _unit(a: Pt, b: Pt, default: Pt) -> Pt:
    dx, dy = a[0] - b[0], a[1] - b[1]
    n = math.hypot(dx, dy)
    return (dx / n, dy / n) if n else default


def _parts(figure: Figure, pose: geo.Pose, points: geo.Points, canvas: Canvas,
           styles: Mapping[str, str], hidden: frozenset[str]) -> list[Part]:
    """The body's parts, far ones first."""
    segs = geo.segments(figure.view, hidden)
    by_name = {s.name: s for s in segs}
    trunk_segs = [by_name[n] for n in ("pelvis", "lumbar", "chest")]
    head, details = _head(figure, points, canvas, INK)
    working = set(figure.working)
    trunk = tuple(_limb_shapes(points, trunk_segs, canvas))
    neck = (*_limb_shapes(points, [by_name["neck"]], canvas), head)
    # the head is drawn over the limbs, except that arms holding a bar overhead pass in front
    # of it (the near arm then reads as one piece from the bar down to its shoulder), as does
    # a near arm reaching past the head from the side (a bird dog's)
    reaching = figure.view == "side" and pose.arms["right"].shoulder >= 120
    over = 0.01 if "bar" in figure.props or reaching else 1.0
    parts = [Part("trunk", 0.0, trunk, (WORK if "trunk" in working else SKIN,) * len(trunk), INK),
             Part("head", over, neck, (SKIN,) * len(neck), INK, details)]
    for side in SIDES:
        for kind, names in (("arm", ("upper_arm", "forearm")),
                            ("leg", ("thigh", "shank", "foot"))):
            chosen = [by_name[f"{side}_{n}"] for n in names if f"{side}_{n}" in by_name]
            if not chosen:
                continue
            work = f"{side}_{kind}" in working
            shades = {True: FAR_WORK if work else FAR_SKIN, False: WORK if work else SKIN}
            far = [_behind(figure, side, points, seg) for seg in chosen]
            shapes = _limb_shapes(points, chosen, canvas)
            fills = [shades[f] for f in far]
            if kind == "arm" and f"{side}_hand" in by_name and f"{side}_hand" in points:
                hand = _hand(styles[side], points, side, canvas)
                shapes += hand
                fills += [fills[-1]] * len(hand)
            depth = (points[chosen[0].start][2] + points[chosen[0].end][2]) / 2  # proximal
            parts.append(Part(f"{side}_{kind}", depth, tuple(shapes), tuple(fills),
                              FAR_INK if all(far) else INK))
    return sorted(parts, key=lambda p: p.depth)


def _behind(figure: Figure, side: str, points: geo.Points, seg: geo.Segment) -> bool:
    """Whether a limb segment is on the far side (side view) or behind the body (front)."""
    if figure.view == "side":
        return side == "left"
    return (points[seg.start][2] + points[seg.end][2]) / 2 < -0.1


def _draw_part(part: Part, ghost: bool = False, weight: float = 1.0) -> str:
    """A part: its outline, its fill, then its details; ``weight`` thickens the lines."""
    ink = GHOST_INK if ghost else part.ink
    fills = (GHOST,) * len(part.shapes) if ghost else part.fills
    # a ghost is a dashed outline round a near-white fill: where the body was, not an object
    line = (f'fill="none" stroke="{ink}" stroke-dasharray="4 3"' if ghost
            else f'fill="{ink}" stroke="{ink}"')
    outline = "".join(f'<path d="{d}" {line} stroke-width="{2 * OUTLINE * weight:g}" '
                      'stroke-linejoin="round"/>' for d in part.shapes)
    inside = "".join(f'<path d="{d}" fill="{f}"/>' for d, f in zip(part.shapes, fills,
                                                                     strict=True))
    details = "" if ghost else "".join(
        f'<path d="{d}" fill="{f}" stroke="{s}" stroke-width="{1.3 * weight:g}" '
        'stroke-linecap="round"/>' for d, f, s in part.details)
    return (f'<g class="bc-{"ghost" if ghost else "part"}" data-part="{part.name}">{outline}'
            f"{inside}{details}</g>")


# --- props ------------------------------------------------------------------------------

def _bar_y(points: geo.Points) -> float:
    return (points["left_hand"][1] + points["right_hand"][1]) / 2


def _wall_x(points: geo.Points) -> float:
    """The wall stands just ahead of the hand that reaches for it."""
    return max(points["left_hand"][0], points["right_hand"][0]) + 0.03


def _bench_x(figure: Figure, points: geo.Points) -> tuple[float, float]:
    """The bench's ends: its edge just past the resting point nearest the edge, and its
    other end well beyond the farthest one (a bench longer than the part lying on it)."""
    xs = [geo.project(points[n], figure.view)[0] for n in figure.rests_on]
    return min(xs) - 0.3, max(xs) + 0.03


def _floor(figure: Figure, canvas: Canvas, width: float) -> str:
    if figure.view == "front":  # a mat seen from a little above
        xs = (canvas.x0, canvas.x0 + width / canvas.scale)
        near, far = MAT
        corners = [canvas.xy((xs[0] + 0.1, 0.0, near)), canvas.xy((xs[1], 0.0, near)),
                   canvas.xy((xs[1], 0.0, far)), canvas.xy((xs[0] + 0.1, 0.0, far))]
        d = "M" + "L".join(f"{x},{y}" for x, y in corners) + "Z"
        return f'<path d="{d}" fill="#e9e9e9" stroke="{FLOOR}" stroke-width="1.5"/>'
    y = canvas.xy((0.0, 0.0))[1]
    return (f'<rect x="{canvas.left:.1f}" y="{y}" width="{width:.1f}" height="5" '
            f'fill="#e4e4e4"/><line x1="{canvas.left:.1f}" y1="{y}" '
            f'x2="{canvas.left + width:.1f}" y2="{y}" stroke="{FLOOR}" stroke-width="2"/>')


def _prop_rect(x: float, y: float, w: float, h: float, rounded: bool = False) -> str:
    """A grey prop (a wall, a bench top, a bench leg), ``x``, ``y`` at its top left, in pixels."""
    corner = ' rx="2"' if rounded else ""
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"{corner} '
            f'fill="{PROP_FILL}" stroke="{PROP}" stroke-width="1.5"/>')


def _props_behind(figure: Figure, points: geo.Points, canvas: Canvas, width: float) -> str:
    parts = [_floor(figure, canvas, width)]
    floor = canvas.xy((0.0, 0.0))[1]
    if "wall" in figure.props:
        x0 = canvas.xy((_wall_x(points), 0.0))[0]
        w = canvas.px(0.14)
        parts.append(_prop_rect(x0, canvas.top, w, floor - canvas.top))
        parts += [f'<line x1="{x0 + 2}" y1="{y:.1f}" x2="{x0 + w - 2:.1f}" y2="{y + 8:.1f}" '
                  f'stroke="#b5b5b5" stroke-width="1"/>'
                  for y in _steps(canvas.top + 6, floor - 8, 12)]
    if figure.place == "bar":  # shadows on the floor show whether the feet are off it
        for side in SIDES:
            x, y = canvas.xy((points[f"{side}_heel"][0], 0.0))
            parts.append(f'<ellipse cx="{x:.1f}" cy="{y:.1f}" rx="{canvas.px(0.07):.1f}" '
                         f'ry="{canvas.px(0.025):.1f}" fill="#b9b9b9"/>')
    if "bar" in figure.props:  # the bar alone: uprights framed the body like a doorway
        parts.append(_bar(points, canvas))
    if "bench" in figure.props:
        a, b = _bench_x(figure, points)
        (x0, top), (x1, _) = canvas.xy((a, geo.BENCH_HEIGHT)), canvas.xy((b, 0.0))
        pad = canvas.px(0.08)
        parts.append(_prop_rect(x0, top, x1 - x0, canvas.px(0.07), rounded=True))
        parts += [_prop_rect(x, top, canvas.px(0.05), floor - top)
                  for x in (x0 + pad, x1 - pad - canvas.px(0.05))]
    if "wedge" in figure.props:  # the support behind the back, moved a hand's width away
        parts.append(_wedge(points, canvas))
    if "cushion" in figure.props:
        hip = points["hip"]
        (x0, top), (x1, _) = (canvas.xy((hip[0] - 0.15, geo.CUSHION + 0.01)),
                              canvas.xy((hip[0] + 0.12, 0.0)))
        parts.append(f'<rect x="{x0}" y="{top}" width="{x1 - x0:.1f}" height="{floor - top:.1f}" '
                     f'rx="{canvas.px(0.03):.1f}" fill="#c9d6e3" stroke="{PROP}" '
                     'stroke-width="1.5"/>')
    return "".join(parts)


def _wedge(points: geo.Points, canvas: Canvas) -> str:
    """A wedge whose sloped face is parallel to the back, a hand's width (9 cm) behind it."""
    (sx, sy, _), (nx, ny, _) = points["sacrum"], points["neck"]
    length = math.hypot(nx - sx, ny - sy)
    ax, ay = (nx - sx) / length, (ny - sy) / length
    gap = 0.1 + 0.09  # the back's surface, then a hand's width
    bx, by = sx - ay * gap, sy + ax * gap  # on the line along the back, behind the sacrum
    floor = (bx - ax * by / ay, 0.0)
    top = (bx + ax * 0.3, by + ay * 0.3)
    corner = (top[0], 0.0)
    d = "M" + "L".join(f"{x},{y}" for x, y in map(canvas.xy, (floor, top, corner))) + "Z"
    return f'<path d="{d}" fill="{PROP_FILL}" stroke="{PROP}" stroke-width="1.5"/>'


def _steps(start: float, stop: float, step: float) -> Iterator[float]:
    y = start
    while y < stop:
        yield y
        y += step


def _bar(points: geo.Points, canvas: Canvas) -> str:
    """The bar, drawn after the body so the fists close around it."""
    x = (points["left_hand"][0] + points["right_hand"][0]) / 2
    (x0, y), (x1, _) = canvas.xy((x - 0.4, _bar_y(points))), canvas.xy((x + 0.4, 0.0))
    w = canvas.px(0.035)
    return (f'<line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{PROP}" '
            f'stroke-width="{w:.1f}" stroke-linecap="round"/>')


def _fingers(points: geo.Points, canvas: Canvas, styles: Mapping[str, str]) -> str:
    """Finger lines across each fist that grips the bar."""
    out = []
    for side in SIDES:
        if styles[side] == "grip" and f"{side}_hand" in points:
            x, y = canvas.xy(points[f"{side}_hand"])
            r = canvas.px(GRIP_R)
            ink = INK if side == "right" else FAR_INK
            # fingers curled over the top of the bar and down its front
            out += [f'<path d="M{x + dx:.1f},{y - r * 0.85:.1f}q{r * 0.22:.1f},{r * 0.7:.1f} '
                    f'0,{r * 1.45:.1f}" fill="none" stroke="{ink}" stroke-width="1.2" '
                    'stroke-linecap="round"/>' for dx in (-r * 0.75, -r * 0.05, r * 0.65)]
    return "".join(out)


def _band(figure: Figure, points: geo.Points, canvas: Canvas) -> str:
    """One band looped around both feet: with the feet together, one wrap across them; as
    they part, a loop whose two strands stretch from one foot to the other."""
    if "band" not in figure.props:
        return ""
    feet, across = [], []
    for side in SIDES:
        ankle, toe = points.get(f"{side}_ankle"), points.get(f"{side}_toe")
        if ankle is None or toe is None:
            return ""
        (ax, ay), (tx, ty) = canvas.xy(ankle), canvas.xy(toe)
        feet.append((ax + (tx - ax) * 0.4, ay + (ty - ay) * 0.4))
        ux, uy = _unit((tx, ty), (ax, ay), (1.0, 0.0))
        across.append((-uy, ux))  # across the foot
    (ax, ay), (bx, by) = feet
    gap = math.hypot(bx - ax, by - ay)
    t = min(1.0, gap / canvas.px(0.15))  # 0: feet together, 1: well apart
    ux, uy = _unit((bx, by), (ax, ay), (1.0, 0.0))
    w = canvas.px(0.05)  # half the loop's width: a little wider than a foot
    corners = []
    for (fx, fy), (cx, cy), sign in zip(feet, across, (1, -1), strict=True):
        if cx * -uy + cy * ux < 0:  # both wraps turned the same way
            cx, cy = -cx, -cy
        nx, ny = _unit(((1 - t) * cx - t * uy, (1 - t) * cy + t * ux), (0.0, 0.0), (cx, cy))
        corners += [(fx + sign * nx * w, fy + sign * ny * w),
                    (fx - sign * nx * w, fy - sign * ny * w)]
    d = "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in corners) + "Z"
    return (f'<path d="{d}" fill="none" stroke="{BAND}" stroke-width="{canvas.px(0.022):.1f}" '
            'stroke-linejoin="round"/>')


def _straps(figure: Figure, points: geo.Points, canvas: Canvas) -> str:
    """Straps holding the named points down to the bench or the floor."""
    out = []
    r = geo.radii(figure.view)
    for name in figure.strapped:
        x, y, _ = points[name]
        base = geo.BENCH_HEIGHT if figure.place == "bench" else 0.0
        top = y + r.get(name, 0.05) + 0.015
        (px, ptop), (_, pbase) = canvas.xy((x, top)), canvas.xy((x, base + 0.04))
        out.append(f'<rect x="{px - canvas.px(0.022):.1f}" y="{ptop}" '
                   f'width="{canvas.px(0.044):.1f}" height="{pbase - ptop:.1f}" rx="2" '
                   f'fill="{STRAP}" opacity="0.85"/>')
    return "".join(out)


# --- arrows and key frames ---------------------------------------------------------------

def _clearance(point: str) -> float:
    """How far an arrow is drawn off the body beside a moving point, in metres: clear of
    the head for the head and face, clear of the limb for the rest."""
    return geo.HEAD_R + 0.05 if point in ("head", "face") else 0.07


def _arrow(way: Sequence[geo.Point], canvas: Canvas, middle: Pt, clear: float = 0.07) -> str:
    """An arrow along the real path of a point, moved ``clear`` m off the body (away from
    its ``middle``) so the limb or head does not hide it, and pulled in a little at both
    ends."""
    pts = [canvas.xy(p) for p in way]
    ox, oy = _unit(pts[-1], canvas.xy(middle), (0.0, -1.0))
    shift = canvas.px(clear)
    pts = [(x + ox * shift, y + oy * shift) for x, y in pts]
    length = sum(math.dist(a, b) for a, b in itertools.pairwise(pts))
    if length < 18:  # too short to see along its path: a straight arrow, lengthened
        (x0, y0), (x1, y1) = pts[0], pts[-1]
        n = math.hypot(x1 - x0, y1 - y0) or 1.0
        dx, dy = (x1 - x0) / n, (y1 - y0) / n
        side = canvas.px(0.16) * (1.0 if dx * oy - dy * ox >= 0 else -1.0)  # beside, away
        x0, y0 = x0 - dy * side, y0 + dx * side
        pts = [(x0 - dx * 9, y0 - dy * 9), (x0 + dx * 13, y0 + dy * 13)]
        length = 22.0
    trimmed = _trim(pts, min(6.0, length * 0.15), min(10.0, length * 0.2))
    d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in trimmed)
    return (f'<path d="{d}" fill="none" stroke="#ffffff" stroke-width="6" '
            f'stroke-linecap="round" stroke-linejoin="round" opacity="0.8"/>'
            f'<path d="{d}" fill="none" stroke="{ARROW}" stroke-width="3" '
            'stroke-linejoin="round" marker-end="url(#bc-arrow)"/>')


def _trim(pts: Sequence[Pt], start: float, end: float) -> list[Pt]:
    def cut(seq: Sequence[Pt], amount: float) -> list[Pt]:
        out = list(seq)
        while len(out) > 2 and amount > 0:
            step = math.dist(out[0], out[1])
            if step > amount:
                t = amount / step
                out[0] = (out[0][0] + (out[1][0] - out[0][0]) * t,
                          out[0][1] + (out[1][1] - out[0][1]) * t)
                return out
            amount -= step
            out.pop(0)
        return out

    return list(reversed(cut(list(reversed(cut(pts, start))), end)))


_DEFS = (f'<defs><marker id="bc-arrow" viewBox="0 0 10 10" refX="6" refY="5" markerWidth="4" '
         f'markerHeight="4" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
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


def _styles(figure: Figure, first: geo.Points) -> dict[str, str]:
    return {side: _hand_style(figure, first, side) for side in SIDES}


def _hidden(figure: Figure) -> frozenset[str]:
    return frozenset().union(*(p.hidden for p in geo.poses(figure)))


def _frame(figure: Figure, pose: geo.Pose, points: geo.Points, canvas: Canvas, width: float,
           before: geo.Points | None, ways: Sequence[geo.Path], styles: Mapping[str, str],
           ) -> str:
    """One key frame: props, the frame before as a ghost, the body, props on top, arrows."""
    hidden = _hidden(figure)
    parts = _parts(figure, pose, points, canvas, styles, hidden)
    out = [_props_behind(figure, points, canvas, width)]
    if before is not None:
        out += [_draw_part(p, ghost=True)
                for p in _ghosts(figure, pose, before, points, canvas, styles, hidden)]
    out += [_draw_part(p) for p in parts]
    if "bar" in figure.props:
        out.append(_fingers(points, canvas, styles))
    if figure.zoom_face:
        out.append(_face_inset(figure, pose, points, canvas, styles, hidden))
    out += [_band(figure, points, canvas), _straps(figure, points, canvas)]
    flat = [geo.project(p, figure.view) for p in points.values()]
    middle = (sum(x for x, _ in flat) / len(flat), sum(y for _, y in flat) / len(flat))
    out += [_arrow(w.points, canvas, middle, _clearance(w.point)) for w in ways]
    return "".join(out)


INSET_R, INSET_ZOOM = 0.26, 2.1  # the magnified face: its circle (m), its magnification


def _inset_centre(figure: Figure, points: geo.Points) -> tuple[float, float]:
    """Where the magnified face is drawn: ahead of the head, a little below it."""
    x, y = geo.project(points["head"], figure.view)
    return x + geo.HEAD_R + 0.18 + INSET_R, y - 0.12


def _face_inset(figure: Figure, pose: geo.Pose, points: geo.Points, canvas: Canvas,
                styles: Mapping[str, str], hidden: frozenset[str]) -> str:
    """The head drawn again, magnified, in a circle beside it and linked to it (the way
    printed sheets show a detail), so the eyes can be read at any size."""
    hx, hy = geo.project(geo.mix(points["head"], points["face"], 0.3), figure.view)
    (cx, cy), (sx, sy) = canvas.xy(_inset_centre(figure, points)), canvas.xy(points["head"])
    big, small = canvas.px(INSET_R), canvas.px(geo.HEAD_R * 1.3)
    zoom = Canvas(figure.view, hx, hy, canvas.scale * INSET_ZOOM, cx, cy)
    clip = f"bc-inset-{figure.id}-{cx:.0f}-{cy:.0f}-{big:.0f}"  # the same drawing, the same id
    inside = "".join(_draw_part(p, weight=1.6)
                     for p in _parts(figure, pose, points, zoom, styles, hidden))
    links = "".join(f'<line x1="{sx:.1f}" y1="{sy + k * small:.1f}" x2="{cx:.1f}" '
                    f'y2="{cy + k * big:.1f}" stroke="{PROP}" stroke-width="1.2"/>'
                    for k in (-1, 1))
    return (f'<g class="bc-inset"><clipPath id="{clip}"><circle cx="{cx:.1f}" cy="{cy:.1f}" '
            f'r="{big:.1f}"/></clipPath>{links}'
            f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="{small:.1f}" fill="none" stroke="{PROP}" '
            f'stroke-width="1.2"/><circle cx="{cx:.1f}" cy="{cy:.1f}" r="{big:.1f}" '
            f'fill="#ffffff"/><g clip-path="url(#{clip})">{inside}</g>'
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{big:.1f}" fill="none" stroke="{PROP}" '
            'stroke-width="1.5"/></g>')


def _ghosts(figure: Figure, pose: geo.Pose, before: geo.Points, points: geo.Points,
            canvas: Canvas, styles: Mapping[str, str], hidden: frozenset[str]) -> list[Part]:
    """The frame before, drawn pale where the movement is. When a moving point is on the
    trunk or head, the whole body moves: every part that moved is shown where it was. When
    only limbs move, just those limbs are shown, hung from where their shoulder or hip is
    now, so the ghost lines up with the body and shows the limb's own change."""
    moved = _moved(figure, before, points)
    limbs = {_limb_of(name) for name in figure.moving}
    if None in limbs:
        old = _parts(figure, pose, before, canvas, styles, hidden)
        return [p for p in old if p.name in moved]
    out = []
    for limb in sorted(n for n in limbs if n is not None and n in moved):
        side, kind = limb.split("_")
        root = f"{side}_{'shoulder' if kind == 'arm' else 'hip'}"
        shift = tuple(now - then for now, then in zip(points[root], before[root], strict=True))
        aligned = {k: (x + shift[0], y + shift[1], z + shift[2])
                   for k, (x, y, z) in before.items()}
        out += [p for p in _parts(figure, pose, aligned, canvas, styles, hidden)
                if p.name == limb]
    return out


def _limb_of(point: str) -> str | None:
    """The limb a named point belongs to ("right_knee" -> "right_leg"), or None for the
    trunk and head."""
    side, _, joint = point.partition("_")
    if side not in SIDES:
        return None
    return f"{side}_{'arm' if joint in ('shoulder', 'elbow', 'wrist', 'hand') else 'leg'}"


def _moved(figure: Figure, a: geo.Points, b: geo.Points) -> set[str]:
    """The parts with a point that moved more than 3 cm between two frames."""
    groups = {"trunk": ("hip", "sacrum", "waist", "neck"), "head": ("head", "face"),
              **{f"{s}_arm": (f"{s}_elbow", f"{s}_hand") for s in SIDES},
              **{f"{s}_leg": (f"{s}_knee", f"{s}_ankle", f"{s}_toe") for s in SIDES}}
    return {g for g, names in groups.items()
            if any(n in a and n in b and math.dist(a[n], b[n]) > 0.03 for n in names)}


def key_frames_svg(figure: Figure, *, least: float = FRAME_PX, captions: bool = True,
                   only: Sequence[int] | None = None, max_width: float = MAX_WIDTH) -> str:
    """Every key frame (or those ``only`` names) in one picture at one scale: each later
    frame with the frame before it as a ghost and an arrow along the real path of what
    moves, and each with its caption; frames wrap into rows to stay ``max_width`` wide."""
    frames = geo.placed(figure)
    poses = geo.poses(figure)
    layout = _layout(figure, frames, least)
    chosen = list(range(len(frames))) if only is None else [i % len(frames) for i in only]
    cell_w = max([layout.width] + [0.56 * CAPTION_FONT * len(_caption(figure, i)) + 8
                                   for i in chosen if captions])
    cols = max(1, min(len(chosen), int((max_width - PAD) // (cell_w + PAD))))
    rows = math.ceil(len(chosen) / cols)
    cell_h = layout.height + (CAPTION if captions else 0) + PAD
    styles = _styles(figure, frames[0])
    ways = geo.paths(figure)
    panels = []
    for n, i in enumerate(chosen):
        left = PAD + (n % cols) * (cell_w + PAD) + (cell_w - layout.width) / 2
        top = PAD + (n // cols) * cell_h
        canvas = layout.canvas.at(left, top)
        before = frames[i - 1] if i > 0 else None
        body = _frame(figure, poses[i], frames[i], canvas, layout.width, before,
                      [w for w in ways if w.frame == i], styles)
        if captions:
            body += (f'<text x="{left + layout.width / 2:.1f}" '
                     f'y="{top + layout.height + 23:.1f}" fill="{LABEL}" '
                     f'font-family="sans-serif" font-size="{CAPTION_FONT}" text-anchor="middle">'
                     f"{escape(_caption(figure, i))}</text>")
        panels.append(f'<g class="bc-frame">{body}</g>')
    width = PAD + cols * (cell_w + PAD)
    height = PAD + rows * cell_h
    return _open(width, height, geo.alt_text(figure)) + "".join(panels) + "</svg>"


def _caption(figure: Figure, i: int) -> str:
    name = figure.frames[i].name.capitalize()
    return f"{i + 1}. {name}" if len(figure.frames) > 1 else name


def moves(figure: Figure) -> bool:
    """Whether the figure has motion worth animating (more than one distinct key frame)."""
    return len(set(map(_signature, geo.poses(figure)))) > 1


def _signature(pose: geo.Pose) -> tuple[object, ...]:
    return (pose.trunk, pose.low_back, pose.upper_back, pose.neck, pose.shrug,
            tuple(pose.arms.values()), tuple(pose.legs.values()))


# --- animation ----------------------------------------------------------------------------

def animated_svg(figure: Figure, seconds: float = 2.4, labelled: bool = True,
                 least: float = FRAME_PX, captions: bool = True) -> str:
    """The key frames in motion: plays twice (under 5 s) and again on a click or tap.

    The body moves through the real in-between poses, holds each key frame briefly and
    comes back to the start; the caption of the key frame it is in shows below, and none on
    the way back or once it stops (the still beside it names every step once).
    ``labelled=False`` hides it from screen readers, for use beside the labelled still;
    ``captions=False`` leaves the captions out (a slide shows them as text beside it).
    """
    frames = geo.placed(figure)
    poses = geo.poses(figure)
    layout = _layout(figure, frames, least)
    canvas = layout.canvas.at(PAD, PAD)
    steps = 6
    legs = geo.motion(figure, steps, cycle=True)
    styles = _styles(figure, frames[0])
    hidden = _hidden(figure)
    # the poses in time order, with each key frame held: (time, points, key frame shown)
    hold, move = 0.35 / len(legs), 0.65 / len(legs)
    timeline: list[tuple[float, geo.Points, int]] = []
    for k, samples in enumerate(legs):
        start = k * (hold + move)
        timeline.append((start, samples[0], k))
        for j in range(steps + 1):  # no caption on the way back to the start (-1): each
            after = k + 1 if k + 1 < len(frames) else -1  # caption matches its pose
            timeline.append((start + hold + move * j / steps, samples[j],
                             k if j < steps / 2 else after))
    times = ";".join(f"{t:.3f}" for t, _, _ in timeline)
    ident = f"bc-anim-{figure.id}-{next(_serial)}"  # unique, so each copy replays itself
    timing = (f'keyTimes="{times}" dur="{seconds}s" begin="0s;{ident}.click" '
              'repeatCount="2"')

    def shapes_at(points: geo.Points) -> list[Part]:
        pose = poses[0]
        return _parts(figure, pose, points, canvas, styles, hidden)

    series = [shapes_at(points) for _, points, _ in timeline]
    defs, uses = [], []
    first = series[0]
    for p, part in enumerate(first):
        ids = []
        for s, shape in enumerate(part.shapes):
            pid = f"{ident}-{p}-{s}"
            values = ";".join(_find(series_part, part.name).shapes[s] for series_part in series)
            defs.append(f'<path id="{pid}" d="{shape}"><animate attributeName="d" '
                        f'values="{values}" {timing}/></path>')
            ids.append(pid)
        uses.append("".join(f'<use href="#{i}" fill="{part.ink}" stroke="{part.ink}" '
                            f'stroke-width="{2 * OUTLINE}"/>' for i in ids)
                    + "".join(f'<use href="#{i}" fill="{f}"/>'
                              for i, f in zip(ids, part.fills, strict=True)))
        for d, (_, fill, stroke) in enumerate(part.details):
            values = ";".join(_find(sp, part.name).details[d][0] for sp in series)
            uses.append(f'<path d="{part.details[d][0]}" fill="{fill}" stroke="{stroke}" '
                        f'stroke-width="1.3"><animate attributeName="d" values="{values}" '
                        f'{timing}/></path>')
    labels = []
    for k in range(len(frames) if captions else 0):
        shown = ";".join("1" if key == k else "0" for _, _, key in timeline)
        labels.append(
            f'<text x="{PAD + layout.width / 2:.1f}" y="{PAD + layout.height + 23:.1f}" '
            f'fill="{LABEL}" font-family="sans-serif" font-size="{CAPTION_FONT}" '
            'text-anchor="middle" '
            f'opacity="0">{escape(_caption(figure, k))}'
            f'<animate attributeName="opacity" values="{shown}" calcMode="discrete" {timing}/>'
            "</text>")
    width = layout.width + 2 * PAD
    height = layout.height + (CAPTION if captions else 0) + 2 * PAD
    props = _props_behind(figure, frames[0], canvas, layout.width)
    on_top = _band_animated(figure, timeline, canvas, timing)
    if "bar" in figure.props:
        on_top += _fingers(frames[0], canvas, styles)
    alt = geo.alt_text(figure) + " Animation: plays twice; click or tap it to play again."
    return (_open(width, height, alt if labelled else None,
                  f' id="{ident}" style="cursor:pointer"')
            + f"<defs>{''.join(defs)}</defs>" + props + "".join(uses) + on_top
            + "".join(labels) + "</svg>")


def _find(parts: Sequence[Part], name: str) -> Part:
    return next(p for p in parts if p.name == name)


def _band_animated(figure: Figure, timeline: Sequence[tuple[float, geo.Points, int]],
                   canvas: Canvas, timing: str) -> str:
    first = _band(figure, timeline[0][1], canvas)
    if not first:
        return ""
    values = ";".join(_band(figure, points, canvas).split('d="')[1].split('"')[0]
                      for _, points, _ in timeline)
    return first.replace("/>", f'><animate attributeName="d" values="{values}" {timing}/>'
                         "</path>")


# --- HTML -----------------------------------------------------------------------------------

def as_img(svg: str, alt: str, css_class: str = "bc-figure") -> str:
    """An SVG as an <img> with alt text (works in notebooks, slides, handouts and reports)."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<img class="{css_class}" src="data:image/svg+xml;base64,{data}" '
            f'alt="{escape(alt)}">')


def figure_html(figure: Figure, animate: bool = True, large: bool = False) -> str:
    """The key frames as an image, and the animation beside it where there is motion;
    ``large`` draws the animation twice the usual size first (the session player).
    ``data-figure`` names the figure, so slides and printed pages can show it as
    :func:`framed_figure_html`."""
    static = as_img(key_frames_svg(figure), geo.alt_text(figure))
    named = f'data-figure="{escape(figure.id)}"'
    if not (animate and moves(figure)):
        if large:
            static = as_img(key_frames_svg(figure, least=2 * FRAME_PX), geo.alt_text(figure))
        return f'<div class="bc-figures" {named}>{static}</div>'
    moving = animated_svg(figure, labelled=False, least=2 * FRAME_PX if large else FRAME_PX)
    if large:
        return f'<div class="bc-figures bc-large" {named}>{moving}{static}</div>'
    return f'<div class="bc-figures" {named}>{static}{moving}</div>'


MOTION = "In motion (click to replay)"  # under the animation on a slide


def framed_figure_html(figure: Figure, animate: bool = True) -> str:
    """The figure as slides and printed pages show it: each key frame its own picture with
    its caption as text under it (read from the back of a room, or on paper), and the
    animation beside them, named as the animation, in one row. Each part carries its width
    over height (``--bc-aspect``) so a stylesheet can size the row to one height. Screen
    readers get one picture with the same alt text as :func:`figure_html` (the captions are
    in it)."""
    layout = _layout(figure, geo.placed(figure), FRAME_PX)
    aspect = (layout.width + 2 * PAD) / (layout.height + 2 * PAD)
    frames = "".join(
        f'<figure class="bc-frame" style="--bc-aspect:{aspect:.3f}">'
        f'{as_img(key_frames_svg(figure, captions=False, only=[i]), "")}'
        f"<figcaption>{escape(_caption(figure, i))}</figcaption></figure>"
        for i in range(len(figure.frames)))
    parts = [f'<div class="bc-frames" role="img" aria-label="{escape(geo.alt_text(figure))}" '
             f'style="--bc-aspect:{aspect * len(figure.frames):.3f}">{frames}</div>']
    if animate and moves(figure):
        parts.append(f'<figure class="bc-motion" aria-hidden="true" '
                     f'style="--bc-aspect:{aspect:.3f}">'
                     f"{animated_svg(figure, labelled=False, captions=False)}"
                     f"<figcaption>{MOTION}</figcaption></figure>")
    total = aspect * (len(figure.frames) + len(parts) - 1)
    return (f'<div class="bc-figures bc-row" data-figure="{escape(figure.id)}" '
            f'style="--bc-aspect:{total:.3f}">{"".join(parts)}</div>')


def thumbnail_html(figure: Figure, label: str) -> str:
    """A small picture of a figure's last key frame for a list; a click (or Enter) opens
    the whole figure below it."""
    thumb = as_img(key_frames_svg(figure, least=THUMB_PX, captions=False, only=[-1]),
                   geo.alt_text(figure), "bc-thumb")
    return (f'<details class="bc-zoom"><summary title="Show the whole figure">{thumb}'
            f'<span class="bc-zoom-hint">Show every step<span class="bc-sr">: '
            f"{escape(label)}</span></span></summary>"
            f"{figure_html(figure, animate=False)}</details>")


def figure_for(course: Course, item_id: str) -> Figure:
    """The figure of a move or self-test, by id."""
    found = next((f for f in course.figures if f.id == item_id), None)
    if found is None:
        raise KeyError(f"no figure for {item_id!r} in data/poses.yaml")
    return found


def contact_sheet(course: Course, out: Path, blind: bool = False) -> list[Path]:
    """Every figure as SVG files (key frames, and the animation where there is motion) plus
    ``index.html``, a contact sheet to review them all at a glance.

    ``blind`` numbers the figures in a shuffled order without names, captions or alt text
    (for a reviewer who should name each movement from the picture alone) and writes the
    answers to ``key.txt``.
    """
    folder(out)
    names = {m.id: f"{x.name}: {m.name}" for x in course.exercises for r in x.rungs
             for m in r.moves}
    names.update({t.id: f"Self-test: {t.name}" for t in course.battery})
    from backcourse.render.pages import page  # Jinja2 only when a sheet is written

    order = list(course.figures)
    if blind:
        order.sort(key=lambda f: _scramble(f.id))
    written, cards = [], []
    for n, figure in enumerate(order, start=1):
        stem = f"figure-{n:02d}" if blind else figure.id
        path = out / f"{stem}.svg"
        path.write_text(key_frames_svg(figure, captions=not blind), encoding="utf-8")
        written.append(path)
        animation = None
        if moves(figure) and not blind:
            moving = out / f"{stem}-animated.svg"
            moving.write_text(animated_svg(figure), encoding="utf-8")
            written.append(moving)
            animation = moving.name
        cards.append({"src": path.name, "alt": "" if blind else geo.alt_text(figure),
                      "animation": animation,
                      "name": f"Figure {n}" if blind else names.get(figure.id, figure.id)})
    if blind:
        (out / "key.txt").write_text("".join(
            f"{n}\t{f.id}\t{names.get(f.id, f.id)}\n" for n, f in enumerate(order, start=1)),
            encoding="utf-8")
    index = out / "index.html"
    index.write_text(page("contact_sheet.html.j2", title="backcourse: every exercise figure",
                          stylesheet=None, cards=cards), encoding="utf-8")
    return [index, *written]


def _scramble(text: str) -> int:
    """A fixed shuffle that does not follow the course's order."""
    value = 2166136261
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 16777619) % 2**32
    return value

