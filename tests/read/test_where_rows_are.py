"""Where a table sits in its file: row numbers as the sheet shows them, title rows above the header,
and which sheet holds the rows. Workbooks are made by openpyxl and by LibreOffice itself; the
oracle of a row's number is the sheet's own: ``=ROW()`` computed by LibreOffice, or the row
openpyxl wrote the cell on."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sheet_helpers import libreoffice_xlsx, needs_libreoffice_reason

from importer._exceptions import InputError
from importer.read import open_table

needs_libreoffice = pytest.mark.skipif(
    bool(needs_libreoffice_reason()), reason=needs_libreoffice_reason() or "-"
)


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


# -- the header below a title block ----------------------------------------------------------

MEMBERS = [
    ["Customer ID", "First Name", "Mobile", "Email", "City"],
    ["C001", "Ann", "+919812345601", "ann@example.com", "Pune"],
    ["C002", "Bob", "+919812345602", "", "Delhi"],  # a row with an empty cell
    ["C003", "Cy", "+919812345603", "cy@example.com", "Goa"],
]


def _csv(path: Path, lines: list[list[str]], delimiter: str = ",") -> Path:
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\n").writerows(lines)
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_title_and_a_blank_line_above_the_header_are_skipped(tmp_path, delimiter) -> None:
    above = [["Member list exported on 2026-12-01"], []]
    table = open_table(_csv(tmp_path / "in.csv", above + MEMBERS, delimiter))
    assert table.delimiter == delimiter  # the title line does not decide the delimiter
    assert (table.header_row, table.columns) == (3, MEMBERS[0])
    assert "row 1 is a title (1 filled cell, the rows below have 5)" in table.header_note
    assert "row 2 is blank" in table.header_note
    assert [(r.row, r.cells["Customer ID"]) for r in table.rows()] == [
        (4, "C001"),
        (5, "C002"),
        (6, "C003"),
    ]


def test_comment_lines_and_a_two_cell_title_are_skipped(tmp_path) -> None:
    above = [["# Exported by ShopCRM", " version 2"], ["Report:", "members"], []]
    table = open_table(_csv(tmp_path / "in.csv", above + MEMBERS))
    assert table.header_row == 4
    assert table.header_note.startswith("row 4: row 1 is a # comment, row 2 is a title")


@pytest.mark.parametrize(
    "lines",
    [
        MEMBERS,  # no title: the first row, nothing to say
        [["#", "Name", "Mobile"], ["1", "Ann", "98"], ["2", "Bob", "99"]],  # a column named #
        [MEMBERS[0]] + [["C1", "", "", "", ""], ["C2", "", "", "", ""]],  # sparse rows below
        [["Mobile"], ["98"], ["99"]],  # one column
    ],
)
def test_a_header_on_row_1_stays_the_header(tmp_path, lines) -> None:
    table = open_table(_csv(tmp_path / "in.csv", lines))
    assert (table.header_row, table.header_note, table.columns) == (1, "", lines[0])


def test_the_header_row_named_wins_over_what_is_found(tmp_path) -> None:
    path = _csv(tmp_path / "in.csv", [["Members"], ["Exported", "today"], *MEMBERS])
    table = open_table(path, header_row=2)
    assert table.columns == ["Exported", "today"]
    assert table.header_note == "row 2 (--header-row 2)"
    table = open_table(path, header_row=3, header_origin="settings.header_row")
    assert table.columns == MEMBERS[0] and "settings.header_row 3" in table.header_note
    assert [r.row for r in table.rows()] == [4, 5, 6]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (2, r"in\.csv: --header-row 2: row 2 is blank"),
        (40, r"in\.csv: --header-row 40: the file has 6 rows"),
    ],
)
def test_a_header_row_that_holds_no_header_is_refused(tmp_path, row, message) -> None:
    path = _csv(tmp_path / "in.csv", [["Members"], [], *MEMBERS])
    with pytest.raises(InputError, match=message):
        open_table(path, header_row=row)


def test_a_report_keeps_its_header_on_row_1_whatever_the_mapping_says(tmp_path) -> None:
    path = _csv(
        tmp_path / "errors.csv",
        [["Customer ID", "Mobile", "_row", "_outcome"], ["C9", "12", "7", "rejected"]],
    )
    table = open_table(path, header_row=3, header_origin="settings.header_row")
    assert table.is_report and table.columns == ["Customer ID", "Mobile"]
    assert [(r.row, r.cells) for r in table.rows()] == [(7, {"Customer ID": "C9", "Mobile": "12"})]


def title_workbook(path: Path, *, formula: bool) -> Path:
    """A title in A1 (merged across, as exports do), a blank row, the header on row 3 from B."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Member list exported on 2026-12-01"
    sheet.merge_cells("A1:E1")
    for k, name in enumerate(["Customer ID", "Row", "Mobile", "Email"]):
        sheet.cell(3, 2 + k, name)
    for r in (4, 5, 7):
        values = [f"C{r}", "=ROW()" if formula else r, f"+9198123456{r:02d}", f"c{r}@example.com"]
        for k, value in enumerate(values):
            sheet.cell(r, 2 + k, value)
    book.save(path)
    return path


def test_a_workbook_title_is_skipped(tmp_path) -> None:
    table = open_table(title_workbook(tmp_path / "in.xlsx", formula=False))
    assert table.header_row == 3 and "row 1 is a title" in table.header_note
    assert [(r.row, r.cells["Row"]) for r in table.rows()] == [(4, "4"), (5, "5"), (7, "7")]


@needs_libreoffice
def test_a_libreoffice_workbook_title_is_skipped(tmp_path) -> None:
    path = libreoffice_xlsx(title_workbook(tmp_path / "made.xlsx", formula=True), tmp_path)
    table = open_table(path)
    assert table.header_row == 3
    assert [(r.row, r.cells["Row"]) for r in table.rows()] == [(4, "4"), (5, "5"), (7, "7")]


# -- which sheet ----------------------------------------------------------------------------


def sheets_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Summary"  # left empty, as a cover sheet
    customers = book.create_sheet("My Customers")
    for row in MEMBERS:
        customers.append(row)
    notes = book.create_sheet("Notes")
    notes["C3"] = "call back"
    book.save(path)
    return path


def test_a_sheet_without_rows_names_the_sheets_that_have_them(tmp_path) -> None:
    path = sheets_workbook(tmp_path / "in.xlsx")
    with pytest.raises(InputError) as caught:
        open_table(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: sheet 'Summary' has no rows; the sheets with rows: ")
    assert "'My Customers' (4 filled rows), 'Notes' (1 filled row)" in message
    assert "--sheet 'My Customers'" in message


def test_init_reads_the_first_sheet_with_rows(tmp_path) -> None:
    table = open_table(sheets_workbook(tmp_path / "in.xlsx"), any_sheet=True)
    assert table.sheet == "My Customers" and table.columns == MEMBERS[0]
    assert table.sheet_note == (
        "sheet 'Summary' has no rows: read 'My Customers', the first sheet that has"
    )
    assert [r.row for r in table.rows()] == [2, 3, 4]


def test_the_mapping_sheet_is_read_and_the_flag_wins(tmp_path) -> None:
    path = sheets_workbook(tmp_path / "in.xlsx")
    assert open_table(path, sheet_setting="My Customers").sheet == "My Customers"
    assert open_table(path, sheet_setting=2).sheet == "My Customers"
    assert open_table(path, sheet="Notes", sheet_setting="My Customers").sheet == "Notes"
    with pytest.raises(InputError, match=r"no sheet 'Members' \(settings.sheet in the mapping\)"):
        open_table(path, sheet_setting="Members")
    # a text file has no sheet to choose: the setting is for the workbook the job also reads
    csv_path = _csv(tmp_path / "in.csv", MEMBERS)
    assert open_table(csv_path, sheet_setting="My Customers").columns == MEMBERS[0]


def test_a_report_workbook_keeps_its_own_sheet_whatever_the_mapping_names(tmp_path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "errors"
    sheet.append(["Customer ID", "Mobile", "_row", "_outcome", "_message"])
    sheet.append(["C9", "12", "7", "rejected", "Mobile: not a number"])
    book.save(tmp_path / "errors.xlsx")
    table = open_table(tmp_path / "errors.xlsx", sheet_setting="My Customers", header_row=3)
    assert (table.sheet, table.is_report, table.columns) == (
        "errors",
        True,
        ["Customer ID", "Mobile"],
    )
    assert [r.row for r in table.rows()] == [7]


def test_a_short_header_over_wider_rows_of_values_stays_the_header(tmp_path) -> None:
    # two named columns, rows that fill six: the header is no title, its rows are values
    lines = [["Email", "Mobile"]] + [
        [f"p{i}@example.com", f"+9198123456{i:02d}", "x", "y", "z", "w"] for i in range(5)
    ]
    table = open_table(_csv(tmp_path / "in.csv", lines))
    assert (table.header_row, table.header_note, table.columns) == (1, "", ["Email", "Mobile"])
