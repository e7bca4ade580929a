"""A sample of a table's rows, spread evenly through the whole file, as a pandas frame of text.

A small file (or an Excel sheet, which calamine loads whole anyway) is read from start to end,
keeping every k-th row; k doubles whenever twice the wanted rows are kept, so memory stays at
``2 * size`` rows. A large CSV is not read whole: short runs of rows are read at evenly spaced
byte offsets (each run starts after a line break and is dropped if its rows do not have the
header's width, which is how a run that began inside a quoted line break shows), and the rows
are counted from the file's line breaks.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import pandas as pd

from importer.read import Table

#: rows read at each offset of a large CSV
_RUN = 50
#: a CSV whose rows would fill this many runs of the sample is sampled by offsets
_SPREAD = 4
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Sample:
    """The sampled rows (``frame``, one text column per input column) and the file's rows."""

    frame: pd.DataFrame
    #: the file's rows: counted, or estimated from its line breaks when ``exact`` is false
    total: int
    exact: bool = True
    #: the sampled rows' numbers in the file (header = row 1), when known
    numbers: list[int] = field(default_factory=list)

    @property
    def whole(self) -> bool:
        """True when every row of the file is in the sample."""
        return self.exact and len(self.frame) == self.total


def read_sample(table: Table, size: int | None = 20_000) -> Sample:
    """Every row of ``table`` (``size`` None or 0), or about ``size`` rows spread through it."""
    if size and _seekable(table):
        lines = _count_lines(table)
        if lines > _SPREAD * size:
            rows = _runs(table, size)
            # else cells hold line breaks, or too many runs were dropped: read it all
            if rows is not None and len(rows) >= size // 2:
                return Sample(
                    _frame(table, rows), max(lines - table.header_row, len(rows)), exact=False
                )
    return _every_kth(table, size)


def _frame(table: Table, rows: list[list[str]]) -> pd.DataFrame:
    width = len(table.columns)
    cut = [cells[:width] if len(cells) > width else cells for cells in rows]
    return pd.DataFrame(cut, columns=table.columns, dtype=object).fillna("")


def _every_kth(table: Table, size: int | None) -> Sample:
    kept: list[list[str]] = []
    numbers: list[int] = []
    stride, seen = 1, 0
    for chunk_numbers, values, _ in table.raw_chunks(20_000):  # (findings are not needed)
        start = (-seen) % stride
        seen += len(values)
        kept.extend(values[start::stride])
        numbers.extend(chunk_numbers[start::stride])
        while size and len(kept) >= 2 * size:
            # keep the rows at multiples of 2 * stride: still evenly spread
            kept, numbers, stride = kept[::2], numbers[::2], stride * 2
    if size and len(kept) > size:
        picks = [round(i * (len(kept) - 1) / (size - 1)) for i in range(size)] if size > 1 else [0]
        kept = [kept[i] for i in picks]
        numbers = [numbers[i] for i in picks]
    return Sample(_frame(table, kept), seen, numbers=numbers)


def _seekable(table: Table) -> bool:
    encoding = (table.encoding or "").lower().replace("_", "-")
    return (
        table.sheet is None
        and table.delimiter is not None
        and not table.is_report
        and not encoding.startswith("utf-16")
    )


def _count_lines(table: Table) -> int:
    lines = 0
    with open(table.path, "rb") as fh:
        while block := fh.read(_BLOCK):
            lines += block.count(b"\n")
    return lines


def _runs(table: Table, size: int) -> list[list[str]] | None:
    """``size`` rows, read ``_RUN`` at a time at evenly spaced offsets of the file; None when
    cells hold line breaks (then a line break is no sure start of a row)."""
    width = len(table.header)
    encoding = table.encoding or "utf-8"
    with open(table.path, "rb") as fh:
        head = fh.read(1 << 16)
        first = _records(head, encoding, table.delimiter or ",", skip_partial=False)
        if len(head) == 1 << 16:
            first = first[:-1]  # cut by the block's end
        # the header and the title rows above it go
        body = [r for r in first[table.header_row :] if any(c.strip() for c in r)]
        length = fh.seek(0, io.SEEK_END)
        per_row = max(len(head) / max(len(first), 1), 1.0)
        runs = -(-size // _RUN)
        span = int(per_row * (_RUN + 2) * 1.5) + 1024
        if _broken(body):
            return None
        rows: list[list[str]] = body[:_RUN] if all(len(r) == width for r in body[:_RUN]) else []
        for k in range(1, runs):
            # the last run ends where the file does
            fh.seek(max(length - span, 0) * k // (runs - 1))
            records = _records(fh.read(span), encoding, table.delimiter or ",")
            if _broken(records):
                return None
            # the first and the last record may be torn: neither is kept
            records = [r for r in records[1:-1] if any(c.strip() for c in r)][:_RUN]
            if records and all(len(r) == width for r in records):
                rows.extend(records)
    return rows[:size]


def _broken(records: list[list[str]]) -> bool:
    return any("\n" in cell or "\r" in cell for record in records for cell in record)


def _records(block: bytes, encoding: str, delimiter: str, skip_partial: bool = True) -> list:
    """The CSV records in ``block``, from its first line break on (``skip_partial``)."""
    if skip_partial:
        cut = block.find(b"\n")
        block = block[cut + 1 :] if cut >= 0 else b""
    text = block.decode(encoding, errors="replace")
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    except csv.Error:
        return []
