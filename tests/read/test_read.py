"""The reader: encodings, delimiters, row numbers, Excel cells, report files, unreadable input."""

# ruff: noqa: E501 - tables of cases read best one case per line

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from importer._exceptions import InputError
from importer.read._table import EXTRA, open_table


def rows(path: Path, **options: object) -> list[tuple[int, dict[str, str]]]:
    return [(r.row, r.cells) for r in open_table(path, **options).rows()]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("name,city\nJosé,Zürich\n".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "name,city\nJosé,Zürich\n".encode(), "utf-8-sig"),
        ("name,city\nJosé,Zürich\n".encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_are_detected(write, data: bytes, encoding: str) -> None:
    table = open_table(write("in.csv", data))
    assert table.encoding == encoding
    assert table.columns == ["name", "city"]
    assert next(table.rows()).cells["name"] == "José"


def test_cp1252_specials_survive(write) -> None:
    path = write("in.csv", "name;note\nO’Brien;5 €\n".encode("cp1252"))
    assert rows(path) == [(2, {"name": "O’Brien", "note": "5 €"})]


def test_named_encoding_wins(write) -> None:
    path = write("in.csv", "a,b\né,x\n".encode("latin-1"))
    assert rows(path, encoding="latin-1") == [(2, {"a": "é", "b": "x"})]


def test_wrong_named_encoding_is_one_clear_error(write) -> None:
    path = write("in.csv", "a,b\né,x\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"in\.csv.*utf-8.*--encoding"):
        rows(path, encoding="utf-8")


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(write, delimiter: str) -> None:
    text = delimiter.join(["a", "b", "c"]) + "\n" + delimiter.join(["1", "2,5", "x"]) + "\n"
    if delimiter == ",":
        text = 'a,b,c\n1,"2,5",x\n'
    table = open_table(write("in.csv", text))
    assert table.delimiter == delimiter
    assert [r.cells for r in table.rows()] == [{"a": "1", "b": "2,5", "c": "x"}]


@pytest.mark.parametrize(("given", "used"), [(";", ";"), ("tab", "\t"), ("\\t", "\t")])
def test_named_delimiter(write, given: str, used: str) -> None:
    path = write("in.csv", f"a{used}b\n1{used}2\n")
    assert open_table(path, delimiter=given).delimiter == used


def test_quoted_newlines_and_row_numbers_as_the_user_sees_them(write) -> None:
    path = write("in.csv", 'a,b\n1,"two\nlines"\n\n,\n  ,  \n3,4\n')
    assert rows(path) == [(2, {"a": "1", "b": "two\nlines"}), (6, {"a": "3", "b": "4"})]


def test_cells_are_text_and_keep_leading_zeros(write) -> None:
    path = write("in.csv", "id,mobile\n007,09988221100\n")
    assert rows(path) == [(2, {"id": "007", "mobile": "09988221100"})]


def test_short_rows_are_not_padded_and_long_rows_keep_their_extra_cells(write) -> None:
    path = write("in.csv", "a,b,c\n1\n1,2,3,4\n1,2,3,,\n")
    got = rows(path)
    assert got[0] == (2, {"a": "1"})  # the missing cells read as empty, and take no memory
    assert got[1] == (3, {"a": "1", "b": "2", "c": "3", EXTRA: "4"})
    assert got[2] == (4, {"a": "1", "b": "2", "c": "3"})


def test_header_is_trimmed_and_trailing_empty_headers_dropped(write) -> None:
    table = open_table(write("in.csv", " a , b ,,\n1,2,,\n"))
    assert table.columns == ["a", "b"]


def test_chunks_have_the_asked_size(write) -> None:
    path = write("in.csv", "a\n" + "".join(f"{i}\n" for i in range(25)))
    sizes = [len(c) for c in open_table(path).chunks(10)]
    assert sizes == [10, 10, 5]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"a,b,a\n1,2,3\n", "names column 'a' twice"),
        (b"\n\n", "no header"),
        (b'a,b\n1,"' + b"x" * (1 << 20) + b"\n", "line 2.*unclosed quote"),
    ],
)
def test_unreadable_input_is_one_clear_error(write, content: bytes, message: str) -> None:
    path = write("bad.csv", content)
    with pytest.raises(InputError, match=message) as info:
        list(open_table(path).rows())
    assert "bad.csv" in str(info.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        open_table(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="directory"):
        open_table(tmp_path)


def test_report_files_read_back_as_the_original(write) -> None:
    header = "id,formula,_row,_outcome,_code,_message"
    path = write(
        "errors.csv", f"{header}\n007,'=1+2,17,rejected,x,y\n008,''quoted,18,rejected,x,y\n"
    )
    table = open_table(path)
    assert table.is_report and table.columns == ["id", "formula"]
    assert rows(path) == [
        (17, {"id": "007", "formula": "=1+2"}),
        (18, {"id": "008", "formula": "'quoted"}),
    ]


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, data in sheets.items():
        sheet = book.create_sheet(name)
        for row in data:
            sheet.append(row)
    book.save(path)
    return path


def test_excel_cells_become_the_text_the_user_typed(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "in.xlsx",
        {
            "Members": [
                ["id", "mobile", "born", "at", "points", "flag"],
                [
                    "007",
                    919988221100,
                    dt.datetime(2000, 10, 22),
                    dt.datetime(2024, 1, 2, 3, 4, 5),
                    12.5,
                    True,
                ],
                [],
                ["008", 919988221100.0, dt.date(1999, 1, 2), None, 3, False],
            ]
        },
    )
    assert rows(path) == [
        (2, {"id": "007", "mobile": "919988221100", "born": "2000-10-22", "at": "2024-01-02T03:04:05", "points": "12.5", "flag": "TRUE"}),
        (4, {"id": "008", "mobile": "919988221100", "born": "1999-01-02", "at": "", "points": "3", "flag": "FALSE"}),
    ]  # fmt: skip


@pytest.mark.parametrize("sheet", ["Second", "2", 2])
def test_excel_sheet_by_name_or_index(tmp_path: Path, sheet: object) -> None:
    path = _workbook(tmp_path / "in.xlsx", {"First": [["a"], ["1"]], "Second": [["b"], ["2"]]})
    assert rows(path, sheet=sheet) == [(2, {"b": "2"})]


def test_wrong_sheet_names_the_sheets(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "in.xlsx", {"First": [["a"], ["1"]]})
    with pytest.raises(InputError, match=r"in\.xlsx: no sheet 'Nope'.*'First'"):
        open_table(path, sheet="Nope")


def test_broken_workbook_is_an_input_error(write) -> None:
    path = write("in.xlsx", b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match=r"in\.xlsx"):
        list(open_table(path).rows())
