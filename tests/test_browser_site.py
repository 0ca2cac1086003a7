"""Real browser: the site `backcourse site` builds, served by a plain static server.

The site is built once for this module (the first build downloads the pinned tools and
wheels into the cache: $BACKCOURSE_SITE_CACHE, else the user's cache folder), then served
by ``python -m http.server`` on 127.0.0.1. Every request that does not go to that server is
blocked and counted. Screenshots go to test-output/browser/<test>/. Skip these with
``-m "not site"``.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import browser_page, fill_battery, go_to, need_chromium, output_dir
from playwright.sync_api import expect

from backcourse.content.load import load_course
from backcourse.export.site import APP_URL, LAB_URL, NOTEBOOK_URL, TOOLS_PYTHON, build_site
from backcourse.serve.launch import serving

pytestmark = [pytest.mark.site, pytest.mark.slow, pytest.mark.browser]

#: the kernel starts Pyodide and loads the course's wheels: tens of seconds on 2 busy cores
BOOT_MS = 300_000
KERNEL = """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return k ? k.status === 'idle' : false; }"""
ALL_RAN = """() => { const w = window.jupyterapp.shell.currentWidget;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  return cells.length > 0 && cells.every(c => c.model.executionCount !== null)
    && w.sessionContext.session.kernel.status === 'idle'; }"""
OUTPUTS = """() => window.jupyterapp.shell.currentWidget.content.widgets
  .filter(c => c.model.type === 'code').map(c => {
    const outs = [];
    for (let i = 0; i < c.model.outputs.length; i++) outs.push(c.model.outputs.get(i).toJSON());
    return {source: c.model.sharedModel.getSource(), count: c.model.executionCount,
            outputs: outs}; })"""
LAST_RAN = """() => { const w = window.jupyterapp.shell.currentWidget;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  return cells[cells.length - 1].model.executionCount !== null
    && w.sessionContext.session.kernel.status === 'idle'; }"""
ADD_AND_RUN = """async (code) => { const app = window.jupyterapp;
  const nb = app.shell.currentWidget.content;
  nb.activeCellIndex = nb.widgets.length - 1;
  await app.commands.execute('notebook:insert-cell-below');
  nb.activeCell.model.sharedModel.setSource(code);
  await app.commands.execute('notebook:run-cell'); }"""
READ_JOURNAL = """\
from backcourse import lesson
from backcourse.core.records import Assessment
j = lesson.journal()
print("JOURNAL", j.path, j.in_memory, j.latest_screening().outcome, j.count(Assessment))"""

EXPORT = """\
from backcourse import lesson
from backcourse.content.load import load_course
from backcourse.journal.store import Journal
path = lesson.journal().export_json("my-journal.json")
with Journal("/drive/.backcourse/copy.sqlite3") as copy:
    count = copy.import_json(path, load_course())
    same = copy.export_data()["tables"] == lesson.journal().export_data()["tables"]
    print("IMPORTED", path.resolve(), count, same)"""
RUN_CODE = """async (code) => { const kernel = window.jupyterapp.shell.currentWidget
    .sessionContext.session.kernel;
  const future = kernel.requestExecute({code}); let out = '';
  future.onIOPub = (msg) => { const c = msg.content; if (c.text) out += c.text;
    if (c.evalue) out += c.ename + ': ' + c.evalue; };
  await future.done; return out; }"""
TAB_OPENS = """\
from backcourse.core.records import Screening
from backcourse.journal.store import Journal, JournalError
j = Journal("/drive/.backcourse/tabs.sqlite3")
print("OPEN", j.in_memory, j.count(Screening))"""
TAB_SAVES = """\
ok, refused, said = 0, 0, set()
for day in range(1, {n} + 1):
    try:
        j.add(Screening(taken_on=f"2026-12-{{day:02d}}", outcome="clear"))
        ok += 1
    except JournalError as e:
        refused, said = refused + 1, said | {{str(e)}}
print("SAVED", ok, refused, said)"""
LISTING = """async () => (await window.jupyterapp.serviceManager.contents.get(''))
  .content.map(x => x.name)"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_chromium()
    if sys.version_info[:2] != TOOLS_PYTHON and not os.environ.get("CI"):  # CI: fail, named
        pytest.skip(f"the site's build tools are pinned for Python {TOOLS_PYTHON}")
    out = tmp_path_factory.mktemp("site") / "site"
    cache = os.environ.get("BACKCOURSE_SITE_CACHE")
    build_site(out, cache=Path(cache) if cache else None, handouts=False, say=lambda _: None)
    return out


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    return output_dir(request)


def allowed(base: str) -> tuple[str, ...]:
    return (base + "/", "data:", "blob:")


def local_failures(failed: list[str]) -> list[str]:
    """Failed local requests, less the 404s a static server gives when the lab looks for a
    server first: to resolve a /drive path, or to list a folder the learner made (such as
    the journal's); the lab then uses the browser's storage."""
    return [f for f in failed if not re.fullmatch(
        r"404 http://127\.0\.0\.1:\d+/lab/api/(resolvePath\?.*|contents/.+/all\.json)", f)]


def open_notebook(page: Any, url: str) -> None:
    """Open a notebook's page (alone, or in the lab) and wait for its kernel."""
    page.goto(url)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=BOOT_MS)
    page.wait_for_function(KERNEL, timeout=BOOT_MS)


def run_all(page: Any) -> list[dict[str, Any]]:
    """Run every cell of the open notebook as a learner does (Run, Run All Cells); return
    each code cell and its outputs."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells\b")).click()
    page.wait_for_function(ALL_RAN, timeout=BOOT_MS)
    cells: list[dict[str, Any]] = page.evaluate(OUTPUTS)
    return cells


def run_cell(page: Any, code: str) -> str:
    """Add a cell at the end of the open notebook, run it, and return what it printed."""
    page.evaluate(ADD_AND_RUN, code)
    page.wait_for_function(LAST_RAN, timeout=BOOT_MS)
    outputs = page.evaluate(OUTPUTS)[-1]["outputs"]
    return "".join(str(o.get("text", "")) + str(o.get("evalue", "")) for o in outputs)


def errors(cells: list[dict[str, Any]]) -> list[str]:
    return [f"{c['source'][:60]!r}: {o['ename']}: {o['evalue']}" for c in cells
            for o in c["outputs"] if o["output_type"] == "error"]


def answer_no_to_every_warning_sign(scope: Any) -> None:
    """Press No for each question of the safety check, then Check my answers."""
    questions = len(load_course().red_flags)
    noes = scope.get_by_role("button", name="No", exact=True)
    noes.first.wait_for(timeout=60_000)
    expect(noes).to_have_count(questions)  # widgets may still be rendering
    for i in range(questions):
        noes.nth(i).click()
    scope.get_by_role("button", name="Check my answers").click()


def test_the_home_page_links_the_course_and_the_app(base: str, shots: Path) -> None:
    with browser_page(shots, allowed(base)) as (page, watch):
        page.goto(f"{base}/index.html")
        page.get_by_role("link", name="Run it in your browser").wait_for()
        for unit in load_course().units:
            page.get_by_role("heading", name=re.compile(re.escape(unit.title))).wait_for()
        note = page.locator("#web-server").inner_text()  # file:// cannot run the lab
        assert "web server" in note and "python3 -m http.server" in note
        hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.href)")
        assert f"{base}/{APP_URL}" in hrefs
        first = load_course().units[0].notebook
        start = page.get_by_role("link", name="Run it in your browser")
        assert start.get_attribute("href") == f"{NOTEBOOK_URL}{first}"  # alone: fits a phone
        lab = page.get_by_role("link", name="Open the whole course in JupyterLab")
        assert lab.get_attribute("href") == f"{LAB_URL}{first}"  # with its file browser
        page.screenshot(path=str(shots / "home.png"), full_page=True)
        for href in {h.split("?")[0] for h in hrefs}:
            assert page.request.get(href).ok, href
    assert watch.blocked == [] and watch.errors == []


def test_notebooks_run_save_to_the_journal_and_keep_it_after_a_reload(
        base: str, shots: Path) -> None:
    """Notebook 00, alone in the Notebook page as the home page opens it, runs every cell,
    names its toggle buttons' state and saves its safety check; notebook 02, in the lab,
    saves a battery result and draws its chart; after a reload the journal still holds
    both, and exports to a file in the file browser that imports into another journal."""
    with browser_page(shots, allowed(base)) as (page, watch):
        units = load_course().units
        started = time.perf_counter()
        open_notebook(page, f"{base}/{NOTEBOOK_URL}{units[0].notebook}")
        cells = run_all(page)
        ran = time.perf_counter() - started
        assert errors(cells) == [] and all(c["count"] for c in cells), errors(cells)
        panel = page.locator(".jp-NotebookPanel")
        answer_no_to_every_warning_sign(panel)
        panel.get_by_text("No warning signs").first.wait_for(timeout=60_000)
        # the app's widget script runs on this page too: each No pressed says so
        pressed = panel.locator(".widget-toggle-button[aria-pressed=true]")
        expect(pressed.get_by_text("No", exact=True)).to_have_count(len(load_course().red_flags))
        expect(panel.locator(".widget-toggle-button:not([aria-pressed])")).to_have_count(0)
        page.screenshot(path=str(shots / "1-notebook-00.png"))
        page.set_viewport_size({"width": 390, "height": 844})  # a phone: the notebook fills it
        page.wait_for_function("() => document.querySelector('.jp-NotebookPanel')"
                               ".getBoundingClientRect().width >= 380")
        page.screenshot(path=str(shots / "1-notebook-00-390.png"))
        page.set_viewport_size({"width": 1280, "height": 900})
        assert "JOURNAL /drive/.backcourse/me.sqlite3 True clear 0" in run_cell(page, READ_JOURNAL)

        open_notebook(page, f"{base}/{LAB_URL}{units[2].notebook}")
        listed = page.locator(".jp-FileBrowser .jp-DirListing-itemText")  # the whole course
        listed.get_by_text(units[-1].notebook, exact=True).wait_for()
        assert {u.notebook for u in units} <= set(listed.all_inner_texts())
        cells = run_all(page)
        assert errors(cells) == [], errors(cells)
        panel = page.locator(".jp-NotebookPanel")
        # the lab skips drawing cells out of view (content-visibility): look for them hidden
        panel.get_by_role("img", name=re.compile("average hold times", re.I),
                          include_hidden=True).first.wait_for(state="attached")
        fill_battery(page)
        panel.get_by_role("button", name="Save and compare").click()
        panel.get_by_text(re.compile(r"Saved your \d+ test result")).wait_for(timeout=60_000)
        chart = panel.get_by_role("img", name=re.compile("^Your holds beside"),
                                  include_hidden=True).first
        chart.wait_for(state="attached", timeout=60_000)
        chart.evaluate("e => e.scrollIntoView()")
        page.wait_for_function("e => e.tagName === 'svg' && e.querySelector('text') "
                               "&& e.getBoundingClientRect().width > 200",
                               arg=chart.element_handle())
        page.screenshot(path=str(shots / "2-notebook-02-chart.png"))
        saved = run_cell(page, READ_JOURNAL)
        assert re.search(r"JOURNAL \S+ True clear ([1-9]\d*)", saved), saved

        page.reload()  # the lab reopens both notebooks, 02 in front, each with a new kernel
        page.wait_for_function(KERNEL, timeout=BOOT_MS)
        assert run_cell(page, READ_JOURNAL) == saved
        imported = run_cell(page, EXPORT)
        assert re.search(r"IMPORTED /drive/my-journal.json ([2-9]|\d\d+) True", imported), imported
        assert "my-journal.json" in page.evaluate(LISTING)  # in the file browser, to download
    blocked, failed, script_errors = watch.problems(reloaded=True)
    assert blocked == [] and local_failures(failed) == [], (blocked, failed)
    (shots / "timing.txt").write_text(f"notebook 00 opened to all cells run: {ran:.1f} s\n")


def test_the_app_screens_and_shows_the_programme(base: str, shots: Path) -> None:
    with browser_page(shots, allowed(base)) as (page, watch):
        started = time.perf_counter()
        page.goto(f"{base}/{APP_URL}")
        app = page.locator(".bc-app").first
        app.wait_for(timeout=BOOT_MS)
        app.get_by_role("button", name="Check my answers").wait_for(timeout=60_000)
        # the app starts at its top: no blank band above it, not scrolled to its end
        assert app.evaluate("e => e.getBoundingClientRect().top") < 20
        answer_no_to_every_warning_sign(app)
        first = time.perf_counter() - started
        app.get_by_text("No warning signs").first.wait_for(timeout=60_000)
        app.get_by_text(re.compile(r"^Saved to your journal on .*, in this browser, on this "
                                   r"device only")).wait_for()
        # the app's script names the toggle buttons' state here too, as in Voila
        pressed = app.locator(".widget-toggle-button[aria-pressed=true]")
        expect(pressed.get_by_text("No", exact=True)).to_have_count(len(load_course().red_flags))
        expect(app.locator(".widget-toggle-button:not([aria-pressed])")).to_have_count(0)
        assert page.locator(".jp-CodeConsole-promptCell").is_hidden()  # nowhere to type code
        page.screenshot(path=str(shots / "1-safety.png"))
        go_to(page, "My programme", "What to do next session")
        page.screenshot(path=str(shots / "2-programme.png"), full_page=True)
        assert page.get_by_text("Your exercise plan is on hold").count() == 0
        go_to(page, "Exercise now", "Start the session")
        page.get_by_label("Pain now (0-10)").select_option(label="1")
        page.get_by_role("button", name="Start the session").click()
        app.get_by_text(re.compile(r"^Set 1 of \d+")).first.wait_for(timeout=60_000)
        page.get_by_text("Get into position").first.wait_for()
        # shown again after hiding: the Pyodide kernel once sent that as nothing
        page.get_by_role("button", name="Start the hold").click()
        timer = page.get_by_role("timer")
        timer.wait_for(timeout=60_000)
        page.wait_for_function("t => document.querySelector('[role=timer]').innerText !== t",
                               arg=timer.inner_text(), timeout=10_000)  # the ticker runs
        page.screenshot(path=str(shots / "3-player.png"))
        page.get_by_role("button", name="Set done").click()
        page.get_by_text(re.compile(r"^Rest\. Next: .*set 2")).first.wait_for(timeout=60_000)
        page.get_by_role("button", name="Skip the rest").wait_for()
    blocked, failed, script_errors = watch.problems()
    assert blocked == [] and local_failures(failed) == [], (blocked, failed)
    (shots / "timing.txt").write_text(f"app opened to safety check answered: {first:.1f} s\n")


def test_two_tabs_saving_the_journal_keep_every_save(base: str, shots: Path) -> None:
    """Two tabs of the site, each with the journal open: saves taken in turn are all kept
    (each tab reads the other's first); saves at the same moment never damage the file, and
    a save that finds the file changed under it is refused in one line. (Two saves within
    the few milliseconds between that check and the rename can still lose one: tabs.txt
    counts them under a stress loop.)"""
    with browser_page(shots, allowed(base)) as (page, watch):
        repl = f"{base}/lab/repl/index.html?kernel=python"
        page.goto(repl)
        with page.expect_popup() as opened:  # a second tab sharing the browser's storage
            page.evaluate("url => window.open(url)", repl)
        other = opened.value
        other.route("**/*", lambda r: r.continue_() if r.request.url.startswith(allowed(base))
                    else (watch.blocked.append(r.request.url), r.abort()))
        tabs = (page, other)
        for tab in tabs:
            tab.wait_for_function(KERNEL, timeout=BOOT_MS)
            assert tab.evaluate(RUN_CODE, TAB_OPENS).strip() == "OPEN True 0"
        for turn, tab in enumerate((page, other, page), start=1):  # in turn: all kept
            said = tab.evaluate(RUN_CODE, TAB_SAVES.format(n=1))
            assert said.startswith("SAVED 1 0"), said
            assert tab.evaluate(RUN_CODE, "print(j.count(Screening))").strip() == str(turn)
        for tab in tabs:  # at the same moment: both start, then both are awaited
            tab.evaluate(f"c => {{ window.saving = ({RUN_CODE})(c); }}", TAB_SAVES.format(n=20))
        results = [tab.evaluate("() => window.saving") for tab in tabs]
        found = page.evaluate(RUN_CODE, "k = Journal(j.path)\n"
                                        "print(k.count(Screening), k.integrity())").split()
    saved = [int(r.split()[1]) for r in results]
    for result in results:
        refusals = re.findall(r"'([^']*)'", result)
        assert all(r.startswith("another tab or window saved your journal") for r in refusals)
    assert found[1] == "ok", found  # never a damaged file
    held, refused = int(found[0]) - 3, [int(r.split()[2]) for r in results]
    assert held <= sum(saved) and (held == sum(saved) or sum(refused) > 0), (results, held)
    (shots / "tabs.txt").write_text(
        f"same moment: saved {saved}, refused {refused}, file holds {held} of {sum(saved)}\n")
    blocked, failed, _ = watch.problems()
    assert blocked == [] and local_failures(failed) == [], (blocked, failed)
