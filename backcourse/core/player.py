"""A guided session as a state machine over an injectable clock (tested with a fake one).

The session is today's rung of each exercise. It opens with a pain rating, then walks
through every set of every move: holds count down (with a short pause between the reps of
a hold), reps are counted, and rest counts down between sets. A pain rating closes it.
Stopping at any time jumps to that closing rating. :meth:`Player.logs` turns what was
done into journal entries, one per exercise.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from typing import Literal

from .model import Exercise, Move, Rung
from .records import SessionLog

PAUSE_S = 3  # between the reps of a held move
Phase = Literal["pain before", "work", "rest", "pain after", "done"]


@dataclasses.dataclass(frozen=True)
class Work:
    """One set of one move (on one side, for moves done each side)."""

    exercise: Exercise
    rung: Rung
    move: Move
    set_no: int
    side: str

    @property
    def reps(self) -> int | None:
        return self.move.dose.reps

    @property
    def hold_s(self) -> int | None:
        return self.move.dose.hold_s


@dataclasses.dataclass
class Done:
    """What one set achieved: reps finished, and the shortest hold (a hold cut short counts
    for the time it lasted)."""

    reps: int = 0
    held_s: float | None = None

    @property
    def counts(self) -> bool:
        return self.reps > 0 or bool(self.held_s)


def plan(session: Sequence[tuple[Exercise, Rung]]) -> list[Work]:
    """Every set of every move of the session, in order."""
    steps = []
    for exercise, rung in session:
        for move in rung.moves:
            sides = ("left", "right") if move.dose.per_side else ("",)
            steps += [Work(exercise, rung, move, n, side)
                      for n in range(1, move.dose.sets + 1) for side in sides]
    return steps


class Player:
    """Where the session is, what is left of the current countdown, and what was done."""

    def __init__(self, session: Sequence[tuple[Exercise, Rung]],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.steps = plan(session)
        if not self.steps:
            raise ValueError("a session needs at least one exercise")
        self._clock = clock
        self.phase: Phase = "pain before"
        self.index = 0
        self.rep = 0  # reps finished in this set
        self.pausing = False  # between the reps of a held move
        self.pain_before: int | None = None
        self.pain_after: int | None = None
        self.stopped: str | None = None
        self.done: dict[int, Done] = {}
        self._ends: float | None = None  # when the running countdown reaches zero
        self._hold_started: float | None = None

    # --- where we are -------------------------------------------------------------------
    @property
    def step(self) -> Work:
        return self.steps[min(self.index, len(self.steps) - 1)]

    @property
    def remaining(self) -> float | None:
        """Seconds left on the running countdown, or None when nothing counts down."""
        if self._ends is None:
            return None
        return max(0.0, self._ends - self._clock())

    @property
    def holding(self) -> bool:
        return self.phase == "work" and self.step.hold_s is not None and not self.pausing

    # --- what the learner does ------------------------------------------------------------
    def begin(self, pain: int) -> None:
        """Rate pain now (0-10) and start the first set."""
        self._need("pain before")
        self.pain_before = _pain(pain)
        self._start_set()

    def add_rep(self) -> None:
        """Count one rep of a move without a hold; the set ends at its target."""
        self._need("work")
        if self.step.hold_s is not None:
            raise ValueError("this move counts its reps itself, one hold at a time")
        self.rep += 1
        self._record(None)
        if self.step.reps is not None and self.rep >= self.step.reps:
            self._end_set()

    def end_set(self) -> None:
        """Finish the set now (a hold cut short keeps the time held so far)."""
        self._need("work")
        if self.holding and self._hold_started is not None:
            self._record(self._clock() - self._hold_started)
        self._end_set()

    def skip_rest(self) -> None:
        self._need("rest")
        self._next_set()

    def stop(self, reason: str = "pain") -> None:
        """Stop the session now; only the closing pain rating is left."""
        if self.phase in ("pain after", "done"):
            return
        self.stopped = reason
        self._ends = None
        self.phase = "pain after"

    def finish(self, pain: int) -> None:
        """Rate pain at the end (0-10); the session is then complete."""
        self._need("pain after")
        self.pain_after = _pain(pain)
        self.phase = "done"

    def tick(self) -> None:
        """Move on when the running countdown has reached zero (call it often)."""
        while self._ends is not None and self._clock() >= self._ends:
            over = self._ends
            if self.phase == "rest":
                self._next_set(at=over)
            elif self.pausing:
                self.pausing = False
                self._countdown(self.step.hold_s, at=over)
                self._hold_started = over
            else:  # a hold ran its full time
                self.rep += 1
                self._record(float(self.step.hold_s or 0))
                if self.step.reps is None or self.rep >= self.step.reps:
                    self._end_set(at=over)
                else:
                    self.pausing = True
                    self._countdown(PAUSE_S, at=over)

    # --- results ----------------------------------------------------------------------
    def logs(self, day: str) -> list[SessionLog]:
        """One journal entry per exercise with at least one set done."""
        if self.phase != "done":
            raise ValueError("rate the pain after the session first")
        assert self.pain_before is not None and self.pain_after is not None
        note = "guided session" + (f"; stopped early: {self.stopped}" if self.stopped else "")
        entries = []
        for exercise, rung in dict.fromkeys((w.exercise, w.rung) for w in self.steps):
            done = [(w, self.done[i]) for i, w in enumerate(self.steps)
                    if w.exercise == exercise and i in self.done and self.done[i].counts]
            if not done:
                continue
            per_move = [len({w.set_no for w, _ in done if w.move == m}) for m in rung.moves]
            reps = [d.reps for w, d in done if w.reps is not None]
            held = [d.held_s for w, d in done if w.hold_s is not None and d.held_s]
            entries.append(SessionLog(
                done_on=day, exercise=exercise.id, rung=rung.id, sets=min(per_move),
                reps=min(reps) if reps else None, seconds=int(min(held)) if held else None,
                pain_before=self.pain_before, pain_after=self.pain_after, note=note))
        return entries

    # --- inside -----------------------------------------------------------------------
    def _need(self, phase: Phase) -> None:
        if self.phase != phase:
            raise ValueError(f"not now: the session is at {self.phase!r}, not {phase!r}")

    def _countdown(self, seconds: float | None, at: float | None = None) -> None:
        self._ends = None if seconds is None else (self._clock() if at is None else at) + seconds

    def _start_set(self, at: float | None = None) -> None:
        self.phase, self.rep, self.pausing = "work", 0, False
        self._countdown(self.step.hold_s, at)
        self._hold_started = (self._clock() if at is None else at) if self.step.hold_s else None

    def _record(self, held: float | None) -> None:
        done = self.done.setdefault(self.index, Done())
        done.reps = self.rep
        if held is not None and held > 0:
            done.held_s = held if done.held_s is None else min(done.held_s, held)

    def _end_set(self, at: float | None = None) -> None:
        self._hold_started = None
        if self.index + 1 >= len(self.steps):
            self._ends, self.index, self.phase = None, len(self.steps), "pain after"
            return
        self.phase = "rest"
        self._countdown(self.step.move.dose.rest_s, at)

    def _next_set(self, at: float | None = None) -> None:
        self.index += 1
        self._start_set(at)


def _pain(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"pain is a whole number from 0 to 10 (got {value!r})")
    return value
