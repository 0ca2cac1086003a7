"""A stopwatch over an injectable clock, so timing is tested without waiting."""

from __future__ import annotations

import time
from collections.abc import Callable


class Stopwatch:
    """Start, stop and reset; ``elapsed`` counts running time across starts."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started: float | None = None
        self._total = 0.0

    @property
    def running(self) -> bool:
        return self._started is not None

    @property
    def elapsed(self) -> float:
        extra = self._clock() - self._started if self._started is not None else 0.0
        return self._total + extra

    def start(self) -> None:
        if self._started is None:
            self._started = self._clock()

    def stop(self) -> float:
        """Stop and return the elapsed seconds (stopping twice changes nothing)."""
        if self._started is not None:
            self._total += self._clock() - self._started
            self._started = None
        return self._total

    def reset(self) -> None:
        self._started, self._total = None, 0.0
