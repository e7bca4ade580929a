"""A sample of a table's rows, spread evenly through the whole file, as a pandas frame of text.

The file is read once from start to end (every row is counted), keeping every k-th row; k doubles
whenever twice the wanted rows are kept, so memory stays at ``2 * size`` rows whatever the file.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from importer.read._table import Table


@dataclass(frozen=True)
class Sample:
    """The sampled rows (``frame``, one text column per input column) and the file's row count."""

    frame: pd.DataFrame
    total: int
    #: the sampled rows' numbers in the file (header = row 1), in file order.
    numbers: list[int]

    @property
    def whole(self) -> bool:
        """True when every row of the file is in the sample."""
        return len(self.frame) == self.total


def read_sample(table: Table, size: int | None = 20_000) -> Sample:
    """Every row of ``table`` (``size`` None or 0), or about ``size`` rows spread through it."""
    width = len(table.columns)
    kept: list[list[str]] = []
    numbers: list[int] = []
    stride, seen = 1, 0
    for chunk_numbers, values in table.raw_chunks(20_000):
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
    rows = [cells[:width] if len(cells) > width else cells for cells in kept]
    frame = pd.DataFrame(rows, columns=table.columns, dtype=object).fillna("")
    return Sample(frame, seen, numbers)
