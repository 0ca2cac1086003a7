"""Knowledge checks: the scoring logic and the widget that shows it."""

from __future__ import annotations

import pytest

from backcourse.content.load import load_course
from backcourse.core.quiz import check_answer, score
from backcourse.views.quiz import QuizView


def item(item_id: str = "safety-rare"):
    return next(q for q in load_course().quiz if q.id == item_id)


def test_right_wrong_and_missing_answers_get_different_feedback() -> None:
    """The right option is praised, a wrong one is corrected, no choice asks for one."""
    q = item()
    assert check_answer(q, q.answer).status == "correct"
    wrong = check_answer(q, (q.answer + 1) % len(q.options))
    assert wrong.status == "incorrect"
    assert q.options[q.answer] in wrong.message and q.explanation in wrong.message
    assert wrong.refs == q.refs
    assert check_answer(q, None).status == "unanswered"


def test_an_option_that_does_not_exist_is_an_error() -> None:
    """Indexes outside the options raise a clear ValueError."""
    with pytest.raises(ValueError, match="option 7 does not exist"):
        check_answer(item(), 7)


def test_every_shipped_question_accepts_its_own_answer() -> None:
    """Each item's stored answer is judged correct and cites a source."""
    for q in load_course().quiz:
        result = check_answer(q, q.answer)
        assert result.correct and result.refs


def test_score_counts_correct_and_answered() -> None:
    """Only answered questions count as answered; the total is all questions."""
    items = load_course().quiz_for("01")
    answers = {items[0].id: items[0].answer, items[1].id: (items[1].answer + 1) % 2}
    s = score(items, answers)
    assert (s.correct, s.answered, s.total) == (1, 2, len(items))
    assert s.summary() == f"1 of {len(items)} correct (2 answered)."


def test_the_widget_shows_feedback_when_clicked() -> None:
    """Pick an option, press Check, read the feedback and the running score."""
    course = load_course()
    items = course.quiz_for("00")
    view = QuizView(items, course)
    first, second = items[0], items[1]
    view.buttons[first.id].click()
    assert "Pick an answer first" in view.feedback[first.id].value
    view.choices[first.id].value = first.answer
    view.buttons[first.id].click()
    assert "Correct." in view.feedback[first.id].value
    assert 'href="#ref-' in view.feedback[first.id].value
    view.choices[second.id].value = (second.answer + 1) % len(second.options)
    view.buttons[second.id].click()
    assert "Not quite." in view.feedback[second.id].value
    assert view.score.value == f"1 of {len(items)} correct (2 answered)."


def test_an_empty_quiz_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one question"):
        QuizView([], load_course())


def test_a_printed_quiz_gives_its_answers_in_the_letters_it_prints() -> None:
    """A physiotherapist saw options lettered A, B, C and answers given as "1: b"."""
    import html
    import re

    from backcourse.render.html import quiz_print

    course = load_course()
    items = course.quiz_for("05")
    text = html.unescape(re.sub(r"<[^>]+>", " ", quiz_print(items, course)))
    for n, item in enumerate(items, start=1):
        letter = "ABCDEF"[item.answer]
        assert f"{letter}. {item.options[item.answer]}" in " ".join(text.split())
        assert f"{n}: {letter}. " in text
