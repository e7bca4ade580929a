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
    #: the API holds the customer and a request of this run lost its answer: it may have
    #: created it, nothing proves it did (nor that it did not)
    RECONCILED = "reconciled"
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
class Work:
    """A sendable row on its way; ``ambiguous`` means an earlier attempt may have created it."""

    prepared: Prepared
    digest: str  # the row's content digest: its key in the job's journal
    ambiguous: bool = False
    maybe_created: bool = False  # a gateway error answered: a later 8006 may be our own add
    #: when an earlier run's request that may have created it left (epoch seconds), if any
    first_sent: float | None = None

    @property
    def row(self) -> int:
        return self.prepared.source.row


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
    #: GETs spent reading the org's field configuration before the first add, and the org file
    org_requests: int = 0
    org_file: str | None = None
    org_unread: str | None = None  # why the org's fields could not be read (no check was made)
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
    #: rows that continue the customer above (``settings.continuation``): no customers, never
    #: sent, in no outcome and not in ``total_rows``
    continuation: int = 0
    #: what the reader met in the cells, per kind and column: ``text_marker`` (Excel's leading
    #: apostrophe, removed), ``excel_error`` (#N/A and the like: the mapped ones also reject or
    #: warn on their rows; the others change nothing)
    cells: dict[str, dict[str, int]] = field(default_factory=dict)
    #: where the rows were read: the workbook's sheet, the header's row (1-based, as the sheet
    #: shows it) and why that row when it is not the first (title rows above it)
    sheet: str | None = None
    header_row: int = 1
    header_note: str = ""
