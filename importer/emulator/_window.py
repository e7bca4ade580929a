"""Sliding-window counting, pure: every call is given the time, so tests choose the clock."""

from __future__ import annotations

import math
from collections import deque


class SlidingWindow:
    """At most ``limit`` events per key in any window of ``length`` seconds.

    An event at ``t`` is inside the window ending at ``now`` when ``now - length < t <= now``.
    """

    def __init__(self, limit: int | None, length: float = 60.0) -> None:
        self.limit = limit
        self.length = length
        self._events: dict[str, deque[float]] = {}

    def acquire(self, key: str, now: float) -> float | None:
        """Count an event for ``key``; if the window is full, count nothing and answer the wait.

        The wait is the time until the oldest event leaves the window, so one slot frees up.
        """
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.length:
            events.popleft()
        if self.limit is not None and len(events) >= self.limit:
            return events[0] + self.length - now
        events.append(now)
        return None

    def reset(self) -> None:
        """Forget every event."""
        self._events.clear()


def retry_after_header(wait: float) -> str:
    """``Retry-After`` in whole seconds, rounded up so a client that obeys it finds a slot."""
    return str(max(1, math.ceil(wait - 1e-9)))


class PeakCounter:
    """The largest number of events seen in any window of ``length`` seconds."""

    def __init__(self, length: float = 60.0) -> None:
        self.length = length
        self.peak = 0
        self._events: deque[float] = deque()

    def record(self, now: float) -> int:
        """Count an event; answer how many events the window ending now holds."""
        # the busiest window can always be slid right until it ends on an event
        events = self._events
        while events and events[0] <= now - self.length:
            events.popleft()
        events.append(now)
        self.peak = max(self.peak, len(events))
        return len(events)

    def reset(self) -> None:
        """Forget every event and the peak."""
        self._events.clear()
        self.peak = 0
