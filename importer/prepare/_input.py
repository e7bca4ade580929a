"""The input opened as the command line and the mapping's settings say: the flag wins, else the
mapping's ``settings.header_row`` / ``settings.sheet`` (so a nightly job needs no flag)."""

from __future__ import annotations

from pathlib import Path

from importer.mapping import Mapping
from importer.read import Table, open_table


def open_input(
    input: str | Path,
    mapping: Mapping,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
) -> Table:
    """``open_table`` with the mapping's reading settings under the flags."""
    settings = mapping.settings
    origin = "--header-row"
    if header_row is None and settings.header_row is not None:
        header_row, origin = settings.header_row, "settings.header_row"
    return open_table(
        input,
        encoding=encoding,
        delimiter=delimiter,
        sheet=sheet,
        header_row=header_row,
        header_origin=origin,
        sheet_setting=settings.sheet,
    )
