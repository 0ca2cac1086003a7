"""A guided session as a state machine over an injectable clock (tested with a fake one).

The session is today's rung of each exercise. It opens with a pain rating, then walks
through every set of every move. A held set starts when the learner says they are in
position; its holds count down, with a short pause between the reps of a held move. A
hold-only move may go on past its dose up to the level's goal. Reps without a hold are
counted by the learner. Rest counts down between sets (not between the two sides of one
set). A pain rating closes the session; stopping at any time jumps to it.

Only time that was watched counts: if the clock jumps (a sleeping laptop, a suspended
kernel), the running countdown freezes until the learner resumes.
:meth:`Player.logs` turns what was done into journal entries, one per exercise.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from typing import Literal

from backcourse.core.model import Exercise, Move, Rung
from backcourse.core.records import SessionLog
from backcourse.core.schedule import PAUSE_S

Phase = Literal["pain before", "work", "rest", "pain after", "done"]
Stage = Literal["ready", "hold", "pause", "reps", "resting", "none"]


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

    @property
    def goal_s(self) -> int | None:
        """How long a hold may go: the level's goal if it asks for more than the dose."""
        if self.hold_s is None:
            return None
        target = self.rung.target.hold_s if self.reps is None else None
        return max(self.hold_s, target or 0)


@dataclasses.dataclass
class Done:
    """What one set (one side) achieved: reps finished, and the shortest hold (a hold cut
    short counts for the time it lasted)."""

    reps: int = 0
    held_s: float | None = None

    @property
    def counts(self) -> bool:
        return self.reps > 0 or bool(self.held_s)


def plan(session: Sequence[tuple[Exercise, Rung]]) -> list[Work]:
    """Every set of every move of the session, in order (left then right for each side)."""
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
                 clock: Callable[[], float] = time.monotonic,
                 max_gap: float | None = None) -> None:
        self.steps = plan(session)
        if not self.steps:
            raise ValueError("a session needs at least one exercise")
        self._clock = clock
        self.max_gap = max_gap  # a longer wait between ticks freezes the countdown
        self.phase: Phase = "pain before"
        self.stage: Stage = "none"
        self.index = 0
        self.rep = 0  # reps finished in this set
        self.pain_before: int | None = None
        self.pain_after: int | None = None
        self.pain_peak: int | None = None  # the worst during the session
        self.stopped: str | None = None
        self.frozen: float | None = None  # seconds left when a countdown was frozen
        self.done: dict[int, Done] = {}
        self._ends: float | None = None  # when the running countdown reaches zero
        self._hold_started: float | None = None
        self._frozen_held: float | None = None  # seconds into the hold when it froze
        self._last_tick: float | None = None

    # --- where we are -------------------------------------------------------------------
    @property
    def step(self) -> Work:
        return self.steps[min(self.index, len(self.steps) - 1)]

    @property
    def next_step(self) -> Work | None:
        return self.steps[self.index + 1] if self.index + 1 < len(self.steps) else None

    @property
    def remaining(self) -> float | None:
        """Seconds left on the running countdown, or None when nothing counts down."""
        if self._ends is None:
            return None
        return max(0.0, self._ends - self._clock())

    @property
    def held(self) -> float | None:
        """Seconds into the current hold, while holding."""
        if self.stage != "hold" or self._hold_started is None:
            return None
        return self._clock() - self._hold_started

    @property
    def counting(self) -> bool:
        """Whether a countdown runs (so the clock needs watching)."""
        return self._ends is not None

    # --- what the learner does ------------------------------------------------------------
    def begin(self, pain: int) -> None:
        """Rate pain now (0-10) and go to the first set."""
        self._need("pain before")
        self.pain_before = _pain(pain)
        self._start_set()

    def start_hold(self) -> None:
        """In position: start the first hold of a held set."""
        self._need("work")
        if self.stage != "ready":
            raise ValueError("no hold is waiting to start")
        self._hold(self._clock())

    def add_rep(self) -> None:
        """Count one rep of a move without a hold; the set ends at its target."""
        self._need("work")
        if self.stage != "reps":
            raise ValueError("this move counts its reps itself, one hold at a time")
        self.rep += 1
        self._record(None)
        if self.step.reps is not None and self.rep >= self.step.reps:
            self._end_set()

    def end_set(self) -> None:
        """Finish the set now (a hold cut short keeps the time held so far)."""
        self._need("work")
        held = self.held
        if held is not None and held > 0:
            if self.step.reps is None:
                self.rep = 1
            self._record(held)
        self._end_set()

    def skip_rest(self) -> None:
        self._need("rest")
        self._next_set()

    def resume(self) -> None:
        """Restart a countdown that froze while nobody watched."""
        if self.frozen is None:
            raise ValueError("nothing is paused")
        now = self._clock()
        self._ends, self.frozen, self._last_tick = now + self.frozen, None, now
        if self._hold_started is not None:
            self._hold_started = now - (self._frozen_held or 0.0)

    def stop(self, reason: str = "pain") -> None:
        """Stop the session now; only the closing pain rating is left."""
        if self.phase in ("pain after", "done"):
            return
        self.stopped = reason
        self._ends, self.frozen, self.stage = None, None, "none"
        self.phase = "pain after"

    def finish(self, pain: int, peak: int) -> None:
        """Rate pain now and at its worst during the session (0-10); the session is then
        complete."""
        self._need("pain after")
        self.pain_after, self.pain_peak = _pain(pain), _pain(peak)
        self.phase = "done"

    def tick(self) -> None:
        """Move on when the running countdown has reached zero (call it often)."""
        now = self._clock()
        last, self._last_tick = self._last_tick, now
        if (self.max_gap is not None and last is not None and self._ends is not None
                and now - last > self.max_gap):
            self._frozen_held = None if self._hold_started is None else last - self._hold_started
            self.frozen, self._ends = max(0.0, self._ends - last), None
            return
        while self._ends is not None and now >= self._ends:
            over = self._ends
            if self.phase == "rest":
                self._next_set()
            elif self.stage == "pause":
                self._hold(over)
            else:  # a hold ran to its end: the dose, or the goal of a hold-only move
                self.rep += 1
                self._record(over - (self._hold_started or over))
                if self.step.reps is None or self.rep >= self.step.reps:
                    self._end_set(at=over)
                else:
                    self.stage, self._hold_started = "pause", None
                    self._ends = over + PAUSE_S

    # --- results ----------------------------------------------------------------------
    def logs(self, day: str) -> list[SessionLog]:
        """One journal entry per exercise with at least one set done.

        A set counts once every side of it was done; its reps and hold are those of its
        weaker side. ``sets`` is the fewest full sets of any move of the level.
        """
        if self.phase != "done":
            raise ValueError("rate the pain after the session first")
        assert self.pain_before is not None and self.pain_after is not None
        note = "guided session" + (f"; stopped early: {self.stopped}" if self.stopped else "")
        entries = []
        for exercise, rung in dict.fromkeys((w.exercise, w.rung) for w in self.steps):
            full: dict[str, list[Done]] = {m.id: [] for m in rung.moves}
            for move in rung.moves:
                for set_no in range(1, move.dose.sets + 1):
                    sides = [self.done.get(i) for i, w in enumerate(self.steps)
                             if w.exercise == exercise and w.move == move and w.set_no == set_no]
                    if sides and all(d is not None and d.counts for d in sides):
                        done = [d for d in sides if d is not None]
                        full[move.id].append(Done(min(d.reps for d in done), min(
                            (d.held_s for d in done if d.held_s), default=None)))
            if not any(full.values()):
                continue
            moves = {m.id: m for m in rung.moves}
            reps = [d.reps for mid, ds in full.items() for d in ds if moves[mid].dose.reps]
            held = [d.held_s for mid, ds in full.items() for d in ds
                    if moves[mid].dose.hold_s and d.held_s]
            entries.append(SessionLog(
                done_on=day, exercise=exercise.id, rung=rung.id,
                sets=min(len(ds) for ds in full.values()),
                reps=min(reps) if reps else None,
                seconds=math.floor(min(held) + 1e-6) if held else None,
                pain_before=self.pain_before, pain_after=self.pain_after,
                pain_peak=self.pain_peak, note=note))
        return entries

    # --- inside -----------------------------------------------------------------------
    def _need(self, phase: Phase) -> None:
        if self.phase != phase:
            raise ValueError(f"not now: the session is at {self.phase!r}, not {phase!r}")

    def _start_set(self) -> None:
        self.phase, self.rep, self._ends, self._hold_started = "work", 0, None, None
        self.stage = "reps" if self.step.hold_s is None else "ready"

    def _hold(self, at: float) -> None:
        """A held rep lasts its dose; a hold-only set may go on to the level's goal."""
        self.stage, self._hold_started = "hold", at
        length = self.step.hold_s if self.step.reps is not None else self.step.goal_s
        self._ends = at + (length or 0)

    def _record(self, held: float | None) -> None:
        done = self.done.setdefault(self.index, Done())
        done.reps = self.rep
        if held is not None and held > 0:
            done.held_s = held if done.held_s is None else min(done.held_s, held)

    def _end_set(self, at: float | None = None) -> None:
        self._hold_started, self.stage = None, "none"
        after = self.next_step
        if after is None:
            self._ends, self.index, self.phase = None, len(self.steps), "pain after"
            return
        if after.move == self.step.move and after.set_no == self.step.set_no:
            self._next_set()  # the other side of the same set: no rest in between
            return
        self.phase, self.stage = "rest", "resting"
        self._ends = (self._clock() if at is None else at) + self.step.move.dose.rest_s

    def _next_set(self) -> None:
        self.index += 1
        self._start_set()


def _pain(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"pain is a whole number from 0 to 10 (got {value!r})")
    return value
