"""Excel workbooks through python-calamine: every cell back to the text the user typed."""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

from importer._exceptions import InputError
from importer.read._header import Header, find_header
from importer.read._xlerrors import sheet_errors

#: the cells that mark a report of an earlier run (errors.xlsx)
_REPORT = {"_row", "_outcome"}

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


@dataclass(frozen=True)
class Found:
    """The sheet read: its name, its header, its loaded cells, and why that sheet (if not the
    one asked for)."""

    name: str
    header: Header
    data: Any
    note: str = ""


def excel_header(
    path: Path,
    sheet: str | int | None,
    origin: str = "--sheet",
    any_sheet: bool = False,
    header_row: int | None = None,
    header_origin: str = "--header-row",
) -> Found:
    """The chosen sheet, its header and its loaded data (to read the rows from).

    ``origin`` says who named ``sheet`` (``--sheet`` or ``settings.sheet``). A sheet without
    rows is refused naming the sheets that have rows, unless ``any_sheet`` (and no sheet named):
    then the first sheet with rows is read.
    """
    book = _workbook(path)
    names = book.sheet_names
    if origin == "settings.sheet" and not _has_sheet(names, sheet):
        # the mapping names the original file's sheet; a report of an earlier run
        # (errors.xlsx) has just its own, with the report's columns
        report = _read(path, book, names[0], None, header_origin) if names else None
        if report is not None and {c.strip() for c in report.header.cells} >= _REPORT:
            return report
        listed = ", ".join(repr(n) for n in names)
        raise InputError(
            f"{path}: no sheet {sheet!r} (settings.sheet in the mapping); its sheets are "
            f"{listed}: change settings.sheet, or pass --sheet"
        )
    name = _sheet_name(path, names, sheet)
    found = _read(path, book, name, header_row, header_origin)
    if found is not None:
        return found
    others = [(n, rows) for n in names if n != name and (rows := _filled_rows(path, book, n))]
    if any_sheet and sheet is None and others:
        other = others[0][0]
        found = _read(path, book, other, header_row, header_origin)
        if found is not None:
            note = f"sheet {name!r} has no rows: read {other!r}, the first sheet that has"
            return Found(found.name, found.header, found.data, note)
    if not others:
        raise InputError(f"{path}: sheet {name!r} has no rows, and no other sheet has any")
    listed = ", ".join(
        f"{n!r} ({rows:,} filled row{'' if rows == 1 else 's'})" for n, rows in others
    )
    named = " (settings.sheet)" if origin == "settings.sheet" else ""
    raise InputError(
        f"{path}: sheet {name!r}{named} has no rows; the sheets with rows: {listed}: pass "
        f"--sheet {shlex.quote(others[0][0])} (or name it in the mapping's settings.sheet)"
    )


def _has_sheet(names: list[str], sheet: str | int | None) -> bool:
    text = str(sheet).strip()
    return sheet in names or (text.isdigit() and 1 <= int(text) <= len(names))


def _read(path: Path, book: Any, name: str, header_row: int | None, origin: str) -> Found | None:
    """The sheet's header and data; None when the sheet has no rows."""
    data = load_sheet(path, book, name)
    records = excel_records(path, name, data)
    try:
        header = find_header(records, path, header_row, origin)
    except InputError:
        if not _filled_rows(path, book, name, data):
            return None  # no rows at all: the sheet is what is wrong, not the header's row
        raise
    finally:
        records.close()
    return None if header is None else Found(name, header, data)


def _filled_rows(path: Path, book: Any, name: str, data: Any = None) -> int:
    """How many rows of the sheet hold a value (its header included)."""
    data = load_sheet(path, book, name) if data is None else data
    return sum(1 for r in excel_records(path, name, data) if any(c.strip() for c in r))


def load_sheet(path: Path, book: Any, name: str) -> Any:
    """The sheet's cells, loaded once (calamine parses the whole sheet in Rust)."""
    try:
        return book.get_sheet_by_name(name)
    except Exception as exc:
        raise InputError(f"{path}: sheet {name!r} cannot be read: {exc}") from None


def excel_records(path: Path, sheet: str | int | None, data: Any = None) -> Iterator[list[str]]:
    """Every row of the sheet as text cells, from row 1 of the sheet (blank rows included): the
    k-th record is the sheet's row k, whatever its first used row."""
    if data is None:
        book = _workbook(path)
        sheet = _sheet_name(path, book.sheet_names, sheet)
        data = load_sheet(path, book, sheet)
    # python-calamine reads an error cell as "": the sheet's XML names them (nothing when none)
    errors = sheet_errors(path, data.name if hasattr(data, "name") else sheet)
    try:
        rows = iter(data.iter_rows())
        first = next(rows, None)
        if first is None:
            return
        start = data.start
        offset = 0  # the sheet row (0-based) of the first row calamine yields
        if start and start[0] and any(v != "" for v in first):
            # a calamine that starts at the sheet's first used row: the rows above it are blank
            # (python-calamine 0.9 yields them itself; adding them again shifted every number)
            offset = start[0]
            for _ in range(offset):
                yield []
        if not errors:
            yield [v if type(v) is str else cell_text(v) for v in first]
            for row in rows:
                yield [v if type(v) is str else cell_text(v) for v in row]
            return
        first_col = start[1] if start else 0
        for r, row in enumerate(chain([first], rows), offset):
            cells = [v if type(v) is str else cell_text(v) for v in row]
            for c, text in errors.get(r, {}).items():
                if 0 <= c - first_col < len(cells):
                    cells[c - first_col] = text
            yield cells
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path}: sheet {sheet!r} cannot be read: {exc}") from None
