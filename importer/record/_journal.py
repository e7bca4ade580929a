"""The per-job SQLite journal: each row's state, written before and after every request.

A row is ``pending`` until its first request, ``in_flight`` while a request may be on the wire
(written and committed *before* it leaves), and ``settled`` with its outcome afterwards.  After a
crash an ``in_flight`` row may or may not exist on the server: the next run looks it up first.
WAL with ``synchronous=NORMAL`` survives a killed process (not a power cut) at a cheap commit.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from importer._layout import now_iso
from importer._models import Outcome, Settlement

PENDING = "pending"
IN_FLIGHT = "in_flight"
SETTLED = "settled"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS rows (
    row INTEGER PRIMARY KEY,
    digest TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    local INTEGER NOT NULL DEFAULT 0,
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
);
CREATE TABLE IF NOT EXISTS runs (
    run TEXT PRIMARY KEY,
    input TEXT,
    started_at TEXT,
    finished_at TEXT,
    exit_code INTEGER
);
"""


def payload_digest(payload: dict[str, Any] | None) -> str:
    """A stable digest of a payload: the same JSON content gives the same digest."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Entry:
    """One row as the journal last saw it."""

    row: int
    digest: str
    state: str
    outcome: Outcome | None
    local: bool
    ambiguous: bool
    attempts: int
    created_id: int | None
    code: str | None
    message: str | None
    request_id: str | None
    run: str | None


class Journal:
    """The journal of one job (the caller holds the job lock: ``job_lock`` in this package)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- runs --------------------------------------------------------------------------------

    def begin_run(self, run: str, input: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO runs (run, input, started_at) VALUES (?, ?, ?)",
            (run, input, now_iso("milliseconds")),
        )

    def finish_run(self, run: str, exit_code: int) -> None:
        self._db.execute(
            "UPDATE runs SET finished_at = ?, exit_code = ? WHERE run = ?",
            (now_iso("milliseconds"), exit_code, run),
        )

    # -- rows --------------------------------------------------------------------------------

    def get(self, row: int) -> Entry | None:
        """The row's last known state, or None if no run has seen it."""
        found = self._db.execute(
            "SELECT row, digest, state, outcome, local, ambiguous, attempts, created_id, code,"
            " message, request_id, run FROM rows WHERE row = ?",
            (row,),
        ).fetchone()
        if found is None:
            return None
        outcome = Outcome(found[3]) if found[3] else None
        return Entry(
            found[0], found[1], found[2], outcome, bool(found[4]), bool(found[5]), *found[6:]
        )

    def in_flight(self, row: int, digest: str, run: str, attempts: int) -> None:
        """Record, before a request leaves, that it may create the customer."""
        self._db.execute(
            "INSERT INTO rows (row, digest, state, attempts, run, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(row) DO UPDATE SET digest = excluded.digest,"
            " state = excluded.state, outcome = NULL, local = 0, attempts = excluded.attempts,"
            " run = excluded.run, updated_at = excluded.updated_at",
            (row, digest, IN_FLIGHT, attempts, run, now_iso("milliseconds")),
        )

    def ambiguous(self, row: int, request_id: str | None = None) -> None:
        """Remember that an attempt may have created the customer (a later 8006 is ours)."""
        self._db.execute(
            "UPDATE rows SET ambiguous = 1, request_id = COALESCE(?, request_id), updated_at = ?"
            " WHERE row = ?",
            (request_id, now_iso("milliseconds"), row),
        )

    def not_sent(self, row: int, digest: str, run: str) -> None:
        """Back to pending: the request in flight is known not to have created anything."""
        self._db.execute(
            "UPDATE rows SET state = ?, updated_at = ? WHERE row = ? AND state = ?",
            (PENDING, now_iso("milliseconds"), row, IN_FLIGHT),
        )

    def settle(self, settlement: Settlement, digest: str, run: str, *, local: bool = False) -> None:
        """Record the row's final word for this run."""
        s = settlement
        self._db.execute(
            "INSERT INTO rows (row, digest, state, outcome, local, attempts, created_id, code,"
            " message, warnings, side_effects, request_id, run, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(row) DO UPDATE SET"
            " digest = excluded.digest, state = excluded.state, outcome = excluded.outcome,"
            " local = excluded.local, attempts = excluded.attempts,"
            " created_id = excluded.created_id, code = excluded.code,"
            " message = excluded.message, warnings = excluded.warnings,"
            " side_effects = excluded.side_effects, request_id = excluded.request_id,"
            " run = excluded.run, updated_at = excluded.updated_at",
            (
                s.row,
                digest,
                SETTLED,
                s.outcome.value,
                int(local),
                s.attempts,
                s.created_id,
                s.code,
                s.message,
                json.dumps(s.warnings) if s.warnings else None,
                json.dumps(s.side_effects) if s.side_effects else None,
                s.request_id,
                run,
                now_iso("milliseconds"),
            ),
        )

    def counts(self) -> dict[str, int]:
        """Rows per state (and per outcome for settled rows), for status displays and tests."""
        result: dict[str, int] = {}
        for state, outcome, n in self._db.execute(
            "SELECT state, outcome, COUNT(*) FROM rows GROUP BY state, outcome"
        ):
            result[outcome or state] = result.get(outcome or state, 0) + n
        return result


SEND = "send"
LOOKUP = "lookup"
SKIP = "skip"


def decide(entry: Entry | None, digest: str) -> str:
    """What a new run does with a sendable row: ``send``, ``lookup`` first, or ``skip``."""
    if entry is None:
        return SEND
    if entry.state == IN_FLIGHT:
        return LOOKUP
    settled_by_api = entry.state == SETTLED and not entry.local
    if settled_by_api and entry.outcome in (Outcome.CREATED, Outcome.DUPLICATE):
        return SKIP
    if settled_by_api and entry.outcome is Outcome.REJECTED and entry.digest == digest:
        return SKIP
    # an earlier request may have created it: never post again before asking the server
    return LOOKUP if entry.ambiguous else SEND
