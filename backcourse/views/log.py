"""The session log: one exercise of a session, and the next morning's pain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from html import escape

import ipywidgets as widgets

from backcourse.core.course import Course
from backcourse.core.dates import parse_date, recent_days, spoken
from backcourse.core.errors import BackcourseError
from backcourse.core.records import SessionLog
from backcourse.journal.store import Journal
from backcourse.render import html as render
from backcourse.render.figures import figure_for, figure_html
from backcourse.views import look

DAYS_BACK = 14  # the session's date is one of the last two weeks


class SessionLogView:
    """Log one exercise of today's session, and this morning's pain for the last session."""

    def __init__(self, course: Course, journal: Journal, today: dt.date,
                 starts: Mapping[str, str], on_saved: Callable[[], None] | None = None) -> None:
        self.course, self.journal, self.today = course, journal, today
        self.on_saved = on_saved
        choices = [(x.name, x.id) for x in (*course.prerequisites, course.capstone)]
        self.day = look.field(widgets.Dropdown(description="Date of the session",
                                               options=recent_days(today, DAYS_BACK)))
        self.exercise = look.field(widgets.Dropdown(description="Exercise", options=choices))
        self.rung = look.field(widgets.Dropdown(description="Level"))
        self.sets = look.number_menu("Sets", range(1, 21))
        # typed, and empty until typed: a reps count or a hold the learner did not give is
        # never saved as 0
        self.reps = look.field(widgets.Text(description="Reps",
                                            placeholder="e.g. 8, or leave empty"))
        self.seconds = look.field(widgets.Text(description="Hold (seconds)",
                                               placeholder="e.g. 20, or leave empty"))
        self.pain_before = look.number_menu("Pain before the exercise (0 = none, 10 = the "
                                            "worst)")
        self.pain_peak = look.number_menu("Worst pain during the exercise (0-10)")
        self.pain_after = look.number_menu("Pain after the exercise (0-10)")
        self.effort = look.number_menu("Effort, if you like (0 = no effort at all, 10 = the "
                                       "hardest you can)")
        self.note = look.field(widgets.Text(description="Note", placeholder="optional"))
        self.save = widgets.Button(description="Save this exercise", button_style="primary")
        self.message = widgets.HTML("")  # under the button it answers
        self.morning_message = widgets.HTML("")
        self.morning_text = widgets.HTML("")
        self.morning = look.number_menu("Pain now, the morning after (0-10)")
        self.save_morning = widgets.Button(description="Save this morning's pain")
        self.morning_parts = widgets.VBox([self.morning, look.actions([self.save_morning])])
        self.figure = widgets.HTML("")
        self._starts = dict(starts)
        self.exercise.observe(lambda _c: self._levels(), names="value")
        self.rung.observe(lambda _c: self._draw(), names="value")
        self._levels()
        self._morning_due()
        look.on_click(self.save, self.log, self.message)
        look.on_click(self.save_morning, self.log_morning, self.morning_message)
        self.widget = look.view([
            look.card([self.day, self.exercise, self.rung, self.figure, self.sets, self.reps,
                       self.seconds, self.pain_before, self.pain_peak, self.pain_after,
                       self.effort, self.note, look.actions([self.save]), self.message]),
            look.card([self.morning_text, self.morning_parts, self.morning_message])])

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
        """Validate and save the entry; say what was saved, or in one line what is missing
        or wrong (and save nothing)."""
        menus = {"sets": self.sets, "pain before": self.pain_before,
                 "worst pain during": self.pain_peak, "pain after": self.pain_after}
        sets, before, peak, after = (look.chosen(menu) for menu in menus.values())
        if sets is None or before is None or peak is None or after is None:
            missing = [name for name, menu in menus.items() if look.chosen(menu) is None]
            self._say(f"Not saved yet: choose a number for {_listed(missing)}.", alert=True)
            return
        typed = {"reps": self.reps.value.strip(), "hold": self.seconds.value.strip()}
        wrong = [f"{name} ({text})" for name, text in typed.items()
                 if text and not text.isdigit()]
        if wrong:
            self._say(f"Not saved: write {_listed(wrong)} as a whole number, like 8, or "
                      "leave it empty.", alert=True)
            return
        reps, seconds = (int(t) if t else None for t in typed.values())
        if reps is None and seconds is None:
            self._say("Not saved yet: give the reps, the hold in seconds, or both.", alert=True)
            return
        entry = SessionLog(
            done_on=self.day.value.isoformat(), exercise=self.exercise.value,
            rung=self.rung.value, sets=sets, reps=reps, seconds=seconds, pain_before=before,
            pain_after=after, pain_peak=peak, effort=look.chosen(self.effort),
            note=self.note.value.strip() or None)
        try:
            self.journal.add(entry)
        except BackcourseError:
            raise  # refused: look.on_click says so, and the form keeps what was typed
        except ValueError as exc:
            self._say(f"Not saved: {exc}.", alert=True)
            return
        self._say(f"Saved: {self.exercise.label}, {self.rung.label}, "
                  f"{spoken(self.day.value)}.")
        for menu in (*menus.values(), self.effort):  # the next exercise is rated afresh
            menu.value = look.CHOOSE
        self.reps.value = self.seconds.value = self.note.value = ""
        self._morning_due()
        if self.on_saved is not None:
            self.on_saved()

    def log_morning(self) -> None:
        pain = look.chosen(self.morning)
        if pain is None:
            self._say("Not saved yet: choose a number for your pain this morning.", alert=True,
                      to=self.morning_message)
            return
        day = self.journal.record_next_day(pain, self.today.isoformat())
        self._say(f"Saved this morning's pain for your session on {spoken(parse_date(day))}."
                  if day else "No earlier session is waiting for a morning rating.",
                  to=self.morning_message)
        self.morning.value = look.CHOOSE
        self._morning_due()
        if day and self.on_saved is not None:
            self.on_saved()

    def _morning_due(self) -> None:
        """Name the session the morning rating is for, or say none is waiting."""
        day = self.journal.morning_due(self.today.isoformat())
        about = (f"How is your back this morning, after your session on "
                 f"{spoken(parse_date(day))}?" if day else
                 "After your next session, come back the next morning and rate your back "
                 "here.")
        self.morning_text.value = render.wrap(f"<h4>The morning after</h4><p>{escape(about)}"
                                              "</p>")
        look.show(self.morning_parts, day is not None)

    def _say(self, news: str, alert: bool = False, to: widgets.HTML | None = None) -> None:
        role = "alert" if alert else "status"
        (to or self.message).value = f'<p role="{role}">{escape(news, quote=False)}</p>'

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)


def _listed(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
