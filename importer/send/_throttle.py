"""A strict client-side rate limit: even spacing, a sliding-window guard, and 429 pauses.

A sliding-window server counts every request of the last 60 seconds, the first minute included,
so a token bucket that starts full (``aiolimiter``) earns 429s, and one a single request deep
loses every late timer wake-up (both measured in ``benchmarks/bench_limiter.py``).  This throttle
spaces requests evenly at the limit and makes up a late start at no more than twice the rate; a
guard over the last ``rpm`` start times makes sure no window of ``window`` seconds ever holds
more than ``rpm`` of them, whatever the spacing did, so the spacing needs no safety margin.  A
429 pauses everyone at once and cuts the rate for a while, so one 429 stays one.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable

#: slack between the server's clock and ours when the guard decides a window is clear.
GUARD_SLACK = 0.25
#: how far behind its schedule the spacing may fall and still make the time up; further behind
#: (the throttle sat idle), the schedule starts again from now.
CATCH_UP = 1.0


class Throttle:
    """Hands out send slots: at most ``rpm`` in any ``window`` seconds; ``rpm=None`` is no limit."""

    def __init__(
        self,
        rpm: float | None,
        *,
        window: float = 60.0,
        margin: float = 0.0,
        cut: float = 0.5,
        recovery: float = 60.0,
        floor: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if rpm is not None and rpm <= 0:
            raise ValueError("rpm must be positive, or None for no limit")
        self.rpm = rpm
        self.window = window
        self.margin = margin
        self.cut = cut
        self.recovery = recovery
        self.floor = floor
        self._clock = clock
        self._sleep = sleep
        self._limit = max(1, math.floor(rpm)) if rpm is not None else None
        self._starts: deque[float] = deque(maxlen=self._limit)
        self._due = -math.inf  # the schedule's next slot, which a late start may lag behind
        self._next = -math.inf  # the earliest next start
        self._paused_until = -math.inf
        self._factor = 1.0  # the rate cut in force at ``_cut_at``
        self._cut_at = -math.inf
        self._lock = asyncio.Lock()

    # -- state -------------------------------------------------------------------------------

    def factor(self, now: float | None = None) -> float:
        """The share of the limit in use: 1.0, or less while recovering from a 429."""
        now = self._clock() if now is None else now
        if self._factor >= 1.0:
            return 1.0
        regained = (1.0 - self._factor) * (now - self._cut_at) / self.recovery
        return min(1.0, self._factor + max(0.0, regained))

    def interval(self, now: float | None = None) -> float:
        """Seconds between two starts at the current rate (0 when there is no limit)."""
        if self.rpm is None:
            return 0.0
        return self.window / (self.rpm * (1.0 - self.margin) * self.factor(now))

    def wait(self, now: float | None = None) -> float:
        """Seconds until the next slot may be taken (0 when it may be taken now)."""
        now = self._clock() if now is None else now
        ready = max(self._next, self._paused_until)
        if self._limit is not None and len(self._starts) >= self._limit:
            ready = max(ready, self._starts[0] + self.window + GUARD_SLACK)
        return max(0.0, ready - now)

    # -- actions -----------------------------------------------------------------------------

    def try_take(self, now: float | None = None) -> bool:
        """Take a slot if one is free now; never waits."""
        now = self._clock() if now is None else now
        if self.wait(now) > 0:
            return False
        interval = self.interval(now)
        # a late start (a slow timer, the first request waiting for its answer) is made up at no
        # more than twice the rate, so lag does not pile up as lost throughput
        due = self._due if self._due >= now - CATCH_UP else now
        self._due = due + interval
        self._next = max(self._due, now + interval / 2)
        if self._limit is not None:
            self._starts.append(now)
        return True

    async def acquire(self) -> None:
        """Wait for a slot; callers queue in order, and a pause reaches the one waiting."""
        if self.rpm is None and self._paused_until <= self._clock():
            return
        async with self._lock:
            while not self.try_take():
                await self._sleep(self.wait())

    def pause(self, seconds: float) -> None:
        """Send nothing for ``seconds`` from now (a later pause may extend it, never shorten it)."""
        self._paused_until = max(self._paused_until, self._clock() + max(0.0, seconds))
        # the schedule resumes when the pause ends: the paused time is not made up
        self._due = max(self._due, self._paused_until)

    def rate_limited(self, retry_after: float | None, fallback: float = 5.0) -> float:
        """React to a 429: pause for ``retry_after`` (or ``fallback``) and cut the rate once.

        The answers to requests already in flight arrive during the pause; they cut nothing more.
        Returns the pause in seconds.
        """
        now = self._clock()
        seconds = retry_after if retry_after is not None and retry_after >= 0 else fallback
        if now >= self._paused_until:
            self._factor = max(self.floor, self.factor(now) * self.cut)
            self._cut_at = now
        self.pause(seconds)
        return seconds
