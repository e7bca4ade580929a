"""A short path for a row: one created row from ``importer run`` to its ``success.csv`` line.

Measured by ``row_path`` (a profile hook that follows the functions that take the row, through
calls and returns): at most 40 hops between modules, at most 20 of them back into a module the
row visited before. The README's developer map walks the same path.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from row_path import hops, row_path
from runs_helpers import BASIC, MAPPING, member_rows, write_csv

from importer.cli._main import main
from importer.emulator import EmulatorProcess

MAX_HOPS = 40
MAX_BACK = 20


def test_one_created_row_takes_a_short_path(
    start_emulator: Callable[..., EmulatorProcess], tmp_path: Path
) -> None:
    emu = start_emulator()
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    source = write_csv(tmp_path / "in.csv", member_rows(1))
    args = ["run", str(source), "--mapping", str(mapping), "--base-url", emu.url]
    args += ["--rpm", "0", "--out", str(tmp_path / "out")]
    outcome: dict[str, int] = {}

    def go() -> None:
        result = CliRunner().invoke(main, args, env=BASIC, catch_exceptions=False)
        outcome["exit"] = result.exit_code

    path = row_path(go)
    assert outcome["exit"] == 0
    assert len(emu.customers()) == 1
    count, back = hops(path)
    shown = " -> ".join(path)
    assert path[0] == "cli/_run" and path[-1] == "report/_writer", shown
    assert count <= MAX_HOPS, shown
    assert back <= MAX_BACK, shown
