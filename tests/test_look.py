"""The views' stylesheet (render/templates/widgets.css): every text colour against every
background it is used on keeps WCAG AA contrast, and each view carries the sheet."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from backcourse.content.load import load_course
from backcourse.journal.store import Journal
from backcourse.render.pages import TEMPLATES, stylesheet
from backcourse.views.assess import BatteryView, StartBackView
from backcourse.views.log import SessionLogView
from backcourse.views.screen import ScreenView

CSS = (TEMPLATES / "widgets.css").read_text(encoding="utf-8")
COLOURS = dict(re.findall(r"--(bc-[a-z-]+):\s*(#[0-9a-f]{6})", CSS))
PAGE = ("bc-page", "bc-card")
#: text colour: the backgrounds it is drawn on, and the contrast it needs there
TEXT = {
    "bc-ink": (PAGE + ("bc-button", "bc-soft"), 4.5),
    "bc-muted": (PAGE, 4.5),
    "bc-primary": (PAGE, 4.5),  # links and the open tab's border
    "bc-on-dark": (("bc-primary", "bc-primary-dark", "bc-header", "bc-danger"), 4.5),
    "bc-on-header": (("bc-header",), 4.5),
    "bc-edge": (PAGE, 3.0),  # borders of controls (WCAG 1.4.11)
    "bc-focus": (PAGE, 3.0),  # the keyboard focus ring
}


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                   for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == 1


@pytest.mark.parametrize("text", sorted(TEXT))
def test_each_text_colour_is_readable_on_its_backgrounds(text: str) -> None:
    backgrounds, need = TEXT[text]
    ratios = {b: round(contrast(COLOURS[text], COLOURS[b]), 2) for b in backgrounds}
    assert all(r >= need for r in ratios.values()), ratios


def test_every_colour_the_sheet_uses_is_a_checked_variable() -> None:
    """A new colour cannot slip in unchecked: each text colour is one TEXT lists, each
    background one some text colour is checked on (print uses black on white)."""
    used = re.findall(r"(?<![-\w])(color|background(?:-color)?)\s*:\s*([^;}]+)",
                      CSS.split("}", 1)[1])  # after the variables
    backgrounds = {b for bs, _ in TEXT.values() for b in bs}
    for prop, value in used:
        value = value.strip().removesuffix("!important").strip()
        if value in ("#000000", "#ffffff", "none"):
            continue
        name = re.fullmatch(r"var\(--(bc-[a-z-]+)\)", value)
        assert name, f"{prop}: {value} is not one of the --bc-* colours"
        allowed = TEXT if prop == "color" else backgrounds
        assert name[1] in allowed, f"{prop}: {value} is not checked for contrast"


def test_every_view_carries_the_stylesheet_and_its_class() -> None:
    course, journal, today = load_course(), Journal(":memory:"), dt.date(2026, 3, 2)
    for view in (ScreenView(course, journal, today), BatteryView(course, journal, today),
                 StartBackView(course, journal, today),
                 SessionLogView(course, journal, today, {})):
        assert "bc-view" in view.widget._dom_classes
        assert view.widget.children[0].value == stylesheet("widgets.css")


def test_the_reasons_under_the_plans_rules_are_body_size_and_readable(tmp_path: Path) -> None:
    """The "Why: target met in ..." lines were tiny and grey: now body size, muted at AA."""
    from backcourse import lesson
    from backcourse.journal.samples import write_persona
    from backcourse.journal.store import journal_path

    rule = re.search(r"\.bc-view \.bc-why \{([^}]*)\}", CSS)
    assert rule and "font-size: 1em" in rule[1] and "color: var(--bc-muted)" in rule[1]
    assert contrast(COLOURS["bc-muted"], COLOURS["bc-card"]) >= 4.5
    with Journal(journal_path("alex", tmp_path)) as journal:
        write_persona(journal, "alex")
    html = lesson.my_program("alex", str(tmp_path), today="2026-03-02")
    assert "<span class='bc-why'>Why: " in html and "<small>Why" not in html
