"""Fault injection for rehearsals: transient failures, lost answers and latency."""

from __future__ import annotations

import random
from dataclasses import dataclass

#: what --fail-rate answers with: the statuses the vendor's API notes call recoverable.
TRANSIENT_STATUSES: tuple[int, ...] = (500, 502, 503, 504, 521)

TRANSIENT_MESSAGES = {
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
    521: "Multiple actions running for the same customer, try later",
}

#: the two ways an ambiguous answer reaches the client.
AMBIGUOUS_TIMEOUT = "504"
AMBIGUOUS_DROP = "dropped"


def parse_latency(text: str) -> tuple[float, float]:
    """``"LO-HI"`` or ``"N"`` milliseconds -> (lo, hi) milliseconds."""
    lo, sep, hi = text.strip().partition("-")
    try:
        low = float(lo)
        high = float(hi) if sep else low
    except ValueError:
        raise ValueError(f"{text!r} is not LO-HI or a number of milliseconds") from None
    if low < 0 or high < low:
        raise ValueError(f"{text!r}: expected 0 <= LO <= HI")
    return low, high


@dataclass
class Faults:
    """Draws faults with one seeded generator, so a seed replays the same rehearsal."""

    fail_rate: float = 0.0
    ambiguous_rate: float = 0.0
    latency_ms: tuple[float, float] = (0.0, 0.0)
    seed: int | None = None

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def transient(self) -> int | None:
        """A status to answer instead of serving the request, or None."""
        if self.fail_rate > 0 and self._rng.random() < self.fail_rate:
            return self._rng.choice(TRANSIENT_STATUSES)
        return None

    def ambiguous(self) -> str | None:
        """How to lose the answer of an add that was stored, or None to answer it."""
        if self.ambiguous_rate > 0 and self._rng.random() < self.ambiguous_rate:
            return self._rng.choice((AMBIGUOUS_TIMEOUT, AMBIGUOUS_DROP))
        return None

    def delay(self) -> float:
        """Seconds to hold the answer back."""
        lo, hi = self.latency_ms
        if hi <= 0:
            return 0.0
        return (lo if lo == hi else self._rng.uniform(lo, hi)) / 1000.0
