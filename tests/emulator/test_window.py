"""The sliding-window counter and the fault policy, with the clock given by the test."""

from __future__ import annotations

import pytest

from importer.emulator._faults import TRANSIENT_STATUSES, Faults, parse_latency
from importer.emulator._window import PeakCounter, SlidingWindow, retry_after_header


@pytest.mark.parametrize("limit", [1, 5, 100])
def test_window_admits_exactly_the_limit(limit: int) -> None:
    window = SlidingWindow(limit, 60)
    assert [window.acquire("a", 0.0) for _ in range(limit)] == [None] * limit
    assert window.acquire("a", 0.0) == pytest.approx(60)


def test_wait_is_until_the_oldest_event_leaves() -> None:
    window = SlidingWindow(2, 60)
    window.acquire("a", 10.0)
    window.acquire("a", 30.0)
    assert window.acquire("a", 40.0) == pytest.approx(30)
    assert window.acquire("a", 69.9) == pytest.approx(0.1)
    assert window.acquire("a", 70.0) is None  # the event at 10 left at exactly 70
    assert window.acquire("a", 70.0) == pytest.approx(20)


def test_refused_events_do_not_count() -> None:
    window = SlidingWindow(1, 60)
    window.acquire("a", 0.0)
    for t in range(1, 60):
        assert window.acquire("a", float(t)) is not None
    assert window.acquire("a", 60.0) is None


def test_keys_are_counted_apart() -> None:
    window = SlidingWindow(1, 60)
    assert window.acquire("a", 0.0) is None
    assert window.acquire("b", 0.0) is None
    assert window.acquire("a", 1.0) is not None


def test_no_limit_admits_everything_and_reset_forgets() -> None:
    assert all(SlidingWindow(None).acquire("a", 0.0) is None for _ in range(1000))
    window = SlidingWindow(1, 60)
    window.acquire("a", 0.0)
    window.reset()
    assert window.acquire("a", 1.0) is None


@pytest.mark.parametrize(
    ("wait", "header"), [(0.0, "1"), (0.2, "1"), (1.0, "1"), (1.01, "2"), (59.5, "60")]
)
def test_retry_after_rounds_up_to_whole_seconds(wait: float, header: str) -> None:
    assert retry_after_header(wait) == header


@pytest.mark.parametrize(
    ("times", "peak"),
    [
        ([], 0),
        ([0, 1, 2], 3),
        ([0, 30, 60, 90], 2),  # 0 leaves at 60: each window holds two
        ([0, 59.9, 60, 119.9], 2),  # 59.9 is out of the window ending at 119.9
        ([0, 59.9, 60, 119.8], 3),
        ([0] * 5 + [100] * 3, 5),
    ],
)
def test_peak_is_the_busiest_window(times: list[float], peak: int) -> None:
    counter = PeakCounter(60)
    for t in times:
        counter.record(t)
    assert counter.peak == peak


@pytest.mark.parametrize(
    ("text", "bounds"),
    [("50", (50, 50)), ("20-80", (20, 80)), (" 0-0 ", (0, 0)), ("1.5", (1.5, 1.5))],
)
def test_latency_parses(text: str, bounds: tuple[float, float]) -> None:
    assert parse_latency(text) == bounds


@pytest.mark.parametrize("text", ["fast", "80-20", "-5", "1-2-3", ""])
def test_bad_latency_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_latency(text)


def test_a_seed_replays_the_same_faults() -> None:
    def draws(seed: int) -> list[object]:
        faults = Faults(0.3, 0.3, (10, 50), seed)
        return [(faults.transient(), faults.ambiguous(), faults.delay()) for _ in range(200)]

    assert draws(7) == draws(7)
    assert draws(7) != draws(8)


def test_fault_rates_are_honoured() -> None:
    always, never = Faults(1, 1, seed=1), Faults(0, 0, seed=1)
    assert all(always.transient() in TRANSIENT_STATUSES for _ in range(100))
    assert {always.ambiguous() for _ in range(100)} == {"504", "dropped"}
    assert {never.transient() for _ in range(100)} | {never.ambiguous() for _ in range(100)} == {
        None
    }
    assert never.delay() == 0
    assert all(0.01 <= Faults(latency_ms=(10, 20)).delay() <= 0.02 for _ in range(100))
