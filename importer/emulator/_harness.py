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
    """A running emulator: its base URL, its SQLite file and its ``/_emulator/`` endpoints."""

    url: str
    db_path: Path
    process: subprocess.Popen[bytes]

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

    def stop(self) -> None:
        """Terminate, then kill if it does not exit within 5 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def running_emulator(*args: str, db: Path | None = None) -> Iterator[EmulatorProcess]:
    """Run ``python -m importer emulator`` on a free port with these extra arguments."""
    with tempfile.TemporaryDirectory(prefix="emulator-") as scratch:
        work = Path(scratch)
        db_path = Path(db) if db is not None else work / "emulator.sqlite3"
        ready = work / "ready"
        command = [
            sys.executable,
            "-m",
            "importer",
            "emulator",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--ready-file",
            str(ready),
            "--db",
            str(db_path),
            *args,
        ]
        with open(work / "stderr", "wb") as stderr:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        emulator = EmulatorProcess(url="", db_path=db_path, process=process)
        try:
            emulator.url = _wait_ready(process, ready, work / "stderr")
            yield emulator
        finally:
            emulator.stop()


def _wait_ready(process: subprocess.Popen[bytes], ready: Path, stderr: Path) -> str:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if ready.exists():
            url = ready.read_text(encoding="utf-8").strip()
            if url:
                return url
        if process.poll() is not None:
            err = stderr.read_text(encoding="utf-8", errors="replace").strip()
            raise RuntimeError(f"emulator exited with {process.returncode}: {err}")
        time.sleep(0.02)
    err = stderr.read_text(encoding="utf-8", errors="replace").strip()
    raise RuntimeError(f"emulator not ready after {READY_TIMEOUT:.0f} s: {err}")
