"""Ctrl-C and SIGTERM during a run: the first finishes what is in flight, the second stops."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Iterator
from typing import Any

from importer.send import Sender


@contextlib.contextmanager
def graceful_interrupts(sender: Sender, log: Any) -> Iterator[None]:
    """While the block runs, turn SIGINT/SIGTERM into ``sender.stop()``, then ``force_stop()``."""
    loop = asyncio.get_running_loop()

    def interrupt() -> None:
        if sender.interrupted:
            log.warning("interrupted_again", note="cancelling requests in flight")
            sender.force_stop()
        else:
            log.warning("interrupted", note="finishing requests in flight")
            sender.stop()

    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, interrupt)
            installed.append(sig)
        except (ValueError, RuntimeError, NotImplementedError):
            pass  # not the main thread: the caller handles signals
    try:
        yield
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
