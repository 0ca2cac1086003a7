"""Exercise figures as geometry: joint angles from ``data/poses.yaml`` to points in metres.

Pure and deterministic. A figure's key frames are resolved (each frame inherits what it
does not change), checked against anatomical ranges, posed by forward kinematics, placed
on the floor, a bar or a bench, and described in words for alt text. Points are 3-D:
x along the picture, y up from the floor, z toward the viewer. In the side view the body
faces right and its right side is near; in the front view it faces the viewer, and the
picture shows depth obliquely (:func:`project`), so a knee bent behind the body is seen.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple, TypeVar

from backcourse.core.poses import (
    JOINTS,
    SIDES,
    SPINE,
    ArmPose,
    Figure,
    Frame,
    JointRanges,
    LegPose,
)

# Segment lengths in metres for a person about 1.75 m tall.
PELVIS, LUMBAR, CHEST = 0.10, 0.16, 0.26  # hip joints to low back, to waist, to neck
TRUNK = PELVIS + LUMBAR + CHEST
NECK, HEAD_R = 0.08, 0.11
UPPER_ARM, FOREARM, HAND = 0.30, 0.27, 0.07  # the forearm ends in the middle of the hand
THIGH, SHANK, FOOT, HEEL = 0.43, 0.43, 0.16, 0.05
SHOULDER_DROP, SHOULDER_BACK, FACE_AHEAD = 0.05, 0.04, 0.03
HALF_SHOULDERS, HALF_HIPS = 0.17, 0.09  # from the midline to each joint
BAR_HEIGHT, BENCH_HEIGHT, CUSHION, CLEARANCE = 2.3, 0.75, 0.06, 0.0  # an exam bench
FEET_OFF = 0.12  # a hang's feet just clear the floor: the bar is set no higher than that
OBLIQUE = (0.34, 0.3)  # front view: 1 m behind the body's plane is drawn this far right, up

Point = tuple[float, float, float]
Points = Mapping[str, Point]


class Segment(NamedTuple):
    """A part of the body drawn as a tapered limb: from one point to another, with radii."""

    name: str
    start: str
    end: str
    r_start: float
    r_end: float


_TRUNK = {
    "side": (Segment("pelvis", "hip", "sacrum", 0.115, 0.1),
             Segment("lumbar", "sacrum", "waist", 0.09, 0.088),
             Segment("chest", "waist", "neck", 0.1, 0.105)),
    "front": (Segment("pelvis", "hip", "sacrum", 0.15, 0.13),
              Segment("lumbar", "sacrum", "waist", 0.12, 0.12),
              Segment("chest", "waist", "neck", 0.13, 0.15)),
}
_LIMBS = {
    "upper_arm": ("shoulder", "elbow", 0.056, 0.042),
    "forearm": ("elbow", "wrist", 0.04, 0.028),
    "hand": ("wrist", "hand", 0.03, 0.036),
    "thigh": ("hip", "knee", 0.085, 0.056),
    "shank": ("knee", "ankle", 0.054, 0.033),
    "foot": ("heel", "toe", 0.034, 0.02),
}
#: what a hidden segment takes with it (a hidden forearm hides the hand too)
_HIDES = {"upper_arm": ("upper_arm",), "forearm": ("forearm", "hand"), "thigh": ("thigh",),
          "shank": ("shank", "foot"), "foot": ("foot",)}
_ENDS = {"forearm": ("wrist", "hand"), "shank": ("ankle", "toe", "heel"),
         "foot": ("toe", "heel")}


def segments(view: str, hidden: frozenset[str] = frozenset()) -> list[Segment]:
    """The body's visible parts: the trunk (pelvis, low back, chest), the neck, then each
    side's arm and leg, with the radius at each end."""
    out = [*_TRUNK[view], Segment("neck", "neck", "head_base", 0.05, 0.046)]
    for side in SIDES:
        gone = {part for name, parts in _HIDES.items() if f"{side}_{name}" in hidden
                for part in parts}
        out += [Segment(f"{side}_{name}", f"{side}_{a}", f"{side}_{b}", r0, r1)
                for name, (a, b, r0, r1) in _LIMBS.items() if name not in gone]
    return out


@dataclasses.dataclass(frozen=True)
class Arm:
    shoulder: float = 0.0
    elbow: float = 0.0
    twist: float = 0.0


@dataclasses.dataclass(frozen=True)
class Leg:
    hip: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0
    forward: float = 0.0


@dataclasses.dataclass(frozen=True)
class Pose:
    """Every angle of one key frame, after inheriting from the frames before it."""

    name: str
    trunk: float
    low_back: float
    upper_back: float
    neck: float
    shrug: float
    arms: Mapping[str, Arm]
    legs: Mapping[str, Leg]
    hidden: frozenset[str]

    @property
    def chest(self) -> float:
        """The lean of the ribcage: the pelvis's lean plus the bend of the spine."""
        return self.trunk + self.low_back + self.upper_back

    def angle(self, joint: str, side: str) -> float:
        if joint in SPINE:
            spine: float = getattr(self, joint)
            return spine
        limb: Arm | Leg = (self.arms[side] if joint in ("shoulder", "elbow", "twist")
                           else self.legs[side])
        value: float = getattr(limb, joint)
        return value


L = TypeVar("L", Arm, Leg)


def _merge(old: L, *changes: ArmPose | LegPose | None) -> L:
    for new in changes:
        if new is not None:
            old = dataclasses.replace(old, **{k: v for k, v in dataclasses.asdict(new).items()
                                              if v is not None})
    return old


def poses(figure: Figure) -> list[Pose]:
    """The key frames with every angle filled in (a frame keeps what it does not change)."""
    arms = {s: Arm() for s in SIDES}
    legs = {s: Leg() for s in SIDES}
    values = dict.fromkeys(("trunk", "low_back", "upper_back", "neck", "shrug"), 0.0)
    hidden: frozenset[str] = frozenset()
    out = []
    for frame in figure.frames:
        for key, old in values.items():
            new = getattr(frame, key)
            values[key] = old if new is None else new
        for side in SIDES:
            arms[side] = _merge(arms[side], frame.arms, _side(frame, side, "arm"))
            legs[side] = _merge(legs[side], frame.legs, _side(frame, side, "leg"))
        hidden = hidden | frozenset(frame.hidden)
        out.append(Pose(frame.name, arms=dict(arms), legs=dict(legs), hidden=hidden, **values))
    return out


def _side(frame: Frame, side: str, limb: str) -> ArmPose | LegPose | None:
    value: ArmPose | LegPose | None = getattr(frame, f"{side}_{limb}")
    return value


def between(a: Pose, b: Pose, t: float) -> Pose:
    """The pose a fraction ``t`` of the way from ``a`` to ``b`` (every angle moves evenly)."""
    def mix(x: float, y: float) -> float:
        return x + (y - x) * t

    return Pose(
        b.name if t >= 0.5 else a.name,
        **{k: mix(getattr(a, k), getattr(b, k))
           for k in ("trunk", "low_back", "upper_back", "neck", "shrug")},
        arms={s: Arm(*(mix(x, y) for x, y in zip(dataclasses.astuple(a.arms[s]),
                                                  dataclasses.astuple(b.arms[s]), strict=True)))
              for s in SIDES},
        legs={s: Leg(*(mix(x, y) for x, y in zip(dataclasses.astuple(a.legs[s]),
                                                  dataclasses.astuple(b.legs[s]), strict=True)))
              for s in SIDES},
        hidden=a.hidden | b.hidden,
    )


def range_problems(figure: Figure, ranges: Sequence[JointRanges]) -> Iterator[tuple[str, str]]:
    """Every joint angle outside the anatomical range for the figure's view."""
    limits = next((r for r in ranges if r.view == figure.view), None)
    if limits is None:
        yield "view", f"no joint ranges for the {figure.view} view"
        return
    for i, pose in enumerate(poses(figure)):
        for joint in JOINTS:
            low, high = getattr(limits, joint)
            for side in (("",) if joint in SPINE else SIDES):
                value = pose.angle(joint, side)
                if not low <= value <= high:
                    where = joint.replace("_", " ") if joint in SPINE else f"{side} {joint}"
                    yield (f"frames[{i}]", f"{where} at {value:g}° is outside the "
                           f"{figure.view}-view range {low:g}° to {high:g}° ({pose.name})")


# --- geometry ---------------------------------------------------------------------------

def _dir(angle: float, out: float = 0.0) -> Point:
    """A unit vector: ``angle`` in the picture (0 = down, 90 = right, 180 = up), turned
    ``out`` degrees toward the viewer."""
    a, o = math.radians(angle), math.radians(out)
    return math.sin(a) * math.cos(o), -math.cos(a) * math.cos(o), math.sin(o)


def _go(start: Point, direction: Point, length: float) -> Point:
    return (start[0] + direction[0] * length, start[1] + direction[1] * length,
            start[2] + direction[2] * length)


def _sum(a: Point, b: Point, wa: float = 1.0, wb: float = 1.0) -> Point:
    return a[0] * wa + b[0] * wb, a[1] * wa + b[1] * wb, a[2] * wa + b[2] * wb


def mix(a: Point, b: Point, t: float) -> Point:
    """The point a fraction ``t`` of the way from ``a`` to ``b``."""
    return _sum(a, b, 1 - t, t)


_TOWARD = (0.0, 0.0, 1.0)


def skeleton(pose: Pose, view: str) -> dict[str, Point]:
    """Every named point of the pose, with the hip joints' midpoint at the origin."""
    front = view == "front"
    leans = (pose.trunk, pose.trunk + pose.low_back, pose.chest)
    hip: Point = (0.0, 0.0, 0.0)
    sacrum = _go(hip, _dir(180 - leans[0]), PELVIS)
    waist = _go(sacrum, _dir(180 - leans[1]), LUMBAR)
    up = 180 - pose.chest
    neck = _go(waist, _dir(up), CHEST)
    shoulder = _go(neck, _dir(-pose.chest), SHOULDER_DROP - pose.shrug / 100)
    head_up = up - pose.neck
    head = _go(neck, _dir(head_up), NECK + HEAD_R)
    if front:
        face = _go(head, _TOWARD, HEAD_R)
    else:  # the shoulder joints sit a little behind the spine, the head a little ahead
        shoulder = _go(shoulder, _dir(up + 90), SHOULDER_BACK)
        head = _go(head, _dir(head_up - 90), FACE_AHEAD)
        face = _go(head, _dir(head_up - 90), HEAD_R)
    points = {"hip": hip, "sacrum": sacrum, "waist": waist, "neck": neck,
              "shoulder": shoulder, "head": head, "face": face,
              "head_base": _go(neck, _dir(head_up), NECK)}
    for side in SIDES:
        sign = 1.0 if side == "right" else -1.0
        if front:  # the right side is on the picture's left
            points[f"{side}_shoulder"] = _go(shoulder, _dir(up + 90 * sign), HALF_SHOULDERS)
            points[f"{side}_hip"] = _go(hip, _dir(180 - leans[0] + 90 * sign), HALF_HIPS)
        else:
            points[f"{side}_shoulder"] = _go(shoulder, _TOWARD, sign * HALF_SHOULDERS)
            points[f"{side}_hip"] = _go(hip, _TOWARD, sign * HALF_HIPS)
        _arm(points, side, pose.arms[side], -pose.chest, front)
        _leg(points, side, pose.legs[side], -leans[0], front)
    return points


def _arm(points: dict[str, Point], side: str, arm: Arm, down: float, front: bool) -> None:
    turn = -1.0 if front and side == "right" else 1.0  # front: abduction turns outward
    upper = down + turn * arm.shoulder
    elbow = _go(points[f"{side}_shoulder"], _dir(upper), UPPER_ARM)
    forearm = _forearm(upper, arm, 180 + down, side, front)
    points[f"{side}_elbow"] = elbow
    points[f"{side}_wrist"] = _go(elbow, forearm, FOREARM - HAND / 2)
    points[f"{side}_hand"] = _go(elbow, forearm, FOREARM)


def _forearm(upper: float, arm: Arm, head: float, side: str, front: bool) -> Point:
    """The forearm's direction: bent ``elbow`` degrees from the upper arm, in a plane that
    ``twist`` turns about the upper arm. Side view: the elbow bends forward in the picture,
    and a twist turns the bend toward the body's midline (90) or backward (180), as hands
    tucked under the low back do; front view: toward the viewer, and a twist turns it toward
    the head (a forearm flat on the floor, pointing ahead and up the body)."""
    e, t = math.radians(arm.elbow), math.radians(arm.twist)
    if front:
        plane = upper + (90 if math.sin(math.radians(head - upper)) >= 0 else -90)
        bend = _sum(_TOWARD, _dir(plane), math.cos(t), math.sin(t))
    else:
        midline = (0.0, 0.0, -1.0 if side == "right" else 1.0)
        bend = _sum(_dir(upper + 90), midline, math.cos(t), math.sin(t))
    return _sum(_dir(upper), bend, math.cos(e), math.sin(e))


def _leg(points: dict[str, Point], side: str, leg: Leg, down: float, front: bool) -> None:
    if front:  # abduction in the picture; hip flexion toward the viewer; the knee bends back
        turn = -1.0 if side == "right" else 1.0
        along = _dir(down + turn * leg.hip)
        f, k, a = (math.radians(v) for v in (leg.forward, leg.knee, leg.ankle))
        thigh = _sum(along, _TOWARD, math.cos(f), math.sin(f))
        back = _sum(along, _TOWARD, math.sin(f), -math.cos(f))
        shank = _sum(thigh, back, math.cos(k), math.sin(k))
        ahead = _sum(thigh, back, math.sin(k), -math.cos(k))
        foot = _sum(ahead, shank, math.cos(a), math.sin(a))
    else:
        angle = down + leg.hip
        thigh, shank = _dir(angle), _dir(angle - leg.knee)
        foot = _dir(angle - leg.knee + 90 - leg.ankle)
    knee = _go(points[f"{side}_hip"], thigh, THIGH)
    ankle = _go(knee, shank, SHANK)
    points[f"{side}_knee"] = knee
    points[f"{side}_ankle"] = ankle
    points[f"{side}_toe"] = _go(ankle, foot, FOOT)
    points[f"{side}_heel"] = _go(ankle, foot, -HEEL)


def project(point: Point, view: str) -> tuple[float, float]:
    """Where a point is drawn, in metres: the side view drops depth; the front view shows
    it obliquely (behind the body is drawn up and to the right)."""
    x, y, z = point
    if view == "side":
        return x, y
    return x - OBLIQUE[0] * z, y - OBLIQUE[1] * z


def visible(points: Points, pose: Pose) -> dict[str, Point]:
    """The points a viewer sees: those at the end of hidden segments are left out."""
    unseen = {f"{side}_{end}" for side in SIDES for segment, ends in _ENDS.items()
              if f"{side}_{segment}" in pose.hidden for end in ends}
    return {k: v for k, v in points.items() if k not in unseen}


def radii(view: str) -> dict[str, float]:
    """How far the body's surface reaches beyond each point (the widest part ending there)."""
    out = {"head": HEAD_R, "face": 0.0}
    for seg in segments(view):
        for name, r in ((seg.start, seg.r_start), (seg.end, seg.r_end)):
            out[name] = max(out.get(name, 0.0), r)
    return out


def bottom(points: Points, view: str, names: Sequence[str] | None = None) -> float:
    """The height of the lowest surface of the named points (all when ``names`` is None)."""
    r = radii(view)
    chosen = names or list(points)
    return min(points[n][1] - r.get(n, 0.0) for n in chosen if n in points)


def bar_height(figure: Figure) -> float:
    """Where a hanging figure's bar is: at most :data:`BAR_HEIGHT`, and low enough that the
    first frame's feet are just off the floor (a body dangling high above it reads badly)."""
    first = visible(skeleton(poses(figure)[0], figure.view), poses(figure)[0])
    return min(BAR_HEIGHT, _hands(first)[1] - bottom(first, figure.view) + FEET_OFF)


def _anchor(figure: Figure, first: Points) -> tuple[float, float]:
    if figure.place == "bar":
        return -_hands(first)[0], bar_height(figure) - _hands(first)[1]
    if figure.place == "bench":
        return 0.0, BENCH_HEIGHT + CLEARANCE - bottom(first, figure.view, figure.rests_on)
    lift = CLEARANCE - bottom(first, figure.view)
    if "cushion" in figure.props:  # the hip bones rest on the cushion
        lift = max(lift, CUSHION - bottom(first, figure.view, ["hip"]))
    return 0.0, lift


def _hands(points: Points) -> tuple[float, float]:
    return ((points["left_hand"][0] + points["right_hand"][0]) / 2,
            (points["left_hand"][1] + points["right_hand"][1]) / 2)


def _place(figure: Figure, points: Points, anchor: tuple[float, float]) -> dict[str, Point]:
    dx, dy = anchor
    if figure.place == "bar":  # the hands stay on the bar
        x, y = _hands(points)
        dx, dy = -x, bar_height(figure) - y
    elif figure.place == "floor":  # nothing sinks into the floor
        dy = max(dy, CLEARANCE - bottom(points, figure.view))
    return {k: (x + dx, y + dy, z) for k, (x, y, z) in points.items()}


def placed(figure: Figure) -> list[dict[str, Point]]:
    """Every key frame's points in metres, the floor at y = 0, as the figure is placed.

    floor: the lowest surface of the first frame rests on the floor; bar: the hands hold a
    bar; bench: the ``rests_on`` points lie on a bench top. Later frames keep the anchor:
    the hands stay on the bar, the hip stays put on a bench, and on the floor the hip stays
    put unless a frame would push a part into the floor, which lifts the body instead.
    """
    return _placed_poses(figure, poses(figure))


def _placed_poses(figure: Figure, chosen: Sequence[Pose]) -> list[dict[str, Point]]:
    frames = [visible(skeleton(p, figure.view), p) for p in chosen]
    anchor = _anchor(figure, visible(skeleton(poses(figure)[0], figure.view),
                                     poses(figure)[0]))
    return [_place(figure, points, anchor) for points in frames]


def motion(figure: Figure, steps: int = 8, cycle: bool = False) -> list[list[dict[str, Point]]]:
    """For each key frame after the first, the placed points along the way from the frame
    before to it (``steps`` + 1 poses, both key frames included); with ``cycle``, also the
    way from the last key frame back to the first."""
    keys = poses(figure)
    pairs = list(zip(keys, keys[1:], strict=False))
    if cycle and len(keys) > 1:
        pairs.append((keys[-1], keys[0]))
    return [_placed_poses(figure, [between(a, b, i / steps) for i in range(steps + 1)])
            for a, b in pairs]


class Path(NamedTuple):
    """The real path of a moving point from one key frame (``frame`` - 1) to the next."""

    point: str
    frame: int
    points: list[Point]


def paths(figure: Figure, least: float = 0.05) -> list[Path]:
    """The path of each ``moving`` point into each key frame where it moves ``least`` m,
    unless it only goes back to where it was in the first frame (the ghost shows that).
    A ``loop`` figure's points trace small squares: the last frame gets each one's square,
    as high as the point rises, from where it starts and out away from the body."""
    if figure.loop:
        frames = placed(figure)
        out = []
        for name in figure.moving:
            (x, y, z), rise = frames[0][name], frames[-1][name][1] - frames[0][name][1]
            away = abs(rise) if x > frames[0]["hip"][0] else -abs(rise)
            corners = [(x, y, z), (x, y + rise, z), (x + away, y + rise, z), (x + away, y, z)]
            out.append(Path(name, len(frames) - 1, [*corners, corners[0]]))
        return out
    out = []
    legs = motion(figure)
    for name in figure.moving:
        home = legs[0][0].get(name) if legs else None
        for i, samples in enumerate(legs, start=1):
            way = [s[name] for s in samples if name in s]
            back = i > 1 and home is not None and math.dist(way[-1], home) < least
            if len(way) == len(samples) and math.dist(way[0], way[-1]) > least and not back:
                out.append(Path(name, i, way))
    return out

# --- words ------------------------------------------------------------------------------

def _upright(pose: Pose) -> bool:
    return abs(pose.trunk) < 45


def _leg_words(pose: Pose, side: str, view: str) -> str:
    leg = pose.legs[side]
    if view == "front":
        if leg.knee >= 45:
            return f"{side} knee bent"
        return f"{side} foot in front" if leg.forward >= 5 else f"{side} leg straight"
    if _upright(pose):
        if leg.hip >= 100:
            return f"{side} knee raised above hip height"
        if leg.hip >= 75:
            return f"{side} knee raised to hip height"
        if leg.hip >= 30:
            return f"{side} knee raised partway"
        if leg.knee >= 45:
            return f"{side} foot lifted behind"
        return f"{side} leg straight"
    if pose.trunk > 0:  # face down or on hands and knees
        if leg.hip >= 60:
            return f"{side} knee on the floor under the hip"
        return f"{side} leg reaching back"
    if leg.hip >= 110:
        return f"{side} knee hugged to the chest"
    if leg.hip >= 75:
        return f"{side} hip and knee bent to about a right angle"
    if leg.hip < 20 and leg.knee >= 60:
        return f"{side} leg hanging from the knee"
    return f"{side} knee bent, foot flat" if leg.knee >= 45 else f"{side} leg straight"


def _arm_words(pose: Pose, side: str, view: str) -> str:
    arm = pose.arms[side]
    if view == "front" and not _upright(pose) and 30 <= arm.shoulder <= 110:
        return f"propped on the {side} forearm"
    if view == "side" and pose.trunk <= -45 and arm.twist >= 60:  # on the back, tucked in
        if arm.shoulder >= 12:
            return f"{side} elbow lifted off the floor"
        return f"{side} hand under the low back"
    if arm.shoulder >= 150:
        return f"{side} arm reaching {'overhead' if _upright(pose) else 'forward'}"
    if arm.shoulder >= 60 and pose.trunk > 45:
        return f"{side} hand on the floor under the shoulder"
    if arm.shoulder >= 60:
        return f"{side} arm forward"
    if arm.elbow >= 120:
        return f"{side} arm across the chest"
    return f"{side} arm by the side"


def _trunk_words(pose: Pose, view: str) -> str:
    if view == "front":
        lifted = all(abs(leg.hip) < 5 for leg in pose.legs.values())
        return "hips lifted, body in a straight line" if lifted else "hips on the floor"
    if pose.chest <= -60:
        return "head and shoulders lifted" if pose.chest > -87 else "head and shoulders down"
    if pose.chest >= 60:
        arched = pose.low_back + pose.upper_back <= -5 or pose.chest < 82
        return "chest lifted off the floor" if arched else "upper body level"
    if pose.trunk <= -20:
        return "trunk leaning back"
    if pose.trunk <= -3:
        return "pelvis tucked a little"
    return "trunk upright"


def _parts(figure: Figure) -> list[tuple[str, str]]:
    """The parts worth describing: the working ones and any that move."""
    frames = poses(figure)
    chosen = []
    if "trunk" in figure.working or len({(p.trunk, p.chest) for p in frames}) > 1:
        chosen.append(("trunk", ""))
    if len({p.shrug for p in frames}) > 1:
        chosen.append(("shoulders", ""))
    for side in SIDES:
        for kind in ("arm", "leg"):
            parts = [p.arms[side] if kind == "arm" else p.legs[side] for p in frames]
            if f"{side}_{kind}" in figure.working or len(set(parts)) > 1:
                chosen.append((kind, side))
    return chosen


def frame_words(figure: Figure, pose: Pose) -> str:
    """One key frame in words, e.g. "right knee raised to hip height, left leg straight"."""
    words = []
    for kind, side in _parts(figure):
        if kind == "trunk":
            words.append(_trunk_words(pose, figure.view))
        elif kind == "shoulders":
            words.append("shoulders pulled down" if pose.shrug < 0 else "shoulders relaxed up")
        else:
            words.append((_arm_words if kind == "arm" else _leg_words)(pose, side, figure.view))
    for left, right, both in _PAIRS:
        if left in words and right in words:
            words = [w for w in words if w not in (left, right)] + [both]
    return ", ".join(dict.fromkeys(words))


_PAIRS = [(f"left {kind}{end}", f"right {kind}{end}", f"both {plural}{end}")
          for kind, plural in (("arm", "arms"), ("leg", "legs"), ("knee", "knees"),
                               ("hand", "hands"), ("elbow", "elbows"))
          for end in (" reaching overhead", " reaching forward", " straight", " bent",
                      " by the side", " forward", " on the floor under the hip",
                      " across the chest", " under the low back", " lifted off the floor")]
_POINT_WORDS = {"neck": "body", "shoulder": "body", "waist": "body"}


def _direction(start: Point, end: Point, figure: Figure) -> str:
    dx, dy = end[0] - start[0], end[1] - start[1]
    vertical = "up" if dy > 0 else "down"
    first = poses(figure)[0]
    if figure.view == "front":
        horizontal = "sideways"
    elif not _upright(first):
        head_right = first.trunk > 0
        horizontal = "toward the head" if (dx > 0) == head_right else "away from the head"
    else:
        horizontal = "forward" if dx > 0 else "back"
    big, small = max(abs(dx), abs(dy)), min(abs(dx), abs(dy))
    if small > 0.5 * big:
        return f"{vertical} and {horizontal}"
    return vertical if abs(dy) >= abs(dx) else horizontal


def arrows(figure: Figure) -> list[tuple[str, Point, Point]]:
    """(point, from, to) for each moving point, first frame to the frame farthest from it."""
    frames = placed(figure)
    out = []
    for name in figure.moving:
        start = frames[0][name]
        end = max((f[name] for f in frames[1:]),
                  key=lambda p: math.dist(p, start), default=start)
        if math.dist(start, end) > 0.02:
            out.append((name, start, end))
    return out


def alt_text(figure: Figure) -> str:
    """The figure in words, from its data: view, setting, each key frame and the arrows."""
    frames = poses(figure)
    parts = [f"{figure.view.capitalize()} view: {figure.setting}."]
    if len(frames) == 1:
        words = frame_words(figure, frames[0])
        parts.append(f"{words[0].upper()}{words[1:]}." if words else "")
    else:
        said = ""
        for pose in frames:
            words = frame_words(figure, pose)
            if words == said:
                parts.append(f"Then {pose.name}.")
            else:
                parts.append(f"{pose.name.capitalize()}: {words}.")
            said = words
    for name, start, end in arrows(figure):
        point = _POINT_WORDS.get(name, name.replace("_", " "))
        parts.append(f"An arrow shows the {point} moving {_direction(start, end, figure)}.")
    return " ".join(p for p in parts if p)
