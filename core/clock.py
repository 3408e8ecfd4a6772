"""The one place guildkit code reads the time.

Cooldowns, schedules and retention call :func:`now` instead of ``datetime.now`` so that tests can
swap in a :class:`ManualClock` and cover "daily" or "in two hours" in milliseconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def timestamp(self) -> float:
        return time.time()


class ManualClock(Clock):
    """A clock that only moves when told to; listeners are told after every move."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime.now(UTC)
        self._monotonic = 0.0
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def timestamp(self) -> float:
        return self._now.timestamp()

    def on_change(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("ManualClock.set needs an aware datetime")
        self.advance(moment - self._now)

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward by ``delta`` or by keyword units (``hours=2``, ``days=1``)."""
        step = (delta or timedelta()) + timedelta(**kwargs)
        if step < timedelta():
            raise ValueError("the clock does not go backwards")
        self._now += step
        self._monotonic += step.total_seconds()
        for listener in list(self._listeners):
            listener()
        return self._now


_current: Clock = Clock()
#: ``_current.monotonic``, bound once per :func:`use`: read for every message and command (caches,
#: cooldowns), so one call instead of two; the system clock's is ``time.monotonic`` itself.
_monotonic: Callable[[], float] = time.monotonic
#: ``_current.timestamp``, bound the same way: the system clock's is ``time.time`` itself.
_timestamp: Callable[[], float] = time.time


def now() -> datetime:
    """The current time, aware, in UTC."""
    return _current.now()


def monotonic() -> float:
    """Seconds on a monotonic scale, for cooldowns and durations."""
    return _monotonic()


def timestamp() -> float:
    """Seconds since the epoch, like ``time.time()``: for code that runs per command and only needs
    to know whether a moment has passed, without building a datetime."""
    return _timestamp()


def current() -> Clock:
    return _current


def use(clock: Clock) -> Clock:
    """Install ``clock`` process-wide and return the one it replaces."""
    global _current, _monotonic, _timestamp
    previous, _current = _current, clock
    _monotonic = time.monotonic if type(clock).monotonic is Clock.monotonic else clock.monotonic
    _timestamp = time.time if type(clock).timestamp is Clock.timestamp else clock.timestamp
    return previous
