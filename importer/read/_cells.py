"""Cells as the user sees them: Excel's error values and its "keep as text" apostrophe.

Both quirks are read from a cell's text, so CSV and Excel agree: an Excel workbook's error cell
is given the error's text by ``_xlerrors`` (python-calamine reads it as an empty string), and a
CSV saved by Excel writes that same text.

- **Error cells**: a cell that reads exactly one of Excel's error values (``#N/A``, ``#DIV/0!``,
  ...) is an error cell, whatever the file stores (a formula's cached error, or the text a CSV
  export wrote). It is never read as empty: the reader names it (column index -> ``(cell
  reference, error)``) beside the row, and the mapping decides (reject or drop).
- **The text marker**: a leading apostrophe before a value made only of digits, ``+``, spaces,
  dashes, dots, commas, slashes and brackets (a number, phone number or date), or before a code
  of letters and digits (a postal code: ``'SW1A 1AA``), is removed. An apostrophe before a word
  (``'hello``, ``'2nd floor``) or inside a value (``O'Brien``) stays.

Ordinary cells pay for neither: a batch of rows is joined into one string once and searched in C;
only a batch with a hit is looked at cell by cell.
"""

from __future__ import annotations

import re
from collections import Counter

#: Excel's error values, as Excel shows them (and writes them into a CSV).
EXCEL_ERRORS = frozenset(
    {
        "#N/A",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
    }
)

#: column index -> (cell reference as the sheet shows it, the error's text)
ErrorCells = dict[int, tuple[str, str]]

_CELL = "\x1f"
#: a number, phone number or date: digits and the marks they are written with, at least a digit
_NUMERIC = re.compile(r"[0-9+\-.,/() ]*[0-9][0-9+\-.,/() ]*")
#: a code: groups of letters and digits joined by single spaces or dashes (``SW1A 1AA``,
#: ``1234 AB``, ``K1A-0B1``); each group holds a digit or is at most 3 letters (so ``2nd floor``,
#: a word, is not a code)
_CODE_GROUP = re.compile(r"[A-Za-z0-9]+")
_CODE = re.compile(r"[A-Za-z0-9]+(?:[ \-][A-Za-z0-9]+){0,3}")


def column_letter(index: int) -> str:
    """The sheet's letter for a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def unmarked(cell: str) -> str | None:
    """The cell without Excel's text marker, or None when the apostrophe is part of the value."""
    if len(cell) < 2 or cell[0] != "'":
        return None
    rest = cell[1:]
    if _NUMERIC.fullmatch(rest):
        return rest
    if (
        len(rest) <= 12
        and _CODE.fullmatch(rest)
        and any(c.isdigit() for c in rest)
        and all(
            any(c.isdigit() for c in group) or len(group) <= 3
            for group in _CODE_GROUP.findall(rest)
        )
    ):
        return rest
    return None


class CellNotes:
    """What the reader changed or found in a table's cells, counted per column for the summary."""

    def __init__(self, columns: list[str]) -> None:
        self.columns = columns
        #: the sheet's column of the first cell (0 = A): cell references name the sheet's column
        self.first_column = 0
        self.markers: Counter[str] = Counter()  # column -> apostrophe markers removed
        self.errors: Counter[str] = Counter()  # column -> error cells

    def reset(self) -> None:
        self.markers.clear()
        self.errors.clear()

    def scan(self, numbers: list[int], values: list[list[str]]) -> dict[int, ErrorCells]:
        """Remove the text markers of these rows (in place); their error cells by row number."""
        if not values:
            return {}
        # one join and two substring searches in C: a cell that begins with ' or # is rare
        joined = _CELL + _CELL.join([_CELL.join(cells) for cells in values])
        found: dict[int, ErrorCells] = {}
        if _CELL + "'" in joined:
            self._unmark(values)
        if _CELL + "#" in joined:
            for number, cells in zip(numbers, values, strict=True):
                errors = {
                    j: (f"{column_letter(self.first_column + j)}{number}", cell)
                    for j, cell in enumerate(cells)
                    if cell in EXCEL_ERRORS
                }
                if errors:
                    found[number] = errors
                    for j in errors:
                        self.errors[self._name(j)] += 1
        return found

    def _unmark(self, values: list[list[str]]) -> None:
        for cells in values:
            for j, cell in enumerate(cells):
                if cell[:1] == "'" and (text := unmarked(cell)) is not None:
                    cells[j] = text
                    self.markers[self._name(j)] += 1

    def _name(self, j: int) -> str:
        if j < len(self.columns):
            return self.columns[j]
        return f"column {column_letter(self.first_column + j)}"

    def summary(self) -> dict[str, dict[str, int]]:
        """For ``summary.json``: per kind, cells per column (kinds with none left out)."""
        out: dict[str, dict[str, int]] = {}
        if self.markers:
            out["text_marker"] = dict(self.markers)
        if self.errors:
            out["excel_error"] = dict(self.errors)
        return out
