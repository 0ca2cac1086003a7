"""The session log: one exercise of a session, and the next morning's pain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from html import escape

import ipywidgets as widgets

from backcourse.core.course import Course
from backcourse.core.records import SessionLog
from backcourse.journal.store import Journal
from backcourse.render import html as render
from backcourse.render.figures import figure_for, figure_html
from backcourse.views import look


class SessionLogView:
    """Log one exercise of today's session, and this morning's pain for the last session."""

    def __init__(self, course: Course, journal: Journal, today: dt.date,
                 starts: Mapping[str, str], on_saved: Callable[[], None] | None = None) -> None:
        self.course, self.journal, self.today = course, journal, today
        self.on_saved = on_saved
        choices = [(x.name, x.id) for x in (*course.prerequisites, course.capstone)]
        self.day = look.field(widgets.DatePicker(description="Date of the session", value=today))
        self.exercise = look.field(widgets.Dropdown(description="Exercise", options=choices))
        self.rung = look.field(widgets.Dropdown(description="Level"))
        # plain IntText: out-of-range numbers get a message from validation, not a silent clamp
        self.sets = look.field(widgets.IntText(description="Sets", value=3))
        self.reps = look.field(widgets.IntText(description="Reps", value=0))
        self.seconds = look.field(widgets.IntText(description="Hold (seconds)", value=0))
        self.pain_before = _rating("Pain before the exercise (0 = none, 10 = the worst)", 0)
        self.pain_peak = _rating("Worst pain during the exercise (0-10)", 0)
        self.pain_after = _rating("Pain after the exercise (0-10)", 0)
        self.effort = _rating("Effort (0 = no effort at all, 10 = the hardest you can)", 5)
        self.note = look.field(widgets.Text(description="Note", placeholder="optional"))
        self.save = widgets.Button(description="Save this exercise", button_style="primary")
        self.message = widgets.HTML("")
        self.morning = _rating("Pain now, the morning after (0-10)", 0)
        self.save_morning = widgets.Button(description="Save this morning's pain")
        self.figure = widgets.HTML("")
        self._starts = dict(starts)
        self.exercise.observe(lambda _c: self._levels(), names="value")
        self.rung.observe(lambda _c: self._draw(), names="value")
        self._levels()
        self.save.on_click(lambda _b: self.log())
        self.save_morning.on_click(lambda _b: self.log_morning())
        self.widget = look.view([
            look.card([self.day, self.exercise, self.rung, self.figure, self.sets, self.reps,
                       self.seconds, self.pain_before, self.pain_peak, self.pain_after,
                       self.effort, self.note, look.actions([self.save])]),
            look.card([widgets.HTML(render.wrap(
                "<h4>The morning after</h4><p>The morning after a session, how is your "
                "back?</p>")), self.morning, look.actions([self.save_morning])]),
            self.message])

    def _levels(self) -> None:
        x = self.course.exercise(self.exercise.value)
        self.rung.options = [(f"Level {r.level}: {r.name}", r.id) for r in x.rungs]
        self.rung.value = self._starts.get(x.id, x.rungs[0].id)

    def _draw(self) -> None:
        """The figure of each move at the chosen level."""
        x = self.course.exercise(self.exercise.value)
        rung = next((r for r in x.rungs if r.id == self.rung.value), None)
        moves = rung.moves if rung else ()
        self.figure.value = render.wrap(*(
            f"<p><strong>{escape(m.name)}</strong></p>"
            + figure_html(figure_for(self.course, m.id)) for m in moves))

    def log(self) -> None:
        """Validate and save the entry; say what was saved or what is wrong."""
        if self.day.value is None:
            self.message.value = '<p role="alert">Pick the date of the session.</p>'
            return
        entry = SessionLog(
            done_on=self.day.value.isoformat(), exercise=self.exercise.value,
            rung=self.rung.value, sets=self.sets.value, reps=self.reps.value or None,
            seconds=self.seconds.value or None, pain_before=self.pain_before.value,
            pain_after=self.pain_after.value, pain_peak=self.pain_peak.value,
            effort=self.effort.value,
            note=self.note.value.strip() or None)
        try:
            self.journal.add(entry)
        except ValueError as exc:
            self.message.value = f'<p role="alert">Not saved: {escape(str(exc))}.</p>'
            return
        self.message.value = (f'<p role="status">Saved: {escape(self.exercise.label)}, '
                              f"{escape(self.rung.label)}, {entry.done_on}.</p>")
        if self.on_saved is not None:
            self.on_saved()

    def log_morning(self) -> None:
        day = self.journal.record_next_day(self.morning.value, self.today.isoformat())
        self.message.value = (f'<p role="status">Saved this morning\'s pain for {day}.</p>'
                              if day else '<p role="status">No earlier session is waiting '
                              "for a morning rating.</p>")
        if day and self.on_saved is not None:
            self.on_saved()

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)


def _rating(label: str, value: int) -> widgets.IntSlider:
    """A 0-10 slider whose label says what is rated and what the ends mean."""
    return look.field(widgets.IntSlider(description=label, min=0, max=10, value=value))
