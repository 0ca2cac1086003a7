"""Real browser: `backcourse open` serves JupyterLab and notebook 00 loads, all offline."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from browser import browser_page, need_chromium, output_dir
from playwright.sync_api import expect
from servers import BACKCOURSE, server

pytestmark = pytest.mark.browser

LAB = "Open the course at: "


def test_jupyterlab_opens_notebook_00(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    need_chromium()
    shots = output_dir(request)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"))
    command = [*BACKCOURSE, "open", str(tmp_path / "course"), "--no-browser"]
    with server(command, LAB, shots / "server.log", env) as url, \
            browser_page(shots, ("http://127.0.0.1:", "data:", "blob:")) as (page, watch):
        assert url.split("?")[0].endswith("/lab/tree/00_start_here.ipynb")
        page.goto(url)
        page.locator(".jp-Notebook").wait_for(timeout=60_000)
        page.get_by_role("heading", name="00 · Start here, and safety first").wait_for(
            timeout=30_000)
        tab = page.locator(".lm-TabBar-tab.jp-mod-current")
        assert "00_start_here.ipynb" in tab.inner_text()
        page.get_by_text("Python 3 (ipykernel)").first.wait_for(timeout=30_000)
        page.locator(".jp-RenderedMarkdown", has_text="How to use this page.").wait_for(
            timeout=30_000)
        cells = nbformat.read(tmp_path / "course" / "00_start_here.ipynb", as_version=4).cells
        code = sum(cell.cell_type == "code" for cell in cells)
        assert code > 2
        # JupyterLab attaches cells in batches while idle: wait for all of them.
        expect(page.locator(".jp-CodeCell")).to_have_count(code, timeout=30_000)
        folded = page.locator(".jp-CodeCell .jp-InputPlaceholder")
        expect(folded).to_have_count(code - 1)  # all but the parameters cell
        page.screenshot(path=str(shots / "notebook-00.png"))
    assert watch.problems() == ([], [], [])
