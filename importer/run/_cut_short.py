"""What stops a run short: files it cannot write, and an input that breaks mid-way.

Before anything is sent, a full disk or an unwritable ``--out`` is a usage error (exit 2, see
``unwritable_is_usage_error``). Once sending began, a write that fails stops the run at once
(exit 3, see ``send/_workers``). An input that breaks mid-way ends the input: the rows read before
the break are still sent and reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from importer._exceptions import FatalError, StorageError
from importer._layout import LOG_FILE
from importer._models import Prepared


def as_storage_error(failure: BaseException, where: Path) -> BaseException:
    """The error a run stops with after recording failed: a StorageError naming the file for
    a failed write; anything else is a bug and keeps its traceback."""
    if isinstance(failure, StorageError):
        return failure
    if isinstance(failure, OSError):
        return StorageError.of(failure.filename or where, failure)
    return failure


def loggable(failure: BaseException) -> bool:
    """Whether the log can take one more line (not when the log is what failed)."""
    return not (isinstance(failure, StorageError) and str(failure.path).endswith(LOG_FILE))


def take(rows: Iterator[Prepared], n: int) -> tuple[list[Prepared], FatalError | None]:
    """Up to ``n`` rows, and the input error that cut them short, if one did (rows kept)."""
    batch: list[Prepared] = []
    try:
        batch.extend(islice(rows, n))
    except FatalError as exc:
        return batch, exc
    return batch, None
