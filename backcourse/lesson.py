"""What the notebooks call: each function returns something Jupyter displays.

Keep notebooks short: ``from backcourse import lesson`` then ``lesson.intro("03")`` and so on.
This module only finds the course, the learner's journal and the date, and hands them to
the render layer (content) or to :class:`backcourse.views.learner.Learner` (the learner's
own data). It keeps one piece of memory per kernel, :data:`KERNEL`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from backcourse.content.load import load_course
from backcourse.core.dates import parse_date
from backcourse.core.parameters import check_parameters as check_parameters
from backcourse.core.schedule import weekly_plan
from backcourse.infra.paths import notebooks_dir
from backcourse.render import html as render
from backcourse.render.html import Html, Places

if TYPE_CHECKING:  # the learner's data and widgets load only when a notebook uses them
    from backcourse.core.program import ProgramStatus
    from backcourse.journal.store import Journal
    from backcourse.views.assess import BatteryView, StartBackView
    from backcourse.views.learner import Learner
    from backcourse.views.log import SessionLogView
    from backcourse.views.measures import MeasuresView
    from backcourse.views.player import SessionPlayerView
    from backcourse.views.quiz import QuizView
    from backcourse.views.screen import ScreenView

_CITED = re.compile(r'href="#ref-([a-z0-9-]+)"')


@dataclasses.dataclass
class Kernel:
    """What one notebook kernel remembers between cells: the sources shown so far (for
    :func:`references`), and each journal opened, kept open for its widgets."""

    cited: set[str] = dataclasses.field(default_factory=set)
    journals: dict[str, Journal] = dataclasses.field(default_factory=dict)


KERNEL = Kernel()


def wrap(*parts: str) -> Html:
    """Style the fragments and remember which sources they cite."""
    return _noted(render.wrap(*parts))


def _noted(html: Html) -> Html:
    """Remember which sources a styled fragment cites, for :func:`references`."""
    KERNEL.cited.update(_CITED.findall(html))
    return html


# the course -------------------------------------------------------------------------------

def intro(unit_id: str) -> Html:
    """Learning objectives and time needed for a unit."""
    return wrap(render.unit_intro(load_course().unit(unit_id)))


def key_points(unit_id: str) -> Html:
    return wrap(render.key_points(load_course().unit(unit_id)))


def evidence(unit_id: str) -> Html:
    """The evidence table for a unit: claims, how sure we can be, and sources."""
    course = load_course()
    statements = [course.statement(i) for i in course.unit(unit_id).evidence]
    return wrap(render.evidence_table(statements, course))


def habit_evidence() -> Html:
    """Every habit with the evidence behind it."""
    return wrap(render.habit_evidence(load_course()))


def coverage() -> Html:
    """The exercise-by-habit coverage matrix."""
    return wrap(render.coverage_matrix(load_course()))


def exercise(exercise_id: str) -> Html:
    """An exercise card with its whole ladder."""
    course = load_course()
    return wrap(render.exercise_card(course.exercise(exercise_id), course))


def what_you_need() -> Html:
    """What every level needs, how to use it safely and what to do without it."""
    return wrap(render.what_you_need(load_course()))


def glossary() -> Html:
    """The course's words in plain words, with each term in brackets."""
    return wrap(render.glossary(load_course()))


def readiness() -> Html:
    """The capstone's readiness criteria."""
    return wrap(render.readiness_table(load_course()))


def red_flags() -> Html:
    """The safety questions, grouped by what to do on a yes."""
    return wrap(render.red_flag_list(load_course()))


def norms(table: str) -> Html:
    """A published norms table, each row with its source."""
    course = load_course()
    return wrap(render.norms_table(course.norms_for(table), course, course.result_names()))


def norms_chart(table: str, caption: str) -> Html:
    from backcourse.render.charts import norm_means

    course = load_course()
    return wrap(render.figure(norm_means(course.norms_for(table), course.result_names()),
                              caption))


def effect_chart(unit_id: str, caption: str) -> Html:
    """The unit's pooled effect sizes against the mark of an important change."""
    from backcourse.render.charts import effect_sizes

    course = load_course()
    chart = effect_sizes([course.statement(i) for i in course.unit(unit_id).evidence])
    return wrap(render.figure(chart, caption))


def week_plan(weeks: int, sessions_per_week: int, start: str | dt.date | None = None,
              rungs: Mapping[str, str] | None = None) -> Html:
    """A plain table of planned sessions; ``rungs`` picks a level per prerequisite (default 1)."""
    return wrap(render.week_plan(weekly_plan(load_course(), start=_day(start), weeks=weeks,
                                             sessions_per_week=sessions_per_week, rungs=rungs)))


def mini_program() -> Html:
    """The three prerequisites as a stand-alone programme of fixed length (from data)."""
    (programme,) = load_course().programmes
    return wrap(render.mini_program(programme))


def progression_rules() -> Html:
    """The rules that move each ladder up, hold it, or step it back, with their sources."""
    course = load_course()
    return wrap(render.rules_table(course.rules, course))


def quiz(unit_id: str) -> QuizView:
    """The unit's knowledge check as a widget."""
    from backcourse.views.quiz import QuizView

    course = load_course()
    return QuizView(course.quiz_for(unit_id), course)


def cited_keys(unit_id: str) -> set[str]:
    """Reference keys a unit uses: its notebook's citations, its quiz, and all shown so far."""
    from backcourse.core.citations import citations
    from backcourse.infra import notebooks as ipynb

    course = load_course()
    unit = course.unit(unit_id)
    keys = {c.key for cell in ipynb.markdown(notebooks_dir() / unit.notebook)
            for c in citations(cell.source)}
    keys.update(k for q in course.quiz_for(unit_id) for k in q.refs)
    return keys | KERNEL.cited


def references(unit_id: str) -> Html:
    """The reference list for everything the unit cites (run it last)."""
    course = load_course()
    return wrap(render.reference_list(course.reference(k) for k in cited_keys(unit_id)))


# the learner's own data ------------------------------------------------------------------

def journal(learner: str = "me", home: str | None = None) -> Journal:
    """The learner's journal (opened once per kernel and kept open for the widgets)."""
    from backcourse.journal.store import Journal, journal_path

    path = str(journal_path(learner, home))
    if path not in KERNEL.journals:
        KERNEL.journals[path] = Journal(path)
    return KERNEL.journals[path]


def _day(today: str | dt.date | None) -> dt.date:
    if not isinstance(today, str):
        return today or dt.date.today()
    try:
        return parse_date(today)
    except ValueError as exc:
        raise ValueError(f"today: {exc}") from None


def _learner(learner: str, home: str | None, today: str | dt.date | None = None,
             places: Places = render.NOTEBOOKS) -> Learner:
    from backcourse.views.learner import Learner

    return Learner(load_course(), journal(learner, home), _day(today), places)


def status(learner: str = "me", home: str | None = None) -> ProgramStatus:
    return _learner(learner, home).status()


def safety_screen(learner: str = "me", home: str | None = None,
                  today: str | dt.date | None = None, *,
                  places: Places = render.NOTEBOOKS) -> ScreenView:
    """The red-flag screen; the result is saved in the learner's journal."""
    return _learner(learner, home, today, places).safety_screen()


def my_program(learner: str = "me", home: str | None = None, weeks: int = 8,
               sessions_per_week: int = 3, today: str | dt.date | None = None, *,
               places: Places = render.NOTEBOOKS) -> Html:
    """Next steps, the coming weeks and capstone readiness; withheld on a red flag."""
    return _noted(_learner(learner, home, today, places).programme(weeks, sessions_per_week))


def my_readiness(learner: str = "me", home: str | None = None) -> Html:
    """The learner's own readiness for the capstone (withheld on a red flag or while pain
    is rising)."""
    return _noted(_learner(learner, home).readiness())


def progress_charts(learner: str = "me", home: str | None = None, weeks: int = 8,
                    sessions_per_week: int = 3, *, places: Places = render.NOTEBOOKS) -> Html:
    """Pain trend, ladder levels, sessions per week and hold times, each with alt text."""
    return _noted(_learner(learner, home, places=places).charts(weeks, sessions_per_week))


def session_log(learner: str = "me", home: str | None = None,
                today: str | dt.date | None = None, *, places: Places = render.NOTEBOOKS,
                on_saved: Callable[[], None] | None = None) -> SessionLogView | Html:
    """The session-log form, set to the levels the programme suggests."""
    return _learner(learner, home, today, places).session_log(on_saved)


def session_player(learner: str = "me", home: str | None = None,
                   today: str | dt.date | None = None, *,
                   places: Places = render.NOTEBOOKS) -> SessionPlayerView | Html:
    """Today's session from the plan, guided one set at a time and saved to the journal."""
    return _learner(learner, home, today, places).session_player()


def outcome_measures(learner: str = "me", home: str | None = None,
                     today: str | dt.date | None = None) -> MeasuresView:
    """Pain, daily tasks and (at a retest) the overall change, saved to the journal."""
    return _learner(learner, home, today).measures()


def my_outcomes(learner: str = "me", home: str | None = None,
                today: str | dt.date | None = None, *, places: Places = render.NOTEBOOKS) -> Html:
    """The outcome measures: the start against the latest retest with the smallest change
    that matters, and each over time (when to retest is in :func:`my_program`)."""
    return _noted(_learner(learner, home, today, places).outcomes())


def start_back(learner: str = "me", home: str | None = None,
               today: str | dt.date | None = None) -> StartBackView:
    """The STarT Back questions (paraphrased), scored and saved to the journal."""
    return _learner(learner, home, today).start_back()


def battery(learner: str = "me", home: str | None = None,
            today: str | dt.date | None = None, *,
            places: Places = render.NOTEBOOKS) -> BatteryView | Html:
    """The baseline self-tests; only after a safety check that allows exercise."""
    return _learner(learner, home, today, places).battery()
