"""Exercise figures: every exercise and test is drawn, poses are possible, alt text is right."""

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
from backcourse.render.figures import (
    animated_svg,
    contact_sheet,
    figure_for,
    key_frames_svg,
    moves,
)

COURSE = load_course()
SVG = "{http://www.w3.org/2000/svg}"


def drawn_items() -> set[str]:
    items = {m.id for x in COURSE.exercises for r in x.rungs for m in r.moves}
    return items | {t.id for t in COURSE.battery if t.kind != "rating"}


def test_every_move_and_physical_self_test_has_exactly_one_figure() -> None:
    ids = [f.id for f in COURSE.figures]
    assert sorted(ids) == sorted(drawn_items()) and len(ids) == len(set(ids)) == 28


@pytest.mark.parametrize("figure", COURSE.figures, ids=lambda f: f.id)
def test_each_figure_renders_in_a_possible_pose_with_its_alt_text(figure: Any) -> None:
    assert list(geo.range_problems(figure, COURSE.joint_ranges)) == []
    svg = ET.fromstring(key_frames_svg(figure))
    alt = geo.alt_text(figure)
    assert svg.get("role") == "img" and svg.get("aria-label") == alt
    assert svg.find(f"{SVG}title").text == alt  # type: ignore[union-attr]
    assert alt.startswith(f"{figure.view.capitalize()} view: {figure.setting}.")
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert labels == [f.name.capitalize() for f in figure.frames]
    for frame in geo.placed(figure):  # nothing below the floor, nothing absurdly high
        assert all(-0.01 <= y <= 2.6 for _, y in frame.values()), figure.id
    if moves(figure):
        moving = ET.fromstring(animated_svg(figure))
        animated = [e for e in moving.iter() if e.find(f"{SVG}animate") is not None]
        assert sum(e.tag == f"{SVG}line" for e in animated) >= 6
        for element in animated:  # both ends of each line move; the head's centre moves
            assert len(element.findall(f"{SVG}animate")) == (2 if "circle" in element.tag else 4)
        assert {a.get("repeatCount") for a in moving.iter(f"{SVG}animate")} == {"2"}


def test_a_pose_outside_the_anatomical_range_is_refused(data_copy: Path) -> None:
    path = data_copy / "poses.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    knee = next(f for f in doc["figures"] if f["id"] == "hang-knee-lift")
    knee["frames"][1]["right_leg"]["knee"] = -30  # a knee that bends forward
    del doc["figures"][[f["id"] for f in doc["figures"]].index("curl-up")]
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_course(data_copy)
    assert [str(p) for p in caught.value.problems] == [
        "data/poses.yaml: figures[hang-knee-lift]: frames[1]: right knee at -30° is outside "
        "the side-view range 0° to 145° (knee up)",
        "data/poses.yaml: figures: curl-up: exercises.yaml: move curl-up has no figure; "
        "add one here",
    ]


def test_standing_geometry_puts_the_feet_on_the_floor_and_a_raised_knee_at_hip_height() -> None:
    figure = figure_for(COURSE, "march-standing-hold")
    start, hold = geo.placed(figure)
    assert start["right_heel"][1] == pytest.approx(geo.CLEARANCE, abs=0.01)
    assert start["head"][1] == pytest.approx(geo.CLEARANCE + geo.THIGH + geo.SHANK + geo.TRUNK
                                             + geo.NECK + geo.HEAD_R + geo.HEEL, abs=0.06)
    knee = figure_for(COURSE, "knee_lift_hold")
    up = geo.placed(knee)[1]
    assert up["right_knee"][1] == pytest.approx(up["hip"][1], abs=0.01)  # thigh level
    assert hold["left_heel"] == start["left_heel"]  # the standing foot stays put


def test_hanging_figures_keep_their_hands_on_the_bar() -> None:
    figure = figure_for(COURSE, "hang-alternating-knee-raise")
    for frame in geo.placed(figure):
        for side in geo.SIDES:
            assert frame[f"{side}_hand"][1] == pytest.approx(geo.BAR_HEIGHT)
        assert min(y for _, y in frame.values()) > 0.1  # feet off the floor


def test_alt_text_says_what_moves_and_which_way() -> None:
    assert geo.alt_text(figure_for(COURSE, "hang-knee-lift")) == (
        "Side view: hanging from a bar with both hands, shoulders pulled down. Start: right leg "
        "straight. Knee up: right knee raised to hip height. An arrow shows the right knee "
        "moving up and forward.")
    bird = geo.alt_text(figure_for(COURSE, "bird-dog"))
    assert "Reach: left leg reaching back, right arm reaching forward." in bird
    assert "eyes closed" in geo.alt_text(figure_for(COURSE, "stance_eyes_closed"))


def test_the_arrow_follows_the_moving_point() -> None:
    (name, start, end), = geo.arrows(figure_for(COURSE, "march-standing-supported"))
    assert name == "right_knee" and end[1] > start[1] and math.dist(start, end) > 0.3


def test_figures_command_writes_a_contact_sheet_of_every_figure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["figures", "--out", str(tmp_path)]) == 0
    assert "contact sheet" in capsys.readouterr().out
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count("<figure>") == 28
    for figure in COURSE.figures:
        assert f'src="{figure.id}.svg"' in index
        assert (tmp_path / f"{figure.id}-animated.svg").exists() == moves(figure)
    assert len(contact_sheet(COURSE, tmp_path / "again")) == 1 + 28 + sum(
        moves(f) for f in COURSE.figures)


def test_cards_cover_matrix_and_plan_show_figures() -> None:
    from backcourse.render import html as render

    card = render.exercise_card(COURSE.exercise("big-three"), COURSE)
    assert card.count('class="bc-figure"') == 9 and "<animate " in card
    printed = render.exercise_card(COURSE.exercise("big-three"), COURSE, animate=False)
    assert "<animate " not in printed
    assert render.coverage_matrix(COURSE).count('class="bc-thumb"') == 4


def test_bodies_rest_where_the_exercise_says() -> None:
    """Hands, knees and feet that the how-to puts on the floor touch it; a curl-up lifts the
    head and shoulders while the pelvis stays down."""
    floor = geo.CLEARANCE
    for item in ("bird-dog", "bird-dog-arm-or-leg"):
        start = geo.placed(figure_for(COURSE, item))[0]
        for point in ("left_hand", "right_hand", "left_knee", "right_knee"):
            assert start[point][1] == pytest.approx(floor, abs=0.05), (item, point)
    for item in ("curl-up", "curl-up-head-supported", "curl-up-elbows-up"):
        down, up = geo.placed(figure_for(COURSE, item))
        assert up["hip"] == pytest.approx(down["hip"]) and up["right_ankle"] == pytest.approx(
            down["right_ankle"])
        assert up["head"][1] > down["head"][1] + 0.04
    assert moves(figure_for(COURSE, "hang-active"))  # a shrug alone is motion too
    down, up = geo.placed(figure_for(COURSE, "hang-active"))
    assert up["neck"][1] - down["neck"][1] == pytest.approx(0.06, abs=0.005)  # rises
    assert up["neck"][0] == pytest.approx(down["neck"][0], abs=0.005)  # without a swing
