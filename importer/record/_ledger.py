"""The ledger of identifiers the org already knows, shared by every job that writes to one org.

An identifier enters the ledger when a job registers it (``created``, with the job's name: its
*claim*) or sees it answered 8006. It is keyed by base URL, source, account, type and value,
because the API keeps identifiers unique only within a source and account of one org, and it is
stored as a keyed hash of those (HMAC-SHA256): enough to answer "known?" for a row at hand,
without keeping a mobile or an e-mail in plain text. The key is not in the ledger: the ledger
keeps a random id, and its key sits in the user's key file (``_keys``), apart from the reports
folder, so a copied folder cannot be hashed back (10^10 mobiles of a country are seconds of
work for anyone holding the key). A ledger that kept its salt in ``meta`` has it moved out.

Claims keep two jobs loading the same customers from both counting one customer as created.
Each run registers its job (``active``). While another live job is registered, a job marks the
identifiers it is posting (``posting``) before the request leaves; a job that only *infers* its
own creation (an 8006 or a lookup after an answer that never came) first asks the ledger: a
customer another job claimed is that job's, and while another live job is posting the same
identifier the answer waits for it. A job alone writes no marks: checking for others costs one
``PRAGMA data_version`` a request, which changes only when another connection wrote.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import socket
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from importer._layout import now_iso
from importer._models import IdentityKey
from importer.record._keys import ledger_key, new_id
from importer.record._storage import Database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS identifiers (
    key         BLOB PRIMARY KEY,
    base_url    TEXT NOT NULL,
    customer_id INTEGER,
    reason      TEXT NOT NULL,
    job         TEXT,
    seen_at     TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS active (
    job   TEXT PRIMARY KEY,
    pid   INTEGER NOT NULL,
    host  TEXT NOT NULL,
    since REAL NOT NULL,
    grace REAL NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS posting (
    key   BLOB NOT NULL,
    job   TEXT NOT NULL,
    pid   INTEGER NOT NULL,
    host  TEXT NOT NULL,
    since REAL NOT NULL,
    PRIMARY KEY (key, job)
) WITHOUT ROWID;
"""

#: a posting mark older than this is dead whatever its process (a pid may be reused).
POSTING_TTL = 600.0

CREATED = "created"
SEEN_8006 = "8006"


@dataclass(frozen=True, slots=True)
class Claim:
    """Another job's claim on a customer: its name and the customer's id."""

    job: str | None
    customer_id: int | None


@dataclass(frozen=True, slots=True)
class Posting:
    """Another job has a request for one of the identifiers on the wire right now."""

    job: str


def normalised(key: IdentityKey) -> str:
    """The value as the API compares it: e-mails without case."""
    return key.value.lower() if key.type == "email" else key.value


class Ledger:
    """A SQLite file of known identifiers (hashed), shared by every job that writes to one org."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._key = b""
        self._db = Database(self.path, _SCHEMA, setup=self._setup)
        self._host = socket.gethostname()
        self._version: int | None = None  # data_version when the active jobs were last read
        self._active: list[tuple[str, float, float]] = []

    def _setup(self, db: Database) -> None:
        """The ledger's id and key (made by the first run, the key in the key file); an older
        ledger's salt moved out to the key file, an older plain ledger migrated in place."""
        with db.transaction():  # one process at a time: two jobs starting never make two keys
            meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
            ledger_id = meta.get("id")
            if ledger_id is None:
                ledger_id = new_id()
                db.execute("INSERT INTO meta VALUES ('id', ?)", (ledger_id,))
            salt = meta.get("salt")
            if salt is not None:  # the key file holds it before the ledger lets it go
                self._key = ledger_key(ledger_id, create=False, adopt=bytes.fromhex(salt))
                db.execute("DELETE FROM meta WHERE name = 'salt'")
            else:
                hashed = db.execute("SELECT 1 FROM identifiers LIMIT 1").fetchone()
                self._key = ledger_key(ledger_id, create=hashed is None)
            migrated = _migrate_plain(db, self._hash)
        if migrated or salt is not None:
            # rewrite the file and empty the WAL, so no page keeps the plain identifiers or the
            # salt (a deleted row stays in its page's free space until then)
            db.execute("VACUUM")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _hash(self, base_url: str, key: IdentityKey) -> bytes:
        text = "\x1f".join((base_url, key.source, key.account_id, key.type, normalised(key)))
        digest = hmac.new(self._key, text.encode("utf-8", "surrogatepass"), hashlib.sha256)
        return digest.digest()[:16]  # 128 bits: no two identifiers of an org will share one

    # -- known? ------------------------------------------------------------------------------

    def known(
        self, base_url: str, keys: Iterable[IdentityKey]
    ) -> tuple[IdentityKey, int | None] | None:
        """Return the first of ``keys`` already in the ledger with its customer id, else None."""
        for key in keys:
            found = self._db.execute(
                "SELECT customer_id FROM identifiers WHERE key = ?", (self._hash(base_url, key),)
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
        """Record ``keys`` as known to the org (registered by ``job``, or answered 8006).

        The first registration keeps its claim; a registration replaces a mere 8006 sighting. The
        job's posting marks for these keys go in the same transaction, so another job always
        sees either the mark or the claim.
        """
        hashes = [self._hash(base_url, k) for k in keys]
        now = now_iso()
        with self._db.transaction() as db:
            db.executemany(
                "INSERT INTO identifiers VALUES (?,?,?,?,?,?) ON CONFLICT DO UPDATE SET"
                " customer_id = coalesce(excluded.customer_id, customer_id),"
                " job = CASE WHEN reason != 'created' AND excluded.reason = 'created'"
                " THEN excluded.job ELSE job END,"
                " reason = CASE WHEN excluded.reason = 'created' THEN 'created' ELSE reason END,"
                " seen_at = excluded.seen_at",
                [(h, base_url, customer_id, reason, job, now) for h in hashes],
            )
            if job is not None:
                db.executemany(
                    "DELETE FROM posting WHERE key = ? AND job = ?", [(h, job) for h in hashes]
                )

    # -- claims between jobs -----------------------------------------------------------------

    def posting(self, base_url: str, keys: Sequence[IdentityKey], job: str) -> None:
        """Mark ``keys`` as being posted by ``job`` (before its request leaves)."""
        since = time.time()
        pid = os.getpid()
        rows = [(self._hash(base_url, k), job, pid, self._host, since) for k in keys]
        with self._db.transaction() as db:  # one commit for all the keys
            db.executemany("INSERT OR REPLACE INTO posting VALUES (?,?,?,?,?)", rows)

    def answered(self, base_url: str, keys: Sequence[IdentityKey], job: str) -> None:
        """Clear ``job``'s posting marks: its request was answered and created nothing."""
        rows = [(self._hash(base_url, k), job) for k in keys]
        with self._db.transaction() as db:
            db.executemany("DELETE FROM posting WHERE key = ? AND job = ?", rows)

    def forget_postings(self, job: str) -> None:
        """Clear every posting mark of ``job`` (at the end of a run, or left by a crash)."""
        self._db.execute("DELETE FROM posting WHERE job = ?", (job,))

    def claim(
        self, base_url: str, keys: Sequence[IdentityKey], job: str, customer_id: int | None
    ) -> Claim | Posting | None:
        """Claim the customer as created by ``job``, unless another job did or may have.

        Returns None when the claim is ``job``'s now; the other job's Claim when it registered
        one of the identifiers; a Posting when another live job is posting one of them right
        now (ask again once it is answered).
        """
        hashes = [self._hash(base_url, k) for k in keys]
        marks = ",".join("?" * len(hashes))
        with self._db.transaction() as db:
            other = db.execute(
                f"SELECT job, customer_id FROM identifiers WHERE key IN ({marks})"
                " AND reason = 'created' AND coalesce(job, '') != ? LIMIT 1",
                (*hashes, job),
            ).fetchone()
            if other is not None:
                return Claim(other[0], other[1])
            for holder, pid, host, since in db.execute(
                f"SELECT job, pid, host, since FROM posting WHERE key IN ({marks}) AND job != ?",
                (*hashes, job),
            ).fetchall():
                if self._alive(pid, host, since):
                    return Posting(holder)
            now = now_iso()
            db.executemany(
                "INSERT INTO identifiers VALUES (?,?,?,?,?,?) ON CONFLICT DO UPDATE SET"
                " customer_id = coalesce(excluded.customer_id, customer_id),"
                " reason = 'created', job = excluded.job, seen_at = excluded.seen_at",
                [(h, base_url, customer_id, CREATED, job, now) for h in hashes],
            )
            db.executemany(
                "DELETE FROM posting WHERE key = ? AND job = ?", [(h, job) for h in hashes]
            )
        return None

    # -- jobs running on this ledger ---------------------------------------------------------

    def register(self, job: str, grace: float) -> None:
        """``job`` runs now; its unmarked requests are answered within ``grace`` seconds."""
        self._db.execute(
            "INSERT OR REPLACE INTO active VALUES (?,?,?,?,?)",
            (job, os.getpid(), self._host, time.time(), grace),
        )

    def unregister(self, job: str) -> None:
        self._db.execute("DELETE FROM active WHERE job = ? AND pid = ?", (job, os.getpid()))

    def others(self, job: str) -> list[tuple[str, float, float]]:
        """The other live jobs registered: (job, since, grace). Read again only after another
        connection wrote to the ledger."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:
            self._version = version
            rows = self._db.execute(
                "SELECT job, pid, host, since, grace FROM active WHERE job != ?", (job,)
            ).fetchall()
            self._active = [
                (other, since, grace)
                for other, pid, host, since, grace in rows
                if self._alive(pid, host, since, ttl=None)
            ]
        return self._active

    def _alive(self, pid: int, host: str, since: float, ttl: float | None = POSTING_TTL) -> bool:
        if ttl is not None and time.time() - since > ttl:
            return False
        if host != self._host:
            return True  # another machine's process: trust the mark until it is old
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False  # the job crashed with the request on the wire
        except PermissionError:
            return True  # alive, another user's
        return True

    # -- housekeeping ------------------------------------------------------------------------

    def count(self, base_url: str | None = None) -> int:
        """Return how many identifiers the ledger holds (for one base URL, or in all)."""
        if base_url is None:
            return self._db.execute("SELECT count(*) FROM identifiers").fetchone()[0]
        return self._db.execute(
            "SELECT count(*) FROM identifiers WHERE base_url = ?", (base_url,)
        ).fetchone()[0]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _migrate_plain(db: Database, hash_of: Callable[[str, IdentityKey], bytes]) -> bool:
    """Rewrite a ledger of an older version, which kept identifiers in plain text, in place."""
    plain = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'known'"
    ).fetchone()
    if plain is None:
        return False
    rows = db.execute(
        "SELECT base_url, source, account_id, type, value, customer_id, reason, job, seen_at"
        " FROM known"
    )
    db.executemany(
        "INSERT INTO identifiers VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
        (
            (hash_of(url, IdentityKey(source, account, kind, value)), url, cid, why, job, seen)
            for url, source, account, kind, value, cid, why, job, seen in rows
        ),
    )
    db.execute("DROP TABLE known")
    return True
