"""The course's content as frozen, typed objects: sources, claims, exercises, safety questions,
norms, quiz items, rules and app prose (parsed by :mod:`backcourse.content`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Literal

from backcourse.core.parse import rule

ID = r"[a-z0-9][a-z0-9-]*"
Strength = Literal["high", "moderate", "low", "very low"]
STRENGTHS: tuple[Strength, ...] = ("high", "moderate", "low", "very low")
Sex = Literal["female", "male", "any"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Reference:
    """A published source that learner-facing text cites by ``key``."""

    key: str = rule(pattern=r"[a-z][a-z0-9-]*\d{4}[a-z]?")
    authors: tuple[str, ...] = rule(nonempty=True)
    year: int = rule(min=1950, max=2100)
    title: str = rule()
    venue: str = rule()
    details: str | None = None
    doi: str | None = rule(pattern=r"10\.\d{4,9}/\S+", default=None)
    url: str | None = rule(pattern=r"https?://\S+", default=None)
    short: str | None = None

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.doi is None and self.url is None:
            yield "doi", "give a doi or a url so readers can find the source"
        surname = self.surname
        if not self.key.startswith(_keyify(surname)[:4]):
            yield "key", f"should start with the first author's name ({surname!r})"
        if not self.key.removesuffix(self.suffix).endswith(str(self.year)):
            yield "key", f"should end with the year {self.year}, then an optional letter"

    @property
    def surname(self) -> str:
        """The first author's family name (or the organisation's short name)."""
        if self.short:
            return self.short
        first = self.authors[0]
        head, _, tail = first.rpartition(" ")
        return head if head and tail.isupper() and tail.isalpha() else first

    @property
    def suffix(self) -> str:
        """The letter after the year in the key (``hayden2021b``: ``b``) that tells apart two
        sources with the same first author and year; empty for most sources."""
        return self.key[-1] if self.key[-1].isalpha() else ""

    @property
    def dated(self) -> str:
        """The year as cited, with its letter: ``2021`` or ``2021b``."""
        return f"{self.year}{self.suffix}"

    @property
    def label(self) -> str:
        """How the source is cited in running text, e.g. ``Owen 2020`` or ``Hayden 2021b``."""
        return f"{self.surname} {self.dated}"

    @property
    def link(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else str(self.url)


def _keyify(name: str) -> str:
    table = str.maketrans("øöóäåæéü", "ooaaaeeu")
    return "".join(c for c in name.lower().translate(table) if c.isalnum())


@dataclasses.dataclass(frozen=True, kw_only=True)
class Habit:
    """One of the six habits the capstone bundles."""

    id: str = rule(pattern=ID)
    name: str = rule()
    summary: str = rule()
    evidence: tuple[str, ...] = rule(nonempty=True)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Effect:
    """A pooled difference on a 0–100 scale, with its 95% confidence interval and the
    worthwhile difference the review's authors set (``important``)."""

    outcome: str = rule()
    comparison: str = rule()
    points: float = rule(min=-100, max=100)
    low: float = rule(min=-100, max=100)
    high: float = rule(min=-100, max=100)
    important: float = rule(min=0, max=100)
    trials: int | None = rule(min=1, default=None)  # how many trials were pooled for it
    who: str | None = rule(default=None)  # the people in those trials, in plain words
    followup: str | None = rule(default=None)  # when it was measured, e.g. short term

    def problems(self) -> Iterator[tuple[str, str]]:
        if not self.low <= self.points <= self.high:
            yield "points", "must lie between low and high"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Evidence:
    """A plain-language claim, the sources behind it and how sure we can be."""

    id: str = rule(pattern=ID)
    claim: str = rule()
    strength: Strength = rule()
    rated_by: Literal["source", "course"] = rule()
    why: str = rule()
    refs: tuple[str, ...] = rule(nonempty=True)
    effect: Effect | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Dose:
    """How much of a move to do in one session."""

    sets: int = rule(min=1, max=10)
    reps: int | None = rule(min=1, max=50, default=None)
    hold_s: int | None = rule(min=1, max=300, default=None)
    rest_s: int = rule(min=0, max=300, default=60)
    per_side: bool = False

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.reps is None and self.hold_s is None:
            yield "reps", "give reps, hold_s or both"

    def describe(self) -> str:
        """Plain words, e.g. ``3 sets of 6 reps, hold 10 s each, each side; rest 60 s between
        sets``."""
        text = f"{self.sets} set{'s' * (self.sets > 1)}"
        if self.reps is not None:
            text += f" of {self.reps} rep{'s' * (self.reps > 1)}"
        if self.hold_s is not None:
            text += f", hold {self.hold_s} s" + (" each" if self.reps is not None else "")
        if self.per_side:
            text += ", each side"
        return text + (f"; rest {self.rest_s} s between sets" if self.sets > 1 else "")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Move:
    """One movement as done at one rung of a ladder."""

    id: str = rule(pattern=ID)
    name: str = rule()
    how: tuple[str, ...] = rule(nonempty=True)
    cues: tuple[str, ...] = rule(nonempty=True)
    mistakes: tuple[str, ...] = rule(nonempty=True)
    dose: Dose = rule()


@dataclasses.dataclass(frozen=True, kw_only=True)
class Target:
    """The dose that shows a rung is mastered: every set at these reps and hold times."""

    sets: int = rule(min=1, max=10)
    reps: int | None = rule(min=1, max=50, default=None)
    hold_s: int | None = rule(min=1, max=300, default=None)

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.reps is None and self.hold_s is None:
            yield "reps", "give reps, hold_s or both"

    def met_by(self, sets: int, reps: int | None, seconds: int | None) -> bool:
        """Whether a logged session reached this target."""
        return (sets >= self.sets
                and (self.reps is None or (reps or 0) >= self.reps)
                and (self.hold_s is None or (seconds or 0) >= self.hold_s))


@dataclasses.dataclass(frozen=True, kw_only=True)
class Rung:
    """A step on an exercise's ladder, from easiest (level 1) upward. ``equipment`` names
    what the level needs (ids in ``exercises.yaml: equipment``); ``note`` says, in plain
    words, how the level differs from the one before when its numbers could mislead."""

    id: str = rule(pattern=ID)
    level: int = rule(min=1, max=9)
    name: str = rule()
    moves: tuple[Move, ...] = rule(nonempty=True)
    goal: str = rule()
    target: Target = rule()
    equipment: tuple[str, ...] = rule(nonempty=True)
    note: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Equipment:
    """Something a learner needs for some levels: what it is, how to use it safely and what
    to do without it (our own cautious course rules, not tested limits)."""

    id: str = rule(pattern=ID)
    name: str = rule()
    short: str = rule()  # a few words for a printed sheet: "a pull-up bar"
    brief: str | None = None  # its safety in one line, for a printed sheet
    safety: tuple[str, ...] = ()
    without: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class StopSign:
    """A reason to stop an exercise, said once; exercises list them by id in ``stop_if``."""

    id: str = rule(pattern=ID)
    says: str = rule()


@dataclasses.dataclass(frozen=True, kw_only=True)
class InstructorNote:
    """What an instructor says at one point of a notebook: never in the notebook a learner
    opens; slides show it as a speaker note after the cell ``after`` (a cell id)."""

    notebook: str = rule(pattern=r"\d\d_[a-z0-9_]+\.ipynb")
    after: str = rule()
    says: str = rule()


@dataclasses.dataclass(frozen=True, kw_only=True)
class Term:
    """A word the course uses, in plain words: shown as ``plain (term)`` and explained."""

    id: str = rule(pattern=ID)
    term: str = rule()
    plain: str = rule()
    means: str = rule()


@dataclasses.dataclass(frozen=True, kw_only=True)
class Readiness:
    """A capstone readiness criterion: a rung of a prerequisite, done well."""

    exercise: str = rule(pattern=ID)
    rung: str = rule(pattern=ID)
    why: str = rule()


@dataclasses.dataclass(frozen=True, kw_only=True)
class Exercise:
    """The capstone or a prerequisite, with its ladder of regressions and progressions."""

    id: str = rule(pattern=ID)
    name: str = rule()
    role: Literal["prerequisite", "capstone"] = rule()
    order: int = rule(min=1, max=9)
    summary: str = rule()
    habits: tuple[str, ...] = rule(nonempty=True)
    check_first: tuple[str, ...] = rule(nonempty=True)
    stop_if: tuple[str, ...] = rule(nonempty=True)  # StopSign ids
    evidence: tuple[str, ...] = rule(nonempty=True)
    rungs: tuple[Rung, ...] = rule(nonempty=True)
    readiness: tuple[Readiness, ...] = ()

    def problems(self) -> Iterator[tuple[str, str]]:
        levels = [r.level for r in self.rungs]
        if levels != list(range(1, len(levels) + 1)):
            yield "rungs", f"levels must run 1, 2, 3, … in order (got {levels})"
        if self.role == "capstone" and not self.readiness:
            yield "readiness", "the capstone must list its readiness criteria"
        if self.role == "prerequisite" and self.readiness:
            yield "readiness", "only the capstone has readiness criteria"

    @property
    def equipment(self) -> tuple[str, ...]:
        """What any of its levels needs (equipment ids), each once, in ladder order."""
        return tuple(dict.fromkeys(e for r in self.rungs for e in r.equipment))

    def rung(self, rung_id: str) -> Rung:
        for r in self.rungs:
            if r.id == rung_id:
                return r
        raise KeyError(rung_id)


Action = Literal["emergency", "same day", "soon", "advice"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class RedFlag:
    """A yes/no safety question and what to do on a yes to it alone."""

    id: str = rule(pattern=r"[ES]\d+")
    question: str = rule()
    short: str = rule()  # a few words for "you said yes to ...", e.g. "cancer in the past"
    action: Action = rule()
    concern: str = rule()
    refs: tuple[str, ...] = ()
    course_rule: bool = False
    clearable: bool = True  # False: an acute state; take the check again once well instead

    def problems(self) -> Iterator[tuple[str, str]]:
        if not self.refs and not self.course_rule:
            yield "refs", "cite a source, or mark the question as a course_rule"


@dataclasses.dataclass(frozen=True, kw_only=True)
class RetiredFlag:
    """A question no longer asked, kept so that journals which answered it still read right."""

    id: str = rule(pattern=r"[ES]\d+")
    question: str = rule()


@dataclasses.dataclass(frozen=True, kw_only=True)
class FlagCombination:
    """Answers that together call for more urgent care than any of them alone.

    It applies when every question in ``all_of`` and at least ``at_least`` of ``any_of``
    were answered yes.
    """

    id: str = rule(pattern=ID)
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    at_least: int = rule(min=1, max=20, default=1)
    action: Action = rule()
    means: str = rule()  # learner words: what these answers together can point to
    refs: tuple[str, ...] = rule(nonempty=True)

    def problems(self) -> Iterator[tuple[str, str]]:
        if set(self.all_of) & set(self.any_of):
            yield "any_of", "a question may be in all_of or any_of, not both"
        if self.any_of and self.at_least > len(self.any_of):
            yield "at_least", f"cannot exceed the {len(self.any_of)} questions in any_of"
        if not self.any_of and self.at_least != 1:
            yield "at_least", "only applies with any_of"
        if len(self.all_of) + (self.at_least if self.any_of else 0) < 2:
            yield "all_of", "a combination needs at least two yes answers"

    def applies(self, yes: frozenset[str]) -> bool:
        return (all(q in yes for q in self.all_of)
                and (not self.any_of or sum(q in yes for q in self.any_of) >= self.at_least))


@dataclasses.dataclass(frozen=True, kw_only=True)
class Norm:
    """One row of a published norms table (one test, sex and age band).

    The age band is the range the source reports for its sample; both ends are left empty
    when the source gives none (never filled in by us)."""

    table: str = rule(pattern=ID)
    test: str = rule(pattern=r"[a-z0-9_]+")
    sex: Sex = rule()
    age_min: int | None = rule(min=0, max=120, default=None)
    age_max: int | None = rule(min=0, max=120, default=None)
    statistic: Literal["mean", "best of 3"] = rule()
    value: float = rule(min=0)
    sd: float | None = rule(min=0, default=None)
    n: int | None = rule(min=1, default=None)
    unit: Literal["s"] = rule()
    population: str = rule()
    source: str = rule()
    checked: Literal["source", "secondary"] = rule()

    def problems(self) -> Iterator[tuple[str, str]]:
        if (self.age_min is None) != (self.age_max is None):
            yield "age_min", "give both age_min and age_max, or leave both empty (not reported)"
        elif self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            yield "age_min", "must not be above age_max"

    def years_from(self, age: int) -> int:
        """How many years ``age`` lies outside the studied age range (0 inside it or when
        the source reports no range)."""
        if self.age_min is None or self.age_max is None:
            return 0
        return max(self.age_min - age, age - self.age_max, 0)

    @property
    def ages(self) -> str:
        """The studied age range in words."""
        if self.age_min is None:
            return "age range not reported"
        return f"aged {self.age_min} to {self.age_max}"


@dataclasses.dataclass(frozen=True, kw_only=True)
class QuizItem:
    """A multiple-choice question with one right answer and cited feedback."""

    id: str = rule(pattern=ID)
    unit: str = rule(pattern=r"\d\d")
    question: str = rule()
    options: tuple[str, ...] = rule(min=2, max=6)
    answer: int = rule(min=0, max=5)
    explanation: str = rule()
    refs: tuple[str, ...] = rule(nonempty=True)

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.answer >= len(self.options):
            yield "answer", f"points at option {self.answer} but only {len(self.options)} exist"
        if len(set(self.options)) != len(self.options):
            yield "options", "two options have the same text"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Unit:
    """One notebook of the course: what it teaches, how long it takes, its key points."""

    id: str = rule(pattern=r"\d\d")
    title: str = rule()
    notebook: str = rule(pattern=r"\d\d_[a-z0-9_]+\.ipynb")
    minutes: int = rule(min=5, max=120)
    objectives: tuple[str, ...] = rule(nonempty=True)
    key_points: tuple[str, ...] = rule(nonempty=True)
    evidence: tuple[str, ...] = ()
    exercises: tuple[str, ...] = ()

    def problems(self) -> Iterator[tuple[str, str]]:
        if not self.notebook.startswith(self.id + "_"):
            yield "notebook", f"file name must start with the unit id {self.id!r}"


@dataclasses.dataclass(frozen=True, kw_only=True)
class SelfTest:
    """One test of the baseline battery, with how to do it and when to stop."""

    id: str = rule(pattern=r"[a-z0-9_]+")
    name: str = rule()
    kind: Literal["timed", "category", "rating"] = rule()
    sides: tuple[Literal["left", "right"], ...] = ()
    cap_s: int | None = rule(min=1, max=3600, default=None)
    plausible_s: int | None = rule(min=1, max=3600, default=None)
    categories: tuple[str, ...] = ()
    norms: str | None = rule(pattern=ID, default=None)
    how: tuple[str, ...] = rule(nonempty=True)
    check_first: tuple[str, ...] = ()
    stop_if: tuple[str, ...] = ()  # when to stop; a rating asks nothing physical
    refs: tuple[str, ...] = rule(nonempty=True)

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.kind != "rating" and not self.stop_if:
            yield "stop_if", "a test you do needs at least one reason to stop"
        if self.kind == "timed" and (self.cap_s is None or self.plausible_s is None):
            yield "cap_s", "a timed test needs cap_s and plausible_s"
        if self.kind == "category" and len(self.categories) < 2:
            yield "categories", "a category test needs at least two categories"
        if self.cap_s and self.plausible_s and self.plausible_s < self.cap_s:
            yield "plausible_s", "must not be below cap_s"

    def keys(self) -> tuple[str, ...]:
        """Result keys: the id, or one per side (``side_bridge_left`` ...)."""
        return tuple(f"{self.id}_{s}" for s in self.sides) or (self.id,)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Ratio:
    """An endurance ratio and the value seen in young healthy adults, by sex.

    ``derived`` marks values we worked out from the source's mean times, where the source
    does not state the ratio itself."""

    id: str = rule(pattern=ID)
    name: str = rule()
    numerator: tuple[str, ...] = rule(nonempty=True)
    denominator: tuple[str, ...] = rule(nonempty=True)
    men: float | None = rule(min=0, default=None)
    women: float | None = rule(min=0, default=None)
    derived: bool = False
    says: str = rule()
    refs: tuple[str, ...] = rule(nonempty=True)


@dataclasses.dataclass(frozen=True, kw_only=True)
class StartBackItem:
    """One STarT Back item as a paraphrased prompt, with how each answer scores."""

    number: int = rule(min=1, max=9)
    prompt: str = rule()
    distress: bool = False
    options: tuple[str, ...] = ("Disagree", "Agree")
    scores: tuple[int, ...] = (0, 1)

    def problems(self) -> Iterator[tuple[str, str]]:
        if len(self.options) != len(self.scores):
            yield "scores", "give one score per option"
        if any(s not in (0, 1) for s in self.scores):
            yield "scores", "each answer scores 0 or 1"


@dataclasses.dataclass(frozen=True, kw_only=True)
class StartBackBand:
    """A STarT Back risk group: the scoring rule and what it means for the learner."""

    id: Literal["low", "medium", "high"] = rule()
    when: str = rule()
    meaning: str = rule()
    refs: tuple[str, ...] = rule(nonempty=True)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Threshold:
    """At least ``seconds`` on ``test``, or on ``or_test`` when that one stands in for it."""

    test: str = rule(pattern=r"[a-z0-9_]+")
    or_test: str | None = rule(pattern=r"[a-z0-9_]+", default=None)
    seconds: float = rule(min=0)

    @property
    def tests(self) -> tuple[str, ...]:
        return (self.test, self.or_test) if self.or_test else (self.test,)


@dataclasses.dataclass(frozen=True, kw_only=True)
class StartRule:
    """Start a prerequisite at ``rung`` when every threshold is met and pain allows."""

    id: str = rule(pattern=ID)
    exercise: str = rule(pattern=ID)
    rung: str = rule(pattern=ID)
    at_least: tuple[Threshold, ...] = ()
    max_pain: int | None = rule(min=0, max=10, default=None)
    rationale: str = rule()
    refs: tuple[str, ...] = rule(nonempty=True)


Decision = Literal["stop", "rescreen", "regress", "progress", "hold"]
DECISIONS: tuple[Decision, ...] = ("stop", "rescreen", "regress", "progress", "hold")


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProgressionRule:
    """One rule of the progression engine, in plain words, with its parameters and sources."""

    id: str = rule(pattern=ID)
    decision: Decision = rule()
    says: str = rule()
    rationale: str = rule()
    refs: tuple[str, ...] = rule(nonempty=True)
    sessions: int | None = rule(min=1, max=20, default=None)
    points: float | None = rule(min=0.5, max=10, default=None)
    max_pain: int | None = rule(min=0, max=10, default=None)

    def problems(self) -> Iterator[tuple[str, str]]:
        needs = {"rescreen": ("sessions", "points"), "regress": ("max_pain", "points"),
                 "progress": ("sessions", "max_pain")}.get(self.decision, ())
        for name in needs:
            if getattr(self, name) is None:
                yield name, f"a {self.decision} rule needs {name}"


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReadinessRule:
    """What "ready for the capstone" needs besides every readiness goal: ``no-recent-flare``,
    no flare-up (the step-back rule's pain limits) in the last ``sessions`` sessions."""

    id: Literal["no-recent-flare"] = rule()
    sessions: int = rule(min=1, max=30)
    says: str = rule()
    rationale: str = rule()


@dataclasses.dataclass(frozen=True, kw_only=True)
class Programme:
    """A fixed-length programme of the three prerequisites."""

    id: str = rule(pattern=ID)
    name: str = rule()
    weeks: int = rule(min=1, max=52)
    sessions_per_week: int = rule(min=1, max=5)
    summary: str = rule()


AppPart = Literal["about", "safety", "assessment", "programme", "session", "log"]
APP_PARTS: tuple[AppPart, ...] = ("about", "safety", "assessment", "programme", "session", "log")


@dataclasses.dataclass(frozen=True, kw_only=True)
class AppSection:
    """One part of the learner app: its title and the prose above it (may cite sources)."""

    id: AppPart = rule()
    title: str = rule()
    intro: str = rule()




@dataclasses.dataclass(frozen=True, kw_only=True)
class Measure:
    """An outcome measure tracked over time, with the smallest change that matters (its MIC).

    ``terms`` says whose words the questions are: ``own`` (ours, in ``items``) or ``link``
    (copyrighted: the course holds no items, only the total a clinician reports from the
    official form at ``link``; ``why`` says so in plain words). A measure with ``levels`` is a
    rating scale from ``low`` to ``high``, one word per level; ``improved_from`` is the lowest
    level that counts as improved.
    """

    id: str = rule(pattern=ID)
    name: str = rule()
    short: str = rule()
    low: float = rule(min=-10, max=100)
    high: float = rule(min=1, max=100)
    better: Literal["lower", "higher"] = rule()
    unit: Literal["points", "level"] = rule()
    mic_points: float | None = rule(min=0, default=None)
    mic_percent: float | None = rule(min=0, max=100, default=None)
    mic_refs: tuple[str, ...] = ()
    mic_note: str | None = None
    levels: tuple[str, ...] = ()
    improved_from: int | None = None
    items: tuple[str, ...] = ()
    terms: Literal["own", "link"] = rule()
    link: str | None = rule(pattern=r"https://\S+", default=None)
    why: str | None = None
    refs: tuple[str, ...] = rule(nonempty=True)

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.low >= self.high:
            yield "high", "must be above low"
        if self.terms == "link" and (self.items or not self.link or not self.why):
            yield "terms", "a link-only measure has a link and a why, and no items"
        if self.terms == "own" and not self.items:
            yield "items", "give the questions in our own words"
        if (self.mic_points is not None or self.mic_percent is not None) != bool(self.mic_refs):
            yield "mic_refs", "a minimal important change needs its source, and only then"
        if self.levels and len(self.levels) != self.high - self.low + 1:
            yield "levels", f"give one word per level from {self.low:g} to {self.high:g}"
        if (self.improved_from is None) != (not self.levels):
            yield "improved_from", "a rating scale with levels says which level counts as improved"

    def level(self, value: float) -> str:
        """The word for a level of a rating scale (the value itself for other measures)."""
        return self.levels[round(value - self.low)] if self.levels else f"{value:g}"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Retest:
    """When to take the measures again, counted from the baseline: after weeks or months."""

    id: str = rule(pattern=ID)
    label: str = rule()
    weeks: int | None = rule(min=1, max=104, default=None)
    months: int | None = rule(min=1, max=60, default=None)
    why: str | None = None
    refs: tuple[str, ...] = ()

    def problems(self) -> Iterator[tuple[str, str]]:
        if (self.weeks is None) == (self.months is None):
            yield "weeks", "give weeks or months, not both"
        if not self.refs and not self.why:
            yield "why", "give a source (refs) or say why (our own choice)"


@dataclasses.dataclass(frozen=True, kw_only=True)
class AttentionRule:
    """When the group summary lists a client as needing attention: ``quiet``, ``days``
    without a log; ``flare``, a flare-up logged in the last ``days`` days; ``retest``, a
    retest of the outcome measures more than ``days`` days past its day and not taken."""

    id: Literal["quiet", "flare", "retest"] = rule()
    days: int = rule(min=1, max=365)
    says: str = rule()
