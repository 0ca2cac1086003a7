"""Benchmark: `backcourse report` against its floor and against the command-line loop.

    python benchmarks/reports.py [--clients 20] [--jobs N]

In one run, on the same synthetic clients:

- the floor: start a fresh kernel, run a one-cell notebook and export it to HTML (what any
  report costs at least, since each client gets a fresh kernel to keep clients apart), for
  as many notebooks as clients, ``jobs`` at a time like the report run, so both meet the
  same contention for the cores; once before and once after the report run (other work on
  the machine comes and goes), the mean of the two;
- `backcourse report` on every client, ``jobs`` at a time: its time per client per job
  (total x jobs / clients) against the floor's (target: at most 1.5x). One notebook at a
  time, the floor is also timed alone (five runs, the median), for reference; and the CPU
  seconds per client against the floor's per notebook, which other work on the machine
  does not inflate as it does wall time;
- a plain sequential loop of the `papermill` and `jupyter nbconvert` command lines over the
  same report notebook (target: `backcourse report` at least 5x faster);
- `backcourse report --pdf`, on its own line: what the PDFs add per client.

Prints a table and writes benchmarks/results-reports.json. The reports of both runs are
checked to say the same things (warning first, plan or not, readiness) for every client.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from backcourse.content.load import load_course
from backcourse.export.handouts import Pages
from backcourse.export.reports import TEMPLATE, fill_journal
from backcourse.export.roster import COLUMNS, read_roster
from backcourse.export.run import fan_out, run_notebook
from backcourse.journal.samples import PERSONAS, write_persona
from backcourse.journal.store import Journal

HERE = Path(__file__).resolve().parent
SIGNS = ("Your exercise plan is on hold", "Your home exercises", "No safety check on record",
         "Your plan is paused", "Where you stand")


def make_roster(folder: Path, clients: int) -> Path:
    rows = [",".join(COLUMNS)]
    for n in range(clients):
        with Journal(":memory:") as journal:
            write_persona(journal, sorted(PERSONAS)[n % 4], seed=n)
            journal.export_json(folder / f"j{n}.json")
        row = {"client_id": f"c{n}", "name": f"Client {n}", "journal": f"j{n}.json",
               "weeks": "8", "sessions_per_week": "3", "today": "2026-03-09"}
        rows.append(",".join(row.get(column, "") for column in COLUMNS))
    path = folder / "roster.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def signs(page: Path) -> tuple[str, ...]:
    text = page.read_text(encoding="utf-8")
    return tuple(s for s in SIGNS if s in text)


def floor(work: Path, runs: int = 5) -> list[float]:
    """Times to start a kernel, run a one-cell notebook and export it to HTML, one at a time."""
    notebook, pages = one_cell(work), Pages()  # nbconvert and its templates loaded once,
    times = []                                 # as the report run has them
    for _ in range(runs):
        start = time.perf_counter()
        export(notebook, work, pages)
        times.append(time.perf_counter() - start)
    return times


def floor_jobs(work: Path, count: int, jobs: int) -> tuple[float, float]:
    """The floor per notebook per job: ``count`` one-cell notebooks, ``jobs`` at a time, each
    in a fresh kernel and exported, as `backcourse report` runs its clients; and the CPU
    seconds per notebook (this process and its kernels)."""
    notebook, pages = one_cell(work), Pages()
    start, cpu = time.perf_counter(), cpu_seconds(with_self=True)
    _, failed = fan_out(range(count), lambda n: export(notebook, work / f"f{n}", pages), jobs)
    assert not failed, failed
    return ((time.perf_counter() - start) * jobs / count,
            (cpu_seconds(with_self=True) - cpu) / count)


def cpu_seconds(with_self: bool = False) -> float:
    """User and system CPU of the finished child processes (and of this one): a cost that
    other work on the machine does not inflate, unlike wall time."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF) if with_self else None
    return used.ru_utime + used.ru_stime + (own.ru_utime + own.ru_stime if own else 0.0)


def one_cell(work: Path) -> Path:
    import nbformat

    notebook = work / "one-cell.ipynb"
    nbformat.write(nbformat.v4.new_notebook(  # type: ignore[no-untyped-call]
        cells=[nbformat.v4.new_code_cell("1 + 1")]), notebook)  # type: ignore[no-untyped-call]
    return notebook


def export(notebook: Path, work: Path, pages: Pages) -> None:
    body = pages.html(run_notebook(notebook, work / "home"))
    work.mkdir(exist_ok=True)
    (work / "one-cell.html").write_text(body, encoding="utf-8")


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds of a command, and the CPU seconds of it and its kernels."""
    start, cpu = time.perf_counter(), cpu_seconds()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    n, jobs = args.clients, args.jobs
    bindir = Path(sys.executable).parent
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as work:
        base = Path(work)
        roster = make_roster(base, n)
        clients = read_roster(roster, load_course())
        alone = floor(base)
        before, cpu_before = floor_jobs(base, n, jobs)
        report = [str(bindir / "backcourse"), "report", "--roster", str(roster), "--jobs",
                  str(jobs), "--out"]
        ours, cpu_ours = timed([*report, str(base / "ours")])
        after, cpu_after = floor_jobs(base, n, jobs)  # the load changes while the report
        one = (before + after) / 2  # runs: the mean of the floor before and after it is
        cpu_floor, cpu_client = (cpu_before + cpu_after) / 2, cpu_ours / n  # the floor
        pdf, _ = timed([*report, str(base / "pdf"), "--pdf"])

        homes = base / "homes"
        for c in clients:  # journals prepared outside the timing, for the baseline only
            with Journal(homes / f"{c.file_id}.sqlite3") as journal:
                fill_journal(journal, c)
        start = time.perf_counter()
        for c in clients:
            out = base / "cli" / f"{c.file_id}.ipynb"
            out.parent.mkdir(exist_ok=True)
            subprocess.run([str(bindir / "papermill"), str(TEMPLATE), str(out), "-p", "learner",
                            c.file_id, "-p", "journal_home", str(homes), "-p", "weeks", "8",
                            "-p", "sessions_per_week", "3", "-p", "today", c.today,
                            "-p", "client_name", c.name, "--cwd", str(TEMPLATE.parent)],
                           check=True, capture_output=True)
            subprocess.run([str(bindir / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                            str(out)], check=True, capture_output=True)
        baseline = time.perf_counter() - start

        same = all(signs(base / "ours" / f"{c.file_id}.html")
                   == signs(base / "cli" / f"{c.file_id}.html") for c in clients)
    per_job = ours * jobs / n
    result = {
        "clients": n, "jobs": jobs, "cpus": os.cpu_count(),
        "floor_per_client_per_job_s": round(one, 2),
        "floor_before_after_s": [round(before, 2), round(after, 2)],
        "floor_one_at_a_time_s": round(statistics.median(alone), 2),
        "backcourse_report_s": round(ours, 1),
        "per_client_per_job_s": round(per_job, 2),
        "per_client_per_job_vs_floor": round(per_job / one, 2),
        "cpu_per_client_s": round(cpu_client, 2),
        "floor_cpu_per_notebook_s": round(cpu_floor, 2),
        "cpu_per_client_vs_floor": round(cpu_client / cpu_floor, 2),
        "sequential_cli_loop_s": round(baseline, 1),
        "speedup_vs_cli_loop": round(baseline / ours, 2),
        "backcourse_report_pdf_s": round(pdf, 1),
        "pdf_adds_per_client_s": round((pdf - ours) / n, 2),
        "same_reports": same,
        "load_average_before_after": [round(load_before, 1), round(os.getloadavg()[0], 1)],
    }
    print(f"{'run':<44}{'total s':>9}{'per client s':>14}")
    print(f"{'floor alone: kernel + one-cell notebook':<44}{statistics.median(alone):>9.2f}"
          f"{statistics.median(alone):>14.2f}   export, one at a time (median of 5)")
    print(f"{f'floor, {jobs} jobs, {n} notebooks':<44}{one * n / jobs:>9.1f}{one / jobs:>14.2f}"
          f"   per notebook per job {one:.2f} s (mean of {before:.2f} s before and "
          f"{after:.2f} s after the report run)")
    print(f"{f'backcourse report, {jobs} jobs':<44}{ours:>9.1f}{ours / n:>14.2f}"
          f"   per client per job {per_job:.2f} s = {per_job / one:.2f}x the floor")
    print(f"{'CPU per client (report and its kernels)':<44}{cpu_ours:>9.1f}{cpu_client:>14.2f}"
          f"   against {cpu_floor:.2f} s for the floor: {cpu_client / cpu_floor:.2f}x (what "
          "load does not change)")
    print(f"{'papermill + nbconvert loop, sequential':<44}{baseline:>9.1f}{baseline / n:>14.2f}"
          f"   backcourse report is {baseline / ours:.1f}x faster")
    print(f"{'backcourse report --pdf':<44}{pdf:>9.1f}{pdf / n:>14.2f}"
          f"   the PDFs add {(pdf - ours) / n:.2f} s per client")
    print(f"same reports: {same}; machine load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after (other work on the cores slows the parallel jobs)")
    (HERE / "results-reports.json").write_text(json.dumps(result, indent=1) + "\n")
    if not same:
        raise SystemExit("the two runs disagree")


if __name__ == "__main__":
    main()
