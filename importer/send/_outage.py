"""An outage pauses the run, not the rows.

When requests fail to connect, or answer 502/503/504/521, several times in a row across the run,
the API is down for everyone: retrying each row on its own would only spend its attempts. The
run stops sending instead; one request at a time probes the API, with growing pauses, and the
first answer that is not an outage lets every row go on. The failures that belong to the outage
are not charged to any row. Past ``wait`` seconds the run gives up (exit 3).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Any, Protocol


class Charged(Protocol):
    """A row's state: the transient failures charged to it."""

    failures: int


class Outage:
    """Whether the API is down for the whole run, and who probes it."""

    def __init__(
        self,
        *,
        burst: int = 10,
        wait: float = 600.0,
        probe_base: float = 1.0,
        probe_cap: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        log: Any = None,
    ) -> None:
        self.burst = burst
        self.wait = wait
        self.probe_base = probe_base
        self.probe_cap = probe_cap
        self.clock = clock
        self.log = log  # a structlog logger: "outage" and "outage_over" go to run.log
        self.since: float | None = None  # when the outage began
        self._streak: list[Charged] = []  # rows charged a failure since the last good answer
        self._probes = 0
        self._probing = False
        self._over = asyncio.Event()
        self._over.set()

    @property
    def down(self) -> bool:
        return self.since is not None

    def expired(self) -> bool:
        return self.since is not None and self.clock() - self.since >= self.wait

    def remaining(self) -> float:
        return 0.0 if self.since is None else max(0.0, self.since + self.wait - self.clock())

    def failed(self, row: Charged, message: str = "") -> bool:
        """Record an outage-like failure already charged to ``row``; True when it starts an
        outage. Failures that belong to an outage are handed back to their rows."""
        if self.down:
            row.failures -= 1
            return False
        self._streak.append(row)
        if len(self._streak) < self.burst:
            return False
        for charged in self._streak:
            charged.failures -= 1
        self._streak.clear()
        self.since = self.clock()
        self._probes = 0
        self._over.clear()
        if self.log is not None:
            self.log.warning(
                "outage",
                message=message,
                note=f"the API seems down: sending paused, probing for up to {self.wait:g} s "
                "(--outage-wait)",
            )
        return True

    def answered(self) -> bool:
        """An answer that is not an outage: the streak ends, and an outage with it (True)."""
        self._streak.clear()
        if self.since is None:
            return False
        if self.log is not None:
            self.log.info("outage_over", seconds=round(self.clock() - self.since, 1))
        self.since = None
        self._over.set()
        return True

    def take_probe(self) -> float | None:
        """Become the one request that tests the API: the pause to make first, or None when
        another request is probing already."""
        if self._probing:
            return None
        self._probing = True
        pause = min(self.probe_cap, self.probe_base * 2**self._probes)
        self._probes += 1
        return min(pause, self.remaining())

    def probe_done(self) -> None:
        self._probing = False

    async def changed(self, timeout: float = 1.0) -> None:
        """Return when the outage is over, or after ``timeout`` (to take over a lost probe)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._over.wait(), timeout)
