"""Customers in SQLite: one connection, one writer, uniqueness enforced by the schema."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from importer.emulator._rules import Plan, Registration, resolve

#: first customer id handed out: the samples' ids are nine digits.
FIRST_ID = 556_000_001

_SCHEMA = """
CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY,
    first_name TEXT,
    last_name TEXT,
    status_label TEXT,
    referral_code TEXT UNIQUE NOT NULL,
    referred_by INTEGER,
    points INTEGER NOT NULL DEFAULT 0,
    enrollments TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    source TEXT NOT NULL,
    account_id TEXT NOT NULL,
    headers TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (customer_id, source, account_id)
);
CREATE TABLE IF NOT EXISTS identifiers (
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    source TEXT NOT NULL,
    account_id TEXT NOT NULL,
    type TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    series_id INTEGER,
    series_code TEXT,
    status_label TEXT,
    -- key first: the same index answers uniqueness, plan() and lookup()
    UNIQUE (key, type, source, account_id)
);
-- added later: IF NOT EXISTS gives a database from before it the table on the next start
CREATE TABLE IF NOT EXISTS channels (
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    source TEXT NOT NULL,
    account_id TEXT NOT NULL,
    channel TEXT NOT NULL  -- JSON: type, value, primary, verified, subscribed, meta
);
"""


def referral_code(customer_id: int) -> str:
    """The referral code the emulator gives every customer it creates."""
    return f"REF{customer_id}"


class Store:
    """The emulator's customers; every method is short and synchronous, so callers serialise."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        # checkpoint every ~40 MB of WAL instead of 4 MB: checkpoints dominate a busy add loop
        self._db.execute("PRAGMA wal_autocheckpoint=10000")
        self._db.executescript(_SCHEMA)
        self._open = False
        self._next_id = self._first_free_id()

    def _first_free_id(self) -> int:
        (top,) = self._db.execute("SELECT max(id) FROM customers").fetchone()
        return FIRST_ID if top is None else top + 1

    @property
    def next_id(self) -> int:
        """The id the next new customer gets (one writer, so it cannot change underfoot)."""
        return self._next_id

    def commit(self) -> None:
        """Commit the adds made with ``commit=False``."""
        if self._open:
            self._open = False
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error:
                self.rollback()
                raise

    def rollback(self) -> None:
        """Drop the adds made with ``commit=False`` since the last commit."""
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")
        self._open = False
        self._next_id = self._first_free_id()

    def close(self) -> None:
        """Commit what is pending and close (the WAL is checkpointed on close)."""
        self.commit()
        self._db.close()

    def reset(self) -> None:
        """Forget every customer."""
        self.commit()
        self._db.execute("BEGIN IMMEDIATE")
        self._db.execute("DELETE FROM identifiers")
        self._db.execute("DELETE FROM channels")
        self._db.execute("DELETE FROM accounts")
        self._db.execute("DELETE FROM customers")
        self._db.execute("COMMIT")
        self._next_id = FIRST_ID

    # -- adds ----------------------------------------------------------------------------------

    def plan(self, registration: Registration) -> Plan:
        """Look up every identifier's owners (one query) and let the rules decide."""
        wanted = {(i.type, i.key) for p in registration.profiles for i in p.identifiers}
        keys = sorted({key for _, key in wanted})
        rows = self._db.execute(
            "SELECT type, key, customer_id, source, account_id FROM identifiers"
            f" WHERE key IN ({','.join('?' * len(keys))}) ORDER BY rowid",
            keys,
        ).fetchall()
        same: dict[tuple[str, str, str, str], int] = {}
        other: dict[tuple[str, str], int] = {}
        accounts = {(p.source, p.account_id) for p in registration.profiles}
        for kind, key, owner, source, account in rows:
            if (kind, key) not in wanted:
                continue
            if (source, account) in accounts:
                same[(source, account, kind, key)] = owner
            else:
                other.setdefault((kind, key), owner)
        return resolve(registration, same, other)

    def referrer(self, code: str | None) -> int | None:
        """The customer owning this referral code."""
        if not code:
            return None
        row = self._db.execute(
            "SELECT id FROM customers WHERE referral_code = ?", (code,)
        ).fetchone()
        return None if row is None else row[0]

    def add(
        self,
        registration: Registration,
        plan: Plan,
        headers: dict[str, str],
        referrer: int | None = None,
        awarded: dict[int, int] | None = None,
        *,
        commit: bool = True,
    ) -> int:
        """Store the registration as planned and answer the customer id.

        With ``commit=False`` the add stays in an open transaction, visible to this store's
        reads, until ``commit()``: the server commits once for all adds of a loop iteration.
        Raises ``sqlite3.IntegrityError`` (and stores nothing) if an identifier is taken.
        """
        if not self._open:
            self._db.execute("BEGIN IMMEDIATE")
            self._open = True
        self._db.execute("SAVEPOINT add_customer")
        try:
            customer_id = self._insert(registration, plan, headers, referrer, awarded or {})
        except BaseException:
            self._db.execute("ROLLBACK TO add_customer")
            self._db.execute("RELEASE add_customer")
            raise
        self._db.execute("RELEASE add_customer")
        if plan.join is None:
            self._next_id = customer_id + 1
        if commit:
            self.commit()
        return customer_id

    def _insert(
        self,
        registration: Registration,
        plan: Plan,
        headers: dict[str, str],
        referrer: int | None,
        awarded: dict[int, int],
    ) -> int:
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        if plan.join is None:
            customer_id = self._next_id
            first = registration.profiles[0]
            enrollments = [
                {"programId": e.program_id, "tierNumber": e.tier_number, "points": str(e.points)}
                for e in registration.enrollments
            ]
            self._db.execute(
                "INSERT INTO customers (id, first_name, last_name, status_label, referral_code,"
                " referred_by, points, enrollments, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    customer_id,
                    first.first_name,
                    first.last_name,
                    registration.status_label,
                    referral_code(customer_id),
                    referrer,
                    awarded.get(customer_id, 0),
                    json.dumps(enrollments),
                    now,
                ),
            )
        else:
            customer_id = plan.join
        headers_json = json.dumps(headers) if headers else "{}"
        for profile in registration.profiles:
            self._db.execute(
                "INSERT OR IGNORE INTO accounts (customer_id, source, account_id, headers,"
                " created_at) VALUES (?, ?, ?, ?, ?)",
                (customer_id, profile.source, profile.account_id, headers_json, now),
            )
            self._db.executemany(
                "INSERT INTO identifiers (customer_id, source, account_id, type, key, value,"
                " series_id, series_code, status_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        customer_id,
                        profile.source,
                        profile.account_id,
                        i.type,
                        i.key,
                        i.value,
                        i.series_id,
                        i.series_code,
                        i.status_label,
                    )
                    for i in profile.identifiers
                ],
            )
            self._db.executemany(
                "INSERT INTO channels (customer_id, source, account_id, channel)"
                " VALUES (?, ?, ?, ?)",
                [
                    (customer_id, profile.source, profile.account_id, json.dumps(c.as_json()))
                    for c in profile.channels
                ],
            )
        for who, points in awarded.items():
            if who != customer_id or plan.join is not None:
                self._db.execute(
                    "UPDATE customers SET points = points + ? WHERE id = ?", (points, who)
                )
        return customer_id

    # -- reads ---------------------------------------------------------------------------------

    def lookup(self, source: str, kind: str, value: str, account_id: str | None) -> int | None:
        """The customer registered with this identifier in this source (and account)."""
        key = value.lower() if kind == "email" else value
        sql = "SELECT customer_id FROM identifiers WHERE source = ? AND type = ? AND key = ?"
        args: tuple[str, ...] = (source, kind, key)
        if account_id is not None:
            sql, args = sql + " AND account_id = ?", (*args, account_id)
        row = self._db.execute(sql + " ORDER BY account_id LIMIT 1", args).fetchone()
        return None if row is None else row[0]

    def created_at(self, customer_id: int) -> str | None:
        """When the customer was created (ISO 8601, UTC, milliseconds)."""
        row = self._db.execute(
            "SELECT created_at FROM customers WHERE id = ?", (customer_id,)
        ).fetchone()
        return None if row is None else row[0]

    def count(self) -> int:
        """How many customers exist."""
        return self._db.execute("SELECT count(*) FROM customers").fetchone()[0]

    def customers(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Customers by id, each with its source accounts, identifiers and recorded headers."""
        rows = self._db.execute(
            "SELECT id, first_name, last_name, status_label, referral_code, referred_by, points,"
            " enrollments, created_at FROM customers ORDER BY id LIMIT ? OFFSET ?",
            (-1 if limit is None else limit, offset),
        ).fetchall()
        if not rows:
            return []
        ids = [r[0] for r in rows]
        marks = ",".join("?" * len(ids))
        accounts: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        by_account: dict[tuple[int, str, str], dict[str, Any]] = {}
        for cid, source, account, headers, created in self._db.execute(
            "SELECT customer_id, source, account_id, headers, created_at FROM accounts"
            f" WHERE customer_id IN ({marks}) ORDER BY created_at, source, account_id",
            ids,
        ):
            entry = {
                "source": source,
                "accountId": account,
                "createdAt": created,
                "headers": json.loads(headers),
                "identifiers": [],
                "commChannels": [],
            }
            accounts[cid].append(entry)
            by_account[(cid, source, account)] = entry
        for cid, source, account, kind, value, series_id, series_code, label in self._db.execute(
            "SELECT customer_id, source, account_id, type, value, series_id, series_code,"
            f" status_label FROM identifiers WHERE customer_id IN ({marks}) ORDER BY rowid",
            ids,
        ):
            ident: dict[str, Any] = {"type": kind, "value": value}
            if kind == "cardnumber" or series_id is not None or label is not None:
                ident.update(seriesId=series_id, seriesCode=series_code, statusLabel=label)
            by_account[(cid, source, account)]["identifiers"].append(ident)
        for cid, source, account, channel in self._db.execute(
            "SELECT customer_id, source, account_id, channel FROM channels"
            f" WHERE customer_id IN ({marks}) ORDER BY rowid",
            ids,
        ):
            by_account[(cid, source, account)]["commChannels"].append(json.loads(channel))
        return [
            {
                "id": cid,
                "firstName": first,
                "lastName": last,
                "statusLabel": label,
                "referralCode": code,
                "referredBy": referred_by,
                "points": points,
                "loyaltyProgramEnrollments": json.loads(enrollments),
                "createdAt": created,
                "accounts": accounts[cid],
            }
            for cid, first, last, label, code, referred_by, points, enrollments, created in rows
        ]
