"""Real browser: notebooks 00, 02, 07 and 08 in JupyterLab, run with Run All Cells as the
how-to note says, fit a phone (390 px), a tablet (768 px) and a desktop (1280 px): no label,
button or menu option in their output is cut and nothing scrolls sideways. A synthetic
learner six weeks into a plan fills notebook 08.

Screenshots of each notebook at each width go to test-output/notebooks/ (git-ignored).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import FIT, browser_page, fresh_output, six_weeks_in
from servers import BACKCOURSE, server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAB = "Open the course at: "
LOOPBACK = ("http://127.0.0.1:", "data:", "blob:")
WIDTHS = (1280, 768, 390)
NOTEBOOKS = ("00_start_here", "02_baseline", "07_capstone", "08_my_program")
#: the run is over: the last code cell has its output (a code cell folded away shows no
#: input prompt, so prompts cannot tell) and the kernel is idle
ALL_RAN = """() => {
  const cells = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell');
  const last = cells[cells.length - 1];
  return last !== undefined && last.querySelector('.jp-OutputArea-output') !== null;
}"""
#: the notebook's scroller, moved to ``y`` px from the top
SCROLL = """y => { const e = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) '
                                             + '.jp-WindowedPanel-outer');
                   e.scrollTop = y; return e.scrollHeight; }"""
#: the notebook's own scroller must not scroll sideways either (named: what sticks out most)
SIDEWAYS = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) '
                                                  + '.jp-WindowedPanel-outer')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => {
    const edge = e.getBoundingClientRect().right;
    const out = [...e.querySelectorAll('*')].filter(c => c.getBoundingClientRect().right > edge + 1
                                                        && !c.closest('.cm-editor'))
      .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)[0];
    return `the notebook scrolls sideways: ${e.scrollWidth} > ${e.clientWidth}`
      + (out ? `, most of all ${(out.outerHTML || '').replace(/\\s+/g, ' ').slice(0, 160)}` : '');
  })"""


@pytest.fixture
def shots() -> Path:
    return fresh_output("notebooks")


@pytest.fixture
def lab_url(tmp_path: Path, shots: Path) -> Iterator[str]:
    home = tmp_path / "journals"
    six_weeks_in(home)
    env = dict(os.environ, BACKCOURSE_HOME=str(home),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    command = [*BACKCOURSE, "open", str(tmp_path / "course"), "--no-browser"]
    with server(command, LAB, shots / "server.log", env) as url:
        yield url


def run_all(page: Any, url: str, notebook: str) -> None:
    """Open ``notebook`` and run it as a learner would: Run › Run All Cells."""
    page.goto(url.replace("00_start_here", notebook) + "&reset")  # this notebook alone
    note = page.locator(".jp-RenderedMarkdown", has_text="How to use this page.")
    note.wait_for(timeout=60_000)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=60_000)
    if page.viewport_size["width"] < 1000 and page.locator(".jp-SideBar.jp-mod-left "
                                                           ".lm-TabBar-tab.lm-mod-current").count():
        page.keyboard.press("Control+b")  # on a narrow screen, the notebook gets the width
    note.click()  # the notebook has the focus, so the menu runs it
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(ALL_RAN, timeout=180_000)
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=60_000)
    page.evaluate("document.fonts.ready")


def test_the_lessons_fit_a_phone_a_tablet_and_a_desktop(lab_url: str, shots: Path) -> None:
    found: dict[str, list[str]] = {}
    with browser_page(shots, LOOPBACK) as (page, _watch):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for notebook in NOTEBOOKS:
                run_all(page, lab_url, notebook)
                height = page.evaluate(SCROLL, 0)
                for n, y in enumerate(range(0, min(height, 4 * 800), 800)):  # what one sees
                    page.evaluate(SCROLL, y)
                    page.wait_for_timeout(200)
                    page.screenshot(path=str(shots / f"{width}-{notebook}-{n + 1}.png"))
                found[f"{width} {notebook}"] = [
                    *page.evaluate(FIT, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea"),
                    *page.evaluate(SIDEWAYS)]
    (shots / "problems.txt").write_text("".join(f"{k}: {p}\n" for k, v in found.items()
                                                for p in v))
    assert {k: v for k, v in found.items() if v} == {}
