"""Measure what users wait for, against the targets of the course (run on any machine).

    python benchmarks/run.py [--quick]

Prints one row per measurement (median and spread) and writes benchmarks/results.json.
`--quick` leaves out the slow rows (notebook medians of 3, and the roster comparison).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
PURE = ["backcourse", "backcourse.content.load", "backcourse.journal.store",
        "backcourse.core.model", "backcourse.core.course",
        "backcourse.core.parse", "backcourse.core.quiz", "backcourse.core.screening",
        "backcourse.core.startback", "backcourse.core.assessment", "backcourse.core.progression",
        "backcourse.core.recommend", "backcourse.core.schedule", "backcourse.core.records",
        "backcourse.core.citations", "backcourse.core.stopwatch"]
rows: list[dict[str, object]] = []


def record(what: str, values: list[float], unit: str, target: float | None,
           note: str = "") -> None:
    median = statistics.median(values)
    spread = (max(values) - min(values)) if len(values) > 1 else 0.0
    ok = None if target is None else median <= target
    rows.append({"what": what, "median": round(median, 3), "spread": round(spread, 3),
                 "n": len(values), "unit": unit, "target": target, "met": ok, "note": note})
    mark = "" if ok is None else ("ok" if ok else "MISSED")
    print(f"{what:<52}{median:>10.3f} {unit:<3} ±{spread:<8.3f}"
          f"{'' if target is None else f'<= {target:g}':>10} {mark} {note}", flush=True)


def timed(call: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


def imports() -> None:
    def run(code: str) -> list[float]:
        return timed(lambda: subprocess.run([sys.executable, "-c", code], check=True), 7)

    bare = statistics.median(run("pass"))
    for module in PURE:
        record(f"import {module}", [(t - bare) * 1000 for t in run(f"import {module}")], "ms", 60)
    record("import backcourse.lesson (what notebooks import)",
           [(t - bare) * 1000 for t in run("import backcourse.lesson")], "ms", 60)


def notebooks(repeat: int) -> None:
    import papermill

    from backcourse.infra.paths import notebooks_dir

    first_runs = []
    for path in sorted(notebooks_dir().glob("*.ipynb")):
        with tempfile.TemporaryDirectory() as work:
            os.environ["BACKCOURSE_HOME"] = work
            runs = timed(lambda path=path, work=work: papermill.execute_notebook(
                str(path), str(Path(work) / "out.ipynb"), cwd=str(path.parent),
                progress_bar=False, kernel_name="python3"), repeat)
        first_runs.append(runs[0])
        record(f"run all: {path.stem}", runs, "s", 8)
    record("the whole course, fresh kernel each", [sum(first_runs)], "s", 90)


def widgets() -> None:
    from backcourse.content.load import load_course
    from backcourse.core.records import Screening
    from backcourse.journal.store import Journal
    from backcourse.views.assess import BatteryView
    from backcourse.views.quiz import QuizView
    from backcourse.views.screen import ScreenView

    course = load_course()
    quiz = QuizView(course.quiz_for("01"), course)
    item = course.quiz_for("01")[0]

    def answer() -> None:
        quiz.choices[item.id].value = item.answer
        quiz.buttons[item.id].click()
    record("widget: quiz answer checked", [t * 1000 for t in timed(answer, 30)], "ms", 50)
    screen = ScreenView(course, Journal(":memory:"), dt.date(2026, 3, 2))
    for toggle in screen.answers.values():
        toggle.value = "No"
    record("widget: safety screen judged and saved",
           [t * 1000 for t in timed(screen.submit.click, 30)], "ms", 50)
    screened = Journal(":memory:")  # the battery saves only after a clear safety check
    screened.add(Screening(taken_on="2026-03-01", outcome="clear"))
    battery = BatteryView(course, screened, dt.date(2026, 3, 2))
    battery.age.value, battery.sex.value = "30", "female"
    battery.timers["side_bridge_left"].seconds.value = "55"
    battery.save.click()
    assert "Saved your 1 test result" in battery.message.value, "the save was refused"
    record("widget: one result saved and compared (1 chart)",
           [t * 1000 for t in timed(battery.save.click, 15)], "ms", 50)
    for key, value in (("trunk_flexion", "90"), ("trunk_extension", "120"),
                       ("side_bridge_right", "60")):
        battery.timers[key].seconds.value = value
    record("widget: full battery saved, with 3 charts",
           [t * 1000 for t in timed(battery.save.click, 10)], "ms", None,
           "draws 3 figures; not a keystroke response")


def slides() -> None:
    from backcourse.export.slides import build_slides, find_notebooks

    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        decks, failed = build_slides(find_notebooks([]), Path(out), jobs=os.cpu_count() or 1)
        took = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())
        assets = sum(p.stat().st_size for p in (Path(out) / "assets").rglob("*") if p.is_file())
    assert not failed
    record("backcourse slides, whole course", [took], "s", 60,
           f"{len(decks)} decks, {size / 1e6:.1f} MB in all, shared assets {assets / 1e6:.1f} MB")


def journal(repeat: int) -> None:
    """10,000 sessions saved one transaction each with the journal's synchronous=FULL (each
    save on disk before it returns), against NORMAL in the same run as the baseline (WAL's
    default, which can lose the last saves on power loss), runs interleaved; in a folder
    beside this file, so on a real disk rather than a memory file system."""
    from backcourse.core.records import SessionLog
    from backcourse.journal.store import Journal

    def log(i: int) -> SessionLog:
        return SessionLog(done_on=f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                          exercise="dead-hang", rung="dead-hang-1", sets=3, seconds=20,
                          pain_before=2, pain_after=3)

    def insert(synchronous: str) -> float:
        with tempfile.TemporaryDirectory(dir=HERE) as work:
            with Journal(Path(work) / "j.sqlite3") as j:
                j._db.execute(f"PRAGMA synchronous={synchronous}")  # the baseline's setting
                start = time.perf_counter()
                for i in range(10_000):
                    j.add(log(i))
                return time.perf_counter() - start

    took: dict[str, list[float]] = {"NORMAL": [], "FULL": []}
    for _ in range(repeat):
        for synchronous in took:
            took[synchronous].append(insert(synchronous))
    full, normal = (statistics.median(took[s]) for s in ("FULL", "NORMAL"))
    record("journal: one save, synchronous=FULL (10,000 in a row)",
           [t / 10 for t in took["FULL"]], "ms", 50, "a save is a click: under a widget's 50 ms")
    record("journal: 10,000 saves, synchronous=FULL", took["FULL"], "s", None)
    record("journal: 10,000 saves, synchronous=NORMAL (baseline)", took["NORMAL"], "s", None)
    record("journal: cost of FULL over NORMAL", [full / normal], "x", None,
           "durability on power loss, same run")
    with tempfile.TemporaryDirectory(dir=HERE) as work:
        with Journal(Path(work) / "j.sqlite3") as j:
            j.import_records([log(i) for i in range(10_000)], "benchmark")
            record("journal: query behind the progress plot",
                   [t * 1000 for t in timed(j.sessions, 7)], "ms", 100)


def app(repeat: int) -> None:
    """`backcourse app` on loopback: until the server answers, then until a browser shows the
    safety check (Debian's Chromium through Playwright; left out when it is missing)."""
    import shutil
    import urllib.request

    chromium = shutil.which("chromium")
    if chromium is None:
        print("backcourse app: skipped (no chromium)")
        return
    from playwright.sync_api import sync_playwright

    up, shown = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as work:
            log = Path(work) / "log"
            start = time.perf_counter()
            with log.open("w") as out:
                proc = subprocess.Popen([sys.executable, "-m", "backcourse", "app", "--no-browser",
                                         "--home", work], stdout=out, stderr=subprocess.STDOUT)
            try:
                deadline = time.monotonic() + 60
                while "?token=" not in log.read_text():
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"backcourse app did not start:\n{log.read_text()}")
                    time.sleep(0.05)
                url = log.read_text().split("programme at: ", 1)[1].split()[0]
                while True:
                    try:
                        urllib.request.urlopen(url, timeout=5).close()
                        break
                    except OSError:
                        if proc.poll() is not None or time.monotonic() > deadline:
                            raise RuntimeError(
                                f"no answer at {url}:\n{log.read_text()}") from None
                        time.sleep(0.05)
                up.append(time.perf_counter() - start)
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
                    page = browser.new_page()
                    start = time.perf_counter()
                    page.goto(url)
                    page.get_by_role("button", name="Check my answers").wait_for(timeout=60_000)
                    shown.append(time.perf_counter() - start)
                    browser.close()
            finally:
                proc.terminate()
                proc.wait(20)
    record("backcourse app: start until the server answers", up, "s", None)
    record("backcourse app: first render (request to safety check)", shown, "s", 10,
           "new kernel, the page's cells run, widgets drawn")


def reports() -> None:
    subprocess.run([sys.executable, str(HERE / "reports.py")], check=True,
                   stdout=subprocess.DEVNULL)
    found = json.loads((HERE / "results-reports.json").read_text())
    record("backcourse report, 20 clients", [found["backcourse_report_s"]], "s", None,
           f"sequential papermill+nbconvert loop {found['sequential_cli_loop_s']} s")
    rows[-1]["speedup"] = found["speedup"]
    print(f"{'report speed-up over the CLI loop':<52}{found['speedup']:>10.2f} x   "
          f"{'>= 3':>10} {'ok' if found['speedup'] >= 3 else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(f"{'what':<52}{'median':>10}     {'spread':<9}{'target':>10}")
    imports()
    widgets()
    journal(1 if args.quick else 3)
    slides()
    app(1 if args.quick else 3)
    notebooks(1 if args.quick else 3)
    if not args.quick:
        reports()
    (HERE / "results.json").write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "measured_on": dt.date.today().isoformat(), "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
