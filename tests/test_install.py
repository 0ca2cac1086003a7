"""End to end: a real wheel installs with all content, and `backcourse open` serves JupyterLab.

The wheel goes into a fresh virtual environment. Its third-party dependencies are borrowed
from the test environment through a path file (so the test needs no network), while the
test environment's own editable backcourse stays invisible to it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _wait_for_lab(proc: subprocess.Popen[str], timeout: float = 90) -> tuple[str, str]:
    """Read the URL the command prints, then poll it until JupyterLab answers."""
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("Open the course at: "):
            url = line.split(": ", 1)[1].strip()
            break
    else:
        raise AssertionError("no URL printed:\n" + "".join(lines))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "JupyterLab exited early"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return url, response.read().decode("utf-8")
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"JupyterLab did not answer at {url}")


@pytest.fixture
def lab_env(tmp_path: Path) -> dict[str, str]:
    """Keep Jupyter's config, runtime files and the home folder inside the test folder."""
    env = dict(os.environ)
    env.update(HOME=str(tmp_path / "home"), JUPYTER_CONFIG_DIR=str(tmp_path / "jcfg"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "jrt"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "jws"))
    return env


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(ROOT)], check=True)
    (path,) = out.glob("backcourse-*.whl")
    return path


def test_wheel_ships_package_data_and_notebooks(wheel: Path) -> None:
    """Every data file and notebook of the source tree is inside the wheel."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("data", "notebooks"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                assert f"backcourse/{path.relative_to(ROOT).as_posix()}" in names
    assert "backcourse/py.typed" in names
    for shipped in ("slide_assets/require.js", "slide_assets/html-manager/embed-amd.js",
                    "slide_assets/reveal.js/dist/reveal.js", "slide_assets/print.css",
                    "templates/offline_reveal/index.html.j2", "lab_settings/overrides.json",
                    "app_page/backcourse.ipynb",
                    "app_page/jupyter/voila/templates/backcourse/index.html.j2",
                    "app_page/jupyter/voila/templates/backcourse/conf.json"):
        assert f"backcourse/{shipped}" in names


@pytest.fixture
def venv(tmp_path: Path, wheel: Path) -> Iterator[Path]:
    """A fresh venv with the wheel installed (not editable)."""
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "_borrowed_deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    str(wheel)], check=True)
    yield env_dir


def test_installed_wheel_checks_and_opens_the_course(
    venv: Path, tmp_path: Path, lab_env: dict[str, str]
) -> None:
    """From another folder: check passes, open copies the course and serves notebook 00."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    python, exe = venv / "bin" / "python", venv / "bin" / "backcourse"
    where = subprocess.run([str(python), "-c", "import backcourse; print(backcourse.__file__)"],
                           cwd=elsewhere, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(venv)), where
    result = subprocess.run([str(exe), "check"], cwd=elsewhere, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "10 notebooks" in result.stdout

    env = dict(lab_env, JUPYTERLAB_DIR=str(Path(sys.prefix, "share", "jupyter", "lab")),
               JUPYTER_PATH=str(Path(sys.prefix, "share", "jupyter")))
    workspace = tmp_path / "my course"
    proc = subprocess.Popen([str(exe), "open", str(workspace), "--no-browser"], cwd=elsewhere,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url, page = _wait_for_lab(proc)
        assert (workspace / "00_start_here.ipynb").is_file()
        assert "/lab/tree/00_start_here.ipynb" in url
        assert "JupyterLab" in page
        token = re.search(r"token=([\w-]+)", url).group(1)  # type: ignore[union-attr]
        api = url.split("/lab/")[0] + f"/api/contents/00_start_here.ipynb?token={token}"
        with urllib.request.urlopen(api, timeout=10) as response:
            assert b'"name": "00_start_here.ipynb"' in response.read().replace(b'":"', b'": "')
    finally:
        _stop(proc)


def test_open_from_the_source_checkout(lab_env: dict[str, str]) -> None:
    """`backcourse open --no-browser` serves the checkout's notebooks on loopback."""
    proc = subprocess.Popen([sys.executable, "-m", "backcourse", "open", "--no-browser"],
                            env=lab_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        url, page = _wait_for_lab(proc)
        assert url.startswith("http://127.0.0.1:") and "JupyterLab" in page
    finally:
        _stop(proc)
