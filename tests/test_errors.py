"""One error base and one problem shape: every refusal in the package is a BackcourseError
that carries Problems, and its message names them (a long list is cut with a count)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from backcourse.content import load_course
from backcourse.core.errors import BackcourseError, Problem

PACKAGE = Path(__file__).resolve().parents[1] / "backcourse"


def test_every_error_class_of_the_package_is_a_backcourse_error() -> None:
    errors = []
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if "slide_assets" in name or name.endswith("__main__"):
            continue  # running __main__ would start the command
        module = importlib.import_module(name.removesuffix(".__init__"))
        errors += [obj for obj in vars(module).values()
                   if isinstance(obj, type) and issubclass(obj, Exception)
                   and obj.__module__ == module.__name__]
    assert len(errors) >= 8  # content, journal, import, roster, files, input, screens...
    assert [e.__qualname__ for e in errors if not issubclass(e, BackcourseError)] == []


def test_a_refusal_carries_problems_and_names_each() -> None:
    one = BackcourseError("the port must be 1-65535")
    assert one.problems == (Problem("", "", "", "the port must be 1-65535"),)
    assert str(one) == "the port must be 1-65535"
    many = BackcourseError(Problem("r.csv", f"row {i}", "today", "not a date")
                           for i in range(2, 2 + BackcourseError.SHOWN + 5))
    lines = str(many).splitlines()
    assert len(many.problems) == BackcourseError.SHOWN + 5
    assert lines[0] == "r.csv: row 2: today: not a date"
    assert lines[-1] == "... and 5 more problems" and len(lines) == BackcourseError.SHOWN + 1


def test_a_look_up_by_an_unknown_id_names_the_known_ones() -> None:
    course = load_course()
    with pytest.raises(KeyError, match=r"no self-test 'nope'; known: .*trunk_flexion"):
        course.self_test("nope")
    with pytest.raises(KeyError, match="no exercise 'nope'"):
        course.exercise("nope")
