"""The whole course, cross-checked: every part of ``data/`` and look-ups by id."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from typing import TypeVar

from backcourse.core.model import (
    AppSection,
    AttentionRule,
    Decision,
    Equipment,
    Evidence,
    Exercise,
    FlagCombination,
    Habit,
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
from backcourse.core.poses import Figure, JointRanges

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class PainTrend:
    """Re-screen when pain before sessions climbs ``points`` over ``sessions`` session days."""

    sessions: int
    points: float


@dataclasses.dataclass(frozen=True)
class FlareLimit:
    """Step back when pain passes ``max_pain`` or is ``points`` worse the next morning."""

    max_pain: int
    points: float


@dataclasses.dataclass(frozen=True)
class Mastery:
    """Move up after ``sessions`` sessions at target with pain at most ``max_pain``."""

    sessions: int
    max_pain: int


@dataclasses.dataclass(frozen=True)
class Thresholds:
    """The progression rules' numbers, each required by validation, so never missing."""

    rescreen: PainTrend
    regress: FlareLimit
    progress: Mastery

    @classmethod
    def of(cls, rules: tuple[ProgressionRule, ...]) -> Thresholds:
        by = {r.decision: r for r in rules}
        rescreen, regress, progress = by["rescreen"], by["regress"], by["progress"]
        return cls(PainTrend(_given(rescreen.sessions), _given(rescreen.points)),
                   FlareLimit(_given(regress.max_pain), _given(regress.points)),
                   Mastery(_given(progress.sessions), _given(progress.max_pain)))


def _given(value: T | None) -> T:
    if value is None:
        raise ValueError("a progression rule lacks a number its decision needs")
    return value


@dataclasses.dataclass(frozen=True, kw_only=True)
class Course:
    """Everything in ``data/``, cross-checked; look things up by id."""

    units: tuple[Unit, ...]
    references: tuple[Reference, ...]
    habits: tuple[Habit, ...]
    evidence: tuple[Evidence, ...]
    exercises: tuple[Exercise, ...]
    red_flags: tuple[RedFlag, ...]
    flag_combinations: tuple[FlagCombination, ...]
    retired_flags: tuple[RetiredFlag, ...]
    norms: tuple[Norm, ...]
    quiz: tuple[QuizItem, ...]
    rules: tuple[ProgressionRule, ...]
    programmes: tuple[Programme, ...]
    battery: tuple[SelfTest, ...]
    ratios: tuple[Ratio, ...]
    start_back: tuple[StartBackItem, ...]
    start_back_bands: tuple[StartBackBand, ...]
    start_rules: tuple[StartRule, ...]
    app_sections: tuple[AppSection, ...]
    joint_ranges: tuple[JointRanges, ...]
    figures: tuple[Figure, ...]
    measures: tuple[Measure, ...]
    retests: tuple[Retest, ...]
    attention: tuple[AttentionRule, ...]
    equipment: tuple[Equipment, ...]
    stop_signs: tuple[StopSign, ...]
    glossary: tuple[Term, ...]
    readiness_rules: tuple[ReadinessRule, ...]

    @functools.cached_property
    def _index(self) -> dict[str, dict[str, object]]:
        return {
            "unit": {u.id: u for u in self.units},
            "reference": {r.key: r for r in self.references},
            "habit": {h.id: h for h in self.habits},
            "evidence": {e.id: e for e in self.evidence},
            "exercise": {x.id: x for x in self.exercises},
            "self-test": {t.id: t for t in self.battery},
            "measure": {m.id: m for m in self.measures},
            "equipment": {e.id: e for e in self.equipment},
            "stop sign": {s.id: s for s in self.stop_signs},
            "term": {t.id: t for t in self.glossary},
        }

    def unit(self, unit_id: str) -> Unit:
        return self._get("unit", unit_id)  # type: ignore[return-value]

    def reference(self, key: str) -> Reference:
        return self._get("reference", key)  # type: ignore[return-value]

    def habit(self, habit_id: str) -> Habit:
        return self._get("habit", habit_id)  # type: ignore[return-value]

    def statement(self, evidence_id: str) -> Evidence:
        return self._get("evidence", evidence_id)  # type: ignore[return-value]

    def exercise(self, exercise_id: str) -> Exercise:
        return self._get("exercise", exercise_id)  # type: ignore[return-value]

    def gear(self, equipment_id: str) -> Equipment:
        return self._get("equipment", equipment_id)  # type: ignore[return-value]

    def stops(self, exercises: Iterable[Exercise]) -> tuple[str, ...]:
        """The stop signs of these exercises in words, each once, in the order first named."""
        ids = dict.fromkeys(s for x in exercises for s in x.stop_if)
        return tuple(self._get("stop sign", i).says for i in ids)  # type: ignore[attr-defined]

    def term(self, term_id: str) -> Term:
        return self._get("term", term_id)  # type: ignore[return-value]

    def _get(self, kind: str, key: str) -> object:
        try:
            return self._index[kind][key]
        except KeyError:
            known = ", ".join(sorted(self._index[kind]))
            raise KeyError(f"no {kind} {key!r}; known: {known}") from None

    @property
    def capstone(self) -> Exercise:
        return next(x for x in self.exercises if x.role == "capstone")

    @property
    def prerequisites(self) -> tuple[Exercise, ...]:
        return tuple(sorted((x for x in self.exercises if x.role == "prerequisite"),
                            key=lambda x: x.order))

    def assessment_refs(self) -> set[str]:
        """Sources cited by the safety check, the self-tests and their results, and the plan
        rules (norms tables are left to the caller)."""
        keys = {k for f in self.red_flags for k in f.refs}
        keys.update(k for c in self.flag_combinations for k in c.refs)
        keys.update(k for r in self.rules for k in r.refs)
        keys.update(k for t in self.battery for k in t.refs)
        keys.update(k for r in self.ratios for k in r.refs)
        keys.update(k for b in self.start_back_bands for k in b.refs)
        keys.update(k for r in self.start_rules for k in r.refs)
        return keys

    def result_names(self) -> dict[str, str]:
        """Display names for result keys: from the battery, else the key in words."""
        names = {n.test: n.test.replace("_", " ").capitalize() for n in self.norms}
        for t in self.battery:
            for key, side in zip(t.keys(), t.sides or ("",), strict=True):
                names[key] = f"{t.name}, {side}" if side else t.name
        return names

    def measure(self, measure_id: str) -> Measure:
        return self._get("measure", measure_id)  # type: ignore[return-value]

    def measure_refs(self) -> set[str]:
        """Sources of the outcome measures, their minimal important changes and the retests."""
        keys = {k for m in self.measures for k in (*m.refs, *m.mic_refs)}
        return keys | {k for r in self.retests for k in r.refs}

    def self_test(self, test_id: str) -> SelfTest:
        return self._get("self-test", test_id)  # type: ignore[return-value]

    @functools.cached_property
    def thresholds(self) -> Thresholds:
        """The rules' numbers, typed (a loaded course has passed validation)."""
        return Thresholds.of(self.rules)

    @property
    def calm(self) -> ReadinessRule:
        """The capstone's "no recent flare-up" rule."""
        return next(r for r in self.readiness_rules if r.id == "no-recent-flare")

    def rule_for(self, decision: Decision) -> ProgressionRule:
        return next(r for r in self.rules if r.decision == decision)

    def quiz_for(self, unit_id: str) -> tuple[QuizItem, ...]:
        return tuple(q for q in self.quiz if q.unit == unit_id)

    def norms_for(self, table: str) -> tuple[Norm, ...]:
        return tuple(n for n in self.norms if n.table == table)
