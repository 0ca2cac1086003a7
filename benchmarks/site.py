"""The browser edition measured: build time, size, and how long a learner waits.

    python benchmarks/site.py [--cache DIR] [--cold]

Builds the site (`backcourse site`, without the handouts, which `backcourse handouts`
measures) and times a warm rebuild from a filled cache with no network (``--offline``);
``--cold`` first times a build from an empty cache, downloading every pinned tool and
wheel. Then it serves the site on 127.0.0.1 and, in Debian's Chromium with a fresh profile
each time (every request not to that server is blocked and counted), times opening
notebook 00 until its last cell has run, and opening the app until its first section can be
answered. These are wall-clock seconds on this machine, not ratios: the load average and
the number of cores are recorded beside them. Writes benchmarks/results-site.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from backcourse.content.load import load_course
from backcourse.export.site import APP_URL, LAB_URL, build_site
from backcourse.serve.launch import serving

HERE = Path(__file__).resolve().parent
ALL_RAN = """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k || !w.content || !w.content.widgets) return false;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  return cells.length > 0 && cells.every(c => c.model.executionCount !== null)
    && k.status === 'idle'; }"""
KERNEL_IDLE = """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return k ? k.status === 'idle' : false; }"""


def timed_build(out: Path, cache: Path, offline: bool) -> dict[str, Any]:
    start = time.perf_counter()
    built = build_site(out, cache=cache, offline=offline, handouts=False, say=lambda _: None)
    return {"seconds": round(time.perf_counter() - start, 1), "steps": built.seconds,
            "megabytes_without_maps": built.megabytes, "loadavg": os.getloadavg()[0]}


def in_browser(site: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    found: dict[str, Any] = {}
    with serving(site) as base:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=["--no-sandbox"])
            for name in ("notebook 00, opened to its last cell run", "app, opened to its "
                         "first section"):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                    (base + "/", "data:", "blob:")) else (blocked.append(r.request.url),
                                                          r.abort()))
                page = context.new_page()
                load = os.getloadavg()[0]
                start = time.perf_counter()
                if name.startswith("notebook"):
                    page.goto(f"{base}/{LAB_URL}{load_course().units[0].notebook}")
                    page.wait_for_function(KERNEL_IDLE, timeout=600_000)
                    page.evaluate("() => window.jupyterapp.commands.execute("
                                  "'notebook:run-all-cells')")
                    page.wait_for_function(ALL_RAN, timeout=600_000)
                else:
                    page.goto(f"{base}/{APP_URL}")
                    page.get_by_role("button", name="Check my answers").wait_for(
                        timeout=600_000)
                found[name] = {"seconds": round(time.perf_counter() - start, 1),
                               "loadavg_at_start": load}
                context.close()
            browser.close()
    found["external requests"] = len(blocked)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, help="a filled cache (default: the user's)")
    parser.add_argument("--cold", action="store_true", help="also time a build from an empty "
                        "cache (downloads about 90 MB)")
    args = parser.parse_args()
    results: dict[str, Any] = {"measured_on": dt.date.today().isoformat(),
                               "cores": os.cpu_count(), "python": sys.version.split()[0]}
    with tempfile.TemporaryDirectory(prefix="backcourse-site-bench-") as work:
        site = Path(work) / "site"
        if args.cold:
            cache = Path(work) / "cache"
            results["cold build"] = timed_build(site, cache, offline=False)
        else:
            from backcourse.export.site import default_cache

            cache = args.cache or default_cache()
            build_site(site, cache=cache, say=lambda _: None, handouts=False)  # fills it
        results["warm build, offline"] = timed_build(site, cache, offline=True)
        results["browser"] = in_browser(site)
    (HERE / "results-site.json").write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
