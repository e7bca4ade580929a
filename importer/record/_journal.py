"""The per-job SQLite journal: each row's state, written before and after every request.

Rows are matched by **content**, not by position: an entry is keyed by the digest of the row's
cells as read, so a nightly file that reuses a name, a row that moved, or a row fixed by hand is
new work, while the same row found again (on any line) keeps what an earlier run settled.

A row is ``pending`` until its first request, ``in_flight`` while a request may be on the wire
(written and committed *before* it leaves), and ``settled`` with its outcome afterwards.  After a
crash an ``in_flight`` row may or may not exist on the server: the next run looks it up first.
WAL with ``synchronous=NORMAL`` survives a killed process (not a power cut) at a cheap commit.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from importer._layout import now_iso
from importer._mask import mask_text
from importer._models import Outcome, Settlement
from importer.record._storage import Database

PENDING = "pending"
IN_FLIGHT = "in_flight"
SETTLED = "settled"

# ``entries`` replaces the ``rows`` table of journals written before rows were matched by content;
# an older journal keeps that table, unread.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    digest TEXT PRIMARY KEY,
    row INTEGER NOT NULL,
    payload TEXT,
    state TEXT NOT NULL,
    outcome TEXT,
    ambiguous INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_id INTEGER,
    code TEXT,
    message TEXT,
    warnings TEXT,
    side_effects TEXT,
    request_id TEXT,
    run TEXT,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    run TEXT PRIMARY KEY,
    input TEXT,
    started_at TEXT,
    finished_at TEXT,
    exit_code INTEGER
);
"""
#: columns added to ``runs`` since its first version (added on open when missing).
_RUN_COLUMNS = {"fingerprint": "TEXT", "rerun": "INTEGER NOT NULL DEFAULT 0"}
#: columns added to ``entries`` since its first version (added on open when missing).
_ENTRY_COLUMNS = {"first_sent": "REAL"}

_ENTRY = (
    "digest, row, payload, state, outcome, ambiguous, attempts, created_id, code, message,"
    " warnings, side_effects, request_id, run, first_sent"
)


def content_digest(cells: dict[str, str]) -> str:
    """The digest of a row's cells as read (column -> text): what the journal matches rows by."""
    text = json.dumps(cells, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def payload_digest(payload: dict[str, Any] | None) -> str:
    """A stable digest of a payload: the same JSON content gives the same digest."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Entry:
    """One row's content as the journal last saw it."""

    digest: str  # the content digest: the key
    row: int  # the row's number when last seen
    payload: str | None  # the digest of the payload last posted
    state: str
    outcome: Outcome | None
    ambiguous: bool
    attempts: int
    created_id: int | None
    code: str | None
    message: str | None
    warnings: list[dict[str, Any]]
    side_effects: list[dict[str, Any]]
    request_id: str | None
    run: str | None
    #: when the first request that may have created the customer left (epoch seconds): what a
    #: lookup's creation time is compared with, for a row an earlier run left in flight
    first_sent: float | None = None

    def settlement(self, row: int) -> Settlement:
        """What the run that settled this content said, for the row found with it now."""
        assert self.outcome is not None
        return Settlement(
            row,
            self.outcome,
            created_id=self.created_id,
            code=self.code,
            message=self.message,
            warnings=self.warnings,
            side_effects=self.side_effects,
            attempts=self.attempts,
            request_id=self.request_id,
        )


@dataclass(frozen=True, slots=True)
class RunInput:
    """The input an earlier run of the job read."""

    run: str
    input: str
    fingerprint: str | None


class Journal:
    """The journal of one job (the caller holds the job lock: ``job_lock`` in this package).

    Only a ``Recorder`` (this package) writes row states, so that one object owns every change.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # owner-only, WAL, and a failed write names this file and its cause (StorageError)
        self._db = Database(self.path, _SCHEMA)
        have = {r[1] for r in self._db.execute("PRAGMA table_info(runs)")}
        for name, kind in _RUN_COLUMNS.items():
            if name not in have:
                self._db.execute(f"ALTER TABLE runs ADD COLUMN {name} {kind}")
        have = {r[1] for r in self._db.execute("PRAGMA table_info(entries)")}
        for name, kind in _ENTRY_COLUMNS.items():
            if name not in have:
                self._db.execute(f"ALTER TABLE entries ADD COLUMN {name} {kind}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs --------------------------------------------------------------------------------

    def begin_run(self, run: str, input: str, fingerprint: str, *, rerun: bool = False) -> None:
        """Record that ``run`` starts reading ``input`` (``rerun``: a report file of the job)."""
        self._db.execute(
            "INSERT OR REPLACE INTO runs (run, input, started_at, fingerprint, rerun)"
            " VALUES (?, ?, ?, ?, ?)",
            (run, input, now_iso("milliseconds"), fingerprint, int(rerun)),
        )

    def finish_run(self, run: str, exit_code: int) -> None:
        self._db.execute(
            "UPDATE runs SET finished_at = ?, exit_code = ? WHERE run = ?",
            (now_iso("milliseconds"), exit_code, run),
        )

    def last_input(self, before: str) -> RunInput | None:
        """The input of the latest run before ``before`` that read the job's own input file."""
        found = self._db.execute(
            "SELECT run, input, fingerprint FROM runs WHERE run < ? AND rerun = 0"
            " ORDER BY run DESC LIMIT 1",
            (before,),
        ).fetchone()
        return RunInput(*found) if found else None

    # -- rows --------------------------------------------------------------------------------

    def get(self, digest: str) -> Entry | None:
        """What the journal knows of this content, or None if no run has seen it."""
        found = self._db.execute(
            f"SELECT {_ENTRY} FROM entries WHERE digest = ?", (digest,)
        ).fetchone()
        if found is None:
            return None
        values = list(found)  # in the order of _ENTRY, which is Entry's
        values[4] = Outcome(values[4]) if values[4] else None
        values[5] = bool(values[5])
        values[10:12] = [json.loads(v) if v else [] for v in values[10:12]]
        return Entry(*values)

    def in_flight(self, digest: str, row: int, payload: str, run: str, attempts: int) -> None:
        """Record, before a request leaves, that it may create the customer.

        ``first_sent`` keeps the first such request's time while an earlier one may still have
        created the customer (in flight, pending, or settled after a lost answer)."""
        self._db.execute(
            "INSERT INTO entries (digest, row, payload, state, attempts, run, updated_at,"
            " first_sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(digest) DO UPDATE SET"
            " row = excluded.row, payload = excluded.payload, state = excluded.state,"
            " outcome = NULL, attempts = excluded.attempts, run = excluded.run,"
            " updated_at = excluded.updated_at, first_sent = CASE"
            " WHEN entries.state = 'settled' AND entries.ambiguous = 0 THEN excluded.first_sent"
            " ELSE coalesce(entries.first_sent, excluded.first_sent) END",
            (digest, row, payload, IN_FLIGHT, attempts, run, now_iso("milliseconds"), time.time()),
        )

    def ambiguous(self, digest: str, request_id: str | None = None) -> None:
        """Remember that an attempt may have created the customer (a later 8006 is ours)."""
        self._db.execute(
            "UPDATE entries SET ambiguous = 1, request_id = COALESCE(?, request_id),"
            " updated_at = ? WHERE digest = ?",
            (request_id, now_iso("milliseconds"), digest),
        )

    def not_sent(self, digest: str) -> None:
        """Back to pending: the request in flight is known not to have created anything."""
        self._db.execute(
            "UPDATE entries SET state = ?, updated_at = ? WHERE digest = ? AND state = ?",
            (PENDING, now_iso("milliseconds"), digest, IN_FLIGHT),
        )

    def settle(self, digest: str, payload: str, settlement: Settlement, run: str) -> None:
        """Record the final word of ``run`` on this content."""
        s = settlement
        self._db.execute(
            "INSERT INTO entries (digest, row, payload, state, outcome, attempts, created_id,"
            " code, message, warnings, side_effects, request_id, run, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(digest) DO UPDATE SET"
            " row = excluded.row, payload = excluded.payload, state = excluded.state,"
            " outcome = excluded.outcome, attempts = excluded.attempts,"
            " created_id = excluded.created_id, code = excluded.code,"
            " message = excluded.message, warnings = excluded.warnings,"
            " side_effects = excluded.side_effects, request_id = excluded.request_id,"
            " run = excluded.run, updated_at = excluded.updated_at",
            (
                digest,
                s.row,
                payload,
                SETTLED,
                s.outcome.value,
                s.attempts,
                s.created_id,
                s.code,
                mask_text(s.message) if s.message else s.message,  # masked, as in the logs
                json.dumps(_masked(s.warnings)) if s.warnings else None,
                json.dumps(s.side_effects) if s.side_effects else None,
                s.request_id,
                run,
                now_iso("milliseconds"),
            ),
        )

    def last_run(self) -> tuple[str, str | None, int | None] | None:
        """The latest run: its id, when it finished (None: it never did) and its exit code."""
        return self._db.execute(
            "SELECT run, finished_at, exit_code FROM runs ORDER BY started_at DESC LIMIT 1"
        ).fetchone()

    def counts(self) -> dict[str, int]:
        """Entries per state (and per outcome when settled), for status displays and tests."""
        result: dict[str, int] = {}
        for state, outcome, n in self._db.execute(
            "SELECT state, outcome, COUNT(*) FROM entries GROUP BY state, outcome"
        ):
            result[outcome or state] = result.get(outcome or state, 0) + n
        return result


def _masked(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Warnings with every text masked as the logs mask it (numbers and codes kept as they are)."""
    return [{k: mask_text(v) if isinstance(v, str) else v for k, v in i.items()} for i in items]


SEND = "send"
LOOKUP = "lookup"
EARLIER = "earlier"


def settled_by_api(entry: Entry | None) -> bool:
    """True when an earlier run settled this content as created or duplicate: the customer exists,
    whatever the mapping or the ledger say today."""
    return (
        entry is not None
        and entry.state == SETTLED
        and entry.outcome in (Outcome.CREATED, Outcome.RECONCILED, Outcome.DUPLICATE)
    )


def decide(entry: Entry | None, payload: str) -> str:
    """What a new run does with a sendable row of this content: ``send``, ``lookup`` first, or
    report what an ``earlier`` run settled."""
    if entry is None:
        return SEND
    if entry.state == IN_FLIGHT:
        return LOOKUP
    if settled_by_api(entry):
        return EARLIER
    if entry.state == SETTLED and entry.outcome is Outcome.REJECTED and entry.payload == payload:
        return EARLIER  # the API refused this very body: sending it again would be refused again
    # an earlier request may have created it: never post again before asking the server
    return LOOKUP if entry.ambiguous else SEND
