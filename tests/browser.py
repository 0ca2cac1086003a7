"""Real-browser helpers: Debian's Chromium through Playwright (no browser download).

.ci/run installs Chromium; elsewhere browser tests are skipped when it is missing. Each test
writes its screenshots to ``test-output/browser/<test>/`` (or $BACKCOURSE_TEST_OUTPUT), and a
``failure.png`` there when it fails, so a person can look at what the browser showed.
"""

from __future__ import annotations

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
    page.get_by_label("Compare with").select_option(label="women")
    holds = {"Trunk flexor": "90", "Back extensor": "100", "Side bridge": "60",
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
