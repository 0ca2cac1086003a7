"""Real browser: the learner app (`backcourse app`, Voila) used as a learner would.

Every request that does not go to the app's own server on 127.0.0.1 is blocked and counted.
Screenshots go to test-output/browser/<test>/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import audit, browser_page, fill_battery, go_to, need_chromium, output_dir
from servers import BACKCOURSE, server

from backcourse.content.load import load_course
from backcourse.journal.store import Journal, journal_path

pytestmark = pytest.mark.browser

APP = "Open your back programme at: "
LOOPBACK = ("http://127.0.0.1:", "data:")


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    need_chromium()
    return output_dir(request)


@pytest.fixture
def app_url(tmp_path: Path, shots: Path) -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if k != "BACKCOURSE_HOME"}
    command = [*BACKCOURSE, "app", "--no-browser", "--home", str(tmp_path / "home")]
    with server(command, APP, shots / "server.log", env) as url:
        yield url


def open_app(page: Any, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Check my answers").wait_for(timeout=60_000)


def answer_screen_by_keyboard(page: Any, yes_to: int | None = None) -> list[str]:
    """Answer every safety question with Tab and Space only; return the outlines seen on focus."""
    outlines: list[str] = []
    question = 0
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            const s = getComputedStyle(e);
            return [e.textContent.trim(), s.outlineStyle + ' ' + s.outlineWidth]; }""")
        text, outline = focused
        if text in ("No", "Yes"):
            outlines.append(outline)
            if text == "No":
                question += 1
            if (text == "Yes") == (question == yes_to):
                page.keyboard.press("Space")
        elif text == "Check my answers":
            outlines.append(outline)
            page.keyboard.press("Enter")
            return outlines
    raise AssertionError("Tab never reached the Check my answers button")


def test_learner_screens_assesses_logs_and_finds_it_after_a_reload(
        app_url: str, shots: Path, tmp_path: Path) -> None:
    with browser_page(shots, LOOPBACK) as (page, watch):
        open_app(page, app_url)
        page.screenshot(path=str(shots / "1-safety.png"))
        outlines = answer_screen_by_keyboard(page)
        page.get_by_text("No warning signs").wait_for(timeout=10_000)
        questions = len(load_course().red_flags)
        assert len(outlines) == 2 * questions + 1 and all(o.endswith("3px") for o in outlines), \
            outlines

        go_to(page, "Self-assessment", "Save and compare")
        fill_battery(page)
        page.get_by_role("button", name="Save and compare").click()
        page.get_by_text(re.compile(r"Saved your \d+ test results")).wait_for(timeout=20_000)
        chart = page.get_by_role("img", name=re.compile("^Your holds beside")).first
        chart.scroll_into_view_if_needed()
        chart.wait_for()
        page.wait_for_function("e => e.tagName === 'svg' && e.querySelector('text') "
                               "&& e.getBoundingClientRect().width > 200",
                               arg=chart.element_handle())
        page.screenshot(path=str(shots / "2-norms-chart.png"))

        go_to(page, "Log a session", "Save this exercise")
        page.get_by_label("Reps").fill("8")
        for name, number in (("Sets", "3"), ("Pain before", "0"), ("Worst pain", "0"),
                             ("Pain after", "1")):
            page.get_by_label(name).select_option(label=number)
        page.get_by_role("button", name="Save this exercise").click()
        page.get_by_text("Your logged exercises (1)").wait_for(timeout=10_000)

        go_to(page, "My programme", "What to do next session")
        page.get_by_role("img", name=re.compile("^Pain over")).wait_for()
        page.screenshot(path=str(shots / "3-programme.png"), full_page=True)

        page.reload()
        open_app(page, app_url)
        go_to(page, "Log a session", "Your logged exercises (1)")
        row = page.locator("table", has_text="Your logged exercises").locator("tbody tr")
        assert row.count() == 1 and "8 reps" in row.inner_text() and "0 → 1" in row.inner_text()
        page.screenshot(path=str(shots / "4-after-reload.png"), full_page=True)
    # leaving the page asks to stop its kernel without the XSRF value (voila-dashboards/voila
    # #1458); the app culls idle kernels instead
    watch.failed = [f for f in watch.failed if "/voila/api/shutdown/" not in f]
    assert watch.problems(reloaded=True) == ([], [], [])
    with Journal(journal_path("me", tmp_path / "home")) as journal:
        (logged,) = journal.sessions()
        assert (logged.reps, logged.pain_after) == (8, 1)


def test_a_red_flag_withholds_the_plan_the_tests_and_the_log(app_url: str, shots: Path) -> None:
    from playwright.sync_api import expect

    # each section's last part, so that nothing can still be on its way when we check
    last = {"Self-assessment": "Score my answers", "My programme": "Your exercise plan is on hold",
            "Exercise now": "Your exercise plan is on hold",
            "Log a session": "No sessions logged yet"}
    with browser_page(shots, LOOPBACK) as (page, watch):
        open_app(page, app_url)
        answer_screen_by_keyboard(page, yes_to=1)
        page.get_by_text("Your exercise plan is on hold").wait_for(timeout=10_000)
        page.screenshot(path=str(shots / "1-red-flag.png"))
        for section, ready in last.items():
            go_to(page, section, ready)
            expect(page.get_by_text("Your exercise plan is on hold")).to_have_count(1)
            assert page.get_by_text("the Safety check section").count() > 0
            for hidden in ("Save and compare", "Save this exercise", "Start the session"):
                expect(page.get_by_role("button", name=hidden)).to_have_count(0)
            expect(page.get_by_role("heading", name="What to do next session")).to_have_count(0)
        page.screenshot(path=str(shots / "2-withheld.png"))
    assert watch.problems() == ([], [], [])


def test_every_section_is_labelled_has_alt_text_and_readable_contrast(
        app_url: str, shots: Path) -> None:
    found: dict[str, list[str]] = {}
    with browser_page(shots, LOOPBACK) as (page, watch):
        open_app(page, app_url)
        found["Safety check"] = audit(page)
        answer_screen_by_keyboard(page)
        page.get_by_text("No warning signs").wait_for(timeout=10_000)
        found["Safety check, answered"] = audit(page)
        go_to(page, "Self-assessment", "Save and compare")
        fill_battery(page)
        page.get_by_role("button", name="Save and compare").click()
        page.get_by_text(re.compile(r"Saved your \d+ test results")).wait_for(timeout=20_000)
        found["Self-assessment, saved"] = audit(page)
        go_to(page, "Exercise now", "Start the session")
        found["Exercise now"] = audit(page)
        page.get_by_label("Pain now (0-10)").select_option(label="1")
        page.get_by_role("button", name="Start the session").click()
        page.get_by_role("button", name="Start the hold").click()
        page.get_by_role("timer").wait_for()
        found["Exercise now, running"] = audit(page)
        go_to(page, "Log a session", "Save this exercise")
        found["Log a session"] = audit(page)
        go_to(page, "My programme", "What to do next session")
        found["My programme"] = audit(page)
        page.screenshot(path=str(shots / "programme.png"), full_page=True)
    assert {k: v for k, v in found.items() if v} == {}
    assert watch.problems() == ([], [], [])


def test_the_audit_finds_each_kind_of_problem(shots: Path) -> None:
    page_html = """<body style="background:#fff">
      <p style="color:#999">faint grey</p><p style="color:#595959">dark enough</p>
      <p style="color:rgba(0,0,0,0.3)">see-through black</p>
      <div style="opacity:0.4"><p>faded by a parent</p></div>
      <div style="background:rgba(0,0,0,0.9)"><p style="color:#333">dark on dark</p></div>
      <input type="text"><label for="a">Named</label><input id="a">
      <span id="blank"> </span><input aria-labelledby="blank">
      <a href="#x"></a><a href="#y">a link</a>
      <img src="data:image/png;base64,iVBORw0KGgo="><img alt="A chart" src="data:,">
      <button class="widget-toggle-button">No</button>
      <div role="slider" tabindex="0"></div><div role="slider" aria-label="Pain"></div></body>"""
    with browser_page(shots, ("data:", "about:")) as (page, _watch):
        page.set_content(page_html)
        found = audit(page)
    kinds = sorted(re.sub(r"[^a-z ].*", "", p).strip() for p in found)
    assert kinds == ["contrast"] * 4 + ["no accessible name"] * 4 + [
        "no alt text", "no pressed state"], found
    faint = " ".join(p for p in found if p.startswith("contrast"))
    for words in ("faint grey", "see-through black", "faded by a parent", "dark on dark"):
        assert words in faint


def test_the_session_player_counts_down_live_and_stop_saves_what_was_done(
        app_url: str, shots: Path) -> None:
    with browser_page(shots, LOOPBACK) as (page, watch):
        open_app(page, app_url)
        answer_screen_by_keyboard(page)
        page.get_by_text("No warning signs").wait_for(timeout=10_000)
        go_to(page, "Exercise now", "Start the session")
        page.get_by_label("Pain now (0-10)").select_option(label="2")
        page.get_by_role("button", name="Start the session").click()
        page.get_by_text("Get into position").wait_for()
        page.get_by_role("button", name="Start the hold").click()
        timer = page.get_by_role("timer")
        timer.wait_for()
        first = timer.inner_text()
        page.wait_for_function("t => document.querySelector('[role=timer]').innerText !== t",
                               arg=first, timeout=5_000)  # the kernel's ticker redraws it
        assert page.get_by_role("img", name=re.compile("^(Side|Front) view")).count() >= 1
        page.screenshot(path=str(shots / "1-player.png"))
        page.get_by_role("button", name="Set done").click()
        page.get_by_role("button", name="Stop: pain or unwell").click()
        page.get_by_text("You stopped").wait_for()
        page.screenshot(path=str(shots / "2-stopped.png"))
        page.get_by_role("button", name="Finish and save").click()
        page.get_by_text("choose how much it hurts").wait_for()  # a rating is required
        page.get_by_label("Pain now (0-10)").select_option(label="3")
        page.get_by_label("Worst pain during the session (0-10)").select_option(label="4")
        page.get_by_role("button", name="Finish and save").click()
        page.get_by_text("Saved to your journal").wait_for()
        go_to(page, "Log a session", "Your logged exercises (1)")
    assert watch.problems() == ([], [], [])
