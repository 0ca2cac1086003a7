"""Real-browser helpers: Debian's Chromium through Playwright (no browser download).

.ci/run installs Chromium; elsewhere browser tests are skipped when it is missing. Each test
writes its screenshots to ``test-output/browser/<test>/`` (or $BACKCOURSE_TEST_OUTPUT), and a
``failure.png`` there when it fails, so a person can look at what the browser showed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[1]


def need_chromium() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install chromium for the browser tests")
        pytest.skip("chromium is not installed here")
    return CHROMIUM


def output_dir(request: pytest.FixtureRequest) -> Path:
    """This test's folder for screenshots, emptied first."""
    base = Path(os.environ.get("BACKCOURSE_TEST_OUTPUT", ROOT / "test-output"))
    folder = base / "browser" / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@dataclass
class Watch:
    """What went wrong on a page: requests that were blocked, failed or were cut short
    (as a reload does), and script errors."""

    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def problems(self, reloaded: bool = False) -> tuple[list[str], list[str], list[str]]:
        """Blocked, failed and script errors; requests cut short count as failed unless the
        test reloaded the page."""
        return self.blocked, self.failed + ([] if reloaded else self.aborted), self.errors


@contextmanager
def browser_page(shots: Path, allowed: Sequence[str]) -> Iterator[tuple[Any, Watch]]:
    """A Chromium page where only URLs starting with ``allowed`` load; a screenshot on failure."""
    from playwright.sync_api import sync_playwright

    watch = Watch()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=need_chromium(), headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(tuple(allowed))
                   else (watch.blocked.append(r.request.url), r.abort()))
        page.on("pageerror", lambda e: watch.errors.append(str(e)))
        page.on("response", lambda r: watch.failed.append(f"{r.status} {r.url}")
                if r.status >= 400 else None)
        page.on("requestfailed", lambda r: None if r.url in watch.blocked
                else (watch.aborted if r.failure == "net::ERR_ABORTED" else watch.failed)
                .append(f"{r.failure} {r.url}"))
        try:
            yield page, watch
        except BaseException:
            try:
                page.screenshot(path=str(shots / "failure.png"), full_page=True)
            except Exception as exc:  # keep the test's own error in front
                (shots / "failure.txt").write_text(f"no screenshot: {exc}\n")
            raise
        finally:
            browser.close()


def go_to(page: Any, section: str, ready: str) -> None:
    """Open a section and wait until its heading and ``ready`` show."""
    page.get_by_role("button", name=section, exact=True).click()
    page.get_by_role("heading", name=section, level=2).wait_for(timeout=20_000)
    page.get_by_text(ready).first.wait_for(timeout=20_000)


def fill_battery(page: Any) -> None:
    page.get_by_label("Age (years)").fill("25")
    page.get_by_label(re.compile("^Compare my times with")).select_option(label="women")
    holds = {"Bend-forward hold": "90", "Back hold": "100", "Side bridge": "60",
             "Standing knee-lift": "30", "One-leg stance, eyes open": "40",
             "One-leg stance, eyes closed": "8"}
    boxes = page.get_by_placeholder("seconds")
    for i in range(boxes.count()):
        label = boxes.nth(i).evaluate("e => e.labels[0].textContent")
        boxes.nth(i).fill(next(v for k, v in holds.items() if label.startswith(k)))
    for side in ("left", "right"):
        page.get_by_label(re.compile(f"Thomas.*{side}")).select_option(label="level")
    page.get_by_label(re.compile("Pain right now")).select_option(label="2")


# Visible controls without an accessible name, images without alt text, toggle buttons
# without a pressed state, and text below WCAG AA contrast (4.5:1; 3:1 for large text).
AUDIT = """() => {
  const problems = [];
  const visible = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const where = e => (e.outerHTML || '').slice(0, 120);
  const text = e => (e.textContent || '').trim();
  const named = e => {
    if ((e.getAttribute('aria-label') || '').trim()) return true;
    const by = (e.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
    if (by.some(id => text(document.getElementById(id) || {}))) return true;
    if (e.labels && [...e.labels].some(l => text(l))) return true;
    const role = e.getAttribute('role');
    const byContent = e.tagName === 'BUTTON' || e.tagName === 'A'
      || ['button', 'tab', 'link'].includes(role);
    return byContent && text(e) !== '';
  };
  const controls = 'input, select, textarea, button, a[href], [role=slider], [role=button], ' +
                   '[role=tab], [contenteditable=true]';
  for (const e of document.querySelectorAll(controls)) {
    if (visible(e) && !named(e)) problems.push('no accessible name: ' + where(e));
  }
  for (const e of document.querySelectorAll('img')) {
    if (!(e.getAttribute('alt') || '').trim()) problems.push('no alt text: ' + where(e));
  }
  for (const e of document.querySelectorAll('.widget-toggle-button')) {
    if (!e.hasAttribute('aria-pressed')) problems.push('no pressed state: ' + where(e));
  }
  // colours as [r, g, b, alpha]; a colour over another is blended by its alpha
  const rgba = c => { const v = (c.match(/[\\d.]+/g) || []).map(Number);
                      return v.length === 3 ? [...v, 1] : v.length === 4 ? v : [0, 0, 0, 0]; };
  const over = (top, below) => [0, 1, 2].map(i => top[3] * top[i] + (1 - top[3]) * below[i]);
  const background = e => {
    const layers = [];
    for (; e; e = e.parentElement) layers.push(rgba(getComputedStyle(e).backgroundColor));
    return layers.reverse().reduce((below, top) => over(top, below), [255, 255, 255]);
  };
  const opacity = e => {
    let o = 1;
    for (; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity);
    return o;
  };
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!n.textContent.trim() || seen.has(e) || !visible(e)) continue;
    if (e.closest('script, style, .jp-OutputArea-prompt, [aria-hidden=true]')) continue;
    seen.add(e);
    const s = getComputedStyle(e);
    const bg = background(e);
    const fg = rgba(s.color);
    fg[3] *= opacity(e);
    const [a, b] = [lum(over(fg, bg)), lum(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) problems.push(`contrast ${ratio.toFixed(2)} < ${need}: ${where(e)}`);
  }
  return problems;
}"""


def audit(page: Any) -> list[str]:
    """Accessibility problems on the page as it is now (see AUDIT)."""
    problems: list[str] = page.evaluate(AUDIT)
    return problems


# What does not fit inside the elements a selector names (pass it to page.evaluate): text
# cut inside its box (labels, buttons, widget labels and everything
# in a widget row), a menu option wider than its menu, and anything that scrolls sideways
# (the page, Voila's #rendered_cells, or a box inside the app).
FIT = """root => {
  const problems = [], told = new Set();
  const visible = e => e.getClientRects().length > 0
    && getComputedStyle(e).visibility !== 'hidden';
  const where = e => (e.outerHTML || '').replace(/\\s+/g, ' ').slice(0, 140);
  const text = ['label', 'button', '.widget-label', '.widget-label-basic', '.widget-inline-hbox *',
                '.widget-toggle-buttons *', 'select'].map(s => root + ' ' + s).join(', ');
  for (const e of document.querySelectorAll(text)) {
    if (!visible(e) || e.closest('svg, .noUi-target')) continue;  // drawings, slider tracks
    if (e.clientWidth <= 1) continue;  // inline text wraps; a 1 px box is for screen readers
    if (e.scrollWidth > e.clientWidth + 1) {
      problems.push(`cut (${e.scrollWidth} > ${e.clientWidth}): ${where(e)}`);
      told.add(e);
    }
  }
  const ruler = document.createElement('canvas').getContext('2d');
  for (const s of document.querySelectorAll(root + ' select')) {
    if (!visible(s)) continue;
    const style = getComputedStyle(s);
    ruler.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const arrow = 20;
    const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
      - arrow;
    for (const o of s.options) {
      const need = ruler.measureText(o.text).width;
      if (need > room) problems.push(
        `option cut (${Math.round(need)} > ${Math.round(room)}): "${o.text}" in ${where(s)}`);
    }
  }
  const page = document.scrollingElement;
  if (page.scrollWidth > innerWidth)
    problems.push(`the page scrolls sideways: ${page.scrollWidth} > ${innerWidth}`);
  const cells = document.querySelector('#rendered_cells');
  if (cells && cells.scrollWidth > cells.clientWidth + 1)
    problems.push(`#rendered_cells scrolls sideways: ${cells.scrollWidth} > ${cells.clientWidth}`);
  for (const e of document.querySelectorAll(root + ', ' + root + ' *')) {
    if (!visible(e) || e.closest('svg') || told.has(e)) continue;
    const x = getComputedStyle(e).overflowX;
    if (x !== 'visible' && e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1)
      problems.push(`${x === 'hidden' || x === 'clip' ? 'a box cuts its content' :
        'a box scrolls sideways'} (${e.scrollWidth} > ${e.clientWidth}): ${where(e)}`);
    if (e.getBoundingClientRect().right > innerWidth + 1 && !told.has(e.parentElement)) {
      problems.push(`off the right edge of the screen: ${where(e)}`);
      told.add(e);
    }
  }
  return problems;
}"""


def fresh_output(name: str) -> Path:
    """An empty test-output/NAME folder (BACKCOURSE_TEST_OUTPUT moves test-output), for
    screenshots a person looks at; Chromium must be there."""
    need_chromium()
    folder = Path(os.environ.get("BACKCOURSE_TEST_OUTPUT", ROOT / "test-output")) / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def six_weeks_in(home: Path) -> None:
    """A synthetic learner "me" in ``home``, six weeks into a steady plan."""
    from backcourse.journal.samples import write_persona
    from backcourse.journal.store import Journal, journal_path

    with Journal(journal_path("me", home)) as journal:
        write_persona(journal, "alex", start=dt.date.today() - dt.timedelta(weeks=6), weeks=6)
