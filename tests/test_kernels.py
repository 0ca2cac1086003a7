"""Fresh kernels started ahead (`export.run.Kernels`): one kernel per notebook, never reused,
each with its own learner folder, gone once the run is closed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from backcourse.export.run import Kernels
from backcourse.infra.paths import HOME_ENV

pytestmark = pytest.mark.slow


def test_each_notebook_gets_its_own_fresh_kernel_and_folder(tmp_path: Path) -> None:
    notebook = tmp_path / "who.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(  # type: ignore[no-untyped-call]
        "import json, os\nprint(json.dumps([os.getpid(), os.environ['" + HOME_ENV + "'], "
        "PRELOADED, 'LEFT' in globals()]))\nLEFT = 1")]), notebook)
    kernels = Kernels(3, tmp_path, ahead=2, preload="PRELOADED = 'yes'")
    seen = []
    try:
        for _ in range(3):
            kernel = kernels.take()
            nb = kernel.run(notebook)
            seen.append(json.loads(nb.cells[0].outputs[0]["text"]))
            kernels.retire(kernel)
    finally:
        kernels.close()
    pids, homes, preloaded, left = zip(*seen, strict=True)
    assert len(set(pids)) == 3 and len(set(homes)) == 3  # no kernel or folder reused
    assert preloaded == ("yes",) * 3 and not any(left)  # nothing of a notebook carries over
    for pid, home in zip(pids, homes, strict=True):
        assert not Path(home).exists()
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_closing_stops_the_kernels_started_but_never_taken(tmp_path: Path) -> None:
    kernels = Kernels(4, tmp_path, ahead=2)
    kernel = kernels.take()
    pid = kernel.km.provisioner.process.pid
    kernels.retire(kernel)
    kernels.close()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not kernel.home.exists()
    with pytest.raises(RuntimeError, match="no kernel left"):
        kernels.take()


def test_a_report_kernel_takes_the_course_its_parent_loaded(tmp_path: Path) -> None:
    import dataclasses
    import pickle

    from backcourse.content.load import load_course
    from backcourse.export.reports import preload

    course = load_course()
    marked = dataclasses.replace(course, units=(
        dataclasses.replace(course.units[0], title="Loaded by the parent"), *course.units[1:]))
    shared = tmp_path / "course.pickle"
    shared.write_bytes(pickle.dumps(marked))
    notebook = tmp_path / "course.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(  # type: ignore[no-untyped-call]
        "from backcourse.content.load import load_course\nprint(load_course().units[0].title)"
    )]), notebook)
    kernels = Kernels(1, tmp_path, ahead=1, preload=preload(shared))
    try:
        kernel = kernels.take()
        said = kernel.run(notebook).cells[0].outputs[0]["text"]
        kernels.retire(kernel)
    finally:
        kernels.close()
    assert said == "Loaded by the parent\n"  # not read again from data/
