"""The red-flag screen: from yes/no answers to what the learner should do (pure)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from .model import RedFlag
from .records import Outcome

SEVERITY: tuple[Outcome, ...] = ("clear", "soon", "same day", "emergency")


class IncompleteScreen(ValueError):
    """Some questions were left unanswered; ``missing`` lists their ids."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(f"{len(self.missing)} question(s) still need a yes or no answer: "
                         + ", ".join(self.missing))


@dataclasses.dataclass(frozen=True)
class ScreenResult:
    """The outcome and the questions answered yes, worst first."""

    outcome: Outcome
    flagged: tuple[RedFlag, ...]

    @property
    def clear(self) -> bool:
        return self.outcome == "clear"


def screen(flags: Sequence[RedFlag], answers: Mapping[str, bool | None]) -> ScreenResult:
    """Judge a complete set of answers; the most urgent "yes" sets the outcome."""
    missing = [f.id for f in flags if answers.get(f.id) is None]
    if missing:
        raise IncompleteScreen(missing)
    unknown = set(answers) - {f.id for f in flags}
    if unknown:
        raise ValueError(f"answers for unknown questions: {', '.join(sorted(unknown))}")
    yes = sorted((f for f in flags if answers[f.id]), key=lambda f: -SEVERITY.index(f.action))
    return ScreenResult(yes[0].action if yes else "clear", tuple(yes))
