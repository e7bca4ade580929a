"""errors.xlsx: the fix loop for Excel users, written by a real run and read back after an edit."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from runs_helpers import COLUMNS, cli, mobile, read_report, write_csv

from importer._models import Summary
from importer.emulator import EmulatorProcess
from importer.read._table import open_table
from importer.report._xlsx import problem_cells

ORG_PREFIX = "registration:\n  external_id_prefix: M\n"


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def resave_with_libreoffice(book: Path, tmp: Path) -> None:
    """Open and save ``book`` with LibreOffice Calc, headless, over the original."""
    out = tmp / "libreoffice-out"
    command = [
        _soffice(),
        f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}",  # not the user's profile
        "--headless",
        "--convert-to",
        "xlsx",
        "--outdir",
        str(out),
        str(book),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    shutil.copyfile(out / book.name, book)


@pytest.fixture
def failed_run(
    start_emulator: Callable[..., EmulatorProcess], run: Callable[..., Summary], tmp_path: Path
) -> tuple[EmulatorProcess, Path]:
    org = tmp_path / "org.yaml"
    org.write_text(ORG_PREFIX, encoding="utf-8")
    emu = start_emulator("--org", str(org))
    rows = [
        ["M0012345", "Ann", mobile(1)],  # created
        ["M0000002", "=cmd", "12"],  # rejected here: the mobile; a cell Excel would run
        ["X0000004", "Dan", mobile(4)],  # rejected by the API: the external ID's prefix
        ["M0000005", "Eve", "+91 98 0000 0005"],  # created, typed with spaces
    ]
    summary = run(emu.url, write_csv(tmp_path / "members.csv", rows))
    assert summary.outcomes["rejected"] == 2
    return emu, tmp_path / "out" / summary.job / summary.run


def test_the_workbook_holds_the_errors_as_text_with_the_faults_marked(failed_run) -> None:
    _, run_dir = failed_run
    sheet = openpyxl.load_workbook(run_dir / "errors.xlsx").active
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    errors = read_report(run_dir / "errors.csv")
    assert header == list(errors[0])  # the CSV's columns: original first, "_" ones at the right
    assert header[:3] == COLUMNS and all(h.startswith("_") for h in header[3:])
    assert header[-1] == "_run"
    assert [[c.value or "" for c in r] for r in rows[1:]] == [
        [e[h] if h != "first_name" else e[h].lstrip("'") for h in header] for e in errors
    ]  # the same rows, a formula-like cell as itself: a text cell never runs
    cells = [c for r in rows for c in r]
    assert {c.data_type for c in cells if c.value} == {"s"}  # identifiers and numbers as text
    # and what is typed over the original columns stays text
    assert {c.number_format for r in rows for c in r[: len(COLUMNS)]} == {"@"}
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:M{len(rows)}"
    by_row = {r[3].value: dict(zip(header, r, strict=True)) for r in rows[1:]}
    bad_mobile, bad_id = by_row["3"], by_row["4"]
    assert bad_mobile["mobile"].fill.fgColor.rgb.endswith("FFC7CE")
    assert bad_mobile["mobile"].comment.text == bad_mobile["_message"].value
    assert bad_mobile["member_id"].comment is None and bad_mobile["first_name"].comment is None
    assert "X0000004" in bad_id["member_id"].comment.text  # the API's words, on its cell
    assert bad_id["mobile"].comment is None
    page = (run_dir / "report.html").read_text("utf-8")
    assert '<a href="errors.xlsx">errors.xlsx</a> (2 rows)' in page


def test_problem_cells_names_columns_quoted_values_and_normalised_numbers() -> None:
    cells = {"mobile": "+91 99882 21100", "email": "x@", "name": "Ann", "card": "12"}
    assert problem_cells("Invalid mobile 919988221100: 12 digits", cells) == {
        "mobile": "Invalid mobile 919988221100: 12 digits"
    }
    message = 'email: "x@" is not an e-mail; identifier card is required and column card is empty'
    assert problem_cells(message, cells) == {
        "email": 'email: "x@" is not an e-mail',
        "card": "identifier card is required and column card is empty",
    }
    assert problem_cells("not attempted: interrupted", cells) == {}


SAVERS = {
    "openpyxl": lambda book, tmp: None,
    "libreoffice": resave_with_libreoffice,
}


@pytest.mark.parametrize(
    ("saver", "command"),
    [
        ("openpyxl", "run"),
        pytest.param(
            "libreoffice",
            "rerun",
            marks=pytest.mark.skipif(
                not _soffice(),
                reason="no LibreOffice (soffice) on this machine: .ci/run installs Debian's "
                "libreoffice-calc-nogui",
            ),
        ),
    ],
)
def test_a_fixed_workbook_reads_back_and_sends_the_fixed_rows(
    failed_run, mapping: Path, tmp_path: Path, saver: str, command: str
) -> None:
    emu, run_dir = failed_run
    book = run_dir / "errors.xlsx"
    workbook = openpyxl.load_workbook(book)
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        number = row[header.index("_row")].value
        if number == "3":
            row[header.index("mobile")].value = "+919800000003"  # fixed by hand
        if number == "4":
            row[header.index("member_id")].value = "M0000004"
    workbook.save(book)
    SAVERS[saver](book, tmp_path)

    table = open_table(book)  # the "_" columns are dropped, the row numbers kept
    assert table.columns == COLUMNS and table.is_report
    assert [(r.row, r.cells) for r in table.rows()] == [
        (3, {"member_id": "M0000002", "first_name": "=cmd", "mobile": "+919800000003"}),
        (4, {"member_id": "M0000004", "first_name": "Dan", "mobile": mobile(4)}),
    ]
    if command == "run":
        args = ["run", str(book), "--mapping", str(mapping), "--base-url", emu.url, "--rpm", "0"]
        proc = cli(*args, "--out", str(tmp_path / "out"))
    else:
        proc = cli("rerun", str(run_dir))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "errors.xlsx" in out  # the workbook, saved after errors.csv, is what was sent
    newest = max(p for p in run_dir.parent.iterdir() if p.is_dir())
    success = read_report(newest / "success.csv")
    assert [(r["_row"], r["_run"] == newest.name) for r in success] == [
        ("2", False),
        ("3", True),
        ("4", True),
        ("5", False),
    ]
    sent = {
        i["value"]: (c, a)
        for c in emu.customers()
        for a in c["accounts"]
        for i in a["identifiers"]
        if i["type"] == "externalId"
    }
    customer, account = sent["M0000002"]
    assert customer["firstName"] == "=cmd"  # exactly the cell, never a formula's result
    assert {"type": "mobile", "value": "919800000003"} in account["identifiers"]
    assert "M0000004" in sent and len(emu.customers()) == 4


def test_the_workbook_is_for_rows_to_fix_by_hand(tmp_path: Path, mapping: Path, monkeypatch):
    from importer.report import _xlsx
    from importer.run import dry_run

    monkeypatch.setattr(_xlsx, "XLSX_MAX_ROWS", 1)
    one = write_csv(tmp_path / "one.csv", [["M1", "Ann", "12"], ["M2", "Ben", mobile(2)]])
    two = write_csv(tmp_path / "two.csv", [["M1", "Ann", "12"], ["M2", "Ben", "13"]])
    for source, written in ((one, True), (two, False)):
        summary = dry_run(source, mapping, out=tmp_path / "out")
        folder = tmp_path / "out" / summary.job / summary.run
        assert (folder / "errors.xlsx").exists() is written
        assert len(read_report(folder / "errors.csv")) == summary.outcomes["rejected"]


def test_each_problem_of_a_row_marks_its_own_cell_with_its_own_reason() -> None:
    message = 'mobile: "12345" is not a valid phone number in IN | points: "-254" is below 0'
    cells = {"name": "Ravi", "mobile": "12345", "points": "-254", "dob": "22/10/2000"}
    assert problem_cells(message, cells) == {
        "mobile": 'mobile: "12345" is not a valid phone number in IN',
        "points": 'points: "-254" is below 0',
    }
