"""Self-test input, norm bands, ratios and left/right differences."""

from __future__ import annotations

import pytest

from backcourse.content import load_course
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


def test_a_result_is_compared_with_the_norm_for_age_and_sex() -> None:
    result = compare(COURSE, BRIDGE, "side_bridge_left", 50, age=25, sex="male")
    assert result.band == "well below" and result.norm is not None
    assert result.norm.value == 97 and "McGill 1999" in result.message


def test_no_norm_fits_outside_the_sources_ages() -> None:
    result = compare(COURSE, BRIDGE, "side_bridge_left", 50, age=55, sex="female")
    assert result.norm is None and "tested people aged 18 to 30" in result.message


def test_missing_sex_or_age_where_the_norm_needs_it_is_an_input_problem() -> None:
    with pytest.raises(InputProblem, match="differ for women and men"):
        compare(COURSE, BRIDGE, "side_bridge_left", 50, age=25, sex=None)
    with pytest.raises(InputProblem, match="Give your age"):
        compare(COURSE, BRIDGE, "side_bridge_left", 50, age=None, sex="male")


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
    assert found["right-left"].value == pytest.approx(1.1) and found["right-left"].reference is None
    assert "Young healthy women averaged 0.79" in found["flexion-extension"].message


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
