"""Architecture promises: pure logic stays light, and nothing talks to the network."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from backcourse import lesson
from backcourse.content import load_course


PURE = ["backcourse", "backcourse.content", "backcourse.check", "backcourse.journal",
        "backcourse.program", "backcourse.render", "backcourse.lesson", "backcourse.cli",
        "backcourse.figures", "backcourse.links",
        *(f"backcourse.core.{m}" for m in ("model", "parse", "quiz", "screening", "startback",
                                           "assessment", "progression", "recommend",
                                           "schedule", "records", "citations", "stopwatch",
                                           "figures", "player", "dates", "parameters"))]


@pytest.mark.parametrize("module", PURE)
def test_pure_logic_imports_no_ui_plotting_or_export_library(module: str) -> None:
    """Fast to import: no ipywidgets, matplotlib, pandas, nbconvert or papermill."""
    code = (f"import sys, {module}\n"
            "heavy = {'ipywidgets', 'matplotlib', 'pandas', 'nbconvert', 'papermill', 'nbclient'}\n"
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
