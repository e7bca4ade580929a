"""The throttle, on a fake clock: no test sleeps."""

from __future__ import annotations

import asyncio
import bisect

import pytest

from importer.send._throttle import CATCH_UP, GUARD_SLACK, Throttle


class FakeClock:
    """A clock that only moves when someone sleeps; ``late`` oversleeps like a busy event loop."""

    def __init__(self, late: float = 0.0) -> None:
        self.now = 1000.0
        self.late = late

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0) + self.late
        await asyncio.sleep(0)


def make(rpm: float | None, late: float = 0.0, **kwargs: float) -> tuple[Throttle, FakeClock]:
    clock = FakeClock(late)
    return Throttle(rpm, clock=clock, sleep=clock.sleep, **kwargs), clock


def achieved(times: list[float]) -> float:
    """Starts per minute from the first to the last, as the run's summary counts them."""
    return (len(times) - 1) * 60.0 / (times[-1] - times[0])


def max_in_window(times: list[float], window: float) -> int:
    """The most starts in any half-open window (t - window, t]."""
    return max(i - bisect.bisect_right(times, t - window) + 1 for i, t in enumerate(times))


async def take(throttle: Throttle, clock: FakeClock, n: int) -> list[float]:
    times = []
    for _ in range(n):
        await throttle.acquire()
        times.append(clock.now)
    return times


@pytest.mark.parametrize("rpm", [1, 7, 100, 600, 1200])
async def test_never_more_than_rpm_in_any_window_first_minute_included(rpm: int) -> None:
    throttle, clock = make(rpm)
    times = await take(throttle, clock, rpm * 3 + 5)
    assert max_in_window(times, 60.0) <= rpm
    # and it is not timid: the first minute carries the whole limit
    first_minute = sum(1 for t in times if t < times[0] + 60.0)
    assert first_minute == rpm


@pytest.mark.parametrize("rpm", [10, 600])
async def test_requests_are_evenly_spaced_not_bursted(rpm: int) -> None:
    throttle, clock = make(rpm)
    times = await take(throttle, clock, min(rpm, 20))  # one window: the guard is not involved
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) == pytest.approx(max(gaps))
    assert min(gaps) == pytest.approx(60.0 / rpm)  # at the limit: the guard is the safety margin


@pytest.mark.parametrize("late", [0.0, 0.004, 0.02])
async def test_two_minutes_reach_the_limit_though_every_timer_fires_late(late: float) -> None:
    # a limiter that forgets how late it woke loses that lag on every request (4 ms at 1200 rpm
    # is 8%); this one makes it up, and the guard still holds every window to the limit
    throttle, clock = make(1200, late=late)
    times = await take(throttle, clock, 2400)
    assert achieved(times) >= 0.995 * 1200
    assert max_in_window(times, 60.0 + GUARD_SLACK - 1e-6) <= 1200


async def test_a_late_start_is_made_up_at_no_more_than_twice_the_rate() -> None:
    # the first request goes out alone and the others wait for its answer (0.4 s here)
    throttle, clock = make(600)
    first = await take(throttle, clock, 1)
    clock.now += 0.4
    times = first + await take(throttle, clock, 20)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) == pytest.approx(0.05)  # twice the rate, never a burst
    assert times[-1] == pytest.approx(times[0] + 20 * 0.1)  # back on the schedule


async def test_a_pause_or_a_long_idle_is_not_made_up() -> None:
    throttle, clock = make(600)
    await take(throttle, clock, 3)
    throttle.pause(2.0)
    after_pause = await take(throttle, clock, 5)
    clock.now += CATCH_UP + 1.0  # nothing to send for a while
    after_idle = await take(throttle, clock, 5)
    for times in (after_pause, after_idle):
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert min(gaps) == pytest.approx(0.1)


async def test_concurrent_waiters_share_one_schedule() -> None:
    throttle, clock = make(120)
    times: list[float] = []

    async def worker() -> None:
        for _ in range(10):
            await throttle.acquire()
            times.append(clock.now)

    await asyncio.gather(*(worker() for _ in range(8)))
    times.sort()
    assert len(times) == 80
    assert max_in_window(times, 60.0) <= 120
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) > 0.49


async def test_guard_holds_even_if_spacing_were_too_fast() -> None:
    # a negative margin spaces requests faster than the limit: the sliding guard must catch it
    throttle, clock = make(50, margin=-1.0)
    times = await take(throttle, clock, 200)
    assert max_in_window(times, 60.0 + GUARD_SLACK - 1e-6) <= 50


async def test_pause_stops_everyone_and_is_not_shortened() -> None:
    throttle, clock = make(600)
    await throttle.acquire()
    start = clock.now
    throttle.pause(10)
    throttle.pause(3)  # a shorter pause never shortens the longer one
    await throttle.acquire()
    assert clock.now >= start + 10


async def test_pause_applies_without_a_limit_too() -> None:
    throttle, clock = make(None)
    start = clock.now
    await take(throttle, clock, 50)
    assert clock.now == start  # no limit, no waiting
    throttle.pause(2)
    await throttle.acquire()
    assert clock.now >= start + 2


async def test_429_cuts_the_rate_once_and_recovers_gradually() -> None:
    throttle, clock = make(600, recovery=60.0)
    assert throttle.factor() == 1.0
    assert throttle.rate_limited(2.0) == 2.0
    assert throttle.factor() == pytest.approx(0.5)
    # answers to requests already in flight arrive during the pause: no further cut
    for _ in range(20):
        throttle.rate_limited(2.0)
    assert throttle.factor() == pytest.approx(0.5)
    clock.now += 30
    assert 0.5 < throttle.factor() < 1.0
    clock.now += 31
    assert throttle.factor() == 1.0


async def test_spacing_widens_while_the_rate_is_cut() -> None:
    throttle, clock = make(600)
    normal = throttle.interval()
    throttle.rate_limited(0.0)
    assert throttle.interval() == pytest.approx(normal * 2)


async def test_missing_retry_after_uses_the_fallback() -> None:
    throttle, clock = make(100)
    assert throttle.rate_limited(None, fallback=7.5) == 7.5
    assert throttle.wait() == pytest.approx(7.5)


def test_rpm_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Throttle(0)
