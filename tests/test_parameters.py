"""Notebook parameters are checked once, at the top, with one line naming each bad one."""

from __future__ import annotations

import pytest

from backcourse.core.parameters import check_parameters


def test_the_notebooks_defaults_and_papermill_values_pass() -> None:
    check_parameters(learner="me", journal_home=None)
    check_parameters(learner="client-7", journal_home="/tmp/x", weeks=52, sessions_per_week=1,
                     today="2026-03-02")


@pytest.mark.parametrize("values, message", [
    ({"weeks": "eight"}, "parameter weeks: must be a whole number (got text 'eight')"),
    ({"weeks": 0}, "parameter weeks: must be at least 1 (got 0)"),
    ({"sessions_per_week": 3.5}, "parameter sessions_per_week: must be a whole number "
                                 "(got float 3.5)"),
    ({"today": "20260105"}, "parameter today: '20260105' is not a real date written like "
                            "2026-03-02 (YYYY-MM-DD)"),
    ({"learner": "../x"}, "parameter learner: '../x' does not match the expected form "
                          "[A-Za-z0-9][A-Za-z0-9_-]{0,63}"),
    ({"journal_home": 3}, "parameter journal_home: must be text (got int 3)"),
    ({"colour": "red"}, "parameter colour: unknown field"),
    ({"weeks": True, "today": 5}, "parameter weeks: must be a whole number (got true/false "
                                  "True)\nparameter today: must be text (got int 5)"),
])
def test_a_bad_parameter_is_named_on_one_line_each(values: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_parameters(**values)
    assert str(caught.value) == message
