"""Run the package's servers in this process: ``python -m backcourse.serve voila|jupyterlab ARGS``.

Both get every log line with the login token and any ``token=`` or ``Authorization``
value redacted. The app (Voila) also answers only requests addressed to a loopback name
on its own port, so a web page elsewhere cannot reach it through a name that points to
127.0.0.1 (DNS rebinding); JupyterLab checks the Host header itself.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
SECRET = "[secret]"
_VALUE = re.compile(
    r"(?i)((?:token|authorization)[\"']?\s*(?:=|%3D|:)\s*[\"']?(?:(?:token|bearer|basic)\s+)?)"
    r"[^\s&\"',;<>]+")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with each secret, and any token or Authorization value, replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, SECRET)
    return _VALUE.sub(rf"\1{SECRET}", text)


def redact_logs(secrets: Sequence[str]) -> None:
    """Redact every log record made from now on in this process (message and traceback)."""
    make = logging.getLogRecordFactory()
    plain = logging.Formatter()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        record.msg, record.args = redact(record.getMessage(), secrets), ()
        if record.exc_info:
            record.exc_text = redact(plain.formatException(record.exc_info), secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        return record

    logging.setLogRecordFactory(factory)


def loopback_host(host: str, port: int) -> bool:
    """Whether a Host header names this machine's loopback and the server's own port."""
    allowed = {f"{name}:{port}" for name in LOOPBACK}
    if port == 80:
        allowed.update(LOOPBACK)
    return host.lower() in allowed


def guard_hosts(app: Any, port: int) -> None:
    """Refuse (403) every request to a tornado ``app`` whose Host is not loopback on
    ``port``: pages, files, the API and websockets alike."""
    from tornado.routing import Matcher, Rule
    from tornado.web import HTTPError, RequestHandler

    class Foreign(Matcher):
        def match(self, request: Any) -> dict[str, Any] | None:
            return None if loopback_host(request.host, port) else {}

    class Refuse(RequestHandler):
        def prepare(self) -> None:
            raise HTTPError(403, "the app answers only at 127.0.0.1, localhost or [::1] "
                                 "on its own port")

    app.default_router.rules.insert(0, Rule(Foreign(), Refuse))


def _voila(argv: list[str]) -> None:
    from voila import app

    class Voila(app.Voila):  # type: ignore[misc]  # same name, same log prefix and config
        def listen(self) -> None:
            guard_hosts(self.app, self.port)
            super().listen()

    Voila.launch_instance(argv)


def _jupyterlab(argv: list[str]) -> None:
    from jupyterlab.labapp import LabApp

    LabApp.launch_instance(argv)


SERVERS: dict[str, Callable[[list[str]], None]] = {"voila": _voila, "jupyterlab": _jupyterlab}


def main(argv: Sequence[str] | None = None) -> None:
    server, *rest = sys.argv[1:] if argv is None else argv
    redact_logs([os.environ.get("JUPYTER_TOKEN", "")])
    SERVERS[server](rest)

