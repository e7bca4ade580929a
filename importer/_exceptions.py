"""The tool's errors, sorted by what the caller does next (singer-sdk's model).

- ``FatalError``: abort the run (exit 2 before anything is sent, exit 3 once sending began).
- ``RetriableError``: try the same request again after a backoff.
- ``SkippableError``: record the row with its reason and move on.

Where no exception is raised, the same three kinds travel as values: an API answer is classified
by ``importer.send`` into a verdict (``Fatal`` aborts, ``Retry``/``Ambiguous`` retry,
``Created``/``Duplicate``/``Rejected`` settle the row). The sender's ``Halted`` is not an error:
it is how a worker learns that the run stopped taking rows.
"""

from __future__ import annotations


class ImporterError(Exception):
    """Base of every error the tool raises on purpose."""


# -- fatal: abort the run --------------------------------------------------------------------


class FatalError(ImporterError):
    """The run cannot go on; ``exit_code`` is what the CLI exits with."""

    exit_code = 2


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

    exit_code = 3


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
