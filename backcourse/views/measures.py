"""The outcome measures as a form: pain and how much it gets in the way, the daily tasks you
chose, at a retest the overall change, and the totals a clinician may give you."""

from __future__ import annotations

import datetime as dt
from html import escape

import ipywidgets as widgets

from backcourse.core.assessment import InputProblem
from backcourse.core.course import Course
from backcourse.core.outcomes import changes, retest_start
from backcourse.core.records import Plan, Score
from backcourse.journal.store import Journal
from backcourse.render import html as render
from backcourse.render import outcomes as shown
from backcourse.views import look

TASKS = 3


def read_total(text: str, low: float, high: float) -> float | None:
    """A total typed by a learner (blank = not given); InputProblem says what is wrong."""
    text = text.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise InputProblem(f"{text[:20]} is not a number. Type the total, like 12.") from None
    if not low <= number <= high:
        raise InputProblem(f"{number:g} is outside {low:g} to {high:g}. Check the total.")
    return number


class MeasuresView:
    """Enter the measures, save them to the journal and see the change since the first time.
    At a retest (a baseline is saved) it asks for the overall change too, and offers the
    daily tasks named the first time."""

    def __init__(self, course: Course, journal: Journal | None, today: dt.date) -> None:
        self.course, self.journal, self.today = course, journal, today
        saved = journal.all(Score) if journal is not None else []
        self.retest = bool(saved)
        first_tasks = next((s.labels for s in saved if s.measure == "psfs"), ())
        peg = course.measure("peg")
        self.peg = [look.number_menu(question, unset="not rated") for question in peg.items]
        cards = [look.card([widgets.HTML(
            f"<h4>{escape(peg.name)}</h4><p><small>The PEG comes from "
            f"{render.cites(peg.refs, course)}; these are our own words.</small></p>"),
            *self.peg])]
        psfs = course.measure("psfs")
        self.tasks = []
        for n in range(1, TASKS + 1):
            name = look.field(widgets.Text(
                description=f"Task {n}", placeholder="e.g. putting on socks",
                value=first_tasks[n - 1] if n <= len(first_tasks) else ""))
            score = look.number_menu(f"Task {n}: how well you can do it now",
                                     unset="not rated")
            self.tasks.append((name, score))
        cards.append(look.card([
            widgets.HTML(f"<h4>{escape(psfs.name)}</h4><p>{escape(psfs.items[0])}</p>"),
            *(w for pair in self.tasks for w in pair)]))
        groc = course.measure("groc")
        self.groc = look.field(widgets.ToggleButtons(
            options=[(w, round(groc.low) + i) for i, w in enumerate(groc.levels)],
            value=None, description=groc.items[0], style={"button_width": "auto"}))
        if self.retest:
            cards.append(look.card([widgets.HTML(f"<h4>{escape(groc.name)}</h4>"), self.groc]))
        self.totals = {m.id: look.field(widgets.Text(
            description=m.short, placeholder=f"{m.low:g} to {m.high:g}, or blank"))
            for m in course.measures if m.terms == "link"}
        cards.append(look.card([widgets.HTML(
            "<h4>Totals from your clinician (optional)</h4><p>If a physiotherapist or doctor "
            "gave you one of these questionnaires, type the total here.</p>"
            + shown.linked_only(course.measures, course)), *self.totals.values()]))
        self.save = widgets.Button(description="Save my answers", button_style="primary")
        self.message = widgets.HTML("")
        look.on_click(self.save, self.submit, self.message)
        self.widget = look.view([*cards, look.actions([self.save]), self.message])

    def read(self) -> tuple[list[Score], list[str]]:
        """The scores the answers give (nothing for a part left blank) and every problem."""
        on, scores, problems = self.today.isoformat(), [], []
        peg = [a.value for a in self.peg]
        if all(v != "" for v in peg):
            scores += [Score(taken_on=on, measure="pain", value=float(peg[0])),
                       Score(taken_on=on, measure="peg", value=round(sum(peg) / len(peg), 2),
                             items=tuple(float(v) for v in peg))]
        elif any(v != "" for v in peg):
            problems.append("Pain: answer all three questions, or none.")
        done = [(n.value.strip(), s.value) for n, s in self.tasks if n.value.strip() or
                s.value != ""]
        if any(not name or rating == "" for name, rating in done):
            problems.append("Daily tasks: give each task a name and a score.")
        elif done:
            ratings = tuple(float(r) for _, r in done)
            scores.append(Score(taken_on=on, measure="psfs",
                                value=round(sum(ratings) / len(ratings), 2), items=ratings,
                                labels=tuple(n[:80] for n, _ in done)))
        if self.retest and self.groc.value is not None:
            scores.append(Score(taken_on=on, measure="groc", value=float(self.groc.value)))
        for measure_id, box in self.totals.items():
            m = self.course.measure(measure_id)
            try:
                total = read_total(box.value, m.low, m.high)
            except InputProblem as exc:
                problems.append(f"{m.short}: {exc}")
                continue
            if total is not None:
                scores.append(Score(taken_on=on, measure=measure_id, value=total))
        if not scores and not problems:
            problems.append("Nothing to save yet: answer at least one part.")
        return scores, problems

    def submit(self) -> None:
        """Save the answers (all or nothing) and show the change since the first time."""
        scores, problems = self.read()
        if problems:
            self.message.value = render.wrap(
                '<div role="alert" class="bc-box bc-warn"><p><strong>Nothing saved yet. '
                "Please fix:</strong></p>" + render.items(problems) + "</div>")
            return
        if self.journal is not None:
            self.journal.add_all(scores)
        every = self.journal.all(Score) if self.journal is not None else scores
        found = [c for c in changes(self.course.measures, every) if not c.measure.levels]
        groc = self.course.measure("groc")
        rating = next((s for s in reversed(every) if s.measure == "groc"), None)
        plans = self.journal.all(Plan) if self.journal is not None else []
        plan_start = plans[-1].start_on if plans else None
        since = retest_start(plan_start, every) or self.today
        self.message.value = render.wrap(
            f'<div class="bc-box bc-ok"><p><strong>Saved {len(scores)} score(s) on '
            f"{render.day(self.today)}.</strong></p></div>",
            shown.outcome_table(found, self.course),
            shown.overall(groc, rating) if rating else "",
            "<h4>When to do this again</h4>",
            shown.retest_list(self.course.retests, since, self.today, self.course,
                              plan=plan_start is not None, scores=every))

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        return self.widget._repr_mimebundle_(**kwargs)
