"""Starting the local servers: JupyterLab on the course, and the learner app (Voila), on
127.0.0.1 with a login token kept in the environment, never on the command line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEFAULT_WORKSPACE = Path("~/backcourse")
FIRST_NOTEBOOK = "00_start_here.ipynb"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """A built site (`backcourse site`) served as its README says, by Python's own static
    server, on a free loopback port: yields its URL once it answers, stops it afterwards."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind",
                               "127.0.0.1", "--directory", str(site)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


def course_folder(target: Path | None) -> tuple[Path, list[str]]:
    """Where to open the course, copying it into a workspace when needed."""
    from backcourse.infra.paths import notebooks_dir, source_root
    from backcourse.serve.workspace import sync

    root = source_root()
    if target is None and root is not None:
        return root / "notebooks", [f"Opening the course from the source checkout at {root}."]
    dest = (target or DEFAULT_WORKSPACE).expanduser().resolve()
    report = sync(notebooks_dir(), dest)
    return dest, [f"Your course folder is {dest}.", *report.lines()]


def lab_command(folder: Path, port: int, browser: bool) -> list[str]:
    """The JupyterLab command line: loopback only, root-safe. The login token goes in the
    environment (:func:`with_token`), never on the command line, where any local user
    could read it."""
    command = [
        sys.executable, "-m", "backcourse.serve", "jupyterlab",  # tokens kept out of its log
        f"--ServerApp.root_dir={folder}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}",
        # no update checks or news from the web: settings shipped in backcourse/serve/lab_settings
        f"--LabApp.app_settings_dir={Path(__file__).parent / 'lab_settings'}",
        "--LabApp.extension_manager=readonly",
    ]
    if not browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


def become(command: list[str], env: dict[str, str]) -> int:
    """Hand this process over to a server (so Ctrl-C reaches it directly)."""
    if os.name == "posix":
        os.execve(command[0], command, env)
    return subprocess.call(command, env=env)


def with_token(env: dict[str, str], token: str) -> dict[str, str]:
    """The environment with the server's login token (readable by this user only)."""
    env.pop("JUPYTER_TOKEN_FILE", None)
    env["JUPYTER_TOKEN"] = token
    return env


def app_command(port: int, browser: bool) -> list[str]:
    """The Voila command line for the learner app: loopback only, code hidden; the token
    comes from the environment (``auto_token`` makes Voila read it)."""
    from backcourse.infra.paths import app_page

    command = [
        # loopback Host names only, tokens kept out of its log
        sys.executable, "-m", "backcourse.serve", "voila", str(app_page() / "backcourse.ipynb"),
        "--template=backcourse",  # Voila's lab template without its web font links
        "--theme=light",
        "--strip_sources=True",
        "--Voila.ip=127.0.0.1",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        "--Voila.auto_token=True",
        "--KernelManager.transport=ipc",  # kernels on local sockets in Voila's private folder
        # a closed page's kernel is meant to stop through a request Voila sends without its
        # XSRF value (voila-dashboards/voila#1458), so stop kernels left idle instead
        "--MappingKernelManager.cull_idle_timeout=900",
        "--MappingKernelManager.cull_interval=60",
    ]
    if not browser:
        command.append("--no-browser")
    return command


def app_environment(learner: str, home: Path | None, token: str) -> dict[str, str]:
    """The server's environment: its token and template, and for its kernel, which runs in
    the package's folder, the journal's folder as an absolute path."""
    from backcourse.infra.paths import HOME_ENV, LEARNER_ENV, app_page, learner_home

    env = with_token(dict(os.environ), token)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(app_page() / "jupyter"), env.get("JUPYTER_PATH")) if p)
    env[LEARNER_ENV] = learner
    env[HOME_ENV] = str(learner_home(home).resolve())
    return env


