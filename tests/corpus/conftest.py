"""The corpus runs against an emulator of its own: thousands of customers per layout must not
be left in the session's shared emulator, where other tests count on their own identifiers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from importer.emulator import EmulatorProcess, running_emulator


@pytest.fixture(scope="module")
def corpus_emulator() -> Iterator[EmulatorProcess]:
    """One emulator per test module; ``check`` resets it before each layout."""
    with running_emulator() as emu:
        yield emu
