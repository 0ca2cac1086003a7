"""The guided session player: timing on a fake clock, what is logged, and the widget."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import re
import threading

import pytest

from backcourse.content.load import load_course
from backcourse.core.model import Dose, Exercise, Rung
from backcourse.core.player import PAUSE_S, Player, plan
from backcourse.journal.store import Journal
from backcourse.views.player import SessionPlayerView

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


def dose(move: str) -> Dose:
    """A move's dose as the course sets it (the tests follow the data, not a copy of it)."""
    return next(m.dose for x in COURSE.exercises for r in x.rungs for m in r.moves
                if m.id == move)


def play_through(player: Player, clock: FakeClock) -> float:
    """Do every set as a diligent learner: in position at once, every hold to its end.
    Returns the seconds that passed."""
    began = clock.now
    while player.phase in ("work", "rest"):
        if player.stage == "ready":
            player.start_hold()
        elif player.stage == "reps":
            player.add_rep()
        else:
            clock.advance(player.remaining or 0)
            player.tick()
    return clock.now - began


def expected_seconds(player: Player) -> float:
    """Holds (hold-only moves to the level's goal), the pauses between held reps, and rest
    after each set except between the two sides of one set and after the last."""
    total = 0.0
    for i, w in enumerate(player.steps):
        if w.hold_s:
            reps = w.reps or 1
            total += (w.hold_s if w.reps else w.goal_s or 0) * reps + (reps - 1) * PAUSE_S
        after = player.steps[i + 1] if i + 1 < len(player.steps) else None
        if after and not (after.move == w.move and after.set_no == w.set_no):
            total += w.move.dose.rest_s
    return total


def test_a_whole_session_runs_on_the_clock_and_meets_every_target() -> None:
    clock = FakeClock()
    today = session("dead-hang-1", "psoas-march-1", "big-three-1", "hanging-knee-raise-2")
    player = Player(today, clock)
    assert len(player.steps) == sum(m.dose.sets * (2 if m.dose.per_side else 1)
                                    for _x, rung in today for m in rung.moves)
    player.begin(2)
    assert play_through(player, clock) == pytest.approx(expected_seconds(player))
    assert player.phase == "pain after"
    player.finish(3, 4)
    logs = {log.exercise: log for log in player.logs("2026-03-02")}
    assert set(logs) == {"dead-hang", "psoas-march", "big-three", "hanging-knee-raise"}
    for _x, rung in today:  # every set of the dose; a hold-only move held to the level's goal
        d, log = rung.moves[0].dose, logs[rung.id.rsplit("-", 1)[0]]
        seconds = rung.target.hold_s if d.reps is None else d.hold_s
        assert (log.rung, log.sets, log.reps, log.seconds) == (rung.id, d.sets, d.reps, seconds)
    for (_x, rung), log in zip(today, logs.values(), strict=False):  # the progression engine agrees
        assert rung.target.met_by(log.sets, log.reps, log.seconds), rung.id
    assert {(log.pain_before, log.pain_after, log.note) for log in logs.values()} == {
        (2, 3, "guided session")}


def test_each_held_set_waits_for_the_learner_and_late_ticks_do_not_drift() -> None:
    clock = FakeClock()
    player = Player(session("dead-hang-3"), clock)
    player.begin(0)
    assert (player.stage, player.remaining) == ("ready", None)
    clock.advance(30)  # time before the learner is in position does not count
    player.tick()
    assert player.stage == "ready"
    player.start_hold()
    clock.advance(29.5)
    player.tick()
    assert (player.stage, player.remaining) == ("hold", 0.5)
    clock.advance(0.5 + 90 + 5)  # the hold ends and the whole rest passes, 5 s late
    player.tick()
    assert (player.phase, player.stage, player.step.set_no) == ("work", "ready", 2)


def test_a_hold_only_move_may_go_past_its_dose_to_the_goal() -> None:
    clock = FakeClock()
    player = Player(session("dead-hang-1"), clock)  # dose 20 s, goal 30 s
    player.begin(0)
    player.start_hold()
    clock.advance(24)
    player.tick()
    assert (player.stage, player.held) == ("hold", 24)
    player.end_set()
    assert player.done[0].held_s == 24 and player.phase == "rest"


def test_held_reps_pause_between_them_and_count_themselves() -> None:
    clock = FakeClock()
    player = Player(session("big-three-1"), clock)
    player.begin(1)
    player.start_hold()
    curl = dose("curl-up-head-supported")
    assert curl.reps and curl.reps > 1 and curl.hold_s
    assert (player.step.move.id, player.step.reps, player.remaining) == (
        "curl-up-head-supported", curl.reps, curl.hold_s)
    clock.advance(curl.hold_s)
    player.tick()
    assert (player.rep, player.stage, player.remaining) == (1, "pause", PAUSE_S)
    clock.advance(PAUSE_S)
    player.tick()
    assert (player.stage, player.remaining) == ("hold", curl.hold_s)
    with pytest.raises(ValueError, match="counts its reps itself"):
        player.add_rep()


def test_the_two_sides_of_a_set_follow_each_other_without_rest() -> None:
    clock = FakeClock()
    player = Player(session("hanging-knee-raise-2"), clock)
    player.begin(0)
    reps = dose("hang-alternating-knee-raise").reps or 0
    for _ in range(reps):
        player.add_rep()
    assert (player.phase, player.step.side, player.step.set_no) == ("work", "right", 1)
    for _ in range(reps):
        player.add_rep()
    assert player.phase == "rest"


def test_a_stop_halfway_through_a_set_counts_only_full_sets() -> None:
    clock = FakeClock()
    player = Player(session("psoas-march-1"), clock)
    player.begin(2)
    march = dose("march-lying")
    full = march.sets - 1  # every set but the last on both sides, then the last one's left
    while len([d for d in player.done.values() if d.reps == march.reps]) < 2 * full + 1:
        if player.stage == "ready":
            player.start_hold()
        else:
            clock.advance(player.remaining or 0)
            player.tick()
    player.stop("pain")
    player.finish(6, 7)
    (log,) = player.logs("2026-03-02")
    assert (log.sets, log.reps, log.pain_after) == (full, march.reps, 6)
    assert log.note == "guided session; stopped early: pain"
    assert not player.steps[0].rung.target.met_by(log.sets, log.reps, log.seconds)


def test_cutting_a_hold_short_and_stopping_in_a_rest_are_logged_honestly() -> None:
    clock = FakeClock()
    player = Player(session("dead-hang-1", "psoas-march-1"), clock)
    player.begin(4)
    player.start_hold()
    clock.advance(12)
    player.end_set()  # only 12 of 20 s
    player.skip_rest()
    player.start_hold()
    clock.advance(20)
    player.end_set()
    player.stop("pain")  # during the rest
    assert player.phase == "pain after" and player.remaining is None
    player.finish(7, 8)
    (hang,) = player.logs("2026-03-02")  # the march was never reached
    assert (hang.sets, hang.seconds, hang.pain_after) == (2, 12, 7)


def test_a_sleeping_page_freezes_the_countdown_instead_of_crediting_time() -> None:
    clock = FakeClock()
    player = Player(session("dead-hang-3"), clock, max_gap=5)
    player.begin(0)
    player.start_hold()
    for _ in range(10):
        clock.advance(0.2)
        player.tick()
    clock.advance(600)  # the laptop slept
    player.tick()
    assert player.frozen == pytest.approx(28) and player.remaining is None
    assert player.stage == "hold" and not player.done
    player.resume()
    assert player.remaining == pytest.approx(28)
    clock.advance(1)
    assert player.held == pytest.approx(3)


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
    with pytest.raises(ValueError, match="nothing is paused"):
        player.resume()
    assert plan(session("dead-hang-1"))[0].side == ""


def shown(markup: str) -> str:
    """The text a person reads in ``markup``."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_the_player_widget_completes_a_session_and_the_journal_holds_it() -> None:
    clock = FakeClock()
    journal = Journal(":memory:")
    view = SessionPlayerView(COURSE, journal, dt.date(2026, 3, 2),
                             session("dead-hang-2", "hanging-knee-raise-2"), clock=clock,
                             ticker=False)
    assert view.rep.layout.display == "none" and view.start.layout.display == ""
    first = view.heading.value  # before the start: what this session needs, and bar safety
    assert "What you need" in first and "pull-up bar" in first and "No safe bar?" in first
    assert "exercise mat" not in first and "low bar" not in first  # only today's levels
    view.start.click()
    assert "choose how much it hurts" in view.status.value  # no rating, no start
    view.pain.value = 1
    view.start.click()
    assert "Set 1 of 3" in view.heading.value and "bc-figure" in view.figure.value
    assert "Get into position" in view.status.value and view.hold.layout.display == ""
    view.hold.click()
    # a hold-only level counts down today's hold (10 s), then on to its goal (20 s)
    assert 'role="timer"' in view.clock.value and "Hold for 10 s." in view.status.value
    assert "10 s to go (today's hold: 10 s)" in shown(view.clock.value)
    clock.advance(10)
    view.tick()
    assert "10 s more to the level's goal of 20 s" in shown(view.clock.value)
    assert "Today's hold is done" in html.unescape(view.status.value)
    while view.player.phase in ("work", "rest"):
        if view.player.stage == "ready":
            view.hold.click()
        elif view.player.stage == "reps":
            assert view.rep.layout.display == ""
            view.rep.click()
        else:
            clock.advance(view.player.remaining or 0)
            view.tick()
    assert view.save.layout.display == "" and view.pain.value == ""  # asked afresh
    assert view.peak.layout.display == ""
    view.pain.value = 2
    view.save.click()
    assert "how much it hurt at its worst" in view.status.value  # the peak is required too
    view.peak.value = 4
    view.save.click()
    assert "Saved to your journal" in view.heading.value
    logged = {(s.exercise, s.sets, s.reps, s.seconds, s.pain_before, s.pain_after)
              for s in journal.sessions()}
    assert logged == {("dead-hang", 3, None, 20, 1, 2), ("hanging-knee-raise", 3, 6, None, 1, 2)}


def test_the_stop_button_explains_what_to_do() -> None:
    view = SessionPlayerView(COURSE, Journal(":memory:"), dt.date(2026, 3, 2),
                             session("psoas-march-1"), clock=FakeClock(), ticker=False)
    view.pain.value = 0
    view.start.click()
    view.stop.click()
    advice = view.heading.value
    assert "You stopped" in advice and "go back one level" in advice
    assert "take the safety check again in notebook 00" in advice
    assert view.stop.layout.display == "none" and view.save.layout.display == ""


def test_the_countdown_ticks_on_the_kernels_event_loop_with_no_thread(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """One ticker for IPython's kernel and the browser's Pyodide kernel, which starts no
    threads: a task on the event loop the kernel runs."""
    from backcourse.views import player as player_view

    def no_threads(*args: object, **kwargs: object) -> None:
        raise RuntimeError("can't start new thread")  # as in Pyodide

    monkeypatch.setattr(threading, "Thread", no_threads)
    monkeypatch.setattr(SessionPlayerView, "_going", lambda self: self.player.counting)
    clock = FakeClock()

    async def hold_until_the_countdown_ends() -> tuple[tuple[str, str], tuple[str, str]]:
        view = SessionPlayerView(COURSE, Journal(":memory:"), dt.date(2026, 3, 2),
                                 session("dead-hang-2"), clock=clock)
        view.pain.value = 1
        view.start.click()
        view.hold.click()
        counting = (view.player.phase, view.player.stage)
        clock.advance(view.player.remaining or 0)
        await asyncio.sleep(5 * player_view.TICK_S)
        return counting, (view.player.phase, view.player.stage)

    counting, after = asyncio.run(hold_until_the_countdown_ends())
    assert after != counting, counting
