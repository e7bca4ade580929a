"""A wide input's reports: the ``_`` columns first, each row as long as its own cells, still a
workbook to fix and an input to send again, in ``validate`` and in ``run`` alike."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from runs_helpers import MAPPING

from importer._layout import REPORT_COLUMNS, REPORT_FILES
from importer._models import Outcome
from importer.read import open_table
from importer.report._writer import WIDE_COLUMNS
from importer.run import dry_run

OWN = ["member_id", "first_name", "mobile"]
WIDTH = WIDE_COLUMNS + 200


def wide_input(path: Path) -> Path:
    """Rows of three or four cells under ``WIDTH`` names: row 3 rejected, row 5 a duplicate,
    row 6 fills a cell far to the right."""
    header = OWN + [f"attr_{i}" for i in range(WIDTH - len(OWN))]
    rows = [
        ["M0000001", "Ann", "919800000001"],
        ["M0000002", "=Bob", "12"],  # rejected: the mobile; a cell Excel would run
        ["M0000003", "Cy", "919800000003"],
        ["M0000003", "Cy again", "919800000003"],  # duplicate of row 4
        ["M0000005", "Dee", "919800000005"] + [""] * 600 + ["far"],
    ]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _filled(cells: dict[str, str]) -> dict[str, str]:
    """The cells that hold something (a workbook's rows run to the sheet's width)."""
    return {k: v for k, v in cells.items() if v}


def _records(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_wide_reports_put_the_underscore_columns_first_and_rows_stay_short(tmp_path) -> None:
    source = wide_input(tmp_path / "wide.csv")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    summary = dry_run(source, mapping, out=tmp_path / "out", workers=0)
    folder = tmp_path / "out" / summary.job / summary.run
    assert summary.outcomes["rejected"] == 1 and summary.outcomes["duplicate"] == 1

    errors = _records(folder / REPORT_FILES[Outcome.REJECTED])
    header = errors[0]
    assert header[: len(REPORT_COLUMNS)] == list(REPORT_COLUMNS)
    assert header[len(REPORT_COLUMNS) :][:3] == OWN and len(header) == WIDTH + len(REPORT_COLUMNS)
    (row,) = errors[1:]
    ours = dict(zip(REPORT_COLUMNS, row, strict=False))
    assert (ours["_row"], ours["_outcome"], ours["_code"]) == ("3", "rejected", "invalid_mobile")
    assert row[len(REPORT_COLUMNS) :] == ["M0000002", "'=Bob", "12"]  # its own cells, no padding

    dups = _records(folder / REPORT_FILES[Outcome.DUPLICATE])
    assert [(r[0], r[1], r[3]) for r in dups[1:]] == [("5", "duplicate", "in_file_duplicate")]
    assert "row 4" in dups[1][4]  # _message names the first row

    # the workbook: _row, _outcome, _message in reach, the row's own cells after them
    book = openpyxl.load_workbook(folder / "errors.xlsx", read_only=True)
    sheet = book.active
    first, second = list(sheet.iter_rows(max_row=2, values_only=True))
    assert first[:5] == tuple(REPORT_COLUMNS[:5])
    assert (second[0], second[1]) == ("3", "rejected")
    assert second[len(REPORT_COLUMNS) : len(REPORT_COLUMNS) + 3] == ("M0000002", "=Bob", "12")


def test_a_wide_report_reads_back_as_the_original_rows(tmp_path) -> None:
    source = wide_input(tmp_path / "wide.csv")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    first = dry_run(source, mapping, out=tmp_path / "out", workers=0)
    folder = tmp_path / "out" / first.job / first.run
    original = {r.row: _filled(r.cells) for r in open_table(source).rows()}

    for name in ("errors.csv", "errors.xlsx", "warnings.csv", "duplicates.csv"):
        path = folder / name
        if name == "warnings.csv":  # no row had warnings: nothing to read back
            continue
        table = open_table(path)
        assert table.columns == open_table(source).columns
        for row in table.rows():
            assert _filled(row.cells) == original[row.row], (name, row.row)

    again = dry_run(folder / "errors.csv", mapping, out=tmp_path / "again", workers=0)
    assert again.codes == {"rejected": {"invalid_mobile": 1}}
    folder2 = tmp_path / "again" / again.job / again.run
    assert _records(folder2 / "errors.csv")[1][0] == "3"  # the original row number, kept


def test_wide_rows_sent_to_the_emulator_are_reported_short(emulator, run, tmp_path) -> None:
    emulator.reset()
    source = wide_input(tmp_path / "wide.csv")
    summary = run(emulator.url, source)
    assert summary.outcomes["created"] == 3
    folder = tmp_path / "out" / summary.job / summary.run
    success = _records(folder / REPORT_FILES[Outcome.CREATED])
    assert [r[0] for r in success[1:]] == ["2", "4", "6"]
    assert [len(r) for r in success[1:]] == [len(REPORT_COLUMNS) + 3] * 2 + [
        len(REPORT_COLUMNS) + 604
    ]
    stored = emulator.customers()
    assert sorted(c["firstName"] for c in stored) == ["Ann", "Cy", "Dee"]


def test_a_fixed_wide_errors_csv_sends_only_the_fixed_row(emulator, run, tmp_path) -> None:
    emulator.reset()
    first = run(emulator.url, wide_input(tmp_path / "wide.csv"))
    folder = tmp_path / "out" / first.job / first.run
    errors = folder / "errors.csv"
    records = _records(errors)
    records[1][records[0].index("mobile")] = "919800000002"  # the row fixed by hand
    with open(errors, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(records)

    again = run(emulator.url, errors, job=first.job)
    assert again.requests == 1 and again.exit_code == 0
    assert again.outcomes["created"] == 4  # the rows carried from the first run counted
    assert len(emulator.customers()) == 4  # the other three were not sent again
    newest = tmp_path / "out" / again.job / again.run
    success = _records(newest / REPORT_FILES[Outcome.CREATED])
    assert [r[0] for r in success[1:]] == ["2", "3", "4", "6"]  # the job's whole truth
    assert max(len(r) for r in success[1:]) == len(REPORT_COLUMNS) + 604  # short, as read


def test_errors_xlsx_is_left_out_past_its_cells_and_errors_csv_has_the_rows(
    tmp_path, monkeypatch
) -> None:
    from importer.report import _xlsx

    source = tmp_path / "crm.csv"
    header = OWN + [f"field_{i}" for i in range(40)]
    with open(source, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for i in range(6):  # full rows, every one rejected
            writer.writerow([f"M{i:07d}", f"N{i}", "12", *(["x"] * 40)])
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    cells = 6 * (43 + len(REPORT_COLUMNS))  # the report's cells, its _ columns included
    monkeypatch.setattr(_xlsx, "XLSX_MAX_CELLS", cells - 1)
    summary = dry_run(source, mapping, out=tmp_path / "out", workers=0)
    folder = tmp_path / "out" / summary.job / summary.run
    assert summary.outcomes["rejected"] == 6 and not (folder / "errors.xlsx").exists()
    assert len(_records(folder / "errors.csv")) == 7
    monkeypatch.setattr(_xlsx, "XLSX_MAX_CELLS", cells)
    summary = dry_run(source, mapping, out=tmp_path / "out2", workers=0)
    assert (tmp_path / "out2" / summary.job / summary.run / "errors.xlsx").exists()
