"""The guided session player: timing on a fake clock, what is logged, and the widget."""

from __future__ import annotations

import datetime as dt

import pytest

from backcourse.content import load_course
from backcourse.core.model import Exercise, Rung
from backcourse.core.player import PAUSE_S, Player, plan
from backcourse.journal import Journal
from backcourse.playerview import SessionPlayerView

COURSE = load_course()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def session(*rungs: str) -> list[tuple[Exercise, Rung]]:
    return [(x, r) for x in COURSE.exercises for r in x.rungs if r.id in rungs]


def expected_seconds(steps: list) -> float:
    """Holds, the pauses between held reps, and rest after every set but the last."""
    total = 0.0
    for i, w in enumerate(steps):
        dose = w.move.dose
        if dose.hold_s:
            reps = dose.reps or 1
            total += reps * dose.hold_s + (reps - 1) * PAUSE_S
        if i < len(steps) - 1:
            total += dose.rest_s
    return total


def play_through(player: Player, clock: FakeClock, tick=None) -> None:
    tick = tick or player.tick
    while player.phase in ("work", "rest"):
        if player.phase == "work" and player.step.hold_s is None:
            player.add_rep()
        else:
            clock.advance(player.remaining or 0)
            tick()


def test_a_whole_session_runs_on_the_clock_and_logs_each_exercise() -> None:
    clock = FakeClock()
    today = session("dead-hang-1", "psoas-march-1", "big-three-1", "hanging-knee-raise-2")
    player = Player(today, clock)
    assert len(player.steps) == 3 + 6 + (3 + 6 + 6) + 6
    player.begin(2)
    play_through(player, clock)
    assert player.phase == "pain after"
    assert clock.now - 1000.0 == pytest.approx(expected_seconds(player.steps))
    player.finish(3)
    logs = {log.exercise: log for log in player.logs("2026-03-02")}
    assert set(logs) == {"dead-hang", "psoas-march", "big-three", "hanging-knee-raise"}
    hang, march, three, knee = (logs[k] for k in ("dead-hang", "psoas-march", "big-three",
                                                  "hanging-knee-raise"))
    assert (hang.rung, hang.sets, hang.reps, hang.seconds) == ("dead-hang-1", 3, None, 20)
    assert (march.sets, march.reps, march.seconds) == (3, 8, 3)
    assert (three.sets, three.reps, three.seconds) == (3, 4, 8)
    assert (knee.sets, knee.reps, knee.seconds) == (3, 6, None)
    assert {(log.pain_before, log.pain_after, log.note) for log in logs.values()} == {
        (2, 3, "guided session")}


def test_a_late_tick_does_not_stretch_the_rest_or_the_next_hold() -> None:
    clock = FakeClock()
    player = Player(session("dead-hang-1"), clock)
    player.begin(0)
    assert player.remaining == 20
    clock.advance(19.5)
    player.tick()
    assert (player.phase, player.remaining) == ("work", 0.5)
    clock.advance(0.5 + 60 + 5)  # the hold ends, all the rest passes, and 5 s of set 2
    player.tick()
    assert (player.phase, player.step.set_no, player.remaining) == ("work", 2, 15)


def test_held_reps_pause_between_them_and_count_themselves() -> None:
    clock = FakeClock()
    player = Player(session("big-three-1"), clock)
    player.begin(1)
    assert (player.step.move.id, player.step.reps, player.remaining) == (
        "curl-up-head-supported", 4, 8)
    clock.advance(8)
    player.tick()
    assert (player.rep, player.pausing, player.remaining) == (1, True, PAUSE_S)
    with pytest.raises(ValueError, match="counts its reps itself"):
        player.add_rep()


def test_cutting_a_hold_short_and_stopping_are_logged_honestly() -> None:
    clock = FakeClock()
    player = Player(session("dead-hang-1", "psoas-march-1"), clock)
    player.begin(4)
    clock.advance(12)
    player.end_set()  # only 12 of 20 s
    assert player.phase == "rest"
    player.skip_rest()
    clock.advance(20)
    player.tick()
    player.stop("pain")
    assert player.phase == "pain after" and player.remaining is None
    player.finish(7)
    (hang,) = player.logs("2026-03-02")  # the march was never reached
    assert (hang.sets, hang.seconds, hang.pain_after) == (2, 12, 7)
    assert hang.note == "guided session; stopped early: pain"


def test_out_of_turn_and_bad_input_are_refused() -> None:
    player = Player(session("dead-hang-1"), FakeClock())
    with pytest.raises(ValueError, match="not now"):
        player.add_rep()
    with pytest.raises(ValueError, match="0 to 10"):
        player.begin(11)
    with pytest.raises(ValueError, match="at least one exercise"):
        Player([], FakeClock())
    with pytest.raises(ValueError, match="rate the pain"):
        player.logs("2026-03-02")
    assert plan(session("dead-hang-1"))[0].side == ""


def test_the_player_widget_completes_a_session_and_the_journal_holds_it() -> None:
    clock = FakeClock()
    journal = Journal(":memory:")
    view = SessionPlayerView(COURSE, journal, dt.date(2026, 3, 2),
                             session("dead-hang-2", "hanging-knee-raise-2"), clock=clock,
                             ticker=False)
    assert view.rep.layout.display == "none" and view.start.layout.display is None
    view.pain.value = 1
    view.start.click()
    assert "Set 1 of 3" in view.heading.value and 'role="timer"' in view.clock.value
    assert "bc-figure" in view.figure.value  # the move's figure
    while view.player.phase in ("work", "rest"):
        if view.player.phase == "work" and view.player.step.hold_s is None:
            assert view.rep.layout.display is None
            view.rep.click()
        else:
            clock.advance(view.player.remaining or 0)
            view.tick()
    assert view.save.layout.display is None
    view.pain.value = 2
    view.save.click()
    assert "Saved to your journal" in view.heading.value
    logged = {(s.exercise, s.sets, s.reps, s.seconds, s.pain_before, s.pain_after)
              for s in journal.sessions()}
    assert logged == {("dead-hang", 3, None, 10, 1, 2), ("hanging-knee-raise", 3, 6, None, 1, 2)}


def test_the_stop_button_explains_what_to_do() -> None:
    view = SessionPlayerView(COURSE, Journal(":memory:"), dt.date(2026, 3, 2),
                             session("psoas-march-1"), clock=FakeClock(), ticker=False)
    view.start.click()
    view.stop.click()
    advice = view.heading.value
    assert "You stopped" in advice and "go back one level" in advice
    assert "take the safety check again in notebook 00" in advice
    assert view.stop.layout.display == "none" and view.save.layout.display is None
