"""Where a table's header is, CSV and Excel alike: the row the user names (``--header-row``,
``settings.header_row``), else the first row below any title block.

A title block is what exports put above the header: blank rows, ``#`` comment lines, and title
rows such as "Member list exported on 2026-12-01", a row with far fewer filled cells than the rows
below it (one cell where they have two or more, or fewer than half of theirs). The header found
is said, with why, whenever it is not the first row; a wrong guess cannot go unseen, because the
mapping's columns are then missing from the header (exit 2, naming ``--header-row``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from importer._exceptions import InputError

#: non-blank rows read to find a header below a title block
_LOOK = 30
#: rows below a candidate that say how wide the table's rows are
_BELOW = 10
#: a comment line: "# Exported by ...", "#Fields: ..." (a header cell "#" alone is a column name)
_COMMENT = re.compile(r"#.")
#: a cell that is a value, not a column name: an e-mail, a number, a phone number, a date
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NUMBER = re.compile(r"[+(]?\d[\d\s().,:/\-]*")
#: the cells that mark a report of an earlier run: its header is its first row, always
_REPORT = {"_row", "_outcome"}


@dataclass(frozen=True)
class Header:
    """The header's row (1-based, as the sheet shows it), its cells, and why that row."""

    row: int
    cells: list[str]
    #: why this row, when it is not simply the first ("" otherwise)
    note: str = ""


def _filled(record: list[str]) -> int:
    return sum(1 for c in record if c.strip())


def find_header(
    records: Iterator[list[str]],
    path: Path,
    header_row: int | None = None,
    origin: str = "--header-row",
) -> Header | None:
    """The header among the first records (None when every record is blank).

    ``header_row`` names it (``origin`` says who did, for messages); a report of an earlier run
    always has its header first, whatever the mapping says about the original file.
    """
    rows: list[tuple[int, list[str]]] = []  # the non-blank records read, with their numbers
    number = 0
    for record in _until_broken(records, rows):
        number += 1
        if not _filled(record):
            if header_row is not None and number == header_row:
                raise InputError(
                    f"{path}: {origin} {header_row}: row {header_row} is blank; name the row "
                    "that holds the column names"
                )
            continue
        if not rows and {c.strip() for c in record} >= _REPORT:
            return Header(number, record)  # a report: its own header, on its first row
        rows.append((number, record))
        if header_row is not None and number == header_row:
            return Header(number, record, f"row {number} ({origin} {header_row})")
        if header_row is None and len(rows) >= _LOOK:
            break
    if header_row is not None:
        raise InputError(
            f"{path}: {origin} {header_row}: the file has {number} rows; name the row that "
            "holds the column names"
        )
    if not rows:
        return None
    return _below_titles(rows)


def _until_broken(
    records: Iterator[list[str]], rows: list[tuple[int, list[str]]]
) -> Iterator[list[str]]:
    """The records, ending early where the file breaks once a row was read: the header is found
    among the rows before the break, which is reported when the rows are read (after them)."""
    try:
        yield from records
    except InputError:
        if not rows:
            raise


def _below_titles(rows: list[tuple[int, list[str]]]) -> Header:
    """The first row that is neither a comment nor a title, and what the rows above it are."""
    above: list[tuple[int, str]] = []
    for k, (number, record) in enumerate(rows):
        below = [_filled(r) for _, r in rows[k + 1 : k + 1 + _BELOW]]
        typical = median(below) if below else 0
        filled = _filled(record)
        first = next(c.strip() for c in record if c.strip())
        if _COMMENT.match(first) and record[0].strip() == first:
            above.append((number, "a # comment"))
        elif typical >= 2 and (filled == 1 or filled * 2 < typical):
            cells = "1 filled cell" if filled == 1 else f"{filled} filled cells"
            above.append((number, f"a title ({cells}, the rows below have {typical:g})"))
        elif above and _values(record):
            break  # the row below the "titles" holds values, not names: no title block after all
        else:
            return Header(number, record, _note(number, above))
    number, record = rows[0]  # nothing but titles, or values below them: the first row
    return Header(number, record, _note(number, []))


def _values(record: list[str]) -> bool:
    """Whether a row holds values a header never does: an e-mail, or a number or date of three
    digits or more (a header whose few names sit over wider rows is not taken for a title)."""
    for cell in record:
        text = cell.strip()
        if _EMAIL.fullmatch(text) or (_NUMBER.fullmatch(text) and sum(map(str.isdigit, text)) >= 3):
            return True
    return False


def _note(header: int, above: list[tuple[int, str]]) -> str:
    """``row 3: row 1 is a title (...), row 2 is blank``; empty for a header on row 1."""
    if header == 1:
        return ""
    said = dict(above)
    parts: list[tuple[int, int, str]] = []  # first row, last row, what
    for number in range(1, header):
        what = said.get(number, "blank")
        if parts and parts[-1][2] == what and parts[-1][1] == number - 1:
            parts[-1] = (parts[-1][0], number, what)
        else:
            parts.append((number, number, what))
    told = [
        f"row {a} is {what}" if a == b else f"rows {a}-{b} are {_plural(what)}"
        for a, b, what in parts
    ]
    return f"row {header}: {', '.join(told)}"


def _plural(what: str) -> str:
    if what == "blank":
        return "blank"
    if what.startswith("a title"):
        return "titles" + what[len("a title") :]
    return "# comments"
