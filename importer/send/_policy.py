"""How hard and how fast to try: the policy every row's attempts follow, and its backoff."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

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
