"""Start a server command, find the URL it prints, and wait until it answers.

Shared by the install tests (JupyterLab from a wheel), the app tests and the browser tests.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

BACKCOURSE = (sys.executable, "-m", "backcourse")  # this checkout's command


@contextmanager
def server(argv: Sequence[str], prefix: str, log: Path, env: dict[str, str] | None = None,
           cwd: Path | None = None) -> Iterator[str]:
    """Run ``argv``, its output going to ``log``; yield the URL it prints after ``prefix``,
    once the server answers. The server is stopped afterwards."""
    with log.open("w") as out:
        proc = subprocess.Popen(list(argv), env=env, cwd=cwd, stdout=out,
                                stderr=subprocess.STDOUT, text=True)
    try:
        url = _printed_url(log, prefix, proc)
        _wait_until_up(url.split("?")[0], proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _printed_url(log: Path, prefix: str, proc: subprocess.Popen[str], timeout: float = 30) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for line in log.read_text().splitlines():
            if line.startswith(prefix):
                return line[len(prefix):].strip()
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"the server never printed {prefix!r}:\n{log.read_text()}")


def _wait_until_up(url: str, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    """Poll until the server answers at all (a 403 without the token counts)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited with code {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the server at {url} did not answer within {timeout} s")
