"""Every chart is an SVG document that reads without pictures: well-formed XML, its alt text
as its title, real text for its labels, its data at the right places, nothing drawn outside
its viewBox, and no numpy or matplotlib anywhere on the way."""

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
from backcourse.core.assessment import RatioResult, asymmetries, ratios
from backcourse.core.records import SessionLog
from backcourse.render import charts
from backcourse.render.charts import LANE
from backcourse.render.plot import Chart, nice_ticks, text_width

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
    size, width = num(e, "font-size"), text_width(e.text or "", num(e, "font-size"))
    x, y = num(e, "x"), num(e, "y")
    left = {"start": x, "middle": x - width / 2, "end": x - width}[e.get("text-anchor", "start")]
    return left, y - size, left + width, y + size * 0.25


@pytest.mark.parametrize("name", CHARTS)
def test_a_chart_is_an_svg_named_by_its_alt_text_with_real_text(name: str) -> None:
    chart = CHARTS[name]
    root = parse(chart)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("role") == "img"
    title = root.find("s:title", NS)
    assert title is not None and title.text == chart.alt and len(chart.alt) > 40
    assert root.get("aria-labelledby") == title.get("id")
    assert re.fullmatch(r"0 0 480 \d+", root.get("viewBox", ""))
    assert "width:100%" in root.get("style", "")  # scales to the width it is given
    words = texts(root)
    assert len(words) >= 5 and all(w.strip() for w in words)
    assert all(num(t, "font-size") >= 13 for t in find(root, "text"))
    assert "<image" not in chart.svg and "<script" not in chart.svg


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


def test_effect_chart_alt_text_gives_each_effect_and_threshold() -> None:
    chart = CHARTS["effect_sizes"]
    assert "Pain: 15 points better (95% range 12 to 18); an important change is 15." in chart.alt
    assert "Function: 7 points better" in chart.alt
    root = parse(chart)
    dots = [c for c in find(root, "circle") if num(c, "r") == 6]
    assert len(dots) == 2  # one per effect, pain (15) right of function (7)
    assert num(dots[0], "cx") > num(dots[1], "cx")
    assert {"Pain", "Function", "15 (range 12 to 18)", "7 (range 5 to 8)"} <= set(texts(root))


def test_norms_chart_draws_one_bar_per_row_in_proportion() -> None:
    rows = load_course().norms_for("mcgill1999")
    chart = CHARTS["norm_means"]
    assert "Side bridge, right, male: 94 s (SD 34)." in chart.alt
    drawn = bars(parse(chart))
    assert len(drawn) == len(rows)
    per_second = [num(b, "width") / v for b, v in zip(
        sorted(drawn, key=lambda b: num(b, "width")), sorted(n.value for n in rows), strict=True)]
    assert max(per_second) == pytest.approx(min(per_second), rel=0.01)
    assert {"female", "male", "line: ±1 SD", "189 s"} <= set(texts(parse(chart)))


def test_pain_chart_has_a_point_per_session_day_at_its_height() -> None:
    logs, _ = learner()
    days = sorted({s.done_on for s in logs})
    root = parse(CHARTS["pain_trend"])
    points = [c for c in find(root, "circle")][1:]  # the first is the legend's
    assert len(points) == len(days)
    assert [num(c, "cx") for c in points] == sorted(num(c, "cx") for c in points)
    before = {d: max(s.pain_before for s in logs if s.done_on == d) for d in days}
    ys = [num(c, "cy") for c in points]
    first, last = before[days[0]], before[days[-1]]
    assert (ys[0] < ys[-1]) == (first > last)  # higher pain is drawn higher up
    assert "pain limit (5): above it, step back a level" in texts(root)


def test_adherence_chart_has_a_bar_per_week_and_the_planned_line() -> None:
    logs = [SessionLog(done_on=d, exercise="dead-hang", rung="dead-hang-1", sets=1, seconds=10,
                       pain_before=1, pain_after=1)
            for d in ("2026-01-05", "2026-01-07", "2026-01-13", "2026-01-13")]
    chart = charts.adherence(logs, dt.date(2026, 1, 5), 3, 2)
    root = parse(chart)
    heights = [num(r, "height") for r in find(root, "rect")
               if r.get("fill") == "#009E73" and num(r, "width") > 20]
    assert len(heights) == 3 and heights[2] == 0
    assert heights[0] == pytest.approx(2 * heights[1], abs=0.2)
    assert chart.alt == "Sessions done per week against 2 planned: week 1: 2, week 2: 1, week 3: 0."
    assert any(e.get("stroke-dasharray") for e in find(root, "line"))


def test_levels_chart_draws_one_line_per_exercise_trained() -> None:
    logs, _ = learner()
    course = load_course()
    root = parse(CHARTS["levels"])
    assert len(find(root, "polyline")) == len({s.exercise for s in logs})
    assert {x.name for x in course.prerequisites} <= set(texts(root))
    assert CHARTS["levels"].alt.startswith("Ladder level over time. Dead hang: level 1 to level")


def test_holds_chart_marks_each_test_on_each_date_with_averages() -> None:
    _, tests = learner()
    timed = [t for t in tests if t.unit == "s"]
    root = parse(CHARTS["holds"])
    dates = sorted({t.taken_on for t in timed})
    legend = [t for t in texts(root) if t.startswith("tested ")]
    assert len(legend) == len(dates) == 2
    first = [c for c in find(root, "circle") if num(c, "r") == 5.5]  # circles, then squares
    second = [r for r in find(root, "rect") if num(r, "width") == 11]
    assert len(first) + len(second) == len(timed) and len(first) == len(second)
    assert "young-adult average (men and women)" in texts(root)
    assert CHARTS["holds"].alt.startswith("Timed holds at each test; dotted lines are young-adult "
                                          "averages (men and women together). Trunk flexor hold:")


def test_ratio_legend_names_only_the_series_that_are_drawn() -> None:
    """Issue 14: with no reference for the sex chosen, no adults' bar and no legend entry."""
    course = load_course()
    unknown = ratios(course, RESULTS, None)
    root = parse(charts.ratio_chart(unknown))
    drawn = [r for r in unknown if r.value is not None]
    assert len(bars(root)) == len(drawn)
    assert "young healthy adults" not in texts(root) and "url(#" not in "".join(
        r.get("fill", "") for r in find(root, "rect"))
    known = parse(CHARTS["ratio_chart"])
    with_ref = [r for r in ratios(course, RESULTS, "male") if r.value is not None]
    assert "young healthy adults" in texts(known)
    assert len(bars(known)) == len(with_ref) + sum(r.reference is not None for r in with_ref)


def test_ratio_bars_are_in_proportion_and_one_is_marked() -> None:
    result = ratios(load_course(), RESULTS, "male")[0]
    root = parse(charts.ratio_chart([result]))
    you, adults = bars(root)
    assert result.value is not None and result.reference is not None
    assert num(you, "width") / num(adults, "width") == pytest.approx(
        result.value / result.reference, rel=0.01)
    dotted = [e for e in find(root, "line") if e.get("stroke-dasharray") == "3 3"]
    assert len(dotted) == 1


def test_sides_chart_draws_left_and_right_for_each_test() -> None:
    pairs = asymmetries(load_course().battery, RESULTS)
    drawn = bars(parse(CHARTS["sides_chart"]))
    assert len(drawn) == 2 * len(pairs)
    assert num(drawn[0], "width") / num(drawn[1], "width") == pytest.approx(80 / 90, rel=0.01)
    assert CHARTS["sides_chart"].alt.startswith("Left and right sides. Side bridge:")


def test_group_chart_counts_clients_in_whole_numbers() -> None:
    root = parse(CHARTS["group_states"])
    widths = [num(b, "width") for b in bars(root)]
    assert len(widths) == 4 and widths[0] / widths[1] == pytest.approx(14 / 3, rel=0.01)
    assert all("." not in t for t in texts(root) if t[0].isdigit())


def test_measure_over_time_shades_the_important_change_around_the_baseline() -> None:
    chart = CHARTS["measure_over_time"]
    root = parse(chart)
    points = [c for c in find(root, "circle") if num(c, "r") == 5]
    assert len(points) == len(PEG)
    band = next(r for r in find(root, "rect") if r.get("fill") == charts.CHANGE_BAND
                and num(r, "width") > 100)
    baseline = next(e for e in find(root, "line") if e.get("stroke-dasharray") == "6 4"
                    and num(e, "x2") - num(e, "x1") > 100)
    assert num(baseline, "y1") == pytest.approx(num(points[0], "cy"), abs=0.11)
    # the band runs 1 point either side of 6.3: from 5.3 to 7.3 on a 0-10 scale
    unit = (num(points[-1], "cy") - num(points[0], "cy")) / (6.3 - 3.0)
    assert num(band, "height") == pytest.approx(2 * unit, abs=0.2)
    assert chart.alt == ("PEG score over 4 date(s), lower is better: 6.3 on 2026-01-05 "
                         "(baseline) to 3 on 2026-03-30, a change of -3.3 points. That is at "
                         "least the smallest important change (1 point).")
    assert "PEG score (0 to 10, lower is better)" in texts(root)


def test_measure_over_time_without_a_change_mark_draws_no_band() -> None:
    chart = charts.measure_over_time([("2026-02-01", 30), ("2026-01-01", 20)], name="PSFS",
                                     low=0, high=40)
    root = parse(chart)
    assert not [r for r in find(root, "rect") if r.get("fill") == charts.CHANGE_BAND]
    assert not any("important" in t for t in texts(root))
    assert chart.alt.startswith("PSFS over 2 date(s): 20 on 2026-01-01 (baseline) to 30")


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
    assert '<figure class="bc-chart"><svg ' in html and ">Bar chart of average" in html
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
