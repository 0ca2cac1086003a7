"""Real browser: every section of the learner app fits a phone (390 px), a tablet (768 px) and
a desktop (1280 px): no visible label, button or menu option is cut, and nothing scrolls
sideways. A synthetic learner six weeks into a plan fills the programme and the player.

Screenshots of every section at every width go to test-output/app/ (git-ignored), for a
person to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import FIT, browser_page, fresh_output, need_chromium, six_weeks_in
from servers import BACKCOURSE, server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

APP = "Open your back programme at: "
LOOPBACK = ("http://127.0.0.1:", "data:")
WIDTHS = (1280, 768, 390)
#: each section's name in the navigation, and what shows last once it is drawn
SECTIONS = {"Safety check": ("button", "Check my answers"),
            "Self-assessment": ("button", "Score my answers"),
            "My programme": ("text", "Ready for the capstone"),
            "Exercise now": ("button", "Start the session"),
            "Log a session": ("text", "Your logged exercises")}

@pytest.fixture
def shots() -> Path:
    return fresh_output("app")


@pytest.fixture
def app_url(tmp_path: Path, shots: Path) -> Iterator[str]:
    home = tmp_path / "home"
    six_weeks_in(home)
    env = {k: v for k, v in os.environ.items() if k != "BACKCOURSE_HOME"}
    with server([*BACKCOURSE, "app", "--no-browser", "--home", str(home)], APP,
                shots / "server.log", env) as url:
        yield url


def shown(page: Any, kind: str, name: str) -> Any:
    return page.get_by_text(name).first if kind == "text" else page.get_by_role(kind, name=name)


def look(page: Any, shots: Path, name: str) -> list[str]:
    """What does not fit on the page as it is now; a full-page screenshot as ``name``."""
    page.evaluate("document.fonts.ready")
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    problems: list[str] = page.evaluate(FIT, ".bc-app")
    return problems


def test_every_section_fits_a_phone_a_tablet_and_a_desktop(app_url: str, shots: Path) -> None:
    found: dict[str, list[str]] = {}
    with browser_page(shots, LOOPBACK) as (page, watch):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(app_url)
            page.get_by_role("button", name="Check my answers").wait_for(timeout=90_000)
            for section, (kind, ready) in SECTIONS.items():
                page.get_by_role("button", name=section, exact=True).click()
                page.get_by_role("heading", name=section, level=2).wait_for(timeout=30_000)
                shown(page, kind, ready).wait_for(timeout=30_000)
                slug = section.lower().replace(" ", "-")
                found[f"{width} {section}"] = look(page, shots, f"{width}-{slug}")
            page.get_by_role("button", name="Exercise now", exact=True).click()
            page.get_by_label("Pain now (0-10)").select_option(label="1")
            page.get_by_role("button", name="Start the session").click()
            page.get_by_role("button", name="Start the hold").wait_for()
            page.get_by_role("img", name=re.compile("^(Side|Front) view")).first.wait_for()
            found[f"{width} Exercise now, underway"] = look(page, shots,
                                                            f"{width}-exercise-now-underway")
            page.get_by_role("button", name="Self-assessment", exact=True).click()
            page.get_by_label("Your age (years)").fill("44")
            page.get_by_label(re.compile("^Compare my times")).select_option(label="women")
            page.get_by_label("Side bridge, left side").fill("61")
            page.get_by_label("Side bridge, right side").fill("70")
            page.get_by_role("button", name="Save and compare").click()
            page.get_by_text(re.compile(r"Saved your \d+ test results")).wait_for(timeout=20_000)
            found[f"{width} Self-assessment, saved"] = look(page, shots,
                                                            f"{width}-self-assessment-saved")
        page.set_viewport_size({"width": 1280, "height": 900})
        page.get_by_role("button", name="My programme", exact=True).click()
        page.get_by_role("heading", name="What to do next session").wait_for()
        page.emulate_media(media="print")
        printed = page.evaluate("""() => [...document.querySelectorAll('.bc-app button')]
            .filter(b => b.getClientRects().length > 0).map(b => b.textContent.trim())""")
        assert printed == [], "buttons and navigation are left out of print"
        assert page.get_by_role("heading", name="What to do next session").is_visible()
        assert page.get_by_role("heading", name=re.compile("^Your next")).is_visible()
        found["print My programme"] = look(page, shots, "print-my-programme")
    (shots / "problems.txt").write_text("".join(f"{k}: {p}\n" for k, v in found.items()
                                                for p in v))
    assert {k: v for k, v in found.items() if v} == {}
    watch.failed = [f for f in watch.failed if "/voila/api/shutdown/" not in f]
    assert watch.problems(reloaded=True) == ([], [], [])


def test_the_fit_check_finds_each_kind_of_problem(tmp_path: Path) -> None:
    need_chromium()
    page_html = """<body style="margin:0"><div class="bc-app">
      <label class="widget-label" style="display:block;width:60px;overflow:hidden;
        white-space:nowrap;text-overflow:ellipsis">One-leg stance, eyes closed</label>
      <label style="display:block;width:300px">Fits well</label>
      <button style="width:50px;overflow:hidden;white-space:nowrap">Stop: pain or unwell</button>
      <select style="width:60px"><option>not done</option><option>above level</option></select>
      <div style="overflow-x:auto;width:100px"><div style="width:300px">wide table</div></div>
      <div style="overflow:hidden;width:100px"><table style="width:300px"><tr><td>a wide
        table, cut</td></tr></table></div>
      <div style="width:600px">too wide for the page</div></div></body>"""
    with browser_page(tmp_path, ("data:", "about:")) as (page, _watch):
        page.set_viewport_size({"width": 390, "height": 600})
        page.set_content(page_html)
        found = page.evaluate(FIT, ".bc-app")
    kinds = sorted(re.sub(r" \(.*|:.*", "", p) for p in found)
    assert kinds == ["a box cuts its content", "a box scrolls sideways", "cut", "cut",
                     "off the right edge of the screen",
                     "option cut", "option cut", "the page scrolls sideways"], found
    assert "One-leg stance" in found[0] and "Fits well" not in " ".join(found)
