"""Every widget inside a widget, for tests that look for a control wherever a view puts it."""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as widgets


def shown(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    """``widget`` and everything inside it, in the order a page shows them."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from shown(child)
