"""Logging: JSON lines (structlog) to ``run.log`` and, off a terminal, to stderr for cron.

Every string in an event has its identifiers masked (mobiles, e-mails: nothing else, see
``importer._mask``) and keys that smell of secrets are dropped, so a log line can be pasted
into a support ticket as it is.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import IO, Any

import structlog

from importer._exceptions import StorageError
from importer._layout import LOG_FILE
from importer._mask import mask_text
from importer._owner_only import private_open

_SECRET_KEY = re.compile(r"pass|secret|token|authorization|credential", re.IGNORECASE)
#: keys whose values are the tool's own (times, run ids, paths, URLs), never personal data; the
#: others are masked, and masking itself leaves paths, run ids, dates and counts alone.
_PLAIN = frozenset(
    {
        "timestamp",
        "level",
        "event",
        "run",
        "last_run",
        "job",
        "input",
        "mapping",
        "base_url",
        "request_id",
    }
)
_LOUD = frozenset({"warning", "error", "critical", "exception"})


def mask_event(logger: Any, method: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: drop secret-looking keys, mask identifiers in every string value."""
    for key in list(event):
        if _SECRET_KEY.search(key):
            event[key] = "***"
        elif isinstance(event[key], str) and key not in _PLAIN:
            event[key] = mask_text(event[key])
    return event


class _Sink:
    """Writes rendered lines to the run log, and to stderr when asked (everything, or warnings)."""

    def __init__(self, file: IO[str] | None, echo: str) -> None:
        self.file = file
        self.echo = echo  # "all", "loud" or "none"

    def _write(self, method: str, line: str) -> None:
        if self.file is not None and not self.file.closed:
            try:
                self.file.write(line + "\n")
                self.file.flush()
            except OSError as exc:  # disk full...: the run stops, naming the file
                raise StorageError.of(self.file.name, exc) from None
        if self.echo == "all" or (self.echo == "loud" and method in _LOUD):
            try:
                from tqdm import tqdm

                tqdm.write(line, file=sys.stderr)
            except Exception:  # noqa: BLE001 - logging must never break the run
                sys.stderr.write(line + "\n")

    def __getattr__(self, method: str) -> Any:
        return lambda line: self._write(method, line)


_open_file: IO[str] | None = None


def configure(run_dir: Path | None, *, tty: bool) -> structlog.typing.FilteringBoundLogger:
    """Send log lines to ``<run_dir>/run.log`` and stderr (all of them off a terminal)."""
    global _open_file
    close()
    if run_dir is not None:
        _open_file = private_open(Path(run_dir) / LOG_FILE, "a", encoding="utf-8")
    sink = _Sink(_open_file, "loud" if tty else "all")
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            mask_event,
            structlog.processors.JSONRenderer(sort_keys=False, default=str),
        ],
        logger_factory=lambda *args: sink,
        cache_logger_on_first_use=False,
    )
    return structlog.get_logger("importer")


def close() -> None:
    """Close the run log, if one is open."""
    global _open_file
    if _open_file is not None:
        _open_file.close()
        _open_file = None


def get_logger() -> Any:
    return structlog.get_logger("importer")
