"""Whole-course checks behind ``backcourse check``: content, notebooks and citations."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from backcourse.content.load import load_course
from backcourse.core.citations import check_markdown, citations
from backcourse.core.course import Course
from backcourse.core.errors import Problem
from backcourse.core.model import Unit
from backcourse.core.parse import ContentError
from backcourse.infra import notebooks as ipynb
from backcourse.infra.paths import data_dir, notebooks_dir


@dataclasses.dataclass(frozen=True)
class Report:
    """What was checked and every problem found (empty when all is well)."""

    problems: tuple[Problem, ...]
    counts: dict[str, int]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return ", ".join(f"{n} {what}" for what, n in self.counts.items())


def check_course(data: Path | None = None, notebooks: Path | None = None) -> Report:
    """Validate the content, then every notebook's citations against it."""
    data = data or data_dir()
    notebooks = notebooks or notebooks_dir()
    try:
        course = load_course(data)
    except ContentError as exc:
        return Report(exc.problems, {})
    problems: list[Problem] = []
    used = _keys_in_data(course)
    files = sorted(notebooks.glob("*.ipynb"))
    listed = {u.notebook for u in course.units}
    refs = {r.key: r for r in course.references}
    n_citations = 0
    for unit in course.units:
        if not (notebooks / unit.notebook).is_file():
            problems.append(Problem(f"{data.name}/course.yaml", f"units[{unit.id}]", "notebook",
                                    f"{notebooks.name}/{unit.notebook} does not exist"))
    for path in files:
        if path.name not in listed:
            problems.append(Problem(f"{notebooks.name}/{path.name}", "", "",
                                    f"not listed in {data.name}/course.yaml"))
        for cell in ipynb.markdown(path):
            where = f"{notebooks.name}/{path.name}: cell {cell.index}"
            problems.extend(check_markdown(cell.source, refs, where))
            found = citations(cell.source)
            n_citations += len(found)
            used.update(c.key for c in found)
    for section in course.app_sections:
        where = f"{data.name}/app.yaml: sections[{section.id}]: intro"
        problems.extend(check_markdown(section.intro, refs, where))
        found = citations(section.intro)
        n_citations += len(found)
        used.update(c.key for c in found)
    for key in sorted(set(refs) - used):
        problems.append(Problem(f"{data.name}/references.yaml", f"references[{key}]", "key",
                                "never cited in data/ or notebooks/; cite it or remove it"))
    counts = {
        "units": len(course.units), "references": len(course.references),
        "evidence statements": len(course.evidence), "exercises": len(course.exercises),
        "safety questions": len(course.red_flags), "norm rows": len(course.norms),
        "quiz items": len(course.quiz), "notebooks": len(files), "citations": n_citations,
    }
    return Report(tuple(problems), counts)


def _keys_in_data(course: Course) -> set[str]:
    keys = course.assessment_refs() | course.measure_refs()
    keys.update(k for e in course.evidence for k in e.refs)
    keys.update(n.source for n in course.norms)
    keys.update(k for q in course.quiz for k in q.refs)
    return keys


def learner_text(path: Path, unit: Unit, course: Course) -> str:
    """The prose a learner reads in a unit, as plain sentences (for readability scores).

    That is the notebook's markdown (not instructor notes), the unit's objectives and key
    points, its evidence claims and its quiz.
    """
    chunks = [*unit.objectives, *unit.key_points]
    chunks += [course.statement(e).claim for e in unit.evidence]
    for q in course.quiz_for(unit.id):
        chunks += [q.question, *q.options, q.explanation]
    for cell in ipynb.markdown(path, notes=False):
        text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", cell.source)
        text = re.sub(r"[*_`>]", " ", text)
        for block in re.split(r"\n\s*\n", text):
            chunks.extend(_sentences(block))
    return " ".join(c if c[-1] in ".?!" else c + "." for c in chunks)


_ITEM = re.compile(r"^(#+|[-+]|\d+\.)\s+")


def _sentences(block: str) -> list[str]:
    """Headings, list items and table rows stand alone; wrapped lines are joined."""
    out: list[list[str]] = []
    for line in block.splitlines():
        line = line.strip()
        if not line or set(line) <= set("|:- "):
            continue
        starts_item = bool(_ITEM.match(line)) or line.startswith("|")
        if starts_item or not out or out[-1][0].startswith(("#", "|")):
            out.append([])
        out[-1].append(line)
    return [_ITEM.sub("", " ".join(words)).replace("|", " ").strip() for words in out]


def readability(course: Course | None = None,
                notebooks: Path | None = None) -> list[tuple[str, int, float]]:
    """(notebook, words, Flesch-Kincaid grade) per unit."""
    import textstat
    course = course or load_course()
    notebooks = notebooks or notebooks_dir()
    rows = []
    for unit in course.units:
        text = learner_text(notebooks / unit.notebook, unit, course)
        rows.append((unit.notebook, len(text.split()), float(textstat.flesch_kincaid_grade(text))))
    return rows
