"""Thin ipywidgets views: they collect input, call pure logic, and show its answer."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from html import escape

import ipywidgets as widgets

from . import render
from .core.model import Course, QuizItem
from .core.quiz import check_answer, score
from .core.records import Screening, SessionLog
from .core.screening import IncompleteScreen, can_clear, screen
from .journal import Journal
from .figures import figure_for, figure_html
from .render import cites


_AT_LEFT = {"width": "auto", "align_self": "flex-start"}  # a button as wide as its words


class QuizView:
    """A knowledge check: one radio group and a Check button per question, plus a score."""

    def __init__(self, items: Sequence[QuizItem], course: Course) -> None:
        if not items:
            raise ValueError("a quiz needs at least one question")
        self.items = tuple(items)
        self.course = course
        self.choices: dict[str, widgets.RadioButtons] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        self.buttons: dict[str, widgets.Button] = {}
        self.answered: dict[str, int | None] = {}
        self.score = widgets.HTML(score(self.items, {}).summary())
        rows = [self._question(n, item) for n, item in enumerate(self.items, start=1)]
        self.widget = widgets.VBox([*rows, self.score])

    def _question(self, number: int, item: QuizItem) -> widgets.Widget:
        label = f"Question {number}: {item.question}"
        radio = widgets.RadioButtons(
            options=[(text, i) for i, text in enumerate(item.options)],
            value=None,
            description="",
            layout=widgets.Layout(width="auto"),
            style={"description_width": "0px"},
        )
        button = widgets.Button(description="Check", tooltip=f"Check your answer to question {number}")
        feedback = widgets.HTML("")
        button.on_click(lambda _b, item=item: self.check(item.id))
        self.choices[item.id], self.buttons[item.id], self.feedback[item.id] = radio, button, feedback
        return widgets.VBox([widgets.HTML(f"<p><strong>{escape(label)}</strong></p>"),
                             radio, button, feedback])

    def check(self, item_id: str) -> None:
        """Judge the current choice for one question and show the feedback."""
        item = next(i for i in self.items if i.id == item_id)
        result = check_answer(item, self.choices[item_id].value)
        sources = f" <small>({cites(result.refs, self.course)})</small>" if result.refs else ""
        mark = {"correct": "✓", "incorrect": "✗", "unanswered": "?"}[result.status]
        self.feedback[item_id].value = (
            f'<p role="status"><strong>{mark}</strong> {escape(result.message)}{sources}</p>'
        )
        if result.status != "unanswered":
            self.answered[item_id] = self.choices[item_id].value
        self.score.value = score(self.items, self.answered).summary()

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)


class ScreenView:
    """The red-flag screen: a yes/no per question, Submit, the advice and why, saved to the
    journal; when the plan is withheld, a clinician's clearance can be recorded."""

    def __init__(self, course: Course, journal: Journal | None, today: dt.date,
                 places: render.Places = render.NOTEBOOKS) -> None:
        self.course, self.journal, self.today, self.places = course, journal, today, places
        self.answers: dict[str, widgets.ToggleButtons] = {}
        rows: list[widgets.Widget] = []
        for n, flag in enumerate(course.red_flags, start=1):
            toggle = widgets.ToggleButtons(options=["No", "Yes"], value=None,
                                           description=f"Question {n}", tooltips=["No", "Yes"],
                                           style={"button_width": "4em"})
            self.answers[flag.id] = toggle
            rows.append(widgets.HTML(f"<p><strong>{n}.</strong> {escape(flag.question)}</p>"))
            rows.append(toggle)
        self.submit = widgets.Button(description="Check my answers", button_style="primary")
        self.result = widgets.HTML("")
        self.submit.on_click(lambda _b: self.check())
        self.cleared = widgets.Checkbox(value=False, indent=False, description="Yes, all of this "
                                        "is true for me", layout=widgets.Layout(width="auto"))
        self.save_clearance = widgets.Button(description="Save: a clinician has cleared me",
                                             layout=widgets.Layout(width="auto"))
        self.save_clearance.on_click(lambda _b: self.clear())
        self.clearance = widgets.VBox([
            widgets.HTML("<p><strong>Already examined by a clinician?</strong> Tick the box "
                         "only if all of this is true: a doctor or physiotherapist examined "
                         "you after these signs began, the signs have not changed since, and "
                         "they told you this kind of exercise is fine. If not, follow the "
                         "advice above.</p>"),
            self.cleared, self.save_clearance], layout=widgets.Layout(display="none"))
        self.record: Screening | None = None
        self.widget = widgets.VBox([*rows, self.submit, self.result, self.clearance])

    def check(self) -> None:
        """Judge the answers; show the advice and, if a journal is open, save the result."""
        number = {f.id: n for n, f in enumerate(self.course.red_flags, start=1)}
        values = {i: None if t.value is None else t.value == "Yes"
                  for i, t in self.answers.items()}
        try:
            result = screen(self.course, values)
        except IncompleteScreen as exc:
            missing = ", ".join(str(number[i]) for i in exc.missing)
            self.result.value = (f'<p role="alert"><strong>Please answer every question.</strong>'
                                 f" Still unanswered: question {escape(missing)}.</p>")
            self.clearance.layout.display = "none"
            return
        self.cleared.value = False
        self._show(Screening(taken_on=self.today.isoformat(), outcome=result.outcome,
                             flagged=tuple(f.id for f in result.flagged)))

    def clear(self) -> None:
        """Record that a clinician has checked the signs answered yes (the box must be ticked)."""
        if self.record is None or not can_clear(self.course, self.record.outcome,
                                                 self.record.flagged):
            return
        if not self.cleared.value:
            self.result.value = render.wrap(
                '<p role="alert"><strong>Tick the box first</strong>, and only if a clinician '
                "has checked these signs.</p>", render.safety_advice(self.record, self.course,
                                                                     self.places))
            return
        self._show(dataclasses.replace(self.record, cleared=True))

    def _show(self, record: Screening) -> None:
        saved = ""
        if self.journal is not None:
            self.journal.add(record)
            saved = (f"<p><small>Saved to your journal on {self.today:%d %b %Y}, on this "
                     "computer only.</small></p>")
        self.record = record
        self.result.value = render.wrap(render.safety_advice(record, self.course, self.places)
                                        + saved)
        shown = not record.cleared and can_clear(self.course, record.outcome, record.flagged)
        self.clearance.layout.display = None if shown else "none"

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)


class SessionLogView:
    """Log one exercise of today's session, and this morning's pain for the last session."""

    def __init__(self, course: Course, journal: Journal, today: dt.date,
                 starts: Mapping[str, str], on_saved: Callable[[], None] | None = None) -> None:
        self.course, self.journal, self.today = course, journal, today
        self.on_saved = on_saved
        choices = [(x.name, x.id) for x in (*course.prerequisites, course.capstone)]
        self.day = widgets.DatePicker(description="Date", value=today)
        self.exercise = widgets.Dropdown(description="Exercise", options=choices)
        self.rung = widgets.Dropdown(description="Level")
        # plain IntText: out-of-range numbers get a message from validation, not a silent clamp
        self.sets = widgets.IntText(description="Sets", value=3)
        self.reps = widgets.IntText(description="Reps", value=0)
        self.seconds = widgets.IntText(description="Hold (s)", value=0)
        self.pain_before = widgets.IntSlider(description="Pain before", min=0, max=10, value=0)
        self.pain_peak = widgets.IntSlider(description="Worst during", min=0, max=10, value=0,
                                           tooltip="The worst pain during the exercise")
        self.pain_after = widgets.IntSlider(description="Pain after", min=0, max=10, value=0)
        self.effort = widgets.IntSlider(description="Effort", min=0, max=10, value=5,
                                        tooltip="0 = no effort at all, 10 = the hardest you can")
        self.note = widgets.Text(description="Note", placeholder="optional")
        self.save = widgets.Button(description="Save this exercise", button_style="primary",
                                   layout=_AT_LEFT)
        self.message = widgets.HTML("")
        self.morning = widgets.IntSlider(description="Pain now", min=0, max=10, value=0)
        self.save_morning = widgets.Button(description="Save this morning's pain",
                                           layout=_AT_LEFT)
        self.figure = widgets.HTML("")
        self._starts = dict(starts)
        self.exercise.observe(lambda _c: self._levels(), names="value")
        self.rung.observe(lambda _c: self._draw(), names="value")
        self._levels()
        self.save.on_click(lambda _b: self.log())
        self.save_morning.on_click(lambda _b: self.log_morning())
        self.widget = widgets.VBox([
            self.day, self.exercise, self.rung, self.figure, self.sets, self.reps, self.seconds,
            self.pain_before, self.pain_peak, self.pain_after, self.effort, self.note, self.save,
            widgets.HTML("<p>The morning after a session, how is your back?</p>"),
            self.morning, self.save_morning, self.message])

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
