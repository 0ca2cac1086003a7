"""The learner app: safety check, self-assessment, programme and session log on one page.

``backcourse app`` serves it with Voila, code hidden; a notebook can show it with
``LearnerApp()``. Each part is rebuilt when the learner opens it, so it always shows what
the journal holds now. The prose comes from ``data/app.yaml``.
"""

from __future__ import annotations

import datetime as dt
import os
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
from backcourse.views.learner import Learner
from backcourse.views.player import SessionPlayerView

# Visible keyboard focus on every control, and AA contrast for the quieter text.
STYLE = """<style>
.bc-app :focus-visible, .bc-app button:focus, .bc-app input:focus, .bc-app select:focus {
  outline: 3px solid #0b57d0 !important; outline-offset: 2px;
}
.bc-app input::placeholder {color: #595959; opacity: 1}
.bc-app .widget-label, .bc-app .widget-readout {color: #1f1f1f}
.bc-app .jupyter-button.mod-primary {background-color: #0b57d0}
</style>"""


def app_references(course: Course) -> set[str]:
    """Keys of every source the app's prose and results may cite."""
    keys = course.assessment_refs() | course.measure_refs()
    keys.update(c.key for s in course.app_sections for c in citations(s.intro))
    tables = {t.norms for t in course.battery if t.norms}
    keys.update(n.source for n in course.norms if n.table in tables)
    return keys


class LearnerApp:
    """The app's page: a row of section buttons above the open section, sources below."""

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
        self.body = widgets.VBox()
        self._session: SessionPlayerView | None = None  # kept while a session is underway
        self.nav.observe(lambda change: self.show(change["new"]), names="value")
        header = widgets.HTML(STYLE + render.wrap(f"<h1>{escape(about.title)}</h1>",
                                                  render.prose(about.intro)))
        refs = (self.course.reference(k) for k in app_references(self.course))
        sources = widgets.HTML(render.wrap(render.reference_list(refs)))
        self.widget = widgets.VBox([header, self.nav, self.body, sources])
        self.widget.add_class("bc-app")
        self.show(self.nav.value)

    @classmethod
    def from_environment(cls) -> LearnerApp:
        """The app for the learner and data folder named by the environment (as the CLI sets)."""
        return cls(os.environ.get(LEARNER_ENV) or "me", os.environ.get(HOME_ENV) or None)

    def show(self, part: str) -> None:
        """Open one section, rebuilt from the journal."""
        section = next(s for s in self.parts if s.id == part)
        heading = widgets.HTML(render.wrap(f"<h2>{escape(section.title)}</h2>",
                                           render.prose(section.intro)))
        keep = self._session.widget if self._session and self._session.underway else None
        for old in self.body.children:
            if old is not keep:
                _close(old)
        self.body.children = [heading, *self._build(part)]

    def _build(self, part: str) -> list[widgets.Widget]:
        learner = self.learner_pages()
        if part == "safety":
            return [learner.safety_screen().widget]
        if part == "assessment":
            return [_widget(learner.battery()), learner.measures().widget,
                    learner.start_back().widget]
        if part == "programme":
            plan = _widget(learner.programme())
            if not isinstance(learner.status(), Active):
                return [plan]  # the plan's place says why; the charts would repeat it
            return [plan, widgets.HTML(learner.outcomes()), _widget(learner.charts())]
        if part == "session":
            if self._session is None or not self._session.underway:
                shown = learner.session_player()
                if isinstance(shown, str):
                    return [widgets.HTML(shown)]
                self._session = shown
            return [self._session.widget]  # a session underway survives a look elsewhere
        logged = widgets.HTML()

        def refresh() -> None:
            logs = self.journal.sessions()
            logged.value = render.wrap(render.session_table(logs, self.course))

        refresh()
        return [_widget(learner.session_log(on_saved=refresh)), logged]

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


def _close(widget: widgets.Widget) -> None:
    """Close a widget and everything inside it, so a replaced section frees its models."""
    for child in getattr(widget, "children", ()):
        _close(child)
    widget.close()
