"""Exercise figures: every exercise and test is drawn, in a possible pose, reading as a person
(arms from the shoulders, hands on the bar, knees and pelvis where the exercise puts them),
with frames that differ where the movement is, at a readable size, with alt text."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from backcourse import cli
from backcourse.content.load import load_course
from backcourse.core import kinematics as geo
from backcourse.core.parse import ContentError
from backcourse.core.poses import SIDES
from backcourse.render.figures import (
    FRAME_PX,
    MAX_WIDTH,
    THUMB_PX,
    animated_svg,
    contact_sheet,
    figure_for,
    key_frames_svg,
    moves,
)

COURSE = load_course()
FIGURES = COURSE.figures
SVG = "{http://www.w3.org/2000/svg}"
NAMES = {m.id: m.name for x in COURSE.exercises for r in x.rungs for m in r.moves} | {
    t.id: t.name for t in COURSE.battery}
HANGING = [f for f in FIGURES if f.place == "bar"]


def drawn_items() -> set[str]:
    items = {m.id for x in COURSE.exercises for r in x.rungs for m in r.moves}
    return items | {t.id for t in COURSE.battery if t.kind != "rating"}


def surface(points: geo.Points, name: str, view: str) -> float:
    """The height of the lowest surface of the body around one point."""
    return points[name][1] - geo.radii(view)[name]


def test_every_move_and_physical_self_test_has_exactly_one_figure() -> None:
    ids = [f.id for f in FIGURES]
    assert sorted(ids) == sorted(drawn_items()) and len(ids) == len(set(ids)) == 28


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f.id)
def test_each_figure_renders_in_a_possible_pose_with_its_alt_text(figure: Any) -> None:
    assert list(geo.range_problems(figure, COURSE.joint_ranges)) == []
    svg = ET.fromstring(key_frames_svg(figure))
    alt = geo.alt_text(figure)
    assert svg.get("role") == "img" and svg.get("aria-label") == alt
    assert svg.find(f"{SVG}title").text == alt  # type: ignore[union-attr]
    assert alt.startswith(f"{figure.view.capitalize()} view: {figure.setting}.")
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    numbered = len(figure.frames) > 1
    assert labels == [f"{i}. {f.name.capitalize()}" if numbered else f.name.capitalize()
                      for i, f in enumerate(figure.frames, start=1)]
    for frame in geo.placed(figure):  # nothing below the floor, nothing absurdly high
        assert geo.bottom(frame, figure.view) >= -0.005, figure.id
        assert all(y <= 2.6 for _, y, _ in frame.values()), figure.id


@pytest.mark.parametrize("figure", [f for f in FIGURES if moves(f)], ids=lambda f: f.id)
def test_the_animation_moves_the_body_and_captions_every_frame(figure: Any) -> None:
    moving = ET.fromstring(animated_svg(figure))
    shapes = [a for a in moving.iter(f"{SVG}animate") if a.get("attributeName") == "d"]
    assert len(shapes) >= 15  # every limb, the trunk and the head move along
    assert any(len(set((a.get("values") or "").split(";"))) > 2 for a in shapes)
    captions = list(moving.iter(f"{SVG}text"))
    assert [t.text for t in captions] == [
        f"{i}. {f.name.capitalize()}" for i, f in enumerate(figure.frames, start=1)]
    ys = {t.get("y") for t in captions}
    assert len(ys) == 1  # every caption on one line, under one shared floor
    for text in captions:  # each caption is shown while its frame is
        (shown,) = text.iter(f"{SVG}animate")
        assert "1" in (shown.get("values") or "").split(";")
    assert {a.get("repeatCount") for a in moving.iter(f"{SVG}animate")} == {"2"}
    # on the way back to the start and once it stops, no caption: a step's label never
    # shows under a different pose, nor twice beside the still that names every step
    for text in captions:
        (shown,) = text.iter(f"{SVG}animate")
        assert text.get("opacity") == "0" and (shown.get("values") or "").endswith(";0")


def test_a_pose_outside_the_anatomical_range_is_refused(data_copy: Path) -> None:
    path = data_copy / "poses.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    knee = next(f for f in doc["figures"] if f["id"] == "hang-knee-lift")
    knee["frames"][1]["right_leg"]["knee"] = -30  # a knee that bends forward
    curl = next(f for f in doc["figures"] if f["id"] == "curl-up-head-supported")
    curl["frames"][1]["upper_back"] = 80  # a spine folded in half
    del doc["figures"][[f["id"] for f in doc["figures"]].index("curl-up")]
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    assert [str(p) for p in caught.value.problems] == [
        "data/poses.yaml: figures[curl-up-head-supported]: frames[1]: upper back at 80° is "
        "outside the side-view range -20° to 45° (small lift)",
        "data/poses.yaml: figures[hang-knee-lift]: frames[1]: right knee at -30° is outside "
        "the side-view range 0° to 145° (knee up)",
        "data/poses.yaml: figures: curl-up: exercises.yaml: move curl-up has no figure; "
        "add one here",
    ]


# --- what a person sees: anatomy ------------------------------------------------------------

@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f.id)
def test_arms_start_at_the_shoulders_below_the_head(figure: Any) -> None:
    """Each upper arm starts at a shoulder joint: beside the top of the ribcage, a neck's
    length below the head, never inside it (a line from the bar into the head read as a
    person hanged by the neck), and no arm crosses the face."""
    for points in geo.placed(figure):
        segments = {s.name: s for s in geo.segments(figure.view)}
        head = points["head"]
        for side in SIDES:
            assert segments[f"{side}_upper_arm"].start == f"{side}_shoulder"
            shoulder = points[f"{side}_shoulder"]
            assert math.dist(shoulder, points["neck"]) < 0.25
            assert math.dist(shoulder, head) > geo.HEAD_R + geo.NECK
            face = geo.project(points["face"], figure.view)
            joints = [geo.project(points[f"{side}_{j}"], figure.view)
                      for j in ("shoulder", "elbow", "wrist") if f"{side}_{j}" in points]
            for a, b in zip(joints, joints[1:], strict=False):
                assert _distance_to_segment(face, a, b) > 0.06, (figure.id, side)


def _distance_to_segment(p: tuple[float, float], a: tuple[float, float],
                         b: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))


@pytest.mark.parametrize("figure", HANGING, ids=lambda f: f.id)
def test_a_hanging_body_holds_the_bar_with_its_hands_and_hangs_below_them(figure: Any) -> None:
    assert len(HANGING) == 6
    bar = geo.bar_height(figure)
    assert bar <= geo.BAR_HEIGHT
    for i, points in enumerate(geo.placed(figure)):
        hands = [points[f"{s}_hand"] for s in SIDES]
        assert all(h[1] == pytest.approx(bar) for h in hands)
        if figure.view == "side":  # both on the one bar, seen end on
            assert all(abs(h[0] - hands[0][0]) < 0.01 for h in hands)
        else:  # a grip a little wider than the shoulders, the head between the hands
            assert 0.3 < abs(hands[0][0] - hands[1][0]) < 0.8
            assert min(h[0] for h in hands) < points["head"][0] < max(h[0] for h in hands)
        assert points["head"][1] + geo.HEAD_R < bar - 0.15  # head well below
        assert points["neck"][1] < points["head"][1] < hands[0][1]
        feet = geo.bottom(points, figure.view)  # off the floor, the first frame just off it
        assert feet == pytest.approx(geo.FEET_OFF) if i == 0 else feet >= geo.FEET_OFF - 0.01
        if figure.view == "side":
            assert points["face"][0] > points["head"][0]  # facing ahead, not tipped back


def test_a_hands_on_the_bar_figure_standing_keeps_its_feet_on_the_floor() -> None:
    figure = figure_for(COURSE, "hang-feet-supported")
    (points,) = geo.placed(figure)
    for side in SIDES:
        assert surface(points, f"{side}_heel", "side") == pytest.approx(0, abs=0.01)
        assert points[f"{side}_knee"][0] > points["hip"][0]  # knees bent forward
    assert points["head"][1] + geo.HEAD_R < points["right_hand"][1] - 0.15


@pytest.mark.parametrize("item", ["bird-dog", "bird-dog-arm-or-leg", "bird-dog-squares",
                                  "side-plank-knees"])
def test_kneeling_figures_have_their_knees_on_the_floor(item: str) -> None:
    figure = figure_for(COURSE, item)
    for i, points in enumerate(geo.placed(figure)):
        down = [s for s in SIDES if surface(points, f"{s}_knee", figure.view) < 0.02]
        assert down, (item, i)
        if figure.view == "side":
            start = geo.placed(figure)[0]
            hands = [s for s in SIDES if points[f"{s}_hand"][1] < 0.06]
            assert hands, (item, i)  # a hand stays on the floor
            for s in hands:
                assert abs(points[f"{s}_hand"][0] - start["right_shoulder"][0]) < 0.1


@pytest.mark.parametrize("item", ["curl-up", "curl-up-head-supported", "curl-up-elbows-up"])
def test_a_curl_up_lifts_head_and_shoulders_while_the_pelvis_stays_on_the_floor(item: str,
                                                                               ) -> None:
    figure = figure_for(COURSE, item)
    down, *_, up = geo.placed(figure)
    for points in (down, up):
        assert surface(points, "hip", "side") == pytest.approx(0, abs=0.01)
        assert surface(points, "waist", "side") == pytest.approx(0, abs=0.03)  # low back down
        assert points["face"][1] > points["head"][1]  # face up
    assert up["hip"] == pytest.approx(down["hip"]) and up["right_ankle"] == pytest.approx(
        down["right_ankle"])
    assert up["head"][1] > down["head"][1] + 0.06 and up["neck"][1] > down["neck"][1] + 0.03
    assert up["right_knee"][1] > up["hip"][1] + 0.2  # one knee bent


@pytest.mark.parametrize("item", sorted(i for i, name in NAMES.items()
                                        if "knee" in name.lower() and i in drawn_items()))
def test_a_figure_named_for_the_knees_bends_a_knee(item: str) -> None:
    figure = figure_for(COURSE, item)
    bent = [max(p.legs[s].knee for s in SIDES) for p in geo.poses(figure)]
    assert max(bent) >= 60, item
    if "from the knees" in NAMES[item]:
        assert min(bent) >= 60  # kneeling throughout
        assert all(min(p.legs[s].knee for s in SIDES) >= 60 for p in geo.poses(figure))


def test_the_face_points_where_the_body_faces() -> None:
    prone = geo.placed(figure_for(COURSE, "back_extension_floor"))[0]
    assert prone["face"][1] < prone["head"][1]  # face down
    bench = geo.placed(figure_for(COURSE, "trunk_extension"))[0]
    assert bench["face"][1] < bench["head"][1]
    assert bench["neck"][1] == pytest.approx(bench["hip"][1], abs=0.05)  # held level
    thomas = geo.placed(figure_for(COURSE, "thomas"))[0]
    assert thomas["face"][1] > thomas["head"][1]  # lying face up
    assert surface(thomas, "head", "side") == pytest.approx(geo.BENCH_HEIGHT, abs=0.01)
    assert math.dist(thomas["right_hand"][:2], thomas["left_knee"][:2]) < 0.1  # hugs a knee


def test_standing_geometry_puts_the_feet_on_the_floor_and_a_raised_knee_at_hip_height() -> None:
    figure = figure_for(COURSE, "march-standing-hold")
    start, hold = geo.placed(figure)
    assert surface(start, "right_heel", "side") == pytest.approx(0, abs=0.01)
    top = start["head"][1] + geo.HEAD_R
    assert 1.6 < top < 1.85  # a person about 1.75 m tall
    knee = figure_for(COURSE, "knee_lift_hold")
    up = geo.placed(knee)[1]
    assert up["right_knee"][1] == pytest.approx(up["hip"][1], abs=0.01)  # thigh level
    assert hold["left_heel"] == start["left_heel"]  # the standing foot stays put
    stance = geo.placed(figure_for(COURSE, "stance_eyes_open"))[0]
    lifted = min(stance["left_toe"][1], stance["left_heel"][1])
    assert lifted > 0.2 and stance["left_ankle"][0] < stance["right_ankle"][0]  # up, behind


def test_the_side_planks_differ_where_their_names_do() -> None:
    feet = geo.placed(figure_for(COURSE, "side-plank"))[1]
    stacked = geo.placed(figure_for(COURSE, "side-plank-stacked"))[1]
    assert feet["left_ankle"][2] > feet["right_ankle"][2] + 0.15  # top foot in front
    assert stacked["left_ankle"][2] == pytest.approx(stacked["right_ankle"][2], abs=0.02)
    knees = geo.placed(figure_for(COURSE, "side-plank-knees"))[1]
    assert knees["right_ankle"][2] < knees["right_knee"][2] - 0.3  # shins bent back
    for points in (feet, stacked, knees):  # hips up: a straight line from the floor contact
        contact = "right_knee" if points is knees else "right_ankle"
        a, b = geo.project(points[contact], "front"), geo.project(points["neck"], "front")
        assert _distance_to_segment(geo.project(points["hip"], "front"), a, b) < 0.05


# --- what a person sees: frames that differ, at a size that can be read --------------------

@pytest.mark.parametrize("figure", [f for f in FIGURES if len(f.frames) > 1],
                         ids=lambda f: f.id)
def test_each_key_frame_differs_from_the_one_before_where_the_movement_is(figure: Any) -> None:
    """The moving part shifts at least 8 cm (about 13 px at the smallest scale) from one
    key frame to the next; the browser test checks the rendered area too."""
    frames = geo.placed(figure)
    for before, after in zip(frames, frames[1:], strict=False):
        shift = max(math.dist(before[n], after[n]) for n in figure.moving)
        assert shift >= 0.08, figure.id
    assert geo.paths(figure), figure.id  # an arrow shows the way


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f.id)
def test_every_frame_is_drawn_at_a_readable_size_and_fits_a_page(figure: Any) -> None:
    for i in range(len(figure.frames)):
        one = ET.fromstring(key_frames_svg(figure, only=[i], captions=False))
        assert float(one.get("height") or 0) - 24 >= FRAME_PX  # the drawing, without padding
    whole = ET.fromstring(key_frames_svg(figure))
    assert float(whole.get("width") or 0) <= MAX_WIDTH
    thumb = ET.fromstring(key_frames_svg(figure, least=THUMB_PX, captions=False, only=[-1]))
    assert float(thumb.get("height") or 0) - 24 >= THUMB_PX


def test_alt_text_says_what_moves_and_which_way() -> None:
    assert geo.alt_text(figure_for(COURSE, "hang-knee-lift")) == (
        "Side view: hanging from a bar with both hands, shoulders pulled down. Start: right leg "
        "straight. Knee up: right knee raised to hip height. An arrow shows the right knee "
        "moving up and forward.")
    bird = geo.alt_text(figure_for(COURSE, "bird-dog"))
    assert "Reach: left leg reaching back, right arm reaching forward." in bird
    assert "eyes closed" in geo.alt_text(figure_for(COURSE, "stance_eyes_closed"))
    assert ("Start (hands under the low back): head and shoulders down, both hands under the "
            "low back. Hold: head and shoulders lifted, both hands under the low back.") in (
        geo.alt_text(figure_for(COURSE, "curl-up")))
    assert "Elbows up: head and shoulders down, both elbows lifted off the floor." in (
        geo.alt_text(figure_for(COURSE, "curl-up-elbows-up")))
    assert "Start: hips on the floor, propped on the right forearm, both knees bent." in (
        geo.alt_text(figure_for(COURSE, "side-plank-knees")))
    assert geo.alt_text(figure_for(COURSE, "hang-active")).endswith(
        "Shoulder blades down (the body rises): shoulders pulled down, both arms reaching "
        "overhead. An arrow "
        "shows the body moving up.")


def test_the_arrow_follows_the_moving_point_along_its_real_path() -> None:
    figure = figure_for(COURSE, "march-standing-supported")
    (name, start, end), = geo.arrows(figure)
    assert name == "right_knee" and end[1] > start[1] and math.dist(start, end) > 0.3
    (path,) = geo.paths(figure)
    hip = geo.placed(figure)[1]["right_hip"]
    radii = [math.dist(p, hip) for p in path.points]  # the knee swings around the hip
    assert max(radii) - min(radii) < 0.01 and len(path.points) > 5


def test_figures_command_writes_a_contact_sheet_of_every_figure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["figures", "--out", str(tmp_path)]) == 0
    assert "contact sheet" in capsys.readouterr().out
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count("<figure>") == 28
    for figure in FIGURES:
        assert f'src="{figure.id}.svg"' in index
        assert (tmp_path / f"{figure.id}-animated.svg").exists() == moves(figure)
    assert len(contact_sheet(COURSE, tmp_path / "again")) == 1 + 28 + sum(
        moves(f) for f in FIGURES)


def test_a_blind_contact_sheet_has_numbers_but_no_names_or_captions(tmp_path: Path) -> None:
    assert cli.main(["figures", "--out", str(tmp_path), "--blind"]) == 0
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count("<figure>") == 28 and "Figure 28" in index
    for figure in FIGURES:
        assert figure.id not in index and NAMES[figure.id] not in index
    svg = (tmp_path / "figure-01.svg").read_text(encoding="utf-8")
    assert "<text" not in svg
    key = (tmp_path / "key.txt").read_text(encoding="utf-8").splitlines()
    assert sorted(line.split("\t")[1] for line in key) == sorted(f.id for f in FIGURES)


def test_cards_cover_matrix_and_plan_show_figures_large_enough_to_read() -> None:
    from backcourse.render import html as render

    card = render.exercise_card(COURSE.exercise("big-three"), COURSE)
    assert card.count('class="bc-figure"') == 9 and "<animate " in card
    printed = render.exercise_card(COURSE.exercise("big-three"), COURSE, animate=False)
    assert "<animate " not in printed
    matrix = render.coverage_matrix(COURSE)
    assert matrix.count('class="bc-thumb"') == 4
    assert matrix.count("<details") == 4 and matrix.count('class="bc-figure"') == 4
    assert "max-height:5.5em" not in render.STYLE


def test_the_session_player_shows_the_current_move_large() -> None:
    from backcourse.render.figures import figure_html

    large = figure_html(figure_for(COURSE, "hang-knee-lift"), large=True)
    small = figure_html(figure_for(COURSE, "hang-knee-lift"))
    height = [float(ET.fromstring(h[h.index("<svg"):h.index("</svg>") + 6]).get("height") or 0)
              for h in (large, small)]
    assert height[0] >= 2 * FRAME_PX > height[1] / 2 and large.index("<svg") < large.index("<img")


def test_hang_active_rises_on_the_shoulder_blades_alone() -> None:
    assert moves(figure_for(COURSE, "hang-active"))  # a shrug alone is motion too
    down, up = geo.placed(figure_for(COURSE, "hang-active"))
    assert up["neck"][1] - down["neck"][1] == pytest.approx(0.08, abs=0.005)  # rises
    assert up["neck"][0] == pytest.approx(down["neck"][0], abs=0.005)  # without a swing


def test_a_hangs_feet_are_drawn_clear_of_the_mat() -> None:
    """A physiotherapist read "feet just off the floor" as standing: the front view's mat
    reached up past the feet. Every hang off the floor now shows a gap above the mat."""
    from backcourse.render.figures import MAT

    far_edge = geo.project((0.0, 0.0, MAT[1]), "front")[1]
    hangs = [f for f in COURSE.figures if f.place == "bar" and f.view == "front"]
    assert len(hangs) >= 3
    for figure in hangs:
        for points in geo.placed(figure):
            feet = min(geo.project(points[f"{s}_{end}"], "front")[1]
                       for s in geo.SIDES for end in ("heel", "toe"))
            assert feet - far_edge > 0.04, figure.id  # at least 4 cm of floor shows
