"""Chart routes compared: our SVG kit (render/plot.py) against pygal, drawsvg and the old
matplotlib PNG route, on the same two charts (the norms' bar chart, 8 bars; pain over 30
session days, two series). Maintainers only; the other libraries come from the `bench` extra
(`pip install -e ".[bench]"`) and a row says so when one is missing.

    python benchmarks/charts.py

Measured in one run: import time as a ratio against a bare interpreter started the same way
(median of 9 each); the size of each chart's output; the time to draw both charts (median
of 20) as a ratio against ours; what a screen reader and a printer get (real <text>, a
<title> naming the chart, role="img", scripts or links to the web); and whether the route
imports and draws with numpy and matplotlib blocked, as in the browser edition (Pyodide).
Writes benchmarks/results-charts.json.
"""

from __future__ import annotations

import base64
import datetime as dt
import importlib.util
import io
import json
import re
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ALT = "Bar chart of average hold times."
TESTS = ["Trunk flexor hold", "Back extensor hold", "Side bridge, right", "Side bridge, left"]
BARS = {"female": [149.0, 189.0, 72.0, 77.0], "male": [144.0, 146.0, 94.0, 97.0]}
DAYS = [dt.date(2026, 1, 5) + dt.timedelta(days=2 * i + i // 3) for i in range(30)]
BEFORE = [max(0, 5 - i // 8) for i in range(30)]
WORST = [b + (1 if i % 4 else 2) for i, b in enumerate(BEFORE)]
#: what each route imports: for ours the kit (its charts also load the course's models,
#: which every notebook has loaded already: see "ours, charts after lesson" below)
LIBRARIES = {"ours": "backcourse.render.plot", "pygal": "pygal", "drawsvg": "drawsvg",
             "matplotlib (old route, PNG)": "matplotlib.figure"}
EXTRA = {"lesson (what notebooks import)": "import backcourse.lesson",
         "ours, charts after lesson": "import backcourse.lesson, backcourse.render.charts"}


# the same two charts with each library ---------------------------------------------------

def ours() -> list[str]:
    from backcourse.content.load import load_course
    from backcourse.core.records import SessionLog
    from backcourse.render import charts

    course = load_course()
    logs = [SessionLog(done_on=d.isoformat(), exercise="dead-hang", rung="dead-hang-1", sets=1,
                       seconds=10, pain_before=b, pain_after=w)
            for d, b, w in zip(DAYS, BEFORE, WORST, strict=True)]
    return [charts.norm_means(course.norms_for("mcgill1999"), course.result_names()).svg,
            charts.pain_trend(logs, 5).svg]


def pygal_charts() -> list[str]:
    import pygal

    bar = pygal.HorizontalBar(js=[], width=480, height=320, title=ALT)
    bar.x_labels = TESTS
    for sex, values in BARS.items():
        bar.add(sex, values)
    line = pygal.DateLine(js=[], width=480, height=320, title="Pain over 30 session days",
                          x_label_rotation=0)
    line.add("pain before", list(zip(DAYS, BEFORE, strict=True)))
    line.add("worst pain", list(zip(DAYS, WORST, strict=True)), stroke=False)
    return [bar.render(is_unicode=True), line.render(is_unicode=True)]


def drawsvg_charts() -> list[str]:
    """drawsvg draws shapes, not charts: the layout (scale, ticks, labels, legend) is ours
    to write, as in render/plot.py."""
    import drawsvg as draw

    bar = draw.Drawing(480, 330, role="img", aria_label=ALT, font_family="sans-serif")
    bar.append(draw.Title(ALT))
    scale = 380 / 250
    for i, tick in enumerate(range(0, 251, 50)):
        bar.append(draw.Line(8 + tick * scale, 30, 8 + tick * scale, 290, stroke="#d9d9d9"))
        bar.append(draw.Text(str(tick), 13.5, 8 + tick * scale, 306, text_anchor="middle"))
        del i
    y = 30.0
    for t, name in enumerate(TESTS):
        bar.append(draw.Text(name, 15, 8, y + 15))
        for k, (sex, values) in enumerate(BARS.items()):
            top = y + 20 + k * 20
            colour = "#D55E00" if sex == "female" else "#0072B2"
            bar.append(draw.Rectangle(8, top, values[t] * scale, 18, fill=colour))
            bar.append(draw.Text(f"{values[t]:g} s", 13.5, 14 + values[t] * scale, top + 14))
        y += 65
    bar.append(draw.Text("seconds held", 13.5, 240, 324, text_anchor="middle"))
    line = draw.Drawing(480, 300, role="img", aria_label="Pain over 30 session days",
                        font_family="sans-serif")
    line.append(draw.Title("Pain over 30 session days"))
    span = (DAYS[-1] - DAYS[0]).days

    def xy(day: dt.date, value: float) -> tuple[float, float]:
        return 40 + (day - DAYS[0]).days / span * 420, 250 - value * 22

    for v in range(0, 11, 2):
        line.append(draw.Line(40, 250 - v * 22, 460, 250 - v * 22, stroke="#d9d9d9"))
        line.append(draw.Text(str(v), 13.5, 34, 255 - v * 22, text_anchor="end"))
    points = [c for d, b in zip(DAYS, BEFORE, strict=True) for c in xy(d, b)]
    line.append(draw.Lines(*points, fill="none", stroke="#0072B2", stroke_width=2))
    for d, b, w in zip(DAYS, BEFORE, WORST, strict=True):
        line.append(draw.Circle(*xy(d, b), 4.5, fill="#0072B2"))
        line.append(draw.Rectangle(xy(d, w)[0] - 4, xy(d, w)[1] - 4, 8, 8, fill="#D55E00"))
    return [bar.as_svg(), line.as_svg()]


def matplotlib_charts() -> list[str]:
    """The old route: a matplotlib Figure saved as a PNG, embedded as base64 (a data URL)."""
    from matplotlib.figure import Figure

    out = []
    for kind in ("bar", "line"):
        fig = Figure(figsize=(6.4, 3.0), dpi=110, layout="constrained")
        ax = fig.add_subplot()
        if kind == "bar":
            for k, (sex, values) in enumerate(BARS.items()):
                ax.barh([t + 0.4 * k for t in range(4)], values, 0.4, label=sex)
            ax.set_yticks(range(4), TESTS)
        else:
            ax.plot(DAYS, BEFORE, "-o")
            ax.plot(DAYS, WORST, "s")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        out.append(f'<img alt="{ALT}" src="data:image/png;base64,'
                   f'{base64.b64encode(buffer.getvalue()).decode()}">')
    return out


DRAW: dict[str, Callable[[], list[str]]] = {
    "ours": ours, "pygal": pygal_charts, "drawsvg": drawsvg_charts,
    "matplotlib (old route, PNG)": matplotlib_charts}


# what is measured -------------------------------------------------------------------------

def import_ratios(repeat: int = 9) -> dict[str, tuple[float, float]]:
    """Median wall time of ``python -c "import X"`` over a bare ``python -c pass``, runs
    interleaved so load on the machine falls on all alike: (ratio, milliseconds over bare)."""
    code = {"bare": "pass", **{k: f"import {m}" for k, m in LIBRARIES.items()
                               if importlib.util.find_spec(m.split(".")[0])}, **EXTRA}
    took: dict[str, list[float]] = {k: [] for k in code}
    for _ in range(repeat):
        for name, line in code.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", line], check=True)
            took[name].append(time.perf_counter() - start)
    bare = statistics.median(took.pop("bare"))
    return {k: (statistics.median(v) / bare, (statistics.median(v) - bare) * 1000)
            for k, v in took.items()}


def accessibility(svg: str) -> dict[str, object]:
    if svg.startswith("<img"):
        return {"real text": 0, "title names the chart": False, 'role="img"': False,
                "script or web link": False, "alt only": True}
    root = ET.fromstring(svg.split("?>", 1)[-1])
    ns = "{http://www.w3.org/2000/svg}"
    named = root.find(f"{ns}title") is not None or bool(root.get("aria-label"))
    return {"real text": len(root.findall(f".//{ns}text")), "title names the chart": named,
            'role="img"': root.get("role") == "img",
            "script or web link": bool(re.search(r"<script|href=\"http", svg))}


def without_numpy(name: str) -> bool:
    """Imports and draws with numpy and matplotlib blocked (as in Pyodide)."""
    code = ("import sys\nfor m in ('numpy', 'matplotlib'): sys.modules[m] = None\n"
            f"sys.path.insert(0, {str(HERE)!r})\nimport charts\n"
            f"charts.DRAW[{name!r}]()\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 0


def main() -> None:
    imports = import_ratios()
    rows = []
    ours_draw = None
    for name, draw in DRAW.items():
        if name not in imports:
            print(f"{name}: not installed (pip install -e '.[bench]')")
            continue
        outputs = draw()
        times = []
        for _ in range(20):
            start = time.perf_counter()
            draw()
            times.append(time.perf_counter() - start)
        drawn = statistics.median(times) * 1000
        ours_draw = ours_draw or drawn
        rows.append({"route": name, "import_ratio": round(imports[name][0], 2),
                     "import_ms_over_bare": round(imports[name][1], 1),
                     "bytes_bar": len(outputs[0].encode()), "bytes_line": len(outputs[1].encode()),
                     "draw_ms": round(drawn, 2), "draw_ratio": round(drawn / ours_draw, 2),
                     "without_numpy_matplotlib": without_numpy(name),
                     **accessibility(outputs[0])})
    header = list(rows[0])
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(str(row[k]) if k in row else "" for k in header))
    lesson, both = imports["lesson (what notebooks import)"], imports["ours, charts after lesson"]
    print(f"import backcourse.lesson: {lesson[0]:.2f}x bare; with render.charts as well: "
          f"{both[0]:.2f}x ({both[1] - lesson[1]:+.0f} ms)")
    (HERE / "results-charts.json").write_text(json.dumps(
        {"measured_on": dt.date.today().isoformat(), "python": sys.version.split()[0],
         "rows": rows, "lesson_import_ratio": round(lesson[0], 2),
         "lesson_and_charts_import_ratio": round(both[0], 2)}, indent=1) + "\n")


if __name__ == "__main__":
    main()
