"""The safety check as a widget: a yes/no per question, the advice and why, saved."""

from __future__ import annotations

import dataclasses
import datetime as dt
from html import escape

import ipywidgets as widgets

from backcourse.core.course import Course
from backcourse.core.dates import spoken
from backcourse.core.records import Screening
from backcourse.core.screening import IncompleteScreen, can_clear, screen
from backcourse.infra.paths import KEPT_ON
from backcourse.journal.store import Journal
from backcourse.render import html as render
from backcourse.views import look


class ScreenView:
    """The red-flag screen: a yes/no per question, Submit, the advice and why, saved to the
    journal; when the plan is withheld, a clinician's clearance can be recorded."""

    def __init__(self, course: Course, journal: Journal | None, today: dt.date,
                 places: render.Places = render.NOTEBOOKS) -> None:
        self.course, self.journal, self.today, self.places = course, journal, today, places
        self.answers: dict[str, widgets.ToggleButtons] = {}
        for n, flag in enumerate(course.red_flags, start=1):  # the question is its name
            toggle = look.field(widgets.ToggleButtons(
                options=["No", "Yes"], value=None, description=f"{n}. {flag.question}",
                tooltips=["No", "Yes"], style={"button_width": "4.5em"}))
            toggle.add_class("bc-question")
            self.answers[flag.id] = toggle
        self.submit = widgets.Button(description="Check my answers", button_style="primary")
        self.result = widgets.HTML("")
        self.cleared = widgets.Checkbox(value=False, indent=False, description="Yes, all of this "
                                        "is true for me", layout=widgets.Layout(width="auto"))
        self.save_clearance = widgets.Button(description="Save: a clinician has cleared me")
        self.clearance = look.card([
            widgets.HTML("<p><strong>Already examined by a clinician?</strong> Tick the box "
                         "only if all of this is true: a doctor or physiotherapist examined "
                         "you after these signs began, the signs have not changed since, and "
                         "they told you this kind of exercise is fine. If not, follow the "
                         "advice above.</p>"),
            self.cleared, look.actions([self.save_clearance])])
        look.show(self.clearance, False)
        look.on_click(self.submit, self.check, self.result)
        look.on_click(self.save_clearance, self.clear, self.result)
        self.record: Screening | None = None
        kept = f" It is kept {KEPT_ON} only." if journal is not None else ""
        self.next = widgets.HTML(render.wrap(
            "<p>What happens next: your result shows just below the button. It says either "
            f"that you can go on with the course, or what to do first.{kept}</p>"))
        self.widget = look.view([look.card(list(self.answers.values())),
                                 look.actions([self.submit]), self.next, self.result,
                                 self.clearance])

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
            look.show(self.clearance, False)
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
            saved = (f"<p><small>Saved to your journal on {spoken(self.today)}, {KEPT_ON} "
                     "only.</small></p>")
        self.record = record
        self.result.value = render.wrap(render.safety_advice(record, self.course, self.places)
                                        + saved)
        shown = not record.cleared and can_clear(self.course, record.outcome, record.flagged)
        look.show(self.clearance, shown)

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)
