"""The ledger of identifiers the org already knows, so nightly runs spend quota only on new rows.

An identifier enters the ledger when the tool registers it or sees it answered 8006; it is keyed
by base URL, source, account, type and value, because the API keeps identifiers unique only
within a source and account of one org.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from importer._layout import now_iso
from importer._models import IdentityKey

_SCHEMA = """
CREATE TABLE IF NOT EXISTS known (
    base_url    TEXT NOT NULL,
    source      TEXT NOT NULL,
    account_id  TEXT NOT NULL,
    type        TEXT NOT NULL,
    value       TEXT NOT NULL,
    customer_id INTEGER,
    reason      TEXT NOT NULL,
    job         TEXT,
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (base_url, source, account_id, type, value)
) WITHOUT ROWID;
"""


class Ledger:
    """A SQLite file of known identifiers, shared by every job that writes to the same org."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A nightly job and a rerun may share the ledger; WAL lets one read while another writes.
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def known(
        self, base_url: str, keys: Iterable[IdentityKey]
    ) -> tuple[IdentityKey, int | None] | None:
        """Return the first of ``keys`` already in the ledger with its customer id, else None."""
        for key in keys:
            found = self._db.execute(
                "SELECT customer_id FROM known WHERE base_url=? AND source=? AND account_id=?"
                " AND type=? AND value=?",
                (base_url, key.source, key.account_id, key.type, key.value),
            ).fetchone()
            if found is not None:
                return key, found[0]
        return None

    def remember(
        self,
        base_url: str,
        keys: Iterable[IdentityKey],
        *,
        customer_id: int | None,
        reason: str,
        job: str | None = None,
    ) -> None:
        """Record ``keys`` as known to the org (registered by us, or answered 8006)."""
        now = now_iso()
        self._db.executemany(
            "INSERT INTO known VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET"
            " customer_id=coalesce(excluded.customer_id, customer_id), seen_at=excluded.seen_at",
            [
                (base_url, k.source, k.account_id, k.type, k.value, customer_id, reason, job, now)
                for k in keys
            ],
        )

    def count(self, base_url: str | None = None) -> int:
        """Return how many identifiers the ledger holds (for one base URL, or in all)."""
        if base_url is None:
            return self._db.execute("SELECT count(*) FROM known").fetchone()[0]
        return self._db.execute(
            "SELECT count(*) FROM known WHERE base_url=?", (base_url,)
        ).fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
