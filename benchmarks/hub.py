"""Size a class: memory and CPU of one student on a real JupyterHub (run on any machine).

    python benchmarks/hub.py [--students N] [--no-app] [--out FILE]

Starts the tested hub (docs/hub/jupyterhub_config.py, through tests/hub.py; needs
`npm ci --prefix tools/hub`) on 127.0.0.1 with N students (default 3), pulls the course into
each home with the class link, and measures each student in turn while the others sit idle:

- memory (RSS and PSS, MiB) of the student's server after JupyterLab's page was served once
  (idle), with notebook 02 open and all its code run (server + kernel), with notebooks 00-02
  run and left open (a typical lesson: server + three kernels), and with notebooks 00-09 all
  run and left open (server + ten kernels, the worst case);
- wall-clock and CPU time (user + system, the server's own processes) from asking the hub for
  a server to its being ready, and the size of the course the link puts in a home;
- CPU time (user + system) of the kernels and the server to run notebooks 00-09 once, each
  in a fresh kernel through the hub, as a student's "Run all" does;
- the hub, its proxy and the culler (fixed, per hub);
- with Chromium, the learner app (`backcourse app`: Voila and its kernel) started in a
  student's environment on a 12-week synthetic journal, with its page open and after every
  section was visited (a screenshot goes to test-output/benchmarks/hub-app.png).

RSS counts shared library pages in every process; PSS shares them out between the processes
that use them. Prints a table, the students per node and the memory a class of 30, 60 or 120
needs, and writes benchmarks/results-hub.json (or --out FILE).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as meta
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import psutil  # noqa: E402
import requests  # noqa: E402
from hub import (  # noqa: E402
    NOTEBOOKS,
    PROXY_BIN,
    ROOT,
    Hub,
    Kernel,
    class_link,
    code_cells,
    git_pull,
    running_hub,
)
from servers import BACKCOURSE, server  # noqa: E402

MiB = 2**20
OS_RESERVE = 1024  # MiB kept for the operating system: an assumption, not measured
HEADROOM = 0.25  # kept free for spikes, page cache, git and what was not measured
NODES = {"8 GiB": 8 * 1024, "64 GiB": 64 * 1024}
CLASSES = (30, 60, 120)
TYPICAL = 3  # notebooks a lesson leaves running: 00, 01 and 02


def memory(procs: list[psutil.Process]) -> dict[str, float]:
    """RSS and PSS of these processes together, MiB."""
    total = {"rss": 0.0, "pss": 0.0}
    for p in {p.pid: p for p in procs}.values():
        try:
            full = p.memory_full_info()
        except psutil.NoSuchProcess:
            continue
        total["rss"] += full.rss / MiB
        total["pss"] += full.pss / MiB
    return {k: round(v, 1) for k, v in total.items()}


def cpu(procs: list[psutil.Process]) -> float:
    """User + system seconds these processes have used so far."""
    seconds = 0.0
    for p in procs:
        try:
            times = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        seconds += times.user + times.system
    return seconds


def kernels_of(hub: Hub, user: str) -> list[psutil.Process]:
    return [p for p in hub.server_tree(user)[1:] if "ipykernel" in " ".join(p.cmdline())]


def one_student(hub: Hub, user: str, token: str) -> dict[str, Any]:
    """The student's memory idle, with notebook 02, with all ten open; the course's CPU."""
    home = hub.home(user) / NOTEBOOKS
    server = hub.server_tree(user)[0]
    requests.get(f"{hub.url}/user/{user}/lab", headers={"Authorization": f"token {token}"},
                 timeout=60).raise_for_status()
    time.sleep(3)
    found: dict[str, Any] = {"idle": memory(hub.server_tree(user))}
    with Kernel(hub, user, token, notebook=f"{NOTEBOOKS}/02_baseline.ipynb") as kernel:
        for source in code_cells(home / "02_baseline.ipynb"):
            kernel.execute(source)
        time.sleep(2)
        found["notebook 02"] = memory(hub.server_tree(user))
    time.sleep(2)
    opened, per_notebook = [], {}
    server_cpu, wall = cpu([server]), time.monotonic()
    try:
        for path in sorted(home.glob("0*.ipynb")):
            known = {p.pid for p in kernels_of(hub, user)}
            kernel = Kernel(hub, user, token, notebook=f"{NOTEBOOKS}/{path.name}")
            opened.append(kernel)
            for source in code_cells(path):
                kernel.execute(source)
            mine = [p for p in kernels_of(hub, user) if p.pid not in known]
            per_notebook[path.stem] = round(cpu(mine), 2)  # start-up included
            if len(opened) == TYPICAL:
                time.sleep(2)
                found["typical lesson"] = memory(hub.server_tree(user))
        found["course wall s"] = round(time.monotonic() - wall, 1)
        found["course server cpu s"] = round(cpu([server]) - server_cpu, 2)
        found["course kernels cpu s"] = round(sum(per_notebook.values()), 2)
        found["kernel cpu s per notebook"] = per_notebook
        time.sleep(2)
        found["all ten open"] = memory(hub.server_tree(user))
    finally:
        for kernel in opened:
            kernel.shutdown()
    return found


def the_app(hub: Hub, user: str, shots: Path) -> dict[str, Any]:
    """`backcourse app` in the student's environment, on a 12-week journal, in Chromium."""
    from playwright.sync_api import sync_playwright

    from backcourse.journal.samples import write_persona
    from backcourse.journal.store import Journal

    home = hub.home(user)
    journal_home = home / ".local" / "share" / "backcourse"
    with Journal(journal_home / "app.sqlite3") as journal:
        write_persona(journal, "alex")
    env = dict(os.environ, HOME=str(home), BACKCOURSE_HOME=str(journal_home))
    command = [*BACKCOURSE, "app", "--no-browser", "--learner", "app"]
    found: dict[str, Any] = {}
    with server(command, "Open your back programme at: ", shots / "app.log", env, home) as url:
        port = int(url.split("/")[2].rsplit(":", 1)[1])
        app = psutil.Process(next(c.pid for c in psutil.net_connections("tcp")
                                  if c.laddr.port == port and c.status == psutil.CONN_LISTEN))
        tree = [app, *app.children(recursive=True)]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"),
                                         headless=True, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url, timeout=120_000)
            page.get_by_role("button", name="Check my answers").wait_for(timeout=120_000)
            time.sleep(3)
            tree = [app, *app.children(recursive=True)]
            found["page open"] = memory(tree)
            for section in ("Self-assessment", "My programme", "Exercise now", "Log a session",
                            "Safety check"):
                page.get_by_role("button", name=section, exact=True).click()
                page.get_by_role("heading", name=section, level=2).wait_for(timeout=60_000)
            time.sleep(3)
            found["every section visited"] = memory([app, *app.children(recursive=True)])
            page.screenshot(path=str(shots / "app.png"))
            browser.close()
    return found


def span(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 1), "min": min(values),
            "max": max(values), "n": len(values)}


def per_node(per_student: float, fixed: float) -> dict[str, int]:
    """Students per node: (node - OS reserve - hub) x (1 - headroom) / per-student, from the
    figures as the docs show them (whole MiB, rounded up), rounded down."""
    per_student, fixed = math.ceil(per_student), math.ceil(fixed)
    return {name: math.floor((size - OS_RESERVE - fixed) * (1 - HEADROOM) / per_student)
            for name, size in NODES.items()}


def class_memory(per_student: float, fixed: float) -> dict[int, float]:
    """GiB one server needs for a class of N, each student at ``per_student`` MiB: N x
    per-student / (1 - headroom) + OS reserve + hub, rounded up to a tenth of a GiB."""
    per_student, fixed = math.ceil(per_student), math.ceil(fixed)
    return {n: math.ceil((n * per_student / (1 - HEADROOM) + OS_RESERVE + fixed) / 1024 * 10)
            / 10 for n in CLASSES}


def versions() -> dict[str, str]:
    found = {name: meta.version(name) for name in (
        "backcourse", "jupyterhub", "jupyter_server", "jupyterlab", "nbgitpuller",
        "jupyterhub-idle-culler", "ipykernel", "ipywidgets", "voila")}
    found["configurable-http-proxy"] = subprocess.run(
        [str(PROXY_BIN / "configurable-http-proxy"), "--version"], capture_output=True,
        text=True).stdout.strip()
    found["node"] = subprocess.run(["node", "--version"], capture_output=True,
                                   text=True).stdout.strip()
    found["python"] = platform.python_version()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=3)
    parser.add_argument("--no-app", action="store_true", help="skip the app (needs Chromium)")
    parser.add_argument("--out", type=Path, default=HERE / "results-hub.json",
                        help="where to write the results (default: benchmarks/results-hub.json)")
    args = parser.parse_args()
    students = [f"student{n}" for n in range(1, args.students + 1)]
    load_before = os.getloadavg()
    result: dict[str, Any] = {
        "date": dt.datetime.now().isoformat(timespec="minutes"),
        "machine": {"cpus": os.cpu_count(), "memory GiB": round(psutil.virtual_memory().total
                                                               / 2**30, 1),
                    "system": platform.platform(), "load average before": load_before},
        "versions": versions()}
    with tempfile.TemporaryDirectory(prefix="bc-hub-") as work:
        upstream = Path(work) / "upstream" / "backcourse"
        subprocess.run(["git", "clone", "-q", "--depth=1", f"file://{ROOT}", str(upstream)],
                       check=True)
        subprocess.run(["git", "checkout", "-q", "-B", "main"], cwd=upstream, check=True)
        started = time.monotonic()
        with running_hub(Path(work) / "class") as hub:
            result["hub start s"] = round(time.monotonic() - started, 1)
            hub.create_users(students)
            link = class_link(hub.url, f"file://{upstream}")
            per_student, spawn_cpu, spawn_wall, course_mib = {}, [], [], []
            for user in students:
                asked = time.monotonic()
                hub.start_server(user)
                spawn_wall.append(round(time.monotonic() - asked, 2))
                spawn_cpu.append(round(cpu(hub.server_tree(user)), 2))
                token = hub.user_token(user)
                assert git_pull(hub, user, token, link)[-1]["phase"] == "finished"
                course_mib.append(round(sum(
                    f.stat().st_size for f in (hub.home(user) / "backcourse").rglob("*")
                    if f.is_file()) / MiB, 1))
                per_student[user] = one_student(hub, user, token)
                print(user, json.dumps(per_student[user]), flush=True)
            root = psutil.Process(hub.proc.pid)  # type: ignore[union-attr]
            servers = {p.pid for u in students for p in hub.server_tree(u)}
            proxy = psutil.Process(int((hub.class_dir / "hub-state" / "proxy.pid").read_text()))
            result["hub, proxy and culler"] = memory(
                [root, proxy, *[p for p in root.children() if p.pid not in servers]])
            result["server cpu s to ready"] = span(spawn_cpu)
            result["server wall s to ready"] = span(spawn_wall)
            result["course MiB in a home (with its .git)"] = span(course_mib)
            result["students"] = per_student
            if not args.no_app and shutil.which("chromium"):
                shots = Path(work) / "shots"
                shots.mkdir()
                result["app"] = the_app(hub, students[0], shots)
                seen = ROOT / "test-output" / "benchmarks"  # to look at; not committed
                seen.mkdir(parents=True, exist_ok=True)
                shutil.copy(shots / "app.png", seen / "hub-app.png")
    result["machine"]["load average after"] = os.getloadavg()
    summarise(result)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"Wrote {args.out}")


def summarise(result: dict[str, Any]) -> None:
    """The table and the students per node, into ``result`` and on the screen."""
    students = result["students"].values()
    rows: dict[str, dict[str, Any]] = {}
    for state in ("idle", "notebook 02", "typical lesson", "all ten open"):
        rows[f"one student, {state}"] = {k: span([s[state][k] for s in students])
                                         for k in ("rss", "pss")}
    fixed = result["hub, proxy and culler"]["rss"]
    plan = rows["one student, notebook 02"]["rss"]["median"]
    sizing = {
        "logged in, no notebook running": per_node(rows["one student, idle"]["rss"]["median"],
                                                   fixed),
        "one notebook open (notebook 02)": per_node(plan, fixed),
        "a typical lesson (notebooks 00-02 left running)": per_node(
            rows["one student, typical lesson"]["rss"]["median"], fixed),
        "every notebook run and left open": per_node(
            rows["one student, all ten open"]["rss"]["median"], fixed),
    }
    if "app" in result:
        with_app = math.ceil(plan) + math.ceil(result["app"]["every section visited"]["rss"])
        sizing[f"one notebook and the app ({with_app} MiB)"] = per_node(with_app, fixed)
    result["summary"] = {"memory MiB": rows, "course cpu s": {
        "kernels": span([s["course kernels cpu s"] for s in students]),
        "server": span([s["course server cpu s"] for s in students]),
        "wall": span([s["course wall s"] for s in students])},
        "students per node": sizing,
        "sizing rule": f"(node - {OS_RESERVE} MiB for the OS - the hub's {math.ceil(fixed)} "
                       f"MiB) x {1 - HEADROOM:g} / per-student RSS, each in whole MiB rounded "
                       "up; students rounded down",
        "GiB for a class on one server": {
            state: class_memory(rows[f"one student, {state}"]["rss"]["median"], fixed)
            for state in ("notebook 02", "typical lesson", "all ten open")}}
    print(f"\n{'what':<48}{'RSS MiB':>20}{'PSS MiB':>20}")
    for what, row in rows.items():
        print(f"{what:<48}" + "".join(
            f"{row[k]['median']:>10} ({row[k]['min']}-{row[k]['max']})" for k in ("rss", "pss")))
    print(f"{'hub, proxy and culler':<48}{fixed:>10}{result['hub, proxy and culler']['pss']:>20}")
    if "app" in result:
        for state, m in result["app"].items():
            print(f"{'the app, ' + state:<48}{m['rss']:>10}{m['pss']:>20}")
    course = result["summary"]["course cpu s"]
    print("notebooks 00-09 once, a fresh kernel each, median (min-max) of the students: "
          + ", ".join(f"{what} {'' if what == 'wall' else 'CPU '}{f['median']} s "
                      f"({f['min']}-{f['max']})" for what, f in course.items()))
    spawn, wall = result["server cpu s to ready"], result["server wall s to ready"]
    print(f"a server from spawn to ready: CPU {spawn['median']} s ({spawn['min']}-{spawn['max']})"
          f", wall {wall['median']} s ({wall['min']}-{wall['max']})")
    for what, nodes in sizing.items():
        print(f"students per node, {what}: {nodes}")
    for state, need in result["summary"]["GiB for a class on one server"].items():
        print(f"GiB on one server, {state}: " + ", ".join(f"{n} students {g}"
                                                         for n, g in need.items()))


if __name__ == "__main__":
    main()
