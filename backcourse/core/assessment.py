"""Self-test results: reading input, comparing with published norms, ratios and sides (pure).

Every verdict is a comparison in plain words plus the numbers, never a diagnosis.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from typing import Literal

from backcourse.core.course import Course
from backcourse.core.errors import BackcourseError
from backcourse.core.model import Norm, Ratio, SelfTest

Sex = Literal["female", "male"]
Band = Literal["well below", "below", "above", "well above"]
BAND_WORDS: dict[Band, str] = {
    "well below": "well below (more than 1 SD under)",
    "below": "a little below",
    "above": "at or a little above",
    "well above": "well above (more than 1 SD over)",
}


class InputProblem(BackcourseError):
    """Input that cannot be used as it is; the message says what to do."""


class NeedsConfirmation(InputProblem):
    """A value that is possible but unlikely; save it only once the learner confirms."""


def read_seconds(test: SelfTest, raw: object, *, confirmed: bool = False) -> float:
    """A hold time in seconds from typed text or a number."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        raise InputProblem(f"Enter the time for {test.name}, in seconds.")
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        raise InputProblem(f"{text} is ambiguous: type seconds without a thousands separator, "
                           "like 1000, or a decimal comma with one or two digits, like 45,5.")
    text = text.replace(",", ".")
    try:
        value = float(text.removesuffix("s").strip())
    except ValueError:
        raise InputProblem(f"{raw!s:.20} is not a number of seconds. Type a number like 45 or "
                           "45.5.") from None
    if not math.isfinite(value):
        raise InputProblem(f"{raw!s:.20} is not a number of seconds.")
    if value < 0:
        raise InputProblem("A time cannot be negative. Type the seconds you held, like 45.")
    if test.plausible_s is not None and value > test.plausible_s and not confirmed:
        raise NeedsConfirmation(
            f"{value:g} s is longer than people usually hold the {test.name.lower()} (the test "
            f"normally stops at {test.cap_s} s). If it is right, tick “I am sure of this time” "
            "and save again.")
    return value


def read_rating(raw: object, what: str = "pain") -> int:
    """A whole-number rating from 0 to 10."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise InputProblem(f"Give your {what} as a whole number from 0 to 10.")
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise InputProblem(f"Give your {what} as a whole number from 0 to 10.") from None
    if not value.is_integer() or not 0 <= value <= 10:
        raise InputProblem(f"{what.capitalize()} must be a whole number from 0 to 10 "
                           f"(got {raw!s:.20}).")
    return int(value)


def read_age(raw: object) -> int:
    """An age in whole years, as a person would give it."""
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise InputProblem("Give your age in years, like 42.") from None
    if not value.is_integer() or not 16 <= value <= 110:
        raise InputProblem("This course is for adults: give an age from 16 to 110 "
                           f"(got {raw!s:.20}).")
    return int(value)


def band(value: float, mean: float, sd: float | None) -> Band:
    """Where a result falls against a mean and its standard deviation."""
    if sd is not None and value < mean - sd:
        return "well below"
    if value < mean:
        return "below"
    if sd is None or value <= mean + sd:
        return "above"
    return "well above"


@dataclasses.dataclass(frozen=True)
class Comparison:
    """One result against the norm that fits, or why none fits."""

    key: str
    value: float
    norm: Norm | None
    band: Band | None
    message: str


def compare(course: Course, test: SelfTest, key: str, value: float, age: int | None,
            sex: Sex | None) -> Comparison:
    """Compare a timed result with the test's norms for this sex, always naming who was
    tested; the age only picks an age band and says when it lies outside the one studied."""
    rows = [n for n in course.norms_for(test.norms) if n.test == key] if test.norms else []
    if not rows:
        return Comparison(key, value, None, None, "No published norm fits this test. "
                          "Compare with your own results over time.")
    source = course.reference(rows[0].source).label
    if len({(n.age_min, n.age_max) for n in rows}) > 1:
        if age is None:
            raise InputProblem(f"The {source} norms differ by age. Give your age to compare, "
                               "or leave the comparison out.")
        nearest = min(n.years_from(age) for n in rows)
        rows = [n for n in rows if n.years_from(age) == nearest]
    row = next((n for n in rows if n.sex == "any"), None)
    if row is None:
        if sex is None:
            raise InputProblem(f"The {source} norms differ for women and men. Choose one to "
                               "compare, or leave the comparison out.")
        row = next(n for n in rows if n.sex == sex)
    where = band(value, row.value, row.sd)
    spread = f", SD {row.sd:g} s," if row.sd is not None else ""
    who = {"female": "women", "male": "men", "any": "people"}[row.sex]
    outside = age is not None and row.years_from(age) > 0
    caveat = " Your age is outside the studied group." if outside else ""
    return Comparison(key, value, row, where,
                      f"{value:g} s is {BAND_WORDS[where]} the average of {row.value:g} s"
                      f"{spread} for {who} in {source}. Who was tested: {row.population}; "
                      f"{row.ages}.{caveat} Use it as context, not as a pass mark.")


@dataclasses.dataclass(frozen=True)
class RatioResult:
    ratio: Ratio
    value: float | None
    reference: float | None
    message: str


def ratios(course: Course, results: Mapping[str, float], sex: Sex | None) -> list[RatioResult]:
    """Each endurance ratio, set beside the ratio seen in young healthy adults (if known)."""
    out = []
    for r in course.ratios:
        parts = [*r.numerator, *r.denominator]
        missing = [k for k in parts if k not in results]
        reference = {"male": r.men, "female": r.women}.get(sex or "", None)
        if missing:
            out.append(RatioResult(r, None, reference, "Needs all of: " + ", ".join(parts) + "."))
            continue
        top = sum(results[k] for k in r.numerator) / len(r.numerator)
        bottom = sum(results[k] for k in r.denominator) / len(r.denominator)
        if bottom == 0:
            out.append(RatioResult(r, None, reference, "Cannot work out a ratio with a 0 s hold "
                                   "below the line."))
            continue
        value = top / bottom
        text = f"Your ratio is {value:.2f}."
        if reference is not None:
            who = "men" if sex == "male" else "women"
            label = course.reference(r.refs[0]).label
            text += (f" Young healthy {who}: about {reference:.2f}, worked out by us from the "
                     f"average times in {label}, which does not state this ratio." if r.derived
                     else f" Young healthy {who} averaged {reference:.2f} ({label}).")
        out.append(RatioResult(r, value, reference, text))
    return out


@dataclasses.dataclass(frozen=True)
class Asymmetry:
    test: SelfTest
    left: float
    right: float

    @property
    def percent(self) -> float:
        """Difference as a share of the longer side (0 when both are 0)."""
        longer = max(self.left, self.right)
        return 0.0 if longer == 0 else 100 * abs(self.left - self.right) / longer

    def message(self) -> str:
        if self.left == self.right:
            return f"{self.test.name}: both sides the same ({self.left:g})."
        weaker = "left" if self.left < self.right else "right"
        return (f"{self.test.name}: your {weaker} side is {self.percent:.0f}% shorter "
                f"({self.left:g} left, {self.right:g} right).")


def asymmetries(battery: Sequence[SelfTest], results: Mapping[str, float]) -> list[Asymmetry]:
    """Left against right for every two-sided timed test with both results."""
    return [Asymmetry(t, results[f"{t.id}_left"], results[f"{t.id}_right"]) for t in battery
            if t.kind == "timed" and t.sides
            and f"{t.id}_left" in results and f"{t.id}_right" in results]
