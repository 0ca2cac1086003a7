"""The notebooks: committed clean, shaped like course units, runnable in any order.

nbval (configured in pyproject.toml) also executes every notebook top to bottom.
"""

from __future__ import annotations

import ast
import copy
import json
import re
from pathlib import Path

import nbformat
import papermill
import pytest

from backcourse.content.check import readability
from backcourse.content.load import instructor_notes, load_course
from backcourse.core.parse import ContentError
from backcourse.core.records import Screening
from backcourse.infra import notebooks as ipynb
from backcourse.infra.paths import notebooks_dir
from backcourse.journal.samples import write_persona
from backcourse.journal.store import Journal, journal_path

NOTEBOOKS = sorted(notebooks_dir().glob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}
MAX_GRADE = 8.0


def ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def test_one_notebook_per_unit() -> None:
    assert [p.name for p in NOTEBOOKS] == [u.notebook for u in load_course().units]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_committed_clean(path: Path) -> None:
    """No outputs, no execution counts, no editor or kernel metadata drift."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata == NOTEBOOK_METADATA
    for cell in nb.cells:
        assert set(cell.metadata) <= {"slideshow", "tags", "jupyter"}, cell.metadata
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_a_lesson_shows_prose_and_says_how_to_run_it(path: Path) -> None:
    """Code folded away in JupyterLab except the parameters; the how-to note after the title.
    `python -m backcourse.infra.notebooks` makes it so."""
    doc = ipynb.read(path)
    assert ipynb.tidy(doc) == doc
    for cell in doc["cells"]:
        if cell["cell_type"] == "code":
            hidden = cell["metadata"].get("jupyter", {}).get("source_hidden", False)
            assert hidden != ("parameters" in cell["metadata"].get("tags", ())), cell["source"]
    note = doc["cells"][1]
    assert note["metadata"]["tags"] == [ipynb.HOW_TO_RUN_TAG]
    assert "Run All Cells" in "".join(note["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_folded_code_shows_a_short_first_line(path: Path) -> None:
    """JupyterLab shows a folded cell as its first line; a long one pushed the notebook
    sideways on a tablet (tests/test_browser_notebook_fit.py)."""
    for cell in ipynb.cells(path):
        if cell.kind == "code":
            assert len(cell.source.split("\n")[0]) <= 56, cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_the_parameters_a_learner_sees_fit_a_phone(path: Path) -> None:
    """The parameters cell is the one code cell left open; on a 390 px phone JupyterLab's
    editor shows about 36 characters before it cuts a line."""
    for cell in ipynb.cells(path):
        if "parameters" in cell.tags:
            assert max(len(line) for line in cell.source.split("\n")) <= 36, cell.source


def test_tidying_is_idempotent_and_keeps_every_other_cell() -> None:
    doc = ipynb.read(NOTEBOOKS[0])
    loose = {**doc, "cells": [copy.deepcopy(c) for c in doc["cells"]
                              if ipynb.HOW_TO_RUN_TAG not in c["metadata"].get("tags", ())]}
    for cell in loose["cells"]:
        cell["metadata"].pop("jupyter", None)
    once = ipynb.tidy(loose)
    assert ipynb.tidy(once) == once == doc


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_cell_has_slide_metadata(path: Path) -> None:
    """Slides make sense: a title slide and a type on every cell; the instructors' notes are
    not in the notebook a learner opens, but in data/, each after a cell that exists."""
    cells = list(ipynb.cells(path))
    assert all(c.slide_type in SLIDE_TYPES for c in cells)
    assert cells[0].slide_type == "slide" and cells[0].source.startswith(f"# {path.name[:2]} · ")
    assert not any(c.slide_type == "notes" or "Instructor" in c.source for c in cells)
    assert any(n.notebook == path.name for n in instructor_notes())


def test_an_instructor_note_after_a_missing_cell_is_refused(data_copy: Path) -> None:
    notes = data_copy / "instructor_notes.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("after: c03", "after: c99", 1),
                     encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        instructor_notes(data_copy)
    assert [str(p) for p in caught.value.problems] == [
        "data/instructor_notes.yaml: notes[#1]: after: 00_start_here.ipynb has no cell 'c99'"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_unit_shape(path: Path) -> None:
    """Objectives first, a knowledge check and key points, references last."""
    unit_id = path.name[:2]
    code = [c.source for c in ipynb.cells(path) if c.kind == "code" and "parameters" not in c.tags]
    assert code[0].split("\n")[0] == "from backcourse import lesson"
    assert code[1] == f'lesson.intro("{unit_id}")'
    assert f'lesson.quiz("{unit_id}")' in code
    assert f'lesson.key_points("{unit_id}")' in code
    assert code[-1] == f'lesson.references("{unit_id}")'


def test_my_program_has_a_parameters_cell() -> None:
    """Notebook 08 can be run per client by papermill."""
    (cell,) = [c for c in ipynb.cells(notebooks_dir() / "08_my_program.ipynb")
               if "parameters" in c.tags]
    assert re.findall(r"^(\w+) =", cell.source, re.MULTILINE) == [
        "learner", "journal_home", "weeks", "sessions_per_week", "today"]
    (programme,) = load_course().programmes
    assert f"weeks = {programme.weeks}\n" in cell.source
    assert f"sessions_per_week = {programme.sessions_per_week}\n" in cell.source


PARAMETERISED = [p for p in NOTEBOOKS
                 if any("parameters" in c.tags for c in ipynb.cells(p))]


@pytest.mark.parametrize("path", PARAMETERISED, ids=ids(PARAMETERISED))
def test_parameters_are_checked_in_the_first_cell_after_them(path: Path) -> None:
    """Every parameter, each passed as itself, before anything else runs."""
    cells = [c for c in ipynb.cells(path) if c.kind == "code"]
    (at,) = [i for i, c in enumerate(cells) if "parameters" in c.tags]
    names = re.findall(r"^(\w+) =", cells[at].source, re.MULTILINE)
    first = ast.parse(cells[at + 1].source).body
    assert ast.unparse(first[0]) == "from backcourse import lesson"
    (call,) = [s.value for s in first[1:] if isinstance(s, ast.Expr)]
    assert isinstance(call, ast.Call) and ast.unparse(call.func) == "lesson.check_parameters"
    assert [(k.arg, ast.unparse(k.value)) for k in call.keywords] == [(n, n) for n in names]


@pytest.mark.slow
def test_a_bad_parameter_stops_at_the_top_with_its_name(tmp_path: Path) -> None:
    """`-p weeks eight` once failed with a TypeError deep in the schedule."""
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        papermill.execute_notebook(
            str(notebooks_dir() / "08_my_program.ipynb"), str(tmp_path / "08.ipynb"),
            cwd=str(notebooks_dir()), parameters={"weeks": "eight", "journal_home": str(tmp_path)},
            progress_bar=False, kernel_name="python3")
    assert caught.value.ename == "BackcourseError"
    assert caught.value.evalue == "parameter weeks: must be a whole number (got text 'eight')"
    assert "lesson.check_parameters(" in caught.value.source


def _html_outputs(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for c in nb.cells
                   if c.cell_type == "code" for o in c.outputs)


EXPECTED = {
    "empty": ["No safety check on record yet"],
    "kim": ["Your exercise plan is on hold", "Contact a doctor today:"],
    "alex": ["What to do next session", "You meet every readiness goal", "Mon 6 Apr",
             "What you need", "A level is mastered when"],
    "sam": ["What to do next session", "You meet every readiness goal"],
    "jamie": ["What to do next session", "Not ready for the goal exercise (capstone) yet"],
}


@pytest.mark.slow
@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_my_program_runs_for_each_persona_and_an_empty_journal(
    persona: str, tmp_path: Path
) -> None:
    """Papermill runs 08 on each synthetic journal; what it shows follows the journal."""
    home = tmp_path / "journals"
    if persona != "empty":
        with Journal(journal_path(persona, home)) as journal:
            write_persona(journal, persona)
    out = tmp_path / "08.ipynb"
    papermill.execute_notebook(
        str(notebooks_dir() / "08_my_program.ipynb"), str(out), cwd=str(notebooks_dir()),
        parameters={"learner": persona, "journal_home": str(home), "weeks": 3,
                    "sessions_per_week": 2, "today": "2026-04-06"},
        progress_bar=False, kernel_name="python3")
    html = _html_outputs(nbformat.read(out, as_version=4))
    for text in EXPECTED[persona]:
        assert text in html
    active = persona not in ("empty", "kim")
    assert ("Your next 3 weeks" in html) == active
    assert ('"description": "Save this exercise"' in out.read_text(encoding="utf-8")) == active
    if active:
        plan = html[html.index("Your next 3 weeks"):]
        plan = plan[plan.index("<tbody>"):plan.index("</tbody>")]
        assert plan.count("<tr>") == 3 and plan.count("<td") == 3 * 2  # weeks by sessions
        assert 'download="back-exercise-plan.ics"' in html
        assert html.count('<figure class="bc-chart"><svg ') >= 4


@pytest.mark.slow
@pytest.mark.parametrize("screened", [False, True])
def test_baseline_offers_the_tests_only_after_a_clear_safety_check(
    tmp_path: Path, screened: bool
) -> None:
    home = tmp_path / "journals"
    with Journal(journal_path("me", home)) as journal:
        if screened:
            journal.add(Screening(taken_on="2026-03-01", outcome="clear"))
    out = tmp_path / "02.ipynb"
    papermill.execute_notebook(
        str(notebooks_dir() / "02_baseline.ipynb"), str(out), cwd=str(notebooks_dir()),
        parameters={"journal_home": str(home)}, progress_bar=False, kernel_name="python3")
    saved = out.read_text(encoding="utf-8")
    assert ('"description": "Save and compare"' in saved) == screened
    assert ("No safety check on record yet" in _html_outputs(nbformat.read(out, as_version=4))
            ) == (not screened)
    assert '"description": "Score my answers"' in saved  # the questionnaire is always there


@pytest.mark.slow
def test_notebooks_run_in_reverse_order_in_one_learner_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fresh kernel each, last notebook first: no notebook depends on another having run."""
    monkeypatch.setenv("BACKCOURSE_HOME", str(tmp_path / "learner"))
    for path in reversed(NOTEBOOKS):
        out = tmp_path / path.name
        papermill.execute_notebook(str(path), str(out), cwd=str(path.parent),
                                   progress_bar=False, kernel_name="python3")
        nb = json.loads(out.read_text(encoding="utf-8"))
        errors = [o for c in nb["cells"] for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert errors == [], path.name


def test_learner_prose_reads_at_grade_eight_or_below() -> None:
    """Flesch-Kincaid grade per notebook (prose, objectives, key points, claims, quiz)."""
    grades = {name: grade for name, _words, grade in readability()}
    too_hard = {name: grade for name, grade in grades.items() if grade > MAX_GRADE}
    assert too_hard == {}
