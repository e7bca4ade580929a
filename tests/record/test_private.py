"""Customer data stays private: owner-only files, a ledger of hashes, masked journal messages."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from runs_helpers import member_rows, mobile, write_csv

from importer._models import IdentityKey, Outcome, Settlement
from importer.emulator import EmulatorProcess
from importer.record._journal import Journal
from importer.record._ledger import Ledger

URL = "http://127.0.0.1:1"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The widest umask: files would be world-writable unless the tool says otherwise."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_everything_a_run_writes_is_owner_only(
    emulator: EmulatorProcess,
    run: Callable[..., Any],
    tmp_path: Path,
    open_umask: None,
) -> None:
    emulator.reset()
    out = tmp_path / "out"
    rows = member_rows(5) + [["M9", "Bad", "12"]]
    summary = run(emulator.url, write_csv(tmp_path / "in.csv", rows), out=out)
    assert summary.outcomes["created"] == 5
    written = list(out.rglob("*"))
    names = {p.name for p in written}
    assert {"journal.sqlite", "ledger.sqlite", ".lock", "run.log", "run.json"} <= names
    assert {"success.csv", "errors.csv", "summary.json", "report.html"} <= names
    for path in [out, *written]:
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path


def test_the_journal_and_ledger_wal_files_are_owner_only(tmp_path: Path, open_umask: None) -> None:
    with Journal(tmp_path / "job" / "journal.sqlite") as journal, Ledger(tmp_path / "l.sqlite"):
        journal.begin_run("r1", "in.csv", "sha256:0")
        extra = [p for p in tmp_path.rglob("*") if p.name.endswith(("-wal", "-shm"))]
        assert len(extra) == 4  # journal and ledger, each with its -wal and -shm
        for path in extra:
            assert _mode(path) == 0o600, path


def test_an_older_wider_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    sqlite3.connect(path).close()
    os.chmod(path, 0o644)
    Ledger(path).close()
    assert _mode(path) == 0o600


MOBILE = IdentityKey("INSTORE", "", "mobile", "919988221100")
EMAIL = IdentityKey("INSTORE", "", "email", "Priya.Sharma@Example.org")


def test_the_ledger_keeps_no_identifier_in_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with Ledger(path) as ledger:
        ledger.remember(URL, [MOBILE, EMAIL], customer_id=42, reason="created", job="j")
        # e-mails are compared as the API does, without case
        lower = IdentityKey("INSTORE", "", "email", "priya.sharma@example.org")
        assert ledger.known(URL, [lower]) == (lower, 42)
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    for text in ("919988221100", "Priya", "priya", "example.org"):
        assert text.encode() not in raw


def test_a_plain_ledger_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with sqlite3.connect(path) as db:  # the schema of the previous version
        db.execute(
            "CREATE TABLE known (base_url TEXT NOT NULL, source TEXT NOT NULL, account_id TEXT"
            " NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL, customer_id INTEGER, reason TEXT"
            " NOT NULL, job TEXT, seen_at TEXT NOT NULL,"
            " PRIMARY KEY (base_url, source, account_id, type, value)) WITHOUT ROWID"
        )
        db.execute(
            "INSERT INTO known VALUES (?,?,?,?,?,?,?,?,?)",
            (URL, "INSTORE", "", "mobile", "919988221100", 7, "created", "old", "2024-01-01"),
        )
    with Ledger(path) as ledger:
        assert ledger.known(URL, [MOBILE]) == (MOBILE, 7)
        assert ledger.count(URL) == 1
    assert b"919988221100" not in b"".join(p.read_bytes() for p in tmp_path.iterdir())
    with Ledger(path) as ledger:  # opening it again changes nothing
        assert ledger.known(URL, [MOBILE]) == (MOBILE, 7)


def test_journal_messages_are_masked_as_the_logs_are(tmp_path: Path) -> None:
    with Journal(tmp_path / "journal.sqlite") as journal:
        journal.settle(
            "d1",
            "p1",
            Settlement(
                2,
                Outcome.REJECTED,
                code="8013",
                message='email: "priya.sharma@gmail" is not an e-mail; mobile 919988221100',
                warnings=[{"code": 8050, "message": "joined priya.sharma@gmail.com"}],
            ),
            "r1",
        )
        entry = journal.get("d1")
    message = entry.message
    assert entry.warnings == [{"code": 8050, "message": "joined p***@g***.com"}]
    assert "priya.sharma" not in message and "919988221100" not in message
    assert "p***@g***" in message and "91********00" in message


def test_a_run_writes_no_identifier_to_the_ledger_or_journal(
    emulator: EmulatorProcess, run: Callable[..., Any], tmp_path: Path
) -> None:
    emulator.reset()
    out = tmp_path / "out"
    summary = run(emulator.url, write_csv(tmp_path / "in.csv", member_rows(20)), out=out)
    assert summary.outcomes["created"] == 20
    raw = (out / "ledger.sqlite").read_bytes() + (out / "in" / "journal.sqlite").read_bytes()
    for i in range(20):
        assert mobile(i).encode() not in raw and f"M{i:07d}".encode() not in raw
