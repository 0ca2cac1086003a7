"""Benchmark: `backcourse report` on 20 synthetic clients against a plain sequential loop of
the `papermill` and `jupyter nbconvert` command lines over the same notebook.

    python benchmarks/reports.py [--clients 20] [--jobs N]

Prints a table and writes benchmarks/results-reports.json. The reports of both runs are
checked to say the same things (plan or no plan, readiness) for every client.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from backcourse.content.load import load_course
from backcourse.export.reports import fill_journal
from backcourse.export.roster import COLUMNS, read_roster
from backcourse.infra.paths import notebooks_dir
from backcourse.journal.samples import PERSONAS, write_persona
from backcourse.journal.store import Journal

HERE = Path(__file__).resolve().parent
SIGNS = ("Your plan is on hold", "You meet every readiness goal", "Not ready for the capstone",
         "No safety check on record yet")


def make_roster(folder: Path, clients: int) -> Path:
    rows = [",".join(COLUMNS)]
    for n in range(clients):
        with Journal(":memory:") as journal:
            write_persona(journal, sorted(PERSONAS)[n % 4], seed=n)
            journal.export_json(folder / f"j{n}.json")
        row = {"client_id": f"c{n}", "name": f"Client {n}", "journal": f"j{n}.json",
               "weeks": "8", "sessions_per_week": "3", "today": "2026-04-06"}
        rows.append(",".join(row.get(column, "") for column in COLUMNS))
    path = folder / "roster.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def signs(page: Path) -> tuple[str, ...]:
    text = page.read_text(encoding="utf-8")
    return tuple(s for s in SIGNS if s in text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        base = Path(work)
        roster = make_roster(base, args.clients)
        clients = read_roster(roster, load_course())
        bindir = Path(sys.executable).parent

        start = time.perf_counter()
        subprocess.run([str(bindir / "backcourse"), "report", "--roster", str(roster), "--out",
                        str(base / "ours"), "--jobs", str(args.jobs)], check=True,
                       capture_output=True)
        ours = time.perf_counter() - start

        homes = base / "homes"
        for c in clients:  # journals prepared outside the timing, for the baseline only
            with Journal(homes / f"{c.file_id}.sqlite3") as journal:
                fill_journal(journal, c)
        start = time.perf_counter()
        for c in clients:
            out = base / "cli" / f"{c.file_id}.ipynb"
            out.parent.mkdir(exist_ok=True)
            subprocess.run([str(bindir / "papermill"), str(notebooks_dir() / "08_my_program.ipynb"),
                            str(out), "-p", "learner", c.file_id, "-p", "journal_home",
                            str(homes), "-p", "weeks", "8", "-p", "sessions_per_week", "3",
                            "-p", "today", c.today, "--cwd", str(notebooks_dir())],
                           check=True, capture_output=True)
            subprocess.run([str(bindir / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                            str(out)], check=True, capture_output=True)
        baseline = time.perf_counter() - start

        same = all(signs(base / "ours" / f"{c.file_id}.html")
                   == signs(base / "cli" / f"{c.file_id}.html") for c in clients)
    result = {
        "clients": args.clients, "jobs": args.jobs, "cpus": os.cpu_count(),
        "backcourse_report_s": round(ours, 1), "sequential_cli_loop_s": round(baseline, 1),
        "speedup": round(baseline / ours, 2),
        "per_client_s": {"backcourse_report": round(ours / args.clients, 2),
                         "sequential_cli_loop": round(baseline / args.clients, 2)},
        "same_reports": same,
    }
    print(f"{'run':<28}{'total s':>9}{'per client s':>14}")
    print(f"{'backcourse report':<28}{ours:>9.1f}{ours / args.clients:>14.2f}")
    print(f"{'papermill + nbconvert loop':<28}{baseline:>9.1f}{baseline / args.clients:>14.2f}")
    print(f"speed-up {baseline / ours:.1f}x; same reports: {same}")
    (HERE / "results-reports.json").write_text(json.dumps(result, indent=1) + "\n")
    if not same:
        raise SystemExit("the two runs disagree")


if __name__ == "__main__":
    main()
