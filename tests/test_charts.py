"""Every chart is an SVG document that reads without pictures and says what a person needs:
well-formed XML, its alt text as its title, a plain title, real text for its labels at a
readable size, its data at the right places, labels next to their own marks and clear of
each other and of dashed lines, who any reference values come from, the same colour for the
learner everywhere, marks that differ in grey print, nothing drawn outside its viewBox, and
no numpy or matplotlib anywhere on the way."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from chart_samples import PEG, RESULTS, every_chart, learner

from backcourse import lesson
from backcourse.content.load import load_course
from backcourse.core.assessment import RatioResult, asymmetries, compare, ratios
from backcourse.core.records import Assessment, SessionLog
from backcourse.render import charts
from backcourse.render.charts import LANE, ROUGH_GUIDE
from backcourse.render.plot import (
    INK,
    REFERENCE,
    REFERENCE_FILL,
    RESEARCH,
    SMALL,
    TITLE,
    WARNING,
    WIDTH,
    YOU,
    Chart,
    nice_ticks,
    text_width,
)

NS = {"s": "http://www.w3.org/2000/svg"}
CHARTS = every_chart()


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def find(root: ET.Element, tag: str) -> list[ET.Element]:
    return root.findall(f".//s:{tag}", NS)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in find(root, "text")]


def bars(root: ET.Element) -> list[ET.Element]:
    """The data bars (legend swatches are shorter, the background taller)."""
    return [r for r in find(root, "rect") if float(r.get("height", 0)) == LANE]


def num(e: ET.Element, name: str) -> float:
    return float(e.get(name, 0))


def extent(e: ET.Element) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of one drawn element; text by its estimated width."""
    tag = e.tag.split("}")[1]
    if tag == "rect":
        x, y = num(e, "x"), num(e, "y")
        return x, y, x + num(e, "width"), y + num(e, "height")
    if tag == "line":
        xs, ys = (num(e, "x1"), num(e, "x2")), (num(e, "y1"), num(e, "y2"))
        return min(xs), min(ys), max(xs), max(ys)
    if tag == "circle":
        cx, cy, r = num(e, "cx"), num(e, "cy"), num(e, "r")
        return cx - r, cy - r, cx + r, cy + r
    if tag in ("polyline", "polygon"):
        pts = [tuple(map(float, p.split(","))) for p in e.get("points", "").split()]
        return (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts),
                max(p[1] for p in pts))
    assert tag == "text", tag
    size = num(e, "font-size")
    width = text_width(e.text or "", size, e.get("font-weight") == "bold")
    x, y = num(e, "x"), num(e, "y")
    left = {"start": x, "middle": x - width / 2, "end": x - width}[e.get("text-anchor", "start")]
    return left, y - size, left + width, y + size * 0.25


def boxes(root: ET.Element) -> list[tuple[ET.Element, tuple[float, float, float, float]]]:
    return [(t, extent(t)) for t in find(root, "text")]


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float],
            slack: float = 1.0) -> bool:
    return (a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack
            and b[1] < a[3] - slack)


def luminance(colour: str) -> float:
    """Relative luminance (WCAG) of a #rrggbb colour: what is left of it in grey print."""
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def label(root: ET.Element, start: str) -> ET.Element:
    """The one text element that starts with ``start``."""
    found = [t for t in find(root, "text") if (t.text or "").startswith(start)]
    assert len(found) == 1, (start, [t.text for t in found])
    return found[0]


def words(chart: Chart) -> str:
    """All the text a person reads on a chart, as one string (wrapped lines joined)."""
    return " ".join(texts(parse(chart)))


@pytest.mark.parametrize("name", CHARTS)
def test_a_chart_is_an_svg_named_by_its_alt_text_with_real_text(name: str) -> None:
    chart = CHARTS[name]
    root = parse(chart)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("role") == "img"
    title = root.find("s:title", NS)
    assert title is not None and title.text == chart.alt and len(chart.alt) > 40
    assert root.get("aria-labelledby") == title.get("id")
    assert re.fullmatch(rf"0 0 {WIDTH:g} \d+", root.get("viewBox", ""))
    assert "width:100%" in root.get("style", "")  # scales to the width it is given
    said = texts(root)
    assert len(said) >= 5 and all(w.strip() for w in said)
    assert all(num(t, "font-size") >= SMALL for t in find(root, "text"))  # 12 px on a phone
    assert "<image" not in chart.svg and "<script" not in chart.svg


@pytest.mark.parametrize("name", CHARTS)
def test_every_chart_opens_with_a_plain_title(name: str) -> None:
    first = find(parse(CHARTS[name]), "text")[0]
    assert first.get("font-weight") == "bold" and num(first, "font-size") == TITLE
    assert float(first.get("y", 0)) < 40  # at the top, inside the figure


@pytest.mark.parametrize("name", CHARTS)
def test_no_label_overlaps_another_or_a_data_mark(name: str) -> None:
    root = parse(CHARTS[name])
    placed = boxes(root)
    crowded = [(a.text, b.text) for i, (a, ea) in enumerate(placed) for b, eb in placed[i + 1:]
               if overlap(ea, eb)]
    assert crowded == []
    marks = [extent(c) for c in find(root, "circle")] + [extent(p) for p in find(root, "polygon")]
    hidden = [t.text for t, e in placed for m in marks if overlap(e, m)]
    assert hidden == []


@pytest.mark.parametrize("name", CHARTS)
def test_no_dashed_line_runs_through_a_label(name: str) -> None:
    root = parse(CHARTS[name])
    dashed = [extent(e) for e in find(root, "line") if e.get("stroke-dasharray")]
    crossed = [(t.text, d) for t, e in boxes(root) for d in dashed if overlap(e, d, 0.5)]
    assert crossed == []


@pytest.mark.parametrize("name", CHARTS)
def test_nothing_is_drawn_outside_the_view_box(name: str) -> None:
    root = parse(CHARTS[name])
    _, _, width, height = map(float, root.get("viewBox", "").split())
    drawn = [e for e in root.iter() if e.tag.split("}")[1] in
             ("rect", "line", "circle", "polyline", "polygon", "text")]
    drawn = [e for e in drawn if not any(e in list(p.iter()) for p in find(root, "pattern"))]
    outside = [(e.tag.split("}")[1], e.text, extent(e)) for e in drawn
               if not (extent(e)[0] >= -0.01 and extent(e)[1] >= -0.01
                       and extent(e)[2] <= width + 0.01 and extent(e)[3] <= height + 0.01)]
    assert outside == []


def test_ids_differ_between_charts_so_a_page_can_hold_many() -> None:
    ids = [i for c in CHARTS.values() for i in re.findall(r'id="([^"]+)"', c.svg)]
    assert len(ids) == len(set(ids))


def test_the_learner_is_blue_everywhere_and_references_grey() -> None:
    """One meaning per colour: the learner's marks are blue in every chart about them, and
    blue marks nothing else; reference values are never blue."""
    mine = ("pain_trend", "levels", "adherence", "holds", "results_vs_norms", "ratio_chart",
            "sides_chart", "measure_over_time")
    for name in mine:
        assert f'fill="{YOU}"' in CHARTS[name].svg or f'stroke="{YOU}"' in CHARTS[name].svg
    for name in ("effect_sizes", "norm_means"):
        assert YOU not in CHARTS[name].svg
    assert RESEARCH not in "".join(CHARTS[n].svg for n in mine)


def test_marks_that_must_differ_still_differ_in_grey_print() -> None:
    """Converted to grey, the learner's bar stands apart from a reference bar, a limit or a
    warning from the white page, and the threshold line from the trial results' dot."""
    assert contrast(YOU, REFERENCE_FILL) >= 2.5
    assert contrast(WARNING, "#ffffff") >= 3.5
    assert contrast(INK, RESEARCH) >= 3
    assert contrast(REFERENCE, "#ffffff") >= 4.5  # reference ticks and labels


def test_effect_chart_says_what_was_compared_in_plain_words() -> None:
    chart = CHARTS["effect_sizes"]
    said = words(chart)
    for phrase in ("Average difference compared with no treatment, usual care or placebo",
                   "95% confidence interval, the likely range of that average",
                   "a worthwhile difference, set by the review authors",
                   "(pain 15, function 10 on 0–100)", "short term",
                   "15 points on a 0–100 scale is about 1.5 on a 0–10 scale.",
                   "Pain (35 trials, moderate certainty)",
                   "Function (38 trials, moderate certainty)", "Hayden 2021a"):
        assert phrase in said, phrase
    assert "249" not in said and "most people notice" not in said
    assert ("Pain: on average 15 points better on a 0 to 100 scale than the comparison groups "
            "(95% confidence interval 12 to 18); the review authors set 15 as a worthwhile "
            "difference.") in chart.alt


def test_effect_chart_threshold_never_hides_behind_the_dot() -> None:
    """The dashed threshold is drawn after the dot and reaches past it both ways; each value
    label sits under its own dot and each threshold label over its own line."""
    root = parse(CHARTS["effect_sizes"])
    order = list(root.iter())
    dots = [c for c in find(root, "circle") if num(c, "r") == 7]
    lines = [e for e in find(root, "line") if e.get("stroke") == INK
             and e.get("stroke-dasharray") and num(e, "y2") - num(e, "y1") > 20]
    assert len(dots) == len(lines) == 2
    for dot, mark, value, worth in zip(dots, lines, ("15 (likely 12 to 18)",
                                                     "7 (likely 5 to 8)"),
                                       ("worthwhile: 15", "worthwhile: 10"), strict=True):
        assert order.index(mark) > order.index(dot)
        assert num(mark, "y1") < num(dot, "cy") - 7 and num(mark, "y2") > num(dot, "cy") + 7
        below, above = label(root, value), label(root, worth)
        assert abs(num(below, "x") - num(dot, "cx")) < 1 and num(below, "y") > num(dot, "cy")
        assert abs(num(above, "x") - num(mark, "x1")) < 1 and num(above, "y") < num(mark, "y1")


def test_effect_data_counts_the_trials_pooled_not_the_whole_review() -> None:
    """Issue: "249 trials" is the whole review; each pooled result names its own count."""
    course = load_course()
    for statement in course.evidence:
        if statement.effect is not None and statement.effect.trials:
            assert str(statement.effect.trials) in statement.why, statement.id
            assert "249 trials rated" not in statement.why
    notebook = (Path(__file__).parents[1] / "notebooks" / "01_the_one_exercise.ipynb").read_text()
    assert "looked at 249 trials" not in notebook and "35 trials for pain and 38" in notebook


def test_norms_chart_names_who_was_tested_and_labels_each_average_at_its_tick() -> None:
    chart = CHARTS["norm_means"]
    said = words(chart)
    for phrase in ("healthy young women and men", "McGill 1999: 31 men, 44 women",
                   "young healthy adults, university laboratory", ROUGH_GUIDE,
                   "where about two in three of these people fell",
                   "Only the back extensor hold on a bench matches the test"):
        assert phrase in said, phrase
    root = parse(chart)
    ticks = [e for e in find(root, "line") if e.get("stroke") == REFERENCE
             and num(e, "y2") - num(e, "y1") == pytest.approx(20, abs=0.2)]
    rows = load_course().norms_for("mcgill1999")
    assert len(ticks) == len(rows)
    for n in rows:
        text_ = label(root, f"{charts.WHO[n.sex]} {n.value:g} s")
        tick = min(ticks, key=lambda t: abs(num(t, "y1") + 10 - num(text_, "y")))
        assert 0 < num(text_, "x") - num(tick, "x1") <= 8  # right beside its own tick
    assert "Side bridge, right, men: 94 s (SD 34)." in chart.alt


def test_holds_show_the_change_beside_the_learners_own_marks() -> None:
    root = parse(CHARTS["holds"])
    mine = [c for c in find(root, "circle") if c.get("stroke") == YOU or c.get("fill") == YOU]
    for change in ("you 57 → 74 s", "you 70 → 85 s", "you 37 → 43 s", "you 28 → 39 s"):
        text_ = label(root, change)
        y = num(text_, "y") - SMALL * 0.35
        row = [c for c in mine if abs(num(c, "cy") - y) < 0.5]
        assert len(row) == 2  # first (hollow) and latest (filled) on the same lane
        assert row[0].get("fill") == "#ffffff" and row[1].get("fill") == YOU
        right = max(num(c, "cx") + num(c, "r") for c in row)
        assert 0 <= num(text_, "x") - right <= 10


def test_holds_use_the_learners_sex_and_never_a_pooled_average() -> None:
    _, tests = learner()
    course = load_course()
    norms, names = course.norms_for("mcgill1999"), course.result_names()
    unknown = words(CHARTS["holds"])
    assert "women 149 s" in unknown and "men 144 s" in unknown
    assert "your sex is not known, so both are shown" in unknown and ROUGH_GUIDE in unknown
    assert "146.5" not in unknown and "men and women" not in unknown
    women = words(charts.holds(tests, norms, names, sex="female"))
    assert "women 149 s" in women and "men 144 s" not in women
    assert "Compared with healthy young women. Who was tested" in women
    assert "McGill 1999: 31 men, 44 women" in women


def test_results_against_norms_name_the_group_and_put_right_before_left() -> None:
    chart = CHARTS["results_vs_norms"]
    said = words(chart)
    assert "Your holds beside healthy young men" in said and ROUGH_GUIDE in said
    assert said.index("Side bridge, right") < said.index("Side bridge, left")
    root = parse(chart)
    you = [c for c in find(root, "circle") if c.get("fill") == YOU and num(c, "r") == 6.5]
    assert len(you) == 4
    for circle, value in zip(you, (100, 150, 90, 80), strict=True):
        text_ = label(root, f"you {value} s")
        assert 0 <= num(text_, "x") - (num(circle, "cx") + 6.5) <= 10


def test_ratio_legend_names_the_sex_and_only_the_series_that_are_drawn() -> None:
    course = load_course()
    men = words(CHARTS["ratio_chart"])
    assert "healthy young men" in men and "healthy young women" not in men
    assert "young healthy adults 0" not in men and "men 0.99 *" in men
    assert "* Worked out by us from the study's average times" in men
    unknown = ratios(course, RESULTS, None)
    root = parse(charts.ratio_chart(unknown))
    both = " ".join(texts(root))
    assert "healthy young women" in both and "healthy young men" in both
    assert "your sex is not known, so both are shown" in both
    drawn = [r for r in unknown if r.value is not None]
    refs = sum((r.ratio.men is not None) + (r.ratio.women is not None) for r in drawn)
    assert len(bars(root)) == len(drawn) + refs
    women = words(charts.ratio_chart(ratios(course, RESULTS, "female")))
    assert "women 0.79 *" in women and "healthy young men" not in women


def test_ratio_equal_line_only_on_the_right_left_row() -> None:
    root = parse(CHARTS["ratio_chart"])
    dashed = [e for e in find(root, "line") if e.get("stroke-dasharray") == "5 3"
              and num(e, "y2") - num(e, "y1") > 20]
    assert len(dashed) == 1
    right_left = label(root, "you 1.12")
    assert num(dashed[0], "y1") < num(right_left, "y") < num(dashed[0], "y2")
    said = words(CHARTS["ratio_chart"])
    assert "dashed line: right and left the same (1.00)" in said
    assert "No ratio here is a target: higher or lower is not better in itself." in said


def test_ratio_bars_are_in_proportion() -> None:
    result = ratios(load_course(), RESULTS, "male")[0]
    root = parse(charts.ratio_chart([result]))
    you, adults = bars(root)
    assert result.value is not None and result.reference is not None
    assert num(you, "width") / num(adults, "width") == pytest.approx(
        result.value / result.reference, rel=0.01)


def test_sides_chart_names_each_side_at_its_bar() -> None:
    pairs = asymmetries(load_course().battery, RESULTS)
    root = parse(CHARTS["sides_chart"])
    drawn = bars(root)
    assert len(drawn) == 2 * len(pairs)
    assert num(drawn[1], "width") / num(drawn[0], "width") == pytest.approx(80 / 90, rel=0.01)
    for bar, words_ in zip(drawn, ("right side down 90 s", "left side down 80 s"), strict=True):
        text_ = label(root, words_)
        assert 0 <= num(text_, "x") - (num(bar, "x") + num(bar, "width")) <= 8
    assert CHARTS["sides_chart"].alt.startswith("Left and right sides. Side bridge:")


def test_group_chart_puts_the_urgent_first_in_their_own_colours_with_a_total() -> None:
    root = parse(CHARTS["group_states"])
    said = texts(root)
    assert said[0].startswith("Where the group stands: 20 clients") and "2026" in " ".join(said)
    order = [t for t in said if t[:4] in ("warn", "pain", "no s", "home")]
    assert order[0].startswith("warning sign: plan on hold")
    assert [t.split(":")[0] for t in order[-3:]] == ["pain rising", "no safety check yet",
                                                      "home plan in their report"]
    warning, rising, _, shown = bars(root)
    assert warning.get("fill", "").startswith("url(#") and f'fill="{WARNING}"' in \
        CHARTS["group_states"].svg
    assert rising.get("fill") == charts.CAUTION and shown.get("fill") == YOU
    assert num(shown, "width") / num(rising, "width") == pytest.approx(14 / 2, rel=0.01)
    assert all("." not in t for t in said if t[0].isdigit())


def test_pain_chart_words_the_rule_from_the_data_and_marks_the_flare() -> None:
    logs, _ = learner()
    course = load_course()
    limit = course.thresholds.regress.max_pain
    root = parse(CHARTS["pain_trend"])
    said = " ".join(texts(root))
    assert (f"Up to {limit} is fine; above {limit} during an exercise, step back a level in "
            "the exercise that caused it.") in said
    days = sorted({s.done_on for s in logs})
    before = [c for c in find(root, "circle") if num(c, "r") == 4]
    assert len(before) == len(days)
    plot_top = num(label(root, "pain (0 = none"), "y")
    squares = [r for r in find(root, "rect") if num(r, "width") in (8, 11)
               and num(r, "y") > plot_top]  # not the legend's
    limit_line = next(e for e in find(root, "line") if e.get("stroke") == WARNING
                      and num(e, "x2") - num(e, "x1") > 100)
    order = list(root.iter())
    on_limit = [r for r in squares if abs(num(r, "y") + num(r, "height") / 2
                                          - num(limit_line, "y1")) < 0.5]
    assert on_limit and all(r.get("fill") == "#ffffff" and order.index(r) > order.index(
        limit_line) for r in on_limit)  # hollow and on top: a 5 stays visible on the line
    flare = [r for r in squares if r.get("fill") == WARNING]
    assert len(flare) == 1
    note = label(root, "8 on 2 Feb, in Bird dog")
    assert abs(num(note, "x") - (num(flare[0], "x") + 11)) < 12
    assert "above 5: step back" in texts(root)
    calm = [s for s in logs if s.highest_pain <= limit]
    assert "above 5: step back" not in texts(parse(charts.pain_trend(calm, limit)))


def test_adherence_chart_counts_logged_sessions_under_the_planned_line() -> None:
    logs = [SessionLog(done_on=d, exercise="dead-hang", rung="dead-hang-1", sets=1, seconds=10,
                       pain_before=1, pain_after=1)
            for d in ("2026-01-05", "2026-01-07", "2026-01-13", "2026-01-13")]
    chart = charts.adherence(logs, dt.date(2026, 1, 5), 3, 2)
    root = parse(chart)
    heights = [num(r, "height") for r in find(root, "rect")
               if r.get("fill") == YOU and num(r, "width") > 20]
    assert len(heights) == 3 and heights[2] == 0
    assert heights[0] == pytest.approx(2 * heights[1], abs=0.2)
    assert chart.alt.startswith("Sessions logged per week against 2 planned: week 1 (from 5 Jan"
                                "): 2, week 2 (from 12 Jan): 1, week 3 (from 19 Jan): 0.")
    said = texts(root)
    assert {"sessions you logged", "planned: 2 a week", "5 Jan"} <= set(said)
    planned = [e for e in find(root, "line") if e.get("stroke-dasharray") and
               num(e, "x2") - num(e, "x1") > 100]
    order = list(root.iter())
    assert len(planned) == 1 and all(order.index(planned[0]) > order.index(r)
                                     for r in find(root, "rect") if r.get("fill") == YOU)


def test_levels_chart_draws_a_panel_per_exercise_with_levels_not_offset() -> None:
    logs, _ = learner()
    course = load_course()
    root = parse(CHARTS["levels"])
    trained = [e for e in course.prerequisites if any(s.exercise == e.id for s in logs)]
    assert len(find(root, "polyline")) == len(trained)
    titles = [t.text for t in find(root, "text") if t.get("font-weight") == "bold"]
    assert titles[1:] == [e.name for e in trained]
    said = " ".join(texts(root))
    assert "Levels: 1 Feet-supported hang; 2 Short full hangs" in said
    assert "Stepped back a level on 4 Feb." in said
    for line_ in find(root, "polyline"):
        ys = {round(float(p.split(",")[1]), 1) for p in line_.get("points", "").split()}
        grid = {round(num(g, "y1"), 1) for g in find(root, "line") if num(g, "y1") ==
                num(g, "y2")}
        assert ys <= grid  # every level sits exactly on its level's grid line
    assert CHARTS["levels"].alt.startswith("Ladder level over time. Dead hang: level 1 to "
                                           "level 4 of 4")


def test_measure_over_time_spells_out_the_measure_and_the_start() -> None:
    chart = CHARTS["measure_over_time"]
    root = parse(chart)
    said = " ".join(texts(root))
    assert "PEG: the average of 3 questions on pain, enjoyment of life and general" in said
    assert "where you started (6.3)" in said
    assert "less than 1 point from where you started: no clear change" in said
    assert "baseline" not in said and "smallest important" not in said
    points = [c for c in find(root, "circle") if num(c, "r") == 6]
    assert len(points) == len(PEG)
    band = next(r for r in find(root, "rect") if r.get("fill") == charts.REFERENCE_BAND
                and num(r, "width") > 100)
    start = next(e for e in find(root, "line") if e.get("stroke-dasharray")
                 and num(e, "x2") - num(e, "x1") > 100)
    assert num(start, "y1") == pytest.approx(num(points[0], "cy"), abs=0.11)
    unit = (num(points[-1], "cy") - num(points[0], "cy")) / (6.3 - 3.0)
    assert num(band, "height") == pytest.approx(2 * unit, abs=0.2)
    assert chart.alt == ("PEG score over 4 date(s), lower is better: 6.3 on Mon 5 Jan 2026 "
                         "(start) to 3 on Mon 30 Mar 2026, a change of -3.3 points. Improved: "
                         "3.3 points better, and 1 point or more counts as a real change.")


def test_measure_over_time_without_a_change_mark_draws_no_band() -> None:
    chart = charts.measure_over_time([("2026-02-01", 30), ("2026-01-01", 20)], name="PSFS",
                                     low=0, high=40)
    root = parse(chart)
    assert not [r for r in find(root, "rect") if r.get("fill") == charts.REFERENCE_BAND]
    assert not any("no clear change" in t for t in texts(root))
    assert chart.alt.startswith("PSFS over 2 date(s): 20 on Thu 1 Jan 2026 (start) to 30")


def test_floor_hold_is_never_set_against_the_bench_norms() -> None:
    """Only the bench back extensor hold is comparable with McGill 1999: a floor hold gets
    the learner's marks and no reference group."""
    course = load_course()
    floor = [Assessment(taken_on="2026-01-05", test="back_extension_floor", value=50,
                        unit="s")]
    root = parse(charts.holds(floor, course.norms_for("mcgill1999"), course.result_names()))
    assert not [e for e in find(root, "line") if e.get("stroke") == REFERENCE]
    test = next(t for t in course.battery if t.id == "back_extension_floor")
    assert compare(course, test, "back_extension_floor", 50, 40, "male").norm is None
    rule = next(r for r in course.start_rules if r.id == "big-three-full")
    assert "only the bench hold can be set beside the published averages" in rule.rationale


def test_nothing_to_plot_is_an_error() -> None:
    with pytest.raises(ValueError, match="effect size"):
        charts.effect_sizes([load_course().statement("traction-no-help")])
    with pytest.raises(ValueError, match="no norm rows"):
        charts.norm_means([], {})
    with pytest.raises(ValueError, match="no ratio"):
        charts.ratio_chart([RatioResult(load_course().ratios[0], None, 0.9, "")])
    with pytest.raises(ValueError, match="no PEG"):
        charts.measure_over_time([], name="PEG", low=0, high=10)

def test_nice_ticks_cover_the_data() -> None:
    assert nice_ticks(0, 249, 5) == [0, 50, 100, 150, 200, 250]
    assert nice_ticks(0, 3, 4, integer=True) == [0, 1, 2, 3]
    assert nice_ticks(0, 10, 5) == [0, 2, 4, 6, 8, 10]


def test_figures_embed_inline_with_a_caption() -> None:
    html = lesson.norms_chart("mcgill1999", "Average hold times")
    assert "<figure class=\"bc-chart\"><svg " in html and ">Average hold times of healthy" in html
    assert "<figcaption>Average hold times</figcaption>" in html


def test_charts_draw_without_numpy_or_matplotlib() -> None:
    """The browser edition (Pyodide) has neither: every chart is drawn with them blocked."""
    tests = Path(__file__).parent
    code = ("import sys\n"
            "for m in ('numpy', 'matplotlib', 'PIL'): sys.modules[m] = None\n"
            f"sys.path.insert(0, {str(tests)!r})\n"
            "from chart_samples import every_chart\n"
            "print(len(every_chart()))\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('numpy', 'matplotlib', 'PIL') and sys.modules[m] is not None))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split("\n")[:2] == [str(len(CHARTS)), "[]"]
