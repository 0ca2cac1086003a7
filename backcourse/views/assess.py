"""Thin ipywidgets views for self-assessment: the STarT Back questions and the test battery."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Literal

import ipywidgets as widgets

from backcourse.core.assessment import (
    Asymmetry,
    Comparison,
    InputProblem,
    RatioResult,
    Sex,
    asymmetries,
    compare,
    ratios,
    read_age,
    read_seconds,
)
from backcourse.core.course import Course
from backcourse.core.dates import parse_date, spoken
from backcourse.core.model import SelfTest
from backcourse.core.recommend import baseline_plan, recommend, week_under_way
from backcourse.core.records import (
    START_BACK_DISTRESS,
    START_BACK_TOTAL,
    Assessment,
    Plan,
    Side,
)
from backcourse.core.startback import IncompleteStartBack, score
from backcourse.core.stopwatch import Stopwatch
from backcourse.journal.store import Journal
from backcourse.render import html as render
from backcourse.render.figures import figure_for, figure_html
from backcourse.views import look

RESTART = "Start a new plan from these results"


class StartBackView:
    """The nine paraphrased STarT Back items, scored and explained, saved to the journal."""

    def __init__(self, course: Course, journal: Journal | None, today: dt.date) -> None:
        self.course, self.journal, self.today = course, journal, today
        self.answers: dict[int, widgets.ToggleButtons] = {}
        for item in course.start_back:  # the statement is its name
            self.answers[item.number] = look.field(widgets.ToggleButtons(
                options=[(o, i) for i, o in enumerate(item.options)], value=None,
                description=f"{item.number}. {item.prompt}", style={"button_width": "auto"}))
            self.answers[item.number].add_class("bc-question")
        self.submit = widgets.Button(description="Score my answers", button_style="primary")
        self.result = widgets.HTML("")
        look.on_click(self.submit, self.check, self.result)
        intro = widgets.HTML(render.wrap(
            "<h4>How your back affects you (STarT Back, our short version)</h4><p>Thinking "
            "of the last 2 weeks, do you agree or disagree with each statement?</p>"))
        self.widget = look.view([look.card([intro, *self.answers.values()]),
                                 look.actions([self.submit]), self.result])

    def check(self) -> None:
        try:
            result = score(self.course.start_back, {n: t.value for n, t in self.answers.items()})
        except IncompleteStartBack as exc:
            self.result.value = (f'<p role="alert"><strong>Please answer every statement of '
                                 "the STarT Back questions.</strong> Still unanswered: "
                                 f"{', '.join(map(str, exc.missing))}.</p>")
            return
        group = next(b for b in self.course.start_back_bands if b.id == result.group)
        if self.journal is not None:
            self.journal.add_all(
                Assessment(taken_on=self.today.isoformat(), test=test, value=value,
                           unit="points")
                for test, value in ((START_BACK_TOTAL, result.total),
                                    (START_BACK_DISTRESS, result.distress)))
        self.result.value = render.wrap(
            f'<div class="bc-box"><p><strong>STarT Back: total {result.total} of 9; distress '
            f"{result.distress} of 5: the {escape(group.id)}-risk group</strong> "
            f"({escape(group.when)}).</p>"
            f"<p>{escape(group.meaning)}</p><p><small>This sorts answers into groups to guide "
            f"care; it is not a diagnosis. {render.cites(group.refs, self.course)}</small></p>"
            "</div>")

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)


class TimerField:
    """A stopwatch (Start, Stop, Reset) that fills a seconds box the learner may also type in."""

    def __init__(self, label: str, clock: Callable[[], float] | None = None) -> None:
        self.watch = Stopwatch(clock) if clock else Stopwatch()
        self.seconds = look.field(widgets.Text(description=label, placeholder="seconds"))
        self.start = widgets.Button(description="Start", icon="play",
                                    tooltip=f"Start timing: {label}")
        self.stop = widgets.Button(description="Stop", icon="stop",
                                   tooltip=f"Stop timing: {label}")
        self.reset = widgets.Button(description="Reset", tooltip=f"Clear the time: {label}")
        self.sure = widgets.Checkbox(description="I am sure of this time", value=False,
                                     indent=False, tooltip=f"I am sure of this time: {label}")
        self.start.on_click(lambda _b: self.watch.start())
        self.stop.on_click(lambda _b: self._stopped())
        self.reset.on_click(lambda _b: self._reset())
        self.widget = widgets.VBox([self.seconds, look.actions([self.start, self.stop,
                                                                self.reset]), self.sure])
        self.widget.add_class("bc-timer")

    def _stopped(self) -> None:
        self.seconds.value = f"{self.watch.stop():.1f}"

    def _reset(self) -> None:
        self.watch.reset()
        self.seconds.value = ""
        self.sure.value = False


class BatteryView:
    """The baseline battery: enter or time each test, then save and compare with the norms."""

    def __init__(self, course: Course, journal: Journal | None, today: dt.date,
                 clock: Callable[[], float] | None = None,
                 places: render.Places = render.NOTEBOOKS) -> None:
        self.course, self.journal, self.today, self.places = course, journal, today, places
        self.age = look.field(widgets.Text(description="Your age (years)",
                                           placeholder="e.g. 42"))
        self.sex = look.field(widgets.Dropdown(
            description="Compare my times with the averages for",
            options=[("no one (leave out)", ""), ("women", "female"), ("men", "male")],
            value=""))
        self.names = course.result_names()
        self.timers: dict[str, TimerField] = {}
        self.categories: dict[str, widgets.Dropdown] = {}
        self.ratings: dict[str, widgets.Dropdown] = {}
        cards = [look.card([widgets.HTML(render.wrap("<h4>About you</h4>")), self.age,
                            self.sex])]
        for test in course.battery:
            parts: list[widgets.Widget] = [widgets.HTML(_instructions(test, course))]
            for key, side in zip(test.keys(), test.sides or ("",), strict=True):
                label = f"{test.name}, {side} side" if side else test.name
                if test.kind == "timed":
                    self.timers[key] = TimerField(label, clock)
                    parts.append(self.timers[key].widget)
                elif test.kind == "category":
                    self.categories[key] = look.field(widgets.Dropdown(
                        description=label, value="",
                        options=[("not done", ""), *((c, c) for c in test.categories)]))
                    parts.append(self.categories[key])
                else:
                    self.ratings[key] = look.number_menu(label, unset="not rated")
                    parts.append(self.ratings[key])
            cards.append(look.card(parts))
        self.save = widgets.Button(description="Save and compare", button_style="primary")
        self.restart = widgets.Button(description=RESTART)
        look.show(self.restart, False)
        self.waiting: Plan | None = None  # a new plan from these results, if chosen
        self.message = widgets.HTML("")
        look.on_click(self.save, self.submit, self.message)
        look.on_click(self.restart, self.start_again, self.message)
        self.widget = look.view([*cards, look.actions([self.save, self.restart]),
                                 self.message])

    def read(self) -> tuple[dict[str, float], list[str]]:
        """Timed results by key (blank = skipped) and every input problem found."""
        results: dict[str, float] = {}
        problems = []
        for test in self.course.battery:
            for key in test.keys():
                field = self.timers.get(key)
                if field is None or not field.seconds.value.strip():
                    continue
                try:
                    results[key] = read_seconds(test, field.seconds.value,
                                                confirmed=field.sure.value)
                except InputProblem as exc:
                    problems.append(f"{field.seconds.description}: {exc}")
        return results, problems

    def submit(self) -> None:
        """Validate everything, then save and compare; on any problem save nothing."""
        results, problems = self.read()
        age: int | None = None
        if self.age.value.strip():
            try:
                age = read_age(self.age.value)
            except InputProblem as exc:
                problems.append(f"Your age: {exc}")
        sex: Sex | None = self.sex.value or None
        comparisons, skipped = [], []
        if not problems:
            for test in self.course.battery:
                for key in test.keys():
                    if key in results and test.norms:
                        try:
                            comparisons.append(compare(self.course, test, key, results[key],
                                                       age, sex))
                        except InputProblem as exc:  # saved anyway, just not compared
                            skipped.append(f"{test.name}: not compared with the averages. "
                                           f"{exc}")
                            break
        gate = None if self.journal is None else render.screening_gate(
            self.journal.latest_screening(), self.course, self.places)
        if gate is not None:  # checked again at saving: the screen may have changed
            self.message.value = render.wrap(gate)
            return
        if problems:
            unsure = any("I am sure" in p for p in problems)
            self.message.value = render.wrap(
                '<div role="alert" class="bc-box bc-warn"><p><strong>Nothing saved yet. '
                "Please fix:</strong></p>" + render.items(dict.fromkeys(problems))
                + ("<p>Blank boxes are fine: they count as not done.</p>" if not unsure else "")
                + "</div>")
            return
        entries = self._entries(results)
        rated = self.ratings["pain_now"].value if "pain_now" in self.ratings else ""
        pain_now = None if rated == "" else int(rated)
        starts = recommend(self.course, results, pain_now)
        plan = baseline_plan(self.course, starts, self.today.isoformat())
        goes_on, planned = self._plan()
        if self.journal is not None:  # the results and the plan they give, or nothing
            self.journal.add_all([*entries, *([] if goes_on else [plan])])
        self.waiting = plan if goes_on else None
        look.show(self.restart, goes_on)
        found = [r for r in ratios(self.course, results, sex) if r.value is not None]
        sides = asymmetries(self.course.battery, results)
        lines = [f"{self.names[c.key]}: {c.message}" for c in comparisons]
        lines += dict.fromkeys(skipped)
        lines += [f"{r.ratio.name}: {r.message}" for r in found]
        lines += [a.message() for a in sides]
        self.message.value = render.wrap(
            f'<div class="bc-box bc-ok"><p><strong>{_saved(len(entries), self.today)}'
            f"</strong></p>{render.items(lines) if lines else ''}<p>These compare you "
            "with other people and with yourself; none of them is a diagnosis. The averages "
            "come from young, healthy adults (see each source), so a lower time is a "
            "starting point, not a failure: your own change over time matters more.</p>"
            "</div>",
            "<h4>Where to start</h4>", render.starts_table(starts, self.course),
            planned,
            *_charts(comparisons, found, sides, self.names, sex))

    def _entries(self, results: dict[str, float]) -> list[Assessment]:
        """Every result entered, as the journal keeps it."""
        entries, day = [], self.today.isoformat()
        unit: Literal["s", "points", "category"]
        for test in self.course.battery:
            sides: tuple[Side, ...] = test.sides or ("both",)
            for key, side in zip(test.keys(), sides, strict=True):
                if key in results:
                    value, unit = results[key], "s"
                elif key in self.categories and self.categories[key].value != "":
                    value, unit = float(test.categories.index(self.categories[key].value)), \
                        "category"
                elif key in self.ratings and self.ratings[key].value != "":
                    value, unit = float(self.ratings[key].value), "points"
                else:
                    continue
                entries.append(Assessment(taken_on=day, test=test.id, side=side, value=value,
                                          unit=unit))
        return entries

    def _plan(self) -> tuple[bool, str]:
        """Whether a plan under way goes on (a retest mid-plan must not reset it, until the
        learner chooses to start again) rather than the one these results suggest being
        saved with them; and what to say."""
        if self.journal is None:
            return False, ""
        plans = self.journal.all(Plan)
        week = week_under_way(plans[-1] if plans else None, self.today)
        if week is None:
            return False, (f"<p>Saved as your plan: {escape(self.places.plan)} starts you "
                           "here.</p>")
        began = spoken(parse_date(plans[-1].start_on))
        return True, (f"<p>Your plan that began on {escape(began)} goes on: you are in week "
                      f"{week} of {plans[-1].weeks}. These results are saved to compare with "
                      f"later. To start a new plan from them instead, press <strong>{RESTART}"
                      "</strong> next to Save and compare.</p>")

    def start_again(self) -> None:
        """The learner chose a new plan from the results just saved."""
        if self.waiting is None or self.journal is None:
            return
        self.journal.add(self.waiting)
        self.waiting = None
        look.show(self.restart, False)
        self.message.value = render.wrap(
            f'<div class="bc-box bc-ok"><p><strong>Saved as your new plan, starting '
            f"{escape(spoken(self.today))}: {escape(self.places.plan)} starts you at the "
            "levels above.</strong></p></div>") + self.message.value

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)


def _charts(comparisons: list[Comparison], found: list[RatioResult], sides: list[Asymmetry],
            names: dict[str, str], sex: Sex | None) -> list[str]:
    """The results as figures with alt text, for whatever there is to draw."""
    from backcourse.render import charts as plots

    drawn = []
    if any(c.norm is not None for c in comparisons):
        drawn.append((plots.results_vs_norms(comparisons, names),
                      "What this means: where your time sits beside young healthy adults of "
                      "your sex; a rough guide, not a target."))
    if found:
        drawn.append((plots.ratio_chart(found, sex=sex),
                      "What this means: how your holds compare with each other; no ratio is "
                      "a target."))
    if sides:
        drawn.append((plots.sides_chart(sides),
                      "What this means: your two sides side by side; a small difference can "
                      "be day-to-day variation."))
    return [render.figure(chart, caption) for chart, caption in drawn]


def _saved(count: int, day: dt.date) -> str:
    if count == 0:
        return "No test results entered, so there is nothing to compare yet."
    return f"Saved your {count} test result{'s' if count > 1 else ''} on {spoken(day)}."


def _instructions(test: SelfTest, course: Course) -> str:
    """How to do a test (with its figure, for the physical ones), who should ask a clinician
    first, and when to stop."""
    cap = f" Stop at {test.cap_s} s at the most." if test.cap_s else ""
    stop = (f"<p><strong>Stop if</strong> {escape('; '.join(test.stop_if))}.{cap}</p>"
            if test.stop_if else "")
    drawn = "" if test.kind == "rating" else figure_html(figure_for(course, test.id))
    ask = (f"<p><strong>Ask a clinician first if you have</strong> "
           f"{escape('; '.join(test.check_first))}.</p>" if test.check_first else "")
    return render.wrap(f"<h4>{escape(test.name)}</h4>{drawn}{render.items(test.how, 'ol')}"
                       f"{ask}{stop}")
