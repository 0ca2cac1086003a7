"""Run a course notebook in a fresh kernel with a chosen learner folder (for exports)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, TypeVar

from backcourse.infra.files import folder, new_private, private_folder
from backcourse.infra.notebooks import HOW_TO_RUN_TAG
from backcourse.infra.paths import HOME_ENV

T = TypeVar("T")
R = TypeVar("R")

PACKAGE = Path(__file__).resolve().parent
ASSETS = PACKAGE / "slide_assets"
TEMPLATES = PACKAGE / "templates"


def run_notebook(path: Path, home: Path, parameters: Mapping[str, Any] | None = None) -> Any:
    """Execute ``path`` (papermill parameters injected) with ``home`` as the learner folder."""
    import nbformat
    from nbclient import NotebookClient
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    if parameters:
        for cell in nb.cells:  # papermill looks up tags on every cell, and its own metadata
            cell.metadata.setdefault("tags", [])
        nb.metadata.setdefault("papermill", {})
        nb = parameterize_notebook(nb, dict(parameters))
    env = dict(os.environ, **{HOME_ENV: str(home)})
    with tempfile.TemporaryDirectory(prefix="backcourse-kernel-") as sockets:
        client = NotebookClient(nb, timeout=300, kernel_name="python3", config=ipc(sockets),
                                resources={"metadata": {"path": str(path.parent)}},
                                extra_arguments=["--HistoryManager.enabled=False"])
        client.execute(env=env)  # the kernel gets this environment, the caller's is untouched
    return nb


def ipc(folder: str) -> Any:
    """Kernel settings: talk over local sockets in a private folder, not over TCP."""
    from traitlets.config import Config

    c = Config()
    c.KernelManager.transport = "ipc"
    c.KernelManager.ip = os.path.join(folder, "kernel")
    return c


PRINTED = ("print.css", "require.js")  # all a page without widgets or slides loads


def copy_assets(out: Path, *, private: bool = False, only: Collection[str] | None = None) -> Path:
    """Write the shared offline files (reveal.js, require.js, jQuery, widgets, print CSS) once;
    ``only`` names the files to write (with the vendored files' licences); ``private`` writes
    only what printed pages load (reports), owner-only like the health data beside them."""
    target = out / "assets"
    if private:
        private_folder(target)
        for name in PRINTED:
            new_private(target / name, (ASSETS / name).read_text(encoding="utf-8"))
        return target
    if only is None:
        shutil.copytree(ASSETS, target, dirs_exist_ok=True)
        return target
    folder(target)
    for name in only:
        shutil.copy2(ASSETS / name, target / name)
    shutil.copytree(ASSETS / "licenses", target / "licenses", dirs_exist_ok=True)
    return target


def export_config() -> Any:
    """nbconvert settings every offline export shares: local scripts, code hidden, no
    parameter cells and no cells tagged ``instructor``."""
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.require_js_url = "assets/require.js"
    c.HTMLExporter.widget_renderer_url = "assets/html-manager/embed-amd.js"
    c.TemplateExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.TemplateExporter.exclude_input = True
    c.TemplateExporter.exclude_input_prompt = True
    c.TemplateExporter.exclude_output_prompt = True
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = {"parameters", "injected-parameters", "instructor",
                                                HOW_TO_RUN_TAG}
    return c


def fan_out(items: Iterable[T], work: Callable[[T], R], jobs: int,
            on_done: Callable[[T], None] | None = None) -> tuple[list[R], dict[T, Exception]]:
    """Run ``work`` on every item, ``jobs`` at a time (each run starts its own kernel);
    a failure is recorded against its item and the others still finish."""
    done: list[R] = []
    failed: dict[T, Exception] = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(work, item): item for item in items}
        for future in as_completed(futures):
            item = futures[future]
            try:
                done.append(future.result())
            except Exception as exc:  # reported per item by the caller
                failed[item] = exc
            if on_done:
                on_done(item)
    return done, failed
