"""aiolimiter beside this project's throttle, on the emulator's strict sliding window.

Each contender paces a real import (the importer's sender, journal and reports) of two minutes'
worth of rows (quick: 15 s) against ``--rpm 1200 --latency-ms 100-600``, one fresh emulator each:

- ``AsyncLimiter(rpm, 60)``: a leaky bucket that starts empty, so it lets ``rpm`` through at once;
- ``AsyncLimiter(1, 60/rpm)``: the same bucket one request deep, i.e. even spacing at the limit;
- ``Throttle(rpm)``: this project's even spacing plus a guard over the last ``rpm`` start times.

aiolimiter has no notion of a 429, so its contenders get the importer's pause on one (every
worker waits out ``Retry-After``): only the pacing differs. Per contender: 429s and the busiest
60 s as the emulator counts them (``/_emulator/stats``; it refuses what exceeds the window, so
the busiest 60 s and 1 s the client *tried* are shown too), and achieved/limit = adds the emulator
accepted per minute from the first send to the last, over the limit. That is the importer's
``achieved_rpm`` when there is no 429; a burst that the empty first window let through can push
it above 1 on a run this short, which is why it stands beside the 429s.

The throttle must reach >= 0.995 of the limit with no 429 and no window over the limit; the
aiolimiter lines are the measured baseline (``INFO``), not targets.
"""

from __future__ import annotations

import asyncio
import bisect
import time
from collections.abc import Callable
from typing import Protocol

from aiolimiter import AsyncLimiter

from benchmarks.bench_send import run_config, write_input
from importer._models import Summary
from importer.emulator import running_emulator
from importer.run._config import resolve_target
from importer.run._run import import_one
from importer.send._throttle import Throttle

RPM = 1200
WINDOW = 60.0


class Pacing(Protocol):
    """What the sender asks of its throttle."""

    rpm: float | None

    def wait(self) -> float: ...

    async def acquire(self) -> None: ...

    def rate_limited(self, retry_after: float | None, fallback: float = 5.0) -> float: ...


class Leaky:
    """aiolimiter's pacing, with the importer's pause on a 429 (aiolimiter has none)."""

    def __init__(self, limiter: AsyncLimiter, rpm: float) -> None:
        self.rpm = rpm
        self._limiter = limiter
        self._pauses = Throttle(None)  # no limit: only pauses

    def wait(self) -> float:
        return self._pauses.wait()

    async def acquire(self) -> None:
        await self._pauses.acquire()
        await self._limiter.acquire()

    def rate_limited(self, retry_after: float | None, fallback: float = 5.0) -> float:
        return self._pauses.rate_limited(retry_after, fallback)


class Recorded:
    """Any pacing, noting when it hands out each slot: the client's side of the count."""

    def __init__(self, inner: Pacing) -> None:
        self.inner = inner
        self.rpm = inner.rpm
        self.starts: list[float] = []

    def wait(self) -> float:
        return self.inner.wait()

    async def acquire(self) -> None:
        await self.inner.acquire()
        self.starts.append(time.monotonic())

    def rate_limited(self, retry_after: float | None, fallback: float = 5.0) -> float:
        return self.inner.rate_limited(retry_after, fallback)


#: name, how to build it inside the run's event loop (aiolimiter binds to the loop it meets)
CONTENDERS: list[tuple[str, Callable[[float], Pacing]]] = [
    ("AsyncLimiter(rpm, 60)", lambda rpm: Leaky(AsyncLimiter(rpm, WINDOW), rpm)),
    ("AsyncLimiter(1, 60/rpm)", lambda rpm: Leaky(AsyncLimiter(1, WINDOW / rpm), rpm)),
    ("Throttle(rpm)", lambda rpm: Throttle(rpm, window=WINDOW)),
]


def busiest(times: list[float], window: float = WINDOW) -> int:
    """The most times in any half-open window (t - window, t], as the emulator counts."""
    times = sorted(times)
    return max(
        (i - bisect.bisect_right(times, t - window) + 1 for i, t in enumerate(times)), default=0
    )


def race(name: str, build: Callable[[float], Pacing], seconds: int) -> tuple[bool, str]:
    """Import ``seconds`` worth of rows at the limit under one pacing; (met the target, line)."""
    rows = RPM * seconds // 60
    path, mapping = write_input("limiter-" + "".join(c for c in name if c.isalnum()), rows)
    with running_emulator("--rpm", str(RPM), "--latency-ms", "100-600", "--seed", "1") as emu:
        config = run_config(path, mapping, emu.url, RPM)

        async def main() -> tuple[Summary, Recorded]:
            pacing = Recorded(build(RPM))
            summary = await import_one(config, resolve_target(config), pacing)  # type: ignore[arg-type]
            return summary, pacing

        summary, pacing = asyncio.run(main())
        stats = emu.stats()
    starts = pacing.starts
    span = starts[-1] - starts[0] if len(starts) > 1 else float("nan")
    accepted, r429, peak = (
        stats["adds_counted"],
        stats["rate_limited_429"],
        stats["max_adds_in_60s"],
    )
    ratio = (accepted - 1) * 60.0 / span / RPM
    created = summary.outcomes["created"]
    ok = ratio >= 0.995 and r429 == 0 and peak <= RPM and created == rows
    line = (
        f"{name}: achieved {ratio * RPM:.0f}/{RPM} rpm = {ratio:.3f}, 429s {r429},"
        f" emulator max 60s window {peak}, tried max {busiest(starts)} in 60 s"
        f" and {busiest(starts, 1.0)} in 1 s,"
        f" {len(starts)} sends for {rows} rows in {span:.1f} s, created {created}"
    )
    return ok, line


def run(quick: bool) -> list[str]:
    seconds = 15 if quick else 120
    label = " (quick: 15 s)" if quick else ""
    lines = []
    for name, build in CONTENDERS:
        ok, line = race(name, build, seconds)
        if name.startswith("Throttle"):
            line = f"{'PASS' if ok else 'FAIL'} limiter{label} {line} (>= 0.995, no 429)"
        else:
            line = f"INFO limiter{label} {line}"
        print("   " + line, flush=True)
        lines.append(line)
    return lines
