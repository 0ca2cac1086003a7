"""Run a course notebook in a fresh kernel with a chosen learner folder (for exports)."""

from __future__ import annotations

import os
import queue
import re
import shutil
import tempfile
import threading
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
    """Execute ``path`` (papermill parameters injected) with ``home`` as the learner folder,
    in a fresh kernel stopped afterwards."""
    kernel = Kernel.start(path.parent, home)
    try:
        return kernel.run(path, parameters)
    finally:
        kernel.stop()


class Kernel:
    """One fresh kernel for one notebook: started in ``cwd`` with ``home`` as the learner
    folder (a new private folder of its own when none is given, removed with the kernel),
    talking over local sockets in a private folder, and killed once its notebook has run."""

    def __init__(self, km: Any, home: Path, folders: list[tempfile.TemporaryDirectory[str]]
                 ) -> None:
        self.km, self.home, self._folders = km, home, folders

    @classmethod
    def start(cls, cwd: Path, home: Path | None = None, preload: str = "") -> Kernel:
        """Start the kernel; ``preload`` is code it runs as it starts (imports, the course:
        nothing about any client), so that work is done before its notebook arrives."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        sockets = tempfile.TemporaryDirectory(prefix="backcourse-kernel-")
        folders = [sockets]
        if home is None:
            folders.append(tempfile.TemporaryDirectory(prefix="backcourse-home-"))
            home = Path(folders[-1].name)
        km = AsyncKernelManager(kernel_name="python3", config=ipc(sockets.name))
        env = dict(os.environ, **{HOME_ENV: str(home)})  # the caller's environment is untouched
        options = ["--HistoryManager.enabled=False"]
        if preload:
            options.append(f"--IPKernelApp.exec_lines={[preload]!r}")
        run_sync(km.start_kernel)(extra_arguments=options, env=env, cwd=str(cwd))
        return cls(km, home, folders)

    def run(self, path: Path, parameters: Mapping[str, Any] | None = None) -> Any:
        """Execute ``path`` in this kernel, papermill's parameters injected; the notebook."""
        import nbformat
        from nbclient import NotebookClient
        from papermill.parameterize import parameterize_notebook

        nb = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
        if parameters:
            for cell in nb.cells:  # papermill looks up tags on every cell, and its own metadata
                cell.metadata.setdefault("tags", [])
            nb.metadata.setdefault("papermill", {})
            nb = parameterize_notebook(nb, dict(parameters))
        client = NotebookClient(nb, km=self.km, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
        finally:
            if client.kc is not None:
                client.kc.stop_channels()
        return nb

    def stop(self) -> None:
        """Kill the kernel at once (it ran its one notebook; nothing in it needs saving) and
        remove its sockets and its own learner folder."""
        from jupyter_core.utils import run_sync

        try:
            if run_sync(self.km.is_alive)():
                run_sync(self.km.shutdown_kernel)(now=True)
            run_sync(self.km.cleanup_resources)()
        finally:
            for f in self._folders:
                f.cleanup()


class Kernels:
    """Fresh kernels for ``count`` notebooks, started ahead: while notebooks run, a
    background thread starts the next ones (at most ``ahead`` waiting), so a notebook rarely
    waits for its kernel to boot and run ``preload``. Each kernel runs one notebook and
    comes with its own new private learner folder; none is ever reused."""

    def __init__(self, count: int, cwd: Path, ahead: int, preload: str = "") -> None:
        self._waiting: queue.Queue[Kernel] = queue.Queue(maxsize=max(ahead, 1))
        self._closed = threading.Event()
        self._stopping: list[threading.Thread] = []
        self._starter = threading.Thread(target=self._start_all, args=(count, cwd, preload),
                                         daemon=True)
        self._starter.start()

    def _start_all(self, count: int, cwd: Path, preload: str) -> None:
        for _ in range(count):
            kernel = Kernel.start(cwd, preload=preload)
            while True:
                if self._closed.is_set():
                    kernel.stop()
                    return
                try:
                    self._waiting.put(kernel, timeout=0.05)
                    break
                except queue.Full:
                    continue

    def take(self) -> Kernel:
        """The next fresh kernel (waits while it starts)."""
        while True:
            try:
                return self._waiting.get(timeout=0.05)
            except queue.Empty:
                if not self._starter.is_alive() and self._waiting.empty():
                    raise RuntimeError("no kernel left to take") from None

    def retire(self, kernel: Kernel) -> None:
        """Stop a kernel whose notebook has run, in the background (:meth:`close` waits)."""
        stopping = threading.Thread(target=kernel.stop)
        stopping.start()
        self._stopping.append(stopping)

    def close(self) -> None:
        """Stop the starter and every kernel started but not taken; wait until every
        kernel has stopped and its folder is gone."""
        self._closed.set()
        self._starter.join()
        while not self._waiting.empty():
            self._waiting.get().stop()
        for stopping in self._stopping:
            stopping.join()


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


# A figure as `figure_html` writes it (pictures only, no nested <div>), with its figure's id;
# or a thumbnail's "Show every step", which keeps its figure as it is (it opens in a table).
FIGURE = re.compile(r'<details class="bc-zoom">.*?</details>'
                    r'|<div class="bc-figures[^"]*" data-figure="([^"]+)">(.*?)</div>', re.S)


def frame_figures(html: str, motion: bool = True) -> str:
    """``html`` with each exercise figure shown as slides and paper show it
    (`framed_figure_html`: each key frame its own picture, its caption as text under it, in
    one row), with its animation where it had one and ``motion`` (never on paper); a
    thumbnail's zoom keeps the figure it opens as it is."""
    from backcourse.content.load import load_course
    from backcourse.render.figures import figure_for, framed_figure_html

    course = load_course()
    return FIGURE.sub(lambda m: m[0] if m[1] is None else framed_figure_html(
        figure_for(course, m[1]), animate=motion and "<svg" in m[2]), html)


def frame_outputs(nb: Any, motion: bool = True) -> None:
    """:func:`frame_figures` on every HTML output of a run notebook."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                data["text/html"] = frame_figures(data["text/html"], motion)


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
