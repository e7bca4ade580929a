"""Read a user's table (CSV or Excel) as text rows, streamed, numbered as the user sees them."""

from __future__ import annotations

import codecs
import csv
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from importer._exceptions import InputError
from importer._layout import decode_cell
from importer._models import SourceRow
from importer.read._cells import CellNotes, ErrorCells
from importer.read._encoding import detect_encoding
from importer.read._header import find_header
from importer.read._records import BATCH_CELLS, Batch, Finding, batch_size, csv_batches

#: Delimiters the sniffer chooses among, in order of preference on a tie.
DELIMITERS = (",", ";", "\t", "|")

#: The reserved cell that carries the cells past the header's width (a malformed row).
EXTRA = "_extra"

_SAMPLE = 64 * 1024
_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


#: what the reader found in a row: a finding that rejects it, or its Excel error cells.
Found = Finding | ErrorCells
#: one chunk of rows: their numbers, their cells, and what was found by index in the chunk.
Chunk = tuple[list[int], list[list[str]], dict[int, Found]]


@dataclass
class Table:
    """A readable table: its original columns and its rows as text, read lazily in chunks."""

    path: Path
    columns: list[str]
    is_report: bool = False
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    #: every header cell, in file order (report columns included), as read.
    header: list[str] = field(default_factory=list)
    #: the header's row, 1-based as the sheet shows it: the data starts below it
    header_row: int = 1
    #: why the header is on that row, when it is not simply the first ("" otherwise)
    header_note: str = ""
    #: why this sheet, when it is not the one asked for (init on a first sheet without rows)
    sheet_note: str = ""
    #: an Excel sheet's loaded cells, read once for the header and again for the rows.
    _sheet_data: Any = field(default=None, repr=False, compare=False)
    #: markers removed and error cells met, per column, by the last reading of the rows.
    notes: CellNotes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.notes = CellNotes(self.columns)

    def rows(self) -> Iterator[SourceRow]:
        """Every non-blank row, in file order."""
        for chunk in self.chunks():
            yield from chunk

    def chunks(self, size: int = 10_000) -> Iterator[list[SourceRow]]:
        """Non-blank rows in lists of at most ``size`` (a short row's missing cells are absent)."""
        columns = self.columns
        for numbers, values, _ in self.raw_chunks(size):
            out = []
            for number, cells in zip(numbers, values, strict=True):
                mapped = dict(zip(columns, cells, strict=False))
                if len(cells) > len(columns):
                    mapped[EXTRA] = "\t".join(cells[len(columns) :])
                out.append(SourceRow(number, mapped))
            yield out

    def raw_chunks(self, size: int = 10_000) -> Iterator[Chunk]:
        """Row numbers, cell lists and findings, chunk by chunk.

        A row's cells are the record as read: shorter than ``columns`` when the record is (never
        padded, so a wide header costs nothing per row), longer when it overflows. ``findings``
        maps an index of the chunk to the ``(code, message)`` the row is rejected with
        (``suspect_quote``), or to the row's Excel error cells (a dict: column index ->
        ``(cell, error)``). Excel's text markers are already removed (``_cells``). An
        unreadable record mid-file raises InputError only after every row before it was yielded.
        """
        if self.sheet is not None or _is_excel(self.path):
            from importer.read._excel import excel_records

            records = excel_records(self.path, self.sheet, self._sheet_data)
            deque(islice(records, self.header_row), maxlen=0)  # the title block and the header
            batches: Iterator[Batch] = _excel_batches(records, size)
        else:
            batches = csv_batches(
                self.path,
                self.encoding or "utf-8",
                self.delimiter or ",",
                size,
                header_row=self.header_row,
            )
            batches = _after_header(batches, self.header_row)
        yield from _chunked(batches, self, size, self.header_row)


def open_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
    header_origin: str = "--header-row",
    sheet_setting: str | int | None = None,
    any_sheet: bool = False,
) -> Table:
    """Open a CSV or Excel file and read its header; raise InputError when it cannot be a table.

    ``header_row`` (1-based, as the sheet shows it; ``header_origin`` names who said so) is where
    the header is; without it the header is found below any title block. ``sheet_setting`` is
    the mapping's ``settings.sheet``: a workbook's sheet when ``sheet`` is not given (a text file
    has none to choose). ``any_sheet``: when the first sheet has no rows and none was named,
    read the first sheet that has (``init``), else say which sheets have rows.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SAMPLE)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not head:
        raise InputError(f"{path}: the file is empty")
    if _is_excel(path) or head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        from importer.read._excel import excel_header

        origin = "--sheet"
        if sheet is None and sheet_setting is not None:
            sheet, origin = sheet_setting, "settings.sheet"
        found = excel_header(path, sheet, origin, any_sheet, header_row, header_origin)
        table = _table(path, found.header.cells, sheet=found.name)
        table._sheet_data = found.data
        table.header_row, table.header_note = found.header.row, found.header.note
        table.sheet_note = found.note
        start = getattr(found.data, "start", None)
        table.notes.first_column = start[1] if start else 0  # a sheet may begin at column C
        return table
    if sheet is not None:
        raise InputError(f"{path}: --sheet applies to Excel files only, this is a text file")
    if encoding is None:
        encoding = detect_encoding(path)
    else:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"{path}: unknown encoding {encoding!r}") from None
    if delimiter is not None:
        delimiter = {"tab": "\t", "\\t": "\t"}.get(delimiter.lower(), delimiter)
        if len(delimiter) != 1:
            raise InputError(f"{path}: the delimiter must be one character, not {delimiter!r}")
    else:
        delimiter = sniff_delimiter(_decode_sample(path, head, encoding))
    records = _csv_records(path, encoding, delimiter)
    try:
        found = find_header(records, path, header_row, header_origin)
    finally:
        records.close()
    if found is None:
        raise InputError(f"{path}: the file has no header row")
    table = _table(path, found.cells, encoding=encoding, delimiter=delimiter)
    table.header_row, table.header_note = found.row, found.note
    return table


def _is_excel(path: Path) -> bool:
    return path.suffix.lower() in _EXCEL_SUFFIXES


def _table(path: Path, raw: list[str], **options: str | None) -> Table:
    header = [h.strip().lstrip("\ufeff").strip() for h in raw]
    while header and not header[-1]:
        header.pop()  # trailing empty header cells, as spreadsheet exports often leave
    if not header:
        raise InputError(f"{path}: the header row is empty")
    header = [h or f"column_{i}" for i, h in enumerate(header, 1)]
    seen: dict[str, int] = {}
    for i, name in enumerate(header, 1):
        if name in seen:
            raise InputError(
                f"{path}: the header names column {name!r} twice (columns {seen[name]} and {i})"
            )
        seen[name] = i
    is_report = "_row" in header
    columns = [h for h in header if not (is_report and h.startswith("_"))]
    return Table(path, columns, is_report=is_report, header=header, **options)


# -- CSV -------------------------------------------------------------------------------------------


def _decode_sample(path: Path, head: bytes, encoding: str) -> str:
    try:
        return codecs.getincrementaldecoder(encoding)(errors="strict").decode(head)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: cannot be read as {encoding} (byte {exc.start}); name the encoding "
            "with --encoding"
        ) from None


def sniff_delimiter(sample: str) -> str:
    """The candidate that splits the first lines into the most, and equally many, fields."""
    lines = sample.splitlines()[:50]
    if len(lines) > 1 and len(sample) >= _SAMPLE - 4:
        lines = lines[:-1]  # the sample may cut the last line
    best, best_score = ",", (0, 0)
    for delim in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delim))
        except csv.Error:
            continue
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows:
            continue
        # the most common width, not the first line's: a title line may sit above the header
        widths = Counter(len(r) for r in rows)
        width, consistent = max(widths.items(), key=lambda wc: (wc[1], wc[0]))
        if width < 2:
            continue
        score = (consistent, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def _csv_records(path: Path, encoding: str, delimiter: str) -> Iterator[list[str]]:
    for batch, _ in csv_batches(path, encoding, delimiter, 1):
        yield from batch


def _excel_batches(records: Iterator[list[str]], size: int) -> Iterator[Batch]:
    """A sheet's rows in batches of at most ``size``, fewer when the rows are wide."""
    step = min(size, 256)
    while batch := list(islice(records, step)):
        yield batch, {}
        step = batch_size(batch, size)


def _after_header(batches: Iterator[Batch], header_row: int) -> Iterator[Batch]:
    """The batches after the header (and the title block above it)."""
    number = 0
    for batch, findings in batches:
        if number + len(batch) > header_row:
            rest = batch[header_row - number :]
            return _prepend((rest, findings), batches)
        number += len(batch)
    return iter(())


def _prepend(first: Batch, rest: Iterator[Batch]) -> Iterator[Batch]:
    yield first
    del first  # not held while the rest of the file is read
    yield from rest


def _chunked(batches: Iterator[Batch], table: Table, size: int, header_row: int) -> Iterator[Chunk]:
    header = table.header
    width = len(header)
    keep: list[int] | None = None
    row_at: int | None = None
    span: tuple[int, int] | None = None  # where the original columns are, when side by side
    if table.is_report:
        keep = [i for i, h in enumerate(header) if not h.startswith("_")]
        row_at = header.index("_row")
        if keep and keep == list(range(keep[0], keep[-1] + 1)):
            span = (keep[0], keep[-1] + 1)
    numbers: list[int] = []
    values: list[list[str]] = []
    found: dict[int, Found] = {}  # row number -> finding, for the rows not yet yielded
    line = header_row
    cells = 0  # the cells of the rows not yet yielded (about: blank rows count too)
    notes = table.notes
    notes.reset()
    try:
        for batch, findings in batches:
            before = len(values)
            first = line + 1
            line += len(batch)
            found.update(findings)
            cells += sum(map(len, batch))
            if keep is None and all(len(r) == width for r in batch):
                # the common case: keep the non-blank records as they are, in C-speed comprehensions
                kept = [
                    (first + k, r)
                    for k, r in enumerate(batch)
                    if r[0].strip() or "".join(r).strip()
                ]
                numbers.extend([n for n, _ in kept])
                values.extend([r for _, r in kept])
            else:
                for k, record in enumerate(batch):
                    number = first + k
                    if not "".join(record).strip():
                        continue
                    if keep is not None:
                        number = _report_row(table.path, record, row_at, first + k)
                        if first + k in found:  # findings are keyed by the record's position
                            found[number] = found.pop(first + k)
                        extra = record[width:]
                        if span is not None:
                            # a slice: a wide report's short row stays short (never padded)
                            record = [decode_cell(c) for c in record[span[0] : span[1]]]
                        else:
                            record = [
                                decode_cell(record[i]) if i < len(record) else "" for i in keep
                            ]
                        record.extend(extra)
                    elif len(record) > width and not any(c.strip() for c in record[width:]):
                        del record[width:]
                    numbers.append(number)
                    values.append(record)
            for number, errors in notes.scan(numbers[before:], values[before:]).items():
                found.setdefault(number, errors)  # a suspect quote rejects the row anyway
            while len(numbers) >= size:
                yield _chunk(numbers[:size], values[:size], found)
                numbers, values = numbers[size:], values[size:]
                cells = sum(map(len, values))
            if cells >= BATCH_CELLS and numbers:  # wide rows: fewer of them make a chunk
                yield _chunk(numbers, values, found)
                numbers, values, cells = [], [], 0
    except InputError:
        if numbers:
            yield _chunk(numbers, values, found)  # every row read before the error is reported
        raise
    if numbers:
        yield _chunk(numbers, values, found)


def _chunk(numbers: list[int], values: list[list[str]], found: dict[int, Found]) -> Chunk:
    if not found:
        return numbers, values, {}
    mine = {i: found.pop(n) for i, n in enumerate(numbers) if n in found}
    return numbers, values, mine


def _report_row(path: Path, record: list[str], at: int | None, fallback: int) -> int:
    text = record[at].strip() if at is not None and at < len(record) else ""
    if text.isdigit():
        return int(text)
    if not text:
        return fallback
    raise InputError(f"{path}: row {fallback}: _row is {text!r}, not a row number")
