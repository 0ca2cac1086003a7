"""Read ``data/`` into a validated, cross-checked :class:`~backcourse.core.model.Course`.

This is the only module that reads content files. Every defect is reported as one line
naming the file, the entry and the field (see :class:`~backcourse.core.parse.Problem`).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from backcourse.content.checks import cross_check
from backcourse.core.course import Course
from backcourse.core.errors import Problem
from backcourse.core.model import (
    AppSection,
    AttentionRule,
    Equipment,
    Evidence,
    Exercise,
    FlagCombination,
    Habit,
    InstructorNote,
    Measure,
    Norm,
    Programme,
    ProgressionRule,
    QuizItem,
    Ratio,
    ReadinessRule,
    RedFlag,
    Reference,
    Retest,
    RetiredFlag,
    SelfTest,
    StartBackBand,
    StartBackItem,
    StartRule,
    StopSign,
    Term,
    Unit,
)
from backcourse.core.parse import Collector, ContentError, parse
from backcourse.core.poses import Figure, JointRanges
from backcourse.infra import notebooks as ipynb
from backcourse.infra.paths import data_dir, notebooks_dir

T = TypeVar("T")

#: attribute of Course -> (file name, top-level key, model, id field)
SOURCES: dict[str, tuple[str, str, type, str]] = {
    "units": ("course.yaml", "units", Unit, "id"),
    "references": ("references.yaml", "references", Reference, "key"),
    "habits": ("habits.yaml", "habits", Habit, "id"),
    "evidence": ("evidence.yaml", "evidence", Evidence, "id"),
    "exercises": ("exercises.yaml", "exercises", Exercise, "id"),
    "equipment": ("exercises.yaml", "equipment", Equipment, "id"),
    "stop_signs": ("exercises.yaml", "stop_signs", StopSign, "id"),
    "glossary": ("course.yaml", "glossary", Term, "id"),
    "red_flags": ("red_flags.yaml", "red_flags", RedFlag, "id"),
    "flag_combinations": ("red_flags.yaml", "combinations", FlagCombination, "id"),
    "retired_flags": ("red_flags.yaml", "retired", RetiredFlag, "id"),
    "quiz": ("quiz.yaml", "quiz", QuizItem, "id"),
    "rules": ("progression.yaml", "rules", ProgressionRule, "id"),
    "programmes": ("progression.yaml", "programmes", Programme, "id"),
    "readiness_rules": ("progression.yaml", "readiness", ReadinessRule, "id"),
    "battery": ("battery.yaml", "battery", SelfTest, "id"),
    "ratios": ("ratios.yaml", "ratios", Ratio, "id"),
    "start_back": ("start_back.yaml", "start_back", StartBackItem, "number"),
    "start_back_bands": ("start_back.yaml", "bands", StartBackBand, "id"),
    "start_rules": ("recommendation.yaml", "start_rules", StartRule, "id"),
    "app_sections": ("app.yaml", "sections", AppSection, "id"),
    "joint_ranges": ("poses.yaml", "ranges", JointRanges, "view"),
    "figures": ("poses.yaml", "figures", Figure, "id"),
    "measures": ("measures.yaml", "measures", Measure, "id"),
    "retests": ("measures.yaml", "retests", Retest, "id"),
    "attention": ("measures.yaml", "attention", AttentionRule, "id"),
}
NORMS_FILE = "norms.csv"
NOTES_FILE = "instructor_notes.yaml"


def _label(root: Path, name: str) -> str:
    return f"{root.name}/{name}"


def _read_yaml(root: Path, name: str, problems: list[Problem]) -> dict[str, Any] | None:
    """A content file's top-level mapping, or None (with its one problem recorded) when the
    file is missing or cannot be read as YAML."""
    import yaml

    label = _label(root, name)
    try:
        doc = yaml.load((root / name).read_text(encoding="utf-8"), Loader=_loader())
    except FileNotFoundError:
        problems.append(Problem(label, "(file)", "(file)", "file is missing"))
        return None
    except UnicodeDecodeError as exc:
        problems.append(Problem(label, "(file)", "(encoding)", f"not UTF-8 text: {exc.reason}"))
        return None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f"line {where.line + 1}" if where else "(file)"
        problems.append(Problem(label, line, "(syntax)", f"not valid YAML: {exc}".splitlines()[0]))
        return None
    if not isinstance(doc, dict):
        problems.append(Problem(label, "(file)", "(file)", "must hold a mapping of lists"))
        return None
    return doc


def _listed(doc: dict[str, Any], label: str, key: str, problems: list[Problem]) -> list[Any]:
    if not isinstance(doc.get(key), list) or not doc[key]:
        problems.append(Problem(label, "(file)", key,
                                f"the file must hold a non-empty list under {key!r}"))
        return []
    return list(doc[key])


@functools.cache
def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _entries(
    raws: Iterable[Any], cls: type[T], label: str, key: str, id_field: str, problems: list[Problem]
) -> tuple[tuple[T, ...], set[str]]:
    """Parsed entries, and the ids of all entries (broken ones too, so that references to a
    broken entry are not reported a second time as unknown)."""
    parsed: list[T] = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(raws, start=1):
        ident = raw.get(id_field) if isinstance(raw, dict) else None
        entry = f"{key}[{ident}]" if isinstance(ident, (str, int)) else f"{key}[#{i}]"
        out = Collector(label, entry)
        obj = parse(cls, raw, out)
        if isinstance(ident, (str, int)):
            if str(ident) in seen:
                out.add(id_field, f"duplicate {id_field} (also used by entry #{seen[str(ident)]})")
            seen.setdefault(str(ident), str(i))
        problems.extend(out.problems)
        if obj is not None:
            parsed.append(obj)
    return tuple(parsed), set(seen)


def _read_norms(root: Path, problems: list[Problem]) -> tuple[Norm, ...]:
    label = _label(root, NORMS_FILE)
    try:
        text = (root / NORMS_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(label, "(file)", "(file)", "file is missing"))
        return ()
    rows = list(csv.DictReader(text.splitlines()))
    norms: list[Norm] = []
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        out = Collector(label, f"row {line}")
        raw = {k: _cell(v) for k, v in row.items() if k is not None and _cell(v) is not None}
        if None in row:
            out.add("(row)", "has more cells than the header has columns")
        obj = parse(Norm, raw, out)
        problems.extend(out.problems)
        if obj is not None:
            norms.append(obj)
    return tuple(norms)


def _cell(text: str | None) -> Any:
    if text is None or not text.strip():
        return None
    text = text.strip()
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


_COURSE: list[Course] = []  # the course's own data, loaded once per process


def load_course(root: Path | None = None) -> Course:
    """Load and validate all content; raise :class:`ContentError` listing every defect."""
    if root is not None:
        return _load(Path(root))
    if not _COURSE:
        _COURSE.append(_load(data_dir()))
    return _COURSE[0]


def share_course(folder: Path) -> Path:
    """The course, loaded and checked here, saved in ``folder`` (a private folder of this
    process) for the kernels it starts to :func:`adopt_course`: 1 ms instead of 120."""
    import pickle

    target = folder / "course.pickle"
    target.write_bytes(pickle.dumps(load_course()))
    return target


def adopt_course(path: str) -> None:
    """Use the course :func:`share_course` saved, as this process's :func:`load_course`."""
    import pickle

    _COURSE[:] = [pickle.loads(Path(path).read_bytes())]


def _load(root: Path) -> Course:
    problems: list[Problem] = []
    docs: dict[str, dict[str, Any] | None] = {}  # each file read once
    parts: dict[str, tuple[Any, ...]] = {}
    ids: dict[str, set[str] | None] = {}
    for attr, (name, key, cls, id_field) in SOURCES.items():
        if name not in docs:
            docs[name] = _read_yaml(root, name, problems)
        doc = docs[name]
        if doc is None:  # unreadable: reported once, and nothing is checked against it
            parts[attr], ids[attr] = (), None
            continue
        raws = _listed(doc, _label(root, name), key, problems)
        parts[attr], ids[attr] = _entries(raws, cls, _label(root, name), key, id_field, problems)
    parts["norms"] = _read_norms(root, problems)
    course = Course(**parts)
    problems.extend(cross_check(course, ids, root))
    if problems:
        raise ContentError(problems)
    return course


def instructor_notes(root: Path | None = None,
                     notebooks: Path | None = None) -> tuple[InstructorNote, ...]:
    """The instructors' notes, kept out of the learners' notebooks; each names a notebook
    and a cell of it that exists. Raise :class:`ContentError` listing every defect."""
    root = Path(root) if root is not None else data_dir()
    notebooks = notebooks or notebooks_dir()
    problems: list[Problem] = []
    doc = _read_yaml(root, NOTES_FILE, problems)
    label = _label(root, NOTES_FILE)
    notes: list[InstructorNote] = []
    if doc is not None:
        for i, raw in enumerate(_listed(doc, label, "notes", problems), start=1):
            out = Collector(label, f"notes[#{i}]")
            note = parse(InstructorNote, raw, out)
            if note is not None:
                path = notebooks / note.notebook
                ids = ({c.get("id") for c in ipynb.read(path).get("cells", [])}
                       if path.is_file() else set())
                if not path.is_file():
                    out.add("notebook", f"no notebook {note.notebook!r}")
                elif note.after not in ids:
                    out.add("after", f"{note.notebook} has no cell {note.after!r}")
                else:
                    notes.append(note)
            problems.extend(out.problems)
    if problems:
        raise ContentError(problems)
    return tuple(notes)


__all__ = ["ContentError", "Problem", "instructor_notes", "load_course"]
