"""One row's attempts in this run: what they have come to, and how the sender gives up."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Inferred:
    """An 8006 after an attempt that may have stored the customer: ours, unless claimed."""

    id: int | None
    message: str


@dataclass(slots=True)
class RowState:
    """What one row's attempts have come to so far, in this run."""

    started: float = 0.0  # loop time the row began, moved on by the time spent in outages
    outage_probe: bool = False  # this row's next request tests whether an outage is over
    attempts: int = 0  # posts sent for this row in this run
    failures: int = 0  # transient failures (429s not counted: they wait, without limit)
    rate_limited: int = 0
    probe: bool = False  # this row's first request is the one testing the credentials
    code: str | None = None
    message: str = ""
    request_id: str | None = None


class GiveUp(Exception):  # noqa: N818 - a decision, not an error
    """Lookups kept failing: the row is settled as failed (and looked up again next run)."""
