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
from backcourse.core.model import SelfTest
from backcourse.core.recommend import Start, baseline_plan, recommend
from backcourse.core.records import START_BACK_DISTRESS, START_BACK_TOTAL, Assessment, Side
from backcourse.core.startback import IncompleteStartBack, score
from backcourse.core.stopwatch import Stopwatch
from backcourse.journal.store import Journal
from backcourse.render import html as render
from backcourse.render.figures import figure_for, figure_html


class StartBackView:
    """The nine paraphrased STarT Back items, scored and explained, saved to the journal."""

    def __init__(self, course: Course, journal: Journal | None, today: dt.date) -> None:
        self.course, self.journal, self.today = course, journal, today
        self.answers: dict[int, widgets.ToggleButtons] = {}
        rows: list[widgets.Widget] = []
        for item in course.start_back:
            toggle = widgets.ToggleButtons(options=[(o, i) for i, o in enumerate(item.options)],
                                           value=None, description=f"Item {item.number}",
                                           style={"button_width": "auto"})
            self.answers[item.number] = toggle
            rows += [widgets.HTML(f"<p><strong>{item.number}.</strong> "
                                  f"{escape(item.prompt)}</p>"), toggle]
        self.submit = widgets.Button(description="Score my answers", button_style="primary")
        self.result = widgets.HTML("")
        self.submit.on_click(lambda _b: self.check())
        self.widget = widgets.VBox([*rows, self.submit, self.result])

    def check(self) -> None:
        try:
            result = score(self.course.start_back, {n: t.value for n, t in self.answers.items()})
        except IncompleteStartBack as exc:
            self.result.value = (f'<p role="alert"><strong>Please answer every item.</strong> '
                                 f"Still unanswered: {', '.join(map(str, exc.missing))}.</p>")
            return
        group = next(b for b in self.course.start_back_bands if b.id == result.group)
        if self.journal is not None:
            for test, value in ((START_BACK_TOTAL, result.total),
                                (START_BACK_DISTRESS, result.distress)):
                self.journal.add(Assessment(taken_on=self.today.isoformat(), test=test,
                                            value=value, unit="points"))
        self.result.value = render.wrap(
            f'<div class="bc-box"><p><strong>Total {result.total} of 9; distress {result.distress}'
            f" of 5: the {escape(group.id)}-risk group</strong> ({escape(group.when)}).</p>"
            f"<p>{escape(group.meaning)}</p><p><small>This sorts answers into groups to guide "
            f"care; it is not a diagnosis. {render.cites(group.refs, self.course)}</small></p>"
            "</div>")

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)


class TimerField:
    """A stopwatch (Start, Stop, Reset) that fills a seconds box the learner may also type in."""

    def __init__(self, label: str, clock: Callable[[], float] | None = None) -> None:
        self.watch = Stopwatch(clock) if clock else Stopwatch()
        self.seconds = widgets.Text(description=label, placeholder="seconds",
                                    style={"description_width": "12em"})
        self.start = widgets.Button(description="Start", icon="play",
                                    tooltip=f"Start timing: {label}")
        self.stop = widgets.Button(description="Stop", icon="stop",
                                   tooltip=f"Stop timing: {label}")
        self.reset = widgets.Button(description="Reset", tooltip=f"Clear the time: {label}")
        self.sure = widgets.Checkbox(description="I am sure", value=False, indent=False)
        self.start.on_click(lambda _b: self.watch.start())
        self.stop.on_click(lambda _b: self._stopped())
        self.reset.on_click(lambda _b: self._reset())
        self.widget = widgets.HBox([self.seconds, self.start, self.stop, self.reset, self.sure])

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
        wide = {"description_width": "12em"}
        self.age = widgets.Text(description="Age (years)", placeholder="e.g. 42", style=wide)
        self.sex = widgets.Dropdown(description="Compare with", style=wide,
                                    options=[("no one (leave out)", ""), ("women", "female"),
                                             ("men", "male")], value="")
        self.names = course.result_names()
        self.timers: dict[str, TimerField] = {}
        self.categories: dict[str, widgets.Dropdown] = {}
        self.ratings: dict[str, widgets.Dropdown] = {}
        rows: list[widgets.Widget] = [self.age, self.sex]
        for test in course.battery:
            rows.append(widgets.HTML(_instructions(test, course)))
            for key, side in zip(test.keys(), test.sides or ("",), strict=True):
                label = f"{test.name}, {side}" if side else test.name
                if test.kind == "timed":
                    self.timers[key] = TimerField(label, clock)
                    rows.append(self.timers[key].widget)
                elif test.kind == "category":
                    self.categories[key] = widgets.Dropdown(
                        description=label, options=[("not done", None), *test.categories],
                        value=None, style={"description_width": "12em"})
                    rows.append(self.categories[key])
                else:
                    self.ratings[key] = widgets.Dropdown(
                        description=label, value="",
                        options=[("not rated", ""), *((str(i), i) for i in range(11))],
                        style={"description_width": "12em"})
                    rows.append(self.ratings[key])
        self.save = widgets.Button(description="Save and compare", button_style="primary")
        self.message = widgets.HTML("")
        self.save.on_click(lambda _b: self.submit())
        self.widget = widgets.VBox([*rows, self.save, self.message])

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
                problems.append(f"Age: {exc}")
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
                            skipped.append(f"Not compared with the norms: {exc}")
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
        self._store(results)
        rated = self.ratings["pain_now"].value if "pain_now" in self.ratings else ""
        pain_now = None if rated == "" else int(rated)
        starts = recommend(self.course, results, pain_now)
        self._plan(starts)
        found = [r for r in ratios(self.course, results, sex) if r.value is not None]
        sides = asymmetries(self.course.battery, results)
        lines = [c.message for c in comparisons] + list(dict.fromkeys(skipped))
        lines += [f"{r.ratio.name}: {r.message}" for r in found]
        lines += [a.message() for a in sides]
        self.message.value = render.wrap(
            f'<div class="bc-box bc-ok"><p><strong>Saved {len(results)} timed result(s) on '
            f"{self.today:%d %b %Y}.</strong></p>{render.items(lines)}<p>These compare you "
            "with other people and with yourself; none of them is a diagnosis.</p></div>",
            "<h4>Where to start</h4>", render.starts_table(starts, self.course),
            f"<p>Saved as your plan: {escape(self.places.plan)} starts you here.</p>",
            *_charts(comparisons, found, sides, self.names, sex))

    def _store(self, results: dict[str, float]) -> None:
        if self.journal is None:
            return
        day = self.today.isoformat()
        unit: Literal["s", "points", "category"]
        for test in self.course.battery:
            sides: tuple[Side, ...] = test.sides or ("both",)
            for key, side in zip(test.keys(), sides, strict=True):
                if key in results:
                    value, unit = results[key], "s"
                elif key in self.categories and self.categories[key].value is not None:
                    value, unit = float(test.categories.index(self.categories[key].value)), \
                        "category"
                elif key in self.ratings and self.ratings[key].value != "":
                    value, unit = float(self.ratings[key].value), "points"
                else:
                    continue
                self.journal.add(Assessment(taken_on=day, test=test.id, side=side, value=value,
                                            unit=unit))

    def _plan(self, starts: list[Start]) -> None:
        if self.journal is not None:
            self.journal.add(baseline_plan(self.course, starts, self.today.isoformat()))

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


def _instructions(test: SelfTest, course: Course) -> str:
    """How to do a test (with its figure, for the physical ones), who should ask a clinician
    first, and when to stop."""
    stop = "; ".join(test.stop_if)
    cap = f" Stop at {test.cap_s} s at the most." if test.cap_s else ""
    drawn = "" if test.kind == "rating" else figure_html(figure_for(course, test.id))
    ask = (f"<p><strong>Ask a clinician first if you have</strong> "
           f"{escape('; '.join(test.check_first))}.</p>" if test.check_first else "")
    return render.wrap(f"<h4>{escape(test.name)}</h4>{drawn}{render.items(test.how, 'ol')}"
                       f"{ask}<p><strong>Stop if</strong> {escape(stop)}.{cap}</p>")

