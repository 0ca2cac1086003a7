"""Real browser: every chart at a desktop (1280 px) and a phone (390 px) width, with the
fonts Chromium really uses: nothing drawn outside the chart, no label over another, text of
at least 12 px even on the phone, and a screenshot of each to look at, in colour and in grey
(as printed on a black-and-white printer)."""

from __future__ import annotations

import pytest
from browser import browser_page, need_chromium, output_dir
from chart_samples import every_chart, page

from backcourse.render.plot import MAX_WIDTH_PX

pytestmark = pytest.mark.browser

# each drawn element's box in the chart's own units, from the browser's layout
BOXES = """() => {
  const svg = document.querySelector('svg');
  const [, , w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
  const scale = svg.getBoundingClientRect().width / w;
  const boxes = [...svg.querySelectorAll('text, rect, line, circle, polyline, polygon')]
    .filter(e => !e.closest('pattern'))
    .map(e => { const b = e.getBBox(); return [e.tagName, e.textContent, b.x, b.y,
                                                b.x + b.width, b.y + b.height]; });
  return {w, h, scale, boxes, rendered: svg.getBoundingClientRect().width};
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_every_chart_fits_its_box_and_reads_at_this_width(
        width: int, request: pytest.FixtureRequest) -> None:
    need_chromium()
    shots = output_dir(request)
    problems = []
    with browser_page(shots, ("about:", "data:")) as (browser, watch):
        browser.set_viewport_size({"width": width, "height": 900})
        for name, chart in every_chart().items():
            browser.set_content(page(chart, width))
            found = browser.evaluate(BOXES)
            w, h = found["w"], found["h"]
            outside = [b[:2] for b in found["boxes"]
                       if b[2] < -0.5 or b[3] < -0.5 or b[4] > w + 0.5 or b[5] > h + 0.5]
            texts = [b for b in found["boxes"] if b[0] == "text"]
            overlaps = [(a[1], b[1]) for i, a in enumerate(texts) for b in texts[i + 1:]
                        if a[2] < b[4] - 1 and b[2] < a[4] - 1 and a[3] < b[5] - 1
                        and b[3] < a[5] - 1]
            smallest = min(float(e) for e in browser.eval_on_selector_all(
                "svg text", "ts => ts.map(t => t.getAttribute('font-size'))")) * found["scale"]
            if outside or overlaps or smallest < 12 or found["rendered"] > MAX_WIDTH_PX + 0.5:
                problems.append((name, outside, overlaps, round(smallest, 1)))
            browser.locator("svg").screenshot(path=str(shots / f"{name}-{width}.png"))
            browser.set_content(page(chart, width).replace('<body style="',
                                                           '<body style="filter:grayscale(1);'))
            browser.locator("svg").screenshot(path=str(shots / f"{name}-{width}-grey.png"))
    assert problems == []
    assert watch.problems() == ([], [], [])
