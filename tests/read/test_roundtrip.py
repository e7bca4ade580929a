"""Any table of strings written by ``csv.writer`` or openpyxl reads back as Excel shows it: quotes,
line breaks, delimiters, leading apostrophes, error texts and any unicode, cell for cell.

The oracle is the README's rule ("Input files"), written here on its own: blank rows are not
rows, and a leading apostrophe is Excel's text marker (removed) when what follows is a number,
phone or date (digits and ``+ - . , / ( )`` and spaces, at least one digit) or a short code of
letters and digits (groups joined by a space or dash, each holding a digit or at most 3
letters, a digit somewhere, at most 12 characters)."""

from __future__ import annotations

import csv
import string
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importer.read._table import open_table

HEADER = ["a", "b", "c"]
_NUMBERISH = set("0123456789+-.,/() ")


def excel_shows(cell: str) -> str:
    """The cell as the reader must give it: the text marker taken off where the rule says."""
    if not cell.startswith("'") or len(cell) == 1:
        return cell
    rest = cell[1:]
    digits = any(ch in string.digits for ch in rest)
    if digits and all(ch in _NUMBERISH for ch in rest):
        return rest
    alnum = string.ascii_letters + string.digits
    groups = rest.replace("-", " ").split(" ")
    code = (
        len(rest) <= 12
        and digits
        and 1 <= len(groups) <= 4
        and all(g and all(ch in alnum for ch in g) for g in groups)
        and all(any(ch in string.digits for ch in g) or len(g) <= 3 for g in groups)
    )
    return rest if code else cell


def expected(rows: list[list[str]]) -> list[list[str]]:
    return [[excel_shows(c) for c in row] for row in rows if "".join(row).strip()]


# cells a user types or an export writes: any unicode (no control characters but line breaks
# and tabs), the characters CSV quoting is about, apostrophes in every place, Excel's errors
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\r\t\"',;|"),
    max_size=12,
)
_marked = st.builds(
    lambda a, b: "'" + a + b,
    st.sampled_from(["", "+", "0", "(", "-", "SW1A ", "O'", "x"]),
    st.text(alphabet="0123456789 -.()+ABCxyz'", max_size=8),
)
_cell = st.one_of(
    _text, _marked, st.sampled_from(["", " ", "#N/A", "#DIV/0!", "'", "O'Brien", "'hello"])
)
_rows = st.lists(st.lists(_cell, min_size=3, max_size=3), min_size=1, max_size=6)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_rows)
def test_csv_reads_back_as_excel_shows_it(tmp_path: Path, rows: list[list[str]]) -> None:
    path = tmp_path / "table.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    table = open_table(path)
    assert [cells for _, values, _ in table.raw_chunks() for cells in values] == expected(rows)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_rows)
def test_xlsx_reads_back_as_excel_shows_it(tmp_path: Path, rows: list[list[str]]) -> None:
    # an .xlsx cannot hold a carriage return as typed (XML reads it as a line feed), so none
    # here; and openpyxl writes a cell of only spaces without xml:space="preserve", which XML
    # readers take as no text: such a cell is empty, as an importer would trim it anyway
    rows = [[c.replace("\r", "") for c in row] for row in rows]
    rows = [[c if c.strip() else "" for c in row] for row in rows]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for r, row in enumerate(rows, start=2):
        for c, text in enumerate(row, start=1):
            if text:
                cell = sheet.cell(r, c, text)
                cell.data_type = "s"  # a string, never a formula: Excel shows "=x" as typed
    path = tmp_path / "table.xlsx"
    book.save(path)
    table = open_table(path)
    got = [
        cells + [""] * (3 - len(cells)) for _, values, _ in table.raw_chunks() for cells in values
    ]
    assert got == expected(rows)
