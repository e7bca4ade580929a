"""One exception tree, sorted by what the caller does next.

- ``FatalError``: abort the run (exit 2 before anything is sent, exit 3 once sending began).
- ``RetriableError``: try the same request again after a backoff.
- ``SkippableError``: record the row with its reason and move on.
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


class UnreachableError(AbortError):
    """The API could not be reached at all."""


# -- retriable: try again ---------------------------------------------------------------


class RetriableError(ImporterError):
    """A transient failure; the request may be sent again.

    ``ambiguous`` is true when the request may have reached the server and created the customer
    (a timeout or a dropped connection after sending), so the row must be looked up before a resend.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        ambiguous: bool = False,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.ambiguous = ambiguous
        self.request_id = request_id


class RateLimitedError(RetriableError):
    """HTTP 429: the org's quota is spent for now."""


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
