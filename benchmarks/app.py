"""Benchmark: the learner app (`backcourse app`, Voila) against a bare Voila page with one cell,
served the same way in the same run, in Debian's Chromium (Playwright).

    python benchmarks/app.py [--repeat 3]

Both pages come from the same command line (`serve.launch.app_command`: loopback, the app's
template, code hidden, a fresh kernel per page); the bare page's one cell shows one widget.
Measured, medians of ``--repeat``:

- first render: from the page request to the first section drawn (the app: the safety
  check's button; the bare page: its one widget), as a ratio against the bare page;
- section switch: from a click in the app's navigation to the section's last part drawn,
  for each section on a first visit (clicked as soon as the page shows, and after 5 s on
  the first section, as a person reads: the app readies the other sections meanwhile) and
  on a return visit, with a synthetic learner six weeks into a plan (so the programme, its
  charts and the player have content).

Prints a table and writes benchmarks/results-app.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from backcourse.infra.paths import app_page
from backcourse.journal.samples import write_persona
from backcourse.journal.store import Journal, journal_path
from backcourse.serve import launch

HERE = Path(__file__).resolve().parent
BARE = {"cells": [{"cell_type": "code", "execution_count": None, "id": "c00", "metadata": {},
                   "outputs": [], "source": ["import ipywidgets\n",
                                             "ipywidgets.Button(description='Bare page')"]}],
        "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)",
                                    "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5}
#: each section's name in the navigation, and what shows last once it is drawn
SECTIONS = {"Self-assessment": ("button", "Score my answers"),
            "My programme": ("img", "Pain over"),
            "Exercise now": ("button", "Start the session"),
            "Log a session": ("text", "Your logged exercises"),
            "Safety check": ("button", "Check my answers")}
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
PAUSES = (0.0, READ_S := 5.0)  # right away, and after reading the first section a while
TARGET_RATIO, TARGET_SWITCH_S = 1.5, 1.0


@contextmanager
def voila(notebook: Path, home: Path, log: Path) -> Iterator[str]:
    """Serve ``notebook`` as ``backcourse app`` serves the app; yield its URL once it answers."""
    port, token = launch.free_port(), os.urandom(12).hex()
    command = launch.app_command(port, browser=False)
    command[command.index(str(app_page() / "backcourse.ipynb"))] = str(notebook)
    env = launch.app_environment("me", home, token)
    with log.open("w") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/?token={token}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5).close()
                break
            except (urllib.error.URLError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Voila did not start:\n{log.read_text()}") from None
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(20)


def shown(page: Any, kind: str, name: str) -> Any:
    if kind == "text":
        return page.get_by_text(name).first
    return page.get_by_role(kind, name=name).first


def first_render(browser: Any, url: str, kind: str, name: str) -> float:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    start = time.perf_counter()
    page.goto(url)
    shown(page, kind, name).wait_for(timeout=90_000)
    took = time.perf_counter() - start
    page.close()
    return took


Times = dict[str, dict[str, list[float]]]  # visit: section: seconds


def switches(browser: Any, url: str, took: Times, pause: float) -> None:
    """Every section opened in turn, after ``pause`` seconds on the first (as a person reads),
    then each again; each switch timed from the click until the section shows."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    shown(page, "button", "Check my answers").wait_for(timeout=90_000)
    page.wait_for_timeout(pause * 1000)
    first = f"first visit, {pause:g} s after the page shows"
    for visit in (first, "return visit"):
        for section, (kind, name) in SECTIONS.items():
            button = page.get_by_role("button", name=section, exact=True)
            start = time.perf_counter()
            button.click()
            shown(page, kind, name).wait_for(timeout=30_000)
            took.setdefault(visit, {}).setdefault(section, []).append(
                time.perf_counter() - start)
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as work:
        base = Path(work)
        bare = base / "bare" / "bare.ipynb"
        bare.parent.mkdir()
        bare.write_text(json.dumps(BARE), encoding="utf-8")
        home = base / "home"
        with Journal(journal_path("me", home)) as journal:
            write_persona(journal, "alex", start=dt.date.today() - dt.timedelta(weeks=6),
                          weeks=6)
        renders: dict[str, list[float]] = {"bare": [], "app": []}
        took: Times = {}
        with sync_playwright() as p, \
                voila(bare, home, base / "bare.log") as bare_url, \
                voila(app_page() / "backcourse.ipynb", home, base / "app.log") as app_url:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
            first_render(browser, bare_url, "button", "Bare page")  # warm both servers' caches
            first_render(browser, app_url, "button", "Check my answers")
            for _ in range(args.repeat):  # alternated, so load on the machine hits both alike
                renders["bare"].append(first_render(browser, bare_url, "button", "Bare page"))
                renders["app"].append(first_render(browser, app_url, "button",
                                                   "Check my answers"))
                for pause in PAUSES:
                    switches(browser, app_url, took, pause)
            browser.close()
    bare_s, app_s = (statistics.median(renders[k]) for k in ("bare", "app"))
    every = {visit: [t for times in took[visit].values() for t in times] for visit in took}
    switch = {visit: {"median_s": round(statistics.median(every[visit]), 3),
                      "max_s": round(max(every[visit]), 3),
                      "by_section_median_s": {s: round(statistics.median(t), 3)
                                              for s, t in took[visit].items()}}
              for visit in took}
    result = {
        "measured_on": dt.date.today().isoformat(), "cpus": os.cpu_count(),
        "repeat": args.repeat,
        "first_render_s": {"bare_voila_one_cell": round(bare_s, 3),
                           "backcourse_app": round(app_s, 3)},
        "first_render_ratio": round(app_s / bare_s, 2), "first_render_target_ratio": TARGET_RATIO,
        "section_switch": switch, "section_switch_target_s": TARGET_SWITCH_S,
    }
    print(f"{'what':<48}{'median s':>10}{'max s':>8}")
    print(f"{'bare Voila page, one widget':<48}{bare_s:>10.2f}{max(renders['bare']):>8.2f}")
    print(f"{'backcourse app, first render':<48}{app_s:>10.2f}{max(renders['app']):>8.2f}")
    for visit, row in switch.items():
        print(f"{'switch, ' + visit:<48}{row['median_s']:>10.2f}{row['max_s']:>8.2f}")
        for section, times in took[visit].items():
            print(f"{'  ' + section:<48}{statistics.median(times):>10.2f}{max(times):>8.2f}")
    print(f"first render {app_s / bare_s:.2f}x the bare page (target <= {TARGET_RATIO}x); "
          f"slowest switch {max(max(t) for t in every.values()):.2f} s "
          f"(target <= {TARGET_SWITCH_S} s)")
    (HERE / "results-app.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
