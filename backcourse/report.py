"""What the client report notebook imports: one call per part of the report.

``backcourse report`` runs the notebook ``export/client_report.ipynb`` (or an instructor's
copy, ``--template``; ``backcourse report-template FILE`` writes one) once per client in a
fresh kernel, with papermill's parameters. Each part returns HTML; nothing here is a
widget, a quiz or an instructor note.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from html import escape
from pathlib import Path

from backcourse import __version__
from backcourse.content.clinic import Clinic, read_clinic
from backcourse.content.load import load_course
from backcourse.core.dates import how_long, parse_date
from backcourse.core.errors import BackcourseError, Problem
from backcourse.core.outcomes import (
    changes,
    retest_grace,
    retest_start,
    retest_to_take,
)
from backcourse.core.parameters import check_parameters
from backcourse.core.program import Active, ProgramStatus, Withheld
from backcourse.core.records import Score
from backcourse.core.screening import judge
from backcourse.journal.program import program_status
from backcourse.journal.store import Journal, journal_path
from backcourse.render import report as parts
from backcourse.render.html import Html, day, wrap
from backcourse.render.outcomes import over_time

NBSP = "\u00a0"


class ClientReport:
    """One client's journal, read once, shown part by part for the report notebook."""

    def __init__(self, learner: str, journal_home: str, *, weeks: int = 8,
                 sessions_per_week: int = 3, today: str | None = None, client_name: str = "",
                 notes: str = "", clinic: str | None = None) -> None:
        check_parameters(learner=learner, journal_home=journal_home, weeks=weeks,
                         sessions_per_week=sessions_per_week, today=today)
        if len(notes) > 2000 or len(client_name) > 200:
            raise BackcourseError([Problem("", "parameter notes", "", "keep the notes under "
                                           "2,000 characters and the name under 200")])
        self.parameters = {"learner": learner, "weeks": weeks,
                           "sessions_per_week": sessions_per_week, "today": today,
                           "client_name": client_name, "notes": notes,
                           "clinic": Path(clinic).name if clinic else None}
        self.course = load_course()
        self.today = parse_date(today) if today else dt.date.today()
        self.weeks, self.roster_per_week = weeks, sessions_per_week
        self.client, self.notes_text = client_name, notes
        self.clinic: Clinic | None = read_clinic(Path(clinic)) if clinic else None
        with Journal(journal_path(learner, journal_home), readonly=True) as journal:
            self.status: ProgramStatus = program_status(self.course, journal)
            self.scores = journal.all(Score)
            tables = journal.export_data()["tables"]
        self.data_hash = hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()
        self.changes = changes(self.course.measures, self.scores)

    @functools.cached_property
    def next_check(self) -> str:
        if not self.scores:
            return ""
        plan = self.status.record.plan
        since = retest_start(plan.start_on if plan else None, self.scores) or self.today
        coming = retest_to_take(self.course.retests, since, self.scores, self.today,
                                retest_grace(self.course.attention))
        if coming is None:
            return ""
        retest, when, missed = coming
        if missed:
            return (f"overdue since {day(when)} (the check at {retest.label}); ask "
                    f"{self.contact} to book it soon")
        return (f"in {how_long(self.today, when)}, {day(when)}" if when > self.today
                else f"today, {day(when)}")

    @functools.cached_property
    def contact(self) -> str:
        """Who the client contacts: the clinic's therapist and number, or their therapist."""
        return (f"{self.clinic.therapist} ({NBSP.join(self.clinic.contact.split())})"
                if self.clinic else "your therapist")  # a number never breaks over two lines

    @property
    def per_week(self) -> int:
        """Sessions a week: the saved plan's, else the roster's."""
        plan = self.status.record.plan
        return plan.sessions_per_week if plan is not None else self.roster_per_week

    def header(self) -> Html:
        """The clinic's letterhead and who the report is for."""
        return wrap(parts.header(self.clinic, self.client, self.today))

    def first(self) -> Html:
        """A warning sign and what to do, at the very top; else where the client stands."""
        record = self.status.record
        return wrap("<h2>First, the most important part</h2>" if not isinstance(
            self.status, Active) else "<h2>Where you stand</h2>",
            parts.first(self.status, self.course, self.changes, record.logs, self.today,
                        self.next_check, self.weeks, self.contact))

    def outcomes(self) -> Html:
        """The start against the latest retest, with norms and the smallest change that
        matters."""
        return wrap("<h2>Your start and your latest check</h2>",
                    parts.outcomes(self.changes, self.status.record.assessments, self.course))

    def over_time(self) -> Html:
        """Pain and function over time, each against the smallest change that matters
        (nothing when no score is saved)."""
        drawn = over_time([c for c in self.changes if c.measure.id in ("pain", "psfs")],
                          self.scores)
        if not self.scores:  # the section above says so already
            return Html("")
        return wrap("<h2>Pain and daily tasks over time</h2>", drawn or
                    "<p>Only one check so far: the charts start after the first retest.</p>")

    def adherence(self) -> Html:
        """Sessions done each week against the plan."""
        plan = self.status.record.plan
        if plan is None:
            return wrap("<h2>Sessions done</h2><p>No plan saved yet.</p>")
        return wrap("<h2>Sessions done</h2>", parts.adherence(
            self.status.record.logs, dt.date.fromisoformat(plan.start_on), plan.weeks,
            plan.sessions_per_week, self.today))

    def notes(self) -> Html:
        """The therapist's own note for this client (the roster's notes column), if any."""
        if not self.notes_text.strip():
            return Html("")
        who = self.clinic.therapist if self.clinic else "your therapist"
        return wrap(f"<h2>A note from {escape(who)}</h2><p>"
                    + escape(self.notes_text) + "</p>")

    def home_sheet(self) -> Html:
        """The coming weeks on one printed page (only when the plan may show)."""
        if not isinstance(self.status, Active):
            return Html("")
        return wrap(parts.home_sheet(self.status, self.course, self.per_week, self.next_check,
                                     self.contact, parts.sheet_head(
                                         self.client, self.today, self.clinic)))

    def provenance(self) -> Html:
        """The backcourse version, the parameters, a hash of the data read, the sources."""
        course = self.course
        rules = sorted({k for r in course.rules for k in r.refs})
        norms = sorted({n.source for n in course.norms if n.table == "mcgill1999"})
        mic = sorted({k for m in course.measures for k in m.mic_refs})
        status = self.status
        flags = (sorted({k for f in judge(course, status.screening.flagged).findings
                         for k in f.refs}) if isinstance(status, Withheld) else [])
        return wrap(parts.provenance(__version__, self.parameters, self.data_hash,
                                     [("Warning signs", flags), ("Norms", norms),
                                      ("Smallest important changes", mic),
                                      ("Plan rules", rules)], course,
                                     [c.measure for c in self.changes]))
