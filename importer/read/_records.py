"""CSV records in batches, with the physical lines each spans: where a quote opened matters.

A quoted cell may hold line breaks, so one record can span several lines of the file. When a
quote is opened by mistake it swallows the rows after it until the next quote: the csv module
reads them as one long cell without complaint. Two findings follow from tracking lines:

- a record whose quoted cell spans lines that look like rows of their own (a line break followed
  by at least as many delimiters as the header has, minus one) is a ``suspect_quote``, named by
  the lines it spans and the column where the quote opened;
- a record that cannot be read at all (a quote never closed runs into the field limit) is named
  by the line it began on, after every record before it was handed out.

The common batch (every record on one line) costs one comparison: the reader's line count.
"""

from __future__ import annotations

import csv
import re
from collections import deque
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from importer._exceptions import InputError

#: A field longer than this is almost always an unclosed quote swallowing the file.
FIELD_LIMIT = 1 << 20
csv.field_size_limit(FIELD_LIMIT)

SUSPECT_QUOTE = "suspect_quote"

#: Cells a batch of records may hold: each cell costs ~60 bytes as a Python string in a list, so
#: rows of 300 filled cells are read about 170 at a time, rows of ten cells 5,000 at a time.
BATCH_CELLS = 50_000
#: The first batch is small: how wide the rows are is not known before it.
_FIRST_BATCH = 256

#: (code, message) a row is rejected with.
Finding = tuple[str, str]
#: records as the csv module reads them, and findings by record number (the header's record is 1).
Batch = tuple[list[list[str]], dict[int, Finding]]

#: the line breaks the csv module ends lines on (newline="" keeps them in quoted cells).
_BREAK = re.compile(r"\r\n|\r|\n")


def csv_batches(
    path: Path, encoding: str, delimiter: str, size: int, header_row: int | None = None
) -> Iterator[Batch]:
    """Records in lists of ``size``, read by the csv module in C, with their findings
    (``header_row``: the header's record, else the first non-blank one)."""
    try:
        fh = open(path, encoding=encoding, newline="", errors="strict")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    lines = _Lines(delimiter, header_row)
    with fh:
        reader = csv.reader(fh, delimiter=delimiter, strict=False)
        step = min(size, _FIRST_BATCH)
        try:
            while batch := list(islice(reader, step)):
                yield batch, lines.follow(batch, reader.line_num)
                step = batch_size(batch, size)
        except (csv.Error, UnicodeDecodeError) as exc:
            failure = exc
        else:
            return
    # The batch that broke is lost with the exception: read it again record by record, so the
    # records before the broken one are reported and the error names the line it began on.
    done = lines.records
    salvaged, began = _records_before_error(path, encoding, delimiter, done)
    if salvaged:
        yield salvaged, lines.follow(salvaged, began - 1)
    raise _input_error(path, encoding, failure, began)


def batch_size(batch: list[list[str]], size: int) -> int:
    """How many records to read next after ``batch``: ``size``, fewer when its rows are so wide
    that ``size`` of them would hold more than ``BATCH_CELLS`` cells."""
    cells = sum(map(len, batch))
    if cells * size <= BATCH_CELLS * len(batch):
        return size
    return max(16, len(batch) * BATCH_CELLS // cells)


def _records_before_error(
    path: Path, encoding: str, delimiter: str, skip: int
) -> tuple[list[list[str]], int]:
    """The records after the first ``skip`` up to the unreadable one, and the line it began on."""
    records: list[list[str]] = []
    began = 0
    with open(path, encoding=encoding, newline="", errors="strict") as fh:
        reader = csv.reader(fh, delimiter=delimiter, strict=False)
        try:
            deque(islice(reader, skip), maxlen=0)
            while True:
                began = reader.line_num + 1
                records.append(next(reader))
        except (csv.Error, UnicodeDecodeError, StopIteration):
            pass
    return records, began


def _input_error(path: Path, encoding: str, exc: Exception, began: int) -> InputError:
    if isinstance(exc, UnicodeDecodeError):
        return InputError(
            f"{path}: not valid {encoding} in the record that begins on line {began} "
            f"({exc.reason}); name the encoding with --encoding"
        )
    hint = ""
    if "field limit" in str(exc) or "field larger" in str(exc):
        hint = f" (an unclosed quote? one opens on line {began} and is never closed)"
    return InputError(f"{path}: line {began}: cannot be read as CSV: {exc}{hint}")


class _Lines:
    """Follows records and physical lines across batches; finds suspect quotes."""

    def __init__(self, delimiter: str, header_row: int | None = None) -> None:
        self.delimiter = delimiter
        self.header_row = header_row  # the header's record; None: the first non-blank one
        self.records = 0  # records handed out so far
        self.line = 0  # physical lines they took
        self.header: list[str] | None = None

    def follow(self, batch: list[list[str]], line_after: int) -> dict[int, Finding]:
        """Account for ``batch``, which ends on physical line ``line_after``; its findings."""
        first_record, first_line = self.records + 1, self.line + 1
        if self.header is None:
            at = None if self.header_row is None else self.header_row - first_record
            if at is None:
                self.header = next((r for r in batch if any(c.strip() for c in r)), None)
            elif 0 <= at < len(batch):  # not under a title row: the header itself
                self.header = batch[at]
            while self.header and not self.header[-1].strip():
                self.header = self.header[:-1]
        self.records += len(batch)
        multiline = line_after - self.line != len(batch)
        self.line = line_after
        if not multiline or self.header is None or len(self.header) < 2:
            return {}  # one line a record; or one column, where a row is a line like any other
        return self._suspects(batch, first_record, first_line)

    def _suspects(self, batch: list[list[str]], first_record: int, line: int) -> dict[int, Finding]:
        assert self.header is not None
        need = len(self.header) - 1  # delimiters on a line that looks like a row
        found: dict[int, Finding] = {}
        for k, record in enumerate(batch):
            for col, cell in enumerate(record):
                if "\n" not in cell and "\r" not in cell:
                    continue
                parts = _BREAK.split(cell)
                if any(p.count(self.delimiter) >= need for p in parts[1:]) and (
                    first_record + k not in found
                ):
                    found[first_record + k] = (SUSPECT_QUOTE, self._message(col, line, parts))
                line += len(parts) - 1
            line += 1
        return found

    def _message(self, col: int, opened: int, parts: list[str]) -> str:
        assert self.header is not None
        name = self.header[col].strip() if col < len(self.header) else f"column {col + 1}"
        closed = opened + len(parts) - 1
        return (
            f"{name}: a quote opened on line {opened} runs to line {closed}, and lines "
            f"{opened + 1}-{closed} look like rows of their own: a missing or stray quote? "
            f"(lines {opened}-{closed} were read as this one row; fix the quote and send it again)"
        )
