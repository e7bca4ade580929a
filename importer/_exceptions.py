"""The tool's errors, sorted by what the caller does next (singer-sdk's model).

- ``FatalError``: abort the run (exit 2 before anything is sent, exit 3 once sending began).

Every command's exit code comes from one policy, ``exit_code_for``, whose table
(``EXIT_CODES``) is the README's: a test checks that they say the same.
- ``RetriableError``: try the same request again after a backoff.
- ``SkippableError``: record the row with its reason and move on.

Where no exception is raised, the same three kinds travel as values: an API answer is classified
by ``importer.send`` into a verdict (``Fatal`` aborts, ``Retry``/``Ambiguous`` retry,
``Created``/``Duplicate``/``Rejected`` settle the row). The sender's ``Halted`` is not an error:
it is how a worker learns that the run stopped taking rows.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterable, Iterator, Mapping

#: every exit code a command ends with, as the README's table says it (a test compares them)
EXIT_CODES = {
    0: "every row created, reconciled, duplicate or skipped (for `validate`: would be sent, or "
    "a duplicate inside the file)",
    1: "some rows rejected or failed: look at `errors.csv`",
    2: "usage, configuration or input error: nothing was sent. Also a full disk or an "
    "unwritable `--out` at start, and an input that breaks before any row was sent (the rows "
    "read before the break are reported)",
    3: "the run was aborted (authentication refused, server unreachable, an outage longer than "
    '`--outage-wait`, the input broke after rows were sent): unsent rows are `failed`, "not '
    'attempted"; or a file could not be written (disk full, ledger locked): the run stopped '
    "at once, see [Crash, Ctrl-C, wrong password](#crash-ctrl-c-wrong-password)",
    130: "interrupted (Ctrl-C) before sending began: nothing was sent",
}
#: the outcomes that leave work for the user (exit 1)
_LEFT = ("rejected", "failed")


def exit_code_for(
    *,
    outcomes: Mapping[str, int] | None = None,
    aborted: bool = False,
    sent: bool = True,
    error: BaseException | None = None,
    inputs: Iterable[int] = (),
) -> int:
    """The one exit-code policy every command ends with (see ``EXIT_CODES``).

    ``error``: what stopped the command (a ``FatalError``: 3 when it came after sending began,
    else 2; Ctrl-C before sending: 130). ``aborted``: the run stopped early, 3 once something
    was ``sent``, else 2. ``outcomes``: 1 when rows were rejected or failed, else 0. ``inputs``:
    the codes of a batch's inputs, whose gravest is the batch's (an abort first).
    """
    if error is not None:
        if isinstance(error, KeyboardInterrupt):
            return 130
        return 3 if getattr(error, "sent", False) else 2
    codes = list(inputs)
    if codes:
        return 3 if 3 in codes else max(codes)
    if aborted:
        return 3 if sent else 2
    outcomes = outcomes or {}
    return 1 if any(outcomes.get(o, 0) for o in _LEFT) else 0


class ImporterError(Exception):
    """Base of every error the tool raises on purpose."""


# -- fatal: abort the run --------------------------------------------------------------------


class FatalError(ImporterError):
    """The run cannot go on; ``exit_code`` is what the CLI exits with."""

    sent = False  # raised once sending began (the policy's exit 3), or before it (exit 2)

    @property
    def exit_code(self) -> int:
        return exit_code_for(error=self)


class UsageError(FatalError):
    """The command line or settings are wrong; nothing was sent."""


class ConfigError(FatalError):
    """The mapping file (or another configuration file) is wrong; nothing was sent."""


class InputError(FatalError):
    """The input file cannot be read as a table; nothing was sent."""


class JobLockedError(FatalError):
    """Another run of the same job is under way."""


class AbortError(FatalError):
    """Sending began but cannot go on (authentication refused, server unreachable)."""

    sent = True


class StorageError(AbortError):
    """A file the run writes (journal, ledger, report, log) cannot be written.

    Once sending began the run stops at once (exit 3): the rows in flight stay ``in_flight`` in
    the journal and are looked up by the next run. Before anything was sent it is exit 2.
    """

    def __init__(self, path: object, cause: str, *, sent: bool = True) -> None:
        super().__init__(f"{path}: {cause}")
        self.path = path
        self.cause = cause
        self.sent = sent

    @classmethod
    def of(cls, path: object, exc: BaseException, *, sent: bool = True) -> StorageError:
        """The error for ``exc`` (an OSError or a sqlite3 error) raised writing ``path``."""
        if isinstance(exc, StorageError):
            return cls(exc.path, exc.cause, sent=sent)
        return cls(path, describe_write_error(exc), sent=sent)

    def before_sending(self) -> StorageError:
        """The same error, raised before anything was sent (exit 2)."""
        return StorageError(self.path, self.cause, sent=False)


@contextlib.contextmanager
def unwritable_is_usage_error(out: object) -> Iterator[None]:
    """A full disk or an unwritable ``--out`` before sending: exit 2, naming file and cause."""
    try:
        yield
    except StorageError as exc:
        raise exc.before_sending() from None
    except OSError as exc:
        raise StorageError.of(exc.filename or out, exc, sent=False) from None


class DatabaseBusy(StorageError):
    """Another connection holds the SQLite file's write lock (worth waiting for, briefly)."""


#: what an operator should read for the usual causes, by errno and by SQLite's messages.
_ERRNO_CAUSES = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.EIO: "input/output error",
    errno.EFBIG: "file too large (a file size limit)",
}
_SQLITE_CAUSES = (
    ("database or disk is full", "disk full"),
    ("database is locked", "database locked by another process"),
    ("readonly database", "permission denied (read-only database)"),
    ("unable to open database", "cannot open the database (permission denied or no folder)"),
    ("disk i/o error", "input/output error"),
    ("malformed", "the database file is damaged"),
)


def describe_write_error(exc: BaseException) -> str:
    """A short cause for a failed write: disk full, database locked, permission denied..."""
    number = getattr(exc, "errno", None)
    if number in _ERRNO_CAUSES:
        return f"{_ERRNO_CAUSES[number]} ({getattr(exc, 'strerror', None) or exc})"
    text = str(exc)
    for needle, cause in _SQLITE_CAUSES:
        if needle in text.lower():
            return f"{cause} ({text})"
    return f"cannot write ({type(exc).__name__}: {text})"


class AuthError(AbortError):
    """The API answered 401 or 403: retrying row after row would not help."""


# -- retriable: try again ---------------------------------------------------------------


class RetriableError(ImporterError):
    """A transient failure; the same request may be sent again after a backoff."""


class TransportError(RetriableError):
    """No answer came (connection refused or dropped, timeout, bad URL).

    ``sent`` is False only when the request surely never reached the server; when it is True the
    add may have created the customer, so the row is looked up before it is posted again.
    """

    def __init__(self, message: str, *, sent: bool) -> None:
        super().__init__(message)
        self.sent = sent


# -- skippable: record the row and move on ---------------------------------------------


class SkippableError(ImporterError):
    """This row cannot be sent as it is; it is recorded with a code and message."""

    def __init__(self, message: str, *, code: str = "invalid", column: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.column = column


class RowRejected(SkippableError):
    """A cell failed a transform or the row failed validation.

    ``codes`` are the codes of every problem found in the row, the first one (``code``) first.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        column: str | None = None,
        codes: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message, code=code, column=column)
        self.codes = codes or (code,)
