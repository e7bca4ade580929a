"""The shipped samples end to end through ``importer validate``: their outcome counts are a contract."""

# ruff: noqa: E501 - tables of cases read best one case per line

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from prepare_helpers import MAPPINGS, SAMPLES

from importer.cli._main import main

MEMBERS_HEADER = (
    "member_id,first_name,last_name,mobile,email,gender,city,date_of_birth,joined_on,points,tier,"
    "store_code"
)


@pytest.mark.parametrize(
    ("sample", "mapping", "counts", "codes"),
    [
        (
            "members.csv",
            "members.yaml",
            (200, 189, 7, 4),
            {"not_mobile": 1, "invalid_mobile": 1, "lost_digits": 1, "invalid_email": 1, "invalid_date": 1,
             "out_of_range": 1, "missing_identifier": 1, "in_file_duplicate": 4},
        ),
        (
            "members.xlsx",
            "members.yaml",
            (200, 189, 7, 4),
            {"not_mobile": 1, "invalid_mobile": 1, "lost_digits": 1, "invalid_email": 1, "invalid_date": 1,
             "out_of_range": 1, "missing_identifier": 1, "in_file_duplicate": 4},
        ),
        (
            "legacy_members.csv",
            "legacy_members.yaml",
            (60, 50, 8, 2),
            {"not_mobile": 5, "invalid_mobile": 1, "invalid_date": 1, "unmapped_value": 1,
             "in_file_duplicate": 2},
        ),
    ],
)  # fmt: skip
def test_samples_validate_with_known_counts(tmp_path: Path, sample, mapping, counts, codes) -> None:
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        main,
        [
            "validate",
            str(SAMPLES / sample),
            "--mapping",
            str(MAPPINGS / mapping),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 1, result.output
    [summary_path] = out.glob("*/*/summary.json")
    summary = json.loads(summary_path.read_text())
    total, ready, rejected, duplicate = counts
    assert summary["total_rows"] == total
    assert summary["sendable"] == ready
    assert summary["outcomes"]["rejected"] == rejected
    assert summary["outcomes"]["duplicate"] == duplicate
    dups = {c: n for c, n in codes.items() if c == "in_file_duplicate"}
    rejects = {c: n for c, n in codes.items() if c not in dups}
    assert summary["codes"] == {"rejected": rejects, "duplicate": dups}  # per outcome
    with open(summary_path.parent / "errors.csv", encoding="utf-8-sig", newline="") as fh:
        errors = list(csv.DictReader(fh))
    assert len(errors) == rejected and all(e["_message"] for e in errors)


def test_members_csv_header_is_the_contract() -> None:
    with open(SAMPLES / "members.csv", encoding="utf-8") as fh:
        assert fh.readline().strip() == MEMBERS_HEADER


def test_the_same_rows_in_csv_and_xlsx_give_the_same_payloads() -> None:
    from importer.mapping._spec import load_mapping
    from importer.prepare._pipeline import prepare
    from importer.read._table import open_table

    mapping = load_mapping(MAPPINGS / "members.yaml")
    csv_items = list(prepare(open_table(SAMPLES / "members.csv"), mapping))
    xlsx_items = list(prepare(open_table(SAMPLES / "members.xlsx"), mapping))
    assert [(i.source.row, i.payload, i.code) for i in csv_items] == [
        (i.source.row, i.payload, i.code) for i in xlsx_items
    ]


def test_legacy_sample_is_a_cp1252_semicolon_file() -> None:
    from importer.read._table import open_table

    table = open_table(SAMPLES / "legacy_members.csv")
    assert (table.encoding, table.delimiter) == ("cp1252", ";")


def test_samples_regenerate_identically(tmp_path: Path) -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import make_samples as m; from pathlib import Path;"
        "out = Path(sys.argv[2]); rows = m.member_rows(); m.write_members_csv(rows, out / 'members.csv');"
        "m.write_legacy_csv(m.legacy_rows(), out / 'legacy_members.csv')"
    )
    subprocess.run([sys.executable, "-c", code, str(SAMPLES), str(tmp_path)], check=True)
    for name in ("members.csv", "legacy_members.csv"):
        assert (tmp_path / name).read_bytes() == (SAMPLES / name).read_bytes()


def test_the_workbook_regenerates_identically(tmp_path: Path) -> None:
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import make_samples as m; from pathlib import Path;"
        "m.write_members_xlsx(m.member_rows(), Path(sys.argv[2]) / 'members.xlsx')"
    )
    subprocess.run([sys.executable, "-c", code, str(SAMPLES), str(tmp_path)], check=True)
    assert (tmp_path / "members.xlsx").read_bytes() == (SAMPLES / "members.xlsx").read_bytes()


def test_legacy_sample_with_named_encoding_and_delimiter(tmp_path: Path) -> None:
    args = [
        "validate", str(SAMPLES / "legacy_members.csv"), "--mapping", str(MAPPINGS / "legacy_members.yaml"),
        "--out", str(tmp_path), "--encoding", "cp1252", "--delimiter", ";", "--job", "legacy",
    ]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "50  (would be sent)" in result.output
    assert f"reports: {tmp_path / 'legacy'}" in result.output
