"""Excel workbooks through python-calamine: every cell back to the text the user typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from importer._exceptions import InputError

#: Integers beyond this are not exactly representable as a float: their digits may be gone.
_EXACT_FLOAT = 2**53


def cell_text(value: Any) -> str:
    """One cell as text: whole floats without ``.0``, dates as ISO dates, booleans as TRUE/FALSE."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT_FLOAT:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _workbook(path: Path) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every malformed file
        raise InputError(f"{path}: cannot be read as an Excel workbook: {exc}") from None


def _sheet_name(path: Path, names: list[str], sheet: str | int | None) -> str:
    if sheet is None or sheet == "":
        if not names:
            raise InputError(f"{path}: the workbook has no sheets")
        return names[0]
    if isinstance(sheet, str) and sheet in names:
        return sheet
    text = str(sheet).strip()
    if text.isdigit() and 1 <= int(text) <= len(names):
        return names[int(text) - 1]  # --sheet 1 is the first sheet, as the user counts
    listed = ", ".join(repr(n) for n in names)
    raise InputError(
        f"{path}: no sheet {sheet!r}; the workbook has {listed} (or give 1-based index)"
    )


def excel_header(path: Path, sheet: str | int | None) -> tuple[str, list[str]]:
    """The chosen sheet's name and its header cells."""
    from importer._read import _split_header

    name = _sheet_name(path, _workbook(path).sheet_names, sheet)
    records = excel_records(path, name)
    _, header = _split_header(records)
    records.close()
    if header is None:
        raise InputError(f"{path}: sheet {name!r} is empty")
    return name, header


def excel_records(path: Path, sheet: str | int | None) -> Iterator[list[str]]:
    """Every row of the sheet as text cells, from row 1 of the sheet (blank rows included)."""
    book = _workbook(path)
    name = _sheet_name(path, book.sheet_names, sheet)
    try:
        data = book.get_sheet_by_name(name)
        start = data.start
        first_row = start[0] if start else 0
        for _ in range(first_row):
            yield []
        for row in data.iter_rows():
            yield [cell_text(v) for v in row]
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path}: sheet {name!r} cannot be read: {exc}") from None
