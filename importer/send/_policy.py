"""How hard and how fast to try, and what was counted: the pool's policy and statistics."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from importer._models import Bucket

BUCKET_SECONDS = 5.0


def backoff(failures: int, rng: random.Random, *, base: float = 0.5, cap: float = 30.0) -> float:
    """Exponential backoff with jitter: about ``base * 2**(failures-1)``, at most ``cap``."""
    ceiling = min(cap, base * 2 ** max(0, failures - 1))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def default_concurrency(rpm: float | None, latency: float = 1.0) -> int:
    """Enough requests in flight that ``latency`` seconds of answer time cost no throughput."""
    if rpm is None:
        return 32
    return max(8, min(256, math.ceil(rpm / 60 * latency * 2)))


@dataclass
class Policy:
    """How hard to try: bounded in transient failures and in time per row."""

    concurrency: int = 8
    max_failures: int = 6
    max_row_seconds: float = 300.0
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    unreachable_after: int = 5  # connection failures before the first answer: a wrong URL
    outage_burst: int = 10  # outage signs in a row (no good answer between): the API is down
    outage_wait: float = 600.0  # how long an outage may last before the run gives up
    outage_probe_base: float = 1.0  # first pause before probing; doubles up to the cap
    outage_probe_cap: float = 30.0
    lock_wait: float = 60.0  # how long a row waits for a ledger another process holds


@dataclass
class Stats:
    """Request counters for the summary, with 5-second buckets for the report page's chart."""

    clock: Callable[[], float] = time.monotonic
    adds: int = 0
    lookups: int = 0
    retries: int = 0
    rate_limited: int = 0
    first_add: float | None = None
    last_add: float | None = None
    last_answer: float | None = None
    timeline: list[Bucket] = field(default_factory=list)
    started: float = 0.0

    def __post_init__(self) -> None:
        self.started = self.clock()

    @property
    def requests(self) -> int:
        return self.adds + self.lookups

    def _bucket(self) -> Bucket:
        index = int((self.clock() - self.started) // BUCKET_SECONDS)
        while len(self.timeline) <= index:
            self.timeline.append(Bucket(t=len(self.timeline) * BUCKET_SECONDS))
        return self.timeline[index]

    def request(self, *, lookup: bool = False) -> None:
        self._bucket().requests += 1
        if lookup:
            self.lookups += 1
            return
        self.adds += 1
        self.last_add = self.clock()
        if self.first_add is None:
            self.first_add = self.last_add

    def answered(self) -> None:
        self.last_answer = self.clock()

    def retry(self, *, rate_limited: bool = False) -> None:
        bucket = self._bucket()
        bucket.retries += 1
        self.retries += 1
        if rate_limited:
            bucket.rate_limited += 1
            self.rate_limited += 1

    def achieved_rpm(self) -> float | None:
        """Adds per minute from the first add sent to the last (the rate the throttle set)."""
        if self.first_add is None or self.last_add is None or self.adds < 2:
            return None
        return (self.adds - 1) * 60.0 / max(self.last_add - self.first_add, 1e-6)
