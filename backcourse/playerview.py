"""The guided session player: a thin ipywidgets view over :class:`core.player.Player`.

A background thread calls :meth:`SessionPlayerView.tick` a few times a second while a
countdown runs; tests pass ``ticker=False`` and a fake clock and call ``tick`` themselves.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Sequence
from html import escape

import ipywidgets as widgets

from . import render
from .core.model import Course, Exercise, Rung
from .core.player import Player
from .figures import figure_for, figure_html
from .journal import Journal

PAIN = [(str(i), i) for i in range(11)]
TICK_S = 0.2


class SessionPlayerView:
    """Today's session, one set at a time: figure, cues, countdown, reps, pain, stop."""

    def __init__(self, course: Course, journal: Journal, today: dt.date,
                 session: Sequence[tuple[Exercise, Rung]],
                 clock: Callable[[], float] = time.monotonic, ticker: bool = True,
                 places: render.Places = render.NOTEBOOKS) -> None:
        self.course, self.journal, self.today, self.places = course, journal, today, places
        self.player = Player(session, clock)
        self.ticker = ticker
        self.heading = widgets.HTML()
        self.figure = widgets.HTML()
        self.clock = widgets.HTML()
        self.status = widgets.HTML()
        self.pain = widgets.Dropdown(description="Pain now (0-10)", options=PAIN, value=0,
                                     style={"description_width": "initial"})
        self.start = widgets.Button(description="Start the session", button_style="primary")
        self.rep = widgets.Button(description="+1 rep", tooltip="Count one rep")
        self.end_set = widgets.Button(description="Set done", tooltip="Finish this set now")
        self.skip = widgets.Button(description="Skip the rest", tooltip="Start the next set now")
        self.stop = widgets.Button(description="Stop: pain or unwell", button_style="danger",
                                   tooltip="Stop the session and see what to do")
        self.save = widgets.Button(description="Finish and save", button_style="primary")
        self.start.on_click(lambda _b: self._act(lambda: self.player.begin(self.pain.value)))
        self.rep.on_click(lambda _b: self._act(self.player.add_rep))
        self.end_set.on_click(lambda _b: self._act(self.player.end_set))
        self.skip.on_click(lambda _b: self._act(self.player.skip_rest))
        self.stop.on_click(lambda _b: self._act(self.player.stop))
        self.save.on_click(lambda _b: self._act(self._finish))
        self.buttons = widgets.HBox([self.start, self.rep, self.end_set, self.skip, self.save,
                                     self.stop])
        self.widget = widgets.VBox([self.heading, self.figure, self.clock, self.pain,
                                    self.buttons, self.status])
        self._shown_move = ""
        self._saved = 0
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._show()

    # --- actions ----------------------------------------------------------------------
    def _act(self, action: Callable[[], None]) -> None:
        with self._lock:
            try:
                action()
            except ValueError as exc:
                self.status.value = f'<p role="alert">{escape(str(exc))}.</p>'
                return
            self._show()
        self._run_ticker()

    def _finish(self) -> None:
        self.player.finish(self.pain.value)
        saved = [self.journal.add(entry) for entry in self.player.logs(self.today.isoformat())]
        self._saved = len(saved)

    def tick(self) -> None:
        """Let the player move on if a countdown has ended, and redraw."""
        with self._lock:
            self.player.tick()
            self._show()

    def _run_ticker(self) -> None:
        if not self.ticker or (self._thread and self._thread.is_alive()):
            return

        def run() -> None:
            while self.player.phase in ("work", "rest"):
                time.sleep(TICK_S)
                self.tick()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    # --- drawing ----------------------------------------------------------------------
    def _show(self) -> None:
        p = self.player
        phase = p.phase
        visible = {
            self.start: phase == "pain before",
            self.rep: phase == "work" and p.step.hold_s is None,
            self.end_set: phase == "work",
            self.skip: phase == "rest",
            self.save: phase == "pain after",
            self.stop: phase in ("pain before", "work", "rest"),
        }
        for button, shown in visible.items():
            button.layout.display = None if shown else "none"
        self.pain.layout.display = None if phase in ("pain before", "pain after") else "none"
        if phase in ("work", "rest"):
            self._show_step()
        elif phase == "pain before":
            self.heading.value = render.wrap(
                f"<h3>Today's session: {len(p.steps)} sets</h3><p>How is your back right now? "
                "Rate it, then start. Stop at any time if pain flares.</p>")
        elif phase == "pain after":
            self.figure.value, self.clock.value = "", ""
            self.heading.value = render.wrap(self._stop_advice() if p.stopped else
                                             "<h3>Well done: every set is done.</h3>",
                                             "<p>How is your back now? Rate it, then save.</p>")
        else:
            self.heading.value = render.wrap(
                f'<h3>Saved to your journal</h3><p role="status">{self._saved} exercise(s) '
                f"logged for {self.today:%d %b %Y}. Tomorrow morning, rate your back in the "
                "session log.</p>")

    def _show_step(self) -> None:
        p, w = self.player, self.player.step
        side = f", {w.side} side" if w.side else ""
        if p.phase == "rest":
            after = p.steps[p.index + 1]
            what = f"Rest. Next: {after.move.name}, set {after.set_no}"
            self.status.value = '<p role="status">Rest now.</p>'
        else:
            what = f"Set {w.set_no} of {w.move.dose.sets}{side}"
            self.status.value = f'<p role="status">{escape(what)}.</p>'
        self.heading.value = render.wrap(
            f"<h3>{escape(w.exercise.name)}: {escape(w.move.name)}</h3>"
            f"<p><strong>{escape(what)}</strong> · {escape(w.move.dose.describe())}<br>"
            f"Cues: {escape('; '.join(w.move.cues))}.</p>")
        if self._shown_move != w.move.id:
            self.figure.value = render.wrap(figure_html(figure_for(self.course, w.move.id)))
            self._shown_move = w.move.id
        left = p.remaining
        count = "" if left is None else f"{left:0.0f} s"
        label = {"rest": "rest", "work": "pause" if p.pausing else "hold"}[p.phase]
        reps = f"Rep {min(p.rep + 1, w.reps)} of {w.reps}" if w.reps else ""
        self.clock.value = (f'<div role="timer" aria-label="{label}" style="font-size:2.2em;'
                            f'font-weight:700">{escape(count)} <small style="font-size:0.45em">'
                            f"{escape(label if count else '')}</small></div>"
                            f"<p>{escape(reps)}</p>")

    def _stop_advice(self) -> str:
        rule = self.course.rule_for("regress")
        x = self.player.step.exercise
        return ('<div class="bc-box bc-warn"><p><strong>You stopped. That was the right '
                "call.</strong></p><p>Rest in a comfortable position. If the pain settles "
                f"within a few minutes, you can try again another day. {escape(rule.says)}</p>"
                f"<p>Stop this exercise if: {escape('; '.join(x.stop_if))}.</p>"
                "<p>If the pain does not settle, spreads down a leg, or you notice any warning "
                f"sign, take the safety check again in {escape(self.places.screen)} and see a "
                "clinician.</p></div>")

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)
