"""Scoring for knowledge checks: pure functions over :class:`QuizItem`."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from backcourse.core.model import QuizItem


@dataclasses.dataclass(frozen=True)
class Feedback:
    """What a learner is told after answering one question."""

    status: str  # "correct", "incorrect" or "unanswered"
    message: str
    refs: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        return self.status == "correct"


def check_answer(item: QuizItem, choice: int | None) -> Feedback:
    """Judge ``choice`` (an option index, or None when nothing is picked)."""
    if choice is None:
        return Feedback("unanswered", "Pick an answer first, then press Check.")
    if not 0 <= choice < len(item.options):
        raise ValueError(f"{item.id}: option {choice} does not exist "
                         f"(choose 0 to {len(item.options) - 1})")
    if choice == item.answer:
        return Feedback("correct", f"Correct. {item.explanation}", item.refs)
    right = item.options[item.answer]
    return Feedback("incorrect", f"Not quite. The answer is “{right}”. {item.explanation}",
                    item.refs)


@dataclasses.dataclass(frozen=True)
class Score:
    """A tally over a set of questions."""

    correct: int
    answered: int
    total: int

    def summary(self) -> str:
        if self.answered == 0:
            return f"{self.total} questions. Answer them to see your score."
        return f"{self.correct} of {self.total} correct ({self.answered} answered)."


def score(items: Sequence[QuizItem], answers: Mapping[str, int | None]) -> Score:
    """Tally ``answers`` (question id -> chosen option index) over ``items``."""
    results = [check_answer(i, answers.get(i.id)) for i in items]
    return Score(
        correct=sum(r.correct for r in results),
        answered=sum(r.status != "unanswered" for r in results),
        total=len(items),
    )
