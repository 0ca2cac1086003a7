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
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import BACKCOURSE, server

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
LAB = "Open the course at: "


def _page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        text: str = response.read().decode("utf-8")
        return text


@pytest.fixture
def lab_env(tmp_path: Path) -> dict[str, str]:
    """Keep Jupyter's config, runtime files and the home folder inside the test folder."""
    env = dict(os.environ)
    env.update(HOME=str(tmp_path / "home"), JUPYTER_CONFIG_DIR=str(tmp_path / "jcfg"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "jrt"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "jws"))
    return env


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
    for shipped in ("export/slide_assets/require.js",
                    "export/slide_assets/html-manager/embed-amd.js",
                    "export/slide_assets/reveal.js/dist/reveal.js",
                    "export/slide_assets/print.css",
                    "export/templates/offline_reveal/index.html.j2",
                    "render/templates/page.html.j2",
                    "serve/lab_settings/overrides.json",
                    "serve/app_page/backcourse.ipynb",
                    "serve/app_page/jupyter/voila/templates/backcourse/index.html.j2",
                    "serve/app_page/jupyter/voila/templates/backcourse/conf.json"):
        assert f"backcourse/{shipped}" in names


@pytest.fixture
def venv(tmp_path: Path, wheel: Path) -> Iterator[Path]:
    """A fresh venv with the wheel installed (not editable)."""
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c",
                           "import sysconfig; print(sysconfig.get_path('purelib'))"],
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
    with server([str(exe), "open", str(workspace), "--no-browser"], LAB, tmp_path / "lab.log",
                env, cwd=elsewhere) as url:
        assert (workspace / "00_start_here.ipynb").is_file()
        assert "/lab/tree/00_start_here.ipynb" in url
        assert "JupyterLab" in _page(url)
        token = re.search(r"token=([\w-]+)", url).group(1)  # type: ignore[union-attr]
        api = url.split("/lab/")[0] + f"/api/contents/00_start_here.ipynb?token={token}"
        assert '"name": "00_start_here.ipynb"' in _page(api).replace('":"', '": "')


def test_open_from_the_source_checkout(lab_env: dict[str, str], tmp_path: Path) -> None:
    """`backcourse open --no-browser` serves the checkout's notebooks on loopback."""
    with server([*BACKCOURSE, "open", "--no-browser"], LAB, tmp_path / "lab.log",
                lab_env) as url:
        assert url.startswith("http://127.0.0.1:") and "JupyterLab" in _page(url)
