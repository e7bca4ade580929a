"""Excel workbooks through python-calamine: every cell back to the text the user typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from importer._exceptions import InputError
from importer.read._header import split_header
from importer.read._xlerrors import sheet_errors

#: Integers beyond this are not exactly representable as a float: their digits may be gone.
_EXACT_FLOAT = 2**53


def _float_text(value: float) -> str:
    if value.is_integer():
        if -_EXACT_FLOAT < value < _EXACT_FLOAT:
            return str(int(value))  # 919988221100.0 -> 919988221100
        return repr(value)  # 1e+20: its digits may be gone (the mapping's lost_digits rule)
    # as Excel's General format shows it: at most 15 significant digits, the shortest form
    # (68.664999999999992 -> 68.665), which is the number the user typed
    return f"{value:.15g}"


def _duration_text(value: dt.timedelta) -> str:
    """A duration as ``[h]:mm:ss`` shows it: whole hours, never days (255:10:10)."""
    seconds = round(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"


def _datetime_text(value: dt.datetime) -> str:
    if value.hour == value.minute == value.second == value.microsecond == 0:
        return value.date().isoformat()
    return value.isoformat(timespec="seconds")


_BY_TYPE: dict[type, Any] = {
    str: lambda v: v,
    float: _float_text,
    int: str,
    bool: lambda v: "TRUE" if v else "FALSE",
    dt.datetime: _datetime_text,
    dt.date: dt.date.isoformat,
    dt.time: dt.time.isoformat,
    dt.timedelta: _duration_text,
    type(None): lambda v: "",
}


def cell_text(value: Any) -> str:
    """One cell as text: numbers as Excel's General format shows them (whole floats without
    ``.0``), dates as ISO dates, durations as h:mm:ss, booleans as TRUE/FALSE."""
    convert = _BY_TYPE.get(type(value))
    return convert(value) if convert is not None else str(value)


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
        f"{path}: no sheet {sheet!r}; its sheets are {listed} (or 1 to {len(names)} by position)"
    )


def excel_header(path: Path, sheet: str | int | None) -> tuple[str, list[str], Any]:
    """The chosen sheet's name, its header cells and its loaded data (to read the rows from)."""
    book = _workbook(path)
    name = _sheet_name(path, book.sheet_names, sheet)
    data = load_sheet(path, book, name)
    records = excel_records(path, name, data)
    _, header = split_header(records)
    records.close()
    if header is None:
        raise InputError(f"{path}: sheet {name!r} is empty")
    return name, header, data


def load_sheet(path: Path, book: Any, name: str) -> Any:
    """The sheet's cells, loaded once (calamine parses the whole sheet in Rust)."""
    try:
        return book.get_sheet_by_name(name)
    except Exception as exc:
        raise InputError(f"{path}: sheet {name!r} cannot be read: {exc}") from None


def excel_records(path: Path, sheet: str | int | None, data: Any = None) -> Iterator[list[str]]:
    """Every row of the sheet as text cells, from row 1 of the sheet (blank rows included)."""
    if data is None:
        book = _workbook(path)
        sheet = _sheet_name(path, book.sheet_names, sheet)
        data = load_sheet(path, book, sheet)
    # python-calamine reads an error cell as "": the sheet's XML names them (nothing when none)
    errors = sheet_errors(path, data.name if hasattr(data, "name") else sheet)
    try:
        start = data.start
        first_row = start[0] if start else 0
        first_col = start[1] if start else 0
        for _ in range(first_row):
            yield []
        if not errors:
            for row in data.iter_rows():
                yield [v if type(v) is str else cell_text(v) for v in row]
            return
        for r, row in enumerate(data.iter_rows(), first_row):
            cells = [v if type(v) is str else cell_text(v) for v in row]
            for c, text in errors.get(r, {}).items():
                if 0 <= c - first_col < len(cells):
                    cells[c - first_col] = text
            yield cells
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path}: sheet {sheet!r} cannot be read: {exc}") from None
