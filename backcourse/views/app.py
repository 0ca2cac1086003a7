"""The learner app: safety check, self-assessment, programme and session log on one page.

``backcourse app`` serves it with Voila, code hidden; a notebook can show it with
``LearnerApp()``. A part always shows what the journal holds now: it is built afresh
whenever the journal has changed since it was built (in the kernel's idle moments, or when
opened). The prose comes from ``data/app.yaml``; the look from ``widgets.css``
(:mod:`backcourse.views.look`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from html import escape
from typing import Protocol

import ipywidgets as widgets

from backcourse.content.load import load_course
from backcourse.core.citations import citations
from backcourse.core.course import Course
from backcourse.core.dates import parse_date
from backcourse.core.program import Active
from backcourse.infra.paths import HOME_ENV, LEARNER_ENV
from backcourse.journal.store import Journal, journal_path
from backcourse.render import html as render
from backcourse.render.pages import stylesheet
from backcourse.views import look
from backcourse.views.learner import Learner
from backcourse.views.player import SessionPlayerView

PREPARE_S = 0.5  # while the learner reads, one section is readied every PREPARE_S
LISTEN_S = 0.1  # how often to look whether the page listens for widgets yet


def app_references(course: Course) -> set[str]:
    """Keys of every source the app's prose and results may cite."""
    keys = course.assessment_refs() | course.measure_refs()
    keys.update(c.key for s in course.app_sections for c in citations(s.intro))
    tables = {t.norms for t in course.battery if t.norms}
    keys.update(n.source for n in course.norms if n.table in tables)
    return keys


class LearnerApp:
    """The app's page: a header, a row of section buttons above the open section, sources
    below. A section is kept while the journal stays the same, so a look elsewhere is quick
    and loses nothing typed; once the journal changes, the sections not on show are built
    afresh (a session underway is kept)."""

    def __init__(self, learner: str = "me", home: str | None = None,
                 today: str | dt.date | None = None) -> None:
        self.course = load_course()
        self.journal = Journal(journal_path(learner, home))
        self.today = parse_date(today) if isinstance(today, str) else today
        about, *self.parts = self.course.app_sections
        self.nav = widgets.ToggleButtons(
            options=[(s.title, s.id) for s in self.parts], value=self.parts[0].id,
            description="Go to", tooltips=[f"Open {s.title}" for s in self.parts],
            style={"button_width": "auto"})
        self.nav.add_class("bc-nav")
        self.body = widgets.VBox()
        self.body.add_class("bc-body")
        self._built: dict[str, tuple[tuple[object, dt.date], list[widgets.Widget]]] = {}
        self._session: SessionPlayerView | None = None  # kept while a session is underway
        self.nav.observe(lambda change: self.show(change["new"]), names="value")
        header = widgets.HTML(stylesheet("widgets.css") + render.wrap(
            f'<div class="bc-banner"><h1>{escape(about.title)}</h1></div>',
            render.prose(about.intro)))
        refs = (self.course.reference(k) for k in app_references(self.course))
        sources = widgets.HTML(render.wrap(render.reference_list(refs, folded=True)))
        sources.add_class("bc-sources")
        self.widget = widgets.VBox([header, self.nav, self.body, sources])
        for name in ("bc-view", "bc-app"):
            self.widget.add_class(name)
        self.show(self.nav.value)
        _while_idle(self.prepare, alive=lambda: self.widget.comm is not None)

    @classmethod
    def from_environment(cls) -> LearnerApp:
        """The app for the learner and data folder named by the environment (as the CLI sets)."""
        return cls(os.environ.get(LEARNER_ENV) or "me", os.environ.get(HOME_ENV) or None)

    def show(self, part: str) -> None:
        """Open one section: as it was, unless the journal (or the day) has changed since."""
        now = self._now()
        if self._stale(part, now):
            self._make(part, now)
        self.body.children = self._built[part][1]

    def prepare(self) -> None:
        """Build one section that is not on show and is missing or out of date, so that
        opening it later is quick; the kernel calls this while the learner reads."""
        now = self._now()
        for section in self.parts:
            if section.id != self.nav.value and self._stale(section.id, now):
                self._make(section.id, now)
                return

    def _now(self) -> tuple[object, dt.date]:
        return self.journal.state, self.today or dt.date.today()

    def _stale(self, part: str, now: tuple[object, dt.date]) -> bool:
        built = self._built.get(part)
        underway = part == "session" and self._session is not None and self._session.underway
        return built is None or (built[0] != now and not underway)

    def _make(self, part: str, now: tuple[object, dt.date]) -> None:
        for old in self._built.pop(part, (now, []))[1]:
            _close(old)
        section = next(s for s in self.parts if s.id == part)
        heading = widgets.HTML(render.wrap(f"<h2>{escape(section.title)}</h2>",
                                           render.prose(section.intro)))
        self._built[part] = (now, [heading, *self._build(part)])

    def _build(self, part: str) -> list[widgets.Widget]:
        learner = self.learner_pages()
        if part == "safety":
            return [learner.safety_screen().widget]
        if part == "assessment":
            return [_widget(learner.battery()), learner.measures().widget,
                    learner.start_back().widget]
        if part == "programme":
            plan = look.card([_widget(learner.programme())])
            if not isinstance(learner.status(), Active):
                return [plan]  # the plan's place says why; the charts would repeat it
            return [plan, look.card([_widget(learner.outcomes())]),
                    look.card([_widget(learner.charts())])]
        if part == "session":
            shown = learner.session_player()
            self._session = None if isinstance(shown, str) else shown
            return [_widget(shown)]
        logged = widgets.HTML()

        def refresh() -> None:
            logs = self.journal.sessions()
            logged.value = render.wrap(render.session_table(logs, self.course))

        refresh()
        return [_widget(learner.session_log(on_saved=refresh)), look.card([logged])]

    def learner_pages(self) -> Learner:
        """The learner's pages as of today (a date given at start stands for every day)."""
        today = self.today or dt.date.today()
        return Learner(self.course, self.journal, today, render.APP)

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)


class View(Protocol):
    """Anything with a widget to show: every view in :mod:`backcourse.views`."""

    widget: widgets.Widget


def _widget(shown: str | View) -> widgets.Widget:
    """A view's widget, or an HTML fragment (such as a withheld plan) as a widget."""
    return widgets.HTML(shown) if isinstance(shown, str) else shown.widget


def _while_idle(call: Callable[[], None], alive: Callable[[], bool]) -> None:
    """In a kernel (a notebook, the app), call ``call`` every PREPARE_S on the kernel's own
    thread, between the learner's clicks, while ``alive()``; elsewhere, never. It starts
    once the page has fetched the widgets it shows (it opens ipywidgets' control channel
    for that): widgets made before would reach a page that is not yet listening."""
    from IPython import get_ipython

    loop = getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)
    if loop is None:
        return

    def turn(listening: bool) -> None:
        if not alive():
            return
        if not listening:  # first let the page draw what it shows
            now = getattr(widgets.Widget, "_control_comm", None) is not None
            loop.call_later(PREPARE_S if now else LISTEN_S, turn, now)
            return
        try:
            call()
        except Exception:  # a click builds the section itself, and shows what went wrong
            return
        loop.call_later(PREPARE_S, turn, True)

    loop.call_later(LISTEN_S, turn, False)


def _close(widget: widgets.Widget) -> None:
    """Close a widget and everything inside it, so a replaced section frees its models."""
    for child in getattr(widget, "children", ()):
        _close(child)
    widget.close()
