"""What was counted: requests, retries and 429s for the summary and the report page's chart."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from importer._models import Bucket

BUCKET_SECONDS = 5.0


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
