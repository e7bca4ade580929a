"""Title rows and sheets through the real commands: ``init`` finds them and writes them into the
draft, ``validate``, ``preview`` and ``run`` read the same rows under the same numbers, and what
reached the emulator is exactly the rows below the header."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from faker import Faker
from runs_helpers import BASIC, read_report
from sheet_helpers import libreoffice_xlsx, needs_libreoffice_reason

from importer.cli._main import main

HEADER = ["Customer ID", "First Name", "Mobile", "Email"]
MAPPING = """\
version: 1
settings: {{header_row: 3{sheet}}}
profiles:
  - source: INSTORE
    firstName: First Name
    identifiers:
      - {{type: mobile, value: {{column: Mobile, as: phone}}}}
      - {{type: email, value: Email}}
      - {{type: externalId, value: Customer ID}}
"""


def _people(seed: int) -> list[list[str]]:
    """Five customers from Faker; the third's mobile is no phone number (rejected)."""
    fake = Faker("en_IN")
    fake.seed_instance(seed)
    rows = []
    for i in range(5):
        mobile = "12" if i == 2 else f"+9198{seed % 100:02d}{i:06d}"
        rows.append([f"C{seed}{i:03d}", fake.first_name(), mobile, fake.unique.email()])
    return rows


def title_input(path: Path, rows: list[list[str]]) -> Path:
    """A title on row 1, row 2 blank, the header on row 3, the rows from row 4 (CSV or xlsx,
    where the first sheet is an empty cover sheet and the rows are on 'Customers')."""
    lines = [["Member list exported on 2026-12-01"], [], HEADER, *rows]
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(lines)
        return path
    book = openpyxl.Workbook()
    book.active.title = "Cover"
    sheet = book.create_sheet("Customers")
    for line in lines:
        sheet.append(line)
    book.save(path)
    return path


def _count(output: str, outcome: str) -> int | None:
    """The count the printed summary shows beside ``outcome``."""
    for line in output.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] == outcome:
            return int(words[1].replace(",", ""))
    return None


def _run_folders(out: Path) -> list[Path]:
    return [p for p in out.glob("*/*") if p.is_dir()]


def invoke(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, list(args), env=dict(BASIC))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_validate_preview_and_run_agree_below_a_title(emulator, tmp_path, suffix) -> None:
    emulator.reset()
    rows = _people(len(suffix))
    source = title_input(tmp_path / f"members{suffix}", rows)
    mapping = tmp_path / "m.yaml"
    sheet = ", sheet: Customers" if suffix == ".xlsx" else ""
    mapping.write_text(MAPPING.format(sheet=sheet), encoding="utf-8")

    out = str(tmp_path / "v")
    checked = invoke("validate", str(source), "--mapping", str(mapping), "--out", out)
    assert checked.exit_code == 1, checked.output
    assert "header: row 3 (settings.header_row 3)" in checked.output
    (folder,) = _run_folders(tmp_path / "v")
    assert [r["_row"] for r in read_report(folder / "errors.csv")] == ["6"]

    shown = invoke("preview", str(source), "--mapping", str(mapping), "--rows", "3")
    assert shown.exit_code == 0, shown.output
    heads = [line.split(":")[0] for line in shown.output.splitlines() if line.startswith("# row")]
    assert heads == ["# row 4", "# row 5", "# row 6"]
    assert "# row 6: rejected (invalid_mobile)" in shown.output

    sent = invoke(
        "run", str(source), "--mapping", str(mapping), "--out", str(tmp_path / "r"),
        "--base-url", emulator.url, "--rpm", "0",
    )  # fmt: skip
    assert sent.exit_code == 1, sent.output
    (folder,) = _run_folders(tmp_path / "r")
    assert [r["_row"] for r in read_report(folder / "errors.csv")] == ["6"]
    assert [r["_row"] for r in read_report(folder / "success.csv")] == ["4", "5", "7", "8"]
    created = sorted(c["firstName"] for c in emulator.customers())
    assert created == sorted(r[1] for i, r in enumerate(rows) if i != 2)


def test_init_writes_the_header_row_and_the_sheet_it_found(tmp_path) -> None:
    source = title_input(tmp_path / "members.xlsx", _people(7))
    out = tmp_path / "m.yaml"
    result = CliRunner().invoke(main, ["init", str(source), "--out", str(out)])
    assert result.exit_code in (0, 1), result.output  # (the bad mobile: the draft's to decide)
    assert "sheet: sheet 'Cover' has no rows: read 'Customers'" in result.output
    assert "header: row 3: row 1 is a title" in result.output
    settings = yaml.safe_load(out.read_text("utf-8"))["settings"]
    assert (settings["header_row"], settings["sheet"]) == (3, "Customers")
    # the five rows below the header, none of the title's
    assert _count(result.output, "ready") + (_count(result.output, "rejected") or 0) == 5
    # the draft reads the file as it is, with no flag
    checked = invoke("validate", str(source), "--mapping", str(out), "--out", str(tmp_path / "v"))
    assert checked.exit_code in (0, 1), checked.output
    assert f"{source}: 5 rows (dry run)" in checked.output


def test_init_on_a_plain_file_writes_no_header_row(tmp_path) -> None:
    source = tmp_path / "plain.csv"
    with open(source, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *_people(9)])
    out = tmp_path / "m.yaml"
    CliRunner().invoke(main, ["init", str(source), "--out", str(out)])
    settings = yaml.safe_load(out.read_text("utf-8"))["settings"]
    assert "header_row" not in settings and "sheet" not in settings


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--header-row", "1"), "the header was read on row 1 (--header-row 1)"),
        (("--header-row", "2"), "--header-row 2: row 2 is blank"),
        (("--sheet", "Cover"), "sheet 'Cover' has no rows; the sheets with rows: 'Customers'"),
    ],
)
def test_a_flag_wins_over_the_setting_and_a_refusal_is_one_line(tmp_path, extra, message) -> None:
    source = title_input(tmp_path / "members.xlsx", _people(3))
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING.format(sheet=", sheet: Customers"), encoding="utf-8")
    for command in ("validate", "preview"):
        result = invoke(command, str(source), "--mapping", str(mapping), *extra)
        assert result.exit_code == 2, result.output
        assert result.output.count("\n") == 1 and message in result.output, result.output
        assert str(source) in result.output


def placed_book(path: Path, *, formula: bool) -> Path:
    """The header on sheet row 4 from column C; a rejected row and an in-file duplicate below.
    ``Row`` holds ``=ROW()`` (formula) or the row openpyxl wrote the cell on."""
    book = openpyxl.Workbook()
    sheet = book.active
    lines = [
        ["Customer ID", "First Name", "Mobile", "Email", "Row"],
        ["C1", "Ann", "+919811100001", "ann@example.com"],
        ["C2", "Bob", "12", "bob@example.com"],  # rejected
        [],
        ["C1", "Ann again", "+919811100001", "ann2@example.com"],  # duplicate of C1
    ]
    for k, line in enumerate(lines):
        r = 4 + k
        for j, value in enumerate(line):
            sheet.cell(r, 3 + j, value)
        if k and line:
            sheet.cell(r, 7, "=ROW()" if formula else r)
    book.save(path)
    return path


@pytest.mark.parametrize("maker", ["openpyxl", "libreoffice"])
def test_rows_below_row_1_keep_their_sheet_numbers_everywhere(tmp_path, maker) -> None:
    if maker == "libreoffice":
        if needs_libreoffice_reason():
            pytest.skip(needs_libreoffice_reason())
        made = placed_book(tmp_path / "made.xlsx", formula=True)
        source = libreoffice_xlsx(made, tmp_path)
    else:
        source = placed_book(tmp_path / "book.xlsx", formula=False)
    mapping = tmp_path / "m.yaml"
    # no header_row: the blank rows above the header are skipped as they are
    mapping.write_text(MAPPING.format(sheet="").replace("header_row: 3", ""), encoding="utf-8")
    out = str(tmp_path / "v")
    checked = invoke("validate", str(source), "--mapping", str(mapping), "--out", out)
    assert checked.exit_code == 1, checked.output
    (folder,) = _run_folders(tmp_path / "v")
    (error,) = read_report(folder / "errors.csv")
    (duplicate,) = read_report(folder / "duplicates.csv")
    # the oracle: the sheet's own number of each row, in its Row column
    assert error["_row"] == error["Row"] == "6"
    assert duplicate["_row"] == duplicate["Row"] == "8"
    assert "already on row 5" in duplicate["_message"]
    sheet = openpyxl.load_workbook(folder / "errors.xlsx", read_only=True).active
    header, row = list(sheet.iter_rows(max_row=2, values_only=True))
    assert row[header.index("_row")] == row[header.index("Row")] == "6"

    shown = invoke("preview", str(source), "--mapping", str(mapping), "--rows", "3")
    assert "# row 5" in shown.output and "# row 6: rejected" in shown.output
    assert "# row 8: duplicate" in shown.output, shown.output
