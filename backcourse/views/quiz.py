"""A knowledge check: one radio group and a Check button per question, plus a score."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import ipywidgets as widgets

from backcourse.core.course import Course
from backcourse.core.model import QuizItem
from backcourse.core.quiz import check_answer, score
from backcourse.render.html import cites, quiz_print, wrap


class QuizView:
    """A knowledge check: one radio group and a Check button per question, plus a score."""

    def __init__(self, items: Sequence[QuizItem], course: Course) -> None:
        if not items:
            raise ValueError("a quiz needs at least one question")
        self.items = tuple(items)
        self.course = course
        self.choices: dict[str, widgets.RadioButtons] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        self.buttons: dict[str, widgets.Button] = {}
        self.answered: dict[str, int | None] = {}
        self.score = widgets.HTML(score(self.items, {}).summary())
        rows = [self._question(n, item) for n, item in enumerate(self.items, start=1)]
        self.widget = widgets.VBox([*rows, self.score])

    def _question(self, number: int, item: QuizItem) -> widgets.Widget:
        label = f"Question {number}: {item.question}"
        radio = widgets.RadioButtons(
            options=[(text, i) for i, text in enumerate(item.options)],
            value=None,
            description="",
            layout=widgets.Layout(width="auto"),
            style={"description_width": "0px"},
        )
        button = widgets.Button(description="Check",
                                tooltip=f"Check your answer to question {number}")
        feedback = widgets.HTML("")
        button.on_click(lambda _b, item=item: self.check(item.id))
        self.choices[item.id] = radio
        self.buttons[item.id], self.feedback[item.id] = button, feedback
        return widgets.VBox([widgets.HTML(f"<p><strong>{escape(label)}</strong></p>"),
                             radio, button, feedback])

    def check(self, item_id: str) -> None:
        """Judge the current choice for one question and show the feedback."""
        item = next(i for i in self.items if i.id == item_id)
        result = check_answer(item, self.choices[item_id].value)
        sources = f" <small>({cites(result.refs, self.course)})</small>" if result.refs else ""
        mark = {"correct": "✓", "incorrect": "✗", "unanswered": "?"}[result.status]
        self.feedback[item_id].value = (
            f'<p role="status"><strong>{mark}</strong> {escape(result.message)}{sources}</p>'
        )
        if result.status != "unanswered":
            self.answered[item_id] = self.choices[item_id].value
        self.score.value = score(self.items, self.answered).summary()

    def _repr_mimebundle_(self, **kwargs: object) -> object:
        """The widget, and the questions on paper for a page that cannot run it (handouts)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, dict):
            bundle["text/html"] = wrap(quiz_print(self.items, self.course))
        return bundle
