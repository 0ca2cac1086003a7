"""A learner's programme, read from their journal (the states are in
:mod:`backcourse.core.program`)."""

from __future__ import annotations

from backcourse.core.course import Course
from backcourse.core.program import ProgramStatus, Record, decide
from backcourse.core.records import Assessment, Plan
from backcourse.journal.store import Journal


def program_status(course: Course, journal: Journal) -> ProgramStatus:
    """Read the journal and decide what the learner may see."""
    plans = journal.all(Plan)
    record = Record(plans[-1] if plans else None, tuple(journal.sessions()),
                    tuple(journal.all(Assessment)))
    return decide(course, journal.latest_screening(), record)
