"""Read a user's table (CSV or Excel) as text rows, streamed, numbered as the user sees them."""

from __future__ import annotations

import codecs
import csv
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
from importer.read._header import split_header
from importer.read._records import Batch, Finding, csv_batches

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
            header_row, _ = split_header(records)
            plain = iter(lambda: list(islice(records, size)), [])
            batches: Iterator[Batch] = ((batch, {}) for batch in plain)
        else:
            batches = csv_batches(self.path, self.encoding or "utf-8", self.delimiter or ",", size)
            batches, header_row = _after_header(batches)
        yield from _chunked(batches, self, size, header_row)


def open_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
) -> Table:
    """Open a CSV or Excel file and read its header; raise InputError when it cannot be a table."""
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

        name, header, data = excel_header(path, sheet)
        table = _table(path, header, sheet=name)
        table._sheet_data = data
        start = getattr(data, "start", None)
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
    _, header = split_header(records)
    records.close()
    if header is None:
        raise InputError(f"{path}: the file has no header row")
    return _table(path, header, encoding=encoding, delimiter=delimiter)


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
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        consistent = sum(len(r) == width for r in rows)
        score = (consistent, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def _csv_records(path: Path, encoding: str, delimiter: str) -> Iterator[list[str]]:
    for batch, _ in csv_batches(path, encoding, delimiter, 1):
        yield from batch


def _after_header(batches: Iterator[Batch]) -> tuple[Iterator[Batch], int]:
    """The batches after the header (and blank lines before it), and the header's row number."""
    number = 0
    for batch, findings in batches:
        for k, record in enumerate(batch):
            number += 1
            if any(c.strip() for c in record):
                rest = batch[k + 1 :]
                return (_prepend((rest, findings), batches) if rest else batches), number
    return iter(()), number


def _prepend(first: Batch, rest: Iterator[Batch]) -> Iterator[Batch]:
    yield first
    yield from rest


def _chunked(batches: Iterator[Batch], table: Table, size: int, header_row: int) -> Iterator[Chunk]:
    header = table.header
    width = len(header)
    keep: list[int] | None = None
    row_at: int | None = None
    if table.is_report:
        keep = [i for i, h in enumerate(header) if not h.startswith("_")]
        row_at = header.index("_row")
    numbers: list[int] = []
    values: list[list[str]] = []
    found: dict[int, Found] = {}  # row number -> finding, for the rows not yet yielded
    line = header_row
    notes = table.notes
    notes.reset()
    try:
        for batch, findings in batches:
            before = len(values)
            first = line + 1
            line += len(batch)
            found.update(findings)
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
                        record = [decode_cell(record[i]) if i < len(record) else "" for i in keep]
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
