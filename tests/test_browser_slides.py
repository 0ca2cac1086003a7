"""Real browser: an exported deck opened from file:// with every network request blocked."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser_page, need_chromium, output_dir

from backcourse.export.slides import build_slides, find_notebooks

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_chromium()
    out = tmp_path_factory.mktemp("slides")
    decks, failed = build_slides(find_notebooks(["00"]), out, jobs=1)
    assert not failed
    return decks[0].path


def test_slides_work_offline_and_step_with_the_keyboard(
        deck: Path, request: pytest.FixtureRequest) -> None:
    shots = output_dir(request)
    with browser_page(shots, ("file:", "data:")) as (page, watch):
        page.goto(deck.as_uri())
        page.wait_for_selector(".reveal.ready", timeout=20_000)
        first = page.evaluate("location.hash")
        title = page.inner_text(".reveal .slides > section.present")
        page.screenshot(path=str(shots / "1-title.png"))
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"location.hash !== {first!r}", timeout=5_000)
        assert "start here" in title.lower()
        assert page.inner_text(".reveal .slides > section.present") != title
        assert page.locator(".widget-toggle-buttons").count() > 0  # embedded widget state
        page.screenshot(path=str(shots / "2-next.png"))
    assert watch.problems() == ([], [], [])
