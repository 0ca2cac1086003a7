"""A throw-away JupyterHub for a class, driven as students and a teacher's script would.

The hub runs the tested config (docs/hub/jupyterhub_config.py) on 127.0.0.1 with free ports,
in a folder of its own; a service token creates students and starts their servers through
the REST API; a student's kernel is driven over the hub proxy's websocket, and nbgitpuller
through the event stream its page reads. Everything started is stopped by PID.

Shared by tests/test_hub.py and benchmarks/hub.py. The proxy (configurable-http-proxy) comes
from npm: ``npm ci --prefix tools/hub``, as .ci/run does.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "docs" / "hub" / "jupyterhub_config.py"
PROXY_BIN = ROOT / "tools" / "hub" / "node_modules" / ".bin"
NOTEBOOKS = "backcourse/notebooks"  # where the link puts the course in a student's home


def missing() -> str | None:
    """Why the hub cannot run here, or None."""
    import importlib.util

    for module in ("jupyterhub", "nbgitpuller", "jupyterhub_idle_culler", "psutil",
                   "requests", "websocket"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install -e '.[test]')"
    if not (PROXY_BIN / "configurable-http-proxy").exists():
        return "configurable-http-proxy is not installed (npm ci --prefix tools/hub)"
    if not any((Path(d) / "node").exists() for d in os.environ["PATH"].split(os.pathsep)):
        return "node is not installed (Debian's nodejs)"
    return None


def need_hub() -> None:
    """Skip with the reason when the hub's parts are missing; on CI, fail instead."""
    reason = missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must install the hub's parts: {reason}")
        pytest.skip(reason)


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 now (all held open together, so they differ)."""
    with ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]


@dataclass
class Hub:
    """A running hub; use :func:`running_hub`."""

    class_dir: Path
    settings: dict[str, str]
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    admin_token: str = field(default_factory=lambda: secrets.token_hex(32))
    port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    pids: set[int] = field(default_factory=set)  # everything seen running, to stop by PID

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.class_dir / "jupyterhub.log"

    def home(self, user: str) -> Path:
        return self.class_dir / "homes" / user

    def start(self, timeout: float = 60) -> None:
        import requests

        self.port, api, proxy_api = free_ports(3)
        env = dict(os.environ, **self.settings, CLASS_DIR=str(self.class_dir),
                   CLASS_PASSWORD=self.password, CLASS_ADMIN_TOKEN=self.admin_token,
                   HUB_PORT=str(self.port), HUB_API_PORT=str(api),
                   PROXY_API_PORT=str(proxy_api),
                   PATH=os.pathsep.join((str(PROXY_BIN), str(Path(sys.executable).parent),
                                         os.environ["PATH"])))
        self.class_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=self.class_dir,
                env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        self.pids.add(self.proc.pid)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise AssertionError(f"jupyterhub exited with {self.proc.returncode}:\n"
                                     f"{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=5).status_code == 200:
                    self.pids.update(self.service_pids())
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"the hub did not answer in {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    # --- the REST API, as the class-admin service -------------------------------------------
    def api(self, method: str, path: str, token: str | None = None, **kw: Any) -> Any:
        import requests

        return requests.request(method, f"{self.url}/hub/api{path}", timeout=30,
                                headers={"Authorization": f"token {token or self.admin_token}"},
                                **kw)

    def create_users(self, names: list[str]) -> None:
        r = self.api("POST", "/users", json={"usernames": names})
        assert r.status_code == 201, (r.status_code, r.text)

    def start_server(self, name: str, timeout: float = 90) -> dict[str, Any]:
        r = self.api("POST", f"/users/{name}/server")
        assert r.status_code in (201, 202), (r.status_code, r.text)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            server = self.server(name)
            if server and server.get("ready"):
                self.pids.add(server["state"]["pid"])
                return server
            time.sleep(0.3)
        raise AssertionError(f"{name}'s server was not ready in {timeout} s:\n{self.log_tail()}")

    def server(self, name: str) -> dict[str, Any] | None:
        r = self.api("GET", f"/users/{name}")
        r.raise_for_status()
        found: dict[str, Any] | None = r.json()["servers"].get("")
        return found

    def user_token(self, name: str) -> str:
        r = self.api("POST", f"/users/{name}/tokens", json={"note": "class test",
                                                            "expires_in": 3600})
        assert r.status_code == 201, (r.status_code, r.text)
        return str(r.json()["token"])

    # --- processes --------------------------------------------------------------------------
    def service_pids(self) -> set[int]:
        """The proxy (its pid file) and the hub's children (the culler)."""
        import psutil

        pids = set()
        pid_file = self.class_dir / "hub-state" / "proxy.pid"
        if pid_file.exists():
            pids.add(int(pid_file.read_text()))
        if self.proc is not None:
            try:
                pids.update(p.pid for p in psutil.Process(self.proc.pid).children(True))
            except psutil.NoSuchProcess:
                pass
        return pids

    def server_tree(self, name: str) -> list[Any]:
        """A student's server process and its children (the kernels), as psutil processes."""
        import psutil

        server = self.server(name)
        if server is None:
            return []
        root = psutil.Process(server["state"]["pid"])
        tree = [root, *root.children(recursive=True)]
        self.pids.update(p.pid for p in tree)
        return tree

    def stop(self, grace: float = 10) -> list[int]:
        """Stop the hub (which stops the servers, the proxy and the culler), then kill any
        process seen on the way that is still alive after ``grace`` s; return those PIDs."""
        import psutil

        if self.proc is not None and self.proc.poll() is None:
            self.pids.update(self.service_pids())
            try:
                for user in self.api("GET", "/users").json():
                    if "" in user["servers"]:
                        self.server_tree(user["name"])
            except Exception:  # noqa: BLE001 - whatever the API says, the hub is stopped next
                pass
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

        def alive() -> list[int]:
            found = []
            for pid in self.pids:
                try:
                    if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                        found.append(pid)
                except psutil.NoSuchProcess:
                    pass
            return found

        end = time.monotonic() + grace
        while alive() and time.monotonic() < end:
            time.sleep(0.3)
        left = alive()
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        return left


@contextmanager
def running_hub(class_dir: Path, **settings: str) -> Iterator[Hub]:
    """A hub in ``class_dir`` with the config's environment ``settings`` (e.g.
    ``CULL_TIMEOUT="20"``); stopped by PID afterwards, whatever happened. Fails if anything
    had to be killed."""
    hub = Hub(class_dir, settings)
    try:
        hub.start()
        yield hub
    finally:
        left = hub.stop()
    assert not left, f"had to kill {left} after the hub stopped:\n{hub.log_tail()}"


def class_link(hub_url: str, repo_url: str) -> str:
    """The link ``backcourse links --hub`` prints, with the course's GitHub repository
    swapped for ``repo_url`` (a local clone stands in for GitHub)."""
    from backcourse.core.links import nbgitpuller_url

    parts = urlsplit(nbgitpuller_url(hub_url, "OWNER/backcourse"))
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query["repo"] == "https://github.com/OWNER/backcourse"
    query["repo"] = repo_url
    return f"{parts.scheme}://{parts.netloc}{parts.path}?{urlencode(query)}"


def git_pull(hub: Hub, user: str, token: str, link: str, timeout: float = 120
             ) -> list[dict[str, Any]]:
    """What the link's page does in JavaScript: read nbgitpuller's event stream, for the
    link's repository and branch, to the end."""
    import requests

    query = urlsplit(link).query
    r = requests.get(f"{hub.url}/user/{user}/git-pull/api?{query}", stream=True,
                     headers={"Authorization": f"token {token}"}, timeout=timeout)
    r.raise_for_status()
    events = []
    with r:
        for line in r.iter_lines(decode_unicode=True):
            if line and line.startswith("data: "):
                events.append(json.loads(line[len("data: "):]))
                if events[-1].get("phase") in ("finished", "error"):
                    break
    return events


def login(hub: Hub, user: str) -> Any:
    """A browser-like session logged in through the hub's form with the shared password."""
    import requests

    session = requests.Session()
    session.get(f"{hub.url}/hub/login", timeout=30)
    r = session.post(f"{hub.url}/hub/login?next=", timeout=30, allow_redirects=False,
                     data={"username": user, "password": hub.password,
                           "_xsrf": session.cookies.get("_xsrf")})
    assert r.status_code == 302, (r.status_code, r.text[:500])
    return session


def code_cells(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]
            if c["cell_type"] == "code"]


class Kernel:
    """A kernel on a student's server, over /user/NAME/api/kernels/ID/channels. With
    ``notebook`` (a path under the student's home) it is opened as JupyterLab opens one: a
    session, the kernel running in the notebook's folder."""

    def __init__(self, hub: Hub, user: str, token: str, notebook: str | None = None,
                 timeout: float = 120) -> None:
        import requests
        import websocket

        self.base, self.headers = f"{hub.url}/user/{user}", {"Authorization": f"token {token}"}
        self.session_id: str | None = None
        if notebook:
            r = requests.post(f"{self.base}/api/sessions", headers=self.headers, timeout=60,
                              json={"path": notebook, "type": "notebook",
                                    "name": notebook.rsplit("/", 1)[-1],
                                    "kernel": {"name": "python3"}})
            assert r.status_code == 201, (r.status_code, r.text)
            self.session_id, self.id = r.json()["id"], r.json()["kernel"]["id"]
        else:
            r = requests.post(f"{self.base}/api/kernels", headers=self.headers,
                              json={"name": "python3"}, timeout=60)
            assert r.status_code == 201, (r.status_code, r.text)
            self.id = r.json()["id"]
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"ws://127.0.0.1:{hub.port}/user/{user}/api/kernels/{self.id}/channels"
            f"?session_id={self.session}", header=[f"Authorization: token {token}"],
            timeout=timeout)
        self.comms: dict[str, dict[str, Any]] = {}  # widget id -> its state when opened
        self.updates: dict[str, dict[str, Any]] = {}  # widget id -> state the kernel sent since

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    def _send(self, msg_type: str, content: dict[str, Any]) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "session": self.session,
                       "username": "", "version": "5.3",
                       "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell",
            "buffers": []}))
        return msg_id

    def _next(self, end: float) -> dict[str, Any]:
        if time.monotonic() > end:
            raise AssertionError("the kernel did not answer in time")
        msg: dict[str, Any] = json.loads(self.ws.recv())
        kind, content = msg["msg_type"], msg["content"]
        if kind == "comm_open":
            self.comms[content["comm_id"]] = content.get("data", {}).get("state", {})
        elif kind == "comm_msg" and content.get("data", {}).get("method") == "update":
            self.updates.setdefault(content["comm_id"], {}).update(content["data"]["state"])
        return msg

    def execute(self, code: str, timeout: float = 120) -> str:
        """Run ``code``; its printed output. An error in the kernel fails the test."""
        msg_id = self._send("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        out, errors, idle, replied = "", [], False, False
        end = time.monotonic() + timeout
        while not (idle and replied):
            msg = self._next(end)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                out += content["text"]
            elif kind == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")
            elif kind == "status":
                idle = content["execution_state"] == "idle"
            elif kind == "execute_reply":
                replied = True
        assert not errors, f"the kernel raised {errors} running:\n{code}"
        return out

    def widget_message(self, comm_id: str, data: dict[str, Any], timeout: float = 60) -> None:
        """What the browser sends when a student changes or clicks a widget; returns once
        the kernel has handled it."""
        msg_id = self._send("comm_msg", {"comm_id": comm_id, "data": data})
        end = time.monotonic() + timeout
        while True:
            msg = self._next(end)
            if (msg.get("parent_header", {}).get("msg_id") == msg_id
                    and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                return

    def shutdown(self) -> None:
        import requests

        self.ws.close()
        what = f"sessions/{self.session_id}" if self.session_id else f"kernels/{self.id}"
        r = requests.delete(f"{self.base}/api/{what}", headers=self.headers, timeout=30)
        assert r.status_code == 204, (r.status_code, r.text)
