"""The parameters a course notebook takes (papermill's ``-p``), checked once at its top (pure).

Each parameterised notebook calls :func:`check_parameters` in the cell right after its
parameters cell, so a bad value stops there with one message naming the parameter, not
deep inside the course's logic.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from backcourse.core.dates import parse_date
from backcourse.core.errors import BackcourseError, Problem
from backcourse.core.parse import Collector, parse, rule
from backcourse.core.records import LEARNER
from backcourse.core.schedule import MAX_SESSIONS_PER_WEEK, MAX_WEEKS


@dataclasses.dataclass(frozen=True, kw_only=True)
class NotebookParameters:
    """Every parameter a course notebook may take, with the notebooks' defaults."""

    learner: str = rule(pattern=LEARNER, default="me")
    journal_home: str | None = None
    weeks: int = rule(min=1, max=MAX_WEEKS, default=8)
    sessions_per_week: int = rule(min=1, max=MAX_SESSIONS_PER_WEEK, default=3)
    today: str | None = rule(check=parse_date, default=None)


def check_parameters(**values: Any) -> None:
    """Refuse a notebook's parameters with one line naming each bad one."""
    out = Collector("notebook", "parameters")
    if parse(NotebookParameters, values, out) is None:
        raise BackcourseError([Problem("", f"parameter {p.field}", "", p.message)
                               for p in out.problems])
