"""What the notebooks call: each function returns something Jupyter displays.

Keep notebooks short: ``from backcourse import lesson`` then ``lesson.intro("03")`` and so on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from html import escape
from typing import TYPE_CHECKING

from . import render
from .content import load_course
from .core.dates import parse_date
from .core.parameters import check_parameters as check_parameters
from .core.schedule import weekly_plan
from .paths import notebooks_dir
from .render import Html, Places

if TYPE_CHECKING:  # the learner's data and widgets load only when a notebook uses them
    from .assessviews import BatteryView, StartBackView
    from .journal import Journal
    from .playerview import SessionPlayerView
    from .program import ProgramStatus
    from .views import QuizView, ScreenView, SessionLogView



_CITED = re.compile(r'href="#ref-([a-z0-9-]+)"')
_shown: set[str] = set()  # reference keys displayed in this kernel, for references()


def wrap(*parts: str) -> Html:
    """Style the fragments and remember which sources they cite."""
    html = render.wrap(*parts)
    _shown.update(_CITED.findall(html))
    return html


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
    course = load_course()
    parts = [
        f"<h4>{escape(h.name)}</h4><p>{escape(h.summary)}</p>"
        + render.evidence_table([course.statement(e) for e in h.evidence], course)
        for h in course.habits
    ]
    return wrap(*parts)


def coverage() -> Html:
    """The exercise-by-habit coverage matrix."""
    return wrap(render.coverage_matrix(load_course()))


def exercise(exercise_id: str) -> Html:
    """An exercise card with its whole ladder."""
    course = load_course()
    return wrap(render.exercise_card(course.exercise(exercise_id), course))


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
    from .plots import norm_means, to_png_base64

    course = load_course()
    fig, alt = norm_means(course.norms_for(table), course.result_names())
    return wrap(render.figure(to_png_base64(fig), alt, caption))


def effect_chart(unit_id: str, caption: str) -> Html:
    """The unit's pooled effect sizes against the mark of an important change."""
    from .plots import effect_sizes, to_png_base64

    course = load_course()
    fig, alt = effect_sizes([course.statement(i) for i in course.unit(unit_id).evidence])
    return wrap(render.figure(to_png_base64(fig), alt, caption))


def week_plan(
    weeks: int,
    sessions_per_week: int,
    start: str | dt.date | None = None,
    rungs: Mapping[str, str] | None = None,
) -> Html:
    """A plain table of planned sessions; ``rungs`` picks a level per prerequisite (default 1)."""
    course = load_course()
    plan = weekly_plan(course, start=_day(start), weeks=weeks,
                       sessions_per_week=sessions_per_week, rungs=rungs)
    names = [name for name, _ in plan[0].work]
    rows = "".join(
        f"<tr><td>{s.week}</td><td>{s.day:%a %d %b %Y}</td>"
        + "".join(f"<td>Level {r.level}: {escape(r.name)}<br><small>"
                  + "<br>".join(escape(f"{m.name}: {m.dose.describe()}") for m in r.moves)
                  + "</small></td>" for _, r in s.work)
        + "</tr>"
        for s in plan
    )
    return wrap(render.table(("Week", "Day", *names), rows))


def mini_program() -> Html:
    """The three prerequisites as a stand-alone programme of fixed length (from data)."""
    (programme,) = load_course().programmes
    return wrap(f'<div class="bc-box"><p><strong>{escape(programme.name)}</strong>: '
                f"{programme.weeks} weeks, {programme.sessions_per_week} sessions a week.</p>"
                f"<p>{escape(programme.summary)}</p></div>")


def progression_rules() -> Html:
    """The rules that move each ladder up, hold it, or step it back, with their sources."""
    course = load_course()
    return wrap(render.rules_table(course.rules, course))


def quiz(unit_id: str) -> QuizView:
    """The unit's knowledge check as a widget."""
    from .views import QuizView

    course = load_course()
    return QuizView(course.quiz_for(unit_id), course)


def cited_keys(unit_id: str) -> set[str]:
    """Reference keys a unit uses: its notebook's citations, its quiz, and all shown so far."""
    from . import ipynb
    from .core.citations import citations

    course = load_course()
    unit = course.unit(unit_id)
    keys = {c.key for cell in ipynb.markdown(notebooks_dir() / unit.notebook)
            for c in citations(cell.source)}
    keys.update(k for q in course.quiz_for(unit_id) for k in q.refs)
    return keys | _shown


def references(unit_id: str) -> Html:
    """The reference list for everything the unit cites (run it last)."""
    course = load_course()
    return wrap(render.reference_list(course.reference(k) for k in cited_keys(unit_id)))


# the learner's own data ------------------------------------------------------------------

_open: dict[str, Journal] = {}  # journals kept open for widgets, one per file


def journal(learner: str = "me", home: str | None = None) -> Journal:
    """The learner's journal (opened once per kernel and kept open for the widgets)."""
    from .journal import Journal, journal_path

    path = str(journal_path(learner, home))
    if path not in _open:
        _open[path] = Journal(path)
    return _open[path]


def _day(today: str | dt.date | None) -> dt.date:
    if not isinstance(today, str):
        return today or dt.date.today()
    try:
        return parse_date(today)
    except ValueError as exc:
        raise ValueError(f"today: {exc}") from None


def safety_screen(learner: str = "me", home: str | None = None,
                  today: str | dt.date | None = None, *,
                  places: Places = render.NOTEBOOKS) -> ScreenView:
    """The red-flag screen; the result is saved in the learner's journal."""
    from .views import ScreenView

    return ScreenView(load_course(), journal(learner, home), _day(today), places)


def status(learner: str = "me", home: str | None = None) -> ProgramStatus:
    from .program import program_status

    return program_status(load_course(), journal(learner, home))


def my_program(learner: str = "me", home: str | None = None, weeks: int = 8,
               sessions_per_week: int = 3, today: str | dt.date | None = None, *,
               places: Places = render.NOTEBOOKS) -> Html:
    """Next steps, the coming weeks and capstone readiness; withheld on a red flag."""
    now = status(learner, home)
    if now.state != "active":
        return _withheld(now, places)
    assert now.readiness is not None
    plan = week_plan(weeks, sessions_per_week, _day(today), now.starts)
    return wrap("<h3>What to do next session</h3>", render.steps_table(now.steps, load_course()),
                f"<h3>Your next {weeks} weeks</h3>", plan,
                "<h3>Ready for the capstone?</h3>", render.readiness_status(now.readiness))


def my_readiness(learner: str = "me", home: str | None = None) -> Html:
    """The learner's own readiness for the capstone, from their journal (withheld on a red
    flag or while pain is rising)."""
    now = status(learner, home)
    if now.state != "active":
        return _withheld(now)
    assert now.readiness is not None
    return wrap(render.readiness_status(now.readiness))


def progress_charts(learner: str = "me", home: str | None = None, weeks: int = 8,
                    sessions_per_week: int = 3, *, places: Places = render.NOTEBOOKS) -> Html:
    """Pain trend, ladder levels, sessions per week and hold times, each with alt text."""
    from . import plots

    course = load_course()
    now = status(learner, home)
    if now.state != "active":
        return _withheld(now, places)
    if not now.logs:
        return wrap("<p>No sessions logged yet. Log your first session below; your charts "
                    "will appear here.</p>")
    rule = course.rule_for("regress")
    assert rule.max_pain is not None
    start = parse_date(now.plan.start_on if now.plan else now.logs[0].done_on)
    span = now.plan.weeks if now.plan else weeks
    rhythm = now.plan.sessions_per_week if now.plan else sessions_per_week
    figures = [
        (plots.pain_trend(now.logs, rule.max_pain), "Your pain before and after sessions."),
        (plots.levels(now.logs, course.prerequisites),
         "Your level on each ladder."),
        (plots.adherence(now.logs, start, span, rhythm), "Sessions done each week."),
    ]
    if any(t.unit == "s" for t in now.assessments):
        figures.append((plots.holds(now.assessments, course.norms_for("mcgill1999"),
                                    course.result_names()),
                        "Your timed holds at each self-check. Source of averages: McGill 1999."))
    return wrap(*(render.figure(plots.to_png_base64(fig), alt, caption)
                  for (fig, alt), caption in figures))


def _withheld(now: ProgramStatus, places: Places = render.NOTEBOOKS) -> Html:
    """What to do instead of a plan: screen first, follow the advice, or re-screen."""
    reasons = {s.reason for s in now.steps if s.decision == "rescreen"}
    why = "".join(f"<p><small>Why: {escape(r)}.</small></p>" for r in reasons)
    return wrap(render.gate(now.state, now.screening, load_course(), places), why)


def session_log(learner: str = "me", home: str | None = None,
                today: str | dt.date | None = None, *, places: Places = render.NOTEBOOKS,
                on_saved: Callable[[], None] | None = None) -> SessionLogView | Html:
    """The session-log form, set to the levels the programme suggests."""
    from .views import SessionLogView

    course = load_course()
    now = status(learner, home)
    if now.state != "active":
        return _withheld(now, places)
    return SessionLogView(course, journal(learner, home), _day(today), now.starts,
                          on_saved=on_saved)


def session_player(learner: str = "me", home: str | None = None,
                   today: str | dt.date | None = None, *,
                   places: Places = render.NOTEBOOKS) -> SessionPlayerView | Html:
    """Today's session from the plan, guided one set at a time and saved to the journal."""
    from .playerview import SessionPlayerView

    now = status(learner, home)
    if now.state != "active":
        return _withheld(now, places)
    session = [(s.exercise, s.next) for s in now.steps]
    return SessionPlayerView(load_course(), journal(learner, home), _day(today), session,
                             places=places)


def start_back(learner: str = "me", home: str | None = None,
               today: str | dt.date | None = None) -> StartBackView:
    """The STarT Back questions (paraphrased), scored and saved to the journal."""
    from .assessviews import StartBackView

    return StartBackView(load_course(), journal(learner, home), _day(today))


def battery(learner: str = "me", home: str | None = None,
            today: str | dt.date | None = None, *,
            places: Places = render.NOTEBOOKS) -> BatteryView | Html:
    """The baseline self-tests; only after a clear safety check."""
    from .assessviews import BatteryView

    course = load_course()
    screening = journal(learner, home).latest_screening()
    if screening is None or not screening.allows_exercise:
        state = "no-screening" if screening is None else "withheld"
        return wrap(render.gate(state, screening, course, places))
    return BatteryView(course, journal(learner, home), _day(today), places=places)
