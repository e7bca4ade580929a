"""A row with Excel error cells (``#N/A``, ...): rejected, or the cells read as empty, warned.

The reader names a row's error cells beside it (``read.ErrorCells``); only such rows come here,
so ordinary rows pay nothing. An error cell in a column the mapping does not read changes
nothing (the summary counts it); in a mapped column it rejects the row (``excel_error``: ``E-Mail:
cell C7 holds #N/A``) unless every value reading the column says ``on_invalid: drop``, where the
cell is read as empty and the row carries a ``dropped_value`` warning.
"""

from __future__ import annotations

from typing import Any

from importer._exceptions import RowRejected
from importer.mapping import Mapping, error_cell_rules
from importer.read import ErrorCells

EXCEL_ERROR = "excel_error"
_SEPARATOR = " | "


class ErrorCellRules:
    """The mapping's rule for error cells, per column of the table."""

    def __init__(self, mapping: Mapping, columns: list[str]) -> None:
        rules = error_cell_rules(mapping)
        self._names = columns
        self._rules = {i: rules[name] for i, name in enumerate(columns) if name in rules}

    def apply(
        self, cells: list[str], errors: ErrorCells
    ) -> tuple[list[str], list[dict[str, Any]], list[tuple[str, str]]]:
        """The row's cells with the dropped error cells emptied, their warnings, and the
        (column, message) of each error cell that rejects the row."""
        warnings: list[dict[str, Any]] = []
        problems: list[tuple[str, str]] = []
        cells = list(cells)
        for j, (ref, error) in errors.items():
            rule = self._rules.get(j)
            if rule is None:
                continue  # a column the mapping does not read
            name = self._names[j]
            message = f"{name}: cell {ref} holds {error}"
            if rule == "reject":
                problems.append((name, message))
            else:
                cells[j] = ""
                warnings.append(
                    {
                        "code": "dropped_value",
                        "column": name,
                        "message": f"{message}: left out (on_invalid: drop)",
                    }
                )
        return cells, warnings, problems


def rejection(problems: list[tuple[str, str]], other: RowRejected | None) -> RowRejected:
    """One rejection naming every error cell first, then the row's other problems (those of the
    error cells' own columns left out: an emptied cell is not the user's problem)."""
    messages = [message for _, message in problems]
    codes = [EXCEL_ERROR]
    if other is not None:
        columns = {name for name, _ in problems}
        rest = [
            m
            for m in str(other).split(_SEPARATOR)
            if not any(m.startswith(f"{name}: ") for name in columns)
        ]
        messages.extend(m for m in rest if m not in messages)
        if rest:
            codes.extend(c for c in other.codes if c not in codes)
    return RowRejected(
        _SEPARATOR.join(messages), code=EXCEL_ERROR, column=problems[0][0], codes=tuple(codes)
    )
