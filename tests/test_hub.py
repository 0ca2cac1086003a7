"""A class on a real JupyterHub: three students at once, each with a private journal.

The hub runs the config the deployment docs give (docs/hub/jupyterhub_config.py) on
127.0.0.1. Each student opens the link `backcourse links --hub` prints (a local clone of
this repository stands in for GitHub), runs notebook 00 in a kernel through the hub and
answers the safety check with the messages a browser sends; a course update keeps a
student's edit; the idle culler stops an idle server. Needs configurable-http-proxy from npm
(`npm ci --prefix tools/hub`); skipped with the reason without it, except on CI.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hub import NOTEBOOKS, ROOT, Hub, Kernel, class_link, code_cells, git_pull, login, need_hub
from hub import running_hub as _running_hub

pytestmark = [pytest.mark.slow, pytest.mark.hub]

STUDENTS = ("alice", "bob", "carol")
YES = {"alice": set(), "bob": {1}, "carol": set()}  # warning-sign questions answered yes
JOURNAL = ".local/share/backcourse/me.sqlite3"  # in each home (BACKCOURSE_HOME, the config)
NB00 = f"{NOTEBOOKS}/00_start_here.ipynb"
MAINTAINER = {"GIT_AUTHOR_NAME": "Course maintainer", "GIT_AUTHOR_EMAIL": "m@example.org",
              "GIT_COMMITTER_NAME": "Course maintainer", "GIT_COMMITTER_EMAIL": "m@example.org"}


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env=dict(os.environ, **MAINTAINER)).stdout


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A local clone of this repository on branch main, with this checkout's notebooks: what
    the link pulls (its last path part names the folder in each home, as on GitHub)."""
    if not (ROOT / ".git").exists():
        (pytest.fail if os.environ.get("CI") == "true" else pytest.skip)(
            "not a git checkout: the class test clones this repository")
    repo = tmp_path_factory.mktemp("upstream") / "backcourse"
    git("clone", "--quiet", "--depth=1", f"file://{ROOT}", str(repo), cwd=ROOT)
    git("checkout", "--quiet", "-B", "main", cwd=repo)
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copyfile(nb, repo / "notebooks" / nb.name)
    if git("status", "--porcelain", cwd=repo):
        git("commit", "--quiet", "-am", "The notebooks as in the checkout", cwd=repo)
    return repo


@dataclass
class Class:
    hub: Hub
    link: str
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def klass(upstream: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Class]:
    """The hub with three students created and started through the REST API, at once."""
    need_hub()
    with _running_hub(tmp_path_factory.mktemp("class")) as hub:
        hub.create_users(list(STUDENTS))
        with cf.ThreadPoolExecutor(len(STUDENTS)) as pool:
            list(pool.map(hub.start_server, STUDENTS))
        yield Class(hub, class_link(hub.url, f"file://{upstream}"),
                    {u: hub.user_token(u) for u in STUDENTS})


@pytest.fixture(scope="module")
def pulled(klass: Class) -> Class:
    """Each student has pulled the course through the link's nbgitpuller."""
    for user in STUDENTS:
        events = git_pull(klass.hub, user, klass.tokens[user], klass.link)
        assert events and events[-1]["phase"] == "finished", events[-3:]
    return klass


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"token {token}"}


def test_each_student_has_a_server_in_their_own_home_and_the_link_needs_a_login(
        klass: Class) -> None:
    import psutil
    import requests

    hub = klass.hub
    for user in STUDENTS:
        server = hub.server(user)
        assert server is not None and server["ready"]
        assert Path(psutil.Process(server["state"]["pid"]).cwd()) == hub.home(user)
    assert requests.get(f"{hub.url}/hub/api/users", headers=auth("not-a-token"),
                        timeout=30).status_code == 403
    cold = requests.get(klass.link, timeout=30, allow_redirects=False)
    assert cold.status_code == 302 and "/hub/login" in cold.headers["Location"]
    page = login(hub, "alice").get(klass.link, timeout=30)
    assert page.status_code == 200 and "nbgitpuller" in page.text
    assert page.url.startswith(f"{hub.url}/user/alice/git-pull?")


def test_the_link_puts_the_course_in_each_home(pulled: Class) -> None:
    import requests

    for user in STUDENTS:
        r = requests.get(f"{pulled.hub.url}/user/{user}/api/contents/{NB00}", timeout=30,
                         headers=auth(pulled.tokens[user]))
        assert r.status_code == 200 and r.json()["type"] == "notebook"
        assert (pulled.hub.home(user) / NB00).read_bytes() == (
            ROOT / "notebooks" / "00_start_here.ipynb").read_bytes()


def safety_check(kernel: Kernel, notebook: Path, yes: set[int]) -> str:
    """Run notebook 00's code; answer its warning-sign questions as a browser would (the
    numbers in ``yes`` get Yes, the others No) and press the button; what the page then shows."""
    for source in code_cells(notebook):
        before = set(kernel.comms)
        kernel.execute(source)
        if "safety_screen" in source:
            opened = {c: s for c, s in kernel.comms.items() if c not in before}
    questions = {int(s["description"].split(".", 1)[0]): c for c, s in opened.items()
                 if s.get("_model_name") == "ToggleButtonsModel"}
    (button,) = (c for c, s in opened.items() if s.get("description") == "Check my answers")
    assert sorted(questions) == list(range(1, len(questions) + 1)) and len(questions) > 20
    for n, comm in questions.items():
        labels = opened[comm]["_options_labels"]
        kernel.widget_message(comm, {"method": "update", "buffer_paths": [],
                                     "state": {"index": labels.index("Yes" if n in yes
                                                                     else "No")}})
    kernel.widget_message(button, {"method": "custom", "content": {"event": "click"}})
    return " ".join(str(kernel.updates.get(c, {}).get("value", "")) for c in opened)


def screenings(journal: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(f"file:{journal}?mode=ro", uri=True) as db:
        return db.execute("SELECT outcome, flagged FROM screenings").fetchall()


def test_notebook_00_runs_through_the_hub_and_each_journal_is_private(pulled: Class) -> None:
    hub = pulled.hub
    for user in STUDENTS:
        with Kernel(hub, user, pulled.tokens[user], notebook=NB00) as kernel:
            shown = safety_check(kernel, hub.home(user) / NB00, YES[user])
            where = kernel.execute("from backcourse.journal.store import journal_path\n"
                                   "print(journal_path('me'))").strip()
        assert "Saved to your journal" in shown
        journal = hub.home(user) / JOURNAL
        assert where == str(journal)
        assert stat.S_IMODE(journal.stat().st_mode) == 0o600
        assert stat.S_IMODE(journal.parent.stat().st_mode) == 0o700
    alice, bob = screenings(hub.home("alice") / JOURNAL), screenings(hub.home("bob") / JOURNAL)
    assert alice == [("clear", "[]")] and screenings(hub.home("carol") / JOURNAL) == alice
    assert len(bob) == 1 and bob[0][0] != "clear"  # bob's yes is in his journal only


def test_another_students_token_cannot_reach_a_journal(pulled: Class) -> None:
    import requests
    import websocket

    hub, bob = pulled.hub, auth(pulled.tokens["bob"])
    alice_server = f"{hub.url}/user/alice"
    refused = {
        "contents": requests.get(f"{alice_server}/api/contents/{JOURNAL}", headers=bob,
                                 timeout=30),
        "files": requests.get(f"{alice_server}/files/{JOURNAL}", headers=bob, timeout=30,
                              allow_redirects=False),
        "a kernel": requests.post(f"{alice_server}/api/kernels", headers=bob, json={},
                                  timeout=30),
        "sessions": requests.get(f"{alice_server}/api/sessions", headers=bob, timeout=30),
        "her user": requests.get(f"{hub.url}/hub/api/users/alice", headers=bob, timeout=30),
        "a token for her": requests.post(f"{hub.url}/hub/api/users/alice/tokens",
                                         headers=bob, json={}, timeout=30),
    }
    assert {what: r.status_code for what, r in refused.items()
            if r.status_code not in (403, 404)} == {}
    with pytest.raises(websocket.WebSocketBadStatusException) as ws:
        websocket.create_connection(f"ws://127.0.0.1:{hub.port}/user/alice/api/events/subscribe",
                                    header=[f"Authorization: token {pulled.tokens['bob']}"],
                                    timeout=30)
    assert ws.value.status_code in (403, 404)
    # her own token does reach her server
    assert requests.get(f"{alice_server}/api/sessions", headers=auth(pulled.tokens["alice"]),
                        timeout=30).status_code == 200


def test_a_student_shares_a_copy_of_her_journal_and_the_teacher_reports_on_it(
        pulled: Class, tmp_path: Path) -> None:
    """Nothing is shared until a student runs `backcourse journal share`; the teacher's
    `backcourse report --journals` reads the shared folder."""
    shared = pulled.hub.class_dir / "shared"
    shared.mkdir()  # the guide's drop folder: students add files, teachers (its group) read
    shared.chmod(0o3753)
    assert list(shared.iterdir()) == []
    for user in ("alice", "bob"):
        with Kernel(pulled.hub, user, pulled.tokens[user]) as kernel:
            said = kernel.execute(
                "import subprocess, sys\n"
                f"r = subprocess.run([sys.executable, '-m', 'backcourse', 'journal', 'share', "
                f"'--to', {str(shared)!r}], capture_output=True, text=True)\n"
                "print(r.returncode, r.stdout, r.stderr)")
        assert said.startswith("0 "), said
    assert sorted(p.name for p in shared.iterdir()) == ["alice.json", "bob.json"]
    assert {(stat.S_IMODE(p.stat().st_mode), p.stat().st_gid) for p in shared.iterdir()} == {
        (0o640, shared.stat().st_gid)}  # readable by the folder's group, no one else
    roster = tmp_path / "roster.csv"
    roster.write_text("client_id,name,journal\nalice,Alice,alice.json\nbob,Bob,bob.json\n")
    out = tmp_path / "reports"
    done = subprocess.run([sys.executable, "-m", "backcourse", "report", "--roster",
                           str(roster), "--journals", str(shared), "--out", str(out),
                           "--jobs", "2"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = (out / "index.html").read_text()
    assert "Alice" in summary and "home plan in their report" in summary
    assert "Bob" in summary
    assert "warning sign: plan on hold until a clinician has seen them" in summary


def test_a_course_update_keeps_a_students_edit_and_brings_the_new_notebook(
        pulled: Class, upstream: Path) -> None:
    import nbformat
    import requests

    hub, mine = pulled.hub, auth(pulled.tokens["alice"])
    url = f"{hub.url}/user/alice/api/contents/{NB00}"
    model = requests.get(url, headers=mine, timeout=30).json()
    model["content"]["cells"][0]["source"] += "\n\nALICE'S NOTE: knee twinges on stairs."
    saved = requests.put(url, headers=mine, timeout=30,
                         json={"type": "notebook", "format": "json", "content": model["content"]})
    assert saved.status_code == 200
    # upstream: a new unit, notebook 00's first cell (which alice edited too) and its last
    # cell (which she did not), and notebook 01
    up = upstream / "notebooks"
    doc = nbformat.read(up / "00_start_here.ipynb", 4)
    unit = nbformat.v4.new_notebook(metadata=doc.metadata)
    unit.cells = [nbformat.v4.new_markdown_cell("# 10 A new unit")]
    nbformat.write(unit, up / "10_new_unit.ipynb")
    doc.cells[0].source += "\n\nCOURSE EDIT, FIRST CELL"
    [c for c in doc.cells if c.cell_type == "markdown"][-1].source += "\n\nCOURSE EDIT, LAST CELL"
    nbformat.write(doc, up / "00_start_here.ipynb")
    doc = nbformat.read(up / "01_the_one_exercise.ipynb", 4)
    doc.cells[0].source += "\n\nCOURSE EDIT OF 01"
    nbformat.write(doc, up / "01_the_one_exercise.ipynb")
    git("add", "-A", cwd=upstream)
    git("commit", "--quiet", "-m", "Course update: unit 10, edits to 00 and 01", cwd=upstream)

    again = login(hub, "alice").get(pulled.link, timeout=30)  # the link opened again
    assert again.status_code == 200 and "/user/alice/git-pull" in again.url
    for user in ("alice", "bob"):
        assert git_pull(hub, user, pulled.tokens[user], pulled.link)[-1]["phase"] == "finished"
    home = {u: hub.home(u) / NOTEBOOKS for u in STUDENTS}
    alice00 = (home["alice"] / "00_start_here.ipynb").read_text()
    nbformat.validate(nbformat.reads(alice00, as_version=4))
    assert "ALICE'S NOTE" in alice00  # her edit is kept ...
    assert "COURSE EDIT, FIRST CELL" not in alice00  # ... over the course's, on the same lines
    assert "COURSE EDIT, LAST CELL" in alice00  # the course's other changes arrive
    assert "COURSE EDIT OF 01" in (home["alice"] / "01_the_one_exercise.ipynb").read_text()
    assert (home["alice"] / "10_new_unit.ipynb").exists()
    assert "COURSE EDIT, FIRST CELL" in (home["bob"] / "00_start_here.ipynb").read_text()
    assert (home["bob"] / "10_new_unit.ipynb").exists()
    assert not (home["carol"] / "10_new_unit.ipynb").exists()  # she has not opened it again
    for user in STUDENTS:  # the journals are untouched by the update
        assert stat.S_IMODE((hub.home(user) / JOURNAL).stat().st_mode) == 0o600
    assert screenings(hub.home("alice") / JOURNAL) == [("clear", "[]")]


@pytest.mark.browser
def test_a_student_follows_the_link_in_chromium_into_notebook_00(
        pulled: Class, request: pytest.FixtureRequest) -> None:
    from browser import browser_page, output_dir

    shots = output_dir(request)
    journal = pulled.hub.home("carol") / JOURNAL
    before = screenings(journal) if journal.exists() else []
    with browser_page(shots, (pulled.hub.url, "data:", "blob:")) as (page, watch):
        page.goto(pulled.link)  # not logged in: the hub's login form keeps the link as next
        page.fill("input[name=username]", "carol")
        page.fill("input[name=password]", pulled.hub.password)
        page.click("input[type=submit], button[type=submit]")
        page.wait_for_url(f"**/user/carol/lab/tree/{NB00}*", timeout=120_000)
        title = page.get_by_role("heading", name="00 · Start here, and safety first")
        title.wait_for(timeout=60_000)
        page.get_by_text("Python 3 (ipykernel) | Idle").first.wait_for(timeout=60_000)
        title.click()  # the notebook has the focus, so the menu runs it
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        button = page.get_by_role("button", name="Check my answers")
        button.wait_for(timeout=120_000)  # the widgets drawn: the front end is there
        screen = page.locator(".widget-vbox").filter(has=button).last
        noes = screen.get_by_role("button", name="No", exact=True)
        for i in range(noes.count()):
            noes.nth(i).click()
        button.click()
        saved = page.get_by_text("Saved to your journal")
        saved.wait_for(timeout=60_000)
        saved.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "carol-safety-check-saved.png"))
    blocked, failed, errors = watch.problems()
    assert blocked == [] and errors == []
    assert screenings(journal) == [*before, ("clear", "[]")]


def test_the_idle_culler_stops_an_idle_server_and_keeps_a_busy_one(
        tmp_path: Path) -> None:
    """Short times for the test; the config's defaults are an hour, checked every 5 min.
    Inside the busy server, a kernel left idle with its page still open is stopped too
    (docs/hub/jupyter/jupyter_server_config.json: cull_connected; its times shortened)."""
    import psutil
    import requests

    need_hub()
    timeout, every = 20, 5
    with _running_hub(tmp_path / "cull", CULL_TIMEOUT=str(timeout), CULL_EVERY=str(every),
                      ACTIVITY_INTERVAL="3", KERNEL_CULL_TIMEOUT="8",
                      KERNEL_CULL_EVERY="2") as hub:
        culler = [p.cmdline() for p in psutil.Process(hub.proc.pid).children()  # type: ignore[union-attr]
                  if "jupyterhub_idle_culler" in p.cmdline()]
        assert culler and f"--timeout={timeout}" in culler[0]
        hub.create_users(["idle", "busy"])
        with cf.ThreadPoolExecutor(2) as pool:
            idle, _busy = pool.map(hub.start_server, ("idle", "busy"))
        idle_pid = idle["state"]["pid"]
        with Kernel(hub, "idle", hub.user_token("idle")) as kernel:  # then left alone
            kernel.execute("from backcourse import lesson\nlesson.journal('me').close()")
        start = time.monotonic()
        busy_token = hub.user_token("busy")
        kernels = f"{hub.url}/user/busy/api/kernels"
        left_open = Kernel(hub, "busy", busy_token)  # its page open, nothing run
        with Kernel(hub, "busy", busy_token) as kernel:
            while hub.server("idle") is not None:
                assert time.monotonic() - start < timeout + 4 * every + 30, hub.log_tail()
                kernel.execute("1 + 1")  # busy: a cell every 2 s
                time.sleep(2)
            culled = time.monotonic()
            while time.monotonic() - culled < every:  # one more round of the culler
                kernel.execute("1 + 1")
                time.sleep(2)
            assert hub.server("busy") is not None
            running = {k["id"] for k in requests.get(kernels, headers=auth(busy_token),
                                                     timeout=30).json()}
            assert kernel.id in running and left_open.id not in running
        left_open.ws.close()
        assert not psutil.pid_exists(idle_pid) or psutil.Process(idle_pid).status() == \
            psutil.STATUS_ZOMBIE
        assert "Culling server idle" in hub.log.read_text()
        assert (hub.home("idle") / JOURNAL).exists()  # the home, and the journal, stay
