"""The generic parser turns plain data into typed objects and names every defect."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcourse.core.errors import Problem
from backcourse.core.parse import Collector, ContentError, json_document, parse, rule


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


def test_every_value_is_bounded_whatever_its_field() -> None:
    """Numbers, text and lists have limits even where a model sets none, so no value can
    overflow a float, SQLite or a message."""
    limit = "(the limit is ±9,007,199,254,740,991)"
    cases = [
        ({"weight": 10**400}, f"weight: {'1' + '0' * 59}… (401 characters) is too large {limit}"),
        ({"parts": [{"sets": 2**70}]},
         f"parts[0].sets: 1180591620717411303424 is too large {limit}"),
        ({"parts": [{"sets": 1, "note": "x" * 10_001}]},
         "parts[0].note: is 10,001 characters long; at most 10,000 are allowed"),
        ({"parts": [{"sets": 1, "note": "ok\ud800"}]},
         "parts[0].note: is not valid text (a lone surrogate at character 3)"),
        ({"parts": [{"sets": 1}] * 1_001}, "parts: lists 1,001 items; at most 1,000 are allowed"),
        ({"id": "X" * 5_000}, f"id: '{'X' * 59}… (5,002 characters) does not match the expected "
                              "form [a-z-]+"),
    ]
    for change, problem in cases:
        obj, problems = run({**GOOD, **change})
        assert obj is None and problems == [problem]
    assert run({**GOOD, "weight": 2**53 - 1})[1] == []


def test_unknown_fields_are_named_ten_at_a_time_and_cut_short() -> None:
    raw = {**GOOD, **{f"extra{i:02d}": 1 for i in range(15)}, "k" * 500: 1}
    _, problems = run(raw)
    assert problems[:2] == ["extra00: unknown field", "extra01: unknown field"]
    assert problems[10:] == ["(entry): and 6 more unknown fields"]
    _, problems = run({**GOOD, "k" * 500: 1})
    assert problems == [f"{'k' * 40}… (500 characters): unknown field"]


@pytest.mark.parametrize("text, message", [
    ("{", "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
    ("[" * 100_000, "its lists or mappings are nested too deeply"),
    ("9" * 5_000, "it holds a number too long to read"),
])
def test_json_that_cannot_be_read_is_one_problem(text: str, message: str) -> None:
    with pytest.raises(ContentError) as caught:
        json_document(text, "x.json")
    assert [str(p) for p in caught.value.problems] == [f"x.json: (file): (file): cannot read: "
                                                       f"{message}"]
    assert json_document('{"a": [1, 2.5, "\\u00e9"]}', "x.json") == {"a": [1, 2.5, "é"]}
