"""Real browser: an exported deck opened from file:// with every network request blocked.

Uses Debian's Chromium through Playwright (no browser download). .ci/run installs Chromium;
elsewhere the test is skipped when it is missing. A failing run saves a screenshot.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from backcourse.slides import build_slides, find_notebooks

CHROMIUM = shutil.which("chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium for the browser tests")
        pytest.skip("chromium is not installed here")
    out = tmp_path_factory.mktemp("slides")
    decks, failed = build_slides(find_notebooks(["00"]), out, jobs=1)
    assert not failed
    return decks[0].path


def test_slides_work_offline_and_step_with_the_keyboard(deck: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    errors: list[str] = []
    failed: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:"))
                   else (blocked.append(r.request.url), r.abort()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("requestfailed", lambda r: failed.append(r.url))
        try:
            page.goto(deck.as_uri())
            page.wait_for_selector(".reveal.ready", timeout=20_000)
            first = page.evaluate("location.hash")
            title = page.inner_text(".reveal .slides > section.present")
            page.keyboard.press("ArrowRight")
            page.wait_for_function(f"location.hash !== {first!r}", timeout=5_000)
            assert "start here" in title.lower()
            assert page.inner_text(".reveal .slides > section.present") != title
            assert page.locator(".widget-toggle-buttons").count() > 0  # embedded widget state
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"))
            raise
        finally:
            browser.close()
    assert (blocked, errors, failed) == ([], [], [])
