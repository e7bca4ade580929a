"""What an API answer means, pure: its verdict, what the row does next, and how it settles.

The one place for the retry statuses, the verdicts, the 429 reaction and the outage sign: the
attempt loop (``_attempt``) only applies what this module decides.

A verdict is read by the codes in the body first, the status second.

The vendor's API notes leave the HTTP status of a rejected add undocumented (400, or 200 with
``errors``), so a body that carries error codes settles the row whatever the status; 401/403 end
the run; 429 and the recoverable 5xx statuses are retried; an answer that never came may have
created the customer.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from importer._models import Outcome, Settlement, Work
from importer.send._policy import Policy, backoff

#: statuses worth sending again (the vendor's API notes: 429 waits, 5xx and 521 are recoverable).
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504, 521})
#: statuses that mean the tool is pointed at the wrong place or refused: retrying cannot help.
FATAL_STATUSES = {
    401: "authentication failed (401): check the credentials",
    403: "access denied (403): the API user lacks access to customers (V2, access group)",
    404: "the API answered 404: check --base-url / --region",
    415: "the API refused the content type (415)",
}
#: codes the vendor's API notes list for adds; on a transient status only these settle the row.
ADD_ERROR_CODES = frozenset(
    {3217, 8003, 8004, 8005, 8006, 8010, 8011, 8012, 8013, 8014, 8017, 8020, 8026, 8028}
)
#: answers that mean the API (or its gateway) is down, not that this row is wrong.
OUTAGE_STATUSES = frozenset({502, 503, 504, 521})
#: gateway and server errors after which the add may still have been stored upstream.
MAYBE_PROCESSED = frozenset({500, 502, 504})
DUPLICATE_CODE = 8006
NOT_FOUND_CODE = 8015

_EXISTING_ID = re.compile(r"\bid\s*[:=]?\s*(\d+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Created:
    """The customer exists now; ``id`` is its id."""

    id: int
    warnings: list[dict[str, Any]] = field(default_factory=list)
    side_effects: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Duplicate:
    """Code 8006: the identifier is taken; ``existing_id`` comes from the message."""

    existing_id: int | None
    message: str
    code: str = str(DUPLICATE_CODE)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A permanent error: sending the same payload again gets the same answer."""

    code: str
    message: str
    warnings: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Retry:
    """A transient answer: send again later; ``retry_after`` is the server's wish, in seconds."""

    status: int | None
    message: str
    retry_after: float | None = None

    @property
    def rate_limited(self) -> bool:
        return self.status == 429


@dataclass(frozen=True, slots=True)
class Ambiguous:
    """No usable answer after the request left: the customer may or may not have been created."""

    message: str


@dataclass(frozen=True, slots=True)
class Fatal:
    """The run cannot go on (credentials refused, wrong host)."""

    status: int
    message: str


Verdict = Created | Duplicate | Rejected | Retry | Ambiguous | Fatal


def parse_body(raw: bytes | str | None) -> Any:
    """JSON of a response body, or None when it is empty or not JSON."""
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds to wait: delta-seconds or an HTTP date; None when unusable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def existing_id(message: str) -> int | None:
    """The customer id inside an 8006 message ("...already exists with id 123 for...")."""
    match = _EXISTING_ID.search(message or "")
    return int(match.group(1)) if match else None


def _problems(body: Any, key: str) -> list[dict[str, Any]]:
    if not isinstance(body, Mapping):
        return []
    items = body.get(key)
    if not isinstance(items, list):
        return []
    return [p for p in items if isinstance(p, Mapping)]


def _code(problem: Mapping[str, Any]) -> str | None:
    code = problem.get("code")
    if code is None or isinstance(code, bool) or str(code).strip() == "":
        return None
    return str(code).strip()


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _status_message(status: int, body: Any) -> str:
    for problem in _problems(body, "errors"):
        if problem.get("message"):
            return f"HTTP {status}: {problem['message']}"
    return f"HTTP {status}"


def classify(status: int, body: Any, headers: Mapping[str, str] | None = None) -> Verdict:
    """The verdict on one add answer (``body`` already parsed, None when it was not JSON)."""
    headers = headers or {}
    if status in (401, 403):
        return Fatal(status, FATAL_STATUSES[status])
    errors = [(c, p) for p in _problems(body, "errors") if (c := _code(p)) is not None]
    warnings = _problems(body, "warnings")
    names_add_error = any(c.isdigit() and int(c) in ADD_ERROR_CODES for c, _ in errors)
    if status in FATAL_STATUSES and not names_add_error:
        return Fatal(status, FATAL_STATUSES[status])
    # a recoverable status settles the row only when the body names an add-level error
    if status in TRANSIENT_STATUSES and not names_add_error:
        retry_after = parse_retry_after(_header(headers, "Retry-After"))
        return Retry(status, _status_message(status, body), retry_after)
    if errors:
        code, problem = next(
            ((c, p) for c, p in errors if c == str(DUPLICATE_CODE)),
            errors[0],
        )
        message = str(problem.get("message") or "")
        if code == str(DUPLICATE_CODE):
            return Duplicate(existing_id(message), message)
        extra = [f"{c}: {p.get('message', '')}" for c, p in errors if p is not problem]
        if extra:
            message = "; ".join([message, *extra])
        return Rejected(code, message, warnings)
    if 200 <= status < 300:
        created = body.get("createdId") if isinstance(body, Mapping) else None
        if isinstance(created, int | str) and str(created).strip().isdigit():
            side = body.get("sideEffects")
            return Created(int(created), warnings, side if isinstance(side, list) else [])
        # a success without an id proves nothing: settle it by lookup like a lost answer
        return Ambiguous(f"HTTP {status} without createdId")
    if status >= 500:
        return Retry(status, _status_message(status, body))
    return Rejected(f"http-{status}", _status_message(status, body), warnings)


@dataclass(frozen=True, slots=True)
class Found:
    """A lookup answer: ``id`` is the customer holding the identifier, or None when nobody does;
    ``created_at`` its creation time when the answer carries one (``createdOnISO``)."""

    id: int | None
    created_at: datetime | None = None


def _created_on(value: Any) -> datetime | None:
    """An ISO 8601 time (UTC when it names no zone), or None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def classify_lookup(
    status: int, body: Any, headers: Mapping[str, str] | None = None
) -> Found | Retry | Fatal | Rejected:
    """The verdict on one lookup answer."""
    headers = headers or {}
    if status in FATAL_STATUSES and status != 404:
        return Fatal(status, FATAL_STATUSES[status])
    codes = [c for p in _problems(body, "errors") if (c := _code(p)) is not None]
    if str(NOT_FOUND_CODE) in codes:
        return Found(None)
    entity = body.get("entity") if isinstance(body, Mapping) else None
    if 200 <= status < 300 and isinstance(entity, int | str) and str(entity).strip().isdigit():
        return Found(int(entity), _created_on(body.get("createdOnISO")))
    if status == 404:
        return Found(None) if codes else Fatal(404, FATAL_STATUSES[404])
    if status in TRANSIENT_STATUSES or status >= 500:
        return Retry(
            status,
            _status_message(status, body),
            parse_retry_after(_header(headers, "Retry-After")),
        )
    return Rejected(codes[0] if codes else f"http-{status}", _status_message(status, body))


def outage_sign(verdict: Any) -> bool:
    """A failed connection (no status) or a gateway status: the API may be down for all."""
    return isinstance(verdict, Retry) and (
        verdict.status is None or verdict.status in OUTAGE_STATUSES
    )


def wait_after(
    verdict: Retry | Ambiguous,
    *,
    failures: int,
    rate_limited: int,
    rng: random.Random,
    policy: Policy,
) -> tuple[float, float | None]:
    """What a transient answer costs: the row's own wait, and a pause for everyone (or None).

    A 429 pauses every request at once, for its ``Retry-After`` or else a backoff on the row's
    429s (they have their own count: they are not failures), and the row waits only that
    pause. Any other transient answer waits a backoff on the row's failures, or the server's
    ``Retry-After`` when that is longer.
    """
    if isinstance(verdict, Retry) and verdict.rate_limited:
        if verdict.retry_after is not None:
            return 0.0, verdict.retry_after
        pause = backoff(max(1, rate_limited), rng, base=policy.backoff_base, cap=policy.backoff_cap)
        return 0.0, pause
    wanted = verdict.retry_after if isinstance(verdict, Retry) else None
    mine = backoff(max(1, failures), rng, base=policy.backoff_base, cap=policy.backoff_cap)
    return max(mine, wanted or 0.0), None


def final_settlement(
    work: Work, verdict: Verdict, *, attempts: int, request_id: str | None
) -> Settlement | None:
    """The settlement a created, duplicate or rejected answer gives; None for any other verdict.

    An 8006 for a row whose earlier attempt may have been stored is not settled here: the
    sender asks who created it (``after_lost_answer``).
    """
    row = work.row
    if isinstance(verdict, Created):
        return Settlement(
            row,
            Outcome.CREATED,
            created_id=verdict.id,
            warnings=verdict.warnings,
            side_effects=verdict.side_effects,
            attempts=attempts,
            request_id=request_id,
        )
    if isinstance(verdict, Duplicate):
        return Settlement(
            row,
            Outcome.DUPLICATE,
            created_id=verdict.existing_id,
            code=verdict.code,
            message=verdict.message,
            attempts=attempts,
            request_id=request_id,
        )
    if isinstance(verdict, Rejected):
        return Settlement(
            row,
            Outcome.REJECTED,
            code=verdict.code,
            message=verdict.message,
            warnings=verdict.warnings,
            attempts=attempts,
            request_id=request_id,
        )
    return None


#: how far behind this machine's clock the API's may be before a creation time just before our
#: first request reads as "before this run" rather than "cannot tell"
CLOCK_SLACK = 1.0
#: the API's creation times are in milliseconds: ours is compared at that resolution
RESOLUTION = 0.001
#: what a row settled after a lost answer says when nothing proves who created the customer
MAY_HAVE_CREATED = (
    "the API holds this customer; a request of this run lost its answer and may have created it"
)


def after_lost_answer(
    row: int,
    customer_id: int | None,
    *,
    created_at: datetime | None,
    first_sent: float | None,
    duplicate: Duplicate | None,
    attempts: int,
    request_id: str | None,
) -> Settlement:
    """What the API holding the customer proves, for a row whose earlier request lost its answer.

    ``created``: the API dates the customer at or after this run's first request for the row;
    ``duplicate``: it dates it before (the customer existed: no request of ours made it);
    ``reconciled``: no creation time to compare (or too close to tell), so nothing proves it.
    Another job's claim is the sender's to check, before a ``created`` or ``reconciled``.
    """
    fields: dict[str, Any] = {
        "created_id": customer_id,
        "attempts": attempts,
        "request_id": request_id,
    }
    if created_at is not None and first_sent is not None:
        made = created_at.timestamp()
        stamp = created_at.isoformat(timespec="milliseconds")
        if made >= first_sent - RESOLUTION:
            return Settlement(
                row,
                Outcome.CREATED,
                message=f"created by this job: a request lost its answer, and the API dates the "
                f"customer ({stamp}) after the row's first request",
                **fields,
            )
        if made < first_sent - CLOCK_SLACK:
            return Settlement(
                row,
                Outcome.DUPLICATE,
                code=duplicate.code if duplicate is not None else "existing",
                message=f"the API held this customer before the row's first request "
                f"(created {stamp})",
                **fields,
            )
    said = f" ({duplicate.code}: {duplicate.message})" if duplicate is not None else ""
    return Settlement(
        row, Outcome.RECONCILED, code="reconciled", message=MAY_HAVE_CREATED + said, **fields
    )
