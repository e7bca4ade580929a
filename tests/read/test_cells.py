"""Cells as the user sees them: Excel's text marker, error cells, numbers and durations.

Every expected text below is written by hand, as Excel shows the cell; LibreOffice makes the
workbooks whose structure only a spreadsheet program writes (error cells with their cached
values, float noise), and those tests skip with a reason where it is not installed.
"""

# ruff: noqa: E501 - tables of cases read best one case per line

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from importer.read._cells import column_letter, unmarked
from importer.read._table import open_table


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_soffice = pytest.mark.skipif(
    not _soffice(),
    reason="no LibreOffice (soffice) on this machine: .ci/run installs Debian's libreoffice-calc",
)


def read(path: Path, **options: object) -> tuple[list[tuple[int, list[str], object]], dict]:
    table = open_table(path, **options)
    out = []
    for numbers, values, found in table.raw_chunks():
        for i, (n, cells) in enumerate(zip(numbers, values, strict=True)):
            out.append((n, cells, found.get(i)))
    return out, table.notes.summary()


def libreoffice_xlsx(tmp_path: Path, source: Path) -> Path:
    """``source`` opened, recalculated and saved as .xlsx by LibreOffice (as Excel would)."""
    out = tmp_path / "lo"
    subprocess.run(
        [str(_soffice()), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return out / (source.stem + ".xlsx")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("'+14155550123", "+14155550123"),
        ("'6885710452010", "6885710452010"),
        ("'02139", "02139"),
        ("'+1 (415) 555-0123", "+1 (415) 555-0123"),
        ("'2024-05-01", "2024-05-01"),
        ("'01/05/2024", "01/05/2024"),
        ("'12.50", "12.50"),
        ("'-5", "-5"),
        ("'SW1A 1AA", "SW1A 1AA"),
        ("'1234 AB", "1234 AB"),
        ("'K1A-0B1", "K1A-0B1"),
        ("'A1", "A1"),
        # an apostrophe before a word, inside a value, alone, or before a formula stays
        ("'hello", None),
        ("'2nd floor", None),
        ("O'Brien", None),
        ("'", None),
        ("''", None),
        ("'=SUM(A1)", None),
        ("'O'Brien", None),
        ("'Main Street 5", None),
        ("'+", None),
        (" '123", None),
    ],
)
def test_the_text_marker_rule(cell: str, expected: str | None) -> None:
    assert unmarked(cell) == expected


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


CSV_QUIRKS = (
    "Customer ID,Name,Phone,Zip,Email,Note\n"
    "'6885710452010,O'Brien,'+14155550123,'02139,a@example.com,'hello\n"
    "'6885710452011,Lee,#N/A,'SW1A 1AA,#DIV/0!,#NAME?\n"
    "7,Ann,'+1 415 555 0199,,#n/a,#N/A \n"
)


def test_csv_markers_removed_and_error_cells_named(write) -> None:
    rows, notes = read(write("in.csv", CSV_QUIRKS))
    assert rows == [
        (2, ["6885710452010", "O'Brien", "+14155550123", "02139", "a@example.com", "'hello"], None),
        (3, ["6885710452011", "Lee", "#N/A", "SW1A 1AA", "#DIV/0!", "#NAME?"],
         {2: ("C3", "#N/A"), 4: ("E3", "#DIV/0!"), 5: ("F3", "#NAME?")}),
        # only the exact error text is an error cell (Excel writes it so): not "#n/a", not "#N/A "
        (4, ["7", "Ann", "+1 415 555 0199", "", "#n/a", "#N/A "], None),
    ]  # fmt: skip
    assert notes == {
        "text_marker": {"Customer ID": 2, "Phone": 2, "Zip": 2},
        "excel_error": {"Phone": 1, "Email": 1, "Note": 1},
    }


def test_xlsx_strings_with_markers_and_numbers_as_excel_shows_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "phone", "amount", "small", "whole", "huge", "hours", "time", "day"])
    sheet.append(["'0042", "'+4930123456", 68.664999999999992, 0.1, 919988221100.0, 1e20,
                  dt.timedelta(hours=255, minutes=10, seconds=10), dt.time(9, 5, 3),
                  dt.datetime(2024, 2, 29)])  # fmt: skip
    sheet.append(["'abc", "O'Neil", 274.66, 1 / 3, 7.0, 123456789012.345678,
                  dt.timedelta(minutes=5), dt.time(23, 59, 59), dt.datetime(2024, 2, 29, 8, 30)])  # fmt: skip
    sheet["G2"].number_format = sheet["G3"].number_format = "[h]:mm:ss"
    path = tmp_path / "in.xlsx"
    book.save(path)
    rows, notes = read(path)
    assert [cells for _, cells, _ in rows] == [  # fmt: skip
        [
            "0042",
            "+4930123456",
            "68.665",
            "0.1",
            "919988221100",
            "1e+20",
            "255:10:10",
            "09:05:03",
            "2024-02-29",
        ],
        [
            "'abc",
            "O'Neil",
            "274.66",
            "0.333333333333333",
            "7",
            "123456789012.346",
            "0:05:00",
            "23:59:59",
            "2024-02-29T08:30:00",
        ],
    ]
    assert notes == {"text_marker": {"id": 1, "phone": 1}}


def _formula_book(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "E-Mail", "Score", "Hours"])
    sheet.append(["Ann", "=NA()", "=1/0", "=10.6320601851852"])
    sheet.append(["Bob", '=VALUE("x")', "=SQRT(-1)", "=0.5"])
    sheet.append(["Cy", "cy@example.com", "=68.664999999999992*1", "=1.25"])
    sheet.append(["Dee", "=#REF!", "=274.66", "=2+1"])
    for row in range(2, 6):
        sheet[f"D{row}"].number_format = "[h]:mm:ss"
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    return path


@needs_soffice
def test_libreoffice_error_cells_float_noise_and_durations(tmp_path: Path) -> None:
    saved = libreoffice_xlsx(tmp_path, _formula_book(tmp_path))
    rows, notes = read(saved)
    assert [(n, cells, found) for n, cells, found in rows] == [  # fmt: skip
        (2, ["Ann", "#N/A", "#DIV/0!", "255:10:10"], {1: ("B2", "#N/A"), 2: ("C2", "#DIV/0!")}),
        (
            3,
            ["Bob", "#VALUE!", "#VALUE!", "12:00:00"],
            {1: ("B3", "#VALUE!"), 2: ("C3", "#VALUE!")},
        ),
        (4, ["Cy", "cy@example.com", "68.665", "30:00:00"], None),
        (5, ["Dee", "#REF!", "274.66", "72:00:00"], {1: ("B5", "#REF!")}),
    ]
    assert notes == {"excel_error": {"E-Mail": 3, "Score": 2}}


@needs_soffice
def test_a_sheet_of_error_cells_is_not_empty(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["E-Mail", "Code"])
    book.active.append(["=NA()", "=1/0"])
    source = tmp_path / "errors.xlsx"
    book.save(source)
    rows, _ = read(libreoffice_xlsx(tmp_path, source))
    assert rows == [(2, ["#N/A", "#DIV/0!"], {0: ("A2", "#N/A"), 1: ("B2", "#DIV/0!")})]


@needs_soffice
def test_error_cells_are_named_by_the_sheets_own_column(tmp_path: Path) -> None:
    """A table that begins at column C: its second column's error is cell D, not B."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C1"], sheet["D1"] = "Name", "E-Mail"
    sheet["C2"], sheet["D2"] = "Ann", "=NA()"
    source = tmp_path / "offset.xlsx"
    book.save(source)
    rows, _ = read(libreoffice_xlsx(tmp_path, source))
    assert [(cells, found) for _, cells, found in rows] == [(["Ann", "#N/A"], {1: ("D2", "#N/A")})]


def test_error_cells_found_in_the_sheet_xml() -> None:
    from importer.read._xlerrors import SheetErrors, _parse

    xml = (
        b'<row r="2"><c r="A2" t="e"/><c r="B2" t="s"><v>3</v></c>'
        b'<c r="C2" s="1" t="e"><f>NA()</f><v>#N/A</v></c></row>'
        b"<row r=\"10\"><x:c t='e' r='AB10'><x:v>#DIV/0!</x:v></x:c><c r=\"AC10\"><v>1</v></c></row>"
    )
    found: SheetErrors = {}
    _parse(xml, found)
    assert found == {1: {2: "#N/A"}, 9: {27: "#DIV/0!"}}


def test_the_sheet_xml_is_searched_block_by_block(monkeypatch) -> None:
    """Cells cut by a block's end are found whole, in rows with or without a namespace."""
    import io

    from importer.read import _xlerrors

    rows = b"".join(
        b'<x:row r="%d"><x:c r="B%d" t="e"><x:v>#REF!</x:v></x:c></x:row>' % (n, n)
        for n in range(1, 2001)
    )
    monkeypatch.setattr(_xlerrors, "_BLOCK", 97)
    found = _xlerrors._search(io.BytesIO(b"<sheetData>" + rows + b"</sheetData>"))  # type: ignore[arg-type]
    assert found == {n: {1: "#REF!"} for n in range(2000)}
