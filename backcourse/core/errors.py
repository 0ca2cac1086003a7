"""One shape for every refusal: a :class:`Problem` names where (a file, an entry and a field
in it, each left empty when it does not apply) and what is wrong; a :class:`BackcourseError`
carries every problem found, so one refusal can list them all."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable


@dataclasses.dataclass(frozen=True)
class Problem:
    """One defect, e.g. ``data/quiz.yaml: quiz[safety-rare]: answer: points at option 5``."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        return ": ".join([*(p for p in (self.file, self.entry, self.field) if p), self.message])


class BackcourseError(ValueError):
    """Something given to backcourse was refused; ``problems`` lists every reason, and
    nothing was changed."""

    #: problems named in the message; the rest are counted (a huge file may have thousands)
    SHOWN = 20

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        self.problems: tuple[Problem, ...] = (
            (Problem("", "", "", problems),) if isinstance(problems, str) else tuple(problems))
        lines = [str(p) for p in self.problems[:self.SHOWN]]
        if len(self.problems) > self.SHOWN:
            lines.append(f"... and {len(self.problems) - self.SHOWN:,} more problems")
        super().__init__("\n".join(lines))
