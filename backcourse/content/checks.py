"""Cross-checks between the content files, each a small pure function of what was read.

A file that could not be read at all (missing, not YAML) has no known ids, so nothing is
checked against it: its one problem is reported, with no follow-on noise from other files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from backcourse.core.course import Course
from backcourse.core.errors import Problem
from backcourse.core.model import APP_PARTS, DECISIONS
from backcourse.core.screening import SEVERITY, lowest_trigger


@dataclasses.dataclass(frozen=True)
class Loaded:
    """A course as read, with the ids each part named (broken entries too, so a reference to
    a broken entry is not reported again), or None for a part whose file could not be read."""

    course: Course
    ids: Mapping[str, set[str] | None]
    root: Path

    def label(self, name: str) -> str:
        return f"{self.root.name}/{name}"

    def known(self, part: str) -> set[str] | None:
        return self.ids[part]

    def missing(self, name: str, entry: str, field: str, values: str | Iterable[str],
                known: set[str] | None, what: str) -> Iterator[Problem]:
        """Each value not among ``known`` (nothing when ``known`` could not be read)."""
        if known is None:
            return
        named = [(field, values)] if isinstance(values, str) else [
            (f"{field}[{i}]", v) for i, v in enumerate(values)]
        for where, value in named:
            if value not in known:
                yield Problem(self.label(name), entry, where, f"unknown {what} {value!r}")

    def complete(self, *parts: str) -> bool:
        """Whether every entry of these parts loaded (else their problems are reported)."""
        return all((ids := self.ids[p]) is not None
                   and len(getattr(self.course, p)) == len(ids) for p in parts)


Check = Callable[[Loaded], Iterator[Problem]]


def evidence_sources(c: Loaded) -> Iterator[Problem]:
    for e in c.course.evidence:
        yield from c.missing("evidence.yaml", f"evidence[{e.id}]", "refs", e.refs,
                             c.known("references"), "reference")


def habit_evidence(c: Loaded) -> Iterator[Problem]:
    for h in c.course.habits:
        yield from c.missing("habits.yaml", f"habits[{h.id}]", "evidence", h.evidence,
                             c.known("evidence"), "evidence statement")


def exercise_links(c: Loaded) -> Iterator[Problem]:
    """Habits, evidence and readiness goals name things that exist."""
    exercises = {x.id: x for x in c.course.exercises}
    for x in c.course.exercises:
        entry = f"exercises[{x.id}]"
        yield from c.missing("exercises.yaml", entry, "habits", x.habits, c.known("habits"),
                             "habit")
        yield from c.missing("exercises.yaml", entry, "evidence", x.evidence,
                             c.known("evidence"), "evidence statement")
        for i, goal in enumerate(x.readiness):
            target = exercises.get(goal.exercise)
            if target is None and goal.exercise in (c.known("exercises") or ()):
                continue  # the broken exercise is reported already
            if target is None or target.role != "prerequisite":
                yield Problem(c.label("exercises.yaml"), entry, f"readiness[{i}].exercise",
                              f"{goal.exercise!r} is not a prerequisite exercise")
            elif goal.rung not in {r.id for r in target.rungs}:
                yield Problem(c.label("exercises.yaml"), entry, f"readiness[{i}].rung",
                              f"{goal.exercise!r} has no rung {goal.rung!r}")


def exercise_ids(c: Loaded) -> Iterator[Problem]:
    """Level and move ids are unique across exercises; exactly one capstone."""
    move_ids: dict[str, str] = {}
    rung_ids: dict[str, str] = {}
    for x in c.course.exercises:
        entry = f"exercises[{x.id}]"
        for r in x.rungs:
            if rung_ids.setdefault(r.id, x.id) != x.id or [q.id for q in x.rungs].count(r.id) > 1:
                yield Problem(c.label("exercises.yaml"), entry, f"rungs[{r.id}].id",
                              "level ids must be unique across all exercises")
            for m in r.moves:
                if move_ids.setdefault(m.id, r.id) != r.id:
                    yield Problem(c.label("exercises.yaml"), entry,
                                  f"rungs[{r.id}].moves[{m.id}].id",
                                  f"move id also used in rung {move_ids[m.id]!r}")
    roles = [x.role for x in c.course.exercises]
    if c.complete("exercises") and roles.count("capstone") != 1:
        yield Problem(c.label("exercises.yaml"), "exercises", "role",
                      "exactly one exercise must be the capstone "
                      f"(found {roles.count('capstone')})")


def safety_questions(c: Loaded) -> Iterator[Problem]:
    """Each question and combination names known sources and questions; a combination is
    at least as urgent as its questions alone; retired ids are never asked again."""
    label, refs, asked = c.label("red_flags.yaml"), c.known("references"), c.known("red_flags")
    for f in c.course.red_flags:
        yield from c.missing("red_flags.yaml", f"red_flags[{f.id}]", "refs", f.refs, refs,
                             "reference")
    if not asked:
        return  # the questions did not load; that is reported already
    actions = {f.id: f.action for f in c.course.red_flags}
    for combo in c.course.flag_combinations:
        entry = f"combinations[{combo.id}]"
        yield from c.missing("red_flags.yaml", entry, "all_of", combo.all_of, asked, "question")
        yield from c.missing("red_flags.yaml", entry, "any_of", combo.any_of, asked, "question")
        yield from c.missing("red_flags.yaml", entry, "refs", combo.refs, refs, "reference")
        if not set(combo.all_of + combo.any_of) <= set(actions):
            continue
        alone = lowest_trigger(combo, actions)
        if SEVERITY.index(combo.action) < SEVERITY.index(alone):
            yield Problem(label, entry, "action",
                          f"{combo.action!r} is less urgent than its questions alone ({alone!r})")
    for r in c.course.retired_flags:
        if r.id in asked:
            yield Problem(label, f"retired[{r.id}]", "id",
                          "this id is still asked; a retired id is never reused")


def norm_sources(c: Loaded) -> Iterator[Problem]:
    for row in c.course.norms:
        yield from c.missing("norms.csv", f"norms[{row.table}/{row.test}/{row.sex}]", "source",
                             row.source, c.known("references"), "reference")


def quiz_links(c: Loaded) -> Iterator[Problem]:
    for q in c.course.quiz:
        entry = f"quiz[{q.id}]"
        yield from c.missing("quiz.yaml", entry, "refs", q.refs, c.known("references"),
                             "reference")
        yield from c.missing("quiz.yaml", entry, "unit", q.unit, c.known("units"), "unit")


def progression_rules(c: Loaded) -> Iterator[Problem]:
    """Sources exist; one rule per decision, in order; exactly one programme."""
    for pr in c.course.rules:
        yield from c.missing("progression.yaml", f"rules[{pr.id}]", "refs", pr.refs,
                             c.known("references"), "reference")
    decisions = tuple(r.decision for r in c.course.rules)
    if c.complete("rules") and decisions != DECISIONS:
        yield Problem(c.label("progression.yaml"), "rules", "decision",
                      f"one rule per decision, in the order {', '.join(DECISIONS)} "
                      f"(got {', '.join(decisions)})")
    if len(c.known("programmes") or ()) > 1:
        yield Problem(c.label("progression.yaml"), "programmes", "id",
                      "list exactly one programme (the mini-program)")


def figures(c: Loaded) -> Iterator[Problem]:
    """Each figure draws a move or a physical self-test in an anatomically possible pose,
    and every move and physical self-test has a figure."""
    from backcourse.core.kinematics import range_problems

    label, course = c.label("poses.yaml"), c.course
    drawn = {m.id: f"exercises.yaml: move {m.id}" for x in course.exercises for r in x.rungs
             for m in r.moves}
    drawn.update({t.id: f"battery.yaml: test {t.id}" for t in course.battery
                  if t.kind != "rating"})
    for figure in course.figures:
        if c.complete("exercises", "battery") and figure.id not in drawn:
            yield Problem(label, f"figures[{figure.id}]", "id",
                          "not a move in exercises.yaml nor a timed or category self-test")
        for field, message in range_problems(figure, course.joint_ranges):
            yield Problem(label, f"figures[{figure.id}]", field, message)
    known = c.known("figures")
    for item, where in drawn.items():
        if known is not None and item not in known:
            yield Problem(label, "figures", item, f"{where} has no figure; add one here")


def app_sections(c: Loaded) -> Iterator[Problem]:
    parts = tuple(a.id for a in c.course.app_sections)
    if c.complete("app_sections") and parts != APP_PARTS:
        yield Problem(c.label("app.yaml"), "sections", "id",
                      f"one section per part, in the order {', '.join(APP_PARTS)} "
                      f"(got {', '.join(parts)})")


def self_tests(c: Loaded) -> Iterator[Problem]:
    """Self-tests and ratios name known sources, norms tables and tests."""
    course, refs = c.course, c.known("references")
    keys = {k for t in course.battery for k in t.keys()} if c.complete("battery") else None
    tables = {n.table for n in course.norms}
    for t in course.battery:
        yield from c.missing("battery.yaml", f"battery[{t.id}]", "refs", t.refs, refs,
                             "reference")
        if t.norms is not None:
            yield from c.missing("battery.yaml", f"battery[{t.id}]", "norms", t.norms, tables,
                                 "norms table")
    for ratio in course.ratios:
        entry = f"ratios[{ratio.id}]"
        yield from c.missing("ratios.yaml", entry, "refs", ratio.refs, refs, "reference")
        yield from c.missing("ratios.yaml", entry, "numerator", ratio.numerator, keys, "test")
        yield from c.missing("ratios.yaml", entry, "denominator", ratio.denominator, keys,
                             "test")


def start_back(c: Loaded) -> Iterator[Problem]:
    for b in c.course.start_back_bands:
        yield from c.missing("start_back.yaml", f"bands[{b.id}]", "refs", b.refs,
                             c.known("references"), "reference")
    numbers = [i.number for i in c.course.start_back]
    if c.known("start_back") and numbers != list(range(1, 10)):
        yield Problem(c.label("start_back.yaml"), "start_back", "number",
                      f"the tool has items 1 to 9 in order (got {numbers})")


def start_rules(c: Loaded) -> Iterator[Problem]:
    """Where to start each ladder: known tests and levels, and a last rule without
    conditions for every prerequisite."""
    course = c.course
    keys = {k for t in course.battery for k in t.keys()} if c.complete("battery") else None
    exercises = {x.id: x for x in course.exercises}
    for sr in course.start_rules:
        entry = f"start_rules[{sr.id}]"
        yield from c.missing("recommendation.yaml", entry, "refs", sr.refs,
                             c.known("references"), "reference")
        for i, threshold in enumerate(sr.at_least):
            for field, test in (("test", threshold.test), ("or_test", threshold.or_test)):
                if test is not None:
                    yield from c.missing("recommendation.yaml", entry, f"at_least[{i}].{field}",
                                         test, keys, "test")
        owner = exercises.get(sr.exercise)
        if owner is not None and sr.rung not in {r.id for r in owner.rungs}:
            yield Problem(c.label("recommendation.yaml"), entry, "rung",
                          f"{sr.exercise!r} has no level {sr.rung!r}")
    if not c.known("start_rules"):
        return
    for x in course.prerequisites:
        mine = [sr for sr in course.start_rules if sr.exercise == x.id]
        if not mine or mine[-1].at_least or mine[-1].max_pain is not None:
            yield Problem(c.label("recommendation.yaml"), "start_rules", "exercise",
                          f"{x.id!r} needs a last rule without conditions")


def unit_links(c: Loaded) -> Iterator[Problem]:
    for u in c.course.units:
        entry = f"units[{u.id}]"
        yield from c.missing("course.yaml", entry, "evidence", u.evidence, c.known("evidence"),
                             "evidence statement")
        yield from c.missing("course.yaml", entry, "exercises", u.exercises,
                             c.known("exercises"), "exercise")


def measures(c: Loaded) -> Iterator[Problem]:
    """Every source of a measure, its minimal important change and a retest exists."""
    refs = c.known("references")
    for m in c.course.measures:
        for field in ("refs", "mic_refs"):
            yield from c.missing("measures.yaml", f"measures[{m.id}]", field,
                                 getattr(m, field), refs, "reference")
    for r in c.course.retests:
        yield from c.missing("measures.yaml", f"retests[{r.id}]", "refs", r.refs, refs,
                             "reference")


CHECKS: tuple[Check, ...] = (
    evidence_sources, habit_evidence, exercise_links, exercise_ids, safety_questions,
    norm_sources, quiz_links, progression_rules, figures, app_sections, self_tests,
    start_back, start_rules, unit_links, measures,
)


def cross_check(course: Course, ids: Mapping[str, set[str] | None],
                root: Path) -> Iterator[Problem]:
    """Every problem between the files, from each check in turn."""
    loaded = Loaded(course, ids, root)
    for check in CHECKS:
        yield from check(loaded)
