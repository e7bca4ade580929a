"""Where a table's data starts: blank lines before the header are skipped, CSV and Excel alike."""

from __future__ import annotations

from collections.abc import Iterator


def split_header(records: Iterator[list[str]]) -> tuple[int, list[str] | None]:
    """Consume blank lines and the header; return the header's row number and cells."""
    number = 0
    for record in records:
        number += 1
        if any(c.strip() for c in record):
            return number, record
    return number, None
