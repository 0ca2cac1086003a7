"""The red-flag screen: from yes/no answers to what the learner should do (pure).

The screen is a set of rules over the answers: each question on its own (its ``action``)
and combinations of answers that together call for more urgent care. Every rule that
applies is a :class:`Finding`; the most urgent finding sets the outcome. Rules only ever
look for "yes" answers, so adding a yes can never lower the outcome.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence

from backcourse.core.course import Course
from backcourse.core.errors import BackcourseError
from backcourse.core.model import FlagCombination, RedFlag
from backcourse.core.records import Outcome

SEVERITY: tuple[Outcome, ...] = ("clear", "advice", "soon", "same day", "emergency")


class IncompleteScreen(BackcourseError):
    """Some questions were left unanswered; ``missing`` lists their ids."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(f"{len(self.missing)} question(s) still need a yes or no answer: "
                         + ", ".join(self.missing))


@dataclasses.dataclass(frozen=True)
class Finding:
    """One rule that applies: the yes answers behind it, what to do, and its sources.

    ``combination`` is None when the finding is a single question on its own.
    """

    action: Outcome
    answers: tuple[RedFlag, ...]
    combination: FlagCombination | None = None

    @property
    def means(self) -> str:
        return self.combination.means if self.combination else self.answers[0].concern

    @property
    def refs(self) -> tuple[str, ...]:
        return self.combination.refs if self.combination else self.answers[0].refs


@dataclasses.dataclass(frozen=True)
class ScreenResult:
    """The outcome, the questions answered yes, and every finding (most urgent first)."""

    outcome: Outcome
    flagged: tuple[RedFlag, ...]
    findings: tuple[Finding, ...] = ()

    @property
    def clear(self) -> bool:
        return self.outcome == "clear"


def worse(a: Outcome, b: Outcome) -> Outcome:
    """The more urgent of two outcomes."""
    return max(a, b, key=SEVERITY.index)


def judge(course: Course, yes: Collection[str]) -> ScreenResult:
    """Apply every rule to the set of questions answered yes (all others are no)."""
    said = frozenset(yes)
    flagged = tuple(f for f in course.red_flags if f.id in said)
    by_id = {f.id: f for f in course.red_flags}
    findings = [Finding(c.action, tuple(by_id[q] for q in (*c.all_of, *c.any_of) if q in said), c)
                for c in course.flag_combinations if c.applies(said)]
    findings += [Finding(f.action, (f,)) for f in flagged]
    # most urgent first; at the same urgency a combination explains more than one answer
    findings.sort(key=lambda f: (-SEVERITY.index(f.action), f.combination is None))
    outcome: Outcome = findings[0].action if findings else "clear"
    return ScreenResult(outcome, tuple(sorted(flagged, key=lambda f: -SEVERITY.index(f.action))),
                        tuple(findings))


def screen(course: Course, answers: Mapping[str, bool | None]) -> ScreenResult:
    """Judge a complete set of answers."""
    missing = [f.id for f in course.red_flags if answers.get(f.id) is None]
    if missing:
        raise IncompleteScreen(missing)
    unknown = set(answers) - {f.id for f in course.red_flags}
    if unknown:
        raise ValueError(f"answers for unknown questions: {', '.join(sorted(unknown))}")
    return judge(course, {i for i, said in answers.items() if said})


def can_clear(course: Course, outcome: Outcome, flagged: Collection[str]) -> bool:
    """Whether a learner may record that a clinician has cleared these answers: only a
    "soon" or "same day" outcome, and only when no answer is an acute state (a fever, a
    major injury, sepsis, chest or tearing pain) that needs a new check once well."""
    acute = {f.id for f in course.red_flags if not f.clearable}
    return outcome in ("soon", "same day") and not acute & set(flagged)


def lowest_trigger(combination: FlagCombination, actions: Mapping[str, Outcome]) -> Outcome:
    """The outcome the questions alone give for the mildest set of answers that makes the
    combination apply (a combination that does not exceed it changes nothing)."""
    needed = [actions[q] for q in combination.all_of]
    needed += sorted((actions[q] for q in combination.any_of),
                     key=SEVERITY.index)[:combination.at_least]
    return max(needed, key=SEVERITY.index, default="clear")
