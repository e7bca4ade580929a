"""``errors.xlsx``: the rejected and failed rows as a workbook to fix in Excel and feed back in.

The same rows and columns as ``errors.csv`` (original columns first, the ``_`` columns at the
right), every cell stored as text so that identifiers keep their digits and leading zeros and a
cell typed over stays text. The cells that caused a row's problem are highlighted, with the
reason as a comment; the header row is frozen and has filters. Read back by ``importer run
errors.xlsx`` or ``importer rerun RUN_DIR``, like ``errors.csv``.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path

from importer._exceptions import StorageError
from importer._layout import ERRORS_XLSX, REPORT_FILES, decode_cell
from importer._models import Outcome
from importer._owner_only import private_open

SHEET = "errors"
#: a workbook is for fixing rows by hand; past this many the file would take minutes and hundreds
#: of megabytes to write (openpyxl keeps every string until it saves), and errors.csv has them all
XLSX_MAX_ROWS = 10_000
_ERRORS = REPORT_FILES[Outcome.REJECTED]
_FILL = "FFC7CE"  # Excel's own "bad" red
_HEADER_FILL = "E4E7EC"
#: where a message names its columns: "mobile: ... | dob: ..." (a row's every problem),
#: "...; email: ...", "... column mobile ..."
_PARTS = re.compile(r"\s+\|\s+|\s*;\s*|\n")
_WORDS = re.compile(r"[^\s\"',;:()]+")
_NOT_DIGIT = re.compile(r"\D")


def problem_cells(message: str, cells: dict[str, str]) -> dict[str, str]:
    """The columns a row's message is about, each with the part of the message that says why.

    A column is at fault when the message names it (``column: ...``, ``column <name>``) or
    quotes its value (``"12"``, a word of four characters or more, or the digits of a number the
    API normalised).
    """
    found: dict[str, str] = {}
    if not message:
        return found
    parts = [p for p in _PARTS.split(message) if p] or [message]
    # the words of each part, as the API quotes a value: "External ID X12 does not match"
    words = [{w.rstrip(".") for w in _WORDS.findall(part)} for part in parts]
    for column, value in cells.items():
        if column.startswith("_"):
            continue
        text = value.strip()
        digits = _NOT_DIGIT.sub("", text).lstrip("0")
        for part, said in zip(parts, words, strict=True):
            named = part.startswith(f"{column}:") or f"column {column}" in part
            quoted = len(text) >= 2 and f'"{text}"' in part
            quoted = quoted or (len(text) >= 4 and text in said)
            normalised = len(digits) >= 7 and digits in part
            if named or quoted or normalised:
                found[column] = f"{found[column]}\n{part}" if column in found else part
    return found


def _exact(value: str) -> str:
    """The value as the cell holds it: itself (a text cell never runs as a formula), escaped only
    where the reader, which undoes the CSV escape on every report file, would change it."""
    return value if decode_cell(value) == value else "'" + value


def _rows(path: Path) -> Iterator[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for record in csv.reader(fh):
            yield [decode_cell(v) for v in record]


def write_errors_xlsx(run_dir: Path, rows: int) -> Path | None:
    """Write ``errors.xlsx`` from the run's ``errors.csv`` (which holds ``rows`` rows); None when
    there is no row to fix, or more than ``XLSX_MAX_ROWS`` (the one cap, dry run or not).

    Its modification time is set to the CSV's, so that a later one marks the file a user edited.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    source = Path(run_dir) / _ERRORS
    target = Path(run_dir) / ERRORS_XLSX
    if not 0 < rows <= XLSX_MAX_ROWS:
        target.unlink(missing_ok=True)
        return None
    records = _rows(source)
    header = next(records, None)
    first = next(records, None)
    if header is None or first is None:
        return None
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.freeze_panes = "A2"
    original = [i for i, name in enumerate(header) if not name.startswith("_")]
    message_at = header.index("_message")
    for i, name in enumerate(header, 1):
        width = 12 if name.startswith("_") else max(10, min(40, len(name) + 4))
        sheet.column_dimensions[get_column_letter(i)].width = 60 if name == "_message" else width
    bold, grey = Font(bold=True), PatternFill("solid", fgColor=_HEADER_FILL)
    bad = PatternFill("solid", fgColor=_FILL)

    def cell(value: str) -> WriteOnlyCell:
        item = WriteOnlyCell(sheet, value=_exact(value))
        item.data_type = "s"  # text, even "=..." or "0099...": never a formula or a number
        item.number_format = "@"  # and what a user types over it stays text too
        return item

    def ours(value: str) -> WriteOnlyCell | str | None:
        # the "_" columns are not typed over: plain text is enough (and cheaper by far)
        return (cell(value) if value.startswith("=") else value) if value else None

    heading = []
    for name in header:
        item = cell(name)
        item.font, item.fill = bold, grey
        heading.append(item)
    sheet.append(heading)
    count = 0
    for record in _chain(first, records):
        record = record + [""] * (len(header) - len(record))
        cells = {header[i]: record[i] for i in original}
        faults = problem_cells(record[message_at], cells)
        out: list[WriteOnlyCell | str | None] = []
        for i, value in enumerate(record[: len(header)]):
            if header[i].startswith("_"):
                out.append(ours(value))
                continue
            item = cell(value)
            why = faults.get(header[i])
            if why:
                item.fill = bad
                item.comment = Comment(why, "importer", width=300, height=90)
            out.append(item)
        sheet.append(out)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    try:
        with private_open(target, "wb") as fh:  # owner-only, like every report
            book.save(fh)
    except OSError as exc:
        raise StorageError.of(target, exc) from None
    stat = source.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return target


def _chain(first: list[str], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield first
    yield from rest
