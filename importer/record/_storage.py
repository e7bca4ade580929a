"""The SQLite files a run writes: owner-only, named by file and cause when a write fails, and no
long lock waits on the event loop.

SQLite waits for a lock by sleeping inside the call, which would freeze every request of the run.
Here a connection waits at most ``BUSY_MS`` itself; a caller on the event loop retries a busy
write with ``patiently``, which sleeps between tries with ``asyncio.sleep`` instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from importer._exceptions import DatabaseBusy, StorageError
from importer._owner_only import private_dir, private_file

#: what one statement may wait for another connection's lock, inside the call.
BUSY_MS = 20
#: what opening a database may wait (before sending began, nothing else is waiting).
OPEN_WAIT = 10.0
#: how long ``patiently`` waits for a lock in all, unless told otherwise.
LOCK_WAIT = 60.0

T = TypeVar("T")


def _busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc)


class Database:
    """One SQLite file of ours, created 0600 (its -wal and -shm follow), in WAL mode."""

    def __init__(
        self,
        path: Path,
        schema: str,
        *,
        open_wait: float = OPEN_WAIT,
        setup: Callable[[Database], None] | None = None,
    ) -> None:
        """Open (or create) the file; ``setup`` runs while opening may still wait ``open_wait``
        for another process's lock (two jobs starting together), before waits become short."""
        self.path = Path(path)
        try:
            private_file(private_dir(self.path.parent) / self.path.name)
            self._db = sqlite3.connect(
                self.path, timeout=open_wait, isolation_level=None, check_same_thread=False
            )
            # WAL with synchronous=NORMAL survives a killed process (not a power cut) cheaply
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(schema)
        except (OSError, sqlite3.Error) as exc:
            raise StorageError.of(self.path, exc, sent=False) from None
        try:
            if setup is not None:
                setup(self)
            self._db.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        except StorageError as exc:
            raise exc.before_sending() from None

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            if _busy(exc):
                raise DatabaseBusy(self.path, "database locked by another process") from None
            raise StorageError.of(self.path, exc) from None
        except OSError as exc:
            raise StorageError.of(self.path, exc) from None

    def execute(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        with self._errors():
            return self._db.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> sqlite3.Cursor:
        with self._errors():
            return self._db.executemany(sql, rows)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``: take the write lock first, so reads inside see
        what no other writer can change before this one commits."""
        with self._errors():
            self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self
            with self._errors():
                self._db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()


async def patiently(call: Callable[..., T], *args: Any, wait: float = LOCK_WAIT) -> T:
    """``call(*args)``; while another process holds the lock, try again without blocking the loop.

    Raises the last DatabaseBusy, naming the file, once ``wait`` seconds have passed.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    delay = 0.005
    while True:
        try:
            return call(*args)
        except DatabaseBusy as exc:
            if loop.time() >= deadline:
                raise DatabaseBusy(
                    exc.path, f"database locked by another process for more than {wait:g} s"
                ) from None
        await asyncio.sleep(delay)
        delay = min(delay * 2, 0.2)
