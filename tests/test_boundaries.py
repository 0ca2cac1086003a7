"""Architecture promises: what notebooks import first stays light, and nothing talks to the
network (the layers themselves are checked in test_layers.py)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from backcourse import lesson
from backcourse.content.load import load_course

PACKAGE = Path(__file__).resolve().parents[1] / "backcourse"
#: what notebooks and the command line import first: the core, files, content, journal,
#: the HTML, figure and chart rendering, the lesson facade and the CLI
LIGHT = ["backcourse", "backcourse.lesson", "backcourse.cli", "backcourse.render.html",
         "backcourse.render.figures", "backcourse.render.charts",
         *(f"backcourse.{p.parent.name}.{p.stem}"
           for layer in ("core", "infra", "content", "journal")
           for p in sorted((PACKAGE / layer).glob("*.py")) if p.stem != "__init__")]


@pytest.mark.parametrize("module", LIGHT)
def test_what_notebooks_import_first_loads_no_ui_plotting_or_export_library(module: str) -> None:
    """Fast to import: no ipywidgets, pandas, nbconvert or papermill."""
    code = (f"import sys, {module}\n"
            "heavy = {'ipywidgets', 'pandas', 'nbconvert', 'papermill', 'nbclient'}\n"
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_showing_the_whole_course_makes_no_network_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """Render every unit's lesson pieces with outgoing connections forbidden."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network call attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    course = load_course()
    for unit in course.units:
        lesson.intro(unit.id)
        lesson.evidence(unit.id)
        lesson.quiz(unit.id)
        lesson.key_points(unit.id)
        lesson.references(unit.id)
    for x in course.exercises:
        lesson.exercise(x.id)
    lesson.coverage(), lesson.habit_evidence(), lesson.red_flags(), lesson.readiness()
    lesson.effect_chart("01", "c"), lesson.norms_chart("mcgill1999", "c")
