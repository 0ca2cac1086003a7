"""Exercise figures as geometry: joint angles from ``data/poses.yaml`` to points in metres.

Pure and deterministic. A figure's key frames are resolved (each frame inherits what it
does not change), checked against anatomical ranges, posed by forward kinematics, placed
on the floor, a bar or a bench, and described in words for alt text.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Mapping, Sequence
from typing import TypeVar

from backcourse.core.poses import JOINTS, ArmPose, Figure, Frame, JointRanges, LegPose

# Segment lengths in metres for a person about 1.75 m tall.
TRUNK, NECK, HEAD_R = 0.52, 0.08, 0.11
UPPER_ARM, FOREARM = 0.30, 0.27
THIGH, SHANK, FOOT, HEEL = 0.43, 0.43, 0.16, 0.05
BAR_HEIGHT, BENCH_HEIGHT, CLEARANCE = 2.35, 0.55, 0.04
SIDES = ("left", "right")

Point = tuple[float, float]


@dataclasses.dataclass(frozen=True)
class Arm:
    shoulder: float = 0.0
    elbow: float = 0.0


@dataclasses.dataclass(frozen=True)
class Leg:
    hip: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0


@dataclasses.dataclass(frozen=True)
class Pose:
    """Every angle of one key frame, after inheriting from the frames before it."""

    name: str
    trunk: float
    neck: float
    shrug: float
    arms: Mapping[str, Arm]
    legs: Mapping[str, Leg]
    hidden: frozenset[str]

    def angle(self, joint: str, side: str) -> float:
        if joint == "neck":
            return self.neck
        limb: Arm | Leg = self.arms[side] if joint in ("shoulder", "elbow") else self.legs[side]
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
    trunk = neck = shrug = 0.0
    hidden: frozenset[str] = frozenset({"left_foot", "right_foot"} if figure.view == "front"
                                       else ())
    out = []
    for frame in figure.frames:
        trunk = frame.trunk if frame.trunk is not None else trunk
        neck = frame.neck if frame.neck is not None else neck
        shrug = frame.shrug if frame.shrug is not None else shrug
        for side in SIDES:
            arms[side] = _merge(arms[side], frame.arms, _side(frame, side, "arm"))
            legs[side] = _merge(legs[side], frame.legs, _side(frame, side, "leg"))
        hidden = hidden | frozenset(frame.hidden)
        out.append(Pose(frame.name, trunk, neck, shrug, dict(arms), dict(legs), hidden))
    return out


def _side(frame: Frame, side: str, limb: str) -> ArmPose | LegPose | None:
    value: ArmPose | LegPose | None = getattr(frame, f"{side}_{limb}")
    return value


def range_problems(figure: Figure, ranges: Sequence[JointRanges]) -> Iterator[tuple[str, str]]:
    """Every joint angle outside the anatomical range for the figure's view."""
    limits = next((r for r in ranges if r.view == figure.view), None)
    if limits is None:
        yield "view", f"no joint ranges for the {figure.view} view"
        return
    for i, pose in enumerate(poses(figure)):
        for joint in JOINTS:
            low, high = getattr(limits, joint)
            for side in (("",) if joint == "neck" else SIDES):
                value = pose.angle(joint, side)
                if not low <= value <= high:
                    where = joint if joint == "neck" else f"{side} {joint}"
                    yield (f"frames[{i}]", f"{where} at {value:g}° is outside the "
                           f"{figure.view}-view range {low:g}° to {high:g}° ({pose.name})")


# --- geometry ---------------------------------------------------------------------------

def _step(start: Point, down_angle: float, length: float) -> Point:
    """The point ``length`` away at ``down_angle`` (0 = straight down, 90 = forward/right)."""
    a = math.radians(down_angle)
    return start[0] + length * math.sin(a), start[1] - length * math.cos(a)


def _turn(view: str, side: str) -> float:
    """Front view: abduction turns a right limb to the picture's left, a left limb to its right."""
    return -1.0 if view == "front" and side == "right" else 1.0


def skeleton(pose: Pose, view: str) -> dict[str, Point]:
    """Every named point of the pose, with the hip joint at the origin."""
    hip: Point = (0.0, 0.0)
    up = 180.0 - pose.trunk  # direction from hip to shoulder
    down = -pose.trunk  # along the trunk, toward the hips
    neck = _step(hip, up, TRUNK)
    shoulder = _step(neck, up, pose.shrug / 100)  # shoulder blades up or down the trunk
    points = {"hip": hip, "neck": neck, "shoulder": shoulder,
              "head": _step(neck, up - pose.neck, NECK + HEAD_R)}
    for side in SIDES:
        turn = _turn(view, side)
        arm, leg = pose.arms[side], pose.legs[side]
        upper = down + turn * arm.shoulder
        points[f"{side}_elbow"] = _step(shoulder, upper, UPPER_ARM)
        points[f"{side}_hand"] = _step(points[f"{side}_elbow"], upper + turn * arm.elbow,
                                       FOREARM)
        thigh = down + turn * leg.hip
        shank = thigh - turn * leg.knee
        foot = shank + 90 - leg.ankle
        points[f"{side}_hip"] = hip
        points[f"{side}_knee"] = _step(hip, thigh, THIGH)
        points[f"{side}_ankle"] = _step(points[f"{side}_knee"], shank, SHANK)
        points[f"{side}_toe"] = _step(points[f"{side}_ankle"], foot, FOOT)
        points[f"{side}_heel"] = _step(points[f"{side}_ankle"], foot + 180, HEEL)
    return points


#: the points that hang off each segment's far end, unseen when the segment is hidden
_ENDS = {"forearm": ("hand",), "shank": ("ankle", "toe", "heel"), "foot": ("toe", "heel")}


def visible(points: Mapping[str, Point], pose: Pose) -> dict[str, Point]:
    """The points a viewer sees: those at the end of hidden segments are left out."""
    unseen = {f"{side}_{end}" for side in SIDES for segment, ends in _ENDS.items()
              if f"{side}_{segment}" in pose.hidden for end in ends}
    return {k: v for k, v in points.items() if k not in unseen}


def _lowest(points: Mapping[str, Point], names: Sequence[str] | None = None) -> float:
    chosen = [points[n] for n in names] if names else list(points.values())
    low = min(y for _, y in chosen)
    if not names:
        low = min(low, points["head"][1] - HEAD_R)
    return low


def placed(figure: Figure) -> list[dict[str, Point]]:
    """Every key frame's points in metres, the floor at y = 0, as the figure is placed.

    floor: the lowest point of the first frame rests on the floor; bar: the hands hang from a
    bar; bench: the ``rests_on`` points lie on a bench top. Later frames keep the anchor:
    the hands stay on the bar, the hip stays put on a bench, and on the floor the hip stays
    put unless a frame would push a point into the floor, which lifts the body instead.
    """
    frames = [visible(skeleton(p, figure.view), p) for p in poses(figure)]
    first = frames[0]
    if figure.place == "bar":
        hands = (first["left_hand"][1] + first["right_hand"][1]) / 2
        dx, dy = -first["left_hand"][0], BAR_HEIGHT - hands
    elif figure.place == "bench":
        dx, dy = 0.0, BENCH_HEIGHT + CLEARANCE - _lowest(first, figure.rests_on)
    else:
        dx, dy = 0.0, CLEARANCE - _lowest(first)
    out = []
    for points in frames:
        shift = (dx, dy)
        if figure.place == "bar":  # the hands stay on the bar
            hands = (points["left_hand"][1] + points["right_hand"][1]) / 2
            shift = (-points["left_hand"][0], BAR_HEIGHT - hands)
        elif figure.place == "floor":  # nothing sinks into the floor
            shift = (dx, max(dy, CLEARANCE - _lowest(points)))
        out.append({k: (x + shift[0], y + shift[1]) for k, (x, y) in points.items()})
    return out


# --- words ------------------------------------------------------------------------------

def _upright(pose: Pose) -> bool:
    return abs(pose.trunk) < 45


def _leg_words(pose: Pose, side: str, view: str) -> str:
    leg = pose.legs[side]
    if view == "front":
        return f"{side} knee bent" if leg.knee >= 45 else f"{side} leg straight"
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
    if view == "front" and not _upright(pose) and 45 <= arm.shoulder <= 110:
        return f"propped on the {side} elbow"
    if arm.shoulder >= 150:
        return f"{side} arm reaching {'overhead' if _upright(pose) else 'forward'}"
    if arm.shoulder >= 60 and pose.trunk > 45:
        return f"{side} hand on the floor under the shoulder"
    if arm.shoulder >= 60:
        return f"{side} arm forward"
    return f"{side} arm by the side"


def _trunk_words(pose: Pose, view: str) -> str:
    if view == "front":
        lifted = all(abs(leg.hip) < 5 for leg in pose.legs.values())
        return "hips lifted, body in a straight line" if lifted else "hips on the floor"
    if pose.trunk <= -60:
        return "head and shoulders lifted" if pose.trunk > -87 else "head and shoulders down"
    if pose.trunk >= 60:
        return "upper body level"
    if pose.trunk <= -20:
        return "trunk leaning back"
    if pose.trunk <= -3:
        return "pelvis tucked a little"
    return "trunk upright"


def _parts(figure: Figure) -> list[tuple[str, str]]:
    """The parts worth describing: the working ones and any that move."""
    frames = poses(figure)
    chosen = []
    if "trunk" in figure.working or len({p.trunk for p in frames}) > 1:
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
          for kind, plural in (("arm", "arms"), ("leg", "legs"), ("knee", "knees"))
          for end in (" reaching overhead", " reaching forward", " straight", " bent",
                      " by the side", " forward", " on the floor under the hip")]
_POINT_WORDS = {"neck": "shoulders", "shoulder": "shoulders"}


def _direction(start: Point, end: Point, figure: Figure) -> str:
    dx, dy = end[0] - start[0], end[1] - start[1]
    vertical = "up" if dy > 0 else "down"
    lying = not _upright(poses(figure)[0])
    if figure.view == "front":
        horizontal = "sideways"
    elif lying:
        head_right = poses(figure)[0].trunk > 0
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
