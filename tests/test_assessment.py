"""Self-test input, norm bands, ratios and left/right differences."""

from __future__ import annotations

import dataclasses

import pytest

from backcourse.content.load import load_course
from backcourse.core.assessment import (
    InputProblem,
    NeedsConfirmation,
    asymmetries,
    band,
    compare,
    ratios,
    read_age,
    read_rating,
    read_seconds,
)
from backcourse.core.course import Course
from backcourse.core.model import Norm

COURSE = load_course()
BRIDGE = COURSE.self_test("side_bridge")


@pytest.mark.parametrize("raw, seconds", [("45", 45), (" 45.5 ", 45.5), ("45,5", 45.5),
                                          ("60s", 60), (30, 30), ("0", 0)])
def test_times_are_read_from_what_people_type(raw: object, seconds: float) -> None:
    assert read_seconds(BRIDGE, raw) == seconds


@pytest.mark.parametrize("raw, message", [
    ("", "Enter the time for Side bridge"),
    (None, "Enter the time"),
    ("abc", "is not a number of seconds"),
    ("nan", "is not a number of seconds"),
    ("-3", "cannot be negative"),
    ("1,000", "is ambiguous"),
])
def test_bad_times_get_a_clear_message(raw: object, message: str) -> None:
    with pytest.raises(InputProblem, match=message):
        read_seconds(BRIDGE, raw)


def test_an_unlikely_time_needs_confirmation_not_a_clamp() -> None:
    with pytest.raises(NeedsConfirmation, match="601 s is longer than people usually hold"):
        read_seconds(BRIDGE, "601")
    assert read_seconds(BRIDGE, "601", confirmed=True) == 601
    assert read_seconds(BRIDGE, "600") == 600


@pytest.mark.parametrize("raw", ["11", "-1", "3.5", "x", "", None])
def test_ratings_must_be_whole_numbers_0_to_10(raw: object) -> None:
    with pytest.raises(InputProblem):
        read_rating(raw)


def test_ratings_and_ages_that_are_fine() -> None:
    assert read_rating("7") == 7 and read_rating(0) == 0
    assert read_age("42") == 42


@pytest.mark.parametrize("raw", ["15", "111", "forty", "42.5"])
def test_ages_outside_adult_range_or_not_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InputProblem):
        read_age(raw)


@pytest.mark.parametrize("value, expected", [
    (79.9, "well below"), (80, "below"), (99.9, "below"), (100, "above"), (120, "above"),
    (120.1, "well above"),
])
def test_every_band_edge(value: float, expected: str) -> None:
    assert band(value, mean=100, sd=20) == expected


def test_bands_without_a_spread_only_split_at_the_mean() -> None:
    assert band(99, 100, None) == "below" and band(500, 100, None) == "above"


def test_a_result_is_compared_with_the_norm_for_its_sex_naming_who_was_tested() -> None:
    result = compare(COURSE, BRIDGE, "side_bridge_left", 50, age=25, sex="male")
    assert result.band == "well below" and result.norm is not None
    assert result.norm.value == 97 and result.message == (
        "50 s is well below (more than 1 SD under) the average of 97 s, SD 35 s, for men in "
        "McGill 1999. Who was tested: young healthy adults, university laboratory, Canada; age "
        "range not reported. Use it as context, not as a pass mark.")


def test_without_a_reported_age_range_the_comparison_is_shown_at_any_age_or_none() -> None:
    """McGill 1999 gives no age range, so no age is 'outside' it and none is needed."""
    for age in (None, 25, 70):
        result = compare(COURSE, BRIDGE, "side_bridge_left", 50, age=age, sex="female")
        assert result.norm is not None and result.norm.value == 77
        assert "outside the studied group" not in result.message


def _with_norms(*rows: Norm) -> Course:
    return dataclasses.replace(COURSE, norms=rows)


def _row(low: int, high: int, value: float) -> Norm:
    return Norm(table="mcgill1999", test="side_bridge_left", sex="any", age_min=low,
                age_max=high, statistic="mean", value=value, sd=10, n=20, unit="s",
                population="test adults", source="mcgill1999", checked="source")


def test_an_age_outside_a_known_range_is_still_compared_with_a_caveat() -> None:
    course = _with_norms(_row(18, 39, 90))
    inside = compare(course, BRIDGE, "side_bridge_left", 50, age=39, sex=None)
    outside = compare(course, BRIDGE, "side_bridge_left", 50, age=55, sex=None)
    assert inside.norm == outside.norm and outside.band == "well below"
    assert "aged 18 to 39." in inside.message
    assert "outside the studied group" not in inside.message
    assert "aged 18 to 39. Your age is outside the studied group." in outside.message


def test_several_age_bands_use_the_nearest_and_need_an_age() -> None:
    course = _with_norms(_row(18, 39, 90), _row(40, 49, 70))
    assert compare(course, BRIDGE, "side_bridge_left", 50, age=45, sex=None).norm.value == 70
    older = compare(course, BRIDGE, "side_bridge_left", 50, age=60, sex=None)
    assert older.norm.value == 70 and "outside the studied group" in older.message
    with pytest.raises(InputProblem, match="differ by age"):
        compare(course, BRIDGE, "side_bridge_left", 50, age=None, sex=None)


def test_missing_sex_where_the_norm_needs_it_is_an_input_problem() -> None:
    with pytest.raises(InputProblem, match="differ for women and men"):
        compare(COURSE, BRIDGE, "side_bridge_left", 50, age=25, sex=None)


def test_tests_without_norms_say_so() -> None:
    result = compare(COURSE, COURSE.self_test("knee_lift_hold"), "knee_lift_hold_left", 20,
                     age=40, sex=None)
    assert result.norm is None and "No published norm fits this test" in result.message


RESULTS = {"trunk_flexion": 120.0, "trunk_extension": 150.0, "side_bridge_left": 60.0,
           "side_bridge_right": 66.0}


def test_ratios_are_set_beside_the_young_adult_ratio_for_the_sex_given() -> None:
    found = {r.ratio.id: r for r in ratios(COURSE, RESULTS, "female")}
    assert found["flexion-extension"].value == pytest.approx(0.8)
    assert found["flexion-extension"].reference == 0.79
    assert found["side-extension"].value == pytest.approx(63 / 150)
    assert "Young healthy women averaged 0.39 (McGill 1999)." in found["side-extension"].message


def test_a_reference_worked_out_from_the_means_says_so() -> None:
    """The abstract does not state flexion:extension; we read it from the mean times."""
    found = {r.ratio.id: r for r in ratios(COURSE, RESULTS, "male")}
    assert found["flexion-extension"].message == (
        "Your ratio is 0.80. Young healthy men: about 0.99, worked out by us from the average "
        "times in McGill 1999, which does not state this ratio.")


def test_right_left_has_no_published_reference() -> None:
    found = {r.ratio.id: r for r in ratios(COURSE, RESULTS, "female")}
    assert found["right-left"].value == pytest.approx(1.1)
    assert found["right-left"].reference is None
    assert found["right-left"].message == "Your ratio is 1.10."


def test_the_floor_hold_never_stands_in_for_the_bench_in_a_ratio() -> None:
    """McGill's ratios divide by the bench test; a floor time is a different test."""
    floor_only = {**RESULTS, "back_extension_floor": 150.0}
    del floor_only["trunk_extension"]
    found = {r.ratio.id: r for r in ratios(COURSE, floor_only, "female")}
    assert found["flexion-extension"].value is None and found["side-extension"].value is None
    assert found["right-left"].value == pytest.approx(1.1)


def test_the_floor_hold_has_no_norm_and_says_to_compare_with_yourself() -> None:
    floor = COURSE.self_test("back_extension_floor")
    assert floor.norms is None
    result = compare(COURSE, floor, "back_extension_floor", 80, age=50, sex="female")
    assert result.norm is None and "Compare with your own results" in result.message
    assert any("cannot be compared" in step for step in floor.how)


def test_ratios_with_missing_or_zero_results_explain_themselves() -> None:
    found = {r.ratio.id: r for r in ratios(COURSE, {"trunk_flexion": 10,
                                                      "trunk_extension": 0}, None)}
    assert found["flexion-extension"].value is None
    assert "0 s hold" in found["flexion-extension"].message
    assert found["right-left"].message.startswith("Needs all of")


def test_left_right_differences_name_the_shorter_side() -> None:
    (bridge,) = asymmetries(COURSE.battery, RESULTS)
    assert bridge.percent == pytest.approx(100 * 6 / 66)
    assert "left side is 9% shorter" in bridge.message()
    (same,) = asymmetries(COURSE.battery, {"side_bridge_left": 0.0, "side_bridge_right": 0.0})
    assert same.percent == 0 and "both sides the same" in same.message()
