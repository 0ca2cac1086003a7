"""Figures come with alt text that states the numbers they show."""

from __future__ import annotations

import pytest

from backcourse import lesson
from backcourse.content.load import load_course
from backcourse.render import charts as plots


def test_effect_chart_alt_text_gives_each_effect_and_threshold() -> None:
    course = load_course()
    statements = [course.statement(i) for i in course.unit("01").evidence]
    fig, alt = plots.effect_sizes(statements)
    assert "Pain: 15 points better (95% range 12 to 18); an important change is 15." in alt
    assert "Function: 7 points better" in alt
    assert len(fig.axes[0].lines) >= 6


def test_norms_chart_draws_one_bar_per_row_with_alt_text() -> None:
    rows = load_course().norms_for("mcgill1999")
    fig, alt = plots.norm_means(rows, load_course().result_names())
    assert len(fig.axes[0].patches) == len(rows)
    assert "Side bridge, right, male: 94 s (SD 34)." in alt


def test_figures_embed_as_images_with_alt_attributes() -> None:
    html = lesson.norms_chart("mcgill1999", "Average hold times")
    assert '<img src="data:image/png;base64,' in html and 'alt="Bar chart of average' in html


def test_nothing_to_plot_is_an_error() -> None:
    with pytest.raises(ValueError, match="effect size"):
        plots.effect_sizes([load_course().statement("traction-no-help")])
    with pytest.raises(ValueError, match="no norm rows"):
        plots.norm_means([], {})
