"""Fixtures for the emulator's own tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from importer.emulator import EmulatorProcess


@pytest.fixture
def fresh(emulator: EmulatorProcess) -> Iterator[EmulatorProcess]:
    """The session emulator with no customers and zeroed counters."""
    emulator.reset()
    yield emulator
