"""Real browser: the contact sheet of every figure loads offline, and the animations move."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_page, need_chromium, output_dir

from backcourse.content.load import load_course
from backcourse.render.figures import contact_sheet, figure_for

pytestmark = pytest.mark.browser


def test_contact_sheet_shows_every_figure_and_animations_move(
        tmp_path: Path, request: pytest.FixtureRequest) -> None:
    need_chromium()
    shots = output_dir(request)
    course = load_course()
    index, *_ = contact_sheet(course, tmp_path / "figures")
    with browser_page(shots, ("file:", "data:")) as (page, watch):
        page.goto(index.as_uri())
        page.wait_for_function("[...document.images].every(i => i.complete)")
        sizes = page.evaluate("[...document.images].map(i => [i.alt, i.naturalWidth])")
        assert len(sizes) == len(course.figures)
        assert all(alt and width > 50 for alt, width in sizes), sizes
        page.screenshot(path=str(shots / "contact-sheet.png"), full_page=True)
        moving = tmp_path / "figures" / f"{figure_for(course, 'bird-dog').id}-animated.svg"
        page.goto(moving.as_uri())
        line = "document.querySelectorAll('line')[3]"
        page.wait_for_timeout(700)
        moved = page.evaluate(f"{line}.x2.animVal.value !== {line}.x2.baseVal.value || "
                              f"{line}.y2.animVal.value !== {line}.y2.baseVal.value")
        page.screenshot(path=str(shots / "bird-dog-animated.png"))
    assert moved
    assert watch.problems() == ([], [], [])
