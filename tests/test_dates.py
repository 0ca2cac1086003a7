"""One date parser for the roster, the journal and the notebooks: YYYY-MM-DD only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from backcourse import lesson
from backcourse.content.load import load_course
from backcourse.core.dates import how_long, parse_date, recent_days, spoken
from backcourse.core.parse import Collector, parse
from backcourse.core.records import SessionLog
from backcourse.export.roster import RosterError, read_roster

OTHER_FORMS = ["20260105", "2026-W01-1", "2026-W01", "2026-1-5", "2026-01-05T00:00",
               "２０２６-０１-０５", "2026-02-30", " 2026-01-05", ""]


def test_a_date_is_year_month_day() -> None:
    assert parse_date("2026-01-05") == dt.date(2026, 1, 5)
    assert parse_date("2028-02-29") == dt.date(2028, 2, 29)


@pytest.mark.parametrize("text", OTHER_FORMS)
def test_every_other_form_is_refused_with_one_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a real date written like 2026-03-02 "
                                         r"\(YYYY-MM-DD\)$"):
        parse_date(text)


@pytest.mark.parametrize("text", ["20260105", "2026-W01-1"])
def test_the_roster_refuses_dates_python_would_take(tmp_path: Path, text: str) -> None:
    """Python 3.11's fromisoformat reads these; the roster must not, or the client's
    report fails only at run time."""
    roster = tmp_path / "roster.csv"
    roster.write_text(f"client_id,screening,today\nx,clear,{text}\n", encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        read_roster(roster, load_course())
    assert [str(p) for p in caught.value.problems] == [
        f"roster.csv: row 2: today: {text!r} is not a real date written like 2026-03-02 "
        "(YYYY-MM-DD)"]


@pytest.mark.parametrize("text", ["20260105", "2026-W01-1"])
def test_notebooks_and_the_journal_refuse_them_too(text: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=f"today: '{text}' is not a real date"):
        lesson.safety_screen(home=str(tmp_path), today=text)
    out = Collector("journal", "sessions[new]")
    raw = {"done_on": text, "exercise": "dead-hang", "rung": "dead-hang-1", "sets": 1,
           "reps": 1, "pain_before": 0, "pain_after": 0}
    assert parse(SessionLog, raw, out) is None
    assert [p.field for p in out.problems] == ["done_on"]


@pytest.mark.parametrize("earlier, later, said", [
    ("2026-04-05", "2026-04-06", "1 day"), ("2026-03-25", "2026-04-06", "12 days"),
    ("2026-02-09", "2026-04-06", "8 weeks"), ("2026-01-07", "2026-04-06", "3 months"),
    ("2026-04-06", "2026-07-05", "3 months"),
    ("2026-01-06", "2026-04-06", "3 months"), ("2025-04-06", "2026-04-06", "12 months"),
])
def test_how_long_apart_reads_in_whole_days_weeks_or_months(earlier: str, later: str,
                                                       said: str) -> None:
    assert how_long(dt.date.fromisoformat(earlier), dt.date.fromisoformat(later)) == said


def test_a_learner_reads_every_day_one_way() -> None:
    assert spoken(dt.date(2026, 11, 30)) == "Mon 30 Nov 2026"
    assert spoken(dt.date(2026, 3, 1), year=False) == "Sun 1 Mar"
    assert recent_days(dt.date(2026, 11, 30), 3) == [
        ("Today, Mon 30 Nov", dt.date(2026, 11, 30)),
        ("Yesterday, Sun 29 Nov", dt.date(2026, 11, 29)),
        ("Sat 28 Nov", dt.date(2026, 11, 28))]
