"""The guided session player: a thin ipywidgets view over :class:`core.player.Player`.

A task on the kernel's event loop calls :meth:`SessionPlayerView.tick` a few times a second
while a countdown runs (one way under IPython's kernel and the browser's Pyodide kernel);
tests pass ``ticker=False`` and a fake clock and call ``tick`` themselves.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import math
import time
from collections.abc import Callable, Sequence
from html import escape

import ipywidgets as widgets

from backcourse.core.course import Course
from backcourse.core.dates import spoken
from backcourse.core.errors import BackcourseError
from backcourse.core.model import Exercise, Rung
from backcourse.core.player import Player
from backcourse.journal.store import Journal
from backcourse.render import html as render
from backcourse.render.figures import figure_for, figure_html
from backcourse.views import look

TICK_S = 0.2
MAX_GAP_S = 5.0  # a longer silence means the page slept: freeze the countdown


class SessionPlayerView:
    """Today's session, one set at a time: figure, cues, countdown, reps, pain, stop."""

    def __init__(self, course: Course, journal: Journal, today: dt.date,
                 session: Sequence[tuple[Exercise, Rung]],
                 clock: Callable[[], float] = time.monotonic, ticker: bool = True,
                 places: render.Places = render.NOTEBOOKS) -> None:
        self.course, self.journal, self.today, self.places = course, journal, today, places
        self.player = Player(session, clock, max_gap=MAX_GAP_S if ticker else None)
        self.ticker = ticker
        self.heading = widgets.HTML()
        self.figure = widgets.HTML()
        self.clock = widgets.HTML()
        # one live region, changed only when there is news, so screen readers announce it
        self.status = widgets.HTML('<p aria-live="polite"></p>')
        self.pain = look.number_menu("Pain now (0-10)")
        self.peak = look.number_menu("Worst pain during the session (0-10)")
        self.start = widgets.Button(description="Start the session", button_style="primary")
        self.hold = widgets.Button(description="Start the hold", button_style="primary",
                                   tooltip="Press when you are in position")
        self.rep = widgets.Button(description="+1 rep", tooltip="Count one rep")
        self.end_set = widgets.Button(description="Set done", tooltip="Finish this set now")
        self.skip = widgets.Button(description="Skip the rest", tooltip="Go to the next set now")
        self.resume = widgets.Button(description="Resume", button_style="primary",
                                     tooltip="Restart the paused countdown")
        self.stop = widgets.Button(description="Stop: pain or unwell", button_style="danger",
                                   tooltip="Stop the session and see what to do")
        self.save = widgets.Button(description="Finish and save", button_style="primary")
        actions = {self.start: self._begin, self.hold: self.player.start_hold,
                   self.rep: self.player.add_rep, self.end_set: self.player.end_set,
                   self.skip: self.player.skip_rest, self.resume: self.player.resume,
                   self.stop: self.player.stop, self.save: self._finish}
        for button, action in actions.items():
            look.on_click(button, functools.partial(self._act, action), self.status)
        self.buttons = look.actions(list(actions))
        self.widget = look.view([look.card([self.heading, self.figure, self.clock, self.peak,
                                            self.pain, self.buttons, self.status])])
        self._shown_move = ""
        self._news = ""
        self._saved = 0
        self._task: asyncio.Task[None] | None = None  # the ticker, kept alive while it runs
        self._show()

    # --- actions ----------------------------------------------------------------------
    def _act(self, action: Callable[[], None]) -> None:
        try:
            action()
        except BackcourseError:
            raise  # refused: look.on_click says so
        except ValueError as exc:
            self._say(f"{exc}.", alert=True)
            return
        self._show()
        self._run_ticker()

    def _rating(self, menu: widgets.Dropdown, what: str) -> int:
        value = look.chosen(menu)
        if value is None:
            raise ValueError(f"choose {what}, from 0 to 10")
        return value

    def _begin(self) -> None:
        self.player.begin(self._rating(self.pain, "how much it hurts now"))
        self.pain.value = look.CHOOSE  # the closing rating is asked afresh

    def _finish(self) -> None:
        self.player.finish(self._rating(self.pain, "how much it hurts now"),
                           self._rating(self.peak, "how much it hurt at its worst during the "
                                        "session"))
        logs = self.player.logs(self.today.isoformat())
        try:
            self.journal.add_all(logs)
        except BackcourseError:
            self.player.phase = "pain after"  # not saved: the ratings stay, to save again
            raise
        self._saved = len(logs)

    def tick(self) -> None:
        """Let the player move on if a countdown has ended, and redraw."""
        self.player.tick()
        self._show()

    @property
    def underway(self) -> bool:
        """Started and not yet saved: leaving it would lose the session."""
        return self.player.phase not in ("pain before", "done")

    def _run_ticker(self) -> None:
        """While a countdown runs, tick a few times a second: a task on the kernel's event
        loop, which IPython's kernel and the browser's Pyodide kernel both run (Pyodide
        starts no threads, and a loop needs no lock)."""
        if not self.ticker or (self._task is not None and not self._task.done()):
            return
        self._task = asyncio.get_running_loop().create_task(self._ticks())

    async def _ticks(self) -> None:
        while self._going():
            await asyncio.sleep(TICK_S)
            if not self._ticked():
                return

    def _going(self) -> bool:
        return self.player.counting and self.widget.comm is not None  # until closed

    def _ticked(self) -> bool:
        """One tick of the ticker; False if it failed (the learner is told)."""
        try:
            self.tick()
        except Exception as exc:  # keep the learner informed, never die silently
            self._say(f"The timer stopped: {exc}. Use Set done to go on.", alert=True)
            return False
        return True

    # --- drawing ----------------------------------------------------------------------
    def _say(self, news: str, alert: bool = False) -> None:
        if news != self._news or alert:
            self._news = news
            role = ' role="alert"' if alert else ""
            self.status.value = f'<p aria-live="polite"{role}>{escape(news)}</p>'

    def _show(self) -> None:
        p = self.player
        phase, stage = p.phase, p.stage
        visible = {
            self.start: phase == "pain before",
            self.hold: stage == "ready" and p.frozen is None,
            self.rep: stage == "reps",
            self.end_set: phase == "work" and p.frozen is None,
            self.skip: phase == "rest" and p.frozen is None,
            self.resume: p.frozen is not None,
            self.save: phase == "pain after",
            self.stop: phase in ("pain before", "work", "rest"),
        }
        for button, shown in visible.items():
            look.show(button, shown)
        look.show(self.pain, phase in ("pain before", "pain after"))
        look.show(self.peak, phase == "pain after")
        if phase in ("work", "rest"):
            self._show_step()
        elif phase == "pain before":
            self.heading.value = render.wrap(
                f"<h3>Today's session: {len(p.steps)} sets</h3>",
                render.what_you_need(self.course, dict.fromkeys(s.rung for s in p.steps)),
                "<p>How is your back right now? Choose a number, then start. Stop at any time "
                "if pain flares.</p>")
        elif phase == "pain after":
            self.figure.value, self.clock.value = "", ""
            self.heading.value = render.wrap(self._stop_advice() if p.stopped else
                                             "<h3>Well done: every set is done.</h3>",
                                             "<p>How bad was the pain at its worst during "
                                             "the session, and how is your back now? Choose "
                                             "both numbers, then save.</p>")
            self._say("Stopped. Rate your pain, then save." if p.stopped else
                      "Session done. Rate your pain at its worst and now, then save.")
        else:
            self.heading.value = render.wrap(
                f"<h3>Saved to your journal</h3><p>{_exercises(self._saved)} logged for "
                f"{spoken(self.today)}. Tomorrow morning, rate your back in the session "
                "log.</p>")
            self._say(f"Saved {_exercises(self._saved)} to your journal.")

    def _show_step(self) -> None:
        w = self.player.step
        side = f", {w.side} side" if w.side else ""
        where = f"Set {w.set_no} of {w.move.dose.sets}{side}"
        goal = f" Goal for this level: {w.goal_s} s." if w.goal_s and w.goal_s > (w.hold_s or 0) \
            else ""
        self.heading.value = render.wrap(
            f"<h3>{escape(w.exercise.name)}: {escape(w.move.name)}</h3>"
            f"<p><strong>{escape(where)}</strong> · {escape(w.move.dose.describe())}."
            f"{escape(goal)}<br>Cues: {escape('; '.join(w.move.cues))}.</p>")
        if self._shown_move != w.move.id:
            self.figure.value = render.wrap(figure_html(figure_for(self.course, w.move.id),
                                                        large=True))
            self._shown_move = w.move.id
        self.clock.value = self._clock_html()
        self._say(self._news_now(where))

    def _news_now(self, where: str) -> str:
        p, w = self.player, self.player.step
        if p.frozen is not None:
            return "Paused: the timer stopped while the page was asleep. Press Resume."
        if p.phase == "rest":
            after = p.next_step
            return f"Rest. Next: {after.move.name}, set {after.set_no}." if after else "Rest."
        if p.stage == "ready":
            return f"{where}. Get into position, then press Start the hold."
        if p.stage == "reps":
            return f"{where}. Rep {p.rep} of {w.reps} done."
        if p.stage == "pause":
            return f"Relax. Rep {p.rep} of {w.reps} done."
        if w.reps is not None:
            return f"Hold. Rep {p.rep + 1} of {w.reps}."
        held = p.held or 0.0
        if w.hold_s is not None and held >= w.hold_s:
            return (f"Today's hold is done. Keep going to {w.goal_s} s if it feels fine, or "
                    "press Set done.")
        return f"Hold for {w.hold_s} s." if w.hold_s is not None else "Hold."

    def _clock_html(self) -> str:
        p = self.player
        left = p.frozen if p.frozen is not None else p.remaining
        if left is None:
            return ""
        label = {"hold": "hold", "pause": "relax", "resting": "rest"}.get(p.stage, "")
        said = f"{label} left"
        w, held = p.step, p.held
        if (p.frozen is None and held is not None and w.reps is None and w.hold_s is not None
                and w.goal_s is not None and w.goal_s > w.hold_s):
            # a hold-only move counts to its dose, then on to the level's goal if it feels fine
            if held < w.hold_s:
                left, said = w.hold_s - held, f"to go (today's hold: {w.hold_s} s)"
            else:
                said = f"more to the level's goal of {w.goal_s} s, if it feels fine"
        return (f'<div role="timer" aria-label="{label} countdown" style="font-size:2.2em;'
                f'font-weight:700">{math.ceil(left)} s <small style="font-size:0.45em">'
                f"{escape(said)}</small></div>")

    def _stop_advice(self) -> str:
        rule = self.course.rule_for("regress")
        x = self.player.step.exercise
        return ('<div class="bc-box bc-warn"><p><strong>You stopped. That was the right '
                "call.</strong></p><p>Rest in a comfortable position. If the pain settles "
                f"within a few minutes, you can try again another day. {escape(rule.says)}</p>"
                f"<p>Stop this exercise if: {escape('; '.join(self.course.stops([x])))}.</p>"
                "<p>If the pain does not settle, spreads down a leg, or you notice any warning "
                f"sign, take the safety check again in {escape(self.places.screen)} and see a "
                "clinician.</p></div>")

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)


def _exercises(count: int) -> str:
    return f"{count} exercise{'' if count == 1 else 's'}"
