"""The generic parser turns plain data into typed objects and names every defect."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Literal

from hypothesis import given
from hypothesis import strategies as st

from backcourse.core.parse import Collector, ContentError, Problem, parse, rule


@dataclasses.dataclass(frozen=True, kw_only=True)
class Inner:
    sets: int = rule(min=1, max=10)
    note: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Outer:
    id: str = rule(pattern=r"[a-z-]+")
    kind: Literal["a", "b"]
    weight: float = rule(min=0)
    parts: tuple[Inner, ...] = rule(nonempty=True)
    flag: bool = False

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.kind == "b" and not self.flag:
            yield "flag", "kind b needs the flag"


def run(raw: object) -> tuple[Outer | None, list[str]]:
    out = Collector("data/x.yaml", "things[one]")
    return parse(Outer, raw, out), [f"{p.field}: {p.message}" for p in out.problems]


GOOD = {"id": "one", "kind": "a", "weight": 2, "parts": [{"sets": 3}]}


def test_valid_data_becomes_frozen_typed_objects() -> None:
    """Ints are accepted for floats, lists become tuples, nested mappings become dataclasses."""
    obj, problems = run(GOOD)
    assert problems == []
    assert obj == Outer(id="one", kind="a", weight=2.0, parts=(Inner(sets=3),))
    assert isinstance(obj.weight, float) and isinstance(obj.parts, tuple)


def test_every_defect_is_reported_with_its_field_path() -> None:
    """One pass collects all problems, each naming the nested field."""
    raw = {"id": "One!", "kind": "c", "weight": -1, "parts": [{"sets": 0}, {"sets": "x"}],
           "colour": "red"}
    obj, problems = run(raw)
    assert obj is None
    assert problems == [
        "colour: unknown field",
        "id: 'One!' does not match the expected form [a-z-]+",
        "kind: must be one of 'a', 'b' (got 'c')",
        "weight: must be at least 0 (got -1)",
        "parts[0].sets: must be at least 1 (got 0)",
        "parts[1].sets: must be a whole number (got text 'x')",
    ]


def test_missing_blank_and_wrongly_typed_fields() -> None:
    """Missing fields, blank text, empty lists and bools-for-ints are all refused."""
    _, problems = run({"id": "one", "kind": "a", "parts": []})
    assert problems == ["weight: is missing", "parts: must list at least one item"]
    _, problems = run({**GOOD, "parts": [{"sets": True, "note": "  "}]})
    assert problems == ["parts[0].sets: must be a whole number (got true/false True)",
                        "parts[0].note: is blank; write some text"]
    _, problems = run(["not", "a", "mapping"])
    assert problems == ["(entry): must be a mapping of fields (got a list)"]


def test_cross_field_checks_run_after_parsing() -> None:
    """A model's problems() hook adds its own defects."""
    _, problems = run({**GOOD, "kind": "b"})
    assert problems == ["flag: kind b needs the flag"]


def test_problem_and_error_format_one_line_each() -> None:
    """A problem prints as file: entry: field: message; an error joins them by lines."""
    p = Problem("data/x.yaml", "things[one]", "parts[0].sets", "must be at least 1 (got 0)")
    assert str(p) == "data/x.yaml: things[one]: parts[0].sets: must be at least 1 (got 0)"
    err = ContentError([p, p])
    assert str(err).splitlines() == [str(p), str(p)]
    assert isinstance(err, ValueError)


@given(st.integers())
def test_bounds_accept_exactly_the_allowed_range(sets: int) -> None:
    """A bounded int parses if and only if it lies within its bounds."""
    obj, problems = run({**GOOD, "parts": [{"sets": sets}]})
    assert (obj is not None) == (1 <= sets <= 10)
    assert (problems == []) == (1 <= sets <= 10)
