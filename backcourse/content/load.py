"""Read ``data/`` into a validated, cross-checked :class:`~backcourse.core.model.Course`.

This is the only module that reads content files. Every defect is reported as one line
naming the file, the entry and the field (see :class:`~backcourse.core.parse.Problem`).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from backcourse.core.course import Course
from backcourse.core.errors import Problem
from backcourse.core.model import (
    APP_PARTS,
    DECISIONS,
    AppSection,
    Evidence,
    Exercise,
    FlagCombination,
    Habit,
    Norm,
    Programme,
    ProgressionRule,
    QuizItem,
    Ratio,
    RedFlag,
    Reference,
    RetiredFlag,
    SelfTest,
    StartBackBand,
    StartBackItem,
    StartRule,
    Unit,
)
from backcourse.core.parse import Collector, ContentError, parse
from backcourse.core.poses import Figure, JointRanges
from backcourse.core.screening import SEVERITY, lowest_trigger
from backcourse.infra.paths import data_dir

T = TypeVar("T")

#: attribute of Course -> (file name, top-level key, model, id field)
SOURCES: dict[str, tuple[str, str, type, str]] = {
    "units": ("course.yaml", "units", Unit, "id"),
    "references": ("references.yaml", "references", Reference, "key"),
    "habits": ("habits.yaml", "habits", Habit, "id"),
    "evidence": ("evidence.yaml", "evidence", Evidence, "id"),
    "exercises": ("exercises.yaml", "exercises", Exercise, "id"),
    "red_flags": ("red_flags.yaml", "red_flags", RedFlag, "id"),
    "flag_combinations": ("red_flags.yaml", "combinations", FlagCombination, "id"),
    "retired_flags": ("red_flags.yaml", "retired", RetiredFlag, "id"),
    "quiz": ("quiz.yaml", "quiz", QuizItem, "id"),
    "rules": ("progression.yaml", "rules", ProgressionRule, "id"),
    "programmes": ("progression.yaml", "programmes", Programme, "id"),
    "battery": ("battery.yaml", "battery", SelfTest, "id"),
    "ratios": ("ratios.yaml", "ratios", Ratio, "id"),
    "start_back": ("start_back.yaml", "start_back", StartBackItem, "number"),
    "start_back_bands": ("start_back.yaml", "bands", StartBackBand, "id"),
    "start_rules": ("recommendation.yaml", "start_rules", StartRule, "id"),
    "app_sections": ("app.yaml", "sections", AppSection, "id"),
    "joint_ranges": ("poses.yaml", "ranges", JointRanges, "view"),
    "figures": ("poses.yaml", "figures", Figure, "id"),
}
NORMS_FILE = "norms.csv"


def _label(root: Path, name: str) -> str:
    return f"{root.name}/{name}"


def _read_yaml(root: Path, name: str, key: str, problems: list[Problem]) -> list[Any]:
    import yaml

    label = _label(root, name)
    try:
        doc = yaml.load((root / name).read_text(encoding="utf-8"), Loader=_loader())
    except FileNotFoundError:
        problems.append(Problem(label, "(file)", "(file)", "file is missing"))
        return []
    except UnicodeDecodeError as exc:
        problems.append(Problem(label, "(file)", "(encoding)", f"not UTF-8 text: {exc.reason}"))
        return []
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f"line {where.line + 1}" if where else "(file)"
        problems.append(Problem(label, line, "(syntax)", f"not valid YAML: {exc}".splitlines()[0]))
        return []
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list) or not doc[key]:
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


def load_course(root: Path | None = None) -> Course:
    """Load and validate all content; raise :class:`ContentError` listing every defect."""
    if root is None:
        return _default_course()
    return _load(Path(root))


@functools.cache
def _default_course() -> Course:
    return _load(data_dir())


def _load(root: Path) -> Course:
    problems: list[Problem] = []
    parts: dict[str, tuple[Any, ...]] = {}
    ids: dict[str, set[str]] = {}
    for attr, (name, key, cls, id_field) in SOURCES.items():
        raws = _read_yaml(root, name, key, problems)
        parts[attr], ids[attr] = _entries(raws, cls, _label(root, name), key, id_field, problems)
    parts["norms"] = _read_norms(root, problems)
    course = Course(**parts)
    problems.extend(_cross_check(course, ids, root))
    if problems:
        raise ContentError(problems)
    return course


def _figure_problems(course: Course, ids: dict[str, set[str]], root: Path) -> Iterator[Problem]:
    """Each figure draws a move or a physical self-test in an anatomically possible pose,
    and every move and physical self-test has a figure."""
    from backcourse.core.kinematics import range_problems

    label = _label(root, "poses.yaml")
    drawn = {m.id: f"exercises.yaml: move {m.id}" for x in course.exercises for r in x.rungs
             for m in r.moves}
    drawn.update({t.id: f"battery.yaml: test {t.id}" for t in course.battery
                  if t.kind != "rating"})
    complete = (len(course.exercises) == len(ids["exercises"])
                and len(course.battery) == len(ids["battery"]))  # else reported already
    for figure in course.figures:
        if complete and figure.id not in drawn:
            yield Problem(label, f"figures[{figure.id}]", "id",
                          "not a move in exercises.yaml nor a timed or category self-test")
        for field, message in range_problems(figure, course.joint_ranges):
            yield Problem(label, f"figures[{figure.id}]", field, message)
    for item, where in drawn.items():
        if item not in ids["figures"]:
            yield Problem(label, "figures", item, f"{where} has no figure; add one here")


def _combination_problems(course: Course, ids: dict[str, set[str]], refs: set[str],
                          label: str) -> Iterator[Problem]:
    """Each combination names known questions and sources and is at least as urgent as its
    questions are on their own; retired ids are never asked again."""
    if not ids["red_flags"]:
        return  # the questions did not load; that is reported already
    actions = {f.id: f.action for f in course.red_flags}
    for c in course.flag_combinations:
        entry = f"combinations[{c.id}]"
        for field in ("all_of", "any_of", "refs"):
            known = refs if field == "refs" else ids["red_flags"]
            for i, value in enumerate(getattr(c, field)):
                if value not in known:
                    what = "reference" if field == "refs" else "question"
                    yield Problem(label, entry, f"{field}[{i}]", f"unknown {what} {value!r}")
        if not set(c.all_of + c.any_of) <= set(actions):
            continue
        alone = lowest_trigger(c, actions)
        if SEVERITY.index(c.action) < SEVERITY.index(alone):
            yield Problem(label, entry, "action",
                          f"{c.action!r} is less urgent than its questions alone ({alone!r})")
    for r in course.retired_flags:
        if r.id in ids["red_flags"]:
            yield Problem(label, f"retired[{r.id}]", "id",
                          "this id is still asked; a retired id is never reused")


def _cross_check(course: Course, ids: dict[str, set[str]], root: Path) -> Iterator[Problem]:
    refs, habits, statements = ids["references"], ids["habits"], ids["evidence"]
    exercises = {x.id: x for x in course.exercises}
    units = ids["units"]

    def missing(
        name: str, entry: str, field: str, values: str | Iterable[str], known: set[str], what: str
    ) -> Iterator[Problem]:
        named = [(field, values)] if isinstance(values, str) else [
            (f"{field}[{i}]", v) for i, v in enumerate(values)]
        for where, value in named:
            if value not in known:
                yield Problem(_label(root, name), entry, where, f"unknown {what} {value!r}")

    for e in course.evidence:
        yield from missing("evidence.yaml", f"evidence[{e.id}]", "refs", e.refs, refs, "reference")
    for h in course.habits:
        yield from missing("habits.yaml", f"habits[{h.id}]", "evidence", h.evidence, statements,
                           "evidence statement")
    move_ids: dict[str, str] = {}
    rung_ids: dict[str, str] = {}
    for x in course.exercises:
        entry = f"exercises[{x.id}]"
        yield from missing("exercises.yaml", entry, "habits", x.habits, habits, "habit")
        yield from missing("exercises.yaml", entry, "evidence", x.evidence, statements,
                           "evidence statement")
        for i, c in enumerate(x.readiness):
            target = exercises.get(c.exercise)
            if target is None and c.exercise in ids["exercises"]:
                continue  # the broken exercise is reported already
            if target is None or target.role != "prerequisite":
                yield Problem(_label(root, "exercises.yaml"), entry, f"readiness[{i}].exercise",
                              f"{c.exercise!r} is not a prerequisite exercise")
            elif c.rung not in {r.id for r in target.rungs}:
                yield Problem(_label(root, "exercises.yaml"), entry, f"readiness[{i}].rung",
                              f"{c.exercise!r} has no rung {c.rung!r}")
        for r in x.rungs:
            if rung_ids.setdefault(r.id, x.id) != x.id or [q.id for q in x.rungs].count(r.id) > 1:
                yield Problem(_label(root, "exercises.yaml"), entry, f"rungs[{r.id}].id",
                              "level ids must be unique across all exercises")
            for m in r.moves:
                if move_ids.setdefault(m.id, r.id) != r.id:
                    yield Problem(_label(root, "exercises.yaml"), entry,
                                  f"rungs[{r.id}].moves[{m.id}].id",
                                  f"move id also used in rung {move_ids[m.id]!r}")
    roles = [x.role for x in course.exercises]
    if course.exercises and roles.count("capstone") != 1:
        yield Problem(_label(root, "exercises.yaml"), "exercises", "role",
                      "exactly one exercise must be the capstone "
                      f"(found {roles.count('capstone')})")
    for f in course.red_flags:
        yield from missing("red_flags.yaml", f"red_flags[{f.id}]", "refs", f.refs, refs,
                           "reference")
    yield from _combination_problems(course, ids, refs, _label(root, "red_flags.yaml"))
    for row in course.norms:
        yield from missing(NORMS_FILE, f"norms[{row.table}/{row.test}/{row.sex}]", "source",
                           row.source, refs, "reference")
    for q in course.quiz:
        entry = f"quiz[{q.id}]"
        yield from missing("quiz.yaml", entry, "refs", q.refs, refs, "reference")
        yield from missing("quiz.yaml", entry, "unit", q.unit, units, "unit")
    for pr in course.rules:
        yield from missing("progression.yaml", f"rules[{pr.id}]", "refs", pr.refs, refs,
                           "reference")
    decisions = tuple(r.decision for r in course.rules)
    if len(course.rules) == len(ids["rules"]) and decisions != DECISIONS:
        yield Problem(_label(root, "progression.yaml"), "rules", "decision",
                      f"one rule per decision, in the order {', '.join(DECISIONS)} "
                      f"(got {', '.join(decisions)})")
    yield from _figure_problems(course, ids, root)
    parts = tuple(a.id for a in course.app_sections)
    if len(parts) == len(ids["app_sections"]) and parts != APP_PARTS:
        yield Problem(_label(root, "app.yaml"), "sections", "id",
                      f"one section per part, in the order {', '.join(APP_PARTS)} "
                      f"(got {', '.join(parts)})")
    if len(ids["programmes"]) > 1:
        yield Problem(_label(root, "progression.yaml"), "programmes", "id",
                      "list exactly one programme (the mini-program)")
    keys = {k for t in course.battery for k in t.keys()}
    tables = {n.table for n in course.norms}
    for t in course.battery:
        yield from missing("battery.yaml", f"battery[{t.id}]", "refs", t.refs, refs, "reference")
        if t.norms is not None:
            yield from missing("battery.yaml", f"battery[{t.id}]", "norms", t.norms, tables,
                               "norms table")
    for ratio in course.ratios:
        entry = f"ratios[{ratio.id}]"
        yield from missing("ratios.yaml", entry, "refs", ratio.refs, refs, "reference")
        yield from missing("ratios.yaml", entry, "numerator", ratio.numerator, keys, "test")
        yield from missing("ratios.yaml", entry, "denominator", ratio.denominator, keys, "test")
    for b in course.start_back_bands:
        yield from missing("start_back.yaml", f"bands[{b.id}]", "refs", b.refs, refs, "reference")
    for sr in course.start_rules:
        entry = f"start_rules[{sr.id}]"
        yield from missing("recommendation.yaml", entry, "refs", sr.refs, refs, "reference")
        for i, threshold in enumerate(sr.at_least):
            for field, test in (("test", threshold.test), ("or_test", threshold.or_test)):
                if test is not None:
                    yield from missing("recommendation.yaml", entry, f"at_least[{i}].{field}",
                                       test, keys, "test")
        owner = exercises.get(sr.exercise)
        if owner is not None and sr.rung not in {r.id for r in owner.rungs}:
            yield Problem(_label(root, "recommendation.yaml"), entry, "rung",
                          f"{sr.exercise!r} has no level {sr.rung!r}")
    for x in course.prerequisites:
        mine = [sr for sr in course.start_rules if sr.exercise == x.id]
        if ids["start_rules"] and (not mine or mine[-1].at_least or mine[-1].max_pain is not None):
            yield Problem(_label(root, "recommendation.yaml"), "start_rules", "exercise",
                          f"{x.id!r} needs a last rule without conditions")
    numbers = [i.number for i in course.start_back]
    if ids["start_back"] and numbers != list(range(1, 10)):
        yield Problem(_label(root, "start_back.yaml"), "start_back", "number",
                      f"the tool has items 1 to 9 in order (got {numbers})")
    for u in course.units:
        entry = f"units[{u.id}]"
        yield from missing("course.yaml", entry, "evidence", u.evidence, statements,
                           "evidence statement")
        yield from missing("course.yaml", entry, "exercises", u.exercises, ids["exercises"],
                           "exercise")


__all__ = ["ContentError", "Problem", "load_course"]
