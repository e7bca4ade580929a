"""Fixtures every test folder may use: a running emulator of the Add Customer API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from importer.emulator import EmulatorProcess, running_emulator


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorProcess]:
    """One default emulator for the whole session: reset it or use unique identifiers."""
    with running_emulator() as emu:
        yield emu


@pytest.fixture
def start_emulator() -> Iterator[Callable[..., EmulatorProcess]]:
    """Start emulators with given arguments (``start(*args, db=path)``); stopped after the test."""
    with ExitStack() as stack:

        def start(*args: str, db: Path | None = None) -> EmulatorProcess:
            return stack.enter_context(running_emulator(*args, db=db))

        yield start
