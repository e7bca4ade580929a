"""Start the emulator as a real subprocess for tests and scripts, and talk to its admin API."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

READY_TIMEOUT = 15.0


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: status, headers (lower-case names) and the JSON body (None if not JSON)."""

    status: int
    headers: Mapping[str, str]
    body: Any


def _call(
    url: str,
    method: str = "GET",
    body: Any = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10.0,
) -> Answer:
    data = None
    all_headers = dict(headers or {})
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        all_headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw, got = response.status, response.read(), response.headers
    except urllib.error.HTTPError as exc:
        status, raw, got = exc.code, exc.read(), exc.headers
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = None
    return Answer(status, {k.lower(): v for k, v in got.items()}, parsed)


@dataclass
class EmulatorProcess:
    """A running emulator: its base URL, its SQLite file and its ``/_emulator/`` endpoints.

    ``stop()`` then ``start()`` (or ``restart()``) brings it back on the same port and database,
    so a client holding ``url`` reconnects to the same customers after an outage.
    """

    url: str
    db_path: Path
    process: subprocess.Popen[bytes]
    #: extra command-line arguments, repeated on every start
    args: tuple[str, ...]
    #: scratch directory for the ready file and stderr
    work: Path

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 10.0,
    ) -> Answer:
        """Send one request (JSON body if given) and answer whatever came back."""
        return _call(self.url + path, method, body, headers, timeout)

    def stats(self) -> dict[str, Any]:
        """``GET /_emulator/stats``."""
        return self.request("GET", "/_emulator/stats").body

    def customers(self) -> list[dict[str, Any]]:
        """Every stored customer (``GET /_emulator/customers``)."""
        return self.request("GET", "/_emulator/customers").body["customers"]

    def reset(self) -> None:
        """Forget customers, counters and the rate-limit window."""
        answer = self.request("POST", "/_emulator/reset")
        if answer.status != 200:
            raise RuntimeError(f"emulator reset failed with HTTP {answer.status}")

    @property
    def port(self) -> int:
        """The port it listens on, kept across restarts."""
        port = urllib.parse.urlsplit(self.url).port
        assert port is not None, self.url
        return port

    def stop(self) -> None:
        """Terminate, then kill if it does not exit within 5 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def start(self) -> None:
        """Start a stopped emulator again: same arguments, database and port, so the same URL.

        Counters, the rate-limit window and OAuth tokens start afresh, as after a real restart;
        customers stay. Waits while the port is still taken (up to READY_TIMEOUT).
        """
        if self.process.poll() is None:
            raise RuntimeError(f"the emulator at {self.url} is still running")
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            try:
                self.process, url = _launch(self.work, self.db_path, self.port, self.args)
                break
            except _PortBusy:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.1)
        if url != self.url:
            raise RuntimeError(f"restarted on {url}, expected {self.url}")

    def restart(self, downtime: float = 0.0) -> None:
        """Stop, stay down ``downtime`` seconds (an outage), and start on the same URL."""
        self.stop()
        time.sleep(downtime)
        self.start()


@contextlib.contextmanager
def running_emulator(
    *args: str, db: Path | None = None, port: int = 0
) -> Iterator[EmulatorProcess]:
    """Run ``python -m importer emulator`` with these extra arguments; stopped on exit.

    ``port=0`` binds a free port; ``restart()`` keeps whichever port was bound.
    """
    with tempfile.TemporaryDirectory(prefix="emulator-") as scratch:
        work = Path(scratch)
        db_path = Path(db) if db is not None else work / "emulator.sqlite3"
        process, url = _launch(work, db_path, port, args)
        emulator = EmulatorProcess(url, db_path, process, args, work)
        try:
            yield emulator
        finally:
            emulator.stop()


class _PortBusy(RuntimeError):
    """The emulator could not listen: the port is taken."""


def _launch(
    work: Path, db_path: Path, port: int, args: tuple[str, ...]
) -> tuple[subprocess.Popen[bytes], str]:
    ready, stderr = work / "ready", work / "stderr"
    # a leftover file from the previous start would announce a URL before anyone listens
    ready.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "importer",
        "emulator",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--ready-file",
        str(ready),
        "--db",
        str(db_path),
        *args,
    ]
    # appended, so a restart keeps the earlier processes' tracebacks; errors quote this run's
    start = stderr.stat().st_size if stderr.exists() else 0
    with open(stderr, "ab") as err:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        return process, _wait_ready(process, ready, stderr, start)
    except BaseException:
        if process.poll() is None:
            process.kill()
            process.wait()
        raise


def _wait_ready(process: subprocess.Popen[bytes], ready: Path, stderr: Path, start: int) -> str:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if ready.exists():
            url = ready.read_text(encoding="utf-8").strip()
            if url:
                return url
        if process.poll() is not None:
            err = _tail(stderr, start)
            kind = _PortBusy if "cannot listen" in err else RuntimeError
            raise kind(f"emulator exited with {process.returncode}: {err}")
        time.sleep(0.02)
    raise RuntimeError(f"emulator not ready after {READY_TIMEOUT:.0f} s: {_tail(stderr, start)}")


def _tail(stderr: Path, start: int) -> str:
    with open(stderr, "rb") as err:
        err.seek(start)
        return err.read().decode("utf-8", errors="replace").strip()
