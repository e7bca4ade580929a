"""How a value says what is wrong with it: rejections, warnings and values kept with a warning.

A rejection names the column and the value; a row collects every rejection of its values and
is rejected once, with all of them (``rejected``). A value converted with a remark (an extension
dropped, a name cut to 100 characters) raises ``Kept``: rare, so the common path pays nothing.
"""

from __future__ import annotations

from typing import Any

from importer._exceptions import RowRejected

#: one local warning, as reports show it: {"code": ..., "column": ..., "message": ...}
LocalWarning = dict[str, Any]
#: one problem of a row: (code, column or None, message)
Problem = tuple[str, str | None, str]

#: joins the problems of one row in ``_message``.
SEPARATOR = " | "


def show(value: str, limit: int = 60) -> str:
    """The value as a message quotes it: in quotes, cut when long."""
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return '"' + value.replace('"', '\\"') + '"'


def reject(column: str | None, value: str, why: str, code: str) -> RowRejected:
    """A RowRejected whose message names the column and the value."""
    where = f"{column}: " if column else ""
    return RowRejected(f"{where}{show(value)} {why}", code=code, column=column)


def warning(code: str, column: str | None, message: str) -> LocalWarning:
    """A local warning for ``_warnings`` and ``warnings.csv``."""
    return {"code": code, "column": column, "message": message}


class Kept(Exception):  # noqa: N818 - not an error: a value that comes with warnings
    """A value converted with warnings: the row goes on with ``value``."""

    def __init__(self, value: Any, warnings: list[LocalWarning]) -> None:
        super().__init__(value)
        self.value = value
        self.warnings = warnings


#: the code of a row that continues the customer above (``settings.continuation``): no customer
CONTINUATION = "continuation"


def continued(columns: list[str]) -> RowRejected:
    """A row whose identifying columns are all empty: it continues the customer above."""
    names = ", ".join(columns)
    message = f"{names}: all empty: the row continues the customer above"
    return RowRejected(message, code=CONTINUATION)


def problem_of(exc: RowRejected) -> Problem:
    return (exc.code, exc.column, str(exc))


def rejected(problems: list[Problem]) -> RowRejected:
    """One rejection for a row with every problem: the first code, every message, every code."""
    codes = tuple(dict.fromkeys(code for code, _, _ in problems))
    message = SEPARATOR.join(dict.fromkeys(message for _, _, message in problems))
    return RowRejected(message, code=problems[0][0], column=problems[0][1], codes=codes)


def dropped(exc: RowRejected) -> LocalWarning:
    """The warning for a value left out of the body (the mapping says ``on_invalid: drop``)."""
    return warning("dropped_value", exc.column, f"{exc}: left out (on_invalid: drop)")
