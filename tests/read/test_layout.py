"""Where a table sits in its file: row numbers as the sheet shows them, title rows above the header,
and which sheet holds the rows. Workbooks are made by openpyxl and by LibreOffice itself; the
oracle of a row's number is the sheet's own: ``=ROW()`` computed by LibreOffice, or the row
openpyxl wrote the cell on."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from importer.read import open_table


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_libreoffice = pytest.mark.skipif(
    not _soffice(),
    reason="no LibreOffice (soffice) on this machine: .ci/run installs Debian's "
    "libreoffice-calc-nogui",
)


def libreoffice_xlsx(source: Path, tmp: Path) -> Path:
    """``source`` (a workbook or CSV) converted to .xlsx by LibreOffice Calc, headless."""
    out = tmp / "libreoffice-out"
    command = [
        _soffice(),
        f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}",  # not the user's profile
        "--headless",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return out / (source.stem + ".xlsx")


def placed_workbook(path: Path, top: int, left: int, *, formula: bool) -> Path:
    """A header on sheet row ``top``, column ``left`` (1-based), with a gap row among the data.

    The ``Row`` column holds ``=ROW()`` (``formula``: only a calculating spreadsheet knows its
    value) or the row openpyxl put the cell on.
    """
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Members"
    for k, name in enumerate(["Customer ID", "Row", "Mobile"]):
        sheet.cell(top, left + k, name)
    for r in (top + 1, top + 2, top + 4):  # top + 3 is left blank
        sheet.cell(r, left, f"C{r:03d}")
        sheet.cell(r, left + 1, "=ROW()" if formula else sheet.cell(r, left + 1).row)
        sheet.cell(r, left + 2, f"91987654{r:04d}")
    book.save(path)
    return path


def _numbers(path: Path, **options: object) -> list[tuple[int, str]]:
    return [(r.row, r.cells["Row"]) for r in open_table(path, **options).rows()]


@pytest.mark.parametrize(("top", "left"), [(1, 1), (4, 3), (9, 1), (2, 7)])
def test_openpyxl_rows_are_numbered_as_the_sheet_shows_them(tmp_path, top, left) -> None:
    path = placed_workbook(tmp_path / "in.xlsx", top, left, formula=False)
    found = _numbers(path)
    assert [n for n, _ in found] == [top + 1, top + 2, top + 4]
    assert all(str(n) == shown for n, shown in found)


@needs_libreoffice
@pytest.mark.parametrize(("top", "left"), [(1, 1), (4, 3), (6, 2)])
def test_libreoffice_rows_are_numbered_as_its_row_formula_says(tmp_path, top, left) -> None:
    made = placed_workbook(tmp_path / "made.xlsx", top, left, formula=True)
    path = libreoffice_xlsx(made, tmp_path)
    found = _numbers(path)
    assert len(found) == 3
    assert all(str(n) == shown for n, shown in found), found  # =ROW(), as LibreOffice computed


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them(tmp_path) -> None:
    # blank lines above the header, a cell with a line break: a spreadsheet counts records
    path = tmp_path / "in.csv"
    path.write_text('\n\nid,Row\nA,4\n"B\nb",5\n\nC,7\n', encoding="utf-8")
    assert _numbers(path) == [(4, "4"), (5, "5"), (7, "7")]
