"""Real browser: every figure renders in Chromium (each written to a PNG, and the contact
sheet as one PNG, under test-output/), key frames differ in rendered area where the
movement is, and the animations move."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from browser import browser_page, need_chromium, output_dir

from backcourse.content.load import load_course
from backcourse.render.figures import animated_svg, contact_sheet, figure_for, key_frames_svg

pytestmark = pytest.mark.browser

COURSE = load_course()
#: the least share of one frame's pixels that must change from one key frame to the next
LEAST_CHANGE = 0.03

_DIFFERENCE = """async ([a, b]) => {
  const load = src => new Promise(done => { const i = new Image(); i.onload = () => done(i);
                                             i.src = src; });
  const [x, y] = await Promise.all([load(a), load(b)]);
  const pixels = i => { const c = document.createElement('canvas');
    c.width = x.naturalWidth; c.height = x.naturalHeight;
    const g = c.getContext('2d'); g.drawImage(i, 0, 0);
    return g.getImageData(0, 0, c.width, c.height).data; };
  const p = pixels(x), q = pixels(y);
  let changed = 0;
  for (let k = 0; k < p.length; k += 4) {
    if (Math.abs(p[k] - q[k]) + Math.abs(p[k + 1] - q[k + 1]) + Math.abs(p[k + 2] - q[k + 2]) > 60)
      changed++;
  }
  return changed / (p.length / 4);
}"""


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def test_every_figure_renders_to_a_png_and_the_contact_sheet_is_kept(
        tmp_path: Path, request: pytest.FixtureRequest) -> None:
    need_chromium()
    shots = output_dir(request)
    index, *_ = contact_sheet(COURSE, tmp_path / "figures")
    with browser_page(shots, ("file:", "data:")) as (page, watch):
        page.goto(index.as_uri())
        page.wait_for_function("[...document.images].every(i => i.complete)")
        sizes = page.evaluate("[...document.images].map(i => [i.alt, i.naturalWidth, "
                              "i.naturalHeight])")
        assert len(sizes) == len(COURSE.figures) == 28
        assert all(alt and width > 60 and height > 160 for alt, width, height in sizes), sizes
        page.screenshot(path=str(shots / "contact-sheet.png"), full_page=True)
        for figure in COURSE.figures:
            image = page.locator(f'img[src="{figure.id}.svg"]')
            image.scroll_into_view_if_needed()
            image.screenshot(path=str(shots / f"{figure.id}.png"))
            assert (shots / f"{figure.id}.png").stat().st_size > 2000
    assert watch.problems() == ([], [], [])


def test_key_frames_differ_in_rendered_area_where_the_movement_is(
        request: pytest.FixtureRequest) -> None:
    need_chromium()
    shots = output_dir(request)
    changes = {}
    with browser_page(shots, ("data:", "about:")) as (page, watch):
        page.goto("about:blank")
        for figure in COURSE.figures:
            frames = [_data_url(key_frames_svg(figure, only=[i], captions=False))
                      for i in range(len(figure.frames))]
            for i in range(1, len(frames)):
                changes[f"{figure.id} {i}->{i + 1}"] = page.evaluate(
                    _DIFFERENCE, [frames[i - 1], frames[i]])
    assert len(changes) == sum(len(f.frames) - 1 for f in COURSE.figures) >= 19
    small = {k: round(v, 4) for k, v in changes.items() if v < LEAST_CHANGE}
    assert small == {}
    assert watch.problems() == ([], [], [])


def test_the_animation_moves_in_the_browser(tmp_path: Path,
                                             request: pytest.FixtureRequest) -> None:
    need_chromium()
    shots = output_dir(request)
    moving = tmp_path / "bird-dog-animated.svg"
    moving.write_text(animated_svg(figure_for(COURSE, "bird-dog")), encoding="utf-8")
    with browser_page(shots, ("file:",)) as (page, watch):
        page.goto(moving.as_uri())
        page.evaluate("document.documentElement.pauseAnimations()")
        pictures = []
        for t in (0.0, 1.0):
            page.evaluate(f"document.documentElement.setCurrentTime({t})")
            path = shots / f"bird-dog-at-{t:.1f}s.png"
            page.screenshot(path=str(path))
            pictures.append(path.read_bytes())
        caption = page.evaluate("[...document.querySelectorAll('text')].map(t => "
                                "getComputedStyle(t).opacity)")
    assert pictures[0] != pictures[1]
    assert caption == ["0", "1"]  # the second key frame's caption shows at 1 s
    assert watch.problems() == ([], [], [])
