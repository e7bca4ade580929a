"""The modules one created row passes through, from ``importer run`` to its ``success.csv`` line.

A hop is a call that hands the row (its ``SourceRow``, ``Prepared``, ``Work`` or ``Settlement``
as an argument) to a function of another importer module than the previous such call's, or a
function of another module that gives the row back (returns or yields one of them); the
path starts at ``cli/_run`` and ends with the call that writes the row's line to success.csv.
A hop back is one into a module the path visited before.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from importer._models import Outcome, Prepared, Settlement, SourceRow, Work

ROW_TYPES = (SourceRow, Prepared, Work, Settlement)
ROOT = Path(__import__("importer").__file__).parent


def _module(frame: FrameType) -> str | None:
    path = Path(frame.f_code.co_filename)
    try:
        name = path.relative_to(ROOT)
    except ValueError:
        return None
    if name.parts[0] == "emulator":
        return None
    return str(name.with_suffix(""))


def _carries_row(frame: FrameType) -> Settlement | Any | None:
    code = frame.f_code
    count = code.co_argcount + code.co_kwonlyargcount
    for name in code.co_varnames[:count]:
        value = frame.f_locals.get(name)
        if isinstance(value, ROW_TYPES):
            return value
    return None


def row_path(run: Callable[[], object]) -> list[str]:
    """Run ``run`` (one created row) and return the modules its row passed through, in order."""
    path = ["cli/_run"]
    done = threading.Event()

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event not in ("call", "return") or done.is_set():
            return
        module = _module(frame)
        if module is None:
            return
        # a function that takes the row, or gives it (returns or yields it)
        carried = _carries_row(frame) if event == "call" else arg
        if not isinstance(carried, ROW_TYPES):
            return
        if path[-1] != module:
            path.append(module)
        if (
            event == "call"
            and module == "report/_writer"
            and frame.f_code.co_name == "write"
            and isinstance(carried, Settlement)
            and carried.outcome is Outcome.CREATED
        ):
            done.set()

    sys.setprofile(profile)
    threading.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]
    assert done.is_set(), "the row never reached success.csv"
    return path


def hops(path: list[str]) -> tuple[int, int]:
    """(hops, hops back into a module visited before)."""
    back = sum(1 for i in range(1, len(path)) if path[i] in path[:i])
    return len(path) - 1, back
