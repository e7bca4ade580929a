"""A write that fails stops the run loudly, and the next run settles every row exactly once.

Faults are injected where the operating system would raise them (a full disk at the Nth journal
or report write, a file size limit on the whole process, a ledger another connection holds with
BEGIN IMMEDIATE) while the rows go to the real emulator over a real socket.
"""

from __future__ import annotations

import errno
import resource
import signal
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from runs_helpers import cli, member_rows, mobile, read_report, rows_once, run_dir_of, write_csv

from importer._exceptions import StorageError
from importer._models import IdentityKey
from importer.emulator import EmulatorProcess
from importer.record._journal import IN_FLIGHT, SETTLED, Journal
from importer.record._ledger import Ledger
from importer.report import _writer

ROWS = 60


class FullDisk:
    """A real SQLite connection whose writes fail from the Nth on, as on a disk that filled."""

    def __init__(self, real: sqlite3.Connection, fail_at: int, error: BaseException) -> None:
        self._real = real
        self.fail_at = fail_at
        self.error = error
        self.writes = 0

    def execute(self, sql: str, params: Any = ()) -> Any:
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            self.writes += 1
            if self.writes >= self.fail_at:
                raise self.error
        return self._real.execute(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def fill_journal_at(monkeypatch: pytest.MonkeyPatch, n: int, error: BaseException) -> None:
    real_connect = sqlite3.connect

    def connect(path: Any, *args: Any, **kwargs: Any) -> Any:
        db = real_connect(path, *args, **kwargs)
        return FullDisk(db, n, error) if str(path).endswith("journal.sqlite") else db

    monkeypatch.setattr(sqlite3, "connect", connect)


def journal_states(out: Path, job: str = "in") -> dict[int, tuple[str, str | None]]:
    """Each row's state and outcome in the job's journal (entries are keyed by content)."""
    Journal(out / job / "journal.sqlite").close()  # an older journal gets today's schema
    with sqlite3.connect(out / job / "journal.sqlite") as db:
        return {
            row: (state, outcome)
            for row, state, outcome in db.execute("SELECT row, state, outcome FROM entries")
        }


def created_rows(emu: EmulatorProcess) -> set[int]:
    """Input rows (2..) whose mobile the emulator holds."""
    by_mobile = {mobile(i): i + 2 for i in range(ROWS)}
    found = set()
    for customer in emu.customers():
        for value in by_mobile:
            if value in str(customer):
                found.add(by_mobile[value])
    return found


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        sqlite3.OperationalError("database or disk is full"),
    ],
    ids=["ENOSPC", "SQLITE_FULL"],
)
def test_a_full_disk_at_the_nth_journal_write_stops_the_run_and_the_next_run_completes(
    start_emulator: Callable[..., EmulatorProcess],
    run: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
) -> None:
    emu = start_emulator()
    out = tmp_path / "out"
    source = write_csv(tmp_path / "in.csv", member_rows(ROWS))
    fill_journal_at(monkeypatch, 40, error)
    with pytest.raises(StorageError) as info:
        run(emu.url, source, concurrency=4)
    assert info.value.exit_code == 3
    assert "journal.sqlite" in str(info.value) and "disk full" in str(info.value)
    monkeypatch.undo()

    # every customer the server holds is in the journal as created or still in flight
    states = journal_states(out)
    on_server = created_rows(emu)
    assert on_server and len(on_server) < ROWS
    for row in on_server:
        assert states[row] in ((SETTLED, "created"), (IN_FLIGHT, None)), row
    in_flight = {row for row, (state, _) in states.items() if state == IN_FLIGHT}

    summary = run(emu.url, source, concurrency=4)
    assert summary.exit_code == 0
    # settled before: reported as settled; those left in flight are found by lookup, and the
    # customer's creation time, after the request the journal kept, proves it created them
    assert summary.outcomes["created"] == ROWS and summary.outcomes["reconciled"] == 0
    assert len(emu.customers()) == ROWS  # not one registered twice
    reports = run_dir_of(out, summary)
    assert rows_once(reports) == list(range(2, ROWS + 2))
    success = {int(r["_row"]): r for r in read_report(reports / "success.csv")}
    for row in in_flight & on_server:
        assert success[row]["_outcome"] == "created"
        assert success[row]["_message"].startswith("created by this job: a request lost its")


def test_a_full_disk_at_the_nth_report_write_names_the_report(
    start_emulator: Callable[..., EmulatorProcess],
    run: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emu = start_emulator()
    source = write_csv(tmp_path / "in.csv", member_rows(ROWS))
    real_open = _writer.private_open

    class Filling:
        def __init__(self, fh: Any) -> None:
            self._fh, self.rows = fh, 0

        def write(self, text: str) -> int:
            self.rows += 1
            if self.rows > 25:  # the header, then 24 rows: the disk is full
                raise OSError(errno.ENOSPC, "No space left on device")
            return self._fh.write(text)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._fh, name)

    def private_open(path: Path, *args: Any, **kwargs: Any) -> Any:
        fh = real_open(path, *args, **kwargs)
        return Filling(fh) if Path(path).name == "success.csv" else fh

    monkeypatch.setattr(_writer, "private_open", private_open)
    with pytest.raises(StorageError, match=r"success\.csv: disk full") as info:
        run(emu.url, source, concurrency=4)
    assert info.value.exit_code == 3
    monkeypatch.undo()

    summary = run(emu.url, source, concurrency=4)
    assert summary.exit_code == 0
    # settled before: reported as settled; those left in flight are found by lookup, and the
    # customer's creation time, after the request the journal kept, proves it created them
    assert summary.outcomes["created"] == ROWS and summary.outcomes["reconciled"] == 0
    assert len(emu.customers()) == ROWS


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        # a real limit on every file the process writes: writes past it fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_the_command_says_in_one_line_which_file_it_cannot_write(
    start_emulator: Callable[..., EmulatorProcess], mapping: Path, tmp_path: Path
) -> None:
    emu = start_emulator()
    source = write_csv(tmp_path / "in.csv", member_rows(200))
    args = ["run", str(source), "--mapping", str(mapping), "--base-url", emu.url, "--rpm", "0"]

    # nothing can be written at all: a usage error, nothing sent
    proc = cli(*args, "--out", str(tmp_path / "none"), preexec_fn=_file_size_limit(0))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert err.count("\n") == 1 and err.startswith("error: ") and "file too large" in err
    assert emu.stats()["adds_attempted"] == 0

    # room for a few rows only: the run stops at once, exit 3, one line, no traceback
    out = tmp_path / "out"
    proc = cli(*args, "--out", str(out), preexec_fn=_file_size_limit(256 * 1024))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 3, err
    last = err.strip().splitlines()[-1]
    # SQLite reports the limit as a full disk or an I/O error, a report file as "too large"
    assert last.startswith(f"error: {out}"), err
    assert any(cause in last for cause in ("too large", "disk full", "input/output")), err
    assert "Traceback" not in err
    sent = emu.stats()["adds_attempted"]
    assert 0 < sent < 200

    proc = cli(*args, "--out", str(out))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert len(emu.customers()) == 200


def test_a_ledger_another_process_holds_is_waited_for_without_stopping_the_loop(
    start_emulator: Callable[..., EmulatorProcess], mapping: Path, tmp_path: Path
) -> None:
    emu = start_emulator()
    out = tmp_path / "out"
    out.mkdir()
    Ledger(out / "ledger.sqlite").close()
    source = write_csv(tmp_path / "in.csv", member_rows(20))
    # paced at two adds a second, so that the lock is taken while rows are still to be sent
    args = ["run", str(source), "--mapping", str(mapping), "--base-url", emu.url, "--rpm", "120"]
    proc = cli(*args, "--out", str(out))
    holder = sqlite3.connect(out / "ledger.sqlite", isolation_level=None)
    try:
        _wait_for(lambda: emu.stats()["adds_attempted"] >= 1)
        holder.execute("BEGIN IMMEDIATE")
        # a row created now waits for the ledger; a loop frozen in SQLite's busy wait would not
        # even see SIGTERM until the wait ended, this one answers it at once
        _wait_for(lambda: emu.stats()["adds_attempted"] >= 3)
        proc.send_signal(signal.SIGTERM)
        _wait_for(lambda: '"event": "interrupted"' in _run_log(out), timeout=10)
        assert holder.in_transaction and proc.poll() is None  # still waiting for the ledger
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err  # interrupted: the rows not sent are failed, not attempted
    created = emu.stats()["adds_attempted"]
    with Ledger(out / "ledger.sqlite") as ledger:
        assert ledger.count(emu.url) == 2 * created  # every created row reached the ledger

    proc = cli(*args[:-1], "0", "--out", str(out))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert len(emu.customers()) == 20


def _run_log(out: Path) -> str:
    return "".join(p.read_text() for p in out.glob("in/*/run.log"))


def test_a_ledger_held_too_long_stops_the_run_and_leaves_its_rows_in_flight(
    start_emulator: Callable[..., EmulatorProcess],
    run: Callable[..., Any],
    tmp_path: Path,
) -> None:
    emu = start_emulator()
    out = tmp_path / "out"
    out.mkdir()
    Ledger(out / "ledger.sqlite").close()
    source = write_csv(tmp_path / "in.csv", member_rows(ROWS))
    result: dict[str, Any] = {}

    def go() -> None:
        try:
            run(emu.url, source, concurrency=4, lock_wait=1.0, rpm=1200)
        except StorageError as exc:
            result["error"] = exc

    thread = threading.Thread(target=go)
    holder = sqlite3.connect(out / "ledger.sqlite", isolation_level=None)
    thread.start()
    try:
        _wait_for(lambda: emu.stats()["adds_attempted"] >= 5)
        holder.execute("BEGIN IMMEDIATE")
        thread.join(60)
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
    error = result["error"]
    assert "ledger.sqlite: database locked by another process for more than 1 s" in str(error)
    assert error.exit_code == 3
    states = journal_states(out)
    on_server = created_rows(emu)
    # a row created while the ledger was held stays in flight in the journal; no row is
    # settled in the journal without being in the ledger
    waiting = {row for row in on_server if states[row] == (IN_FLIGHT, None)}
    with Ledger(out / "ledger.sqlite") as ledger:
        for row in on_server - waiting:
            assert states[row] == (SETTLED, "created"), row
            assert ledger.known(emu.url, [_mobile_key(row)]) is not None, row

    summary = run(emu.url, source, concurrency=4)
    assert summary.exit_code == 0
    # settled before: reported as settled; those left in flight are found by lookup, and the
    # customer's creation time, after the request the journal kept, proves it created them
    assert summary.outcomes["created"] == ROWS and summary.outcomes["reconciled"] == 0
    assert len(emu.customers()) == ROWS
    with Ledger(out / "ledger.sqlite") as ledger:
        assert ledger.count(emu.url) == 2 * ROWS


def _mobile_key(row: int) -> IdentityKey:
    return IdentityKey("INSTORE", "", "mobile", mobile(row - 2))


def _wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition never came true")
        time.sleep(0.02)
