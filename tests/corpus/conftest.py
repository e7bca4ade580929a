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


def pytest_terminal_summary(terminalreporter) -> None:
    """The per-layout table of the layouts this session ran (created / identifiable / wrong)."""
    from corpus_harness import VERDICTS

    if not VERDICTS:
        return
    terminalreporter.section("corpus: what the emulator stored, judged by the oracles")
    for verdict in VERDICTS:
        mark = "PASS" if verdict.passes else "FAIL"
        terminalreporter.write_line(f"{mark} {verdict.line()}  ({verdict.draft})")
