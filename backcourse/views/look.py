"""How the views look, in one place: the stylesheet (``render/templates/widgets.css``) and
the classes it styles. Each view carries the sheet, so it looks the same in a notebook and
in the app."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import ipywidgets as widgets

from backcourse.core.errors import BackcourseError
from backcourse.render.html import refusal
from backcourse.render.pages import stylesheet

W = TypeVar("W", bound=widgets.DOMWidget)
CHOOSE = ""  # a number menu's labelled first entry: nothing chosen yet


def sheet() -> widgets.HTML:
    """The views' stylesheet as a widget that takes no room."""
    return widgets.HTML(stylesheet("widgets.css"), layout=widgets.Layout(display="none"))


def view(children: Sequence[widgets.Widget]) -> widgets.VBox:
    """A view's outer box, carrying the stylesheet."""
    box = widgets.VBox([sheet(), *children])
    box.add_class("bc-view")
    return box


def show(widget: widgets.DOMWidget, shown: bool) -> None:
    """Show or hide a widget. Shown is ``""``, not ``None``: the browser's Pyodide kernel
    sends ``None`` to the page as ``undefined``, which the page ignores, so a widget hidden
    once would stay hidden."""
    widget.layout.display = "" if shown else "none"


def field(control: W) -> W:
    """A labelled control: its description is its accessible name and shows in full on a
    line of its own above it, wrapping on a narrow screen."""
    control.add_class("bc-field")
    control.style.description_width = "initial"
    return control


def card(children: Sequence[widgets.Widget], *classes: str) -> widgets.VBox:
    """A group of parts that belong together (one test, one form), set apart."""
    box = widgets.VBox(list(children))
    for name in ("bc-card", *classes):
        box.add_class(name)
    return box


def actions(buttons: Sequence[widgets.Button]) -> widgets.HBox:
    """A row of buttons that wraps on a narrow screen."""
    row = widgets.HBox(list(buttons))
    row.add_class("bc-actions")
    return row


def number_menu(description: str, numbers: Iterable[int] = range(11),
                unset: str = "choose a number") -> widgets.Dropdown:
    """A labelled menu of numbers (0 to 10 unless told) that starts on ``unset`` ("choose a
    number"; "not rated" where a rating may be left out), so a number the person did not
    choose is never saved for them."""
    return field(widgets.Dropdown(description=description, value=CHOOSE, options=[
        (unset, CHOOSE), *((str(n), n) for n in numbers)]))


def chosen(menu: widgets.Dropdown) -> int | None:
    """The number chosen in a :func:`number_menu`, or None while it says "choose a number"."""
    value: int | None = None if menu.value == CHOOSE else menu.value
    return value


def on_click(button: widgets.Button, action: Callable[[], None],
             message: widgets.HTML) -> None:
    """Run ``action`` when ``button`` is pressed. If it is refused (a
    :class:`BackcourseError`, such as a journal that cannot be saved), say so in one line in
    ``message``, the view's own place for news by that button, and change nothing else, so
    what the learner typed stays and they can press again. Anything else stays loud."""

    def clicked(_button: widgets.Button) -> None:
        try:
            action()
        except BackcourseError as exc:
            message.value = refusal(exc)

    button.on_click(clicked)
