"""The exercise figures' schema: joint angles per key frame, and each view's joint ranges
(parsed from ``data/poses.yaml``; :mod:`backcourse.core.kinematics` turns them into points)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Literal

from backcourse.core.parse import rule

View = Literal["side", "front"]
Prop = Literal["bar", "wall", "band", "bench", "cushion", "wedge"]
JOINTS = ("neck", "low_back", "upper_back", "shoulder", "elbow", "twist", "hip", "knee",
          "ankle", "forward")
#: joints of the spine and head: one value per frame, not one per side
SPINE = ("neck", "low_back", "upper_back")
Limb = Literal["left_arm", "right_arm", "left_leg", "right_leg", "trunk"]
SIDES = ("left", "right")
#: the body's points, for placing a figure, drawing props and arrows
POINTS = ("head", "face", "neck", "shoulder", "waist", "sacrum", "hip",
          *(f"{s}_{p}" for s in SIDES for p in ("shoulder", "elbow", "wrist", "hand", "hip",
                                                "knee", "ankle", "heel", "toe")))
SEGMENTS = ("trunk", "head", *(f"{s}_{p}" for s in SIDES
                               for p in ("upper_arm", "forearm", "thigh", "shank", "foot")))


@dataclasses.dataclass(frozen=True, kw_only=True)
class JointRanges:
    """How far each joint can move in one view: [lowest, highest] in degrees."""

    view: View = rule()
    neck: tuple[float, ...] = rule(min=2, max=2)
    low_back: tuple[float, ...] = rule(min=2, max=2)
    upper_back: tuple[float, ...] = rule(min=2, max=2)
    shoulder: tuple[float, ...] = rule(min=2, max=2)
    elbow: tuple[float, ...] = rule(min=2, max=2)
    twist: tuple[float, ...] = rule(min=2, max=2)
    hip: tuple[float, ...] = rule(min=2, max=2)
    knee: tuple[float, ...] = rule(min=2, max=2)
    ankle: tuple[float, ...] = rule(min=2, max=2)
    forward: tuple[float, ...] = rule(min=2, max=2)

    def problems(self) -> Iterator[tuple[str, str]]:
        for joint in JOINTS:
            low, high = getattr(self, joint)
            if low > high:
                yield joint, f"the lowest value {low:g} is above the highest {high:g}"


@dataclasses.dataclass(frozen=True, kw_only=True)
class ArmPose:
    shoulder: float | None = rule(min=-180, max=180, default=None)
    elbow: float | None = rule(min=-180, max=180, default=None)
    twist: float | None = rule(min=-180, max=180, default=None)  # front view only


@dataclasses.dataclass(frozen=True, kw_only=True)
class LegPose:
    hip: float | None = rule(min=-180, max=180, default=None)
    knee: float | None = rule(min=-180, max=180, default=None)
    ankle: float | None = rule(min=-180, max=180, default=None)
    forward: float | None = rule(min=-180, max=180, default=None)  # front view only


@dataclasses.dataclass(frozen=True, kw_only=True)
class Frame:
    """A key frame: the joint angles that change from the frame before (see poses.yaml)."""

    name: str = rule()
    trunk: float | None = rule(min=-180, max=180, default=None)
    low_back: float | None = rule(min=-180, max=180, default=None)
    upper_back: float | None = rule(min=-180, max=180, default=None)
    neck: float | None = rule(min=-180, max=180, default=None)
    shrug: float | None = rule(min=-6, max=6, default=None)  # shoulders up (+) or down, cm
    arms: ArmPose | None = None
    left_arm: ArmPose | None = None
    right_arm: ArmPose | None = None
    legs: LegPose | None = None
    left_leg: LegPose | None = None
    right_leg: LegPose | None = None
    hidden: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, kw_only=True)
class Figure:
    """How to draw one exercise or self-test: a view, key frames, props and highlights."""

    id: str = rule(pattern=r"[a-z0-9_-]+")
    view: View = rule()
    setting: str = rule()
    frames: tuple[Frame, ...] = rule(nonempty=True)
    place: Literal["floor", "bar", "bench"] = "floor"
    rests_on: tuple[str, ...] = ()
    props: tuple[Prop, ...] = ()
    strapped: tuple[str, ...] = ()
    working: tuple[Limb, ...] = ()
    moving: tuple[str, ...] = ()
    loop: bool = False  # the moving points trace small squares, drawn in the last frame
    eyes: Literal["open", "closed"] = "open"
    zoom_face: bool = False  # a magnified face beside the head, where the eyes matter

    def problems(self) -> Iterator[tuple[str, str]]:
        for name, values in (("rests_on", self.rests_on), ("moving", self.moving),
                             ("strapped", self.strapped)):
            for value in values:
                if value not in POINTS:
                    yield name, f"unknown point {value!r} (one of {', '.join(POINTS)})"
        for i, frame in enumerate(self.frames):
            for part in frame.hidden:
                if part not in SEGMENTS:
                    yield f"frames[{i}].hidden", f"unknown segment {part!r}"
        if (self.place == "bench") != bool(self.rests_on):
            yield "rests_on", "name the points that rest on the bench, and only with place: bench"
        if self.place == "bench" and "bench" not in self.props:
            yield "props", "a figure placed on a bench must draw the bench"
        if self.place == "bar" and "bar" not in self.props:
            yield "props", "a figure placed on a bar must draw the bar"
