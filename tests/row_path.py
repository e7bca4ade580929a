"""The modules one created row passes through, from ``importer run`` to its ``success.csv`` line.

The row's path is every function of the package (the emulator aside) that works for the row:
one that takes the row as an argument (its ``SourceRow``, ``Prepared``, ``Work`` or
``Settlement``), and every function such a function calls, down to the library code. Following
calls and returns in order (a coroutine's pause and resume are neither), each change of module
is a hop; a hop back is one into a module the path visited before. The path starts in
``cli/_run`` and ends with the call that writes the row's line to ``success.csv``.
"""

from __future__ import annotations

import dis
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from importer._models import Outcome, Prepared, Settlement, SourceRow, Work

ROW_TYPES = (SourceRow, Prepared, Work, Settlement)
ROOT = Path(__import__("importer").__file__).parent
YIELD = dis.opmap["YIELD_VALUE"]


def _module(frame: FrameType) -> str | None:
    """``send/_sender`` for a frame of the package's code; None for any other code."""
    try:
        name = Path(frame.f_code.co_filename).relative_to(ROOT)
    except ValueError:
        return None
    if name.parts[0] == "emulator":
        return None
    return str(name.with_suffix(""))


def _carried(frame: FrameType) -> object | None:
    """The row object among the frame's arguments, if any."""
    code = frame.f_code
    for name in code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]:
        value = frame.f_locals.get(name)
        if isinstance(value, ROW_TYPES):
            return value
    return None


def row_path(run: Callable[[], object], *, callees: bool = False) -> list[str]:
    """Run ``run`` (an import of one row that gets created) and return its row's path: the
    functions that take the row, and with ``callees`` every function they call as well."""
    path = ["cli/_run"]
    on_path: set[int] = set()  # ids of the frames working for the row
    done = threading.Event()

    def visit(module: str | None) -> None:
        if module is not None and path[-1] != module:
            path.append(module)

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if done.is_set() or event not in ("call", "return"):
            return
        key = id(frame)
        code = frame.f_code.co_code
        if event == "call":
            if frame.f_lasti >= 2 and code[frame.f_lasti - 2] == YIELD:
                return  # a coroutine or generator resumed: not a call
            carried = _carried(frame)
            caller = frame.f_back
            if carried is None and (not callees or caller is None or id(caller) not in on_path):
                return
            on_path.add(key)
            visit(_module(frame))
            if (
                _module(frame) == "report/_writer"
                and frame.f_code.co_name == "write"
                and isinstance(carried, Settlement)
                and getattr(carried, "outcome", None) is Outcome.CREATED
            ):
                done.set()
            return
        if key not in on_path:
            return
        if code[frame.f_lasti] == YIELD:
            return  # paused, not returned
        on_path.discard(key)
        caller = frame.f_back
        while caller is not None and (_module(caller) is None or id(caller) not in on_path):
            caller = caller.f_back
        if caller is not None and id(caller) in on_path:
            visit(_module(caller))

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
    """(hops, hops back into a module the path visited before)."""
    back = sum(1 for i in range(1, len(path)) if path[i] in path[:i])
    return len(path) - 1, back
