"""Scoring the Keele STarT Back Screening Tool (pure): total, distress subscale, risk group."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Literal

from backcourse.core.errors import BackcourseError
from backcourse.core.model import StartBackItem

Group = Literal["low", "medium", "high"]


class IncompleteStartBack(BackcourseError):
    """Some items have no answer; ``missing`` lists their numbers."""

    def __init__(self, missing: Sequence[int]) -> None:
        self.missing = tuple(missing)
        super().__init__("please answer every item; still unanswered: "
                         + ", ".join(map(str, self.missing)))


@dataclasses.dataclass(frozen=True)
class StartBackScore:
    total: int
    distress: int
    group: Group


def group_for(total: int, distress: int) -> Group:
    """Keele's rule: distress 4-5 is high; otherwise total 0-3 is low, 4-9 medium."""
    if distress >= 4:
        return "high"
    return "low" if total <= 3 else "medium"


def score(items: Sequence[StartBackItem], answers: Mapping[int, int | None]) -> StartBackScore:
    """Score answers given as option indexes (item number -> index of the chosen option)."""
    missing = [i.number for i in items if answers.get(i.number) is None]
    if missing:
        raise IncompleteStartBack(missing)
    points = {}
    for item in items:
        choice = answers[item.number]
        assert choice is not None
        if not 0 <= choice < len(item.options):
            raise ValueError(f"item {item.number}: option {choice} does not exist")
        points[item.number] = item.scores[choice]
    total = sum(points.values())
    distress = sum(points[i.number] for i in items if i.distress)
    return StartBackScore(total, distress, group_for(total, distress))
