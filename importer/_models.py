"""The values that travel down the pipeline: read -> map -> validate -> send -> record -> report."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

#: The sources the vendor's Add Customer reference lists; an add names one of them for each profile.
Source = Literal[
    "FACEBOOK",
    "WEB_ENGAGE",
    "WECHAT",
    "INSTORE",
    "MARTJACK",
    "TMALL",
    "TAOBAO",
    "JD",
    "ECOMMERCE",
    "WEBSITE",
    "LINE",
    "MOBILE_APP",
]
SOURCES: tuple[str, ...] = get_args(Source)


class Outcome(enum.StrEnum):
    """Where a row ends up; every input row settles into exactly one."""

    CREATED = "created"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One non-blank input row: its number as the user sees it and its original cells as text."""

    row: int
    cells: dict[str, str]


@dataclass(frozen=True, slots=True)
class IdentityKey:
    """An identifier as the API keys uniqueness: within a source and account."""

    source: str
    account_id: str
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class Prepared:
    """A row after mapping and validation: a payload to send, or a local settlement."""

    source: SourceRow
    payload: dict[str, Any] | None
    keys: tuple[IdentityKey, ...] = ()
    outcome: Outcome | None = None
    code: str | None = None
    message: str | None = None
    #: every problem's code when rejected here (``code`` is the first); warnings when sendable
    codes: tuple[str, ...] = ()
    warnings: tuple[dict[str, Any], ...] = ()

    @property
    def sendable(self) -> bool:
        return self.payload is not None and self.outcome is None


@dataclass(slots=True)
class Settlement:
    """The final word on one row, as written to the journal and the reports."""

    row: int
    outcome: Outcome
    created_id: int | None = None
    code: str | None = None
    message: str | None = None
    warnings: list[dict[str, Any]] = field(default_factory=list)
    side_effects: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    request_id: str | None = None


@dataclass(slots=True)
class Bucket:
    """Counts for one slice of the run's clock, for the report page's chart."""

    t: float  # seconds since the run started, at the bucket's start
    requests: int = 0
    rate_limited: int = 0
    retries: int = 0


@dataclass(slots=True)
class Summary:
    """What ``summary.json`` holds for one input of one run."""

    input: str
    fingerprint: str  # "sha256:<hex>" of the input file's bytes
    job: str
    run: str
    mapping: str
    dry_run: bool = False
    total_rows: int = 0
    sendable: int = 0  # rows a dry run found ready to send
    outcomes: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})
    rows_with_warnings: int = 0
    #: outcome -> code (API, local, HTTP status, created, not_attempted...) -> rows; every row
    #: has one code, so each outcome's codes add up to its count
    codes: dict[str, dict[str, int]] = field(default_factory=dict)
    #: code -> rows with that problem, over every problem of a row (a row rejected for a bad
    #: mobile and a bad date counts under both): what to fix, where ``codes`` is what happened
    problems: dict[str, int] = field(default_factory=dict)
    carried: int = 0  # rows a rerun's folder carries from the run folder it reran
    requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    started_at: str = ""  # ISO 8601, UTC
    finished_at: str = ""
    rpm_limit: float | None = None
    achieved_rpm: float | None = None
    base_url: str | None = None
    aborted: str | None = None  # why the run stopped early, if it did
    exit_code: int = 0
    timeline: list[Bucket] = field(default_factory=list)
    #: created customers per channel type: subscribed / not_subscribed / not_given -> rows
    consent: dict[str, dict[str, int]] = field(default_factory=dict)
    #: per ``first_of`` value (its place in the mapping): rows per candidate that gave it, of
    #: the rows that passed the mapping ("(none)": no candidate had a value)
    first_of: dict[str, dict[str, int]] = field(default_factory=dict)


def exit_code_for(outcomes: dict[str, int], *, aborted: bool) -> int:
    """0 when every row was created, duplicate or skipped; 1 when some were rejected or failed."""
    if aborted:
        return 3
    bad = outcomes.get(Outcome.REJECTED, 0) + outcomes.get(Outcome.FAILED, 0)
    return 1 if bad else 0
