"""What a learner sees of their own journal, the same in the notebooks and the app: the
safety check, the self-tests, the plan, the charts, the session player and the log.

Every part that shows the plan goes through :meth:`Learner.active`, the one place that
withholds it (no safety check yet, a warning sign, or rising pain).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from pathlib import Path

from backcourse.core.course import Course
from backcourse.core.dates import parse_date
from backcourse.core.ical import plan_ics
from backcourse.core.outcomes import retest_start
from backcourse.core.program import Active, ProgramStatus
from backcourse.core.records import Score
from backcourse.core.schedule import weeks_ahead
from backcourse.journal.program import program_status
from backcourse.journal.store import Journal
from backcourse.render import html as render
from backcourse.render import outcomes
from backcourse.render.html import Html, Places
from backcourse.views.assess import BatteryView, StartBackView
from backcourse.views.log import SessionLogView
from backcourse.views.measures import MeasuresView
from backcourse.views.player import SessionPlayerView
from backcourse.views.screen import ScreenView


class Learner:
    """One learner's journal, shown with this course on ``today`` in the words of ``places``."""

    def __init__(self, course: Course, journal: Journal, today: dt.date,
                 places: Places = render.NOTEBOOKS) -> None:
        self.course, self.journal, self.today, self.places = course, journal, today, places

    def status(self) -> ProgramStatus:
        return program_status(self.course, self.journal)

    def active(self) -> Active | Html:
        """The plan's state when it may show, else what to do instead."""
        now = self.status()
        return now if isinstance(now, Active) else render.wrap(
            render.gate(now, self.course, self.places))

    def safety_screen(self) -> ScreenView:
        return ScreenView(self.course, self.journal, self.today, self.places)

    def programme(self, weeks: int = 8, sessions_per_week: int = 3) -> Html:
        """Next steps, the coming weeks and capstone readiness."""
        now = self.active()
        if not isinstance(now, Active):
            return now
        record = now.record.plan
        start = parse_date(record.start_on) if record else self.today
        plan = weeks_ahead(self.course, plan_start=start, today=self.today, weeks=weeks,
                           sessions_per_week=sessions_per_week, rungs=now.starts)
        calendar = plan_ics(plan, at=None, stamp=dt.datetime.now(dt.timezone.utc),
                            advice=self.course.rule_for("regress").says,
                            learner=Path(self.journal.path).stem)
        scores = self.journal.all(Score)
        if scores:
            since = retest_start(record.start_on if record else None, scores) or self.today
            retest = outcomes.retest_list(self.course.retests, since, self.today, self.course,
                                          plan=record is not None, scores=scores)
        else:
            retest = (f"<p>Answer the outcome measures in {escape(self.places.battery)} first: "
                      "they are your starting point to compare with later.</p>")
        shown = render.week_plan(plan, calendar, start if record else None,
                                 record.weeks if record else None, self.places)
        return render.wrap(render.programme(now, self.course, weeks, shown),
                           "<h3>When to check your progress</h3>", retest)

    def outcomes(self) -> Html:
        """The outcome measures: start against latest, over time, and when to retest."""
        return render.wrap(outcomes.summary(self.course, self.journal.all(Score),
                                            self.places.battery))

    def readiness(self) -> Html:
        now = self.active()
        return now if not isinstance(now, Active) else render.wrap(
            render.readiness_status(now.readiness, self.course))

    def charts(self, weeks: int = 8, sessions_per_week: int = 3) -> Html:
        """Pain trend, ladder levels, sessions per week and hold times, each with alt text."""
        from backcourse.render import charts

        now = self.active()
        if not isinstance(now, Active):
            return now
        record, course = now.record, self.course
        if not record.logs:
            return render.wrap("<p>No sessions logged yet. Log your first session below; your "
                               "charts will appear here.</p>")
        plan = record.plan
        start = parse_date(plan.start_on if plan else record.logs[0].done_on)
        names = {e.id: e.name for e in course.prerequisites}
        limit = course.thresholds.regress.max_pain
        figures = [
            (charts.pain_trend(record.logs, limit, names=names),
             f"What this means: a mark in the shaded zone (above {limit}) means step back a "
             "level in that exercise; marks at or below the line are fine."),
            (charts.levels(record.logs, course.prerequisites),
             "What this means: a line going up is progress; a step back is part of the plan."),
            (charts.adherence(record.logs, start, plan.weeks if plan else weeks,
                              plan.sessions_per_week if plan else sessions_per_week),
             "What this means: each bar is the sessions you logged that week, against the "
             "dashed line of your plan."),
        ]
        if any(t.unit == "s" for t in record.assessments):
            figures.append((charts.holds(record.assessments, course.norms_for("mcgill1999"),
                                         course.result_names()),
                            "What this means: compare your latest hold with your first; the "
                            "grey averages are young healthy adults, a rough guide only."))
        return render.wrap(*(render.figure(chart, caption) for chart, caption in figures))

    def session_log(self, on_saved: Callable[[], None] | None = None) -> SessionLogView | Html:
        """The session-log form, set to the levels the programme suggests."""
        now = self.active()
        if not isinstance(now, Active):
            return now
        return SessionLogView(self.course, self.journal, self.today, now.starts,
                              on_saved=on_saved)

    def session_player(self) -> SessionPlayerView | Html:
        """Today's session from the plan, guided one set at a time."""
        now = self.active()
        if not isinstance(now, Active):
            return now
        return SessionPlayerView(self.course, self.journal, self.today,
                                 [(s.exercise, s.next) for s in now.steps], places=self.places)

    def measures(self) -> MeasuresView:
        """The outcome measures: the first time a baseline, after that a retest."""
        return MeasuresView(self.course, self.journal, self.today)

    def start_back(self) -> StartBackView:
        return StartBackView(self.course, self.journal, self.today)

    def battery(self) -> BatteryView | Html:
        """The baseline self-tests, only once a safety check allows exercise."""
        gate = render.screening_gate(self.journal.latest_screening(), self.course, self.places)
        if gate is not None:
            return render.wrap(gate)
        return BatteryView(self.course, self.journal, self.today, places=self.places)
